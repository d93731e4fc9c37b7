# Keys, indexes and schema (DDB304-DDB313, DDB315): what passes `terraform plan`
# and fails at apply, or costs at run time. DDB301-DDB303 (and TTL without an
# attribute name) are rejected by the provider at plan time: their tests use
# hand-built plans. Each bad table has a good twin; "decided_later" holds
# values known only after apply, on which the rules stay silent.

resource "aws_sqs_queue" "marker" {
  name = "schema-marker"
}

locals {
  # Each is only known after apply (it depends on the queue's ARN).
  later_flag       = aws_sqs_queue.marker.arn != ""
  later_sort_key   = aws_sqs_queue.marker.arn != "" ? "sk" : "sk"
  later_type       = aws_sqs_queue.marker.arn != "" ? "N" : "N"
  later_projection = aws_sqs_queue.marker.arn != "" ? "INCLUDE" : "INCLUDE"
  later_attributes = aws_sqs_queue.marker.arn != "" ? ["total"] : ["total"]

  five  = ["a1", "a2", "a3", "a4", "a5"]
  six   = ["a1", "a2", "a3", "a4", "a5", "a6"]
  sixty = [for i in range(60) : "p${i}"]
  fifty = [for i in range(50) : "p${i}"]
}

# The good twin of every rule: 5 LSIs (the most allowed), INCLUDE and
# KEYS_ONLY projections with matching non_key_attributes, distinct index keys,
# TTL on an attribute that is no key (its type is not declared: not judged).
resource "aws_dynamodb_table" "good" {
  name         = "good"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  attribute {
    name = "customer_id"
    type = "S"
  }
  attribute {
    name = "created_at"
    type = "N"
  }
  dynamic "attribute" {
    for_each = local.five
    content {
      name = attribute.value
      type = "S"
    }
  }
  global_secondary_index {
    name               = "by-customer"
    hash_key           = "customer_id"
    range_key          = "created_at"
    projection_type    = "INCLUDE"
    non_key_attributes = ["total", "currency"]
  }
  dynamic "local_secondary_index" {
    for_each = local.five
    content {
      name            = "by-${local_secondary_index.value}"
      range_key       = local_secondary_index.value
      projection_type = "KEYS_ONLY"
    }
  }
  ttl {
    enabled        = true
    attribute_name = "expires_at"
  }
}

# Unset on create: no ttl block (the plan shows it as known after apply), no
# index, no range key. Silent on every DDB3 rule.
resource "aws_dynamodb_table" "minimal" {
  name         = "minimal"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

# A restored table leaves hash_key unset (computed from the backup): silent.
resource "aws_dynamodb_table" "restored" {
  name                = "restored"
  billing_mode        = "PAY_PER_REQUEST"
  restore_source_name = "good"
}

# DDB304: six LSIs.
resource "aws_dynamodb_table" "six_lsis" {
  name         = "six-lsis"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  dynamic "attribute" {
    for_each = local.six
    content {
      name = attribute.value
      type = "S"
    }
  }
  dynamic "local_secondary_index" {
    for_each = local.six
    content {
      name            = "by-${local_secondary_index.value}"
      range_key       = local_secondary_index.value
      projection_type = "KEYS_ONLY"
    }
  }
}

# DDB305: 21 GSIs (the default quota is 20; the option max_gsis changes it).
resource "aws_dynamodb_table" "many_gsis" {
  name         = "many-gsis"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  dynamic "attribute" {
    for_each = range(21)
    content {
      name = "gsi${attribute.value}pk"
      type = "S"
    }
  }
  dynamic "global_secondary_index" {
    for_each = range(21)
    content {
      name            = "gsi${global_secondary_index.value}"
      hash_key        = "gsi${global_secondary_index.value}pk"
      projection_type = "KEYS_ONLY"
    }
  }
}

# DDB306: an LSI on a table without a sort key.
resource "aws_dynamodb_table" "lsi_no_sort_key" {
  name         = "lsi-no-sort-key"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "created_at"
    type = "N"
  }
  local_secondary_index {
    name            = "by-created"
    range_key       = "created_at"
    projection_type = "KEYS_ONLY"
  }
}

# DDB307: an LSI sorted by the table's own sort key (by-created); by-updated is its twin.
resource "aws_dynamodb_table" "lsi_same_sort" {
  name         = "lsi-same-sort"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "created_at"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "created_at"
    type = "N"
  }
  attribute {
    name = "updated_at"
    type = "N"
  }
  local_secondary_index {
    name            = "by-created"
    range_key       = "created_at"
    projection_type = "KEYS_ONLY"
  }
  local_secondary_index {
    name            = "by-updated"
    range_key       = "updated_at"
    projection_type = "KEYS_ONLY"
  }
}

# DDB308: INCLUDE without attributes (include-none) or with an empty list
# (include-empty), ALL with attributes (all-listed, also DDB311), an LSI
# KEYS_ONLY with attributes (keys-listed). include-ok is the twin.
resource "aws_dynamodb_table" "projections" {
  name         = "projections"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  attribute {
    name = "g1"
    type = "S"
  }
  attribute {
    name = "g2"
    type = "S"
  }
  attribute {
    name = "g3"
    type = "S"
  }
  attribute {
    name = "g4"
    type = "S"
  }
  attribute {
    name = "l1"
    type = "S"
  }
  global_secondary_index {
    name            = "include-none"
    hash_key        = "g1"
    projection_type = "INCLUDE"
  }
  global_secondary_index {
    name               = "include-empty"
    hash_key           = "g2"
    projection_type    = "INCLUDE"
    non_key_attributes = []
  }
  global_secondary_index {
    name               = "all-listed"
    hash_key           = "g3"
    projection_type    = "ALL"
    non_key_attributes = ["total"]
  }
  global_secondary_index {
    name               = "include-ok"
    hash_key           = "g4"
    projection_type    = "INCLUDE"
    non_key_attributes = ["total"]
  }
  local_secondary_index {
    name               = "keys-listed"
    range_key          = "l1"
    projection_type    = "KEYS_ONLY"
    non_key_attributes = ["total"]
  }
}

# DDB309: 60 + 50 projected attributes (the same names in both count twice).
resource "aws_dynamodb_table" "wide_projection" {
  name         = "wide-projection"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  attribute {
    name = "g1"
    type = "S"
  }
  attribute {
    name = "l1"
    type = "S"
  }
  global_secondary_index {
    name               = "sixty"
    hash_key           = "g1"
    projection_type    = "INCLUDE"
    non_key_attributes = local.sixty
  }
  local_secondary_index {
    name               = "fifty"
    range_key          = "l1"
    projection_type    = "INCLUDE"
    non_key_attributes = local.fifty
  }
}

# The DDB309 twin: 50 + 50, exactly the limit.
resource "aws_dynamodb_table" "projection_at_limit" {
  name         = "projection-at-limit"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "g1"
    type = "S"
  }
  attribute {
    name = "g2"
    type = "S"
  }
  global_secondary_index {
    name               = "fifty-a"
    hash_key           = "g1"
    projection_type    = "INCLUDE"
    non_key_attributes = local.fifty
  }
  global_secondary_index {
    name               = "fifty-b"
    hash_key           = "g2"
    projection_type    = "INCLUDE"
    non_key_attributes = local.fifty
  }
}

# DDB310 on by-order-status, by-orderStatus, by-is-active, by-kebab; silent on
# by-statement (statement_id) and overloaded (gsi1pk); the LSI is not judged.
# DDB311 on by-order-status (ALL); the others are KEYS_ONLY.
resource "aws_dynamodb_table" "low_cardinality" {
  name         = "low-cardinality"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  attribute {
    name = "order_status"
    type = "S"
  }
  attribute {
    name = "orderStatus"
    type = "S"
  }
  attribute {
    name = "is_active"
    type = "N"
  }
  attribute {
    name = "account-type"
    type = "S"
  }
  attribute {
    name = "statement_id"
    type = "S"
  }
  attribute {
    name = "gsi1pk"
    type = "S"
  }
  attribute {
    name = "state"
    type = "S"
  }
  global_secondary_index {
    name            = "by-order-status"
    hash_key        = "order_status"
    range_key       = "sk"
    projection_type = "ALL"
  }
  global_secondary_index {
    name            = "by-orderStatus"
    hash_key        = "orderStatus"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name            = "by-is-active"
    hash_key        = "is_active"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name            = "by-kebab"
    hash_key        = "account-type"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name            = "by-statement"
    hash_key        = "statement_id"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name            = "overloaded"
    hash_key        = "gsi1pk"
    range_key       = "sk"
    projection_type = "KEYS_ONLY"
  }
  local_secondary_index {
    name            = "by-state"
    range_key       = "state"
    projection_type = "KEYS_ONLY"
  }
}

# DDB312 (warning): same-as-table repeats the table key; twin-a and twin-b
# share a key pair; two indexes are named "dup". by-email is the twin.
resource "aws_dynamodb_table" "duplicate_indexes" {
  name         = "duplicate-indexes"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  attribute {
    name = "email"
    type = "S"
  }
  attribute {
    name = "owner_id"
    type = "S"
  }
  attribute {
    name = "team_id"
    type = "S"
  }
  attribute {
    name = "region_code"
    type = "S"
  }
  global_secondary_index {
    name            = "same-as-table"
    hash_key        = "pk"
    range_key       = "sk"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name            = "twin-a"
    hash_key        = "owner_id"
    range_key       = "sk"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name               = "twin-b"
    hash_key           = "owner_id"
    range_key          = "sk"
    projection_type    = "INCLUDE"
    non_key_attributes = ["total"]
  }
  global_secondary_index {
    name            = "dup"
    hash_key        = "team_id"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name            = "dup"
    hash_key        = "region_code"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name            = "by-email"
    hash_key        = "email"
    projection_type = "KEYS_ONLY"
  }
}

# DDB312 (error): the table's and an index's range_key repeat their hash_key.
resource "aws_dynamodb_table" "key_twice" {
  name         = "key-twice"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "owner_id"
    type = "S"
  }
  global_secondary_index {
    name            = "by-owner"
    hash_key        = "owner_id"
    range_key       = "owner_id"
    projection_type = "KEYS_ONLY"
  }
}

# DDB313: TTL on a sort key declared as a string.
resource "aws_dynamodb_table" "ttl_on_string" {
  name         = "ttl-on-string"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "expires"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "expires"
    type = "S"
  }
  ttl {
    enabled        = true
    attribute_name = "expires"
  }
}

# DDB313 twins: TTL on a Number sort key; TTL on a string key but disabled.
resource "aws_dynamodb_table" "ttl_on_number" {
  name         = "ttl-on-number"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "expires"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "expires"
    type = "N"
  }
  ttl {
    enabled        = true
    attribute_name = "expires"
  }
}

resource "aws_dynamodb_table" "ttl_off" {
  name         = "ttl-off"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  ttl {
    enabled        = false
    attribute_name = "pk"
  }
}

# DDB313 known only after apply: TTL on a string key, enabled by an unknown flag.
resource "aws_dynamodb_table" "ttl_later" {
  name         = "ttl-later"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  ttl {
    enabled        = local.later_flag
    attribute_name = "pk"
  }
}

# DDB315: a 33-character key name (over 32); the 32-character one is its twin.
resource "aws_dynamodb_table" "long_names" {
  name         = "long-names"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "customer_account_identifier_12345"
  range_key    = "customer_account_identifier_1234"
  attribute {
    name = "customer_account_identifier_12345"
    type = "S"
  }
  attribute {
    name = "customer_account_identifier_1234"
    type = "S"
  }
}

# Known only after apply: the table's range_key (so the LSI check, DDB306/307,
# and the GSI-equals-table check, DDB312, cannot decide), the sort key's type
# (DDB313 on it), the GSI's projection and attributes (DDB308/309/311).
resource "aws_dynamodb_table" "decided_later" {
  name         = "decided-later"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = local.later_sort_key
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = local.later_type
  }
  attribute {
    name = "gpk"
    type = "S"
  }
  global_secondary_index {
    name               = "by-gpk"
    hash_key           = "gpk"
    range_key          = "sk"
    projection_type    = local.later_projection
    non_key_attributes = local.later_attributes
  }
  local_secondary_index {
    name            = "by-sk"
    range_key       = "sk"
    projection_type = "KEYS_ONLY"
  }
  ttl {
    enabled        = true
    attribute_name = "sk"
  }
}

# Not a DynamoDB table: never judged, whatever its fields look like.
resource "aws_dynamodb_table_item" "lookalike" {
  table_name = aws_dynamodb_table.minimal.name
  hash_key   = "id"
  item       = jsonencode({ id = { S = "status" } })
}

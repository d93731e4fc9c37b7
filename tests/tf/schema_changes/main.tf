# Planned against the state of before/: DDB314 (a GSI rebuilt under its own name).

resource "aws_sqs_queue" "marker" {
  name = "schema-changes-marker"
}

locals {
  keys = ["pk", "customer_id", "updated_at", "state", "order_date", "email", "owner_id", "sk", "added_key"]
  # KEYS_ONLY, but only known after apply (the queue is created in this plan).
  later_projection = aws_sqs_queue.marker.arn != "" ? "KEYS_ONLY" : "KEYS_ONLY"
}

# DDB314 on by-customer (range_key), by-status (hash_key), by-date (projection),
# by-email (non_key_attributes) and by-owner (a range_key added); silent on
# steady (unchanged), removed (gone) and added (new).
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  dynamic "attribute" {
    for_each = local.keys
    content {
      name = attribute.value
      type = "S"
    }
  }
  global_secondary_index {
    name            = "by-customer"
    hash_key        = "customer_id"
    range_key       = "updated_at"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name            = "by-status"
    hash_key        = "state"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name               = "by-date"
    hash_key           = "order_date"
    projection_type    = "INCLUDE"
    non_key_attributes = ["total"]
  }
  global_secondary_index {
    name               = "by-email"
    hash_key           = "email"
    projection_type    = "INCLUDE"
    non_key_attributes = ["total", "currency"]
  }
  global_secondary_index {
    name            = "by-owner"
    hash_key        = "owner_id"
    range_key       = "sk"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name               = "steady"
    hash_key           = "customer_id"
    range_key          = "sk"
    projection_type    = "INCLUDE"
    non_key_attributes = ["currency", "total"]
  }
  global_secondary_index {
    name            = "added"
    hash_key        = "added_key"
    projection_type = "KEYS_ONLY"
  }
}

# The twin: only the GSI's capacity changes, which is updated in place.
resource "aws_dynamodb_table" "provisioned" {
  name           = "provisioned"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "gpk"
    type = "S"
  }
  global_secondary_index {
    name            = "by-gpk"
    hash_key        = "gpk"
    projection_type = "KEYS_ONLY"
    read_capacity   = 10
    write_capacity  = 10
  }
}

# The new projection is known only after apply: silent.
resource "aws_dynamodb_table" "decided_later" {
  name         = "decided-later"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "gpk"
    type = "S"
  }
  global_secondary_index {
    name            = "by-gpk"
    hash_key        = "gpk"
    projection_type = local.later_projection
  }
}

# The sort key changes, so the table is replaced: DDB105's finding, not DDB314's.
resource "aws_dynamodb_table" "replaced" {
  name         = "replaced"
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
    name = "gpk"
    type = "S"
  }
  global_secondary_index {
    name            = "by-gpk"
    hash_key        = "gpk"
    projection_type = "ALL"
  }
}

# A renamed index is a new index (and the old one is dropped), not one rebuilt
# under its own name: silent.
resource "aws_dynamodb_table" "renamed_index" {
  name         = "renamed-index"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "gpk"
    type = "S"
  }
  global_secondary_index {
    name            = "new-name"
    hash_key        = "gpk"
    projection_type = "KEYS_ONLY"
  }
}

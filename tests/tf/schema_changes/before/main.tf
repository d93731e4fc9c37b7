# The configuration already applied: scripts/terraform_plans.py turns its plan
# into the prior state against which ../main.tf is planned.

locals {
  keys = ["pk", "customer_id", "created_at", "status", "order_date", "email", "owner_id", "sk", "team_id"]
}

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
    range_key       = "created_at"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name            = "by-status"
    hash_key        = "status"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name            = "by-date"
    hash_key        = "order_date"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name               = "by-email"
    hash_key           = "email"
    projection_type    = "INCLUDE"
    non_key_attributes = ["total"]
  }
  global_secondary_index {
    name            = "by-owner"
    hash_key        = "owner_id"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name            = "steady"
    hash_key        = "customer_id"
    range_key       = "sk"
    projection_type = "INCLUDE"
    non_key_attributes = ["total", "currency"]
  }
  global_secondary_index {
    name            = "removed"
    hash_key        = "team_id"
    projection_type = "KEYS_ONLY"
  }
}

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
    read_capacity   = 5
    write_capacity  = 5
  }
}

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
    projection_type = "KEYS_ONLY"
  }
}

resource "aws_dynamodb_table" "replaced" {
  name         = "replaced"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "ts"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "ts"
    type = "N"
  }
  attribute {
    name = "gpk"
    type = "S"
  }
  global_secondary_index {
    name            = "by-gpk"
    hash_key        = "gpk"
    projection_type = "KEYS_ONLY"
  }
}

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
    name            = "old-name"
    hash_key        = "gpk"
    projection_type = "KEYS_ONLY"
  }
}

# What is already deployed. The plan of ../main.tf against it deletes,
# replaces and weakens these tables.

resource "aws_kms_key" "old" {
  description         = "previous table key"
  enable_key_rotation = true
}

resource "aws_kms_key" "new" {
  description         = "new table key"
  enable_key_rotation = true
}

resource "aws_dynamodb_table" "sessions" {
  name         = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_dynamodb_table" "users" {
  name         = "users"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  range_key    = "ts"
  attribute {
    name = "id"
    type = "S"
  }
  attribute {
    name = "ts"
    type = "N"
  }
}

resource "aws_dynamodb_table" "payments" {
  name                        = "payments"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = true
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.old.arn
  }
}

resource "aws_dynamodb_table" "ledger" {
  name                        = "ledger"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = true
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "id"
    type = "S"
  }
  attribute {
    name = "merchant"
    type = "S"
  }
  global_secondary_index {
    name            = "by-merchant"
    hash_key        = "merchant"
    projection_type = "KEYS_ONLY"
  }
  point_in_time_recovery {
    enabled = true
  }
  replica {
    region_name            = "eu-west-1"
    point_in_time_recovery = true
  }
}

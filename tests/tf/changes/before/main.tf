# The configuration already applied: scripts/terraform_plans.py turns its plan
# into the prior state against which ../main.tf is planned.

resource "aws_kms_key" "old" {
  description         = "old table key"
  enable_key_rotation = true
}

resource "aws_kms_key" "new" {
  description         = "new table key"
  enable_key_rotation = true
}

resource "aws_kms_key" "recreated" {
  description              = "replaced in the next plan"
  enable_key_rotation      = true
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  multi_region             = false
}

resource "aws_dynamodb_table" "sessions" {
  name                        = "sessions"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = true
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

resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = true
  attribute {
    name = "pk"
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

resource "aws_dynamodb_table" "steady" {
  name                        = "steady"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = true
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.old.arn
  }
  tags = {
    Team = "a"
  }
}

resource "aws_dynamodb_table" "follows_new_key" {
  name                        = "follows-new-key"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = true
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.recreated.arn
  }
}

# Unchanged by the plan (no-op), and unprotected: --changed-only leaves it out.
resource "aws_dynamodb_table" "untouched" {
  name         = "untouched"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# Planned against the state of before/: change rules DDB104-DDB106 and DDB202.

resource "aws_kms_key" "old" {
  description         = "old table key"
  enable_key_rotation = true
}

resource "aws_kms_key" "new" {
  description         = "new table key"
  enable_key_rotation = true
}

# multi_region forces a new key: its ARN is known only after apply.
resource "aws_kms_key" "recreated" {
  description              = "replaced in the next plan"
  enable_key_rotation      = true
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  multi_region             = true
}

# DDB104: aws_dynamodb_table.sessions is gone from the configuration.

# DDB105: the sort key changes, which forces a new table.
resource "aws_dynamodb_table" "users" {
  name         = "users"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  range_key    = "sk"
  attribute {
    name = "id"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
}

# DDB106 twice (protection and PITR turned off) and DDB202 (new key).
resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = false
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = false
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.new.arn
  }
}

# The twin: a tags-only update is no risky change.
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
    Team = "b"
  }
}

# DDB202 with a key known only after apply (its key is replaced in this plan).
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

# The workflow case (config, baseline, --changed-only, CI formats, the
# pre-commit hook): a plan that mixes every action, planned against before/.
# edited/ is the same configuration after an unrelated edit, for the baseline.

resource "aws_kms_key" "tables" {
  description             = "workflow tables"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

# no-op: old debt (DDB101, DDB103, DDB201) that --changed-only leaves out.
resource "aws_dynamodb_table" "legacy" {
  name         = "legacy"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# update (tags only): the same debt, but the plan touches it.
resource "aws_dynamodb_table" "tweaked" {
  name         = "tweaked"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  tags = {
    Team = "b"
  }
}

# delete: aws_dynamodb_table.doomed is gone from the configuration (DDB104).

# replace: the partition key changes (DDB105), plus DDB101, DDB103, DDB201.
resource "aws_dynamodb_table" "rekeyed" {
  name         = "rekeyed"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# create: a new table without backups (DDB101, DDB103, DDB201).
resource "aws_dynamodb_table" "fresh" {
  name         = "fresh"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# no-op, with backups, protection and its own key: DDB101, DDB103, DDB201 pass.
resource "aws_dynamodb_table" "good" {
  name                        = "good"
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
    kms_key_arn = aws_kms_key.tables.arn
  }
}

# create, in a module with for_each keys: findings the config ignores by glob.
module "sandbox" {
  source = "./modules/sandbox"
  names  = ["a", "b"]
}

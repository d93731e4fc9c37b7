# ../main.tf after an edit unrelated to its findings: blocks reordered and
# re-indented, a tag value changed on tweaked, a new queue, and one new bad
# table (newcomer). A baseline of ../plan.json must still match
# every old finding here, and report only newcomer's as new.

module "sandbox" {
  source = "./modules/sandbox"
  names  = ["a", "b"]
}

resource "aws_sqs_queue" "events" {
  name = "workflow-events"
}

# new: DDB101, DDB103, DDB201.
resource "aws_dynamodb_table" "newcomer" {
  name         = "newcomer"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "good" {
  name = "good"
  billing_mode = "PAY_PER_REQUEST"
  hash_key = "pk"
  deletion_protection_enabled = true
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled = true
    kms_key_arn = aws_kms_key.tables.arn
  }
}

resource "aws_dynamodb_table" "fresh" {
  name = "fresh"
  billing_mode = "PAY_PER_REQUEST"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "rekeyed" {
  name = "rekeyed"
  billing_mode = "PAY_PER_REQUEST"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "tweaked" {
  name = "tweaked"
  billing_mode = "PAY_PER_REQUEST"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  tags = {
    Team = "c"
  }
}

resource "aws_dynamodb_table" "legacy" {
  name = "legacy"
  billing_mode = "PAY_PER_REQUEST"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_kms_key" "tables" {
  description             = "workflow tables"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

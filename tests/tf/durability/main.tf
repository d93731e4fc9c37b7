# Durability rules (DDB101-DDB103): each bad table has a good twin, and an
# "unknown" twin whose setting is known only after apply (it depends on a
# resource created in the same plan), on which the rules stay silent.

resource "aws_sqs_queue" "marker" {
  name = "durability-marker"
}

locals {
  # true, but only known after apply
  known_later = aws_sqs_queue.marker.arn != ""
}

# DDB101 + DDB103: no point_in_time_recovery block, no deletion protection.
resource "aws_dynamodb_table" "unprotected" {
  name         = "unprotected"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# DDB101: PITR written out and disabled.
resource "aws_dynamodb_table" "pitr_off" {
  name                        = "pitr-off"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = true
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = false
  }
}

# The good twin.
resource "aws_dynamodb_table" "protected" {
  name                        = "protected"
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
}

# Known only after apply: silent.
resource "aws_dynamodb_table" "decided_later" {
  name                        = "decided-later"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = local.known_later
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = local.known_later
  }
}

# DDB102: PITR on the table, not on the eu-west-1 replica.
resource "aws_dynamodb_table" "global" {
  name                        = "global"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = true
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  replica {
    region_name = "eu-west-1"
  }
  replica {
    region_name            = "us-west-2"
    point_in_time_recovery = true
  }
  replica {
    region_name            = "ap-south-1"
    point_in_time_recovery = local.known_later
  }
}

# DDB102 on a standalone replica of a table with PITR on, found by reference ...
resource "aws_dynamodb_table_replica" "by_reference" {
  global_table_arn = aws_dynamodb_table.protected.arn
}

# ... and by a literal ARN.
resource "aws_dynamodb_table_replica" "by_arn" {
  global_table_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/global"
}

# Its good twin.
resource "aws_dynamodb_table_replica" "with_pitr" {
  global_table_arn       = aws_dynamodb_table.protected.arn
  point_in_time_recovery = true
}

# The table it replicates has PITR off: DDB101 reports the table, DDB102 stays silent.
resource "aws_dynamodb_table_replica" "of_unprotected" {
  global_table_arn = aws_dynamodb_table.unprotected.arn
}

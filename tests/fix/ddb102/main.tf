# DDB102: replicas without PITR, on a table that has it.
resource "aws_dynamodb_table" "global" {
  name             = "global"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  # A one-line replica block is written out over several lines.
  replica { region_name = "eu-west-1" }
  replica {
    region_name = "eu-central-1"
  }
  replica {
    region_name            = "ap-southeast-2"
    point_in_time_recovery = false
  }
}

# A standalone replica of another table.
resource "aws_dynamodb_table" "source" {
  name             = "source"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_dynamodb_table_replica" "west" {
  global_table_arn = aws_dynamodb_table.source.arn
}

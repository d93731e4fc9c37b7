# The configuration already applied: scripts/terraform_plans.py turns its plan
# into the prior state against which ../main.tf is planned.

resource "aws_dynamodb_table" "global_off" {
  name             = "global-off"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
}

resource "aws_dynamodb_table" "global_view" {
  name             = "global-view"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
}

resource "aws_dynamodb_table" "gaining_replica" {
  name             = "gaining-replica"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "KEYS_ONLY"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "dropping_replicas" {
  name             = "dropping-replicas"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
}

resource "aws_dynamodb_table" "plain_view" {
  name             = "plain-view"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "stream_dropped" {
  name             = "stream-dropped"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "global_steady" {
  name             = "global-steady"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
  tags = {
    Team = "a"
  }
}

resource "aws_dynamodb_table" "global_later" {
  name             = "global-later"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
}

resource "aws_dynamodb_table" "replicated_separately" {
  name             = "replicated-separately"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table_replica" "separate" {
  provider         = aws.west
  global_table_arn = aws_dynamodb_table.replicated_separately.arn
}

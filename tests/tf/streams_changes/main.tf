# Planned against the state of before/: the change rule DDB503 (stream settings
# of a table with replicas). Every table in before/ streams; the comments say
# what each one had.

# Created in this plan: its ARN is known only after apply.
resource "aws_sqs_queue" "marker" {
  name = "streams-changes-marker"
}

locals {
  known_later = aws_sqs_queue.marker.arn != ""
}

# DDB503: the stream of a table with a replica is turned off (was NEW_AND_OLD_IMAGES).
resource "aws_dynamodb_table" "global_off" {
  name             = "global-off"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = false
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
}

# DDB503: the view type of a table with a replica changes (was NEW_AND_OLD_IMAGES).
resource "aws_dynamodb_table" "global_view" {
  name             = "global-view"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
}

# DDB503: a replica is added while the view type changes (was KEYS_ONLY, no replica).
resource "aws_dynamodb_table" "gaining_replica" {
  name             = "gaining-replica"
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

# DDB503: the replica is removed and the stream turned off in the same apply
# (was NEW_AND_OLD_IMAGES with a replica).
resource "aws_dynamodb_table" "dropping_replicas" {
  name           = "dropping-replicas"
  billing_mode   = "PAY_PER_REQUEST"
  hash_key       = "pk"
  stream_enabled = false
  attribute {
    name = "pk"
    type = "S"
  }
}

# DDB503 through a standalone aws_dynamodb_table_replica (was NEW_AND_OLD_IMAGES).
resource "aws_dynamodb_table" "replicated_separately" {
  name             = "replicated-separately"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "KEYS_ONLY"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table_replica" "separate" {
  provider         = aws.west
  global_table_arn = aws_dynamodb_table.replicated_separately.arn
}

# Silent: a view type change on a table without replicas (was NEW_IMAGE).
resource "aws_dynamodb_table" "plain_view" {
  name             = "plain-view"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "KEYS_ONLY"
  attribute {
    name = "pk"
    type = "S"
  }
}

# Silent on DDB501: the stream is turned off and the view type left out of the
# configuration; the plan still shows the prior NEW_IMAGE (Optional+Computed).
resource "aws_dynamodb_table" "stream_dropped" {
  name           = "stream-dropped"
  billing_mode   = "PAY_PER_REQUEST"
  hash_key       = "pk"
  stream_enabled = false
  attribute {
    name = "pk"
    type = "S"
  }
}

# Silent: a tags-only update of a table with a replica (was Team = "a").
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
    Team = "b"
  }
}

# Silent: the new settings are known only after apply (was NEW_AND_OLD_IMAGES).
# The provider rejects stream_enabled = true with a view type not known at plan.
resource "aws_dynamodb_table" "global_later" {
  name             = "global-later"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = local.known_later
  stream_view_type = local.known_later ? "NEW_AND_OLD_IMAGES" : "NEW_IMAGE"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
}

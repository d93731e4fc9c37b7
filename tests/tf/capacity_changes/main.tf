# Planned against the state of before/: DDB408 (billing mode switched), and
# DDB403 on what a switch to on-demand leaves behind.

resource "aws_sqs_queue" "marker" {
  name = "capacity-changes-marker"
}

locals {
  # true, but only known after apply (the queue is new in this plan)
  known_later = aws_sqs_queue.marker.arn != ""
}

# DDB408: provisioned to on-demand. The GSI capacity the configuration no
# longer writes stays in the state (the provider computes it): DDB403 must not
# blame the table for it.
resource "aws_dynamodb_table" "to_on_demand" {
  name         = "to-on-demand"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "g"
    type = "S"
  }
  global_secondary_index {
    name            = "by_g"
    hash_key        = "g"
    projection_type = "KEYS_ONLY"
  }
}

# DDB403: the autoscaling target of the table stays behind after the switch.
resource "aws_appautoscaling_target" "to_on_demand_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.to_on_demand.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

# DDB408: on-demand to provisioned.
resource "aws_dynamodb_table" "to_provisioned" {
  name           = "to-provisioned"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# DDB408: billing_mode was unset (PROVISIONED), now on-demand.
resource "aws_dynamodb_table" "default_to_on_demand" {
  name         = "default-to-on-demand"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# The twin: a tags-only update keeps the billing mode.
resource "aws_dynamodb_table" "steady" {
  name         = "steady"
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

# The new billing mode is known only after apply: DDB408 silent.
resource "aws_dynamodb_table" "decided_later" {
  name           = "decided-later"
  billing_mode   = local.known_later ? "PROVISIONED" : "PAY_PER_REQUEST"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# A new name replaces the table: DDB105's business, not DDB408's.
resource "aws_dynamodb_table" "renamed" {
  name           = "renamed-new"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

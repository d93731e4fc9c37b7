# YAML and Python custom rules (tests/test_yaml_rules.py, tests/test_custom_rules.py).
# Each table holds values the tests compare against: tags, table class, capacity,
# indexes, PITR; "later" holds the same settings known only after apply, "secret"
# a sensitive tag. Alarms and KMS keys name tables by reference and by literal name.

resource "aws_sqs_queue" "marker" {
  name = "custom-marker"
}

locals {
  # true, but only known after apply
  known_later = aws_sqs_queue.marker.arn != ""
}

variable "secret_cost_center" {
  type      = string
  sensitive = true
  default   = "cc-hidden"
}

resource "aws_kms_key" "tables" {
  description         = "tables"
  enable_key_rotation = true
}

# Everything a house rule wants: tags (one with a dot in its key), PITR, a CMK,
# two GSIs (KEYS_ONLY and INCLUDE), provisioned capacity 50/25, a stream.
resource "aws_dynamodb_table" "orders" {
  name             = "prod-orders"
  billing_mode     = "PROVISIONED"
  read_capacity    = 50
  write_capacity   = 25
  hash_key         = "pk"
  range_key        = "sk"
  table_class      = "STANDARD"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  attribute {
    name = "customer"
    type = "S"
  }
  global_secondary_index {
    name            = "by-customer"
    hash_key        = "customer"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }
  global_secondary_index {
    name               = "by-customer-sk"
    hash_key           = "customer"
    range_key          = "sk"
    projection_type    = "INCLUDE"
    non_key_attributes = ["total"]
    read_capacity      = 5
    write_capacity     = 5
  }
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.tables.arn
  }
  tags = {
    CostCenter  = "cc-1234"
    Environment = "prod"
    "team.name" = "orders"
  }
}

# The bad twin: no tags of its own, infrequent-access class, PITR off, 5/5 capacity, no index.
resource "aws_dynamodb_table" "scratch" {
  name           = "scratch"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  table_class    = "STANDARD_INFREQUENT_ACCESS"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = false
  }
  tags = {
    Environment = "prod"
  }
}

# Left to defaults: no table_class, no PITR block, no tags, on demand (absent, not unknown).
resource "aws_dynamodb_table" "bare" {
  name         = "bare"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# Known only after apply: every rule that reads these stays silent.
resource "aws_dynamodb_table" "later" {
  name           = "later"
  billing_mode   = "PROVISIONED"
  read_capacity  = 10
  write_capacity = 5
  hash_key       = "pk"
  table_class    = local.known_later ? "STANDARD" : "STANDARD_INFREQUENT_ACCESS"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled                 = local.known_later
    recovery_period_in_days = local.known_later ? 35 : 7
  }
  tags = {
    CostCenter  = aws_sqs_queue.marker.arn
    Environment = local.known_later ? "prod" : "dev"
  }
}

# A sensitive tag value: rules that read it stay silent, and no message shows it.
resource "aws_dynamodb_table" "secret" {
  name         = "secret"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  tags = {
    CostCenter = var.secret_cost_center
  }
}

resource "aws_sns_topic" "oncall" {
  name = "oncall"
}

# connected, by reference: an alarm on prod-orders with an action.
resource "aws_cloudwatch_metric_alarm" "orders_throttles" {
  alarm_name          = "orders-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  dimensions          = { TableName = aws_dynamodb_table.orders.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.oncall.arn]
}

# connected, by literal table name: an alarm on "scratch", with no action.
resource "aws_cloudwatch_metric_alarm" "scratch_throttles" {
  alarm_name          = "scratch-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "WriteThrottleEvents"
  dimensions          = { TableName = "scratch" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
}

# connected, by literal table name: an alarm on "bare", with an action.
resource "aws_cloudwatch_metric_alarm" "bare_errors" {
  alarm_name          = "bare-errors"
  namespace           = "AWS/DynamoDB"
  metric_name         = "SystemErrors"
  dimensions          = { TableName = "bare" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = ["arn:aws:sns:us-east-1:123456789012:oncall"]
}

# connected, whose condition is known only after apply: an alarm on "later".
resource "aws_cloudwatch_metric_alarm" "later_throttles" {
  alarm_name          = "later-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  dimensions          = { TableName = aws_dynamodb_table.later.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sqs_queue.marker.arn]
}

# address globs: module.payments.aws_dynamodb_table.this (with a CMK),
# module.ledger.aws_dynamodb_table.this (without).
module "payments" {
  source      = "./modules/table"
  name        = "payments"
  kms_key_arn = aws_kms_key.tables.arn
}

module "ledger" {
  source = "./modules/table"
  name   = "ledger"
}

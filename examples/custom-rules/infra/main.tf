# The infrastructure the house rules in ../rules apply to (see the README's "Custom rules").
# Every resource is in the prod account: the provider's default_tags say Environment = "prod".

resource "aws_sns_topic" "oncall" {
  name = "oncall"
}

# ACME101: module.payments["cards"] has a rotating key of its own. Reported:
# module.payments["ledger"] keeps the AWS-owned key, and the key of
# module.payments["refunds"] never rotates.
module "payments" {
  source = "./modules/table"
  for_each = {
    cards   = { own_key = true, rotate_key = true }
    ledger  = { own_key = false, rotate_key = false }
    refunds = { own_key = true, rotate_key = false }
  }

  name            = "payments-${each.key}"
  own_key         = each.value.own_key
  rotate_key      = each.value.rotate_key
  alarm_topic_arn = aws_sns_topic.oncall.arn
}

# Compliant: tagged, and watched by an alarm (by reference) that pages someone.
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
  tags = {
    CostCenter = "cc-orders"
  }
}

resource "aws_cloudwatch_metric_alarm" "orders_throttles" {
  alarm_name          = "orders-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  dimensions          = { TableName = aws_dynamodb_table.orders.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.oncall.arn]
}

# ACME001: no CostCenter tag. ACME002: its only alarm names the table by its literal
# name and notifies nobody.
resource "aws_dynamodb_table" "sessions" {
  name                        = "sessions"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = true
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }
}

resource "aws_cloudwatch_metric_alarm" "sessions_throttles" {
  alarm_name          = "sessions-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  dimensions          = { TableName = "sessions" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
}

# A load-test table outside prod: ACME002 does not apply, and its missing cost center is
# accepted inline.
# dynalint:ignore=ACME001 load-test data, deleted after each run
resource "aws_dynamodb_table" "load_test" {
  name         = "load-test"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  tags = {
    Environment = "test"
  }
}

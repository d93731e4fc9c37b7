# One table with its key schema from variables: the range key attribute comes
# from a dynamic block only when there is a range key.

# dynalint:ignore=DDB101 sessions are rebuilt from the identity provider after a restore
resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = var.hash_key
  range_key                   = var.range_key
  deletion_protection_enabled = true

  attribute {
    name = var.hash_key
    type = "S"
  }

  dynamic "attribute" {
    for_each = var.range_key == null ? [] : [var.range_key]
    content {
      name = attribute.value
      type = "S"
    }
  }

  point_in_time_recovery {
    enabled = var.pitr
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  tags = var.tags
}

# DDB701 and DDB702 stay silent on the module's tables: one alarm per throttle
# metric (for_each inside each module instance), each notifying the team's topic.
resource "aws_cloudwatch_metric_alarm" "throttles" {
  for_each            = toset(["ReadThrottleEvents", "WriteThrottleEvents"])
  alarm_name          = "${var.name}-${lower(each.key)}"
  namespace           = "AWS/DynamoDB"
  metric_name         = each.key
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [var.alarm_topic_arn]
  dimensions = {
    TableName = aws_dynamodb_table.this.name
  }
}

# A payments table with its own KMS key (unless own_key = false) and its throttle alarm.
variable "name" {
  type = string
}

variable "own_key" {
  type    = bool
  default = true
}

variable "rotate_key" {
  type    = bool
  default = true
}

variable "alarm_topic_arn" {
  type = string
}

resource "aws_kms_key" "this" {
  count               = var.own_key ? 1 : 0
  description         = "${var.name} table"
  enable_key_rotation = var.rotate_key
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
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
  # Without a key of its own, the table keeps the AWS-owned key.
  server_side_encryption {
    enabled     = var.own_key
    kms_key_arn = var.own_key ? aws_kms_key.this[0].arn : null
  }
  tags = {
    CostCenter = "cc-payments"
  }
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  alarm_name          = "${var.name}-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "WriteThrottleEvents"
  dimensions          = { TableName = aws_dynamodb_table.this.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [var.alarm_topic_arn]
}

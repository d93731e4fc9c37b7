# A team's reusable DynamoDB table: protected, encrypted with the given key,
# alarmed, and autoscaled when provisioned.

variable "name" {
  type = string
}

variable "hash_key" {
  type = string
}

variable "range_key" {
  type    = string
  default = null
}

variable "billing_mode" {
  type    = string
  default = "PAY_PER_REQUEST"
}

variable "capacity" {
  type    = object({ read = number, write = number, max = number })
  default = { read = 5, write = 5, max = 100 }
}

variable "kms_key_arn" {
  type = string
}

variable "alarm_topic_arn" {
  type = string
}

variable "tags" {
  type    = map(string)
  default = {}
}

locals {
  provisioned = var.billing_mode == "PROVISIONED"
  dimensions = {
    read  = { dimension = "dynamodb:table:ReadCapacityUnits", metric = "DynamoDBReadCapacityUtilization", min = var.capacity.read }
    write = { dimension = "dynamodb:table:WriteCapacityUnits", metric = "DynamoDBWriteCapacityUtilization", min = var.capacity.write }
  }
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = var.billing_mode
  read_capacity               = local.provisioned ? var.capacity.read : null
  write_capacity              = local.provisioned ? var.capacity.write : null
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
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}

resource "aws_appautoscaling_target" "this" {
  for_each           = local.provisioned ? local.dimensions : {}
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.this.name}"
  scalable_dimension = each.value.dimension
  min_capacity       = each.value.min
  max_capacity       = var.capacity.max
}

resource "aws_appautoscaling_policy" "this" {
  for_each           = aws_appautoscaling_target.this
  name               = "${var.name}-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = each.value.service_namespace
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = local.dimensions[each.key].metric
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  count               = 2
  alarm_name          = "${var.name}-${count.index == 0 ? "read" : "write"}-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = count.index == 0 ? "ReadThrottleEvents" : "WriteThrottleEvents"
  dimensions          = { TableName = aws_dynamodb_table.this.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [var.alarm_topic_arn]
}

resource "aws_dynamodb_contributor_insights" "this" {
  table_name = aws_dynamodb_table.this.name
}

output "table_arn" {
  value = aws_dynamodb_table.this.arn
}

output "table_name" {
  value = aws_dynamodb_table.this.name
}

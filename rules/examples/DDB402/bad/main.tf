resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  billing_mode                = "PROVISIONED"
  hash_key                    = "pk"
  deletion_protection_enabled = true
  read_capacity               = 5
  write_capacity              = 5

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "customer_id"
    type = "S"
  }

  global_secondary_index {
    name            = "by-customer"
    hash_key        = "customer_id"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.orders.arn
  }

  tags = {
    Team = "orders"
  }

  lifecycle {
    ignore_changes = [read_capacity, write_capacity]
  }
}

locals {
  scaled = {
    table_read = {
      resource_id = "table/${aws_dynamodb_table.orders.name}"
      dimension   = "dynamodb:table:ReadCapacityUnits"
      metric      = "DynamoDBReadCapacityUtilization"
      min         = 5
      max         = 200
    }
    table_write = {
      resource_id = "table/${aws_dynamodb_table.orders.name}"
      dimension   = "dynamodb:table:WriteCapacityUnits"
      metric      = "DynamoDBWriteCapacityUtilization"
      min         = 5
      max         = 200
    }
  }
}

resource "aws_appautoscaling_target" "orders" {
  for_each           = local.scaled
  service_namespace  = "dynamodb"
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.dimension
  min_capacity       = each.value.min
  max_capacity       = each.value.max
}

resource "aws_appautoscaling_policy" "orders" {
  for_each           = local.scaled
  name               = "orders-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.orders[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.orders[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.orders[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = 70
    scale_out_cooldown = 60
    scale_in_cooldown  = 300
    predefined_metric_specification {
      predefined_metric_type = each.value.metric
    }
  }
}

resource "aws_kms_key" "orders" {
  description         = "Encrypts the orders table"
  enable_key_rotation = true
}

resource "aws_dynamodb_contributor_insights" "orders" {
  table_name = aws_dynamodb_table.orders.name
}

resource "aws_cloudwatch_metric_alarm" "orders_throttled" {
  for_each            = toset(["ReadThrottleEvents", "WriteThrottleEvents"])
  alarm_name          = "orders-${each.key}"
  namespace           = "AWS/DynamoDB"
  metric_name         = each.key
  dimensions          = { TableName = aws_dynamodb_table.orders.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [aws_sns_topic.oncall.arn]
}

resource "aws_sns_topic" "oncall" {
  name = "orders-oncall"
}

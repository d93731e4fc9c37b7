# Real-world input shapes (tests/test_robust.py): this configuration is planned as usual
# (plan.json), and make_variants.py also writes, with real terraform:
#   plan-target.json  `terraform plan -target=aws_dynamodb_table.orders`: the table and the key it
#                     names only; the alarm, the autoscaling and the queue are left out of the plan
#   state.json        `terraform show -json` of a terraform.tfstate made from this plan (the state
#                     builder of scripts/terraform_plans.py): a state, not a plan
# Findings: DDB101/DDB103 on orders (no PITR, no deletion protection), DDB203 on its key (no rotation).

resource "aws_kms_key" "tables" {
  description = "tables"
}

resource "aws_dynamodb_table" "orders" {
  name           = "orders"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.tables.arn
  }
  tags = {
    Team = "orders"
  }
}

resource "aws_appautoscaling_target" "orders_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.orders.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "orders_read" {
  name               = "orders-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.orders_read.service_namespace
  resource_id        = aws_appautoscaling_target.orders_read.resource_id
  scalable_dimension = aws_appautoscaling_target.orders_read.scalable_dimension
  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
  }
}

resource "aws_sqs_queue" "alerts" {
  name = "orders-alerts"
}

resource "aws_cloudwatch_metric_alarm" "orders_throttles" {
  alarm_name          = "orders-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sqs_queue.alerts.arn]
  dimensions = {
    TableName = aws_dynamodb_table.orders.name
  }
}

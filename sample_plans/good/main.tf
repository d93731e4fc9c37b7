# An orders service on DynamoDB, set up the way dynalint recommends.
# `dynalint sample_plans/good/plan.json` reports no error and no warning.

variable "env" {
  type    = string
  default = "prod"
}

locals {
  tags = {
    Environment = var.env
    Team        = "orders"
    CostCenter  = "cc-1234"
  }
}

# A customer-managed key: key policy control, CloudTrail audit, yearly rotation.
resource "aws_kms_key" "orders" {
  description             = "DynamoDB orders table"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = local.tags
}

resource "aws_kms_alias" "orders" {
  name          = "alias/${var.env}-orders"
  target_key_id = aws_kms_key.orders.key_id
}

resource "aws_dynamodb_table" "orders" {
  name                        = "${var.env}-orders"
  billing_mode                = "PROVISIONED"
  read_capacity               = 20
  write_capacity              = 10
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = true
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  attribute {
    name = "customer_id"
    type = "S"
  }
  attribute {
    name = "created_at"
    type = "N"
  }

  # Orders by customer, newest first: only the attributes the query needs.
  global_secondary_index {
    name               = "by-customer"
    hash_key           = "customer_id"
    range_key          = "created_at"
    projection_type    = "INCLUDE"
    non_key_attributes = ["total", "order_state"]
    read_capacity      = 10
    write_capacity     = 10
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.orders.arn
  }

  tags = local.tags

  # The autoscaling below sets the capacity: an apply must not set it back.
  lifecycle {
    ignore_changes = [read_capacity, write_capacity, global_secondary_index]
  }
}

# Autoscaling for the table and its index, both dimensions.
locals {
  scaled = {
    table_read  = { resource_id = "table/${aws_dynamodb_table.orders.name}", dimension = "dynamodb:table:ReadCapacityUnits", metric = "DynamoDBReadCapacityUtilization", min = 20, max = 400 }
    table_write = { resource_id = "table/${aws_dynamodb_table.orders.name}", dimension = "dynamodb:table:WriteCapacityUnits", metric = "DynamoDBWriteCapacityUtilization", min = 10, max = 200 }
    index_read  = { resource_id = "table/${aws_dynamodb_table.orders.name}/index/by-customer", dimension = "dynamodb:index:ReadCapacityUnits", metric = "DynamoDBReadCapacityUtilization", min = 10, max = 200 }
    index_write = { resource_id = "table/${aws_dynamodb_table.orders.name}/index/by-customer", dimension = "dynamodb:index:WriteCapacityUnits", metric = "DynamoDBWriteCapacityUtilization", min = 10, max = 200 }
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
  name               = "${var.env}-orders-${each.key}"
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

# Someone is paged when the table throttles.
resource "aws_sns_topic" "oncall" {
  name = "${var.env}-orders-oncall"
}

resource "aws_cloudwatch_metric_alarm" "orders_throttles" {
  for_each            = toset(["ReadThrottleEvents", "WriteThrottleEvents"])
  alarm_name          = "${var.env}-orders-${each.key}"
  namespace           = "AWS/DynamoDB"
  metric_name         = each.key
  dimensions          = { TableName = aws_dynamodb_table.orders.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.oncall.arn]
}

resource "aws_dynamodb_contributor_insights" "orders" {
  table_name = aws_dynamodb_table.orders.name
}

# A stream consumer that cannot lose or block on a bad record.
resource "aws_sqs_queue" "orders_stream_failures" {
  name                      = "${var.env}-orders-stream-failures"
  message_retention_seconds = 1209600
}

resource "aws_lambda_event_source_mapping" "orders_stream" {
  event_source_arn                   = aws_dynamodb_table.orders.stream_arn
  function_name                      = "${var.env}-orders-projector"
  starting_position                  = "LATEST"
  batch_size                         = 100
  maximum_batching_window_in_seconds = 5
  maximum_retry_attempts             = 3
  maximum_record_age_in_seconds      = 3600
  bisect_batch_on_function_error     = true
  function_response_types            = ["ReportBatchItemFailures"]

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.orders_stream_failures.arn
    }
  }
}

# Least privilege: the table and its indexes, named.
resource "aws_iam_policy" "orders_rw" {
  name = "${var.env}-orders-rw"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
      Resource = ["arn:aws:dynamodb:us-east-1:123456789012:table/${var.env}-orders",
                  "arn:aws:dynamodb:us-east-1:123456789012:table/${var.env}-orders/index/*"]
    }]
  })
}

# A DAX cache: three nodes across AZs, encrypted at rest and in transit.
resource "aws_iam_role" "dax" {
  name = "${var.env}-orders-dax"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "dax.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_security_group" "dax" {
  name        = "${var.env}-orders-dax"
  description = "DAX clients, TLS only"
  ingress {
    description = "DAX over TLS"
    from_port   = 9111
    to_port     = 9111
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_dax_cluster" "orders" {
  cluster_name                     = "${var.env}-orders"
  iam_role_arn                     = aws_iam_role.dax.arn
  node_type                        = "dax.r5.large"
  replication_factor               = 3
  cluster_endpoint_encryption_type = "TLS"
  security_group_ids               = [aws_security_group.dax.id]
  tags                             = local.tags

  server_side_encryption {
    enabled = true
  }
}

# An on-demand table for an event log, also protected.
resource "aws_dynamodb_table" "events" {
  name                        = "${var.env}-order-events"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "order_id"
  range_key                   = "seq"
  deletion_protection_enabled = true

  attribute {
    name = "order_id"
    type = "S"
  }
  attribute {
    name = "seq"
    type = "N"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.orders.arn
  }

  tags = local.tags
}

resource "aws_cloudwatch_metric_alarm" "events_throttles" {
  alarm_name          = "${var.env}-order-events-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ThrottledRequests"
  dimensions          = { TableName = aws_dynamodb_table.events.name, Operation = "PutItem" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.oncall.arn]
}

resource "aws_dynamodb_contributor_insights" "events" {
  table_name = aws_dynamodb_table.events.name
}

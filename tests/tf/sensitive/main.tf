# Values the plan marks sensitive must never reach any output.
# The canary string below is grepped for in every report format (tests/test_secrets.py):
# every resource type a rule applies to holds a value derived from it here, and most of
# them also break a rule, so that their findings are printed.

variable "canary" {
  type      = string
  sensitive = true
  default   = "CANARY-7f3a9c-do-not-print"
}

locals {
  # A policy document that holds the canary: the whole document is sensitive.
  secret_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Canary"
      Effect   = "Allow"
      Action   = "dynamodb:*"
      Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/${var.canary}"
    }]
  })
  # A plain policy that breaks DDB601 (everything on every table).
  open_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }]
  })
}

# DDB101/DDB103 fire here: the messages name the table, whose name is sensitive.
# dynalint:ignore=DDB703 the canary table needs no contributor insights (a suppressed finding for --show-suppressed)
resource "aws_dynamodb_table" "secret_name" {
  name         = "${var.canary}-table"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  tags = {
    Owner = var.canary
  }
}

# DDB101/DDB103/DDB401/DDB701/DDB703/DDB704 fire: provisioned, streams on, encrypted with secret_key;
# its hash key attribute and its index are named with the canary.
resource "aws_dynamodb_table" "secret_stream" {
  name             = "canary-stream"
  billing_mode     = "PROVISIONED"
  read_capacity    = 5
  write_capacity   = 5
  hash_key         = var.canary
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = var.canary
    type = "S"
  }
  attribute {
    name = "status"
    type = "S"
  }
  global_secondary_index {
    name            = "${var.canary}-by-status"
    hash_key        = "status"
    projection_type = "ALL"
    read_capacity   = 5
    write_capacity  = 5
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.secret_key.arn
  }
}

resource "aws_dynamodb_table_item" "secret_item" {
  table_name = aws_dynamodb_table.secret_name.name
  hash_key   = "pk"
  item = jsonencode({
    pk    = { S = "item-1" }
    token = { S = var.canary }
  })
}

# DDB205: a replica without its own key while its table uses a customer-managed one; tagged with the canary.
resource "aws_dynamodb_table_replica" "secret_replica" {
  global_table_arn = aws_dynamodb_table.secret_stream.arn
  tags = {
    Owner = var.canary
  }
}

# DDB504: a legacy (2017) global table whose name is sensitive.
resource "aws_dynamodb_global_table" "secret_global" {
  name = "${var.canary}-global"
  replica {
    region_name = "us-east-1"
  }
}

# Silent: the resource policy document itself is sensitive.
resource "aws_dynamodb_resource_policy" "secret_policy" {
  resource_arn = aws_dynamodb_table.secret_name.arn
  policy       = local.secret_policy
}

# DDB203: the key of secret_stream does not rotate; its description, policy and tags are sensitive.
resource "aws_kms_key" "secret_key" {
  description         = var.canary
  enable_key_rotation = false
  policy              = local.secret_policy
  tags = {
    Owner = var.canary
  }
}

# DDB206/DDB207/DDB704/DDB708: one node, no encryption, no tags; its role and description are sensitive.
resource "aws_dax_cluster" "secret_dax" {
  cluster_name       = "canary-dax"
  description        = var.canary
  iam_role_arn       = "arn:aws:iam::123456789012:role/${var.canary}"
  node_type          = "dax.t3.small"
  replication_factor = 1
}

# DDB403: autoscaling on an on-demand table whose name is sensitive.
resource "aws_appautoscaling_target" "secret_target" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.secret_name.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
  tags = {
    Owner = var.canary
  }
}

# DDB405: a target utilization above what DynamoDB accepts; the policy name is sensitive.
resource "aws_appautoscaling_policy" "secret_scaling" {
  name               = "${var.canary}-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.secret_target.service_namespace
  resource_id        = aws_appautoscaling_target.secret_target.resource_id
  scalable_dimension = aws_appautoscaling_target.secret_target.scalable_dimension
  target_tracking_scaling_policy_configuration {
    target_value = 95
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
  }
}

# DDB702: an alarm on a table's throttles with no action; its name and dimension are sensitive.
resource "aws_cloudwatch_metric_alarm" "secret_alarm" {
  alarm_name          = "${var.canary}-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions = {
    TableName = aws_dynamodb_table.secret_name.name
  }
}

# DDB705: a trail without DynamoDB data events; its bucket is sensitive.
resource "aws_cloudtrail" "secret_trail" {
  name           = "canary-trail"
  s3_bucket_name = var.canary
}

# DDB601: everything on every table; the policy's name is sensitive, its document plain.
resource "aws_iam_policy" "secret_named" {
  name   = "${var.canary}-policy"
  policy = local.open_policy
}

# Silent: the document itself is sensitive.
resource "aws_iam_policy" "secret_document" {
  name   = "canary-document"
  policy = local.secret_policy
}

resource "aws_iam_role_policy" "secret_role_policy" {
  role   = var.canary
  policy = local.secret_policy
}

# DDB601 on the user's and the group's inline policies; user and group names are sensitive.
resource "aws_iam_user_policy" "secret_user_policy" {
  user   = var.canary
  policy = local.open_policy
}

resource "aws_iam_group_policy" "secret_group_policy" {
  group  = var.canary
  policy = local.open_policy
}

# DDB506-DDB508: a stream consumer with no failure handling; the function name is sensitive.
resource "aws_lambda_event_source_mapping" "secret_mapping" {
  event_source_arn  = aws_dynamodb_table.secret_stream.stream_arn
  function_name     = var.canary
  starting_position = "LATEST"
}

# DDB601: a Gateway endpoint for DynamoDB open to everything, in a sensitive VPC.
resource "aws_vpc_endpoint" "secret_endpoint" {
  vpc_id            = var.canary
  service_name      = "com.amazonaws.us-east-1.dynamodb"
  vpc_endpoint_type = "Gateway"
  policy            = local.open_policy
  tags = {
    Owner = var.canary
  }
}

# Silent: the endpoint policy document is sensitive.
resource "aws_vpc_endpoint_policy" "secret_endpoint_policy" {
  vpc_endpoint_id = aws_vpc_endpoint.secret_endpoint.id
  policy          = local.secret_policy
}

# DDB601 from the .tf tree, and from the plan read beside it: the plan knows this document only after apply
# (a new table's ARN); the part written out holds the canary.
resource "aws_iam_policy" "secret_in_part" {
  name = "secret-in-part"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "dynamodb:*"
      Resource = [aws_dynamodb_table.secret_name.arn, "arn:aws:dynamodb:us-east-1:123456789012:table/${var.canary}"]
    }]
  })
}

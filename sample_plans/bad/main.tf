# Everything dynalint knows to be wrong with DynamoDB on AWS, in one plan.
# Each resource says which rule it trips. `dynalint sample_plans/bad/plan.json`
# Rules the aws provider already rejects at plan time (DDB301-DDB303, a
# PROVISIONED table without capacity) cannot appear in a plan: lint .tf
# sources to catch them before any plan exists.

# ------------------------------------------------------------------ changes
# (planned against the state of before/)

resource "aws_kms_key" "old" {
  description         = "previous table key"
  enable_key_rotation = true
}

resource "aws_kms_key" "new" {
  description         = "new table key"
  enable_key_rotation = true
}

# DDB104: aws_dynamodb_table.sessions was removed from this file: the plan deletes it.

# DDB105: a new sort key forces a new, empty table.
resource "aws_dynamodb_table" "users" {
  name         = "users"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  range_key    = "sk"
  attribute {
    name = "id"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
}

# DDB106: protection and PITR turned off; DDB202: new key; DDB408: billing mode switched.
resource "aws_dynamodb_table" "payments" {
  name                        = "payments"
  billing_mode                = "PROVISIONED"
  read_capacity               = 5
  write_capacity              = 5
  hash_key                    = "id"
  deletion_protection_enabled = false
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = false
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.new.arn
  }
}

# DDB503 + DDB502: the stream of a global table changes view type;
# DDB314: the by-merchant index gets a new hash key (rebuilt, unavailable meanwhile).
resource "aws_dynamodb_table" "ledger" {
  name                        = "ledger"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = true
  stream_enabled              = true
  stream_view_type            = "NEW_IMAGE"
  attribute {
    name = "id"
    type = "S"
  }
  attribute {
    name = "merchant_id"
    type = "S"
  }
  global_secondary_index {
    name            = "by-merchant"
    hash_key        = "merchant_id"
    projection_type = "KEYS_ONLY"
  }
  point_in_time_recovery {
    enabled = true
  }
  replica {
    region_name            = "eu-west-1"
    point_in_time_recovery = true
  }
}

# ------------------------------------------------------------------ durability and keys

# DDB101, DDB103, DDB201 (AWS-owned key), DDB401, DDB701, DDB703, DDB704: a bare table.
resource "aws_dynamodb_table" "carts" {
  name           = "carts"
  hash_key       = "cart_id"
  read_capacity  = 5
  write_capacity = 5
  attribute {
    name = "cart_id"
    type = "S"
  }
}

# DDB203 + DDB204: the key of a table neither rotates nor waits long before deletion.
resource "aws_kms_key" "careless" {
  description             = "no rotation, 7-day deletion window"
  deletion_window_in_days = 7
}

# DDB102: PITR on the table, not on its replica; DDB205: the replica has no key of
# its own; DDB505: a replica in the table's own region (us-east-1).
resource "aws_dynamodb_table" "profiles" {
  name                        = "profiles"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "user_id"
  deletion_protection_enabled = true
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "user_id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.careless.arn
  }
  replica {
    region_name = "eu-west-1"
  }
  replica {
    region_name = "us-east-1"
  }
}

# ------------------------------------------------------------------ keys, indexes, schema

# DDB306: an LSI on a table without a sort key. DDB308: INCLUDE without
# non_key_attributes. DDB310: a GSI on "status". DDB311: projection ALL.
# DDB313: TTL on a string key attribute. DDB315: a 40-character key name.
resource "aws_dynamodb_table" "tickets" {
  name         = "tickets"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "ticket_id"
  attribute {
    name = "ticket_id"
    type = "S"
  }
  attribute {
    name = "status"
    type = "S"
  }
  attribute {
    name = "opened_at"
    type = "S"
  }
  attribute {
    name = "customer_account_reference_identifier_x"
    type = "S"
  }
  global_secondary_index {
    name            = "by-status"
    hash_key        = "status"
    range_key       = "opened_at"
    projection_type = "ALL"
  }
  global_secondary_index {
    name            = "by-account"
    hash_key        = "customer_account_reference_identifier_x"
    projection_type = "INCLUDE"
  }
  local_secondary_index {
    name            = "by-opened"
    range_key       = "opened_at"
    projection_type = "KEYS_ONLY"
  }
  ttl {
    attribute_name = "opened_at"
    enabled        = true
  }
}

# DDB305: 21 GSIs. DDB309: more than 100 projected attributes.
# DDB304: six LSIs. DDB307: an LSI on the table's own sort key.
# DDB312: a GSI with the table's own keys.
resource "aws_dynamodb_table" "catalog" {
  name         = "catalog"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "sku"
  range_key    = "variant"
  attribute {
    name = "sku"
    type = "S"
  }
  attribute {
    name = "variant"
    type = "S"
  }
  dynamic "attribute" {
    for_each = range(21)
    content {
      name = "gsi${attribute.value}_pk"
      type = "S"
    }
  }
  dynamic "global_secondary_index" {
    for_each = range(21)
    content {
      name               = "gsi${global_secondary_index.value}"
      hash_key           = "gsi${global_secondary_index.value}_pk"
      projection_type    = "INCLUDE"
      non_key_attributes = [for i in range(5) : "attr${i}"]
    }
  }
  global_secondary_index {
    name            = "same-as-table"
    hash_key        = "sku"
    range_key       = "variant"
    projection_type = "KEYS_ONLY"
  }
  dynamic "local_secondary_index" {
    for_each = range(6)
    content {
      name            = "lsi${local_secondary_index.value}"
      range_key       = local_secondary_index.value == 0 ? "variant" : "gsi${local_secondary_index.value}_pk"
      projection_type = "KEYS_ONLY"
    }
  }
}

# ------------------------------------------------------------------ capacity

# DDB402: the table scales, its index does not. DDB409: the index writes slower
# than the table. DDB404: a second index without capacity. DDB410: above the quota.
resource "aws_dynamodb_table" "inventory" {
  name           = "inventory"
  billing_mode   = "PROVISIONED"
  read_capacity  = 50000
  write_capacity = 100
  hash_key       = "sku"
  attribute {
    name = "sku"
    type = "S"
  }
  attribute {
    name = "warehouse"
    type = "S"
  }
  attribute {
    name = "bin"
    type = "S"
  }
  global_secondary_index {
    name            = "by-warehouse"
    hash_key        = "warehouse"
    projection_type = "KEYS_ONLY"
    read_capacity   = 10
    write_capacity  = 10
  }
  global_secondary_index {
    name            = "by-bin"
    hash_key        = "bin"
    projection_type = "KEYS_ONLY"
  }
}

resource "aws_appautoscaling_target" "inventory_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/inventory"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 0
  max_capacity       = 60000
}

resource "aws_appautoscaling_target" "inventory_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/inventory"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 500
}

# DDB405: target value 95 %. DDB407: slow to scale out, quick to scale in.
resource "aws_appautoscaling_policy" "inventory_read" {
  name               = "inventory-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.inventory_read.service_namespace
  resource_id        = aws_appautoscaling_target.inventory_read.resource_id
  scalable_dimension = aws_appautoscaling_target.inventory_read.scalable_dimension
  target_tracking_scaling_policy_configuration {
    target_value       = 95
    scale_out_cooldown = 600
    scale_in_cooldown  = 30
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
  }
}

# DDB406: a read metric on the write dimension.
resource "aws_appautoscaling_policy" "inventory_write" {
  name               = "inventory-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.inventory_write.service_namespace
  resource_id        = aws_appautoscaling_target.inventory_write.resource_id
  scalable_dimension = aws_appautoscaling_target.inventory_write.scalable_dimension
  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
  }
}

# DDB403: capacity on an index of an on-demand table (the provider rejects it
# on the table itself at plan time), and a scaling target aimed at the table.
resource "aws_dynamodb_table" "clicks" {
  name         = "clicks"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  attribute {
    name = "page"
    type = "S"
  }
  global_secondary_index {
    name            = "by-page"
    hash_key        = "page"
    projection_type = "KEYS_ONLY"
    read_capacity   = 10
    write_capacity  = 10
  }
}

resource "aws_appautoscaling_target" "clicks_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.clicks.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

# ------------------------------------------------------------------ streams

# DDB501: a view type without a stream. DDB502: replicas without a stream.
resource "aws_dynamodb_table" "audit" {
  name             = "audit"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "id"
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "id"
    type = "S"
  }
  replica {
    region_name = "ap-southeast-2"
  }
}

# DDB504: global tables version 2017.11.29.
resource "aws_dynamodb_global_table" "legacy" {
  name = "legacy"
  replica {
    region_name = "us-east-1"
  }
  replica {
    region_name = "us-west-2"
  }
}

# DDB506-DDB509: a stream consumer with no failure destination, unbounded
# retries, no partial-batch handling and an impossible batch size.
resource "aws_lambda_event_source_mapping" "profiles_stream" {
  event_source_arn  = aws_dynamodb_table.profiles.stream_arn
  function_name     = "profiles-indexer"
  starting_position = "LATEST"
  batch_size        = 20000
}

# ------------------------------------------------------------------ access

# DDB601 (error): dynamodb:* on every resource.
resource "aws_iam_policy" "admin" {
  name = "dynamodb-admin"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }]
  })
}

# DDB602: Query on a table with indexes, without its /index/* ARN.
resource "aws_iam_policy" "tickets_reader" {
  name = "tickets-reader"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:Query"]
      Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/tickets"
    }]
  })
}

# DDB603: a resource policy open to anyone.
resource "aws_dynamodb_resource_policy" "profiles" {
  resource_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/profiles"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "dynamodb:GetItem"
      Resource  = "arn:aws:dynamodb:us-east-1:123456789012:table/profiles"
    }]
  })
}

# DDB604: an Interface endpoint for DynamoDB (Gateway endpoints are free).
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.dynamodb"
  vpc_endpoint_type = "Interface"
}

# DDB605: plain-text DAX port open. DDB206, DDB207: no encryption. DDB708: one node.
resource "aws_security_group" "dax" {
  name   = "dax-open"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 8000
    to_port     = 9999
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_iam_role" "dax" {
  name = "dax"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "dax.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_dax_cluster" "cache" {
  cluster_name       = "cache"
  iam_role_arn       = aws_iam_role.dax.arn
  node_type          = "dax.t3.small"
  replication_factor = 1
  security_group_ids = [aws_security_group.dax.id]
}

# ------------------------------------------------------------------ operations

# DDB702: an alarm nobody hears.
resource "aws_cloudwatch_metric_alarm" "carts_throttles" {
  alarm_name          = "carts-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ThrottledRequests"
  dimensions          = { TableName = "carts" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
}

# DDB705: data events for every table in the account.
resource "aws_cloudtrail" "all" {
  name           = "all-dynamodb"
  s3_bucket_name = "trail-bucket"
  event_selector {
    read_write_type           = "All"
    include_management_events = true
    data_resource {
      type   = "AWS::DynamoDB::Table"
      values = ["arn:aws:dynamodb"]
    }
  }
}

# DDB706: data managed by Terraform; DDB707: the item lacks the table's hash key.
resource "aws_dynamodb_table_item" "seed" {
  table_name = aws_dynamodb_table.carts.name
  hash_key   = aws_dynamodb_table.carts.hash_key
  item = jsonencode({
    id    = { S = "cart-1" }
    total = { N = "10" }
  })
}

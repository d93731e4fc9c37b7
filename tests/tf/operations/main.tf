# Observability and operations rules (DDB701-DDB708). providers.tf: the default
# provider writes default_tags { Team = "data" }; aws.untagged writes none.

resource "aws_sqs_queue" "marker" {
  name = "operations-marker"
}

locals {
  # true, but only known after apply
  known_later = aws_sqs_queue.marker.arn != ""
  oncall      = "arn:aws:sns:us-east-1:123456789012:oncall"
}

# ------------------------------------------------------------------ tables

# Watched by reference: a throttle alarm and contributor insights name it
# through references. Tagged through default_tags only (DDB704: silent
# without required tags; with required_tags [Team, CostCenter], CostCenter is missing).
resource "aws_dynamodb_table" "watched" {
  name         = "watched"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
}

resource "aws_cloudwatch_metric_alarm" "watched_read_throttles" {
  alarm_name          = "watched-read-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  dimensions          = { TableName = aws_dynamodb_table.watched.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [local.oncall]
}

resource "aws_dynamodb_contributor_insights" "watched" {
  table_name = aws_dynamodb_table.watched.name
}

# Watched by literal name: a metric_query alarm on ThrottledRequests and
# contributor insights name it as "watched-by-name". Tagged in full
# (untagged provider, own tags).
resource "aws_dynamodb_table" "watched_by_name" {
  provider     = aws.untagged
  name         = "watched-by-name"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "N"
  }
  tags = {
    Team       = "data"
    CostCenter = "cc-1"
  }
}

resource "aws_cloudwatch_metric_alarm" "watched_by_name_throttles" {
  alarm_name          = "watched-by-name-throttles"
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [local.oncall]
  metric_query {
    id          = "throttled"
    return_data = true
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "ThrottledRequests"
      dimensions  = { TableName = "watched-by-name", Operation = "PutItem" }
      period      = 60
      stat        = "Sum"
    }
  }
}

resource "aws_dynamodb_contributor_insights" "by_name" {
  table_name = "watched-by-name"
}

# DDB701 + DDB703 + DDB704: nothing watches it, and it has no tags at all.
resource "aws_dynamodb_table" "unwatched" {
  provider     = aws.untagged
  name         = "unwatched"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# DDB701: its alarms watch capacity, throttles of its GSI only, and a metric that never gets data.
# DDB703: contributor insights on the GSI only. DDB702 on the capacity alarm (no actions).
resource "aws_dynamodb_table" "half_watched" {
  name           = "half-watched"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "status"
    type = "S"
  }
  global_secondary_index {
    name            = "by_status"
    hash_key        = "status"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }
}

resource "aws_cloudwatch_metric_alarm" "half_watched_capacity" {
  alarm_name          = "half-watched-capacity"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ConsumedReadCapacityUnits"
  dimensions          = { TableName = aws_dynamodb_table.half_watched.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 240
  comparison_operator = "GreaterThanOrEqualToThreshold"
}

resource "aws_cloudwatch_metric_alarm" "half_watched_gsi_throttles" {
  alarm_name          = "half-watched-gsi-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "WriteThrottleEvents"
  dimensions          = { TableName = aws_dynamodb_table.half_watched.name, GlobalSecondaryIndexName = "by_status" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [local.oncall]
}

# ThrottledRequests without the Operation dimension: CloudWatch never publishes
# that metric, the alarm never fires (DDB701 says so).
resource "aws_cloudwatch_metric_alarm" "half_watched_no_operation" {
  alarm_name          = "half-watched-throttled-requests"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ThrottledRequests"
  dimensions          = { TableName = aws_dynamodb_table.half_watched.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [local.oncall]
}

resource "aws_dynamodb_contributor_insights" "half_watched_index" {
  table_name = aws_dynamodb_table.half_watched.name
  index_name = "by_status"
}

# Silent for DDB701: the alarm's metric is known only after apply. Silent for
# DDB703: the insights' index is known only after apply. DDB704: tags known later.
resource "aws_dynamodb_table" "decided_later" {
  provider     = aws.untagged
  name         = "decided-later"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  tags = local.known_later ? { Team = "data" } : {}
}

resource "aws_cloudwatch_metric_alarm" "decided_later" {
  alarm_name          = "decided-later"
  namespace           = "AWS/DynamoDB"
  metric_name         = local.known_later ? "ReadThrottleEvents" : "ConsumedReadCapacityUnits"
  dimensions          = { TableName = "decided-later" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [local.oncall]
}

resource "aws_dynamodb_contributor_insights" "decided_later" {
  table_name = "decided-later"
  index_name = local.known_later ? null : "by_nothing"
}

# ------------------------------------------------------------------ DDB702

# Silent: actions known only after apply (a topic created in this plan).
resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_cloudwatch_metric_alarm" "actions_later" {
  alarm_name          = "watched-write-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "WriteThrottleEvents"
  dimensions          = { TableName = aws_dynamodb_table.watched.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}

# DDB702: actions written but switched off.
resource "aws_cloudwatch_metric_alarm" "muted" {
  alarm_name          = "watched-system-errors"
  namespace           = "AWS/DynamoDB"
  metric_name         = "SystemErrors"
  dimensions          = { TableName = aws_dynamodb_table.watched.name, Operation = "GetItem" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  actions_enabled     = false
  alarm_actions       = [local.oncall]
}

# DDB702: a metric_query alarm on a DynamoDB metric, with OK actions only.
resource "aws_cloudwatch_metric_alarm" "ok_only" {
  alarm_name          = "user-errors"
  evaluation_periods  = 1
  threshold           = 10
  comparison_operator = "GreaterThanOrEqualToThreshold"
  ok_actions          = [local.oncall]
  metric_query {
    id          = "errors"
    return_data = true
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "UserErrors"
      period      = 60
      stat        = "Sum"
    }
  }
}

# Silent: not a DynamoDB alarm.
resource "aws_cloudwatch_metric_alarm" "ec2_cpu" {
  alarm_name          = "ec2-cpu"
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 1
  threshold           = 90
  comparison_operator = "GreaterThanThreshold"
}

# ------------------------------------------------------------------ DAX (DDB704, DDB708)

# DDB708: one node. DDB704: no tags (untagged provider).
resource "aws_dax_cluster" "single" {
  provider           = aws.untagged
  cluster_name       = "single"
  iam_role_arn       = "arn:aws:iam::123456789012:role/dax"
  node_type          = "dax.t3.small"
  replication_factor = 1
}

# Silent: three nodes, tagged.
resource "aws_dax_cluster" "ha" {
  cluster_name       = "ha"
  iam_role_arn       = "arn:aws:iam::123456789012:role/dax"
  node_type          = "dax.r5.large"
  replication_factor = 3
  tags = {
    CostCenter = "cc-1"
  }
}

# Silent: size known only after apply.
resource "aws_dax_cluster" "sized_later" {
  cluster_name       = "sized-later"
  iam_role_arn       = "arn:aws:iam::123456789012:role/dax"
  node_type          = "dax.r5.large"
  replication_factor = local.known_later ? 3 : 1
}

# ------------------------------------------------------------------ DDB705

# DDB705: data events for every table (basic selector).
resource "aws_cloudtrail" "all_tables" {
  name           = "all-tables"
  s3_bucket_name = "trail-bucket"
  event_selector {
    read_write_type           = "WriteOnly"
    include_management_events = true
    data_resource {
      type   = "AWS::DynamoDB::Table"
      values = ["arn:aws:dynamodb"]
    }
  }
}

# DDB705: data events for every table (advanced selector without resources.ARN).
resource "aws_cloudtrail" "all_tables_advanced" {
  name           = "all-tables-advanced"
  s3_bucket_name = "trail-bucket"
  advanced_event_selector {
    name = "dynamodb data events"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::DynamoDB::Table"]
    }
  }
}

# Silent: named tables, in both selector styles; and S3 objects of every bucket.
resource "aws_cloudtrail" "named_tables" {
  name           = "named-tables"
  s3_bucket_name = "trail-bucket"
  event_selector {
    read_write_type = "All"
    data_resource {
      type   = "AWS::DynamoDB::Table"
      values = ["arn:aws:dynamodb:us-east-1:123456789012:table/watched"]
    }
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }
}

resource "aws_cloudtrail" "named_tables_advanced" {
  name           = "named-tables-advanced"
  s3_bucket_name = "trail-bucket"
  advanced_event_selector {
    name = "one table"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::DynamoDB::Table"]
    }
    field_selector {
      field       = "resources.ARN"
      starts_with = ["arn:aws:dynamodb:us-east-1:123456789012:table/watched"]
    }
  }
}

# ------------------------------------------------------------------ items (DDB706 on each, DDB707)

# Silent for DDB707: typed JSON with both keys of "watched" (by reference).
resource "aws_dynamodb_table_item" "seed" {
  table_name = aws_dynamodb_table.watched.name
  hash_key   = aws_dynamodb_table.watched.hash_key
  range_key  = aws_dynamodb_table.watched.range_key
  item = jsonencode({
    pk    = { S = "user#1" }
    sk    = { S = "profile" }
    tags  = { SS = ["a", "b"] }
    score = { N = "-12.5e3" }
    prefs = { M = { dark = { BOOL = true }, none = { NULL = true }, list = { L = [{ N = "1" }, { S = "x" }] } } }
  })
}

# DDB707 by reference: the item lacks the table's range key "sk".
resource "aws_dynamodb_table_item" "missing_range_key" {
  table_name = aws_dynamodb_table.watched.name
  hash_key   = "pk"
  range_key  = "sk"
  item       = jsonencode({ pk = { S = "user#2" } })
}

# DDB707 by literal table name: the key is a string, the table's "id" is a number.
resource "aws_dynamodb_table_item" "wrong_key_type" {
  table_name = "watched-by-name"
  hash_key   = "id"
  item       = jsonencode({ id = { S = "42" } })
}

# DDB707: hash_key names another attribute than the table's.
resource "aws_dynamodb_table_item" "wrong_hash_key" {
  table_name = "watched-by-name"
  hash_key   = "user_id"
  item       = jsonencode({ user_id = { N = "42" }, id = { N = "42" } })
}

# DDB707: values DynamoDB rejects: a number that is not one, an empty set,
# NULL false, an empty key string.
resource "aws_dynamodb_table_item" "bad_values" {
  table_name = aws_dynamodb_table.unwatched.name
  hash_key   = "pk"
  item = jsonencode({
    pk    = { S = "" }
    price = { N = "ten" }
    none  = { NULL = false }
    tags  = { SS = [] }
  })
}

# DDB707: maps nested 33 levels deep (deep_item.json).
resource "aws_dynamodb_table_item" "too_deep" {
  table_name = aws_dynamodb_table.watched.name
  hash_key   = "pk"
  range_key  = "sk"
  item       = file("${path.module}/deep_item.json")
}

# Silent for DDB707: the item is known only after apply.
resource "aws_dynamodb_table_item" "known_later" {
  table_name = aws_dynamodb_table.unwatched.name
  hash_key   = "pk"
  item       = jsonencode({ pk = { S = aws_sqs_queue.marker.arn } })
}

# Silent for DDB707: the table is not in this configuration; the JSON itself is fine.
resource "aws_dynamodb_table_item" "other_table" {
  table_name = "managed-elsewhere"
  hash_key   = "pk"
  item       = jsonencode({ pk = { S = "x" } })
}

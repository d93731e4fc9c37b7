# DDB411: a table whose capacity an autoscaler sets must leave it to the
# autoscaler: lifecycle { ignore_changes = [read_capacity, write_capacity] }
# (and global_secondary_index for an autoscaled GSI). The plan does not carry
# lifecycle: the rule reads it from this .tf (alone, or beside the plan).

resource "aws_sqs_queue" "marker" {
  name = "lifecycle-marker"
}

locals {
  # true, but only known after apply
  known_later = aws_sqs_queue.marker.arn != ""
}

# DDB411: autoscaled, no lifecycle block at all.
resource "aws_dynamodb_table" "no_lifecycle" {
  name           = "no-lifecycle"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_appautoscaling_target" "no_lifecycle_table_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.no_lifecycle.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "no_lifecycle_table_read" {
  name               = "no-lifecycle-table-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.no_lifecycle_table_read.service_namespace
  resource_id        = aws_appautoscaling_target.no_lifecycle_table_read.resource_id
  scalable_dimension = aws_appautoscaling_target.no_lifecycle_table_read.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "no_lifecycle_table_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.no_lifecycle.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "no_lifecycle_table_write" {
  name               = "no-lifecycle-table-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.no_lifecycle_table_write.service_namespace
  resource_id        = aws_appautoscaling_target.no_lifecycle_table_write.resource_id
  scalable_dimension = aws_appautoscaling_target.no_lifecycle_table_write.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 70
  }
}

# DDB411 (write): ignore_changes leaves write_capacity out.
resource "aws_dynamodb_table" "partly_ignored" {
  name           = "partly-ignored"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  lifecycle {
    ignore_changes = [read_capacity]
  }
}

resource "aws_appautoscaling_target" "partly_ignored_table_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.partly_ignored.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "partly_ignored_table_read" {
  name               = "partly-ignored-table-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.partly_ignored_table_read.service_namespace
  resource_id        = aws_appautoscaling_target.partly_ignored_table_read.resource_id
  scalable_dimension = aws_appautoscaling_target.partly_ignored_table_read.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "partly_ignored_table_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.partly_ignored.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "partly_ignored_table_write" {
  name               = "partly-ignored-table-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.partly_ignored_table_write.service_namespace
  resource_id        = aws_appautoscaling_target.partly_ignored_table_write.resource_id
  scalable_dimension = aws_appautoscaling_target.partly_ignored_table_write.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 70
  }
}

# DDB411: a lifecycle block without ignore_changes.
resource "aws_dynamodb_table" "other_lifecycle" {
  name           = "other-lifecycle"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  lifecycle {
    create_before_destroy = false
  }
}

resource "aws_appautoscaling_target" "other_lifecycle_table_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.other_lifecycle.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "other_lifecycle_table_read" {
  name               = "other-lifecycle-table-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.other_lifecycle_table_read.service_namespace
  resource_id        = aws_appautoscaling_target.other_lifecycle_table_read.resource_id
  scalable_dimension = aws_appautoscaling_target.other_lifecycle_table_read.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "other_lifecycle_table_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.other_lifecycle.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "other_lifecycle_table_write" {
  name               = "other-lifecycle-table-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.other_lifecycle_table_write.service_namespace
  resource_id        = aws_appautoscaling_target.other_lifecycle_table_write.resource_id
  scalable_dimension = aws_appautoscaling_target.other_lifecycle_table_write.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 70
  }
}

# Silent: the twin that leaves capacity to the autoscaler.
resource "aws_dynamodb_table" "ignored" {
  name           = "ignored"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  lifecycle {
    ignore_changes = [read_capacity, write_capacity]
  }
}

resource "aws_appautoscaling_target" "ignored_table_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.ignored.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "ignored_table_read" {
  name               = "ignored-table-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.ignored_table_read.service_namespace
  resource_id        = aws_appautoscaling_target.ignored_table_read.resource_id
  scalable_dimension = aws_appautoscaling_target.ignored_table_read.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "ignored_table_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.ignored.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "ignored_table_write" {
  name               = "ignored-table-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.ignored_table_write.service_namespace
  resource_id        = aws_appautoscaling_target.ignored_table_write.resource_id
  scalable_dimension = aws_appautoscaling_target.ignored_table_write.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 70
  }
}

# Silent: ignore_changes = all.
resource "aws_dynamodb_table" "all_ignored" {
  name           = "all-ignored"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  lifecycle {
    ignore_changes = all
  }
}

resource "aws_appautoscaling_target" "all_ignored_table_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.all_ignored.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "all_ignored_table_read" {
  name               = "all-ignored-table-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.all_ignored_table_read.service_namespace
  resource_id        = aws_appautoscaling_target.all_ignored_table_read.resource_id
  scalable_dimension = aws_appautoscaling_target.all_ignored_table_read.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "all_ignored_table_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.all_ignored.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "all_ignored_table_write" {
  name               = "all-ignored-table-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.all_ignored_table_write.service_namespace
  resource_id        = aws_appautoscaling_target.all_ignored_table_write.resource_id
  scalable_dimension = aws_appautoscaling_target.all_ignored_table_write.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 70
  }
}

# DDB411 (the GSI): table capacity ignored, the autoscaled GSI's is not.
resource "aws_dynamodb_table" "gsi_not_ignored" {
  name           = "gsi-not-ignored"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "customer"
    type = "S"
  }

  global_secondary_index {
    name            = "by_customer"
    hash_key        = "customer"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }

  lifecycle {
    ignore_changes = [read_capacity, write_capacity]
  }
}

resource "aws_appautoscaling_target" "gsi_not_ignored_table_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.gsi_not_ignored.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "gsi_not_ignored_table_read" {
  name               = "gsi-not-ignored-table-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gsi_not_ignored_table_read.service_namespace
  resource_id        = aws_appautoscaling_target.gsi_not_ignored_table_read.resource_id
  scalable_dimension = aws_appautoscaling_target.gsi_not_ignored_table_read.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "gsi_not_ignored_table_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.gsi_not_ignored.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "gsi_not_ignored_table_write" {
  name               = "gsi-not-ignored-table-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gsi_not_ignored_table_write.service_namespace
  resource_id        = aws_appautoscaling_target.gsi_not_ignored_table_write.resource_id
  scalable_dimension = aws_appautoscaling_target.gsi_not_ignored_table_write.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "gsi_not_ignored_index_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.gsi_not_ignored.name}/index/by_customer"
  scalable_dimension = "dynamodb:index:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "gsi_not_ignored_index_read" {
  name               = "gsi-not-ignored-index-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gsi_not_ignored_index_read.service_namespace
  resource_id        = aws_appautoscaling_target.gsi_not_ignored_index_read.resource_id
  scalable_dimension = aws_appautoscaling_target.gsi_not_ignored_index_read.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "gsi_not_ignored_index_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.gsi_not_ignored.name}/index/by_customer"
  scalable_dimension = "dynamodb:index:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "gsi_not_ignored_index_write" {
  name               = "gsi-not-ignored-index-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gsi_not_ignored_index_write.service_namespace
  resource_id        = aws_appautoscaling_target.gsi_not_ignored_index_write.resource_id
  scalable_dimension = aws_appautoscaling_target.gsi_not_ignored_index_write.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 70
  }
}

# Silent: the GSI's twin, global_secondary_index ignored too.
resource "aws_dynamodb_table" "gsi_ignored" {
  name           = "gsi-ignored"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "customer"
    type = "S"
  }

  global_secondary_index {
    name            = "by_customer"
    hash_key        = "customer"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }

  lifecycle {
    ignore_changes = [read_capacity, write_capacity, global_secondary_index]
  }
}

resource "aws_appautoscaling_target" "gsi_ignored_table_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.gsi_ignored.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "gsi_ignored_table_read" {
  name               = "gsi-ignored-table-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gsi_ignored_table_read.service_namespace
  resource_id        = aws_appautoscaling_target.gsi_ignored_table_read.resource_id
  scalable_dimension = aws_appautoscaling_target.gsi_ignored_table_read.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "gsi_ignored_table_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.gsi_ignored.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "gsi_ignored_table_write" {
  name               = "gsi-ignored-table-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gsi_ignored_table_write.service_namespace
  resource_id        = aws_appautoscaling_target.gsi_ignored_table_write.resource_id
  scalable_dimension = aws_appautoscaling_target.gsi_ignored_table_write.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "gsi_ignored_index_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.gsi_ignored.name}/index/by_customer"
  scalable_dimension = "dynamodb:index:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "gsi_ignored_index_read" {
  name               = "gsi-ignored-index-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gsi_ignored_index_read.service_namespace
  resource_id        = aws_appautoscaling_target.gsi_ignored_index_read.resource_id
  scalable_dimension = aws_appautoscaling_target.gsi_ignored_index_read.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "gsi_ignored_index_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.gsi_ignored.name}/index/by_customer"
  scalable_dimension = "dynamodb:index:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "gsi_ignored_index_write" {
  name               = "gsi-ignored-index-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gsi_ignored_index_write.service_namespace
  resource_id        = aws_appautoscaling_target.gsi_ignored_index_write.resource_id
  scalable_dimension = aws_appautoscaling_target.gsi_ignored_index_write.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 70
  }
}

# Silent: not autoscaled (DDB401's finding, not this rule's).
resource "aws_dynamodb_table" "fixed" {
  name           = "fixed"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

# Silent: billing mode known only after apply.
resource "aws_dynamodb_table" "mode_later" {
  name           = "mode-later"
  billing_mode   = local.known_later ? "PROVISIONED" : "PAY_PER_REQUEST"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_appautoscaling_target" "mode_later_table_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.mode_later.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "mode_later_table_read" {
  name               = "mode-later-table-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.mode_later_table_read.service_namespace
  resource_id        = aws_appautoscaling_target.mode_later_table_read.resource_id
  scalable_dimension = aws_appautoscaling_target.mode_later_table_read.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "mode_later_table_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.mode_later.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "mode_later_table_write" {
  name               = "mode-later-table-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.mode_later_table_write.service_namespace
  resource_id        = aws_appautoscaling_target.mode_later_table_write.resource_id
  scalable_dimension = aws_appautoscaling_target.mode_later_table_write.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 70
  }
}

# DDB411: autoscaled tables whose lifecycle does not ignore the capacity the autoscaler sets.
locals {
  # table name -> the dimensions autoscaled on it
  scaled = {
    "plain/read"    = { table = "plain", dimension = "dynamodb:table:ReadCapacityUnits" }
    "plain/write"   = { table = "plain", dimension = "dynamodb:table:WriteCapacityUnits" }
    "tagged/read"   = { table = "tagged", dimension = "dynamodb:table:ReadCapacityUnits" }
    "tagged/write"  = { table = "tagged", dimension = "dynamodb:table:WriteCapacityUnits" }
    "guarded/read"  = { table = "guarded", dimension = "dynamodb:table:ReadCapacityUnits" }
    "guarded/write" = { table = "guarded", dimension = "dynamodb:table:WriteCapacityUnits" }
    "indexed/read"  = { table = "indexed", dimension = "dynamodb:table:ReadCapacityUnits" }
    "indexed/write" = { table = "indexed", dimension = "dynamodb:table:WriteCapacityUnits" }
    "done/read"     = { table = "done", dimension = "dynamodb:table:ReadCapacityUnits" }
    "done/write"    = { table = "done", dimension = "dynamodb:table:WriteCapacityUnits" }
  }
}

# No lifecycle block: one is added after the table's other arguments.
resource "aws_dynamodb_table" "plain" {
  name           = "plain"
  billing_mode   = "PROVISIONED"
  hash_key       = "pk"
  read_capacity  = 5
  write_capacity = 5
  attribute {
    name = "pk"
    type = "S"
  }
}

# A one-line ignore_changes list of its own: extended, its item kept.
resource "aws_dynamodb_table" "tagged" {
  name           = "tagged"
  billing_mode   = "PROVISIONED"
  hash_key       = "pk"
  read_capacity  = 5
  write_capacity = 5
  attribute {
    name = "pk"
    type = "S"
  }
  lifecycle {
    ignore_changes = [tags]
  }
}

# A lifecycle block without ignore_changes: the argument is added in it.
resource "aws_dynamodb_table" "guarded" {
  name           = "guarded"
  billing_mode   = "PROVISIONED"
  hash_key       = "pk"
  read_capacity  = 5
  write_capacity = 5
  attribute {
    name = "pk"
    type = "S"
  }
  lifecycle {
    prevent_destroy = true
  }
}

# An autoscaled GSI: ignoring global_secondary_index hides every later index change (the unsafe fix).
resource "aws_dynamodb_table" "indexed" {
  name           = "indexed"
  billing_mode   = "PROVISIONED"
  hash_key       = "pk"
  read_capacity  = 5
  write_capacity = 5
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "email"
    type = "S"
  }
  global_secondary_index {
    name            = "byEmail"
    hash_key        = "email"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }
  lifecycle {
    ignore_changes = [
      read_capacity,
      write_capacity,
    ]
  }
}

resource "aws_appautoscaling_target" "indexed_gsi" {
  service_namespace  = "dynamodb"
  resource_id        = "table/indexed/index/byEmail"
  scalable_dimension = "dynamodb:index:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "indexed_gsi" {
  name               = "indexed-gsi-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.indexed_gsi.service_namespace
  resource_id        = aws_appautoscaling_target.indexed_gsi.resource_id
  scalable_dimension = aws_appautoscaling_target.indexed_gsi.scalable_dimension
  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
  }
}

# Already right: left alone.
resource "aws_dynamodb_table" "done" {
  name           = "done"
  billing_mode   = "PROVISIONED"
  hash_key       = "pk"
  read_capacity  = 5
  write_capacity = 5
  attribute {
    name = "pk"
    type = "S"
  }
  lifecycle {
    ignore_changes = [read_capacity, write_capacity]
  }
}

resource "aws_appautoscaling_target" "tables" {
  for_each           = local.scaled
  service_namespace  = "dynamodb"
  resource_id        = "table/${each.value.table}"
  scalable_dimension = each.value.dimension
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "tables" {
  for_each           = local.scaled
  name               = "scale-${replace(each.key, "/", "-")}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.tables[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.tables[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.tables[each.key].scalable_dimension
  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = endswith(each.key, "read") ? "DynamoDBReadCapacityUtilization" : "DynamoDBWriteCapacityUtilization"
    }
  }
}

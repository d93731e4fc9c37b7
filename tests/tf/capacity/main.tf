# Capacity and scaling rules (DDB401-DDB407, DDB409, DDB410). Each bad resource
# has a good twin, and where it matters an "unknown" twin whose value is known
# only after apply (it depends on a resource created in the same plan), on which
# the rules stay silent. Autoscaling targets and policies name their table (or
# target) by reference in some places and by a literal string in others.

resource "aws_sqs_queue" "marker" {
  name = "capacity-marker"
}

locals {
  # true, but only known after apply
  known_later = aws_sqs_queue.marker.arn != ""
  # a number only known after apply
  units_later = length(aws_sqs_queue.marker.arn) > 0 ? 10 : 20
}

# ---------------------------------------------------------------- DDB401 / DDB402

# DDB401 (read and write): provisioned, no autoscaling at all.
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

# DDB401 (write only): billing_mode unset (PROVISIONED). Reads scale through a
# target and a policy written as literal strings; the write target, named by
# reference, has no policy, so writes do not scale.
resource "aws_dynamodb_table" "default_mode" {
  name           = "default-mode"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_appautoscaling_target" "default_mode_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/default-mode"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "default_mode_read" {
  name               = "default-mode-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "dynamodb"
  resource_id        = "table/default-mode"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "default_mode_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.default_mode.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

# The good twin: table and GSI scale on both dimensions, all by reference
# (DDB401/DDB402 silent); GSI write capacity equals the table's (DDB409 silent).
resource "aws_dynamodb_table" "scaled" {
  name           = "scaled"
  billing_mode   = "PROVISIONED"
  read_capacity  = 10
  write_capacity = 10
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "owner"
    type = "S"
  }
  global_secondary_index {
    name            = "by_owner"
    hash_key        = "owner"
    projection_type = "ALL"
    read_capacity   = 10
    write_capacity  = 10
  }
}

resource "aws_appautoscaling_target" "scaled_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.scaled.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

# DDB407 good twin: scale out within 60 s, scale in after 300 s.
resource "aws_appautoscaling_policy" "scaled_read" {
  name               = "scaled-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.scaled_read.service_namespace
  resource_id        = aws_appautoscaling_target.scaled_read.resource_id
  scalable_dimension = aws_appautoscaling_target.scaled_read.scalable_dimension
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value       = 70
    scale_out_cooldown = 60
    scale_in_cooldown  = 300
  }
}

resource "aws_appautoscaling_target" "scaled_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.scaled.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

# Cooldowns not set: DDB407 does not judge them.
resource "aws_appautoscaling_policy" "scaled_write" {
  name               = "scaled-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.scaled_write.service_namespace
  resource_id        = aws_appautoscaling_target.scaled_write.resource_id
  scalable_dimension = aws_appautoscaling_target.scaled_write.scalable_dimension
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "scaled_index_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.scaled.name}/index/by_owner"
  scalable_dimension = "dynamodb:index:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

# DDB407 twice: scales out only every 5 minutes, scales in after 1 minute.
resource "aws_appautoscaling_policy" "scaled_index_read" {
  name               = "scaled-index-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.scaled_index_read.service_namespace
  resource_id        = aws_appautoscaling_target.scaled_index_read.resource_id
  scalable_dimension = aws_appautoscaling_target.scaled_index_read.scalable_dimension
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value       = 70
    scale_out_cooldown = 300
    scale_in_cooldown  = 60
  }
}

resource "aws_appautoscaling_target" "scaled_index_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.scaled.name}/index/by_owner"
  scalable_dimension = "dynamodb:index:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

# DDB407 unknown twin: a cooldown known only after apply is not judged.
resource "aws_appautoscaling_policy" "scaled_index_write" {
  name               = "scaled-index-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.scaled_index_write.service_namespace
  resource_id        = aws_appautoscaling_target.scaled_index_write.resource_id
  scalable_dimension = aws_appautoscaling_target.scaled_index_write.scalable_dimension
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value      = 70
    scale_in_cooldown = local.units_later
  }
}

# Count-indexed targets and policies in a module: "ledger" scales both
# dimensions (silent), "journal" only reads (DDB401 on writes).
module "service" {
  source   = "./modules/scaled_table"
  for_each = { ledger = ["Read", "Write"], journal = ["Read"] }

  name       = each.key
  dimensions = each.value
}

# Writes scale on a schedule only (a scheduled action, no policy): that is
# autoscaling too, DDB401 silent.
resource "aws_dynamodb_table" "scheduled" {
  name           = "scheduled"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_appautoscaling_target" "scheduled_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.scheduled.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "scheduled_read" {
  name               = "scheduled-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.scheduled_read.service_namespace
  resource_id        = aws_appautoscaling_target.scheduled_read.resource_id
  scalable_dimension = aws_appautoscaling_target.scheduled_read.scalable_dimension
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "scheduled_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/scheduled"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_scheduled_action" "scheduled_write_nightly" {
  name               = "scheduled-write-nightly"
  service_namespace  = aws_appautoscaling_target.scheduled_write.service_namespace
  resource_id        = aws_appautoscaling_target.scheduled_write.resource_id
  scalable_dimension = aws_appautoscaling_target.scheduled_write.scalable_dimension
  schedule           = "cron(0 22 * * ? *)"
  scalable_target_action {
    min_capacity = 50
    max_capacity = 100
  }
}

# DDB402: the table scales both dimensions; GSI by_status scales writes only
# (read missing, target named by a literal resource_id), GSI by_day not at all.
resource "aws_dynamodb_table" "gsi_unscaled" {
  name           = "gsi-unscaled"
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
  attribute {
    name = "day"
    type = "S"
  }
  global_secondary_index {
    name            = "by_status"
    hash_key        = "status"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }
  global_secondary_index {
    name            = "by_day"
    hash_key        = "day"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }
}

resource "aws_appautoscaling_target" "gsi_unscaled" {
  for_each           = toset(["Read", "Write"])
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.gsi_unscaled.name}"
  scalable_dimension = "dynamodb:table:${each.key}CapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "gsi_unscaled" {
  for_each           = aws_appautoscaling_target.gsi_unscaled
  name               = "gsi-unscaled-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = each.value.service_namespace
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.scalable_dimension
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDB${each.key}CapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "by_status_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/gsi-unscaled/index/by_status"
  scalable_dimension = "dynamodb:index:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "by_status_write" {
  name               = "by-status-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "dynamodb"
  resource_id        = "table/gsi-unscaled/index/by_status"
  scalable_dimension = "dynamodb:index:WriteCapacityUnits"
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 70
  }
}

# Billing mode known only after apply: DDB401-DDB404 silent, and so is DDB403
# on the target aimed at it.
resource "aws_dynamodb_table" "mode_later" {
  name           = "mode-later"
  billing_mode   = local.known_later ? "PAY_PER_REQUEST" : "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_appautoscaling_target" "mode_later_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.mode_later.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

# ---------------------------------------------------------------- DDB403

# The good twin: on demand, GSI capacity left to the provider (it computes it:
# the unset-on-create case).
resource "aws_dynamodb_table" "on_demand" {
  name         = "on-demand"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "kind"
    type = "S"
  }
  global_secondary_index {
    name            = "by_kind"
    hash_key        = "kind"
    projection_type = "ALL"
  }
}

# DDB403 on the targets: autoscaling aimed at an on-demand table, by reference
# and by a literal resource_id (an index of it).
resource "aws_appautoscaling_target" "on_demand_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.on_demand.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_target" "on_demand_index_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/on-demand/index/by_kind"
  scalable_dimension = "dynamodb:index:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

# DDB403 on the table: GSI by_tag sets capacity on an on-demand table (the
# provider accepts it at plan time); GSI by_kind leaves it unset.
resource "aws_dynamodb_table" "on_demand_gsi_capacity" {
  name         = "on-demand-gsi-capacity"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "tag"
    type = "S"
  }
  attribute {
    name = "kind"
    type = "S"
  }
  global_secondary_index {
    name            = "by_tag"
    hash_key        = "tag"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }
  global_secondary_index {
    name            = "by_kind"
    hash_key        = "kind"
    projection_type = "KEYS_ONLY"
  }
}

# ---------------------------------------------------------------- DDB404

# DDB404 on GSIs: by_bare has no capacity, by_zero has 0 (both pass the plan and
# fail at apply); by_full is the good twin, by_later is known only after apply.
resource "aws_dynamodb_table" "gsi_without_capacity" {
  name           = "gsi-without-capacity"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "g"
    type = "S"
  }
  global_secondary_index {
    name            = "by_full"
    hash_key        = "g"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }
  global_secondary_index {
    name            = "by_bare"
    hash_key        = "g"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name            = "by_zero"
    hash_key        = "g"
    projection_type = "KEYS_ONLY"
    read_capacity   = 0
    write_capacity  = 5
  }
  global_secondary_index {
    name            = "by_later"
    hash_key        = "g"
    projection_type = "KEYS_ONLY"
    read_capacity   = local.units_later
    write_capacity  = local.units_later
  }
}

# ---------------------------------------------------------------- DDB405 / DDB406

resource "aws_dynamodb_table" "bounds" {
  name           = "bounds"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "g"
    type = "S"
  }
  global_secondary_index {
    name            = "by_g"
    hash_key        = "g"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }
}

# DDB405: min_capacity 0.
resource "aws_appautoscaling_target" "bounds_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.bounds.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 0
  max_capacity       = 100
}

# DDB405: target_value above 90.
resource "aws_appautoscaling_policy" "bounds_read" {
  name               = "bounds-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.bounds_read.service_namespace
  resource_id        = aws_appautoscaling_target.bounds_read.resource_id
  scalable_dimension = aws_appautoscaling_target.bounds_read.scalable_dimension
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 95
  }
}

# DDB405: min_capacity above max_capacity.
resource "aws_appautoscaling_target" "bounds_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.bounds.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 50
  max_capacity       = 10
}

# DDB405: target_value below 20 (a fraction instead of a percentage).
resource "aws_appautoscaling_policy" "bounds_write" {
  name               = "bounds-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.bounds_write.service_namespace
  resource_id        = aws_appautoscaling_target.bounds_write.resource_id
  scalable_dimension = aws_appautoscaling_target.bounds_write.scalable_dimension
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 0.7
  }
}

# DDB405: max_capacity above the 40,000 per-table quota (on an index).
resource "aws_appautoscaling_target" "bounds_index_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/bounds/index/by_g"
  scalable_dimension = "dynamodb:index:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 50000
}

# Unknown twin: target_value known only after apply.
resource "aws_appautoscaling_policy" "bounds_index_read" {
  name               = "bounds-index-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "dynamodb"
  resource_id        = "table/bounds/index/by_g"
  scalable_dimension = "dynamodb:index:ReadCapacityUnits"
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = local.units_later * 7
  }
}

# Unknown twin: max_capacity known only after apply.
resource "aws_appautoscaling_target" "bounds_index_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/bounds/index/by_g"
  scalable_dimension = "dynamodb:index:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = local.units_later * 10
}

# DDB406 by reference: a read metric on the write dimension.
resource "aws_appautoscaling_policy" "bounds_index_write" {
  name               = "bounds-index-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.bounds_index_write.service_namespace
  resource_id        = aws_appautoscaling_target.bounds_index_write.resource_id
  scalable_dimension = aws_appautoscaling_target.bounds_index_write.scalable_dimension
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
    target_value = 70
  }
}

# DDB406 by literal value: the policy names the default-mode read target by
# its resource_id and dimension, with the write metric.
resource "aws_appautoscaling_policy" "default_mode_read_swapped" {
  name               = "default-mode-read-swapped"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "dynamodb"
  resource_id        = "table/default-mode"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
    target_value = 70
  }
}

# Non-DynamoDB look-alikes: an ECS service may scale to 0, track CPU at 95 %,
# and wait 10 minutes between scale-outs. DDB401-DDB407 must not judge them.
resource "aws_appautoscaling_target" "ecs" {
  service_namespace  = "ecs"
  resource_id        = "service/cluster/fixed"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = 0
  max_capacity       = 50000
}

resource "aws_appautoscaling_policy" "ecs" {
  name               = "ecs-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.ecs.service_namespace
  resource_id        = aws_appautoscaling_target.ecs.resource_id
  scalable_dimension = aws_appautoscaling_target.ecs.scalable_dimension
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
    target_value       = 95
    scale_out_cooldown = 600
    scale_in_cooldown  = 30
  }
}

# ---------------------------------------------------------------- DDB409 / DDB410

# DDB409: GSI by_slow takes writes at a quarter of the table's rate; by_even is
# the good twin, by_later is known only after apply.
resource "aws_dynamodb_table" "gsi_slow_writes" {
  name           = "gsi-slow-writes"
  billing_mode   = "PROVISIONED"
  read_capacity  = 20
  write_capacity = 20
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "g"
    type = "S"
  }
  global_secondary_index {
    name            = "by_slow"
    hash_key        = "g"
    projection_type = "KEYS_ONLY"
    read_capacity   = 20
    write_capacity  = 5
  }
  global_secondary_index {
    name            = "by_even"
    hash_key        = "g"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 20
  }
  global_secondary_index {
    name            = "by_later"
    hash_key        = "g"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = local.units_later
  }
}

# DDB410: table reads and GSI by_huge writes above 40,000; 40,000 itself (GSI
# by_limit reads, table writes) is at the quota, not above it.
resource "aws_dynamodb_table" "huge" {
  name           = "huge"
  billing_mode   = "PROVISIONED"
  read_capacity  = 50000
  write_capacity = 40000
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "g"
    type = "S"
  }
  global_secondary_index {
    name            = "by_huge"
    hash_key        = "g"
    projection_type = "KEYS_ONLY"
    read_capacity   = 100
    write_capacity  = 45000
  }
  global_secondary_index {
    name            = "by_limit"
    hash_key        = "g"
    projection_type = "KEYS_ONLY"
    read_capacity   = 40000
    write_capacity  = 40000
  }
}

# ---------------------------------------------------------------- matching edge cases

# DDB401: a table called "scaled" in eu-west-1. The targets of "scaled" name
# "table/scaled" but live in us-east-1: they do not scale this one.
resource "aws_dynamodb_table" "scaled_eu" {
  provider       = aws.eu
  name           = "scaled"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# Policies only, by literal resource_id: the targets are registered by another
# stack. The table scales (DDB401 silent).
resource "aws_dynamodb_table" "scaled_elsewhere" {
  name           = "scaled-elsewhere"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_appautoscaling_policy" "scaled_elsewhere" {
  for_each           = toset(["Read", "Write"])
  name               = "scaled-elsewhere-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "dynamodb"
  resource_id        = "table/scaled-elsewhere"
  scalable_dimension = "dynamodb:table:${each.key}CapacityUnits"
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDB${each.key}CapacityUtilization"
    }
    target_value = 70
  }
}

# DDB402 on reads only: the write target of some index of this table has a
# resource_id known only after apply, so whether by_x scales writes is unknown.
resource "aws_dynamodb_table" "index_later" {
  name           = "index-later"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "x"
    type = "S"
  }
  global_secondary_index {
    name            = "by_x"
    hash_key        = "x"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }
}

resource "aws_appautoscaling_target" "index_later" {
  for_each           = toset(["Read", "Write"])
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.index_later.name}"
  scalable_dimension = "dynamodb:table:${each.key}CapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "index_later" {
  for_each           = aws_appautoscaling_target.index_later
  name               = "index-later-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = each.value.service_namespace
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.scalable_dimension
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDB${each.key}CapacityUtilization"
    }
    target_value = 70
  }
}

resource "aws_appautoscaling_target" "index_later_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.index_later.name}/index/${local.known_later ? "by_x" : "by_y"}"
  scalable_dimension = "dynamodb:index:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

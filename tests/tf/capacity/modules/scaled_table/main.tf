# A provisioned table that scales the dimensions it is given, with count-indexed
# targets and policies (the shape of ../../../../shared/bench/reference-tf).

variable "name" {
  type = string
}

variable "dimensions" {
  type    = list(string)
  default = ["Read", "Write"]
}

resource "aws_dynamodb_table" "this" {
  name           = var.name
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_appautoscaling_target" "this" {
  count              = length(var.dimensions)
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.this.name}"
  scalable_dimension = "dynamodb:table:${var.dimensions[count.index]}CapacityUnits"
  min_capacity       = 5
  max_capacity       = 200
}

resource "aws_appautoscaling_policy" "this" {
  count              = length(var.dimensions)
  name               = "DynamoDB${var.dimensions[count.index]}CapacityUtilization:${aws_appautoscaling_target.this[count.index].resource_id}"
  policy_type        = "TargetTrackingScaling"
  resource_id        = aws_appautoscaling_target.this[count.index].resource_id
  scalable_dimension = aws_appautoscaling_target.this[count.index].scalable_dimension
  service_namespace  = aws_appautoscaling_target.this[count.index].service_namespace

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "DynamoDB${var.dimensions[count.index]}CapacityUtilization"
    }
    target_value = 70
  }
}

# The configuration already applied: scripts/terraform_plans.py turns its plan
# into the prior state against which ../main.tf is planned.

resource "aws_dynamodb_table" "to_on_demand" {
  name           = "to-on-demand"
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

resource "aws_appautoscaling_target" "to_on_demand_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.to_on_demand.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_dynamodb_table" "to_provisioned" {
  name         = "to-provisioned"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "default_to_on_demand" {
  name           = "default-to-on-demand"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "steady" {
  name         = "steady"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  tags = {
    Team = "a"
  }
}

resource "aws_dynamodb_table" "decided_later" {
  name           = "decided-later"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "renamed" {
  name         = "renamed-old"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

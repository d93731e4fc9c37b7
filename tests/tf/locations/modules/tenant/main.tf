# One tenant's table: its read capacity comes from the caller.

variable "name" {
  type = string
}

variable "read_capacity" {
  type = number
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PROVISIONED"
  read_capacity               = var.read_capacity
  write_capacity              = 5
  hash_key                    = "pk"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}

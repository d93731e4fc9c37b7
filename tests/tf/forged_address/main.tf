# Values that look like the place of a resource (issue 15): a variable and a table's tags hold
# "address": "aws_dynamodb_table.orders", and both come before the orders entry in the plan
# (variables first; resource_changes sorted by address, so "archive" before "orders"). The
# location of orders' findings in the plan file is its own entry, whatever values say
# (tests/test_loader.py).

variable "decoy" {
  type = any
  default = {
    resource_changes = []
    address          = "aws_dynamodb_table.orders"
  }
}

resource "aws_dynamodb_table" "archive" {
  name                        = "archive"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = true
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  tags = {
    address = "aws_dynamodb_table.orders"
  }
}

# DDB101: PITR off, so it has a finding to locate.
resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = true
  attribute {
    name = "pk"
    type = "S"
  }
}

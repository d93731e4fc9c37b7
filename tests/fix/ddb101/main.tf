# DDB101: every way point_in_time_recovery can be off.

# No block at all: the fix adds one after the other blocks.
resource "aws_dynamodb_table" "absent" {
  name         = "absent"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  tags = {
    Team = "data"
  }
}

# A literal false, with a comment on its line that must survive.
resource "aws_dynamodb_table" "disabled" {
  name         = "disabled"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = false # turned off while testing
  }
}

# An empty block leaves PITR off.
resource "aws_dynamodb_table" "empty_block" {
  name         = "empty-block"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {}
}

# Two instances of one block, both without PITR: one edit fixes both.
resource "aws_dynamodb_table" "counted" {
  count        = 2
  name         = "counted-${count.index}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# The module reads var.pitr: the fix changes the literal at the call...
module "sessions" {
  source = "./modules/table"
  name   = "sessions"
  pitr   = false
}

# ... or, where the call leaves it to the variable's default (false), adds it.
module "carts" {
  source = "./modules/table"
  name   = "carts"
}

# An expression is never overwritten: no fix, and dynalint says why.
resource "aws_dynamodb_table" "decided_elsewhere" {
  name         = "decided-elsewhere"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = length(var.environments) > 5
  }
}

variable "environments" {
  type    = list(string)
  default = ["dev"]
}

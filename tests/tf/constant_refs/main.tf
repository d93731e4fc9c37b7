# A constant value may hold an object with a key named "references" (issue 15): it is a value, not an
# expression, so it names no resource. The plan writes it as {"constant_value": {"references": [...]}};
# read as an expression, it would invent graph edges (tests/test_graph.py). Every name below is a
# literal string inside a constant; only module.keyed passes a real reference, the twin that must
# still make an edge.

resource "aws_kms_key" "rotating" {
  description             = "a key every table here could name"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

# A resource whose own attribute is a constant object with a "references" key.
resource "terraform_data" "note" {
  input = {
    references = ["aws_kms_key.rotating.arn", "aws_dynamodb_table.orders.arn"]
  }
}

resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
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
}

# A module input given as a constant object with a "references" key: the table inside reads another
# field of it, so resolving var.settings walks the constant.
module "constant" {
  source = "./modules/store"
  settings = {
    name        = "constant"
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    references  = ["aws_kms_key.rotating.arn"]
  }
}

# The twin: the same module given the key by reference.
module "keyed" {
  source = "./modules/store"
  settings = {
    name        = "keyed"
    kms_key_arn = aws_kms_key.rotating.arn
  }
}

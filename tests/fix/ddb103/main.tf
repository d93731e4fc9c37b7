# DDB103: deletion protection absent, false, or false at a module call.
resource "aws_dynamodb_table" "absent" {
  name           = "absent"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5 # the minimum we pay for
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "disabled" {
  name                        = "disabled"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = false
  attribute {
    name = "pk"
    type = "S"
  }
}

module "ledger" {
  source  = "./modules/table"
  name    = "ledger"
  protect = false
}

variable "name" {
  type = string
}

variable "protect" {
  type = bool
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = var.protect
  attribute {
    name = "pk"
    type = "S"
  }
}

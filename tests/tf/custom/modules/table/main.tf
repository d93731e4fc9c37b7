variable "name" {
  type = string
}

variable "kms_key_arn" {
  type    = string
  default = null
}

# module.payments.aws_dynamodb_table.this: address globs ("module.payments.*").
resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
  tags = {
    CostCenter = "cc-payments"
  }
}

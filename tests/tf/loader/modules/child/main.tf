variable "name" {
  type = string
}

# A module variable left at its null default: kms_key_arn is not set.
variable "kms_key_arn" {
  type    = string
  default = null
}

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
}

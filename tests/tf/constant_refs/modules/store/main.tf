variable "settings" {
  type = any
}

resource "aws_dynamodb_table" "t" {
  name                        = var.settings.name
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
  server_side_encryption {
    enabled     = true
    kms_key_arn = var.settings.kms_key_arn
  }
}

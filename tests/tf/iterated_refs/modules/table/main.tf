variable "name" {
  type = string
}

variable "billing_mode" {
  type = string
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = var.billing_mode
  read_capacity               = var.billing_mode == "PROVISIONED" ? 5 : null
  write_capacity              = var.billing_mode == "PROVISIONED" ? 5 : null
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

output "name" {
  value = aws_dynamodb_table.this.name
}

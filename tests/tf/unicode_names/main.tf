# Terraform names may hold any Unicode letter (HCL identifiers): real terraform plans these
# resources as aws_dynamodb_table.café and aws_kms_key.clé (tests/test_robust.py).
# DDB101/DDB103 fire on the table, DDB203 on its key.

resource "aws_kms_key" "clé" {
  description = "café tables"
}

resource "aws_dynamodb_table" "café" {
  name         = "cafe"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.clé.arn
  }
  tags = {
    Team = "café"
  }
}

# Shadowing case (data): see ../README.md.
# The tables are the same in every variant: DDB101 (no point-in-time recovery), DDB103 (no
# deletion protection) and more fire on them.
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "sessions" {
  name           = "sessions"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

# A terraform_data resource whose input holds the map: it is in "planned_values" (before the real
# "resource_changes") and in its own resource_changes entry.
resource "terraform_data" "meta" {
  input = {
    resource_changes = [{ address = "aws_s3_bucket.decoy" }]
    format_version   = "1.2"
    variables        = {}
  }
}

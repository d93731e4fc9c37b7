# Shadowing case (default): see ../README.md.
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

# A variable whose default is a map holding a "resource_changes" key: terraform writes it in the
# plan's "variables" section, before "planned_values" and the real "resource_changes".
variable "meta" {
  type = any
  default = {
    resource_changes = [{ address = "aws_s3_bucket.decoy" }]
  }
}

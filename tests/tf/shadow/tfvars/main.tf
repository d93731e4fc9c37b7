# Shadowing case (tfvars): see ../README.md.
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

# The same map, from a tfvars file of the pull request (terraform.tfvars).
variable "meta" {
  type = any
}

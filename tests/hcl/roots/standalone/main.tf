resource "aws_dynamodb_table" "solo" {
  name         = "solo"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

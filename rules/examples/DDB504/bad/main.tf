resource "aws_dynamodb_global_table" "orders" {
  name = "orders"

  replica {
    region_name = "us-east-1"
  }

  replica {
    region_name = "eu-west-1"
  }
}

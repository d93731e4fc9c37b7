# Values the plan marks sensitive must never reach any output.
# The canary string below is grepped for in every report format.

variable "canary" {
  type      = string
  sensitive = true
  default   = "CANARY-7f3a9c-do-not-print"
}

# DDB101/DDB103 fire here: the messages name the table, whose name is sensitive.
resource "aws_dynamodb_table" "secret_name" {
  name         = "${var.canary}-table"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  tags = {
    Owner = var.canary
  }
}

resource "aws_dynamodb_table_item" "secret_item" {
  table_name = aws_dynamodb_table.secret_name.name
  hash_key   = "pk"
  item = jsonencode({
    pk    = { S = "item-1" }
    token = { S = var.canary }
  })
}

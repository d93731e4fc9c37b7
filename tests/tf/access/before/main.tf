# The configuration already applied: scripts/terraform_plans.py turns its plan
# into the prior state against which ../main.tf is planned. In that state the
# table's ARN is known, and a security group's id is a stand-in: its name.

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "legacy" {
  name   = "legacy-dax"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 8111
    to_port     = 8111
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_dynamodb_table" "legacy" {
  name         = "legacy"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "status"
    type = "S"
  }
  global_secondary_index {
    name            = "by_status"
    hash_key        = "status"
    projection_type = "ALL"
  }
}

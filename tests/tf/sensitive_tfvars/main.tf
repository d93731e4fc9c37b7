# A sensitive variable whose value comes from a tfvars file (terraform.tfvars), so the plan holds
# it in its "variables" section only; the configuration has no default to learn it from.
# tests/test_soundness.py checks that the value is printed in no format, whatever the order of the
# plan's keys. The table breaks DDB101/DDB103, so that findings about it are printed.

variable "owner" {
  type      = string
  sensitive = true
}

resource "aws_dynamodb_table" "owned" {
  name         = "owned"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# The only copy of the value in the plan's resources, and terraform does not mark it sensitive: it
# goes through nonsensitive() into the name, which the findings about this table quote. dynalint
# learns it is a secret from the variables section alone.
resource "aws_dynamodb_table" "copied" {
  name         = "copy-${nonsensitive(var.owner)}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# Disposable tables without backups (DDB101, DDB103, DDB201): the config tests
# ignore them with the address glob "module.sandbox.*", whose addresses hold
# brackets (for_each keys) that a glob must take literally.

variable "names" {
  type = set(string)
}

resource "aws_dynamodb_table" "scratch" {
  for_each     = var.names
  name         = "scratch-${each.key}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

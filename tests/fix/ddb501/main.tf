# DDB501: a view type without stream_enabled = true.

# stream_enabled left out: the view type says a stream was meant (safe fix).
resource "aws_dynamodb_table" "implied" {
  name             = "implied"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "pk"
    type = "S"
  }
}

# stream_enabled = false written: which was meant is not certain (unsafe fix).
resource "aws_dynamodb_table" "contradicted" {
  name             = "contradicted"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = false
  stream_view_type = "KEYS_ONLY"
  attribute {
    name = "pk"
    type = "S"
  }
}

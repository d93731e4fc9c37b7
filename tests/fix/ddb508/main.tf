# DDB508: stream consumers that retry whole batches (an unsafe fix: it changes how Lambda calls them).
resource "aws_dynamodb_table" "orders" {
  name             = "orders"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_lambda_event_source_mapping" "indexer" {
  function_name     = "orders-indexer"
  event_source_arn  = aws_dynamodb_table.orders.stream_arn
  starting_position = "LATEST"
}

# An empty list is extended, not replaced.
resource "aws_lambda_event_source_mapping" "auditor" {
  function_name           = "orders-auditor"
  event_source_arn        = aws_dynamodb_table.orders.stream_arn
  starting_position       = "TRIM_HORIZON"
  function_response_types = []
}

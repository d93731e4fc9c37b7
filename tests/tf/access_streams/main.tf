# DDB602 and the usual stream-consumer policy: Query on a new table and
# GetRecords on its stream. The policy is known only after apply (the table is
# new): the rule judges it from this .tf, alone or beside the plan. A stream
# ARN is never an index ARN, so the stream statement must not silence it.

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

  attribute {
    name = "customer"
    type = "S"
  }

  global_secondary_index {
    name            = "by_customer"
    hash_key        = "customer"
    projection_type = "KEYS_ONLY"
  }
}

# DDB602: Query on the table, not on its indexes; the stream statement changes nothing.
resource "aws_iam_policy" "stream_consumer" {
  name = "orders-stream-consumer"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:Query"]
        Resource = aws_dynamodb_table.orders.arn
      },
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"]
        Resource = aws_dynamodb_table.orders.stream_arn
      },
    ]
  })
}

# Silent: the same policy with the table's indexes.
resource "aws_iam_policy" "stream_consumer_with_indexes" {
  name = "orders-stream-consumer-with-indexes"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:Query"]
        Resource = [aws_dynamodb_table.orders.arn, "${aws_dynamodb_table.orders.arn}/index/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"]
        Resource = "${aws_dynamodb_table.orders.stream_arn}"
      },
    ]
  })
}

# Silent: a Resource piece known only after apply that could be anything (here
# another resource's id, which could hold an index ARN).
resource "aws_sqs_queue" "marker" {
  name = "marker"
}

resource "aws_iam_policy" "could_be_the_index" {
  name = "could-be-the-index"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:Query"]
        Resource = [aws_dynamodb_table.orders.arn, aws_sqs_queue.marker.url]
      },
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetRecords"]
        Resource = aws_dynamodb_table.orders.stream_arn
      },
    ]
  })
}

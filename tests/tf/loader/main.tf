# Loader cases: what the plan shows as unknown, and what dynalint reads.

resource "aws_sqs_queue" "marker" {
  name = "loader-marker"
}

locals {
  known_later = aws_sqs_queue.marker.arn != ""
}

# A dynamic block whose for_each is known only after apply: the plan marks the
# block unknown and the configuration JSON does not show it. It stays unknown.
resource "aws_lambda_event_source_mapping" "dynamic_destination" {
  event_source_arn  = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-01-01T00:00:00.000"
  function_name     = "consumer"
  starting_position = "LATEST"
  dynamic "destination_config" {
    for_each = local.known_later ? [1] : []
    content {
      on_failure {
        destination_arn = aws_sqs_queue.marker.arn
      }
    }
  }
}

# One index writes its capacity, the other leaves it to the provider: only the
# first is "configured" (matched by index name, not as a union of both blocks).
resource "aws_dynamodb_table" "two_indexes" {
  name         = "two-indexes"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "a"
    type = "S"
  }
  attribute {
    name = "b"
    type = "S"
  }
  global_secondary_index {
    name            = "by-a"
    hash_key        = "a"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }
  global_secondary_index {
    name            = "by-b"
    hash_key        = "b"
    projection_type = "KEYS_ONLY"
  }
}

module "child" {
  source = "./modules/child"
  name   = "child-table"
}

# Default tags written with an expression: not known to dynalint, so tag rules stay silent.
resource "aws_dynamodb_table" "tagged_by_provider" {
  provider     = aws.tagged
  name         = "tagged-by-provider"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# Streams and global tables (DDB501-DDB509), planned on create. Each bad
# resource has a good twin, and an "unknown" twin whose setting is known only
# after apply (it depends on a resource created in the same plan), on which
# the rules stay silent. providers.tf adds the aws.west provider (us-west-2).

resource "aws_sqs_queue" "marker" {
  name = "streams-marker"
}

locals {
  # true, but only known after apply
  known_later = aws_sqs_queue.marker.arn != ""
}

# ---------------------------------------------------------------- DDB501

# DDB501: a view type without stream_enabled passes plan; no stream is created.
resource "aws_dynamodb_table" "view_without_stream" {
  name             = "view-without-stream"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_view_type = "KEYS_ONLY"
  attribute {
    name = "pk"
    type = "S"
  }
}

# DDB501: stream disabled, view type still written.
resource "aws_dynamodb_table" "disabled_with_view" {
  name             = "disabled-with-view"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = false
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "pk"
    type = "S"
  }
}

# Silent: stream off and no view type (the plan shows the view type as known
# after apply: Optional+Computed, left out by the configuration).
resource "aws_dynamodb_table" "stream_off" {
  name           = "stream-off"
  billing_mode   = "PAY_PER_REQUEST"
  hash_key       = "pk"
  stream_enabled = false
  attribute {
    name = "pk"
    type = "S"
  }
}

# Silent: the good twin (its stream feeds the mappings below).
resource "aws_dynamodb_table" "stream_on" {
  name             = "stream-on"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "pk"
    type = "S"
  }
}

# Silent: stream_enabled known only after apply.
resource "aws_dynamodb_table" "stream_decided_later" {
  name             = "stream-decided-later"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = local.known_later
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "pk"
    type = "S"
  }
}

# ---------------------------------------------------------------- DDB502

# DDB502: replicas, no stream at all.
resource "aws_dynamodb_table" "global_no_stream" {
  name         = "global-no-stream"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
}

# DDB502: replicas on a stream without the old images.
resource "aws_dynamodb_table" "global_new_image" {
  name             = "global-new-image"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
}

# Silent on DDB502 and DDB505: the good twin, three distinct replica regions.
resource "aws_dynamodb_table" "global_ok" {
  name             = "global-ok"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
  replica {
    region_name = "us-west-2"
  }
  replica {
    region_name = "ap-south-1"
  }
}

# Silent on DDB502 (stream_enabled) and DDB505 (a region known only after apply).
resource "aws_dynamodb_table" "global_later" {
  name             = "global-later"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = local.known_later
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = local.known_later ? "eu-west-1" : "eu-west-2"
  }
  replica {
    region_name = "eu-west-1"
  }
}

# DDB502 through a standalone replica that names the table by reference ...
resource "aws_dynamodb_table" "replicated_by_reference" {
  name         = "replicated-by-reference"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table_replica" "by_reference" {
  provider         = aws.west
  global_table_arn = aws_dynamodb_table.replicated_by_reference.arn
}

# ... and through one that names it by a literal ARN.
resource "aws_dynamodb_table" "replicated_by_arn" {
  name             = "replicated-by-arn"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "KEYS_ONLY"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table_replica" "by_arn" {
  provider         = aws.west
  global_table_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/replicated-by-arn"
}

# ---------------------------------------------------------------- DDB504

# DDB504: a legacy (2017.11.29) global table over two regional tables, which
# are themselves fine.
resource "aws_dynamodb_table" "legacy_east" {
  name             = "legacy"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "legacy_west" {
  provider         = aws.west
  name             = "legacy"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_global_table" "legacy" {
  name = "legacy"
  replica {
    region_name = "us-east-1"
  }
  replica {
    region_name = "us-west-2"
  }
  depends_on = [aws_dynamodb_table.legacy_east, aws_dynamodb_table.legacy_west]
}

# ---------------------------------------------------------------- DDB505

# DDB505: two identical replica blocks; the plan's set keeps one, the
# configuration keeps both.
resource "aws_dynamodb_table" "duplicate_identical" {
  name             = "duplicate-identical"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
  replica {
    region_name = "eu-west-1"
  }
}

# DDB505: the same region twice with different settings: the plan keeps both.
resource "aws_dynamodb_table" "duplicate_differing" {
  name             = "duplicate-differing"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
  replica {
    region_name            = "eu-west-1"
    point_in_time_recovery = true
  }
}

# DDB505: a replica in the provider's own region (us-east-1).
resource "aws_dynamodb_table" "own_region" {
  name             = "own-region"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "us-east-1"
  }
}

# DDB505: a table of the aws.west provider with a replica in us-west-2; its
# us-east-1 replica is fine.
resource "aws_dynamodb_table" "west_own_region" {
  provider         = aws.west
  name             = "west-own-region"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "us-west-2"
  }
  replica {
    region_name = "us-east-1"
  }
}

# ---------------------------------------------------------------- DDB506-DDB509

resource "aws_sqs_queue" "stream_dlq" {
  name = "stream-failures"
}

# DDB506, DDB507, DDB508 by reference to the table's stream: nothing but the
# required settings. The plan shows the retry settings as known after apply
# (Optional+Computed, left out): the AWS defaults, -1 = retry until the record
# expires.
resource "aws_lambda_event_source_mapping" "bare" {
  function_name     = "stream-consumer"
  event_source_arn  = aws_dynamodb_table.stream_on.stream_arn
  starting_position = "LATEST"
}

# Silent: the good twin.
resource "aws_lambda_event_source_mapping" "hardened" {
  function_name                  = "stream-consumer"
  event_source_arn               = aws_dynamodb_table.stream_on.stream_arn
  starting_position              = "TRIM_HORIZON"
  batch_size                     = 500
  parallelization_factor         = 2
  maximum_retry_attempts         = 3
  bisect_batch_on_function_error = true
  function_response_types        = ["ReportBatchItemFailures"]
  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.stream_dlq.arn
    }
  }
}

# DDB506 and DDB507 by a literal stream ARN of a table in this plan, the
# defaults written out (-1); ReportBatchItemFailures keeps DDB508 silent.
resource "aws_lambda_event_source_mapping" "by_literal_arn" {
  function_name                 = "stream-consumer"
  event_source_arn              = "arn:aws:dynamodb:us-east-1:123456789012:table/stream-on/stream/2026-01-01T00:00:00.000"
  starting_position             = "LATEST"
  maximum_retry_attempts        = -1
  maximum_record_age_in_seconds = -1
  function_response_types       = ["ReportBatchItemFailures"]
}

# DDB506 only (a table not in this plan): the record age bounds the retries,
# bisection splits bad batches.
resource "aws_lambda_event_source_mapping" "age_bounded" {
  function_name                  = "stream-consumer"
  event_source_arn               = "arn:aws:dynamodb:us-east-1:123456789012:table/elsewhere/stream/2026-01-01T00:00:00.000"
  starting_position              = "LATEST"
  maximum_record_age_in_seconds  = 3600
  bisect_batch_on_function_error = true
}

# DDB507: a record age of 7 days bounds nothing on a stream that keeps records 24 hours.
resource "aws_lambda_event_source_mapping" "week_long_age" {
  function_name                 = "stream-consumer"
  event_source_arn              = aws_dynamodb_table.stream_on.stream_arn
  starting_position             = "LATEST"
  maximum_record_age_in_seconds = 604800
  function_response_types       = ["ReportBatchItemFailures"]
  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.stream_dlq.arn
    }
  }
}

# DDB509: batch_size above 10000 and AT_TIMESTAMP both pass plan.
resource "aws_lambda_event_source_mapping" "invalid_parameters" {
  function_name               = "stream-consumer"
  event_source_arn            = aws_dynamodb_table.stream_on.stream_arn
  starting_position           = "AT_TIMESTAMP"
  starting_position_timestamp = "2026-01-01T00:00:00Z"
  batch_size                  = 20000
  maximum_retry_attempts      = 3
  function_response_types     = ["ReportBatchItemFailures"]
  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.stream_dlq.arn
    }
  }
}

# DDB509: no starting_position (required for a stream); batch_size = 0 is the
# provider's "not set" (AWS default 100), not an error.
resource "aws_lambda_event_source_mapping" "no_starting_position" {
  function_name           = "stream-consumer"
  event_source_arn        = aws_dynamodb_table.stream_on.stream_arn
  batch_size              = 0
  maximum_retry_attempts  = 3
  function_response_types = ["ReportBatchItemFailures"]
  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.stream_dlq.arn
    }
  }
}

# Silent on DDB506-DDB509: every judged setting known only after apply.
resource "aws_lambda_event_source_mapping" "decided_later" {
  function_name                  = "stream-consumer"
  event_source_arn               = aws_dynamodb_table.stream_on.stream_arn
  starting_position              = local.known_later ? "LATEST" : "AT_TIMESTAMP"
  batch_size                     = local.known_later ? 100 : 20000
  maximum_retry_attempts         = local.known_later ? 3 : -1
  bisect_batch_on_function_error = local.known_later
  destination_config {
    on_failure {
      destination_arn = local.known_later ? aws_sqs_queue.stream_dlq.arn : aws_sqs_queue.marker.arn
    }
  }
}

# Not DynamoDB streams, never judged: a Kinesis stream by reference and by a
# literal ARN with "stream/" in it (AT_TIMESTAMP is valid there), and an SQS queue.
resource "aws_kinesis_stream" "events" {
  name = "events"
  stream_mode_details {
    stream_mode = "ON_DEMAND"
  }
}

resource "aws_lambda_event_source_mapping" "kinesis" {
  function_name     = "stream-consumer"
  event_source_arn  = aws_kinesis_stream.events.arn
  starting_position = "LATEST"
}

resource "aws_lambda_event_source_mapping" "kinesis_literal" {
  function_name               = "stream-consumer"
  event_source_arn            = "arn:aws:kinesis:us-east-1:123456789012:stream/dynamodb-changes"
  starting_position           = "AT_TIMESTAMP"
  starting_position_timestamp = "2026-01-01T00:00:00Z"
}

resource "aws_lambda_event_source_mapping" "sqs" {
  function_name    = "stream-consumer"
  event_source_arn = aws_sqs_queue.marker.arn
  batch_size       = 10
}

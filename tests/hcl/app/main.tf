# A realistic root module for dynalint's .tf tests: a local module called with
# for_each, variables with defaults and tfvars, locals, count, dynamic blocks,
# heredoc and jsonencode policies, and dynalint:ignore comments. Each resource
# says which findings it is for; tests/test_hcl.py lints this tree and the
# plan real terraform made of it and expects the same findings at the same lines.

resource "aws_sqs_queue" "marker" {
  name = "hcl-marker"
}

locals {
  # true, but known only after apply (the plan cannot tell either)
  known_later    = aws_sqs_queue.marker.arn != ""
  legacy_key_arn = aws_kms_key.legacy.arn
  name_prefix    = "${var.environment}-app"
}

# The good key: rotation on, the 30-day window comes from terraform.tfvars.
resource "aws_kms_key" "tables" {
  description             = "DynamoDB tables of ${local.name_prefix}"
  enable_key_rotation     = true
  deletion_window_in_days = var.key_deletion_window
}

# DDB203 + DDB204: no rotation, 7-day window. Table 'legacy' uses it through
# local.legacy_key_arn, which only the .tf input follows (see the test).
resource "aws_kms_key" "legacy" {
  description             = "legacy key"
  deletion_window_in_days = 7
}

# dynalint:ignore=DDB101 this comment is separated from the module block below: DL003

# The tables, one module instance each; 'sessions' has PITR off (DDB101,
# suppressed in the module with a reason).
module "tables" {
  source   = "./modules/table"
  for_each = var.tables

  name        = "${var.environment}-${each.key}"
  hash_key    = each.value.hash_key
  range_key   = each.value.range_key
  pitr        = each.value.pitr
  kms_key_arn     = aws_kms_key.tables.arn
  alarm_topic_arn = aws_sns_topic.alarms.arn
  tags            = { Team = "payments", Table = each.key }
}

resource "aws_sns_topic" "alarms" {
  name = "${local.name_prefix}-alarms"
}

# DDB403: an autoscaling target on an on-demand table, found by reference
# through the module's output (the value is also the literal "table/prod-orders").
resource "aws_appautoscaling_target" "orders_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${module.tables["orders"].table_name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

# for_each over a set: contributor insights for both module tables (DDB703 stays silent on them).
resource "aws_dynamodb_contributor_insights" "tables" {
  for_each   = toset(keys(var.tables))
  table_name = module.tables[each.key].table_name
}

# count from a bool variable: audit[0]. DDB101 and DDB103 are accepted with a
# reason in the comment directly above; the # checkov:skip below it suppresses
# nothing of dynalint (DDB201 stays).
# dynalint:ignore=DDB101,DDB103 the audit log is re-exported nightly to S3
#checkov:skip=CKV_AWS_119: dynalint does not read checkov's comments
resource "aws_dynamodb_table" "audit" {
  count        = var.enable_audit ? 1 : 0
  name         = "${local.name_prefix}-audit"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "event_id"

  attribute {
    name = "event_id"
    type = "S"
  }
}

# DDB603: a heredoc resource policy that lets anyone read the audit table.
resource "aws_dynamodb_resource_policy" "audit" {
  count        = var.enable_audit ? 1 : 0
  resource_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/prod-app-audit"
  policy       = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "PublicRead",
          "Effect": "Allow",
          "Principal": "*",
          "Action": ["dynamodb:GetItem", "dynamodb:Query"],
          "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/prod-app-audit"
        }
      ]
    }
  EOT
}

# DDB601: a jsonencode identity policy that allows every DynamoDB action.
resource "aws_iam_policy" "tables_admin" {
  name = "${local.name_prefix}-tables-admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "dynamodb:*"
      Resource = "arn:aws:dynamodb:${var.region}:123456789012:table/${var.environment}-*"
    }]
  })
}

# A global table: dynamic replica blocks from var.replica_regions. DDB102 (the
# eu-west-1 replica has no PITR) and DDB205 (it has no key of its own).
resource "aws_dynamodb_table" "events" {
  name                        = "${local.name_prefix}-events"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.tables.arn
  }
  dynamic "replica" {
    for_each = var.replica_regions
    content {
      region_name = replica.value
    }
  }
  lifecycle {
    prevent_destroy = true
  }
}

# DDB103 is suppressed by a // comment that gives no reason: DL001.
// dynalint:ignore=DDB103
resource "aws_dynamodb_table" "legacy" {
  name         = "legacy"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = local.legacy_key_arn
  }
  point_in_time_recovery {
    enabled = true
  }
}

# Deletion protection known only after apply: DDB103 stays silent (.tf and plan).
# The ignore comment names DDB1O1 (a letter O): DL002, and DDB101 is not suppressed.
resource "aws_dynamodb_table" "decided_later" {
  # dynalint:ignore=DDB1O1 typo in the id
  name                        = "${local.name_prefix}-decided-later"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = local.known_later

  attribute {
    name = "pk"
    type = "S"
  }
}

# A table in us-west-2 through the provider alias (no default tags there: DDB704).
resource "aws_dynamodb_table" "west" {
  provider                    = aws.west
  name                        = "${local.name_prefix}-west"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
}

# DDB603 from an aws_iam_policy_document (read at plan time by terraform,
# rendered by dynalint from the .tf): anyone, narrowed only by TLS.
data "aws_iam_policy_document" "events_access" {
  statement {
    sid       = "AnyoneOverTls"
    actions   = ["dynamodb:Query", "dynamodb:GetItem"]
    resources = ["arn:aws:dynamodb:us-east-1:123456789012:table/prod-app-events"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
}

resource "aws_dynamodb_resource_policy" "events" {
  resource_arn = aws_dynamodb_table.events.arn
  policy       = data.aws_iam_policy_document.events_access.json
}

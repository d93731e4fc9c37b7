# A team's tables through a local module with for_each; one table changes its
# sort key (a replacement), one new table is added without the module.

resource "aws_kms_key" "tables" {
  description             = "team tables"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_sns_topic" "alarms" {
  name = "team-alarms"
}

module "tables" {
  source   = "./modules/table"
  for_each = {
    # DDB105: users now sorts by "created_at": the table is replaced, empty.
    users  = { hash_key = "id", range_key = "created_at", billing_mode = "PROVISIONED" }
    orders = { hash_key = "order_id", range_key = null, billing_mode = "PAY_PER_REQUEST" }
    carts  = { hash_key = "cart_id", range_key = null, billing_mode = "PAY_PER_REQUEST" }
  }
  name            = "team-${each.key}"
  hash_key        = each.value.hash_key
  range_key       = each.value.range_key
  billing_mode    = each.value.billing_mode
  kms_key_arn     = aws_kms_key.tables.arn
  alarm_topic_arn = aws_sns_topic.alarms.arn
  tags            = { Team = "growth" }
}

# Written by hand, outside the module: PITR and deletion protection forgotten.
resource "aws_dynamodb_table" "feature_flags" {
  count        = 1
  name         = "team-feature-flags"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "flag"

  attribute {
    name = "flag"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.tables.arn
  }

  tags = { Team = "growth" }
}

resource "aws_iam_policy" "tables_rw" {
  name = "team-tables-rw"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
      Resource = [for t in module.tables : t.table_arn]
    }]
  })
}

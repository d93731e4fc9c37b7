# What is deployed: the same tables, with users sorted by "ts".

resource "aws_kms_key" "tables" {
  description             = "team tables"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_sns_topic" "alarms" {
  name = "team-alarms"
}

module "tables" {
  source   = "../modules/table"
  for_each = {
    users  = { hash_key = "id", range_key = "ts", billing_mode = "PROVISIONED" }
    orders = { hash_key = "order_id", range_key = null, billing_mode = "PAY_PER_REQUEST" }
  }
  name            = "team-${each.key}"
  hash_key        = each.value.hash_key
  range_key       = each.value.range_key
  billing_mode    = each.value.billing_mode
  kms_key_arn     = aws_kms_key.tables.arn
  alarm_topic_arn = aws_sns_topic.alarms.arn
  tags            = { Team = "growth" }
}

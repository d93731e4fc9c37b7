# A configuration with data sources only (tests/test_robust.py): the plan has no resource
# changes, and there is nothing for the rules to check. aws_iam_policy_document is computed
# by the provider itself, without calling AWS.

data "aws_iam_policy_document" "read_tables" {
  statement {
    actions   = ["dynamodb:GetItem", "dynamodb:Query"]
    resources = ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"]
  }
}

output "policy" {
  value = data.aws_iam_policy_document.read_tables.json
}

# Written for dynalint's tests, not copied from a repository: the shape of a root module whose provider
# takes its default tags from a local naming module (`default_tags { tags = module.naming.default_tags }`
# is common; here the naming module is cloudposse/label/null, vendored, whose `tags` output is the usual
# source). The table itself writes no tags: every tag it gets comes from the provider.

module "naming" {
  source = "../vendor/terraform-null-label"

  namespace = "eg"
  stage     = "prod"
  name      = "orders"
}

resource "aws_kms_key" "orders" {
  description             = "orders table"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_dynamodb_table" "orders" {
  name                        = module.naming.id
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

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.orders.arn
  }
}

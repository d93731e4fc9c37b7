# Written for dynalint's tests, not copied from a repository: a global table made with the vendored
# cloudposse/dynamodb/aws module, the way its README documents `replicas` (a list of regions). The
# module writes every replica block itself (`kms_key_arn = null`, `point_in_time_recovery = false`):
# no input of the module gives a replica its own key or turns its point-in-time recovery on.

resource "aws_kms_key" "table" {
  description         = "orders table"
  enable_key_rotation = true
}

module "orders" {
  source = "../vendor/terraform-aws-dynamodb"

  namespace = "eg"
  stage     = "prod"
  name      = "orders"

  hash_key                           = "pk"
  range_key                          = ""
  billing_mode                       = "PAY_PER_REQUEST"
  enable_autoscaler                  = false
  deletion_protection_enabled        = true
  server_side_encryption_kms_key_arn = aws_kms_key.table.arn
  stream_view_type                   = "NEW_AND_OLD_IMAGES"
  replicas                           = ["us-west-2"]
}

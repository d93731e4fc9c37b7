# Locations: each finding about an attribute or a nested block points at the
# line (and column) that writes it, here and in the plan read beside this file.
# tests/test_locations.py finds the expected lines by their text, so keep the
# marked lines unique. (DDB302, an attribute no key uses, is a .tf-only case:
# the provider refuses it at plan time; the test writes it.)

resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  billing_mode                = "PROVISIONED"
  read_capacity               = 50000 # DDB410: above the per-table quota
  write_capacity              = 5
  hash_key                    = "pk"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "email"
    type = "S"
  }

  dynamic "attribute" {
    for_each = ["sk"]
    content {
      name = attribute.value
      type = "S"
    }
  }

  global_secondary_index {
    name            = "byEmail"
    hash_key        = "email"
    range_key       = "sk"
    projection_type = "ALL" # DDB311
    read_capacity   = 5
    write_capacity  = 5
  }

  point_in_time_recovery {
    enabled = true
  }
}

# A module called once per tenant: the capacity is written here, at the call.
module "tenant" {
  source = "./modules/tenant"
  for_each = {
    acme   = { read = 5 }
    globex = { read = 45000 } # DDB410 for module.tenant["globex"]
  }
  name          = "tenant-${each.key}"
  read_capacity = each.value.read
}

# A multi-line policy: the statement is the place, not the resource.
resource "aws_iam_policy" "admin" {
  name = "orders-admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadOrders"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem"]
        Resource = aws_dynamodb_table.orders.arn
      },
      {
        Sid      = "Everything" # DDB601
        Effect   = "Allow"
        Action   = "dynamodb:*"
        Resource = "*"
      },
    ]
  })
}

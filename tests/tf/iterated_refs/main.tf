# Resources made with for_each that refer to the instance of another for_each of the same key (issue 15):
# each one names that instance alone. Read as naming every instance, a thousand targets each tied to a
# thousand tables (time in the square of their number), and a target made of the provisioned entry was
# reported as scaling the on-demand table of the other entry (DDB403).

locals {
  billing = { orders = "PROVISIONED", events = "PAY_PER_REQUEST" }
}

# each.value of a for_each over a resource: read from the .tf files beside the plan (the plan's
# configuration writes the reference as "each.value", which names nothing).
resource "aws_dynamodb_table" "direct" {
  for_each                    = local.billing
  name                        = "direct-${each.key}"
  billing_mode                = each.value
  read_capacity               = each.value == "PROVISIONED" ? 5 : null
  write_capacity              = each.value == "PROVISIONED" ? 5 : null
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

resource "aws_appautoscaling_target" "direct" {
  for_each           = aws_dynamodb_table.direct
  resource_id        = "table/${each.value.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  service_namespace  = "dynamodb"
  min_capacity       = 5
  max_capacity       = 50
}

# module.x[each.key]: the plan's configuration writes the reference as "module.tables", without the key.
module "tables" {
  source       = "./modules/table"
  for_each     = local.billing
  name         = "moduled-${each.key}"
  billing_mode = each.value
}

resource "aws_appautoscaling_target" "moduled" {
  for_each           = local.billing
  resource_id        = "table/${module.tables[each.key].name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  service_namespace  = "dynamodb"
  min_capacity       = 5
  max_capacity       = 50
}

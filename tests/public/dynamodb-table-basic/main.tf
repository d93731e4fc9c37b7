# dynalint fixture trim: hashicorp/random is not in the offline provider mirror: the random_pet name is a fixed
# local (the table names are then known at plan time).
locals {
  random_pet = "brave-otter"
}

module "dynamodb_table" {
  source = "../vendor/terraform-aws-dynamodb-table" # dynalint fixture trim: "../../"

  name                        = "my-table-${local.random_pet}"
  hash_key                    = "id"
  range_key                   = "title"
  table_class                 = "STANDARD"
  deletion_protection_enabled = false

  attributes = [
    {
      name = "id"
      type = "N"
    },
    {
      name = "title"
      type = "S"
    },
    {
      name = "age"
      type = "N"
    }
  ]

  global_secondary_indexes = [
    {
      name               = "TitleIndex"
      hash_key           = "title"
      range_key          = "age"
      projection_type    = "INCLUDE"
      non_key_attributes = ["id"]

      on_demand_throughput = {
        max_write_request_units = 1
        max_read_request_units  = 1
      }
    }
  ]

  on_demand_throughput = {
    max_read_request_units  = 1
    max_write_request_units = 1
  }

  resource_policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowDummyRoleAccess",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::222222222222:role/DummyRole"
      },
      "Action": "dynamodb:GetItem",
      "Resource": "__DYNAMODB_TABLE_ARN__"
    }
  ]
}
POLICY

  tags = {
    Terraform   = "true"
    Environment = "staging"
  }
}


module "disabled_dynamodb_table" {
  source = "../vendor/terraform-aws-dynamodb-table" # dynalint fixture trim: "../../"

  create_table = false
}

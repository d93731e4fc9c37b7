# dynalint fixture trim: the provider block moved to providers.tf (offline)

#############################################
# Lambda Function (building package locally)
#############################################

module "lambda_function" {
  # dynalint fixture trim: the registry module terraform-aws-modules/lambda/aws ~> 4.0, here v7.21.1 vendored
  source = "../vendor/terraform-aws-lambda"

  function_name = "${local.random_pet}-lambda"
  description   = "My awesome lambda function"
  handler       = "index.lambda_handler"
  # dynalint fixture trim: python3.14 is newer than the aws provider 5.100 knows
  runtime       = "python3.13"
  publish       = true

  # dynalint fixture trim: no package build (package.tf is not vendored): an existing package instead of source_path
  create_package         = false
  local_existing_package = "${path.module}/lambda.zip"

  allowed_triggers = {
    dynamodb = {
      principal  = "dynamodb.amazonaws.com"
      source_arn = module.dynamodb_table.dynamodb_table_stream_arn
    }
  }

  event_source_mapping = {
    dynamodb = {
      event_source_arn  = module.dynamodb_table.dynamodb_table_stream_arn
      starting_position = "LATEST"
      filter_criteria = {
        pattern = jsonencode({
          eventName : ["INSERT"]
        })
      }
    }
  }

  attach_policies    = true
  number_of_policies = 1

  policies = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
  ]

  tags = {
    Pattern = "terraform-dynamodb-streams-lambda"
    Module  = "lambda_function"
  }
}

#############################################
# DynamoDB Table with stream enabled
#############################################
module "dynamodb_table" {
  # dynalint fixture trim: the registry module terraform-aws-modules/dynamodb-table/aws ~> 1.0, here v4.4.0 vendored
  source = "../vendor/terraform-aws-dynamodb-table"

  name             = "${local.random_pet}-table-with-stream"
  hash_key         = "id"
  table_class      = "STANDARD"
  stream_view_type = "NEW_AND_OLD_IMAGES"
  stream_enabled   = true

  attributes = [
    {
      name = "id"
      type = "N"
    }
  ]

  tags = {
    Pattern = "terraform-dynamodb-streams-lambda"
    Module  = "dynamodb_table"
  }
}

##################
# Extra resources
##################

# dynalint fixture trim: hashicorp/random is not in the offline provider mirror: the random_pet name is a fixed
# local (the names are then known at plan time).
locals {
  random_pet = "brave-otter"
}

# dynalint fixture trim: the provider block moved to providers.tf (offline); the data sources
# aws_availability_zones and aws_organizations_organization (they call AWS) removed with what used them.

####################################################
# Lambda Function with event source mapping
####################################################

module "lambda_function" {
  source = "../vendor/terraform-aws-lambda" # dynalint fixture trim: "../../"

  function_name = "${local.random_pet}-lambda-event-source-mapping"
  handler       = "index.lambda_handler"
  runtime       = "python3.12"

  # dynalint fixture trim: no package build (package.tf is not vendored): an existing package instead of source_path
  create_package         = false
  local_existing_package = "${path.module}/lambda.zip"

  event_source_mapping = {
    sqs = {
      event_source_arn        = aws_sqs_queue.this.arn
      function_response_types = ["ReportBatchItemFailures"]
      scaling_config = {
        maximum_concurrency = 20
      }
      metrics_config = {
        metrics = ["EventCount"]
      }
    }
    dynamodb = {
      event_source_arn           = aws_dynamodb_table.this.stream_arn
      starting_position          = "LATEST"
      destination_arn_on_failure = aws_sqs_queue.failure.arn
      filter_criteria = [
        {
          pattern = jsonencode({
            eventName : ["INSERT"]
          })
        },
        {
          pattern = jsonencode({
            data : {
              Temperature : [{ numeric : [">", 0, "<=", 100] }]
              Location : ["Oslo"]
            }
          })
        }
      ]
    }
    kinesis = {
      event_source_arn  = aws_kinesis_stream.this.arn
      starting_position = "LATEST"
      filter_criteria = {
        pattern = jsonencode({
          data : {
            Temperature : [{ numeric : [">", 0, "<=", 100] }]
            Location : ["Oslo"]
          }
        })
      }
    }
    # dynalint fixture trim: the Amazon MQ mapping (its broker needs the registry module terraform-aws-modules/vpc)
    #    self_managed_kafka = {
    #      batch_size        = 1
    #      starting_position = "TRIM_HORIZON"
    #      topics            = ["topic1", "topic2"]
    #      self_managed_event_source = [
    #        {
    #          endpoints = {
    #            KAFKA_BOOTSTRAP_SERVERS = "kafka1.example.com:9092,kafka2.example.com:9092"
    #          }
    #        }
    #      ]
    #      self_managed_kafka_event_source_config = [
    #        {
    #          consumer_group_id = "example-consumer-group"
    #        }
    #      ]
    #      source_access_configuration = [
    #        {
    #          type = "SASL_SCRAM_512_AUTH",
    #          uri  = "SECRET_AUTH_INFO"
    #        },
    #        {
    #          type = "VPC_SECURITY_GROUP",
    #          uri  = "security_group:sg-12345678"
    #        },
    #        {
    #          type = "VPC_SUBNET"
    #          uri  = "subnet:subnet-12345678"
    #        }
    #      ]
    #    }
  }

  allowed_triggers = {
    # dynalint fixture trim: the "config" trigger (its principal_org_id reads aws_organizations_organization)
    sqs = {
      principal  = "sqs.amazonaws.com"
      source_arn = aws_sqs_queue.this.arn
    }
    dynamodb = {
      principal  = "dynamodb.amazonaws.com"
      source_arn = aws_dynamodb_table.this.stream_arn
    }
    kinesis = {
      principal  = "kinesis.amazonaws.com"
      source_arn = aws_kinesis_stream.this.arn
    }
    # dynalint fixture trim: the "mq" trigger
  }

  create_current_version_allowed_triggers = false

  # dynalint fixture trim: attach_network_policy = true reads the AWSLambdaENIManagementAccess policy with a data source
  # that calls IAM
  attach_network_policy = false

  attach_policy_statements = true
  policy_statements = {
    # Allow failures to be sent to SQS queue
    sqs_failure = {
      effect    = "Allow",
      actions   = ["sqs:SendMessage"],
      resources = [aws_sqs_queue.failure.arn]
    },
    # dynalint fixture trim: the three statements for Amazon MQ and its Secrets Manager secret
  }

  attach_policies    = true
  number_of_policies = 3

  policies = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole",
  ]

  tags = {
    example = "event-source-mapping"
  }
}

##################
# Extra resources
##################

# Shared resources
# dynalint fixture trim: hashicorp/random is not in the offline provider mirror: the random_pet name is a
# fixed local (the names are then known at plan time); random_password served only the MQ broker.
locals {
  random_pet = "brave-otter"
}

# SQS
resource "aws_sqs_queue" "this" {
  name = local.random_pet
}

resource "aws_sqs_queue" "failure" {
  name = "${local.random_pet}-failure"
}

# DynamoDB
resource "aws_dynamodb_table" "this" {
  name             = local.random_pet
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "UserId"
  range_key        = "GameTitle"
  stream_view_type = "NEW_AND_OLD_IMAGES"
  stream_enabled   = true

  attribute {
    name = "UserId"
    type = "S"
  }

  attribute {
    name = "GameTitle"
    type = "S"
  }
}

# Kinesis
resource "aws_kinesis_stream" "this" {
  name        = local.random_pet
  shard_count = 1
}

# dynalint fixture trim: Amazon MQ (registry module terraform-aws-modules/vpc, broker, secret) removed

# Encryption rules (DDB201-DDB207): bad resources, their good twins, and
# twins whose setting is known only after apply.

resource "aws_sqs_queue" "marker" {
  name = "encryption-marker"
}

locals {
  known_later = aws_sqs_queue.marker.arn != ""
}

resource "aws_kms_key" "good" {
  description             = "rotating, 30-day window"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

# DDB203 + DDB204: used by a table, no rotation, 7-day window.
resource "aws_kms_key" "careless" {
  description             = "no rotation, short window"
  deletion_window_in_days = 7
}

# Not judged: no table uses it.
resource "aws_kms_key" "unused" {
  description = "not used by DynamoDB"
}

# DDB203 through an alias.
resource "aws_kms_key" "aliased" {
  description = "used through an alias"
}

resource "aws_kms_alias" "aliased" {
  name          = "alias/orders"
  target_key_id = aws_kms_key.aliased.key_id
}

# Rotation known only after apply: silent.
resource "aws_kms_key" "decided_later" {
  description         = "rotation decided later"
  enable_key_rotation = local.known_later
}

# DDB201: no server_side_encryption block (AWS-owned key).
resource "aws_dynamodb_table" "owned_key" {
  name         = "owned-key"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# DDB201: enabled without a key (AWS-managed key aws/dynamodb).
resource "aws_dynamodb_table" "managed_key" {
  name         = "managed-key"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  server_side_encryption {
    enabled = true
  }
}

# DDB201: the AWS-managed key named explicitly.
resource "aws_dynamodb_table" "managed_alias" {
  name         = "managed-alias"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:alias/aws/dynamodb"
  }
}

# The good twin: a customer-managed key, and a replica with its own key.
resource "aws_dynamodb_table" "customer_key" {
  name             = "customer-key"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.good.arn
  }
  replica {
    region_name = "eu-west-1"
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/3f1a2b3c-0000-4000-8000-000000000001"
  }
}

# DDB203/DDB204 on aws_kms_key.careless; DDB205: a replica without its own key.
resource "aws_dynamodb_table" "careless_key" {
  name             = "careless-key"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.careless.arn
  }
  replica {
    region_name = "us-west-2"
  }
}

resource "aws_dynamodb_table" "through_alias" {
  name         = "through-alias"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_alias.aliased.arn
  }
}

resource "aws_dynamodb_table" "later_key" {
  name         = "later-key"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.decided_later.arn
  }
}

# Encryption on or off decided after apply: DDB201 silent.
resource "aws_dynamodb_table" "sse_decided_later" {
  name         = "sse-decided-later"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  server_side_encryption {
    enabled = local.known_later
  }
}

# DDB205 silent: the table itself uses the AWS-owned key.
resource "aws_dynamodb_table" "owned_global" {
  name             = "owned-global"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  replica {
    region_name = "eu-west-1"
  }
}

# DDB205 on a standalone replica of a table with a customer-managed key.
resource "aws_dynamodb_table_replica" "no_key" {
  global_table_arn = aws_dynamodb_table.customer_key.arn
}

resource "aws_dynamodb_table_replica" "own_key" {
  global_table_arn = aws_dynamodb_table.customer_key.arn
  kms_key_arn      = "arn:aws:kms:ap-south-1:123456789012:key/3f1a2b3c-0000-4000-8000-000000000002"
}

resource "aws_iam_role" "dax" {
  name = "dax"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "dax.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# DDB206 + DDB207: neither at-rest nor in-transit encryption.
resource "aws_dax_cluster" "plain" {
  cluster_name       = "plain"
  iam_role_arn       = aws_iam_role.dax.arn
  node_type          = "dax.r5.large"
  replication_factor = 3
}

# DDB207: NONE written out.
resource "aws_dax_cluster" "none_tls" {
  cluster_name                     = "none-tls"
  iam_role_arn                     = aws_iam_role.dax.arn
  node_type                        = "dax.r5.large"
  replication_factor               = 3
  cluster_endpoint_encryption_type = "NONE"
  server_side_encryption {
    enabled = true
  }
}

# The good twin.
resource "aws_dax_cluster" "encrypted" {
  cluster_name                     = "encrypted"
  iam_role_arn                     = aws_iam_role.dax.arn
  node_type                        = "dax.r5.large"
  replication_factor               = 3
  cluster_endpoint_encryption_type = "TLS"
  server_side_encryption {
    enabled = true
  }
}

# Known only after apply: silent.
resource "aws_dax_cluster" "decided_later" {
  cluster_name                     = "decided-later"
  iam_role_arn                     = aws_iam_role.dax.arn
  node_type                        = "dax.r5.large"
  replication_factor               = 3
  cluster_endpoint_encryption_type = local.known_later ? "TLS" : "NONE"
  server_side_encryption {
    enabled = local.known_later
  }
}

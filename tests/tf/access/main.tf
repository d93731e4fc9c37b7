# Access and network rules (DDB601-DDB605), planned against the state of
# before/ (the VPC, the "legacy" table and the "legacy-dax" security group
# exist already). Policies are written so that terraform knows them at plan
# time (literal ARNs, or ARNs built from variables and table names); those that
# use a new table's ARN are known only after apply, and the rules stay silent on
# the plan. Linted as .tf, those are known in part (see "known in part" below).

variable "account_id" {
  type    = string
  default = "123456789012"
}

locals {
  tables = "arn:aws:dynamodb:us-east-1:${var.account_id}:table"
}

resource "aws_sqs_queue" "marker" {
  name = "access-marker"
}

locals {
  known_later = aws_sqs_queue.marker.arn != ""
  later_arn   = aws_sqs_queue.marker.arn
}

# ------------------------------------------------------------------ tables

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

# Existing table with a GSI; its ARN is known from the prior state.
resource "aws_dynamodb_table" "legacy" {
  name         = "legacy"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "status"
    type = "S"
  }
  global_secondary_index {
    name            = "by_status"
    hash_key        = "status"
    projection_type = "ALL"
  }
}

# New table with a GSI (named by literal ARNs in the policies below).
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "customer"
    type = "S"
  }
  global_secondary_index {
    name            = "by_customer"
    hash_key        = "customer"
    projection_type = "ALL"
  }
}

# New table with an LSI (named through a reference to its name).
resource "aws_dynamodb_table" "events" {
  name         = "events"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "ts"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "ts"
    type = "N"
  }
  attribute {
    name = "kind"
    type = "S"
  }
  local_secondary_index {
    name            = "by_kind"
    range_key       = "kind"
    projection_type = "KEYS_ONLY"
  }
}

# New table without indexes.
resource "aws_dynamodb_table" "plain" {
  name         = "plain"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# ------------------------------------------------------------------ DDB601

# DDB601 (error): every action on every resource.
resource "aws_iam_policy" "admin_everything" {
  name = "admin-everything"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

# DDB601 (error): a single Statement object, action spelled in another case.
resource "aws_iam_role_policy" "dynamodb_everything" {
  name = "dynamodb-everything"
  role = "app"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = { Effect = "Allow", Action = ["DynamoDB:*"], Resource = ["*"] }
  })
}

# DDB601 (warning): dynamodb:* on one table (written as a heredoc).
resource "aws_iam_user_policy" "dynamodb_one_table" {
  name   = "dynamodb-one-table"
  user   = "ci"
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "All", "Effect": "Allow", "Action": "dynamodb:*",
         "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/plain"}
      ]
    }
  JSON
}

# DDB601 (error): NotAction leaves every DynamoDB action allowed, on every resource.
resource "aws_iam_group_policy" "not_iam" {
  name  = "not-iam"
  group = "developers"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", NotAction = ["iam:*", "organizations:*"], Resource = "*" }]
  })
}

# DDB601 (warning): "dyna*:*" covers every DynamoDB action; the Resource
# pattern "arn:aws:dynamo*" can match a table ARN.
resource "aws_iam_policy" "sneaky_wildcards" {
  name = "sneaky-wildcards"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dyna*:*", Resource = "arn:aws:dynamo*" }]
  })
}

# Silent: "*" scoped to another service's resources; Deny with dynamodb:*;
# a partial wildcard; explicit actions on a table.
resource "aws_iam_policy" "scoped" {
  name = "scoped"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "*", Resource = ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"] },
      { Effect = "Deny", Action = "dynamodb:*", Resource = "*" },
      { Effect = "Allow", Action = "dynamodb:Get*", Resource = "${local.tables}/plain" },
      { Effect = "Allow", Action = ["dynamodb:PutItem", "dynamodb:GetItem"], Resource = "${local.tables}/plain" },
    ]
  })
}

# Unknown until apply: the policy names a table created in this plan by its ARN. Silent.
resource "aws_iam_policy" "known_later" {
  name = "known-later"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = aws_dynamodb_table.orders.arn }]
  })
}

# ------------------------------------------------------------------ DDB602

# DDB602 by literal ARN: Query on orders (which has a GSI), no index ARN.
resource "aws_iam_policy" "orders_reader" {
  name = "orders-reader"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:Query"]
      Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
    }]
  })
}

# DDB602 by reference: Scan on events (which has an LSI), ARN built from the table's name.
resource "aws_iam_role_policy" "events_scanner" {
  name = "events-scanner"
  role = "analytics"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "dynamodb:Scan"
      Resource = "${local.tables}/${aws_dynamodb_table.events.name}"
    }]
  })
}

# DDB602 by reference to an existing table's ARN (known from the prior state).
resource "aws_iam_policy" "legacy_reader" {
  name = "legacy-reader"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:Query", Resource = aws_dynamodb_table.legacy.arn }]
  })
}

# Silent: the index ARNs are there, in the same statement or in another one.
resource "aws_iam_policy" "orders_reader_with_indexes" {
  name = "orders-reader-with-indexes"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:Query", "dynamodb:Scan"]
        Resource = ["${local.tables}/orders", "${local.tables}/orders/index/*"]
      },
      { Effect = "Allow", Action = "dynamodb:Query", Resource = "${local.tables}/events" },
      { Effect = "Allow", Action = "dynamodb:Query", Resource = "${local.tables}/events/index/by_kind" },
    ]
  })
}

# Silent: a table wildcard covers the indexes; a table without indexes; no Query/Scan.
resource "aws_iam_policy" "wide_reader" {
  name = "wide-reader"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "dynamodb:Query", Resource = "arn:aws:dynamodb:*:*:table/*" },
      { Effect = "Allow", Action = "dynamodb:Scan", Resource = "${local.tables}/plain" },
      { Effect = "Allow", Action = "dynamodb:GetItem", Resource = "${local.tables}/legacy" },
    ]
  })
}

# Silent: a table of the same name in another account, and a table not in this configuration.
resource "aws_iam_policy" "elsewhere_reader" {
  name = "elsewhere-reader"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "dynamodb:Query"
      Resource = ["arn:aws:dynamodb:us-east-1:210987654321:table/legacy", "${local.tables}/elsewhere"]
    }]
  })
}

# ------------------------------------------------------------------ DDB603

# DDB603 (and DDB601: dynamodb:* on the table): anyone, no condition.
resource "aws_dynamodb_resource_policy" "public" {
  resource_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/plain"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Everyone"
      Effect    = "Allow"
      Principal = "*"
      Action    = "dynamodb:*"
      Resource  = "arn:aws:dynamodb:us-east-1:123456789012:table/plain"
    }]
  })
}

# DDB603: {"AWS": [..., "*"]} is anyone too.
resource "aws_dynamodb_resource_policy" "public_in_list" {
  resource_arn = aws_dynamodb_table.legacy.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::123456789012:root", "*"] }
      Action    = ["dynamodb:GetItem"]
      Resource  = "${local.tables}/legacy"
    }]
  })
}

# DDB603: a Condition that does not narrow who calls (TLS only) leaves it open to anyone.
resource "aws_dynamodb_resource_policy" "public_over_tls" {
  resource_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/events"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "dynamodb:Query"
      Resource  = ["${local.tables}/events", "${local.tables}/events/index/*"]
      Condition = { Bool = { "aws:SecureTransport" = "true" } }
    }]
  })
}

# Silent: "*" with a condition on the caller's organization; a named account; a Deny to anyone.
resource "aws_dynamodb_resource_policy" "restricted" {
  resource_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "dynamodb:GetItem"
        Resource  = "${local.tables}/orders"
        Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } }
      },
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::210987654321:root" }
        Action    = "dynamodb:Query"
        Resource  = ["${local.tables}/orders", "${local.tables}/orders/index/*"]
      },
      { Effect = "Deny", Principal = "*", Action = "dynamodb:DeleteTable", Resource = "${local.tables}/orders" },
    ]
  })
}

# DDB603: a wildcard in a trusted key's value narrows nothing.
resource "aws_dynamodb_resource_policy" "cond_org_wildcard" {
  resource_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/plain"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "dynamodb:GetItem"
      Resource  = "${local.tables}/plain"
      Condition = { StringLike = { "aws:PrincipalOrgID" = "o-*" } }
    }]
  })
}

# DDB603: ...IfExists lets callers without the key through.
resource "aws_dynamodb_resource_policy" "cond_if_exists" {
  resource_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/plain"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "dynamodb:GetItem"
      Resource  = "${local.tables}/plain"
      Condition = { StringEqualsIfExists = { "aws:PrincipalAccount" = "123456789012" } }
    }]
  })
}

# DDB603: aws:PrincipalIsAWSService = false narrows nothing.
resource "aws_dynamodb_resource_policy" "cond_not_aws_service" {
  resource_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/plain"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "dynamodb:GetItem"
      Resource  = "${local.tables}/plain"
      Condition = { Bool = { "aws:PrincipalIsAWSService" = "false" } }
    }]
  })
}

# Silent: the caller must come through named VPC endpoints (key in another case).
resource "aws_dynamodb_resource_policy" "cond_vpce" {
  resource_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/plain"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "dynamodb:GetItem"
      Resource  = "${local.tables}/plain"
      Condition = { StringEquals = { "AWS:SourceVpce" = ["vpce-1", "vpce-2"] } }
    }]
  })
}

# Unknown until apply: the policy uses the new table's ARN. Silent.
resource "aws_dynamodb_resource_policy" "known_later" {
  resource_arn = aws_dynamodb_table.events.arn
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "dynamodb:*", Resource = aws_dynamodb_table.events.arn }]
  })
}

# ------------------------------------------------------------------ DDB604 and endpoint policies

# DDB604: an Interface endpoint for DynamoDB. Its policy is not written: not judged by DDB601.
resource "aws_vpc_endpoint" "dynamodb_interface" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.dynamodb"
  vpc_endpoint_type = "Interface"
}

# DDB601 (error): a Gateway endpoint for DynamoDB whose written policy allows everything.
resource "aws_vpc_endpoint" "dynamodb_open" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.dynamodb"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "*", Resource = "*" }]
  })
}

# Silent: a Gateway endpoint with a scoped policy.
resource "aws_vpc_endpoint" "dynamodb_scoped" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.dynamodb"
  vpc_endpoint_type = "Gateway"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["dynamodb:GetItem", "dynamodb:PutItem"]
      Resource  = "${local.tables}/orders"
    }]
  })
}

# Silent: an S3 endpoint with the same open policy (not DynamoDB), and one whose
# service is known only after apply.
resource "aws_vpc_endpoint" "s3_open" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.s3"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "*", Resource = "*" }]
  })
}

resource "aws_vpc_endpoint" "service_later" {
  vpc_id            = aws_vpc.main.id
  service_name      = local.known_later ? "com.amazonaws.us-east-1.dynamodb" : "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Interface"
}

# DDB601 (error): a separate endpoint policy attached to the DynamoDB Interface endpoint.
resource "aws_vpc_endpoint_policy" "dynamodb_interface" {
  vpc_endpoint_id = aws_vpc_endpoint.dynamodb_interface.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "dynamodb:*", Resource = "*" }]
  })
}

# Silent: the same policy attached to the S3 endpoint.
resource "aws_vpc_endpoint_policy" "s3_open" {
  vpc_endpoint_id = aws_vpc_endpoint.s3_open.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "*", Resource = "*" }]
  })
}

# DDB601 (warning): the endpoint is not in the input, but the statement names dynamodb:*.
resource "aws_vpc_endpoint_policy" "elsewhere_dynamodb" {
  vpc_endpoint_id = "vpce-0123456789abcdef0"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "dynamodb:*"
      Resource  = "arn:aws:dynamodb:us-east-1:123456789012:table/*"
    }]
  })
}

# Silent: the endpoint is not in the input, and "*" may serve another service.
resource "aws_vpc_endpoint_policy" "elsewhere_any" {
  vpc_endpoint_id = "vpce-0fedcba9876543210"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "*", Resource = "*" }]
  })
}

# ------------------------------------------------------------------ DDB605

resource "aws_security_group" "legacy" {
  name   = "legacy-dax"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 8111
    to_port     = 8111
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

# Inline ingress on 8111.
resource "aws_security_group" "dax_plain" {
  name   = "dax-plain"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 9111
    to_port     = 9111
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
  ingress {
    from_port   = 8111
    to_port     = 8111
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

# TLS only: the good twin.
resource "aws_security_group" "dax_tls" {
  name   = "dax-tls"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 9111
    to_port     = 9111
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

# No inline ingress: a separate rule opens a range that covers 8111.
resource "aws_security_group" "dax_ruled" {
  name   = "dax-ruled"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group_rule" "dax_ruled_range" {
  type              = "ingress"
  security_group_id = aws_security_group.dax_ruled.id
  from_port         = 8000
  to_port           = 9000
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/16"]
}

# An egress rule on port 8111 does not count.
resource "aws_security_group_rule" "dax_tls_egress" {
  type              = "egress"
  security_group_id = aws_security_group.dax_tls.id
  from_port         = 8111
  to_port           = 8111
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/16"]
}

# A VPC ingress rule for all protocols (and so all ports).
resource "aws_security_group" "dax_all_traffic" {
  name   = "dax-all-traffic"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "dax_all_traffic" {
  security_group_id = aws_security_group.dax_all_traffic.id
  ip_protocol       = "-1"
  cidr_ipv4         = "10.0.0.0/16"
}

# A port known only after apply: not judged.
resource "aws_security_group" "dax_port_later" {
  name   = "dax-port-later"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = local.known_later ? 8111 : 9111
    to_port     = local.known_later ? 8111 : 9111
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

# DDB605 by reference (inline ingress).
resource "aws_dax_cluster" "plain" {
  cluster_name       = "plain"
  iam_role_arn       = "arn:aws:iam::123456789012:role/dax"
  node_type          = "dax.r5.large"
  replication_factor = 3
  security_group_ids = [aws_security_group.dax_plain.id]
}

# DDB605 by reference, through an aws_security_group_rule and an
# aws_vpc_security_group_ingress_rule; dax_tls (9111 only, egress on 8111) is fine.
resource "aws_dax_cluster" "ruled" {
  cluster_name       = "ruled"
  iam_role_arn       = "arn:aws:iam::123456789012:role/dax"
  node_type          = "dax.r5.large"
  replication_factor = 3
  security_group_ids = [aws_security_group.dax_tls.id, aws_security_group.dax_ruled.id,
                        aws_security_group.dax_all_traffic.id]
}

# DDB605 by literal id: the group exists in the prior state, where its stand-in id is its name.
# The cluster uses TLS: the message says 8111 is not needed at all.
resource "aws_dax_cluster" "literal" {
  cluster_name                     = "literal"
  iam_role_arn                     = "arn:aws:iam::123456789012:role/dax"
  node_type                        = "dax.r5.large"
  replication_factor               = 3
  cluster_endpoint_encryption_type = "TLS"
  security_group_ids               = ["legacy-dax"]
}

# Silent: TLS-only group; and a group whose port is known only after apply.
resource "aws_dax_cluster" "good" {
  cluster_name                     = "good"
  iam_role_arn                     = "arn:aws:iam::123456789012:role/dax"
  node_type                        = "dax.r5.large"
  replication_factor               = 3
  cluster_endpoint_encryption_type = "TLS"
  security_group_ids               = [aws_security_group.dax_tls.id, aws_security_group.dax_port_later.id]
}

# ------------------------------------------------------------------ known in part
# Policies around values known only after apply: the plan holds them as unknown
# (every rule silent); the .tf input judges what they write out. The known_later
# policies above belong here too.

# .tf: silent twin of aws_iam_policy.known_later (the index ARN by reference too).
resource "aws_iam_policy" "index_by_reference" {
  name = "index-by-reference"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:Query"]
      Resource = [aws_dynamodb_table.orders.arn, "${aws_dynamodb_table.orders.arn}/index/*"]
    }]
  })
}

# .tf: silent; the piece from a local may be the index ARN.
resource "aws_iam_policy" "index_maybe" {
  name = "index-maybe"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "dynamodb:Query"
      Resource = [aws_dynamodb_table.orders.arn, local.later_arn]
    }]
  })
}

# .tf: DDB602 through an aws_iam_policy_document whose resources are known only after apply.
data "aws_iam_policy_document" "orders_later" {
  statement {
    actions   = ["dynamodb:Query"]
    resources = [aws_dynamodb_table.orders.arn]
  }
}

resource "aws_iam_policy" "document_later" {
  name   = "document-later"
  policy = data.aws_iam_policy_document.orders_later.json
}

# .tf: silent; every action, but on a queue (a reference to another service's ARN).
resource "aws_iam_policy" "queue_later" {
  name = "queue-later"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = aws_sqs_queue.marker.arn }]
  })
}

# .tf: silent; a NotAction not known yet may spare DynamoDB.
resource "aws_iam_policy" "not_action_later" {
  name = "not-action-later"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", NotAction = [local.later_arn], Resource = "*" }]
  })
}

# .tf: silent for DDB603; the organization condition is known only after apply.
resource "aws_dynamodb_resource_policy" "org_later" {
  resource_arn = aws_dynamodb_table.orders.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "dynamodb:GetItem"
      Resource  = aws_dynamodb_table.orders.arn
      Condition = { StringEquals = { "aws:PrincipalOrgID" = local.later_arn } }
    }]
  })
}

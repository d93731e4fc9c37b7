resource "aws_dax_cluster" "orders" {
  cluster_name                     = "orders-cache"
  node_type                        = "dax.r5.large"
  replication_factor               = 3
  iam_role_arn                     = aws_iam_role.dax.arn
  cluster_endpoint_encryption_type = "TLS"

  server_side_encryption {
    enabled = true
  }

  tags = {
    Team = "orders"
  }
}

resource "aws_iam_role" "dax" {
  name = "orders-dax"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "dax.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_dax_cluster" "orders" {
  cluster_name                     = "orders-cache"
  node_type                        = "dax.r5.large"
  replication_factor               = 3
  iam_role_arn                     = aws_iam_role.dax.arn
  cluster_endpoint_encryption_type = "TLS"
  security_group_ids               = [aws_security_group.dax.id]

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

resource "aws_security_group" "dax" {
  name   = "orders-dax"
  vpc_id = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "DAX over TLS from the VPC"
    from_port   = 9111
    to_port     = 9111
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

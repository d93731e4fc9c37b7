# DDB207: a DAX endpoint without TLS (an unsafe fix: it replaces the cluster).
resource "aws_dax_cluster" "plain" {
  cluster_name       = "plain"
  iam_role_arn       = "arn:aws:iam::123456789012:role/dax"
  node_type          = "dax.r5.large"
  replication_factor = 3

  server_side_encryption {
    enabled = true
  }
}

resource "aws_dax_cluster" "none" {
  cluster_name                     = "none"
  iam_role_arn                     = "arn:aws:iam::123456789012:role/dax"
  node_type                        = "dax.r5.large"
  replication_factor               = 3
  cluster_endpoint_encryption_type = "NONE"

  server_side_encryption {
    enabled = true
  }
}

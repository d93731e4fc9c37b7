# DDB206: a DAX cluster without encryption at rest (an unsafe fix: it replaces the cluster).
resource "aws_dax_cluster" "cache" {
  cluster_name                     = "cache"
  iam_role_arn                     = "arn:aws:iam::123456789012:role/dax"
  node_type                        = "dax.r5.large"
  replication_factor               = 3
  cluster_endpoint_encryption_type = "TLS"
}

resource "aws_dax_cluster" "switched_off" {
  cluster_name                     = "switched-off"
  iam_role_arn                     = "arn:aws:iam::123456789012:role/dax"
  node_type                        = "dax.r5.large"
  replication_factor               = 3
  cluster_endpoint_encryption_type = "TLS"

  server_side_encryption {
    enabled = false
  }
}

# An override file (Terraform merges it into main.tf's block): the west table
# loses PITR here (DDB101) and gains tags (no DDB704).
resource "aws_dynamodb_table" "west" {
  tags = { Team = "west" }

  point_in_time_recovery {
    enabled = false
  }
}

meta = {
  resource_changes = [{ address = "aws_s3_bucket.decoy" }]
  planned_values   = {}
  variables        = {}
  configuration    = { root_module = {} }
  errored          = true
}

resource "aws_cloudtrail" "audit" {
  name           = "audit"
  s3_bucket_name = "audit-trail-123456789012"

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type   = "AWS::DynamoDB::Table"
      values = ["arn:aws:dynamodb"]
    }
  }
}

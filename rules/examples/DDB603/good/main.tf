resource "aws_dynamodb_resource_policy" "profiles" {
  resource_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/profiles"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::210987654321:role/profile-reader" }
      Action    = "dynamodb:GetItem"
      Resource  = "arn:aws:dynamodb:us-east-1:123456789012:table/profiles"
    }]
  })
}

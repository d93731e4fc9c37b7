resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  service_name      = "com.amazonaws.us-east-1.dynamodb"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["rtb-0a1b2c3d4e5f60718"]
}

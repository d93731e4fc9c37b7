# dynalint fixture trim: fixtures.us-east-2.tfvars, renamed so that terraform and dynalint read it
region = "us-east-2"

namespace = "eg"

stage = "test"

name = "dynamodb-table"

provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      Team = "tenants"
    }
  }
}

module "scratch" {
  source = "../../modules/tenant_table"
  name   = "dev-scratch"
}

# A registry module: not in this repository, so it calls nothing here.
module "labels" {
  source  = "cloudposse/label/null"
  version = "0.25.0"
}

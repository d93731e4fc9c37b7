provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      Team = "tenants"
    }
  }
}

module "tenants" {
  source  = "../../modules/tenants"
  tenants = ["acme", "globex"]
  pitr    = false
}

variable "region" {
  type    = string
  default = "us-east-1"
}

# terraform.tfvars sets "prod": names and default tags follow it.
variable "environment" {
  type    = string
  default = "dev"
}

# One module instance per entry (module.tables["orders"], module.tables["sessions"]).
variable "tables" {
  type = map(object({
    hash_key  = string
    range_key = optional(string)
    pitr      = bool
  }))
  default = {
    orders = {
      hash_key  = "order_id"
      range_key = "created_at"
      pitr      = true
    }
    sessions = {
      hash_key = "session_id"
      pitr     = false
    }
  }
}

variable "replica_regions" {
  type    = list(string)
  default = ["eu-west-1"]
}

# terraform.tfvars sets 30; the default would be flagged by DDB204.
variable "key_deletion_window" {
  type    = number
  default = 7
}

variable "enable_audit" {
  type    = bool
  default = true
}

variable "tenants" {
  type = list(string)
}

variable "pitr" {
  type    = bool
  default = true
}

module "table" {
  source   = "../tenant_table"
  for_each = toset(var.tenants)
  name     = "tenant-${each.key}"
  pitr     = var.pitr
}

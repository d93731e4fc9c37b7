output "table_arns" {
  value = { for name, table in module.tables : name => table.table_arn }
}

owner = "CANARY-tfvars-5d1e-do-not-print"

environment         = "prod"
key_deletion_window = 30

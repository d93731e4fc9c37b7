terraform {
  required_version = ">= 1.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 2.0"
    }
    # dynalint fixture trim: hashicorp/null dropped (not in the offline provider mirror)
  }
}

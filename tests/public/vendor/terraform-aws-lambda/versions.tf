terraform {
  required_version = ">= 1.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.79"
    }
    # dynalint fixture trim: hashicorp/external, hashicorp/local and hashicorp/null (package.tf only)
    # dropped: they are not in the offline provider mirror.
  }
}

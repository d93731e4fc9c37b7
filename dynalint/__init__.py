"""dynalint: a policy-as-code linter for Terraform that knows DynamoDB."""

__version__ = "0.2.0"

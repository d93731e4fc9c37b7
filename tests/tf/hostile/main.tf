# Hostile names and values: what a pull request can put into a plan through real terraform
# (issue 14, tests/test_hostile_output.py). Every string below reaches findings through
# addresses (for_each keys), table names, tags and policy Sids; each output format must keep it
# inert: no raw control character, no forged workflow command, no live HTML, link or @mention.
# Every table breaks DDB101 (PITR off) and DDB103 (no deletion protection), so it is printed.

variable "canary" {
  type      = string
  sensitive = true
  # The secret holds a quote, a backslash and <&>: terraform's JSON escapes each of them
  # (\", \\, \u003c, \u0026, \u003e), so a copy inside a JSON document differs from the raw value.
  default = "CANARY-9d1e \"q\" \\b <&> end"
}

locals {
  hostile_keys = toset([
    "tick`` <img src=x onerror=alert(1)> ``",
    "nl\n\n::error file=main.tf,line=1::forged\n\n<details open><summary>hi</summary>",
    "esc\u001b[31mred\u001b[0m\u0007bell",
    "mention @octocat and @github/security and #1",
    "link [click](https://evil.example) ![img](https://evil.example/x.png) <https://evil.example>",
    "pipe | cell | and *bold* _it_ ~~s~~ & &amp; &#64;",
    "cr\rline\u0085nel\u2028ls\u202eRLO",
  ])
}

resource "aws_dynamodb_table" "hostile" {
  for_each     = local.hostile_keys
  name         = "t-${substr(sha1(each.key), 0, 8)}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  tags = {
    Owner = each.key
  }
}

# A table whose name holds the hostile strings (a name is not a key: it reaches messages).
resource "aws_dynamodb_table" "named" {
  name         = "::warning::named `x` <b>@octocat</b>"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

# A sensitive value copied, unmarked, into a policy Sid: nonsensitive() drops the mark, as a
# module output or a provider that does not propagate marks would. jsonencode() writes the Sid
# JSON-escaped into the policy string; the policy is wide open, so the access rules judge it.
resource "aws_dynamodb_resource_policy" "leaky" {
  resource_arn = aws_dynamodb_table.named.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = nonsensitive("sid-${var.canary}")
      Effect    = "Allow"
      Principal = "*"
      Action    = "dynamodb:*"
      Resource  = "*"
    }, {
      Sid       = nonsensitive(base64encode(var.canary))
      Effect    = "Allow"
      Principal = "*"
      Action    = "dynamodb:DeleteTable"
      Resource  = "*"
    }, {
      Sid       = nonsensitive(urlencode(var.canary))
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "dynamodb:PutItem"
      Resource  = "*"
    }]
  })
}

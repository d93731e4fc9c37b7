#!/usr/bin/env python3
"""Write a directory of .tf files for timing .tf input: N DynamoDB tables and a KMS key per 4 tables.

    python bench/gen_tf.py --tables 400 -o /tmp/tree     # 400 tables + 100 keys: 500 resources
    time dynalint /tmp/tree -f sarif -o /dev/null --fail-on never

Tables are spread over files of 80, each with a range key, a GSI, tags from a
local merged with their own, a customer-managed key by reference, and
deletion protection and PITR on for some; keys rotate for three in four. The
same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

TABLES_PER_FILE = 80


def table(i: int, keys: int) -> str:
    return f"""
# table {i}
resource "aws_dynamodb_table" "t{i}" {{
  name                        = "${{var.env}}-table-{i}"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = {str(i % 3 != 0).lower()}
  attribute {{
    name = "pk"
    type = "S"
  }}
  attribute {{
    name = "sk"
    type = "S"
  }}
  attribute {{
    name = "gsi_pk"
    type = "S"
  }}
  global_secondary_index {{
    name            = "by-gsi"
    hash_key        = "gsi_pk"
    projection_type = "KEYS_ONLY"
  }}
  point_in_time_recovery {{
    enabled = {str(i % 2 == 0).lower()}
  }}
  server_side_encryption {{
    enabled     = true
    kms_key_arn = aws_kms_key.k{i % keys}.arn
  }}
  tags = merge(local.tags, {{ Index = "{i}" }})
}}
"""


def key(i: int) -> str:
    return f"""
resource "aws_kms_key" "k{i}" {{
  description             = "key {i}"
  enable_key_rotation     = {str(i % 4 != 0).lower()}
  deletion_window_in_days = 30
}}
"""


def write(directory: Path, tables: int) -> int:
    """Write the tree; returns how many resources it declares."""
    directory.mkdir(parents=True, exist_ok=True)
    keys = max(1, tables // 4)
    for part, start in enumerate(range(0, tables, TABLES_PER_FILE)):
        chunk = range(start, min(start + TABLES_PER_FILE, tables))
        (directory / f"tables_{part}.tf").write_text("".join(table(i, keys) for i in chunk))
    (directory / "keys.tf").write_text("".join(key(i) for i in range(keys)))
    (directory / "variables.tf").write_text(
        'variable "env" {\n  default = "prod"\n}\nlocals {\n  tags = { Team = "data", Env = var.env }\n}\n'
    )
    return tables + keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, required=True)
    parser.add_argument("-o", "--output", type=Path, required=True, help="the directory to write (made if missing)")
    args = parser.parse_args()
    print(f"{write(args.output, args.tables)} resources in {args.output}")


if __name__ == "__main__":
    main()

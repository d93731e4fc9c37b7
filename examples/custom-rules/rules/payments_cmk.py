"""House rule ACME101: payment tables are encrypted with our own KMS key, and that key rotates.

A custom rule written with dynalint's public rule API (docs/custom-rules.md):
the same `@rule`, `Issue`, `Context` and `dynalint.values` helpers the
built-in pack uses. Load it with `--rules-dir examples/custom-rules/rules`, or
`rules_dirs: [rules]` in examples/custom-rules/.dynalint.yaml.
"""

from __future__ import annotations

import re

from dynalint.rule import Issue, rule
from dynalint.values import block, bool_of, is_known, label

TABLE = "aws_dynamodb_table"
KMS_KEY = "aws_kms_key"
KMS_ALIAS = "aws_kms_alias"
SSE_KEY = "server_side_encryption.kms_key_arn"


@rule(
    id="ACME101",
    slug="payments-table-without-own-key",
    level="error",
    applies=[TABLE],
    kind="graph",
    security_severity=7.0,
    tags=["security", "encryption", "payments"],
    options={"modules": ["payments"]},
)
def payments_table_without_own_key(table, ctx):
    """A payments table is not encrypted with a rotating customer-managed KMS key of this configuration.

    ## What it checks
    An `aws_dynamodb_table` inside one of the modules named by the `modules`
    option (at any depth, any instance: `module.payments["cards"]`) whose
    `server_side_encryption` is off (the AWS-owned key), enabled without
    `kms_key_arn` or with `alias/aws/dynamodb` (the AWS-managed key), or whose
    `kms_key_arn` names an `aws_kms_key` of this configuration (directly or
    through an `aws_kms_alias`) with `enable_key_rotation` off.

    ## Why it matters
    Our PCI scope requires that we control who may decrypt cardholder data:
    only a customer-managed key has a key policy we write, and every use of it
    lands in CloudTrail. Our key policy standard also asks for yearly rotation
    of the key material, which AWS KMS does for a customer-managed key when
    rotation is on.

    ## Known limits
    A key ARN known only after apply that no key of the configuration gives,
    and a literal ARN of a key managed elsewhere, are accepted: the rotation
    of such a key cannot be seen here.

    ## Example
    ```hcl
    module "payments" {
      source = "./modules/table"   # server_side_encryption { enabled = true }
    }
    ```

    ## Use instead
    ```hcl
    resource "aws_kms_key" "payments" {
      enable_key_rotation = true
    }
    module "payments" {
      source      = "./modules/table"
      kms_key_arn = aws_kms_key.payments.arn
    }
    ```

    ## Options
    - `modules` (list of module names, default `["payments"]`): the modules whose tables hold payment data.

    ## References
    - [DynamoDB encryption at rest](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html)
    - [Rotating AWS KMS keys](https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html)
    """
    if not set(_module_names(table.module)) & set(ctx.options["modules"]):
        return
    sse = block(table.values, "server_side_encryption")
    if not is_known(sse):
        return
    enabled = bool_of(sse.get("enabled")) if sse else False
    if not is_known(enabled):
        return
    if not enabled:
        yield Issue(
            f"Payments table {label(table)} is encrypted with the AWS-owned key: enable its "
            "`server_side_encryption` block with `kms_key_arn` set to a customer-managed key (an aws_kms_key "
            "with rotation on).",
            path="server_side_encryption",
        )
        return
    keys = _keys_of(table, ctx)
    arn = sse.get("kms_key_arn")
    if not keys:
        if arn is None or arn == "" or (isinstance(arn, str) and arn.endswith("alias/aws/dynamodb")):
            yield Issue(
                f"Payments table {label(table)} is encrypted with the AWS-managed key aws/dynamodb: set "
                "`kms_key_arn` to a customer-managed key (an aws_kms_key with rotation on).",
                path=SSE_KEY,
            )
        return
    for key in keys:
        rotation = bool_of(key.values.get("enable_key_rotation"))
        if is_known(rotation) and rotation is not True:
            yield Issue(
                f"Payments table {label(table)} is encrypted with {key.address}, whose key material "
                "never rotates: set `enable_key_rotation = true` on the key.",
                path=SSE_KEY,
            )


def _module_names(module_address: str) -> list[str]:
    """`module.app.module.payments["cards"]` -> ["app", "payments"]."""
    return re.findall(r"module\.([A-Za-z0-9_-]+)", module_address)


def _keys_of(table, ctx) -> list:
    """The aws_kms_key resources the table's kms_key_arn names, by reference or literal ARN, or through an alias."""
    keys = ctx.related(table, KMS_KEY, via=SSE_KEY, direction="out")
    for alias in ctx.related(table, KMS_ALIAS, via=SSE_KEY, direction="out"):
        keys += ctx.related(alias, KMS_KEY, via="target_key_id", direction="out")
    return keys

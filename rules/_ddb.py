"""DynamoDB knowledge shared by several rule areas: how a table's settings read from the plan.

Every helper answers True/False (or a value), None for "absent", or the
UNKNOWN/SENSITIVE sentinel when the plan cannot tell; callers stay silent on
the sentinel.
"""

from __future__ import annotations

import re
from typing import Any

from dynalint.model import UNKNOWN, Resource, is_known
from dynalint.rule import Context
from dynalint.values import block, blocks, bool_of

AWS_MANAGED_ALIAS = "alias/aws/dynamodb"
_TABLE_ARN = re.compile(r"^arn:aws[\w-]*:dynamodb:[^:]*:[^:]*:table/([^/]+)")


def enabled_flag(values: Any, key: str) -> bool | Any:
    """For blocks like ``point_in_time_recovery { enabled = true }``: an absent or empty block is off."""
    found = block(values, key)
    if found is None:
        return False
    if not is_known(found):
        return found
    flag = bool_of(found.get("enabled"))
    if flag is None:
        return False
    return flag


def pitr_enabled(values: Any) -> bool | Any:
    return enabled_flag(values, "point_in_time_recovery")


def is_aws_managed_key(arn: str) -> bool:
    return arn == AWS_MANAGED_ALIAS or arn.endswith(":" + AWS_MANAGED_ALIAS)


def table_key(values: Any) -> tuple[str, Any] | Any:
    """Which KMS key encrypts a table: ("owned", None), ("managed", arn|None), ("customer", arn), or UNKNOWN.

    ("customer", UNKNOWN) means the configuration names a key known only after apply.
    """
    sse = block(values, "server_side_encryption")
    if sse is None:
        return ("owned", None)
    if not is_known(sse):
        return UNKNOWN
    enabled = bool_of(sse.get("enabled"))
    if not is_known(enabled):
        return UNKNOWN
    if enabled is not True:
        return ("owned", None)
    arn = sse.get("kms_key_arn")
    if arn is None or arn == "":
        return ("managed", None)
    if arn is UNKNOWN:
        return ("customer", UNKNOWN)
    if not isinstance(arn, str):
        return UNKNOWN
    return ("managed", arn) if is_aws_managed_key(arn) else ("customer", arn)


def table_name_from_arn(arn: Any) -> str | None:
    """``arn:aws:dynamodb:us-east-1:123:table/orders[/stream/...]`` -> "orders"."""
    if not isinstance(arn, str):
        return None
    match = _TABLE_ARN.match(arn)
    return match.group(1) if match else None


def replicas(values: Any) -> list | Any:
    return blocks(values, "replica")


def table_of_replica(replica: Resource, ctx: Context) -> Resource | None:
    """The aws_dynamodb_table an aws_dynamodb_table_replica replicates, where it is in the input."""
    found = ctx.related(replica, "aws_dynamodb_table", via="global_table_arn", direction="out")
    return found[0] if found else None

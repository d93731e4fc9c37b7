"""Durability: the settings and plan changes that decide whether a table's data survives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dynalint.model import SENSITIVE, UNKNOWN, Resource, is_known
from dynalint.rule import Block, Context, Fix, Issue, Set, rule
from dynalint.values import bool_of, dig, is_off, label, prior_values

from ._ddb import pitr_enabled, replicas, table_of_replica
from ._messages import shown

TAGS = ("security", "durability", "dynamodb")

# Why Terraform deletes a resource, in words (resource_changes[].action_reason).
DELETE_REASONS = {
    "delete_because_no_resource_config": "its resource block was removed from the configuration",
    "delete_because_no_module": "its module was removed from the configuration",
    "delete_because_wrong_repetition": "count/for_each changed how the resource is repeated",
    "delete_because_count_index": "its count index is no longer in range",
    "delete_because_each_key": "its for_each key is no longer in the map or set",
    "delete_because_no_move_target": "a moved block points at a resource that does not exist",
}
REPLACE_REASONS = {
    "replace_because_tainted": "the resource is tainted",
    "replace_by_request": "the plan was made with -replace",
    "replace_by_triggers": "a replace_triggered_by reference changed",
    "replace_because_cannot_update": "",
}
# Arguments of aws_dynamodb_table that force a new table when they change (aws provider 5.x).
FORCE_NEW = (
    "name",
    "hash_key",
    "range_key",
    "local_secondary_index",
    "restore_source_name",
    "restore_source_table_arn",
    "restore_date_time",
    "restore_to_latest_time",
    "import_table",
)


@rule(
    id="DDB101",
    slug="pitr-disabled",
    level="error",
    applies=["aws_dynamodb_table"],
    security_severity=6.5,
    tags=TAGS,
    fix="safe",
)
def pitr_disabled(table: Resource, ctx: Context) -> Iterator[Issue]:
    """Point-in-time recovery is off for the table.

    ## What it checks
    An `aws_dynamodb_table` whose `point_in_time_recovery` block is absent, empty,
    has no `enabled`, or has `enabled = false`. An empty block leaves PITR off.

    ## Why it matters
    Point-in-time recovery keeps continuous backups: you can restore the table to
    any second of the last 35 days (or of the `recovery_period_in_days` you set,
    1 to 35). It costs storage only, never read or write performance. Without it,
    a bad deploy, a runaway script or a `DeleteItem` loop is unrecoverable unless
    an on-demand backup happens to be recent.

    ## Known limits
    A new table whose `enabled` comes from an expression known only after apply
    is not judged. A table the configuration leaves without the block is judged
    as off, even though the plan shows the block as "known after apply": that is
    the AWS default.

    ## Fix
    Safe: `dynalint --fix` adds `point_in_time_recovery { enabled = true }` (or
    `enabled = true` in an empty block), or turns a literal `enabled = false`
    into `true`; where `enabled` is `var.NAME` of a module, it changes the
    literal the module call passes instead. The table is updated in place;
    PITR is billed by the table's size, which is what this rule asks for.

    ## References
    - [Point-in-time recovery for DynamoDB](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html)
    - [aws_dynamodb_table: point_in_time_recovery](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#point_in_time_recovery)
    """
    enabled = pitr_enabled(table.values)
    if enabled is False:
        yield Issue(
            f"Table {label(table)} has point-in-time recovery off: add "
            "`point_in_time_recovery { enabled = true }` to keep 35 days of continuous backups.",
            path="point_in_time_recovery",
            fix=Fix("Turn point-in-time recovery on", Set("point_in_time_recovery.enabled", True)),
        )


@rule(
    id="DDB102",
    slug="replica-pitr-disabled",
    level="warning",
    applies=["aws_dynamodb_table", "aws_dynamodb_table_replica"],
    security_severity=5.0,
    tags=TAGS,
    fix="safe",
)
def replica_pitr_disabled(resource: Resource, ctx: Context) -> Iterator[Issue]:
    """A global table replica has point-in-time recovery off while the table has it on.

    ## What it checks
    A `replica` block of an `aws_dynamodb_table` with PITR on whose
    `point_in_time_recovery` is `false` or absent; and an
    `aws_dynamodb_table_replica` without `point_in_time_recovery = true`, unless
    the table it replicates is in the same input with PITR off (then DDB101
    already reports the table).

    ## Why it matters
    Each replica of a global table keeps its own backups: enabling PITR on the
    table does not enable it in the other regions. A regional failover to a
    replica without PITR leaves you with a table you cannot roll back.

    ## Known limits
    A replica whose setting is known only after apply is not judged.

    ## Fix
    Safe: `dynalint --fix` sets `point_in_time_recovery = true` in the replica
    block whose literal `region_name` the finding names (written on one line,
    the block is written out over several), or on the
    `aws_dynamodb_table_replica`. Replicas made by a `dynamic` block are not
    changed.

    ## References
    - [Global tables: backups and PITR](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_reqs_bestpractices.html)
    - [aws_dynamodb_table: replica](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#replica)
    """
    if resource.type == "aws_dynamodb_table_replica":
        if not is_off(resource.values.get("point_in_time_recovery")):
            return
        table = table_of_replica(resource, ctx)
        if table is not None and pitr_enabled(table.values) is not True:
            return
        yield Issue(
            f"Replica {resource.address} has point-in-time recovery off: set "
            "`point_in_time_recovery = true`; each replica keeps its own backups.",
            path="point_in_time_recovery",
            fix=Fix("Set `point_in_time_recovery = true`", Set("point_in_time_recovery", True)),
        )
        return
    if pitr_enabled(resource.values) is not True:
        return
    found = replicas(resource.values)
    if not is_known(found):
        return
    for replica in found:
        if not is_off(replica.get("point_in_time_recovery")):
            continue
        region = replica.get("region_name")
        where = f"in {region}" if isinstance(region, str) else "(region not known)"
        fix = None
        if isinstance(region, str):
            fix = Fix(
                f"Set `point_in_time_recovery = true` in the replica in {region}",
                Set((Block("replica", region_name=region), "point_in_time_recovery"), True),
            )
        yield Issue(
            f"Table {label(resource)} has point-in-time recovery on, but its replica {where} "
            "does not: set `point_in_time_recovery = true` in that replica block.",
            path=f"replica.{region}.point_in_time_recovery"
            if isinstance(region, str)
            else "replica.point_in_time_recovery",
            fix=fix,
        )


@rule(
    id="DDB103",
    slug="deletion-protection-disabled",
    level="error",
    applies=["aws_dynamodb_table"],
    security_severity=6.5,
    tags=TAGS,
    fix="safe",
)
def deletion_protection_disabled(table: Resource, ctx: Context) -> Iterator[Issue]:
    """Deletion protection is off for the table.

    ## What it checks
    An `aws_dynamodb_table` whose `deletion_protection_enabled` is absent or `false`.

    ## Why it matters
    With deletion protection on, `DeleteTable` fails until someone turns it off
    on purpose. It stops a `terraform destroy`, a renamed resource or a
    refactored module from dropping a production table in one apply.

    ## Known limits
    A value known only after apply is not judged.

    ## Fix
    Safe: `dynalint --fix` adds `deletion_protection_enabled = true` with the
    table's other arguments, or turns a literal `false` into `true` (through
    `var.NAME` of a module, at the module call). Nothing changes until someone
    deletes the table, which then takes a change of its own first.

    ## References
    - [Using deletion protection](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection)
    """
    if not is_off(table.values.get("deletion_protection_enabled")):
        return
    yield Issue(
        f"Table {label(table)} has deletion protection off: set "
        "`deletion_protection_enabled = true` so that no apply can drop it by mistake.",
        path="deletion_protection_enabled",
        fix=Fix("Set `deletion_protection_enabled = true`", Set("deletion_protection_enabled", True)),
    )


@rule(
    id="DDB104",
    slug="table-destroyed",
    level="error",
    applies=["aws_dynamodb_table"],
    kind="change",
    security_severity=9.0,
    tags=TAGS,
)
def table_destroyed(table: Resource, ctx: Context) -> Iterator[Issue]:
    """The plan deletes a DynamoDB table and its data.

    ## What it checks
    A plan whose actions for an `aws_dynamodb_table` are `["delete"]`.

    ## Why it matters
    Deleting a table deletes every item in it. Only an existing backup (PITR is
    removed with the table after its retention, on-demand backups stay) brings
    the data back, into a new table. Plans delete tables for reasons that are
    easy to miss in review: a resource renamed without a `moved` block, a key
    removed from a `for_each` map, a module removed.

    ## Known limits
    Only plan input carries changes; state and `.tf` input are not judged.

    ## Example
    A resource block renamed from `aws_dynamodb_table.orders` to
    `aws_dynamodb_table.order_table` without a `moved` block: Terraform plans to
    delete the table and create an empty one.

    ## Use instead
    A `moved` block, so that Terraform keeps the table under its new address.
    Where the table really must go, take an on-demand backup first and accept
    this finding in the config file with the reason.

    ## References
    - [Refactoring with moved blocks](https://developer.hashicorp.com/terraform/language/modules/develop/refactoring)
    - [Backing up a DynamoDB table](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Backup.Tutorial.html)
    """
    change = table.change
    if change is None or not change.is_delete:
        return
    before = change.before if isinstance(change.before, dict) else {}
    name = before.get("name")
    named = f"'{name}'" if isinstance(name, str) else (str(name) if name is SENSITIVE else table.address)
    reason = DELETE_REASONS.get(change.action_reason or "")
    why = f" because {reason}" if reason else ""
    guard = ""
    if bool_of(before.get("deletion_protection_enabled")) is True:
        guard = " Deletion protection is on, so the apply will fail until it is turned off."
    yield Issue(
        f"The plan deletes table {named}{why}: every item in it is lost once applied; "
        f"use a `moved` block if it was renamed, or back it up first.{guard}"
    )


@rule(
    id="DDB105",
    slug="table-replaced",
    level="error",
    applies=["aws_dynamodb_table"],
    kind="change",
    security_severity=9.0,
    tags=TAGS,
)
def table_replaced(table: Resource, ctx: Context) -> Iterator[Issue]:
    """The plan replaces a DynamoDB table: it is recreated empty.

    ## What it checks
    A plan whose actions for an `aws_dynamodb_table` are `["delete", "create"]`
    or `["create", "delete"]`. The message lists what forces the replacement
    (the plan's `replace_paths`) with the old and new values.

    ## Why it matters
    DynamoDB cannot change a table's name, key schema or local secondary
    indexes in place: Terraform deletes the table and creates a new, empty one.
    The items are gone unless you migrate them yourself.

    ## Known limits
    Only plan input carries changes. Plans from Terraform before 0.15 carry no
    `replace_paths`; the message then compares the arguments known to force a
    new table.

    ## Use instead
    Keep the key schema, and add a global secondary index for the new access
    pattern (GSIs can be added in place); or create a new table next to the old
    one, copy the data, and switch readers before removing the old one.

    ## References
    - [aws_dynamodb_table: arguments that force a new resource](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table)
    - [Core components: primary key](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.CoreComponents.html#HowItWorks.CoreComponents.PrimaryKey)
    """
    change = table.change
    if change is None or not change.is_replace:
        return
    before = change.before if isinstance(change.before, dict) else {}
    paths = [p for p in change.replace_paths if p] or [(k,) for k in FORCE_NEW if _differs(before, table.values, k)]
    causes = [_describe(before, table.values, path) for path in paths]
    reason = REPLACE_REASONS.get(change.action_reason or "")
    if reason:
        causes.insert(0, reason)
    because = f" because {'; '.join(causes)}" if causes else ""
    name = before.get("name")
    named = f"'{name}'" if isinstance(name, str) else table.address
    yield Issue(
        f"The plan replaces table {named}{because}: the new table starts empty; "
        "keep the key schema and add a GSI instead, or migrate the data.",
        path=".".join(str(s) for s in paths[0]) if paths else None,
    )


def _differs(before: dict, after: Any, key: str) -> bool:
    old, new = before.get(key), dig(after, key)
    return is_known(new) and old != new and not (old in (None, [], "") and new in (None, [], ""))


def _describe(before: dict, after: Any, path: tuple) -> str:
    text = ".".join(str(s) for s in path)
    if len(path) != 1:
        return f"{text} changes"
    old, new = before.get(path[0]), dig(after, path[0])
    if isinstance(old, (str, int, float)) and (
        isinstance(new, (str, int, float)) or new is None or new is UNKNOWN or new is SENSITIVE
    ):
        return f"{text} changes from '{old}' to {shown(new)}"
    if isinstance(new, (str, int, float)) and old is None:
        return f"{text} is set to '{new}'"
    return f"{text} changes"


@rule(
    id="DDB106",
    slug="protection-lowered-before-destroy",
    level="error",
    applies=["aws_dynamodb_table"],
    kind="change",
    security_severity=8.0,
    tags=TAGS,
)
def protection_lowered(table: Resource, ctx: Context) -> Iterator[Issue]:
    """The plan turns off deletion protection or point-in-time recovery on an existing table.

    ## What it checks
    An update to an `aws_dynamodb_table` that changes `deletion_protection_enabled`
    from `true` to `false`, or `point_in_time_recovery` from enabled to disabled.

    ## Why it matters
    Lowering a table's protection is the usual first step before a delete, and
    turning PITR off deletes the continuous backups it held. Either deserves a
    second look in review, and often a separate change.

    ## Known limits
    Only plan input carries changes. A new value known only after apply is not judged.

    ## Use instead
    Keep `deletion_protection_enabled = true` and `point_in_time_recovery { enabled = true }`.
    To cut cost, change what leaves the protection alone, such as the table
    class (below); if the table must go, lower the protection in its own
    reviewed change.

    ## References
    - [Using deletion protection](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection)
    - [Point-in-time recovery](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html)
    """
    before = prior_values(table)
    if before is None:
        return
    if bool_of(before.get("deletion_protection_enabled")) is True:
        if is_off(table.values.get("deletion_protection_enabled")):
            yield Issue(
                f"The plan turns deletion protection off on table {label(table)}: "
                "keep `deletion_protection_enabled = true` unless removing the table is intended.",
                path="deletion_protection_enabled",
            )
    if pitr_enabled(before) is True and pitr_enabled(table.values) is False:
        yield Issue(
            f"The plan turns point-in-time recovery off on table {label(table)}, which deletes its "
            "continuous backups: keep `point_in_time_recovery { enabled = true }`.",
            path="point_in_time_recovery",
        )

"""Encryption and keys: which KMS key protects a table, its replicas and DAX clusters.

DynamoDB always encrypts data at rest. The question these rules ask is which
key does it (AWS-owned, AWS-managed `aws/dynamodb`, or a customer-managed key
you control), never whether the data is encrypted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dynalint.model import UNKNOWN, Resource, is_known
from dynalint.rule import Context, Fix, Issue, Set, rule
from dynalint.values import is_number, is_off, known_blocks, label, number_of, prior_values

from ._ddb import enabled_flag, replicas, table_key, table_of_replica
from ._messages import shown, shown_number

TAGS = ("security", "encryption", "dynamodb")
DAX_TAGS = ("security", "encryption", "dax")


@rule(
    id="DDB201",
    slug="sse-not-customer-managed",
    level="warning",
    applies=["aws_dynamodb_table"],
    security_severity=4.0,
    tags=TAGS,
)
def sse_not_customer_managed(table: Resource, ctx: Context) -> Iterator[Issue]:
    """The table is encrypted with an AWS-owned or AWS-managed key, not a customer-managed one.

    ## What it checks
    An `aws_dynamodb_table` whose `server_side_encryption` block is absent or
    disabled (the AWS-owned key), or enabled without `kms_key_arn`, or with
    `kms_key_arn` naming `alias/aws/dynamodb` (the AWS-managed key).

    ## Why it matters
    DynamoDB encrypts every table at rest; this is about who controls the key.
    With a customer-managed KMS key you write the key policy (who may decrypt
    the table, from which accounts and roles), every use of the key lands in
    CloudTrail, and disabling the key cuts off access to the data. The
    AWS-owned key gives none of that; the AWS-managed key gives audit but no
    policy control.

    ## Known limits
    A key ARN known only after apply (a key created in the same plan) counts
    as customer-managed.

    ## References
    - [DynamoDB encryption at rest](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html)
    - [AWS KMS keys: customer managed, AWS managed, AWS owned](https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt)
    """
    key = table_key(table.values)
    if key is UNKNOWN or key[0] == "customer":
        return
    if key[0] == "owned":
        which, fix = (
            "the AWS-owned key",
            "add a `server_side_encryption` block with `enabled = true` and "
            "`kms_key_arn` set to a customer-managed key",
        )
    else:
        which, fix = (
            "the AWS-managed key aws/dynamodb",
            "set `kms_key_arn` in its `server_side_encryption` block to a customer-managed key",
        )
    yield Issue(
        f"Table {label(table)} is encrypted with {which}: {fix} to control the key policy and audit "
        "every use of the key.",
        path="server_side_encryption",
    )


@rule(
    id="DDB202",
    slug="kms-key-changed",
    level="warning",
    applies=["aws_dynamodb_table"],
    kind="change",
    security_severity=5.0,
    tags=TAGS,
)
def kms_key_changed(table: Resource, ctx: Context) -> Iterator[Issue]:
    """The plan changes the KMS key of an existing table or replica.

    ## What it checks
    An update to an `aws_dynamodb_table` that changes
    `server_side_encryption.kms_key_arn` or `enabled`, or the `kms_key_arn` of an
    existing replica (matched by region). A new key known only after apply (a
    key created or replaced in the same plan) counts as a change.

    ## Why it matters
    Switching a table's encryption key re-encrypts it in the background, and
    AWS limits how often the key of a table can change (the notes we work from
    say once per day). A second change, or a rollback, the same day fails in
    the middle of an apply. If the new key is replaced in the same plan, the
    table follows a key that does not exist yet.

    ## Known limits
    Only plan input carries changes.

    ## Use instead
    Prefer rotating the key material (`enable_key_rotation = true`, with a
    shorter `rotation_period_in_days` if policy asks for one, below) over
    switching keys; where the key must change, change it on purpose, alone, and
    not twice in a day.

    ## References
    - [Managing encrypted tables](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.tutorial.html)
    - [DynamoDB service quotas](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html)
    """
    before = prior_values(table)
    if before is None:
        return
    old, new = table_key(before), table_key(table.values)
    if old is not UNKNOWN and new is not UNKNOWN and old != new:
        yield Issue(
            f"The plan changes the encryption key of table {label(table)} from {_key_text(old)} to "
            f"{_key_text(new)}: AWS limits key changes per table, so a retry or rollback the same day fails.",
            path="server_side_encryption.kms_key_arn",
        )
    before_replicas = {
        r.get("region_name"): r for r in known_blocks(before, "replica") if isinstance(r.get("region_name"), str)
    }
    after_replicas = replicas(table.values)
    if not is_known(after_replicas):
        return
    for replica in after_replicas:
        region = replica.get("region_name")
        previous = before_replicas.get(region) if isinstance(region, str) else None
        if previous is None:
            continue
        old_arn, new_arn = (
            arn or None if is_known(arn) else arn for arn in (previous.get("kms_key_arn"), replica.get("kms_key_arn"))
        )
        if old_arn != new_arn and (is_known(new_arn) or new_arn is UNKNOWN):
            yield Issue(
                f"The plan changes the KMS key of table {label(table)}'s replica in {region} from "
                f"{_arn_text(old_arn)} to {_arn_text(new_arn)}: AWS limits key changes, so a retry or "
                "rollback the same day fails.",
                path=f"replica.{region}.kms_key_arn",
            )


def _key_text(key: tuple) -> str:
    kind, arn = key
    if kind == "owned":
        return "the AWS-owned key"
    if kind == "managed":
        return "the AWS-managed key aws/dynamodb"
    return _arn_text(arn)


def _arn_text(arn: Any) -> str:
    if arn is None:
        return "the default key"
    if arn is UNKNOWN:
        return "a key known only after apply"
    return shown(arn)


def _encrypted_tables(key: Resource, ctx: Context) -> list[Resource]:
    """Tables and replicas a KMS key encrypts, directly or through an alias."""
    users = []
    for via in ("server_side_encryption", "replica"):
        users += ctx.related(key, "aws_dynamodb_table", via=via, direction="in")
    users += ctx.related(key, "aws_dynamodb_table_replica", via="kms_key_arn", direction="in")
    for alias in ctx.related(key, "aws_kms_alias", via="target_key_id", direction="in"):
        for via in ("server_side_encryption", "replica"):
            users += ctx.related(alias, "aws_dynamodb_table", via=via, direction="in")
        users += ctx.related(alias, "aws_dynamodb_table_replica", via="kms_key_arn", direction="in")
    return sorted({r.address: r for r in users}.values(), key=lambda r: r.address)


def _users_text(users: list[Resource]) -> str:
    names = [label(u) if u.type == "aws_dynamodb_table" else u.address for u in users[:3]]
    more = f" and {len(users) - 3} more" if len(users) > 3 else ""
    return ", ".join(names) + more


@rule(
    id="DDB203",
    slug="kms-key-rotation-disabled",
    level="warning",
    applies=["aws_kms_key"],
    kind="graph",
    security_severity=5.0,
    tags=TAGS,
)
def kms_key_rotation_disabled(key: Resource, ctx: Context) -> Iterator[Issue]:
    """A KMS key that encrypts DynamoDB tables does not rotate.

    ## What it checks
    An `aws_kms_key` used by a table's `server_side_encryption`, by a replica's
    `kms_key_arn`, or by an `aws_dynamodb_table_replica` (through a reference to
    the key or an `aws_kms_alias`, or by a literal ARN) whose
    `enable_key_rotation` is absent or `false`.

    ## Why it matters
    Automatic rotation gives the key new material every year (or the
    `rotation_period_in_days` you choose) with no change to the table and no
    re-encryption downtime. Many compliance regimes require it, and it limits
    what one leaked data key can decrypt.

    ## Known limits
    Asymmetric and HMAC keys cannot rotate and are not judged (DynamoDB needs a
    symmetric key anyway). A value known only after apply is not judged.

    ## References
    - [Rotating AWS KMS keys](https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html)
    """
    specs = [key.values.get("customer_master_key_spec"), key.values.get("key_spec")]
    if not all(is_known(s) for s in specs):  # the kind of key is decided at apply: rotation may not apply
        return
    spec = specs[0] or specs[1]
    if isinstance(spec, str) and spec != "SYMMETRIC_DEFAULT":
        return
    if not is_off(key.values.get("enable_key_rotation")):
        return
    users = _encrypted_tables(key, ctx)
    if users:
        yield Issue(
            f"KMS key {key.address} encrypts {_users_text(users)} but does not rotate: set "
            "`enable_key_rotation = true`.",
            path="enable_key_rotation",
        )


@rule(
    id="DDB204",
    slug="kms-key-short-deletion-window",
    level="note",
    applies=["aws_kms_key"],
    kind="graph",
    security_severity=3.0,
    tags=TAGS,
    options={"min_kms_deletion_window": 30},
)
def kms_key_short_deletion_window(key: Resource, ctx: Context) -> Iterator[Issue]:
    """A KMS key that encrypts DynamoDB tables can be deleted after a short waiting period.

    ## What it checks
    An `aws_kms_key` that encrypts a table or replica (as in DDB203) whose
    `deletion_window_in_days` is below `min_kms_deletion_window` (default 30).
    An absent value is the AWS default, 30 days.

    ## Why it matters
    Deleting the key of a table makes the table unreadable for good: DynamoDB
    cannot decrypt it, and no backup encrypted with that key can be restored.
    The deletion window is the only time left to cancel a mistaken
    `ScheduleKeyDeletion`; 30 days gives monitoring a chance to notice.

    ## Known limits
    A value known only after apply is not judged.

    ## Options
    - `min_kms_deletion_window` (integer, default 30): the shortest window accepted, in days (7 to 30).

    ## References
    - [Deleting AWS KMS keys](https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html)
    - [Inaccessible KMS key for a DynamoDB table](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html)
    """
    days = number_of(key.values.get("deletion_window_in_days"))
    minimum = ctx.options["min_kms_deletion_window"]
    if not is_number(days) or days >= minimum:
        return
    users = _encrypted_tables(key, ctx)
    if users:
        yield Issue(
            f"KMS key {key.address} encrypts {_users_text(users)} and can be deleted {shown_number(days)} "
            f"days after it is scheduled: set `deletion_window_in_days = {minimum}`; without the key the "
            "table and its backups are unreadable.",
            path="deletion_window_in_days",
        )


@rule(
    id="DDB205",
    slug="replica-without-regional-key",
    level="warning",
    applies=["aws_dynamodb_table", "aws_dynamodb_table_replica"],
    security_severity=5.0,
    tags=TAGS,
)
def replica_without_regional_key(resource: Resource, ctx: Context) -> Iterator[Issue]:
    """The table uses a customer-managed key, but a replica has no key of its own.

    ## What it checks
    An `aws_dynamodb_table` encrypted with a customer-managed key that has a
    `replica` block without `kms_key_arn`; and an `aws_dynamodb_table_replica`
    without `kms_key_arn` whose table (in the same input) uses a
    customer-managed key.

    ## Why it matters
    KMS keys are regional, so each replica of a global table needs a key in its
    own region. A replica without one falls back to the AWS-owned key: the data
    you protect with your key policy in one region is readable without it in
    the other.

    ## Known limits
    A replica key known only after apply is accepted. A standalone replica
    whose table is not in the input is not judged.

    ## References
    - [Global tables and encryption](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_reqs_bestpractices.html)
    - [Multi-Region keys in AWS KMS](https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html)
    """
    if resource.type == "aws_dynamodb_table_replica":
        if resource.values.get("kms_key_arn") is not None:
            return
        table = table_of_replica(resource, ctx)
        if table is None:
            return
        key = table_key(table.values)
        if key is not UNKNOWN and key[0] == "customer":
            yield Issue(
                f"Replica {resource.address} has no kms_key_arn while table {label(table)} uses a "
                "customer-managed key: set `kms_key_arn` to a key in the replica's region.",
                path="kms_key_arn",
            )
        return
    key = table_key(resource.values)
    if key is UNKNOWN or key[0] != "customer":
        return
    found = replicas(resource.values)
    if not is_known(found):
        return
    for replica in found:
        if replica.get("kms_key_arn") in (None, ""):
            region = replica.get("region_name")
            where = region if isinstance(region, str) else "its region"
            yield Issue(
                f"Table {label(resource)} uses a customer-managed key, but its replica in {where} has no "
                "kms_key_arn and falls back to the AWS-owned key: set `kms_key_arn` to a key in "
                f"{where}.",
                path=f"replica.{where}.kms_key_arn",
            )


@rule(
    id="DDB206",
    slug="dax-encryption-at-rest-disabled",
    level="error",
    applies=["aws_dax_cluster"],
    security_severity=7.0,
    tags=DAX_TAGS,
    fix="unsafe",
)
def dax_encryption_at_rest_disabled(cluster: Resource, ctx: Context) -> Iterator[Issue]:
    """A DAX cluster does not encrypt its cache at rest.

    ## What it checks
    An `aws_dax_cluster` whose `server_side_encryption` block is absent, empty,
    has no `enabled`, or has `enabled = false`.

    ## Why it matters
    Unlike DynamoDB, DAX does not encrypt by default: the cached items, which
    are copies of your table data, sit on the nodes' disks in plain text.
    Encryption at rest can only be chosen when the cluster is created;
    turning it on later replaces the cluster.

    ## Known limits
    A value known only after apply is not judged.

    ## Fix
    Unsafe (`--unsafe-fixes`): `dynalint --fix` adds
    `server_side_encryption { enabled = true }` (or turns a literal `false` into
    `true`). An existing cluster is replaced: its cache starts empty and its
    endpoint is down while the new nodes are created.

    ## References
    - [DAX encryption at rest](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionAtRest.html)
    """
    if enabled_flag(cluster.values, "server_side_encryption") is False:
        yield Issue(
            f"DAX cluster {label(cluster, 'cluster_name')} keeps cached table data unencrypted on its "
            "nodes: add `server_side_encryption { enabled = true }` (this replaces the cluster).",
            path="server_side_encryption",
            fix=Fix(
                "Turn encryption at rest on (replaces the cluster)",
                Set("server_side_encryption.enabled", True),
                safe=False,
            ),
        )


@rule(
    id="DDB207",
    slug="dax-endpoint-not-tls",
    level="warning",
    applies=["aws_dax_cluster"],
    security_severity=6.0,
    tags=DAX_TAGS,
    fix="unsafe",
)
def dax_endpoint_not_tls(cluster: Resource, ctx: Context) -> Iterator[Issue]:
    """A DAX cluster endpoint accepts unencrypted connections.

    ## What it checks
    An `aws_dax_cluster` whose `cluster_endpoint_encryption_type` is absent
    (the default is `NONE`) or anything other than `TLS`.

    ## Why it matters
    Without TLS, every item a client reads through DAX crosses the network in
    plain text on port 8111. With `TLS` the endpoint serves port 9111 only.
    Like encryption at rest, the setting is fixed at creation.

    ## Known limits
    A value known only after apply is not judged.

    ## Fix
    Unsafe (`--unsafe-fixes`): `dynalint --fix` sets
    `cluster_endpoint_encryption_type = "TLS"`. An existing cluster is
    replaced, and clients must then connect with TLS on port 9111: update them
    in the same change.

    ## References
    - [DAX encryption in transit](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionInTransit.html)
    """
    kind = cluster.values.get("cluster_endpoint_encryption_type")
    if not is_known(kind) or kind == "TLS":
        return
    shown = f"'{kind}'" if isinstance(kind, str) and kind else "not set (NONE)"
    yield Issue(
        f"DAX cluster {label(cluster, 'cluster_name')} endpoint encryption is {shown}: set "
        '`cluster_endpoint_encryption_type = "TLS"` so clients connect over TLS on port 9111 '
        "(this replaces the cluster).",
        path="cluster_endpoint_encryption_type",
        fix=Fix(
            'Set `cluster_endpoint_encryption_type = "TLS"` (replaces the cluster)',
            Set("cluster_endpoint_encryption_type", "TLS"),
            safe=False,
        ),
    )

"""Capacity and scaling: billing mode, provisioned capacity, and the autoscaling that keeps it sized.

A provisioned table (``billing_mode = "PROVISIONED"``, or unset: that is the
default) needs read and write capacity on the table and on each GSI, and is
scaled by Application Auto Scaling: which targets, policies and scheduled
actions act on a table is read in ``rules/_autoscaling.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dynalint.model import UNKNOWN, Resource, is_known
from dynalint.rule import Context, Extend, Fix, Issue, Ref, rule
from dynalint.values import (
    Match,
    blocks,
    configured_blocks,
    configured_constants,
    is_configured,
    is_number,
    known_blocks,
    known_str,
    label,
    number_of,
    prior_values,
)

from ._autoscaling import (
    DIMENSION,
    NOTHING,
    POLICY,
    SCALED,
    TABLE,
    TARGET,
    TARGET_ONLY,
    TARGET_TRACKING,
    UNITS,
    UTILIZATION_METRIC,
    dimension_state,
    is_dynamodb,
    policy_dimension,
    predefined_metric,
    same_region,
    scaling_of,
    tracking,
)
from ._key_schema import GSI
from ._messages import shown_number

TAGS = ("capacity", "reliability", "dynamodb")
COST_TAGS = ("capacity", "cost", "dynamodb")

ON_DEMAND = "PAY_PER_REQUEST"
MAX_TABLE_CAPACITY = 40000
UTILIZATION_RANGE = (20, 90)


# ---------------------------------------------------------------- reading values
def _provisioned(values: Mapping) -> bool | Any:
    """True for PROVISIONED or unset (the default), False for PAY_PER_REQUEST, the sentinel when not known."""
    mode = values.get("billing_mode")
    if mode is None or not is_known(mode):
        return True if mode is None else mode
    return mode == "PROVISIONED"


def _on_demand(values: Mapping) -> bool:
    return values.get("billing_mode") == ON_DEMAND


def _gsis(table: Resource) -> list[Mapping]:
    """The table's GSI blocks that have a known name ([] when the list itself is not known)."""
    return [g for g in known_blocks(table.values, GSI) if isinstance(g.get("name"), str) and g.get("name")]


def _gsi_sets(table: Resource, name: str, key: str) -> bool | None:
    """Whether the configuration writes ``key`` in the GSI block called ``name``; None when it cannot tell.

    The loader answers "is it configured" for set-typed blocks as a union (a
    key written in one GSI block counts as written in all), so an unset,
    provider-computed capacity of one GSI reads as unknown when another GSI
    sets it. The block is found here by its constant name instead (a ``Match``
    step); when names are not constants, the answer holds only if every block
    agrees.
    """
    configured = configured_blocks(table, GSI)
    if configured is None:
        return None
    if name in configured_constants(table, GSI, "name"):
        return is_configured(table.configured, (GSI, Match("name", name), key))
    written = [key in b for b in configured if isinstance(b, dict)]
    if written and all(written):
        return True
    return False if written and not any(written) else None


def _gsi_capacity(table: Resource, gsi: Mapping, key: str) -> Any:
    """A GSI's read_capacity/write_capacity, with an unset provider-computed value read as absent."""
    value = number_of(gsi.get(key))
    if value is UNKNOWN and _gsi_sets(table, gsi["name"], key) is False:
        return None
    return value


def _capacity_places(table: Resource) -> Iterator[tuple[str | None, str, Any, str]]:
    """(GSI name or None for the table, attribute, value, path) for each read/write capacity of the table."""
    for key in ("read_capacity", "write_capacity"):
        yield None, key, number_of(table.values.get(key)), key
    for gsi in _gsis(table):
        name = gsi["name"]
        for key in ("read_capacity", "write_capacity"):
            yield name, key, _gsi_capacity(table, gsi, key), f"global_secondary_index.{name}.{key}"


def _owner(gsi: str | None) -> str:
    return f"its GSI '{gsi}'" if gsi else "the table"


def _dimension_name(scope: str, units: list[str]) -> str:
    return " and ".join(f"dynamodb:{scope}:{u}CapacityUnits" for u in units)


# ---------------------------------------------------------------- DDB401
@rule(
    id="DDB401",
    slug="provisioned-without-autoscaling",
    level="warning",
    applies=[TABLE],
    kind="graph",
    security_severity=4.0,
    tags=TAGS,
)
def provisioned_without_autoscaling(table: Resource, ctx: Context) -> Iterator[Issue]:
    """A provisioned table does not scale its read or write capacity.

    ## What it checks
    An `aws_dynamodb_table` with `billing_mode = "PROVISIONED"` (or no
    `billing_mode`: provisioned is the default) where the read or the write
    dimension has no `aws_appautoscaling_target` (`service_namespace =
    "dynamodb"`, `resource_id = "table/NAME"`, `scalable_dimension =
    "dynamodb:table:ReadCapacityUnits"` / `"dynamodb:table:WriteCapacityUnits"`)
    with an `aws_appautoscaling_policy` or `aws_appautoscaling_scheduled_action`
    on it. Targets are matched to the table by reference or by the literal
    table name; policies to targets by reference or by the same namespace,
    `resource_id` and dimension. A target without a policy does not scale and
    counts as missing. The message names the dimensions that do not scale.

    ## Why it matters
    A provisioned table serves exactly the capacity it has. Traffic above it
    is throttled (`ProvisionedThroughputExceededException`) once burst
    capacity (up to 300 seconds of unused capacity) runs out, and capacity
    left high for a peak is paid for every hour. Auto scaling tracks a target
    utilization (70 % is the console default) between a minimum and a maximum.

    ## Known limits
    Only autoscaling declared in the same input counts: a table whose targets
    and policies all live in another Terraform state is reported (a policy
    here whose target is registered elsewhere does count). A table whose
    billing mode, or whose targets' dimensions, are known only after apply is
    not judged. Targets with `suspended_state` are still counted as scaling.

    ## Use instead
    Autoscaling on both dimensions, a target and a target-tracking policy each
    (below); or `billing_mode = "PAY_PER_REQUEST"` for traffic you cannot
    predict.

    ## References
    - [Managing throughput capacity automatically with DynamoDB auto scaling](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html)
    - [DynamoDB provisioned capacity mode](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/provisioned-capacity-mode.html)
    - [aws_appautoscaling_policy: DynamoDB table autoscaling](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/appautoscaling_policy)
    """
    if _provisioned(table.values) is not True:
        return
    scaling = scaling_of(table, ctx)
    if scaling is UNKNOWN:
        return
    states = {unit: dimension_state(scaling, None, unit) for unit in UNITS}
    missing = [u for u in UNITS if states[u] in (NOTHING, TARGET_ONLY)]
    if not missing:
        return
    parts = []
    bare = [u.lower() for u in missing if states[u] == NOTHING]
    if bare:
        parts.append(f"has no autoscaling on {' or '.join(bare)} capacity")
    parts += [f"its {u.lower()} capacity target has no scaling policy" for u in missing if states[u] == TARGET_ONLY]
    yield Issue(
        f"Table {label(table)} uses provisioned capacity and {', and '.join(parts)}: add a target-tracking "
        f"aws_appautoscaling_policy (and its aws_appautoscaling_target) for "
        f'{_dimension_name("table", missing)}, or set billing_mode = "PAY_PER_REQUEST".',
        path="billing_mode",
    )


# ---------------------------------------------------------------- DDB402
@rule(
    id="DDB402",
    slug="gsi-without-autoscaling",
    level="warning",
    applies=[TABLE],
    kind="graph",
    security_severity=3.0,
    tags=TAGS,
)
def gsi_without_autoscaling(table: Resource, ctx: Context) -> Iterator[Issue]:
    """A GSI of an autoscaled provisioned table does not scale with it.

    ## What it checks
    A provisioned `aws_dynamodb_table` whose own read or write capacity
    autoscales (as in DDB401), with a `global_secondary_index` that has no
    autoscaling for that same dimension: no `aws_appautoscaling_target` with
    `resource_id = "table/NAME/index/GSI"` and `scalable_dimension =
    "dynamodb:index:ReadCapacityUnits"` / `"dynamodb:index:WriteCapacityUnits"`
    with a policy on it. A dimension the table itself does not scale is left
    to DDB401.

    ## Why it matters
    Each GSI has its own provisioned capacity, and table auto scaling does not
    cover it. Every write to the table that changes an indexed attribute is
    also a write to the GSI: when the GSI runs out of write capacity, DynamoDB
    throttles the writes to the base table. The table scales up for a peak,
    the index does not, and the table is throttled anyway.

    ## Known limits
    A GSI whose index target has a `resource_id` known only after apply is not
    judged; nor is a GSI whose name is not known.

    ## References
    - [Managing throughput capacity automatically with DynamoDB auto scaling](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html)
    - [Provisioned throughput considerations for global secondary indexes](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations)
    """
    if _provisioned(table.values) is not True:
        return
    scaling = scaling_of(table, ctx)
    if scaling is UNKNOWN:
        return
    table_units = [u for u in UNITS if dimension_state(scaling, None, u) == SCALED]
    if not table_units:
        return
    table_name = known_str(table.values.get("name")) or "<table>"
    for gsi in _gsis(table):
        name = gsi["name"]
        missing = [u for u in table_units if dimension_state(scaling, name, u) in (NOTHING, TARGET_ONLY)]
        if missing:
            words = " and ".join(u.lower() for u in missing)
            yield Issue(
                f"Table {label(table)} autoscales its {words} capacity, but its GSI '{name}' does not: add "
                f'an aws_appautoscaling_target with resource_id "table/{table_name}/index/{name}" and a '
                f"policy for {_dimension_name('index', missing)}, or the index throttles the table at peak.",
                path=f"global_secondary_index.{name}",
            )


# ---------------------------------------------------------------- DDB403
@rule(
    id="DDB403",
    slug="capacity-on-on-demand-table",
    level="warning",
    applies=[TABLE, TARGET],
    kind="graph",
    security_severity=2.0,
    tags=COST_TAGS,
)
def capacity_on_on_demand_table(resource: Resource, ctx: Context) -> Iterator[Issue]:
    """An on-demand table is given provisioned capacity or an autoscaling target.

    ## What it checks
    An `aws_dynamodb_table` with `billing_mode = "PAY_PER_REQUEST"` whose
    configuration sets `read_capacity` or `write_capacity` above 0 on the
    table or on a `global_secondary_index` (finding on the table); and a
    DynamoDB `aws_appautoscaling_target` aimed at such a table or one of its
    indexes, by reference or by literal name (finding on the target).

    ## Why it matters
    On-demand tables and their indexes are billed per request and have no
    provisioned capacity. The provider rejects capacity on the table itself at
    plan time, but silently drops it on a GSI: the configuration then claims a
    capacity (and a cost model) the index does not have. An autoscaling target
    on an on-demand table scales nothing; AWS keeps such settings and may
    apply them again if the table ever returns to provisioned mode, which
    surprises whoever switches it back.

    ## Known limits
    Only capacity the configuration writes counts: on an on-demand table the
    provider computes capacity (a GSI's on create; the table keeps its old
    capacity in the state after a switch from provisioned), which is not the
    author's doing. A billing mode known only after apply is not judged.

    ## Use instead
    No capacity on the table or its indexes (below), and no
    `aws_appautoscaling_target`/`_policy` resources for them; to cap an
    on-demand table's throughput, use `on_demand_throughput`.

    ## References
    - [DynamoDB on-demand capacity mode](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html)
    - [Considerations when switching capacity modes](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-switching-capacity-modes.html)
    - [aws_dynamodb_table: billing_mode](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#billing_mode)
    """
    if resource.type == TARGET:
        yield from _target_on_on_demand(resource, ctx)
        return
    if not _on_demand(resource.values):
        return
    for gsi, key, value, path in _capacity_places(resource):
        if not is_number(value) or value <= 0 or not _writes(resource, gsi, key):
            continue
        yield Issue(
            f"Table {label(resource)} is on-demand (PAY_PER_REQUEST) but the configuration gives "
            f"{_owner(gsi)} {key} = {shown_number(value)}: remove it; on-demand capacity is billed per "
            "request, not provisioned.",
            path=path,
        )


def _writes(table: Resource, gsi: str | None, key: str) -> bool:
    """Whether the configuration writes ``key`` on the table (gsi None) or on the named GSI."""
    if gsi is None:
        return is_configured(table.configured, (key,))
    return _gsi_sets(table, gsi, key) is True


def _target_on_on_demand(target: Resource, ctx: Context) -> Iterator[Issue]:
    if not is_dynamodb(target.values):
        return
    for table in ctx.related(target, TABLE, via="resource_id", direction="out"):
        if same_region(target, table) and _on_demand(table.values):
            dimension = target.values.get("scalable_dimension")
            what = f"{dimension} of " if isinstance(dimension, str) else ""
            yield Issue(
                f"Autoscaling target {target.address} scales {what}table {label(table)}, which is on-demand "
                "(PAY_PER_REQUEST): remove the target and its policies, or make the table PROVISIONED.",
                path="resource_id",
            )
            return


# ---------------------------------------------------------------- DDB404
@rule(
    id="DDB404", slug="provisioned-without-capacity", level="error", applies=[TABLE], security_severity=2.0, tags=TAGS
)
def provisioned_without_capacity(table: Resource, ctx: Context) -> Iterator[Issue]:
    """A provisioned table or GSI has no read or write capacity.

    ## What it checks
    An `aws_dynamodb_table` with `billing_mode = "PROVISIONED"` (or unset)
    where `read_capacity` or `write_capacity` is missing or 0, on the table or
    on a `global_secondary_index`.

    ## Why it matters
    Provisioned tables and each of their GSIs need at least 1 read and 1 write
    capacity unit. The provider rejects the table-level case at plan time, but
    a GSI without capacity passes `terraform plan` and the apply fails in
    `CreateTable`/`UpdateTable` with a validation error, leaving a
    half-applied change. Checking `.tf` files catches both before any plan.

    ## Known limits
    Capacity known only after apply is not judged. When GSI names are not
    constants and only some GSI blocks write a capacity, a GSI without it
    cannot be told from one with a computed value, and is not judged.

    ## References
    - [aws_dynamodb_table: global_secondary_index](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#global_secondary_index)
    - [ProvisionedThroughput (DynamoDB API)](https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ProvisionedThroughput.html)
    """
    if _provisioned(table.values) is not True:
        return
    for gsi, key, value, path in _capacity_places(table):
        if value is None:
            problem = f"has no {key}"
        elif is_number(value) and value < 1:
            problem = f"has {key} = {shown_number(value)}"
        else:
            continue
        yield Issue(
            f"Table {label(table)} uses provisioned capacity but {_owner(gsi)} {problem}: set {key} to at "
            "least 1, or the apply fails.",
            path=path,
        )


# ---------------------------------------------------------------- DDB405
@rule(
    id="DDB405",
    slug="autoscaling-bounds-invalid",
    level="error",
    applies=[TARGET, POLICY],
    security_severity=2.0,
    tags=TAGS,
    options={"max_table_capacity": MAX_TABLE_CAPACITY},
)
def autoscaling_bounds_invalid(resource: Resource, ctx: Context) -> Iterator[Issue]:
    """DynamoDB autoscaling bounds or target utilization that AWS rejects or cannot reach.

    ## What it checks
    For an `aws_appautoscaling_target` of the `dynamodb` namespace:
    `min_capacity` below 1, `min_capacity` above `max_capacity`, or
    `max_capacity` above the per-table quota (option `max_table_capacity`,
    default 40,000). For a DynamoDB `aws_appautoscaling_policy` of type
    `TargetTrackingScaling` with a predefined DynamoDB utilization metric:
    `target_value` outside 20-90.

    ## Why it matters
    Provisioned DynamoDB capacity is at least 1 unit, so a minimum of 0 cannot
    be applied, and a minimum above the maximum is rejected by
    `RegisterScalableTarget`. Above the per-table quota (40,000 read and
    40,000 write capacity units by default, for a table and for each of its
    GSIs) scaling fails when it is needed most. DynamoDB auto scaling accepts
    target utilization between 20 % and 90 %; `0.7` written for 70 % is a
    common slip.

    ## Known limits
    Values known only after apply are not judged. Other namespaces (ECS may
    scale to 0) are not judged, nor are customized metrics (their target is
    not a percentage). Raise `max_table_capacity` if your quota was raised.

    ## Use instead
    `min_capacity` of 1 or more (below) and at most `max_capacity`,
    `max_capacity` within the quota, and a target-tracking `target_value`
    between 20 and 90.

    ## Options
    - `max_table_capacity` (integer, default 40000): the per-table read/write capacity quota of your account.

    ## References
    - [Quotas in Amazon DynamoDB: throughput default quotas](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html)
    - [Managing throughput capacity automatically with DynamoDB auto scaling](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html)
    - [RegisterScalableTarget](https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html)
    """
    if resource.type == POLICY:
        yield from _utilization_out_of_range(resource)
        return
    if not is_dynamodb(resource.values):
        return
    low, high = number_of(resource.values.get("min_capacity")), number_of(resource.values.get("max_capacity"))
    quota = ctx.options["max_table_capacity"]
    name = resource.address
    if is_number(low) and low < 1:
        yield Issue(
            f"Autoscaling target {name} has min_capacity {shown_number(low)}: DynamoDB provisioned capacity "
            "is at least 1 unit, set min_capacity to 1 or more.",
            path="min_capacity",
        )
    if is_number(low) and is_number(high) and low > high:
        yield Issue(
            f"Autoscaling target {name} has min_capacity {shown_number(low)} above max_capacity "
            f"{shown_number(high)}: make min_capacity at most max_capacity, or AWS rejects the target.",
            path="max_capacity",
        )
    if is_number(high) and high > quota:
        yield Issue(
            f"Autoscaling target {name} has max_capacity {shown_number(high)}, above the per-table quota of "
            f"{shown_number(quota)}: lower it, or raise the quota (and the max_table_capacity option).",
            path="max_capacity",
        )


def _utilization_out_of_range(policy: Resource) -> Iterator[Issue]:
    config = tracking(policy)
    if config is None:
        return
    metric = predefined_metric(config)
    if not isinstance(metric, str) or not UTILIZATION_METRIC.match(metric):
        return
    target = number_of(config.get("target_value"))
    low, high = UTILIZATION_RANGE
    if is_number(target) and not low <= target <= high:
        hint = f" (written as a fraction? {shown_number(round(target * 100, 4))} % is meant)" if 0 < target < 1 else ""
        yield Issue(
            f"Autoscaling policy {policy.address} tracks {metric} at target_value "
            f"{shown_number(target)}{hint}: DynamoDB accepts a target utilization of {low} to {high} percent, "
            "use e.g. 70.",
            path="target_tracking_scaling_policy_configuration.target_value",
        )


# ---------------------------------------------------------------- DDB406
@rule(
    id="DDB406",
    slug="autoscaling-metric-mismatch",
    level="error",
    applies=[POLICY],
    kind="graph",
    security_severity=2.0,
    tags=TAGS,
)
def autoscaling_metric_mismatch(policy: Resource, ctx: Context) -> Iterator[Issue]:
    """A DynamoDB scaling policy tracks the wrong capacity metric for its dimension.

    ## What it checks
    An `aws_appautoscaling_policy` of type `TargetTrackingScaling` whose
    `predefined_metric_type` does not measure the capacity its target scales:
    `DynamoDBReadCapacityUtilization` on a `...WriteCapacityUnits` dimension,
    `DynamoDBWriteCapacityUtilization` on a `...ReadCapacityUnits` one, or a
    non-DynamoDB metric on a DynamoDB dimension. The dimension is the
    policy's own `scalable_dimension`, or, where that is only known from the
    target it refers to, the target's.

    ## Why it matters
    A target-tracking policy changes the capacity of its dimension to move its
    metric. Tracking read utilization while changing write capacity never
    moves the metric: write capacity climbs to the maximum when reads are busy
    and falls to the minimum while writes are throttled.

    ## Known limits
    A metric or dimension known only after apply is not judged; customized
    metrics are not judged.

    ## References
    - [PredefinedMetricSpecification (Application Auto Scaling)](https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html)
    - [Managing throughput capacity automatically with DynamoDB auto scaling](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html)
    """
    if policy.values.get("policy_type") != TARGET_TRACKING:
        return
    config = blocks(policy.values, "target_tracking_scaling_policy_configuration")
    if not is_known(config) or not config:
        return
    metric = predefined_metric(config[0])
    if not isinstance(metric, str) or not metric:
        return
    dimension = policy_dimension(policy, ctx)
    match = DIMENSION.match(dimension) if isinstance(dimension, str) else None
    if match is None:
        return
    unit = match.group(2)
    wanted = f"DynamoDB{unit}CapacityUtilization"
    if metric != wanted:
        yield Issue(
            f"Autoscaling policy {policy.address} scales {dimension} but tracks {metric}: set "
            f'predefined_metric_type = "{wanted}".',
            path="target_tracking_scaling_policy_configuration.predefined_metric_specification",
        )


# ---------------------------------------------------------------- DDB407
@rule(
    id="DDB407",
    slug="autoscaling-cooldowns-inverted",
    level="note",
    applies=[POLICY],
    security_severity=1.0,
    tags=TAGS,
    options={"max_scale_out_cooldown": 60, "min_scale_in_cooldown": 300},
)
def autoscaling_cooldowns_inverted(policy: Resource, ctx: Context) -> Iterator[Issue]:
    """A DynamoDB scaling policy scales out slowly or scales in quickly.

    ## What it checks
    A DynamoDB `aws_appautoscaling_policy` of type `TargetTrackingScaling`
    whose configuration sets `scale_out_cooldown` above `max_scale_out_cooldown`
    (default 60 s) or `scale_in_cooldown` below `min_scale_in_cooldown`
    (default 300 s). A cooldown the configuration does not set is not judged.

    ## Why it matters
    Throttling hurts at once, idle capacity only costs money: scale out fast,
    scale in slowly. A long scale-out cooldown keeps the table throttled while
    traffic climbs; a short scale-in cooldown gives capacity back between two
    bursts. DynamoDB also limits capacity decreases per table per day (4 at
    any time, then one more after each hour without a decrease), so early
    scale-ins use up the decreases needed later in the day.

    ## Known limits
    Cooldowns known only after apply are not judged. For DynamoDB, both
    cooldowns default to 0 seconds when unset.

    ## Options
    - `max_scale_out_cooldown` (integer, default 60): the longest scale-out cooldown accepted, in seconds.
    - `min_scale_in_cooldown` (integer, default 300): the shortest scale-in cooldown accepted, in seconds.

    ## References
    - [Target tracking scaling policies: cooldown periods](https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html)
    - [Quotas in Amazon DynamoDB: decreasing provisioned throughput](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html)
    """
    config = tracking(policy)
    if config is None:
        return
    base = ("target_tracking_scaling_policy_configuration", 0)
    out_limit, in_limit = ctx.options["max_scale_out_cooldown"], ctx.options["min_scale_in_cooldown"]
    scale_out = number_of(config.get("scale_out_cooldown"))
    if (
        is_number(scale_out)
        and scale_out > out_limit
        and is_configured(policy.configured, base + ("scale_out_cooldown",))
    ):
        yield Issue(
            f"Autoscaling policy {policy.address} waits {shown_number(scale_out)} s between scale-outs: "
            f"set scale_out_cooldown to {out_limit} or less, so the table is not throttled while traffic "
            "climbs.",
            path="target_tracking_scaling_policy_configuration.scale_out_cooldown",
        )
    scale_in = number_of(config.get("scale_in_cooldown"))
    if is_number(scale_in) and scale_in < in_limit and is_configured(policy.configured, base + ("scale_in_cooldown",)):
        yield Issue(
            f"Autoscaling policy {policy.address} scales in {shown_number(scale_in)} s after the last "
            f"scale-in: set scale_in_cooldown to {in_limit} or more, so capacity is not given back between "
            "bursts.",
            path="target_tracking_scaling_policy_configuration.scale_in_cooldown",
        )


# ---------------------------------------------------------------- DDB408
@rule(
    id="DDB408",
    slug="billing-mode-switched",
    level="warning",
    applies=[TABLE],
    kind="change",
    security_severity=3.0,
    tags=COST_TAGS,
)
def billing_mode_switched(table: Resource, ctx: Context) -> Iterator[Issue]:
    """The plan switches an existing table between provisioned and on-demand capacity.

    ## What it checks
    An update to an `aws_dynamodb_table` that changes `billing_mode` (an unset
    value is `PROVISIONED`).

    ## Why it matters
    AWS rate-limits switches to on-demand: the capacity-mode guide allows up
    to four switches from provisioned to on-demand in a rolling 24 hours, and
    the quotas page says a table switched to on-demand can return to it only
    24 hours after its last switch. A rollback of a bad switch, or a second
    change the same day, can be refused in the middle of an apply. The switch
    itself restructures the table's partitions for several minutes, changes
    how the table is billed, and leaves autoscaling targets of the table
    behind (AWS keeps them, and applies them again if the table goes back to
    provisioned).

    ## Known limits
    Only plan input carries changes. A new billing mode known only after apply
    is not judged; a replaced table is reported by DDB105, not here.

    ## Use instead
    Where the switch is only to absorb a peak, raise the autoscaling maximum
    instead (below). Otherwise switch on purpose, in a change of its own, and
    not back and forth: when going on-demand, remove the table's autoscaling
    targets and policies in the same change; when going provisioned, size the
    capacity from the table's peak consumed capacity and add autoscaling.

    ## References
    - [Considerations when switching capacity modes in DynamoDB](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-switching-capacity-modes.html)
    - [Quotas in Amazon DynamoDB: read/write capacity mode](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html)
    """
    before = prior_values(table)
    if before is None:
        return
    old, new = before.get("billing_mode"), table.values.get("billing_mode")
    if not is_known(old) or not is_known(new):  # decided at apply, or hidden: nothing to judge
        return
    old, new = old or "PROVISIONED", new or "PROVISIONED"
    if not isinstance(old, str) or not isinstance(new, str) or old == new:
        return
    if new == ON_DEMAND:
        advice = (
            "AWS limits switches to on-demand per 24 hours, so a rollback may be refused; switch in a change "
            "of its own and remove the table's autoscaling"
        )
    else:
        advice = (
            "switching back to on-demand is rate-limited for 24 hours; size the capacity from the table's "
            "peak consumption and add autoscaling"
        )
    yield Issue(f"The plan switches table {label(table)} from {old} to {new}: {advice}.", path="billing_mode")


# ---------------------------------------------------------------- DDB409
@rule(
    id="DDB409",
    slug="gsi-write-capacity-below-table",
    level="warning",
    applies=[TABLE],
    security_severity=3.0,
    tags=TAGS,
)
def gsi_write_capacity_below_table(table: Resource, ctx: Context) -> Iterator[Issue]:
    """A GSI has less write capacity than its provisioned table.

    ## What it checks
    A provisioned `aws_dynamodb_table` with a `global_secondary_index` whose
    `write_capacity` is below the table's `write_capacity`.

    ## Why it matters
    A write to the table that touches an indexed attribute is also written to
    each GSI it belongs to. AWS advises giving a GSI at least the write
    capacity of its table: when the GSI cannot keep up, DynamoDB throttles the
    writes to the base table, whatever capacity the table has left.

    ## Known limits
    Capacity known only after apply is not judged. Autoscaling changes both
    values at run time; the rule compares the configured ones. A sparse or
    KEYS_ONLY index may legitimately need less; accept the finding in the
    config file with the reason.

    ## References
    - [Provisioned throughput considerations for global secondary indexes](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations)
    """
    if _provisioned(table.values) is not True:
        return
    table_writes = number_of(table.values.get("write_capacity"))
    if not is_number(table_writes) or table_writes < 1:
        return
    for gsi in _gsis(table):
        writes = _gsi_capacity(table, gsi, "write_capacity")
        if is_number(writes) and 0 < writes < table_writes:
            name = gsi["name"]
            yield Issue(
                f"Table {label(table)} takes {shown_number(table_writes)} write units but its GSI '{name}' "
                f"only {shown_number(writes)}: raise the GSI's write_capacity to at least "
                f"{shown_number(table_writes)}, or index writes throttle the table.",
                path=f"global_secondary_index.{name}.write_capacity",
            )


# ---------------------------------------------------------------- DDB410
@rule(
    id="DDB410",
    slug="capacity-above-quota",
    level="warning",
    applies=[TABLE],
    security_severity=2.0,
    tags=TAGS,
    options={"max_table_capacity": MAX_TABLE_CAPACITY},
)
def capacity_above_quota(table: Resource, ctx: Context) -> Iterator[Issue]:
    """Provisioned capacity above the per-table quota.

    ## What it checks
    A provisioned `aws_dynamodb_table` whose `read_capacity` or
    `write_capacity`, on the table or on a `global_secondary_index`, is above
    the per-table quota (option `max_table_capacity`, default 40,000).

    ## Why it matters
    By default an account may provision at most 40,000 read and 40,000 write
    capacity units for any one table and for any one of its GSIs (and 80,000
    of each across the Region). Above that, `CreateTable`/`UpdateTable` fail
    at apply.

    ## Known limits
    Capacity known only after apply is not judged. On-demand tables are left
    to DDB403. Raise `max_table_capacity` if your quota was raised.

    ## Use instead
    Capacity within the quota (below); a quota increase first if the table
    truly needs more, or `billing_mode = "PAY_PER_REQUEST"`.

    ## Options
    - `max_table_capacity` (integer, default 40000): the per-table read/write capacity quota of your account.

    ## References
    - [Quotas in Amazon DynamoDB: throughput default quotas](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html)
    """
    if _provisioned(table.values) is not True:
        return
    quota = ctx.options["max_table_capacity"]
    for gsi, key, value, path in _capacity_places(table):
        if is_number(value) and value > quota:
            yield Issue(
                f"Table {label(table)} asks for {key} = {shown_number(value)} on {_owner(gsi)}, above the "
                f"per-table quota of {shown_number(quota)}: lower it or request a quota increase (then raise "
                "max_table_capacity).",
                path=path,
            )


# ---------------------------------------------------------------- DDB411
CAPACITY_ATTRIBUTES = {"Read": "read_capacity", "Write": "write_capacity"}


@rule(
    id="DDB411",
    slug="autoscaled-capacity-not-ignored",
    level="warning",
    applies=[TABLE],
    kind="graph",
    security_severity=3.0,
    tags=TAGS,
    fix="safe",
)
def autoscaled_capacity_not_ignored(table: Resource, ctx: Context) -> Iterator[Issue]:
    """An autoscaled table's capacity is not in `lifecycle { ignore_changes }`: every apply resets it.

    ## What it checks
    A provisioned `aws_dynamodb_table` whose read or write capacity is
    autoscaled (an `aws_appautoscaling_target` with a policy or scheduled
    action on it, matched as in DDB401) while its `lifecycle` block does not
    list that dimension's `read_capacity` / `write_capacity` in
    `ignore_changes`; and one with an autoscaled `global_secondary_index`
    (an index target `table/NAME/index/GSI` with a policy) whose
    `ignore_changes` does not list `global_secondary_index`.
    `ignore_changes = all` ignores everything. The finding's location is the
    `ignore_changes` argument where there is one, else the `lifecycle` block,
    else the resource block (where a `lifecycle` block goes).

    ## Why it matters
    The autoscaler changes the table's provisioned capacity outside
    Terraform. The next `terraform apply` sees the difference from the
    configuration and sets the capacity back to the number written in the
    `.tf`: after a scale-out at peak, an unrelated apply (a tag change) cuts
    the capacity back and the table throttles until the autoscaler scales out
    again, minutes later. The aws provider's documentation of
    `aws_dynamodb_table` recommends `lifecycle { ignore_changes }` for
    `read_capacity` and `write_capacity` when an autoscaling policy is
    attached; its `aws_appautoscaling_policy` page shows the same for
    the ECS service count it scales. A GSI's capacity lives in its
    `global_secondary_index` block, a set Terraform cannot address one
    argument of: only ignoring `global_secondary_index` as a whole keeps an
    apply from resetting it (changes to the indexes then need a plan without
    the ignore, or a new table).

    ## Known limits
    `terraform show -json` does not write `lifecycle` into the plan: the rule
    judges `.tf` input, and a plan read beside its `.tf` files (the
    `lifecycle` of the block each resource is located in); a plan read
    without them is not judged. Only autoscaling declared in the same input
    counts. A table whose billing mode, or whose targets' dimensions, are
    known only after apply is not judged; nor is a GSI whose index target's
    `resource_id` is not known.

    ## Example
    A table whose read and write capacity an autoscaling target and policy
    manage, with no `lifecycle` block.

    ## Use instead
    `ignore_changes` lists what the autoscaler manages: `read_capacity` and
    `write_capacity`, and `global_secondary_index` when an index is
    autoscaled too.

    ## Fix
    `dynalint --fix` adds what is missing to `ignore_changes`, creating the
    `lifecycle` block or the list where there is none: safe for
    `read_capacity` and `write_capacity`, which the autoscaler owns. Adding
    `global_secondary_index` is an unsafe fix (`--unsafe-fixes`): Terraform
    then also ignores every later change to the indexes, which you may not want.

    ## References
    - [aws_dynamodb_table: ignore read_capacity and write_capacity with an autoscaling policy](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table)
    - [aws_appautoscaling_policy: DynamoDB table autoscaling, and ignore_changes on what a policy scales](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/appautoscaling_policy)
    - [aws_appautoscaling_target: DynamoDB table and index autoscaling](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/appautoscaling_target)
    - [The lifecycle meta-argument: ignore_changes](https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#ignore_changes)
    """
    lifecycle = table.lifecycle
    if lifecycle is None or _provisioned(table.values) is not True:
        return
    ignored = lifecycle.get("ignore_changes", ())
    if ignored == "all" or not is_known(ignored):
        return
    scaling = scaling_of(table, ctx)
    if scaling is UNKNOWN:
        return
    missing = [
        CAPACITY_ATTRIBUTES[u]
        for u in UNITS
        if dimension_state(scaling, None, u) == SCALED and not _ignores(ignored, CAPACITY_ATTRIBUTES[u])
    ]
    gsis = [g["name"] for g in _gsis(table) if any(dimension_state(scaling, g["name"], u) == SCALED for u in UNITS)]
    if gsis and not _ignores(ignored, GSI):
        missing.append(GSI)
    if not missing:
        return
    units = [u.lower() for u in UNITS if dimension_state(scaling, None, u) == SCALED]
    scaled = [f"its {' and '.join(units)} capacity"] if units else []
    scaled += [f"its GSI{'s' if len(gsis) > 1 else ''} {', '.join(repr(g) for g in gsis)}"] if gsis else []
    listed = ", ".join([*ignored, *missing]) if isinstance(ignored, tuple) else ", ".join(missing)
    yield Issue(
        f"Table {label(table)} autoscales {' and '.join(scaled)}, but its lifecycle does not ignore changes "
        f"to {', '.join(missing)}: every apply sets the capacity back to what the .tf writes, undoing the "
        f"autoscaler; add `lifecycle {{ ignore_changes = [{listed}] }}`.",
        path="lifecycle.ignore_changes",
        fix=Fix(
            f"Add {', '.join(missing)} to `lifecycle {{ ignore_changes }}`",
            Extend(("lifecycle", "ignore_changes"), [Ref(m) for m in missing]),
            safe=GSI not in missing,
        ),
    )


def _ignores(ignored: tuple[str, ...], attribute: str) -> bool:
    """Whether an ignore_changes list names an attribute or block type (``read_capacity``,
    ``global_secondary_index``: a set of blocks, whose elements Terraform cannot name one by one)."""
    return attribute in ignored

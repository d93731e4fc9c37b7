"""DynamoDB capacity autoscaling in the resource graph: what scales a table's and its GSIs' capacity.

Application Auto Scaling scales a provisioned table with an
``aws_appautoscaling_target`` per dimension (``service_namespace =
"dynamodb"``, ``resource_id = "table/NAME"`` or ``"table/NAME/index/GSI"``,
``scalable_dimension = "dynamodb:table|index:Read|WriteCapacityUnits"``) and an
``aws_appautoscaling_policy`` (or a scheduled action) on it. Targets name their
table by reference or by a literal ``resource_id``; policies name their target
by reference, or by the same three literal values (``scaling_ids``,
``table_in_resource_id``: the Links of ``rules/links.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from dynalint.model import UNKNOWN, Resource, is_known
from dynalint.rule import Context
from dynalint.values import blocks, dig

TABLE = "aws_dynamodb_table"
TARGET = "aws_appautoscaling_target"
POLICY = "aws_appautoscaling_policy"
SCHEDULED = "aws_appautoscaling_scheduled_action"
SCALERS = (POLICY, SCHEDULED)
UNITS = ("Read", "Write")
TARGET_TRACKING = "TargetTrackingScaling"
DIMENSION = re.compile(r"^dynamodb:(table|index):(Read|Write)CapacityUnits$")
UTILIZATION_METRIC = re.compile(r"^DynamoDB(Read|Write)CapacityUtilization$")
# A GSI named only by an index target whose resource_id is not known.
ANY_INDEX = "*"
# How far a table dimension is scaled.
SCALED, TARGET_ONLY, NOTHING = "scaled", "target without policy", "nothing"


def _index_of(resource_id: Any) -> str | None:
    """``table/NAME/index/GSI`` -> "GSI"."""
    if not isinstance(resource_id, str):
        return None
    parts = resource_id.split("/")
    if len(parts) == 4 and parts[0] == "table" and parts[2] == "index" and parts[3]:
        return parts[3]
    return None


def is_dynamodb(values: Mapping) -> bool:
    """The DynamoDB namespace, read from service_namespace or, where that is not known, the dimension."""
    namespace = values.get("service_namespace")
    if isinstance(namespace, str):
        return namespace == "dynamodb"
    dimension = values.get("scalable_dimension")
    return isinstance(dimension, str) and dimension.startswith("dynamodb:")


def scaling_key(resource: Resource) -> tuple[str | None, str] | None | Any:
    """What a target/policy scales: (None or GSI name, "Read"/"Write"); None when not DynamoDB capacity.

    UNKNOWN when the dimension is not known; the GSI is ANY_INDEX when an
    index dimension's resource_id is not known.
    """
    values = resource.values
    namespace, dimension = values.get("service_namespace"), values.get("scalable_dimension")
    if isinstance(namespace, str) and namespace != "dynamodb":
        return None
    if not is_known(dimension):
        return UNKNOWN
    match = DIMENSION.match(dimension) if isinstance(dimension, str) else None
    if match is None:
        return None
    scope, unit = match.groups()
    if scope == "table":
        return (None, unit)
    resource_id = values.get("resource_id")
    if not is_known(resource_id):
        return (ANY_INDEX, unit)
    index = _index_of(resource_id)
    return (index, unit) if index else None


def same_region(a: Resource, b: Resource) -> bool:
    """False only when both regions are known and differ (a literal table name may exist in several regions)."""
    return not (a.region and b.region and a.region != b.region)


def pointing_at(table: Resource, ctx: Context, type_: str) -> list[Resource]:
    """Resources of ``type_`` whose resource_id names the table, by reference or literally."""
    return [r for r in ctx.related(table, type_, via="resource_id", direction="in") if same_region(r, table)]


def scalers_of(target: Resource, ctx: Context) -> list[Resource]:
    """The policies and scheduled actions acting on a target, by reference or by the same literal values."""
    found: list[Resource] = []
    for type_ in SCALERS:
        found += [s for s in ctx.related(target, type_, via="resource_id", direction="in") if same_region(s, target)]
    return found


def scaling_of(table: Resource, ctx: Context) -> tuple[set, set] | Any:
    """(keys with a target, keys with a policy or scheduled action) aimed at the table; UNKNOWN if unreadable.

    A policy found through its target takes the target's key when its own
    values are not known (a .tf policy that copies them from the target).
    A policy or scheduled action aimed at the table with no target in this
    input counts as well: its target is registered elsewhere.
    """
    done = ctx.memo("autoscaling.scaling", dict)  # DDB401, DDB402 and DDB411 ask, once per table
    if table.address not in done:
        done[table.address] = _read_scaling(table, ctx)
    return done[table.address]


def _read_scaling(table: Resource, ctx: Context) -> tuple[set, set] | Any:
    targets: set = set()
    scalers: set = set()
    for target in pointing_at(table, ctx, TARGET):
        key = scaling_key(target)
        if key is UNKNOWN:
            return UNKNOWN
        if key is None:
            continue
        targets.add(key)
        for scaler in scalers_of(target, ctx):
            own = scaling_key(scaler)
            own = key if own is UNKNOWN else own
            if own is not None:
                scalers.add(own)
    for type_ in SCALERS:
        for scaler in pointing_at(table, ctx, type_):
            key = scaling_key(scaler)
            if key is UNKNOWN:
                return UNKNOWN
            if key is not None:
                scalers.add(key)
    return targets, scalers


def dimension_state(scaling: tuple[set, set], index: str | None, unit: str) -> str | Any:
    """SCALED, TARGET_ONLY or NOTHING for one dimension of the table (index None) or a GSI; UNKNOWN if unsure."""
    targets, scalers = scaling
    if (index, unit) in scalers:
        return SCALED
    if index is not None and (ANY_INDEX, unit) in targets | scalers:
        return UNKNOWN
    return TARGET_ONLY if (index, unit) in targets else NOTHING


def scaling_ids(resource: Resource) -> Iterator[str]:
    """A DynamoDB target's (or policy's, or scheduled action's) namespace, resource_id and dimension as one key:
    a policy acts on the target with the same three, whether or not it refers to the target resource."""
    values = resource.values
    parts: list[Any] = [values.get(k) for k in ("service_namespace", "resource_id", "scalable_dimension")]
    if all(isinstance(p, str) and p for p in parts) and parts[0] == "dynamodb":
        yield "|".join(parts)


def table_in_resource_id(resource: Resource) -> Iterator[str]:
    """The table a DynamoDB resource_id names: ``table/NAME`` or ``table/NAME/index/GSI`` -> "NAME"."""
    resource_id = resource.values.get("resource_id")
    if resource.values.get("service_namespace") == "dynamodb" and isinstance(resource_id, str):
        parts = resource_id.split("/")
        if len(parts) >= 2 and parts[0] == "table" and parts[1]:
            yield parts[1]


def tracking(policy: Resource) -> Mapping | None:
    """The target-tracking configuration of a DynamoDB target-tracking policy, else None."""
    values = policy.values
    if values.get("policy_type") != TARGET_TRACKING:
        return None
    config = blocks(values, "target_tracking_scaling_policy_configuration")
    if not is_known(config) or not config:
        return None
    metric = predefined_metric(config[0])
    namespace_unknown = not isinstance(values.get("service_namespace"), str)
    dynamodb = is_dynamodb(values) or (
        namespace_unknown and isinstance(metric, str) and UTILIZATION_METRIC.match(metric) is not None
    )
    return config[0] if dynamodb else None


def predefined_metric(config: Mapping) -> Any:
    return dig(config, "predefined_metric_specification", 0, "predefined_metric_type")


def policy_dimension(policy: Resource, ctx: Context) -> Any:
    """The policy's scalable_dimension, or, where it is not known, that of the one target it copies it from."""
    own = policy.values.get("scalable_dimension")
    if is_known(own):
        return own
    found = {
        t.values.get("scalable_dimension")
        for t in ctx.related(policy, TARGET, via="scalable_dimension", direction="out")
    }
    known = {d for d in found if isinstance(d, str)}
    return known.pop() if len(known) == 1 and len(found) == 1 else UNKNOWN

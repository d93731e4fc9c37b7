"""Literal-name matches for the resource graph: every Link of the rule pack.

A reference (``aws_dynamodb_table.orders.name``) already makes an edge; these
Links add the edges a configuration spells out as plain strings: an
autoscaling target's ``resource_id = "table/orders"`` (and a policy's
namespace, resource_id and dimension, which name its target), an alarm's
``TableName`` dimension, a stream or table ARN, a KMS key ARN or alias, a
security group or VPC endpoint id.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dynalint.graph import Link
from dynalint.model import Resource
from dynalint.values import known_blocks

from ._alarms import alarm_metrics
from ._autoscaling import POLICY, SCHEDULED, TARGET, scaling_ids, table_in_resource_id
from ._ddb import table_name_from_arn

TABLE = "aws_dynamodb_table"
KMS_KEY = "aws_kms_key"
KMS_ALIAS = "aws_kms_alias"
SECURITY_GROUP = "aws_security_group"


def _string(value: Any) -> Iterator[str]:
    """The value, where it is a string that is not empty."""
    if isinstance(value, str) and value:
        yield value


def _strings(value: Any) -> Iterator[str]:
    """The value, or each string of a list of them (``security_group_ids``), where not empty."""
    for item in value if isinstance(value, list) else [value]:
        yield from _string(item)


def _table_name(table: Resource) -> Iterator[str]:
    yield from _string(table.values.get("name"))


def _table_arns(table: Resource) -> Iterator[str]:
    yield from _string(table.values.get("arn"))
    name = table.values.get("name")
    region = table.region
    if isinstance(name, str) and region:
        yield f"table:{region}:{name}"  # matched against ARNs whose account is not known


def _arn_table_keys(arn: Any) -> Iterator[str]:
    """A table ARN (or a stream/index ARN under it) names the table by its full ARN, or by region+name."""
    if not isinstance(arn, str):
        return
    name = table_name_from_arn(arn)
    if name is None:
        return
    parts = arn.split(":")
    base = ":".join(parts[:5]) + f":table/{name}"
    yield base
    yield f"table:{parts[3]}:{name}"


def _alarm_table(alarm: Resource) -> Iterator[str]:
    for _namespace, _metric, dimensions in alarm_metrics(alarm):
        if isinstance(dimensions, dict):
            yield from _string(dimensions.get("TableName"))


def _sse_key_arns(table: Resource) -> Iterator[str]:
    for sse in known_blocks(table.values, "server_side_encryption"):
        yield from _string(sse.get("kms_key_arn"))


def _replica_key_arns(table: Resource) -> Iterator[str]:
    for replica in known_blocks(table.values, "replica"):
        yield from _string(replica.get("kms_key_arn"))


def _own_key_arn(resource: Resource) -> Iterator[str]:
    yield from _string(resource.values.get("kms_key_arn"))


def _kms_key_names(key: Resource) -> Iterator[str]:
    for attr in ("arn", "key_id", "id"):
        yield from _string(key.values.get(attr))


def _alias_names(alias: Resource) -> Iterator[str]:
    yield from _string(alias.values.get("arn"))
    name = alias.values.get("name")
    if isinstance(name, str):
        yield name
        region = alias.region
        if region:
            yield f"alias:{region}:{name}"


def _alias_refs_in(arn: Any) -> Iterator[str]:
    """A key ARN field may hold an alias ARN or an alias name."""
    if not isinstance(arn, str):
        return
    yield arn
    if arn.startswith("arn:") and ":alias/" in arn:
        parts = arn.split(":")
        yield f"alias:{parts[3]}:{parts[5]}"


def _alias_target(alias: Resource) -> Iterator[str]:
    yield from _string(alias.values.get("target_key_id"))


def _sse_alias_refs(table: Resource) -> Iterator[str]:
    for arn in _sse_key_arns(table):
        yield from _alias_refs_in(arn)


def _replica_alias_refs(table: Resource) -> Iterator[str]:
    for arn in _replica_key_arns(table):
        yield from _alias_refs_in(arn)


def _own_alias_refs(resource: Resource) -> Iterator[str]:
    for arn in _own_key_arn(resource):
        yield from _alias_refs_in(arn)


def _global_table_arn(replica: Resource) -> Iterator[str]:
    yield from _arn_table_keys(replica.values.get("global_table_arn"))


def _event_source_table(mapping: Resource) -> Iterator[str]:
    yield from _arn_table_keys(mapping.values.get("event_source_arn"))


def _resource_arn_table(policy: Resource) -> Iterator[str]:
    yield from _arn_table_keys(policy.values.get("resource_arn"))


def _table_name_attr(resource: Resource) -> Iterator[str]:
    yield from _string(resource.values.get("table_name"))


def _own_id(resource: Resource) -> Iterator[str]:
    yield from _strings(resource.values.get("id"))


def _dax_groups(cluster: Resource) -> Iterator[str]:
    yield from _strings(cluster.values.get("security_group_ids"))


def _rule_group(rule_: Resource) -> Iterator[str]:
    yield from _strings(rule_.values.get("security_group_id"))


def _policy_endpoint(policy: Resource) -> Iterator[str]:
    yield from _strings(policy.values.get("vpc_endpoint_id"))


LINKS = [
    # autoscaling: a target, policy or scheduled action names its table in resource_id; a policy or scheduled
    # action acts on the target with the same namespace, resource_id and dimension
    Link(TARGET, TABLE, "resource_id", table_in_resource_id, _table_name),
    Link(POLICY, TABLE, "resource_id", table_in_resource_id, _table_name),
    Link(SCHEDULED, TABLE, "resource_id", table_in_resource_id, _table_name),
    Link(POLICY, TARGET, "resource_id", scaling_ids, scaling_ids),
    Link(SCHEDULED, TARGET, "resource_id", scaling_ids, scaling_ids),
    Link("aws_cloudwatch_metric_alarm", TABLE, "dimensions", _alarm_table, _table_name),
    # encryption keys, by ARN, id or alias
    Link("aws_dynamodb_table", KMS_KEY, "server_side_encryption.kms_key_arn", _sse_key_arns, _kms_key_names),
    Link("aws_dynamodb_table", KMS_KEY, "replica.kms_key_arn", _replica_key_arns, _kms_key_names),
    Link("aws_dynamodb_table", KMS_ALIAS, "server_side_encryption.kms_key_arn", _sse_alias_refs, _alias_names),
    Link("aws_dynamodb_table", KMS_ALIAS, "replica.kms_key_arn", _replica_alias_refs, _alias_names),
    Link("aws_dynamodb_table_replica", KMS_KEY, "kms_key_arn", _own_key_arn, _kms_key_names),
    Link("aws_dynamodb_table_replica", KMS_ALIAS, "kms_key_arn", _own_alias_refs, _alias_names),
    Link(KMS_ALIAS, KMS_KEY, "target_key_id", _alias_target, _kms_key_names),
    # tables by ARN (a stream ARN lies under its table's) or by name
    Link("aws_dynamodb_table_replica", TABLE, "global_table_arn", _global_table_arn, _table_arns),
    Link("aws_lambda_event_source_mapping", TABLE, "event_source_arn", _event_source_table, _table_arns),
    Link("aws_dynamodb_resource_policy", TABLE, "resource_arn", _resource_arn_table, _table_arns),
    Link("aws_dynamodb_contributor_insights", TABLE, "table_name", _table_name_attr, _table_name),
    Link("aws_dynamodb_table_item", TABLE, "table_name", _table_name_attr, _table_name),
    Link("aws_dynamodb_kinesis_streaming_destination", TABLE, "table_name", _table_name_attr, _table_name),
    # network: a DAX cluster's security groups, a group's rules, an endpoint's policy, by id
    Link("aws_dax_cluster", SECURITY_GROUP, "security_group_ids", _dax_groups, _own_id),
    Link("aws_security_group_rule", SECURITY_GROUP, "security_group_id", _rule_group, _own_id),
    Link("aws_vpc_security_group_ingress_rule", SECURITY_GROUP, "security_group_id", _rule_group, _own_id),
    Link("aws_vpc_endpoint_policy", "aws_vpc_endpoint", "vpc_endpoint_id", _policy_endpoint, _own_id),
]

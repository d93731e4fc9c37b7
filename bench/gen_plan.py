#!/usr/bin/env python3
"""Make a realistic ``terraform show -json`` plan of N DynamoDB tables, the same bytes for the same arguments.

    python bench/gen_plan.py --tables 1000 [--seed 0] [-o plan.json]

The plan has the shape terraform 1.11 + hashicorp/aws 5.100 writes (compact
JSON, format_version 1.2): variables, planned_values, resource_changes,
output_changes, prior_state, configuration (expressions with references,
module calls with count and for_each), relevant_attributes. Values follow
Terraform's rules: ``after`` leaves out what is known only after apply,
``after_unknown`` marks it, ``after_sensitive``/``before_sensitive`` mirror
the collections, deleted resources have no configuration block.

Tables come in teams of 20. A team shares a KMS key, a stream consumer
(Lambda, its role, an SQS dead-letter queue), an admin IAM policy and, one
team in two, a DAX cluster. Its tables are split three ways:

- root tables (40%), each its own resource blocks: the table, autoscaling
  targets and policies (PROVISIONED), a throttle alarm, contributor insights,
  a stream consumer (event source mapping), a read/write IAM policy, now and
  then a dedicated KMS key or a seed item;
- ``module.svc_tNN["name"]`` (for_each, 40%): a provisioned table with two
  autoscaling targets and policies (count) and two throttle alarms (for_each);
- ``module.shard_tNN[i]`` (count): an on-demand streamed table and its
  consumer, the consumer's ARN passed in through a module variable.

Actions are mixed as in a working day's plan: mostly no-op, new tables
(create, with values known only after apply), updates (capacity, tags,
thresholds, key rotation), replacements (a table's range key, a consumer's
starting position, with ``replace_paths``) and deletions (a table removed
from the configuration, a module instance or a count index dropped). Good
and bad practice are mixed so that the rules have something to say.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ACCOUNT = "123456789012"
REGION = "us-east-1"
ENV = "prod"
TERRAFORM_VERSION = "1.11.4"
PROVIDER = "registry.terraform.io/hashicorp/aws"
TEAM_SIZE = 20
STREAM_LABEL = "2026-11-20T09:14:03.118"
CREATED = "2026-11-20T09:14:03Z"
SCHEMA_VERSIONS = {"aws_dynamodb_table": 1, "aws_cloudwatch_metric_alarm": 1}
WORDS = (
    "orders",
    "users",
    "sessions",
    "events",
    "inventory",
    "payments",
    "carts",
    "ledger",
    "profiles",
    "catalog",
    "shipments",
    "invoices",
    "devices",
    "messages",
    "audit",
    "leases",
    "quotes",
    "refunds",
)
THROTTLE_METRICS = ("ReadThrottleEvents", "WriteThrottleEvents")


# ---------------------------------------------------------------------- values
class Unknown:
    """A value known only after apply; ``kind`` is its type: scalar, list or map."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind


U, U_LIST, U_MAP = Unknown("scalar"), Unknown("list"), Unknown("map")


def known_part(value: Any) -> Any:
    """What ``after`` shows: object attributes known only after apply are left out; keys sorted."""
    if isinstance(value, dict):
        return {k: known_part(v) for k, v in sorted(value.items()) if not isinstance(v, Unknown)}
    if isinstance(value, list):
        return [known_part(v) for v in value]
    return value


def wholly_known(value: Any) -> bool:
    if isinstance(value, Unknown):
        return False
    if isinstance(value, dict):
        return all(wholly_known(v) for v in value.values())
    if isinstance(value, list):
        return all(wholly_known(v) for v in value)
    return True


def unknown_marks(value: Any) -> Any:
    """Terraform's after_unknown: true where unknown, collections mirrored, known scalars left out."""
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        marks = {k: unknown_marks(v) for k, v in sorted(value.items())}
        return {k: m for k, m in marks.items() if m is not False}
    if isinstance(value, list):
        return [unknown_marks(v) for v in value]
    return False


def sensitive_marks(value: Any) -> Any:
    """Terraform's after_sensitive with nothing sensitive: collections mirrored, scalars false."""
    if isinstance(value, Unknown):
        return {"list": [], "map": {}}.get(value.kind, False)
    if isinstance(value, dict):
        marks = {k: sensitive_marks(v) for k, v in sorted(value.items())}
        return {k: m for k, m in marks.items() if m is not False}
    if isinstance(value, list):
        return [sensitive_marks(v) for v in value]
    return False


def after_unknown(after: Any) -> Any:
    return {} if after is None or wholly_known(after) else unknown_marks(after)


def _hex(text: str, size: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:size]


def _uuid(text: str) -> str:
    h = _hex(text, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _arn(service: str, rest: str, region: str = REGION) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT}:{rest}"


def table_arn(name: str, region: str = REGION) -> str:
    return _arn("dynamodb", f"table/{name}", region)


def kms_arn(key_id: str) -> str:
    return _arn("kms", f"key/{key_id}")


def _policy_json(statements: list[dict]) -> str:
    return json.dumps({"Statement": statements, "Version": "2012-10-17"}, separators=(",", ":"), sort_keys=True)


AWS_MANAGED_KEY = kms_arn(_uuid("alias/aws/dynamodb"))


def _maybe(value: Any, new: bool, unknown: Unknown = U) -> Any:
    """A computed attribute: its value once the resource exists, unknown while it is being created."""
    return unknown if new else value


def _tags_all(tags: dict | None, new: bool) -> Any:
    if tags is not None:
        return dict(tags)
    return U_MAP if new else {}


# ---------------------------------------------------------------------- resource specs
@dataclass
class Table:
    name: str
    billing: str = "PAY_PER_REQUEST"
    capacity: tuple[int, int] = (5, 5)
    hash_key: str = "pk"
    range_key: str | None = None
    extra_attributes: tuple[tuple[str, str], ...] = ()
    gsis: tuple[tuple[str, str, str | None, str], ...] = ()  # (name, hash, range, projection)
    lsi: tuple[str, str] | None = None  # (name, range key)
    ttl: str | None = None
    pitr: bool | None = None  # None: the block is left out
    sse: str = "none"  # none | aws | cmk
    kms_key_arn: Any = None
    stream: str | None = None
    deletion_protection: bool | None = None
    table_class: str | None = None
    replicas: tuple[str, ...] = ()
    tags: dict | None = None


def table_values(t: Table, new: bool) -> dict:
    provisioned = t.billing == "PROVISIONED"
    attrs = {t.hash_key: "S", **({t.range_key: "S" if t.range_key != "ts" else "N"} if t.range_key else {})}
    attrs.update(dict(t.extra_attributes))
    for _gsi_name, gsi_hash, gsi_range, _ in t.gsis:
        attrs.setdefault(gsi_hash, "S")
        if gsi_range:
            attrs.setdefault(gsi_range, "S")
    if t.lsi:
        attrs.setdefault(t.lsi[1], "S")

    def gsi_capacity(i: int) -> Any:
        return t.capacity[i] if provisioned else _maybe(0, new)

    arn = table_arn(t.name)
    stream_arn = f"{arn}/stream/{STREAM_LABEL}"
    return {
        "arn": _maybe(arn, new),
        "attribute": [{"name": n, "type": attrs[n]} for n in sorted(attrs)],
        "billing_mode": t.billing,
        "deletion_protection_enabled": t.deletion_protection,
        "global_secondary_index": [
            {
                "hash_key": h,
                "name": n,
                "non_key_attributes": ["status", "total"] if p == "INCLUDE" else [],
                "on_demand_throughput": [],
                "projection_type": p,
                "range_key": r or "",
                "read_capacity": gsi_capacity(0),
                "write_capacity": gsi_capacity(1),
            }
            for n, h, r, p in sorted(t.gsis)
        ],
        "hash_key": t.hash_key,
        "id": _maybe(t.name, new),
        "import_table": [],
        "local_secondary_index": [
            {"name": t.lsi[0], "non_key_attributes": [], "projection_type": "KEYS_ONLY", "range_key": t.lsi[1]}
        ]
        if t.lsi
        else [],
        "name": t.name,
        "on_demand_throughput": [],
        "point_in_time_recovery": _pitr(t.pitr, new),
        "range_key": t.range_key,
        "read_capacity": t.capacity[0] if provisioned else _maybe(0, new),
        "replica": [_replica(t, region, new) for region in t.replicas],
        "restore_date_time": None,
        "restore_source_name": None,
        "restore_source_table_arn": None,
        "restore_to_latest_time": None,
        "server_side_encryption": _sse(t, new),
        "stream_arn": _maybe(stream_arn if t.stream else "", new),
        "stream_enabled": True if t.stream else None,
        "stream_label": _maybe(STREAM_LABEL if t.stream else "", new),
        "stream_view_type": t.stream if t.stream else _maybe("", new),
        "table_class": t.table_class,
        "tags": t.tags,
        "tags_all": _tags_all(t.tags, new),
        "timeouts": None,
        "ttl": [{"attribute_name": t.ttl, "enabled": True}] if t.ttl else _maybe([], new, U_LIST),
        "write_capacity": t.capacity[1] if provisioned else _maybe(0, new),
    }


def _pitr(pitr: bool | None, new: bool) -> Any:
    if pitr is None:
        return _maybe([], new, U_LIST)
    return [{"enabled": pitr, "recovery_period_in_days": _maybe(35, new)}]


def _sse(t: Table, new: bool) -> list:
    if t.sse == "cmk":
        return [{"enabled": True, "kms_key_arn": t.kms_key_arn}]
    if t.sse == "aws":
        return [{"enabled": True, "kms_key_arn": _maybe(AWS_MANAGED_KEY, new)}]
    return []


def _replica(t: Table, region: str, new: bool) -> dict:
    arn = table_arn(t.name, region)
    return {
        "arn": _maybe(arn, new),
        "kms_key_arn": _maybe("", new),
        "point_in_time_recovery": True,
        "propagate_tags": False,
        "region_name": region,
        "stream_arn": _maybe(f"{arn}/stream/{STREAM_LABEL}", new),
        "stream_label": _maybe(STREAM_LABEL, new),
    }


def autoscaling_target_values(
    table: str, dimension: str, bounds: tuple[int, int], new: bool, index: str | None = None
) -> dict:
    resource_id = f"table/{table}" + (f"/index/{index}" if index else "")
    return {
        "arn": _maybe(_arn("application-autoscaling", f"scalable-target/{_hex(resource_id + dimension, 28)}"), new),
        "id": _maybe(resource_id, new),
        "max_capacity": bounds[1],
        "min_capacity": bounds[0],
        "resource_id": resource_id,
        "role_arn": _maybe(
            f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/dynamodb.application-autoscaling."
            "amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable",
            new,
        ),
        "scalable_dimension": dimension,
        "service_namespace": "dynamodb",
        "suspended_state": _maybe([], new, U_LIST),
        "tags": None,
        "tags_all": _tags_all(None, new),
    }


def autoscaling_policy_values(resource_id: str, dimension: str, target: float, new: bool) -> dict:
    kind = "Read" if "Read" in dimension else "Write"
    metric = f"DynamoDB{kind}CapacityUtilization"
    name = f"{metric}:{resource_id}"
    policy_id = _uuid(name)
    alarms = [
        _arn("cloudwatch", f"alarm:TargetTracking-{resource_id}-{suffix}-{_uuid(name + suffix)}")
        for suffix in ("AlarmHigh", "AlarmLow", "ProvisionedCapacityHigh", "ProvisionedCapacityLow")
    ]
    return {
        "alarm_arns": _maybe(alarms, new, U_LIST),
        "arn": _maybe(
            f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:scalingPolicy:{policy_id}:resource/dynamodb/"
            f"{resource_id}:policyName/{name}",
            new,
        ),
        "id": _maybe(name, new),
        "name": name,
        "policy_type": "TargetTrackingScaling",
        "resource_id": resource_id,
        "scalable_dimension": dimension,
        "service_namespace": "dynamodb",
        "step_scaling_policy_configuration": [],
        "target_tracking_scaling_policy_configuration": [
            {
                "customized_metric_specification": [],
                "disable_scale_in": False,
                "predefined_metric_specification": [{"predefined_metric_type": metric, "resource_label": None}],
                "scale_in_cooldown": None,
                "scale_out_cooldown": None,
                "target_value": target,
            }
        ],
    }


def alarm_values(
    name: str, table: str, metric: str, threshold: float, new: bool, actions: list[str] | None = None
) -> dict:
    return {
        "actions_enabled": True,
        "alarm_actions": actions,
        "alarm_description": None,
        "alarm_name": name,
        "arn": _maybe(_arn("cloudwatch", f"alarm:{name}"), new),
        "comparison_operator": "GreaterThanThreshold",
        "datapoints_to_alarm": None,
        "dimensions": {"TableName": table},
        "evaluate_low_sample_count_percentiles": _maybe("", new),
        "evaluation_periods": 3,
        "extended_statistic": None,
        "id": _maybe(name, new),
        "insufficient_data_actions": None,
        "metric_name": metric,
        "metric_query": [],
        "namespace": "AWS/DynamoDB",
        "ok_actions": None,
        "period": 60,
        "statistic": "Sum",
        "tags": None,
        "tags_all": _tags_all(None, new),
        "threshold": threshold,
        "threshold_metric_id": None,
        "treat_missing_data": "missing" if actions is None else "notBreaching",
        "unit": None,
    }


def insights_values(table: str, new: bool) -> dict:
    return {
        "id": _maybe(f"name:{table}/account:{ACCOUNT}", new),
        "index_name": None,
        "table_name": table,
        "timeouts": None,
    }


@dataclass
class Consumer:
    source_arn: Any
    function: str  # the function_name argument: an ARN or a plain name
    position: str = "LATEST"
    batch_size: int | None = 100
    safe: bool = True  # bisect, bounded retries and age, an on-failure destination
    dlq_arn: str | None = None


def consumer_values(c: Consumer, key: str, new: bool) -> dict:
    uuid = _uuid(key)
    function_short = c.function.rsplit(":", 1)[-1]
    return {
        "amazon_managed_kafka_event_source_config": _maybe([], new, U_LIST),
        "arn": _maybe(_arn("lambda", f"event-source-mapping:{uuid}"), new),
        "batch_size": c.batch_size,
        "bisect_batch_on_function_error": True if c.safe else None,
        "destination_config": [{"on_failure": [{"destination_arn": c.dlq_arn}]}] if c.safe and c.dlq_arn else [],
        "document_db_event_source_config": [],
        "enabled": True,
        "event_source_arn": c.source_arn,
        "filter_criteria": [],
        "function_arn": _maybe(_arn("lambda", f"function:{function_short}"), new),
        "function_name": c.function,
        "function_response_types": ["ReportBatchItemFailures"] if c.safe else None,
        "id": _maybe(uuid, new),
        "kms_key_arn": None,
        "last_modified": _maybe("2026-11-20T09:14:03.000+0000", new),
        "last_processing_result": _maybe("No records processed", new),
        "maximum_batching_window_in_seconds": 5 if c.safe else None,
        "maximum_record_age_in_seconds": 3600 if c.safe else _maybe(-1, new),
        "maximum_retry_attempts": 3 if c.safe else _maybe(-1, new),
        "metrics_config": [],
        "parallelization_factor": _maybe(1, new),
        "provisioned_poller_config": [],
        "queues": None,
        "scaling_config": [],
        "self_managed_event_source": [],
        "self_managed_kafka_event_source_config": _maybe([], new, U_LIST),
        "source_access_configuration": [],
        "starting_position": c.position,
        "starting_position_timestamp": None,
        "state": _maybe("Enabled", new),
        "state_transition_reason": _maybe("User action", new),
        "tags": None,
        "tags_all": _tags_all(None, new),
        "topics": None,
        "tumbling_window_in_seconds": None,
        "uuid": _maybe(uuid, new),
    }


def kms_values(key_id: str, description: str, rotation: bool, tags: dict | None, new: bool) -> dict:
    policy = json.dumps(
        {
            "Id": "key-default-1",
            "Statement": [
                {
                    "Action": "kms:*",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                    "Resource": "*",
                    "Sid": "Enable IAM User Permissions",
                }
            ],
            "Version": "2012-10-17",
        }
    )
    return {
        "arn": _maybe(kms_arn(key_id), new),
        "bypass_policy_lockout_safety_check": False,
        "custom_key_store_id": None,
        "customer_master_key_spec": "SYMMETRIC_DEFAULT",
        "deletion_window_in_days": 30,
        "description": description,
        "enable_key_rotation": rotation,
        "id": _maybe(key_id, new),
        "is_enabled": True,
        "key_id": _maybe(key_id, new),
        "key_usage": "ENCRYPT_DECRYPT",
        "multi_region": _maybe(False, new),
        "policy": _maybe(policy, new),
        "rotation_period_in_days": _maybe(365 if rotation else 0, new),
        "tags": tags,
        "tags_all": _tags_all(tags, new),
        "timeouts": None,
        "xks_key_id": None,
    }


def iam_policy_values(name: str, document: Any, new: bool) -> dict:
    arn = f"arn:aws:iam::{ACCOUNT}:policy/{name}"
    return {
        "arn": _maybe(arn, new),
        "attachment_count": _maybe(1, new),
        "description": None,
        "id": _maybe(arn, new),
        "name": name,
        "name_prefix": _maybe("", new),
        "path": "/",
        "policy": document,
        "policy_id": _maybe("ANPA" + _hex(name, 17).upper(), new),
        "tags": None,
        "tags_all": _tags_all(None, new),
    }


def iam_role_values(name: str, service: str) -> dict:
    trust = _policy_json([{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": service}}])
    return {
        "arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
        "assume_role_policy": trust,
        "create_date": CREATED,
        "description": None,
        "force_detach_policies": False,
        "id": name,
        "inline_policy": [],
        "managed_policy_arns": [],
        "max_session_duration": 3600,
        "name": name,
        "name_prefix": "",
        "path": "/",
        "permissions_boundary": None,
        "tags": None,
        "tags_all": {},
        "unique_id": "AROA" + _hex(name, 17).upper(),
    }


def lambda_values(name: str, role_arn: str) -> dict:
    arn = _arn("lambda", f"function:{name}")
    invoke = f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{arn}/invocations"
    code_hash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    return {
        "architectures": ["x86_64"],
        "arn": arn,
        "code_sha256": code_hash,
        "code_signing_config_arn": None,
        "dead_letter_config": [],
        "description": None,
        "environment": [],
        "ephemeral_storage": [{"size": 512}],
        "file_system_config": [],
        "filename": "./build/consumer.zip",
        "function_name": name,
        "handler": "consumer.handler",
        "id": name,
        "image_config": [],
        "image_uri": None,
        "invoke_arn": invoke,
        "kms_key_arn": None,
        "last_modified": "2026-11-20T09:14:03.000+0000",
        "layers": None,
        "logging_config": [
            {
                "application_log_level": "",
                "log_format": "Text",
                "log_group": f"/aws/lambda/{name}",
                "system_log_level": "",
            }
        ],
        "memory_size": 256,
        "package_type": "Zip",
        "publish": False,
        "qualified_arn": f"{arn}:$LATEST",
        "qualified_invoke_arn": invoke.replace("/invocations", ":$LATEST/invocations"),
        "replace_security_groups_on_destroy": None,
        "replacement_security_group_ids": None,
        "reserved_concurrent_executions": -1,
        "role": role_arn,
        "runtime": "python3.12",
        "s3_bucket": None,
        "s3_key": None,
        "s3_object_version": None,
        "signing_job_arn": "",
        "signing_profile_version_arn": "",
        "skip_destroy": False,
        "snap_start": [],
        "source_code_hash": code_hash,
        "source_code_size": 1843,
        "tags": None,
        "tags_all": {},
        "timeout": 30,
        "timeouts": None,
        "tracing_config": [{"mode": "PassThrough"}],
        "version": "$LATEST",
        "vpc_config": [],
    }


def sqs_values(name: str) -> dict:
    return {
        "arn": _arn("sqs", name),
        "content_based_deduplication": False,
        "deduplication_scope": "",
        "delay_seconds": 0,
        "fifo_queue": False,
        "fifo_throughput_limit": "",
        "id": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}",
        "kms_data_key_reuse_period_seconds": 300,
        "kms_master_key_id": None,
        "max_message_size": 262144,
        "message_retention_seconds": 1209600,
        "name": name,
        "name_prefix": "",
        "policy": "",
        "receive_wait_time_seconds": 0,
        "redrive_allow_policy": "",
        "redrive_policy": "",
        "sqs_managed_sse_enabled": True,
        "tags": None,
        "tags_all": {},
        "timeouts": None,
        "url": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}",
        "visibility_timeout_seconds": 30,
    }


def dax_values(name: str, role_arn: str, encrypted: bool) -> dict:
    endpoint = f"{name}.{_hex(name, 6)}.dax-clusters.{REGION}.amazonaws.com"
    return {
        "arn": _arn("dax", f"cache/{name}"),
        "availability_zones": None,
        "cluster_address": endpoint,
        "cluster_endpoint_encryption_type": "TLS" if encrypted else "NONE",
        "cluster_name": name,
        "configuration_endpoint": f"{endpoint}:8111",
        "description": None,
        "iam_role_arn": role_arn,
        "id": name,
        "maintenance_window": "sun:05:00-sun:06:00",
        "node_type": "dax.r5.large" if encrypted else "dax.t3.small",
        "nodes": [
            {
                "address": f"{name}-{i}.{endpoint}",
                "availability_zone": f"{REGION}{'abc'[i]}",
                "id": f"{name}-{i}",
                "port": 8111,
            }
            for i in range(3 if encrypted else 1)
        ],
        "notification_topic_arn": None,
        "parameter_group_name": "default.dax1.0",
        "port": 8111,
        "replication_factor": 3 if encrypted else 1,
        "security_group_ids": ["sg-" + _hex(name, 17)],
        "server_side_encryption": [{"enabled": True}] if encrypted else [{"enabled": False}],
        "subnet_group_name": "default",
        "tags": None,
        "tags_all": {},
        "timeouts": None,
    }


def item_values(table: str) -> dict:
    return {
        "hash_key": "pk",
        "id": f"{table}|pk||CONFIG|sk||v1",
        "item": json.dumps({"pk": {"S": "CONFIG"}, "sk": {"S": "v1"}}, separators=(",", ":")),
        "range_key": "sk",
        "table_name": table,
    }


# ---------------------------------------------------------------------- configuration expressions
def const(value: Any) -> dict:
    return {"constant_value": value}


def refs(*names: str) -> dict:
    """A reference expression as terraform lists it: each attribute reference, then its resource."""
    out: list[str] = []
    for name in names:
        parts = name.split(".")
        is_resource = parts[0] not in ("var", "local", "each", "count", "path", "module", "data")
        if is_resource and len(parts) > 2:
            out += [name, ".".join(parts[:2])]
        elif parts[0] == "module" and len(parts) > 2:
            out += [name, ".".join(parts[:2])]
        else:
            out.append(name)
    return {"references": out}


def config_block(
    address: str, type_: str, expressions: dict, count: dict | None = None, for_each: dict | None = None
) -> dict:
    name = address.split(".")[-1]
    block = {
        "address": address,
        "mode": "managed",
        "type": type_,
        "name": name,
        "provider_config_key": "aws",
        "expressions": expressions,
        "schema_version": SCHEMA_VERSIONS.get(type_, 0),
    }
    if count is not None:
        block["count_expression"] = count
    if for_each is not None:
        block["for_each_expression"] = for_each
    return block


def table_expressions(t: Table, name_expr: dict, kms_expr: dict | None) -> dict:
    ex: dict[str, Any] = {
        "attribute": [
            {"name": const(a["name"]), "type": const(a["type"])} for a in table_values(t, False)["attribute"]
        ],
        "billing_mode": const(t.billing),
        "hash_key": const(t.hash_key),
        "name": name_expr,
    }
    if t.billing == "PROVISIONED":
        ex["read_capacity"], ex["write_capacity"] = const(t.capacity[0]), const(t.capacity[1])
    if t.range_key:
        ex["range_key"] = const(t.range_key)
    if t.gsis:
        ex["global_secondary_index"] = [_gsi_expression(t, g) for g in t.gsis]
    if t.lsi:
        ex["local_secondary_index"] = [
            {"name": const(t.lsi[0]), "projection_type": const("KEYS_ONLY"), "range_key": const(t.lsi[1])}
        ]
    if t.ttl:
        ex["ttl"] = [{"attribute_name": const(t.ttl), "enabled": const(True)}]
    if t.pitr is not None:
        ex["point_in_time_recovery"] = [{"enabled": const(t.pitr)}]
    if t.sse == "cmk":
        ex["server_side_encryption"] = [{"enabled": const(True), "kms_key_arn": kms_expr}]
    elif t.sse == "aws":
        ex["server_side_encryption"] = [{"enabled": const(True)}]
    if t.stream:
        ex["stream_enabled"], ex["stream_view_type"] = const(True), const(t.stream)
    if t.deletion_protection is not None:
        ex["deletion_protection_enabled"] = const(t.deletion_protection)
    if t.table_class:
        ex["table_class"] = const(t.table_class)
    if t.replicas:
        ex["replica"] = [{"point_in_time_recovery": const(True), "region_name": const(r)} for r in t.replicas]
    if t.tags is not None:
        ex["tags"] = refs("local.common_tags")
    return dict(sorted(ex.items()))


def _gsi_expression(t: Table, gsi: tuple) -> dict:
    name, hash_key, range_key, projection = gsi
    ex = {"hash_key": const(hash_key), "name": const(name), "projection_type": const(projection)}
    if range_key:
        ex["range_key"] = const(range_key)
    if projection == "INCLUDE":
        ex["non_key_attributes"] = const(["status", "total"])
    if t.billing == "PROVISIONED":
        ex["read_capacity"], ex["write_capacity"] = const(t.capacity[0]), const(t.capacity[1])
    return dict(sorted(ex.items()))


# ---------------------------------------------------------------------- the plan's resources
@dataclass
class Res:
    """One resource instance of the plan: its change, and what the configuration says about it."""

    address: str
    type: str
    actions: tuple[str, ...]
    before: dict | None
    after: dict | None  # may hold Unknown markers
    module: str = ""
    index: Any = None
    replace_paths: list | None = None
    reason: str | None = None
    depends_on: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        local = self.address[len(self.module) + 1 :] if self.module else self.address
        return local.split(".")[1].split("[")[0]


def change_for(
    state: str, old: dict | None, new_existing: dict | None, new_created: dict | None, replace_paths: list | None = None
) -> tuple:
    """(actions, before, after, replace_paths) for a resource in ``state``."""
    if state == "create":
        return ("create",), None, new_created, None
    if state == "delete":
        return ("delete",), old, None, None
    if state == "replace":
        return ("delete", "create"), old, new_created, replace_paths
    if old == new_existing:
        return ("no-op",), old, new_existing, None
    return ("update",), old, new_existing, None


@dataclass
class Plan:
    resources: list[Res] = field(default_factory=list)
    root_blocks: list[dict] = field(default_factory=list)
    module_calls: dict[str, dict] = field(default_factory=dict)
    outputs: dict[str, tuple[str, dict]] = field(default_factory=dict)  # name -> (value, expression)

    def add(
        self,
        address: str,
        type_: str,
        state: str,
        old=None,
        new_existing=None,
        new_created=None,
        replace_paths=None,
        module: str = "",
        index: Any = None,
        reason: str | None = None,
        depends_on: tuple[str, ...] = (),
    ) -> Res:
        actions, before, after, paths = change_for(state, old, new_existing, new_created, replace_paths)
        if "delete" in actions and reason is None:
            reason = "delete_because_no_resource_config" if actions == ("delete",) else None
        if actions == ("delete", "create"):
            reason = "replace_because_cannot_update"
        res = Res(address, type_, actions, before, after, module, index, paths, reason, tuple(sorted(depends_on)))
        self.resources.append(res)
        return res


class Team:
    """Shared infrastructure of up to TEAM_SIZE tables, and the tables themselves."""

    def __init__(self, plan: Plan, seed: int, number: int, tables: int) -> None:
        self.plan, self.seed, self.number, self.tables = plan, seed, number, tables
        self.tag = f"t{number:03d}"
        self.rng = random.Random(f"{seed}:team:{number}")
        self.common_tags = {"Environment": ENV, "Team": f"team-{number:03d}"}
        self.key_id = _uuid(f"{seed}:key:{number}")
        self.consumer = f"{ENV}-{self.tag}-stream-consumer"
        self.dlq = f"{ENV}-{self.tag}-stream-dlq"

    def _roll(self, rng: random.Random, p: float) -> bool:
        return rng.random() < p

    # ------------------------------------------------------------ shared
    def build(self) -> None:
        self.shared()
        root = math.ceil(self.tables * 0.4)
        svc = min(self.tables - root, round(self.tables * 0.4))
        shards = self.tables - root - svc
        for i in range(root):
            self.root_table(i)
        self.svc_module(svc)
        self.shard_module(shards)

    def shared(self) -> None:
        p, rng, tag = self.plan, self.rng, self.tag
        rotation_now = self._roll(rng, 0.8)
        rotation_before = rotation_now and not self._roll(rng, 0.15)
        key_desc = f"DynamoDB tables of team {self.number:03d}"
        p.add(
            f"aws_kms_key.{tag}",
            "aws_kms_key",
            "keep",
            kms_values(self.key_id, key_desc, rotation_before, self.common_tags, False),
            kms_values(self.key_id, key_desc, rotation_now, self.common_tags, False),
        )
        p.root_blocks.append(
            config_block(
                f"aws_kms_key.{tag}",
                "aws_kms_key",
                {
                    "deletion_window_in_days": const(30),
                    "description": const(key_desc),
                    "enable_key_rotation": const(rotation_now),
                    "tags": refs("local.common_tags"),
                },
            )
        )
        role = f"{ENV}-{tag}-stream-consumer"
        role_values = iam_role_values(role, "lambda.amazonaws.com")
        p.add(f"aws_iam_role.consumer_{tag}", "aws_iam_role", "keep", role_values, role_values)
        p.root_blocks.append(
            config_block(
                f"aws_iam_role.consumer_{tag}", "aws_iam_role", {"assume_role_policy": {}, "name": refs("var.env")}
            )
        )
        fn = lambda_values(self.consumer, role_values["arn"])
        p.add(
            f"aws_lambda_function.consumer_{tag}",
            "aws_lambda_function",
            "keep",
            fn,
            fn,
            depends_on=(f"aws_iam_role.consumer_{tag}",),
        )
        p.root_blocks.append(
            config_block(
                f"aws_lambda_function.consumer_{tag}",
                "aws_lambda_function",
                {
                    "filename": refs("path.module"),
                    "function_name": refs("var.env"),
                    "handler": const("consumer.handler"),
                    "memory_size": const(256),
                    "role": refs(f"aws_iam_role.consumer_{tag}.arn"),
                    "runtime": const("python3.12"),
                    "timeout": const(30),
                    "tracing_config": [{"mode": const("PassThrough")}],
                },
            )
        )
        queue = sqs_values(self.dlq)
        p.add(f"aws_sqs_queue.dlq_{tag}", "aws_sqs_queue", "keep", queue, queue)
        p.root_blocks.append(
            config_block(
                f"aws_sqs_queue.dlq_{tag}",
                "aws_sqs_queue",
                {"message_retention_seconds": const(1209600), "name": refs("var.env")},
            )
        )
        self.admin_policy()
        if self.number % 2 == 0:
            self.dax()
        p.outputs[f"{tag}_kms_key_arn"] = (kms_arn(self.key_id), refs(f"aws_kms_key.{tag}.arn"))

    def admin_policy(self) -> None:
        """A team-wide policy: least privilege for most teams, ``dynamodb:*`` on ``*`` for some."""
        p, tag = self.plan, self.tag
        wide = self._roll(self.rng, 0.3)
        scoped = _policy_json(
            [
                {
                    "Action": ["dynamodb:DescribeTable", "dynamodb:ListTables"],
                    "Effect": "Allow",
                    "Resource": table_arn(f"{ENV}-{tag}-*"),
                }
            ]
        )
        now = _policy_json([{"Action": "dynamodb:*", "Effect": "Allow", "Resource": "*"}]) if wide else scoped
        before = scoped if self._roll(self.rng, 0.1) else now
        name = f"{ENV}-{tag}-dynamodb-admin"
        p.add(
            f"aws_iam_policy.admin_{tag}",
            "aws_iam_policy",
            "keep",
            iam_policy_values(name, before, False),
            iam_policy_values(name, now, False),
        )
        p.root_blocks.append(
            config_block(f"aws_iam_policy.admin_{tag}", "aws_iam_policy", {"name": refs("var.env"), "policy": {}})
        )

    def dax(self) -> None:
        p, tag = self.plan, self.tag
        encrypted = self._roll(self.rng, 0.7)
        role = iam_role_values(f"{ENV}-{tag}-dax", "dax.amazonaws.com")
        p.add(f"aws_iam_role.dax_{tag}", "aws_iam_role", "keep", role, role)
        p.root_blocks.append(
            config_block(f"aws_iam_role.dax_{tag}", "aws_iam_role", {"assume_role_policy": {}, "name": refs("var.env")})
        )
        name = f"{ENV}-{tag}-cache"
        values = dax_values(name, role["arn"], encrypted)
        p.add(
            f"aws_dax_cluster.{tag}", "aws_dax_cluster", "keep", values, values, depends_on=(f"aws_iam_role.dax_{tag}",)
        )
        ex = {
            "cluster_name": refs("var.env"),
            "iam_role_arn": refs(f"aws_iam_role.dax_{tag}.arn"),
            "node_type": const(values["node_type"]),
            "replication_factor": const(values["replication_factor"]),
        }
        if encrypted:
            ex["cluster_endpoint_encryption_type"] = const("TLS")
            ex["server_side_encryption"] = [{"enabled": const(True)}]
        p.root_blocks.append(config_block(f"aws_dax_cluster.{tag}", "aws_dax_cluster", dict(sorted(ex.items()))))

    # ------------------------------------------------------------ root tables
    def root_table(self, i: int) -> None:
        """One table declared at the root, with its own autoscaling, alarm, consumer, policy ... blocks."""
        rng = random.Random(f"{self.seed}:root:{self.number}:{i}")
        local = f"{WORDS[(self.number + i) % len(WORDS)]}_{self.tag}_{i:02d}"
        name = f"{ENV}-{local.replace('_', '-')}"
        fate = rng.random()
        state = "create" if fate < 0.12 else "delete" if fate < 0.16 else "replace" if fate < 0.20 else "keep"
        t = self._root_spec(rng, name)
        addr = f"aws_dynamodb_table.{local}"
        key_addr = f"aws_kms_key.{local}" if t.sse == "cmk" and self._roll(rng, 0.2) else None
        key_expr = refs(f"{key_addr}.arn") if key_addr else refs(f"aws_kms_key.{self.tag}.arn")
        deps = (key_addr or f"aws_kms_key.{self.tag}",) if t.sse == "cmk" else ()
        if key_addr:
            key_id = _uuid(f"{self.seed}:{key_addr}")
            self._dedicated_key(key_addr, key_id, state)
            t.kms_key_arn = kms_arn(key_id) if state != "create" else U
        elif t.sse == "cmk":
            t.kms_key_arn = kms_arn(self.key_id)
        old = self._older(rng, t, state)
        paths = None
        if state == "replace":
            t.range_key = "sk" if old.range_key != "sk" else "ts"
            paths = [["range_key"]]
        self.plan.add(
            addr,
            "aws_dynamodb_table",
            state,
            table_values(old, False),
            table_values(t, False),
            table_values(t, True),
            paths,
            depends_on=deps,
        )
        if state != "delete":
            self.plan.root_blocks.append(
                config_block(addr, "aws_dynamodb_table", table_expressions(t, refs("var.env"), key_expr))
            )
        table_new = state in ("create", "replace")
        if t.billing == "PROVISIONED" and self._roll(rng, 0.8):
            self._root_autoscaling(rng, local, t, state, addr)
        if self._roll(rng, 0.7):
            self._root_alarm(rng, local, t, state, addr)
        if i == 0 or self._roll(rng, 0.2):
            self._root_insights(local, t, state, addr)
        if t.stream:
            self._root_consumer(rng, local, t, state, addr, table_new)
        if self._roll(rng, 0.5):
            self._root_policy(rng, local, t, state, addr, table_new)
        if self._roll(rng, 0.06):
            self._root_item(local, t, state, addr)

    def _root_spec(self, rng: random.Random, name: str) -> Table:
        provisioned = self._roll(rng, 0.5)
        gsi_count = int(rng.random() * 3.5)
        projections = ("ALL", "KEYS_ONLY", "INCLUDE")
        gsis = tuple(
            (f"by_{key}", key, "created_at" if k % 2 == 0 else None, projections[k % 3])
            for k, key in enumerate(("customer_id", "status", "owner")[:gsi_count])
        )
        sse_roll = rng.random()
        range_key = "sk" if self._roll(rng, 0.7) else None
        replicas = ("us-west-2",) if self._roll(rng, 0.08) else ()
        stream = ("NEW_AND_OLD_IMAGES", "NEW_IMAGE")[int(rng.random() * 2)] if self._roll(rng, 0.4) else None
        return Table(
            name=name,
            billing="PROVISIONED" if provisioned else "PAY_PER_REQUEST",
            capacity=(5 * (1 + int(rng.random() * 10)), 5 * (1 + int(rng.random() * 4))),
            range_key=range_key,
            gsis=gsis,
            lsi=("by_created", "created_at") if range_key and self._roll(rng, 0.15) else None,
            ttl="expires_at" if self._roll(rng, 0.6) else None,
            pitr=True if self._roll(rng, 0.65) else (False if self._roll(rng, 0.5) else None),
            sse="cmk" if sse_roll < 0.5 else "aws" if sse_roll < 0.8 else "none",
            stream="NEW_AND_OLD_IMAGES" if replicas else stream,  # global tables need both images
            deletion_protection=True if self._roll(rng, 0.5) else None,
            table_class="STANDARD_INFREQUENT_ACCESS" if self._roll(rng, 0.1) else None,
            replicas=replicas,
            tags=dict(self.common_tags) if self._roll(rng, 0.85) else None,
        )

    def _older(self, rng: random.Random, t: Table, state: str) -> Table:
        """The table as it was before this plan: for some tables, other capacity or fewer tags."""
        old = Table(**vars(t))
        if state == "keep" and self._roll(rng, 0.1):
            if t.billing == "PROVISIONED":
                old.capacity = (max(1, t.capacity[0] - 5), t.capacity[1])
            elif t.tags is not None:
                t.tags = {**t.tags, "CostCenter": f"cc-{self.number:03d}"}
        return old

    def _dedicated_key(self, addr: str, key_id: str, table_state: str) -> None:
        state = {"create": "create", "delete": "delete"}.get(table_state, "keep")
        desc = "key of one table"
        self.plan.add(
            addr,
            "aws_kms_key",
            state,
            kms_values(key_id, desc, True, None, False),
            kms_values(key_id, desc, True, None, False),
            kms_values(key_id, desc, True, None, True),
        )
        if state != "delete":
            self.plan.root_blocks.append(
                config_block(addr, "aws_kms_key", {"description": const(desc), "enable_key_rotation": const(True)})
            )

    def _root_autoscaling(self, rng: random.Random, local: str, t: Table, state: str, table_addr: str) -> None:
        child_state = "keep" if state == "replace" else state
        for kind in ("read", "write"):
            dim = f"dynamodb:table:{kind.capitalize()}CapacityUnits"
            bounds = (t.capacity[0 if kind == "read" else 1], 100 if kind == "read" else 50)
            old_bounds = (bounds[0], bounds[1] - 20) if child_state == "keep" and self._roll(rng, 0.05) else bounds
            target = f"aws_appautoscaling_target.{local}_{kind}"
            self.plan.add(
                target,
                "aws_appautoscaling_target",
                child_state,
                autoscaling_target_values(t.name, dim, old_bounds, False),
                autoscaling_target_values(t.name, dim, bounds, False),
                autoscaling_target_values(t.name, dim, bounds, True),
                depends_on=(table_addr,),
            )
            policy = f"aws_appautoscaling_policy.{local}_{kind}"
            values = [autoscaling_policy_values(f"table/{t.name}", dim, 70, new) for new in (False, True)]
            self.plan.add(
                policy,
                "aws_appautoscaling_policy",
                child_state,
                values[0],
                values[0],
                values[1],
                depends_on=(target, table_addr),
            )
            if state == "delete":
                continue
            metric = f"DynamoDB{kind.capitalize()}CapacityUtilization"
            self.plan.root_blocks.append(
                config_block(
                    target,
                    "aws_appautoscaling_target",
                    {
                        "max_capacity": const(bounds[1]),
                        "min_capacity": const(bounds[0]),
                        "resource_id": refs(f"{table_addr}.name"),
                        "scalable_dimension": const(dim),
                        "service_namespace": const("dynamodb"),
                    },
                )
            )
            self.plan.root_blocks.append(
                config_block(
                    policy,
                    "aws_appautoscaling_policy",
                    {
                        "name": refs(f"{target}.resource_id"),
                        "policy_type": const("TargetTrackingScaling"),
                        "resource_id": refs(f"{target}.resource_id"),
                        "scalable_dimension": refs(f"{target}.scalable_dimension"),
                        "service_namespace": refs(f"{target}.service_namespace"),
                        "target_tracking_scaling_policy_configuration": [
                            {
                                "predefined_metric_specification": [{"predefined_metric_type": const(metric)}],
                                "target_value": const(70),
                            }
                        ],
                    },
                )
            )

    def _root_alarm(self, rng: random.Random, local: str, t: Table, state: str, table_addr: str) -> None:
        """A throttle alarm; one in three names its table by a literal string rather than a reference."""
        child_state = "keep" if state == "replace" else state
        literal = self._roll(rng, 0.33)
        addr = f"aws_cloudwatch_metric_alarm.{local}_throttle"
        name = f"{t.name}-throttled"
        actions = [_arn("sns", f"{ENV}-{self.tag}-oncall")] if self._roll(rng, 0.6) else None
        threshold_before = 10 if child_state == "keep" and self._roll(rng, 0.05) else 5
        self.plan.add(
            addr,
            "aws_cloudwatch_metric_alarm",
            child_state,
            alarm_values(name, t.name, "ThrottledRequests", threshold_before, False, actions),
            alarm_values(name, t.name, "ThrottledRequests", 5, False, actions),
            alarm_values(name, t.name, "ThrottledRequests", 5, True, actions),
            depends_on=() if literal else (table_addr,),
        )
        if state == "delete":
            return
        table_ref = const({"TableName": t.name}) if literal else refs(f"{table_addr}.name")
        ex = {
            "alarm_name": const(name) if literal else refs(f"{table_addr}.name"),
            "comparison_operator": const("GreaterThanThreshold"),
            "dimensions": table_ref,
            "evaluation_periods": const(3),
            "metric_name": const("ThrottledRequests"),
            "namespace": const("AWS/DynamoDB"),
            "period": const(60),
            "statistic": const("Sum"),
            "threshold": const(5),
        }
        if actions:
            ex["alarm_actions"] = const(actions)
            ex["treat_missing_data"] = const("notBreaching")
        self.plan.root_blocks.append(config_block(addr, "aws_cloudwatch_metric_alarm", dict(sorted(ex.items()))))

    def _root_insights(self, local: str, t: Table, state: str, table_addr: str) -> None:
        addr = f"aws_dynamodb_contributor_insights.{local}"
        child_state = "keep" if state == "replace" else state
        self.plan.add(
            addr,
            "aws_dynamodb_contributor_insights",
            child_state,
            insights_values(t.name, False),
            insights_values(t.name, False),
            insights_values(t.name, True),
            depends_on=(table_addr,),
        )
        if state != "delete":
            self.plan.root_blocks.append(
                config_block(addr, "aws_dynamodb_contributor_insights", {"table_name": refs(f"{table_addr}.name")})
            )

    def _root_consumer(
        self, rng: random.Random, local: str, t: Table, state: str, table_addr: str, table_new: bool
    ) -> None:
        addr = f"aws_lambda_event_source_mapping.{local}_stream"
        safe = self._roll(rng, 0.7)
        stream_arn = f"{table_arn(t.name)}/stream/{STREAM_LABEL}"
        function = _arn("lambda", f"function:{self.consumer}")
        dlq = _arn("sqs", self.dlq)
        now = Consumer(U if table_new else stream_arn, function, "LATEST", 100 if safe else None, safe, dlq)
        old = Consumer(stream_arn, function, "LATEST", now.batch_size, safe, dlq)
        child_state, paths = state, None
        if state == "replace":
            paths = [["event_source_arn"]]
        elif state == "keep" and self._roll(rng, 0.06):
            child_state, paths, old.position = "replace", [["starting_position"]], "TRIM_HORIZON"
        elif state == "keep" and safe and self._roll(rng, 0.05):
            old.batch_size = 10
        deps = (table_addr, f"aws_lambda_function.consumer_{self.tag}", f"aws_sqs_queue.dlq_{self.tag}")
        self.plan.add(
            addr,
            "aws_lambda_event_source_mapping",
            child_state,
            consumer_values(old, addr, False),
            consumer_values(now, addr, False),
            consumer_values(now, addr, True),
            paths,
            depends_on=deps,
        )
        if state == "delete":
            return
        ex = {
            "event_source_arn": refs(f"{table_addr}.stream_arn"),
            "function_name": refs(f"aws_lambda_function.consumer_{self.tag}.arn"),
            "starting_position": const("LATEST"),
        }
        if safe:
            ex.update(
                {
                    "batch_size": const(100),
                    "bisect_batch_on_function_error": const(True),
                    "destination_config": [
                        {"on_failure": [{"destination_arn": refs(f"aws_sqs_queue.dlq_{self.tag}.arn")}]}
                    ],
                    "function_response_types": const(["ReportBatchItemFailures"]),
                    "maximum_batching_window_in_seconds": const(5),
                    "maximum_record_age_in_seconds": const(3600),
                    "maximum_retry_attempts": const(3),
                }
            )
        self.plan.root_blocks.append(config_block(addr, "aws_lambda_event_source_mapping", dict(sorted(ex.items()))))

    def _root_policy(
        self, rng: random.Random, local: str, t: Table, state: str, table_addr: str, table_new: bool
    ) -> None:
        """Read/write access to one table; some forget the indexes, which the table's GSIs need."""
        addr = f"aws_iam_policy.{local}_rw"
        arn = table_arn(t.name)
        with_indexes = self._roll(rng, 0.7)
        resources = [arn, f"{arn}/index/*"] if with_indexes else arn
        document = _policy_json(
            [
                {
                    "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
                    "Effect": "Allow",
                    "Resource": resources,
                }
            ]
        )
        name = f"{t.name}-rw"
        child_state = "keep" if state == "replace" else state
        after_doc = U if table_new else document
        self.plan.add(
            addr,
            "aws_iam_policy",
            child_state,
            iam_policy_values(name, document, False),
            iam_policy_values(name, after_doc, False),
            iam_policy_values(name, after_doc, True),
            depends_on=(table_addr,),
        )
        if state != "delete":
            table_refs = [f"{table_addr}.arn"] * (2 if with_indexes else 1)
            self.plan.root_blocks.append(
                config_block(addr, "aws_iam_policy", {"name": refs(f"{table_addr}.name"), "policy": refs(*table_refs)})
            )

    def _root_item(self, local: str, t: Table, state: str, table_addr: str) -> None:
        """A seed item; the ones still planned are being removed from the configuration."""
        addr = f"aws_dynamodb_table_item.{local}_seed"
        if state == "create":
            return
        self.plan.add(addr, "aws_dynamodb_table_item", "delete", item_values(t.name), depends_on=(table_addr,))

    # ------------------------------------------------------------ module.svc_tNN (for_each)
    def svc_module(self, count: int) -> None:
        call = f"svc_{self.tag}"
        keys = [f"{WORDS[(self.number * 7 + i) % len(WORDS)]}-{i:02d}" for i in range(count)]
        pitr_off = []
        for i, key in enumerate(keys):
            rng = random.Random(f"{self.seed}:svc:{self.number}:{i}")
            fate = rng.random()
            state = "create" if fate < 0.10 else "delete" if fate < 0.14 else "keep"
            pitr = not self._roll(rng, 0.25)
            if not pitr:
                pitr_off.append(key)
            self._svc_instance(rng, call, key, state, pitr)
        if count:
            self.plan.module_calls[call] = self._svc_call(keys, pitr_off)

    def _svc_instance(self, rng: random.Random, call: str, key: str, state: str, pitr: bool) -> None:
        module = f'module.{call}["{key}"]'
        reason = "delete_because_no_module" if state == "delete" else None
        name = f"{ENV}-{self.tag}-{key}"
        t = Table(
            name=name,
            billing="PROVISIONED",
            capacity=(5, 5),
            hash_key="id",
            range_key="sk",
            gsis=(("gsi1", "gsi_pk", None, "ALL"),),
            ttl="expires_at",
            pitr=pitr,
            sse="cmk",
            kms_key_arn=kms_arn(self.key_id),
            tags=dict(self.common_tags),
        )
        old = Table(**vars(t))
        if state == "keep" and self._roll(rng, 0.08):
            old.capacity = (10, 5)
        table_addr = f"{module}.aws_dynamodb_table.this"
        kms_dep = f"aws_kms_key.{self.tag}"
        self.plan.add(
            table_addr,
            "aws_dynamodb_table",
            state,
            table_values(old, False),
            table_values(t, False),
            table_values(t, True),
            module=module,
            reason=reason,
            depends_on=(kms_dep,),
        )
        base = f"module.{call}"
        for i, kind in enumerate(("Read", "Write")):
            dim = f"dynamodb:table:{kind}CapacityUnits"
            target = [autoscaling_target_values(name, dim, (5, 200), new) for new in (False, True)]
            self.plan.add(
                f"{module}.aws_appautoscaling_target.this[{i}]",
                "aws_appautoscaling_target",
                state,
                target[0],
                target[0],
                target[1],
                module=module,
                index=i,
                reason=reason,
                depends_on=(kms_dep, f"{base}.aws_dynamodb_table.this"),
            )
            policy = [autoscaling_policy_values(f"table/{name}", dim, 70, new) for new in (False, True)]
            self.plan.add(
                f"{module}.aws_appautoscaling_policy.this[{i}]",
                "aws_appautoscaling_policy",
                state,
                policy[0],
                policy[0],
                policy[1],
                module=module,
                index=i,
                reason=reason,
                depends_on=(kms_dep, f"{base}.aws_appautoscaling_target.this", f"{base}.aws_dynamodb_table.this"),
            )
        for metric in THROTTLE_METRICS:
            alarm = [alarm_values(f"{name}-{metric}", name, metric, 5, new) for new in (False, True)]
            self.plan.add(
                f'{module}.aws_cloudwatch_metric_alarm.throttle["{metric}"]',
                "aws_cloudwatch_metric_alarm",
                state,
                alarm[0],
                alarm[0],
                alarm[1],
                module=module,
                index=metric,
                reason=reason,
                depends_on=(kms_dep, f"{base}.aws_dynamodb_table.this"),
            )

    def _svc_call(self, keys: list[str], pitr_off: list[str]) -> dict:
        table = {
            "attribute": [{"name": const(n), "type": const("S")} for n in ("id", "sk", "gsi_pk")],
            "billing_mode": const("PROVISIONED"),
            "global_secondary_index": [
                {
                    "hash_key": const("gsi_pk"),
                    "name": const("gsi1"),
                    "projection_type": const("ALL"),
                    "read_capacity": const(5),
                    "write_capacity": const(5),
                }
            ],
            "hash_key": const("id"),
            "name": refs("var.env", "var.team", "var.name"),
            "point_in_time_recovery": [{"enabled": refs("var.pitr_off", "var.name")}],
            "range_key": const("sk"),
            "read_capacity": const(5),
            "server_side_encryption": [{"enabled": const(True), "kms_key_arn": refs("var.kms_key_arn")}],
            "tags": refs("var.tags"),
            "ttl": [{"attribute_name": const("expires_at"), "enabled": const(True)}],
            "write_capacity": const(5),
        }
        module = {
            "outputs": {
                "table_arn": {"expression": refs("aws_dynamodb_table.this.arn")},
                "table_name": {"expression": refs("aws_dynamodb_table.this.name")},
            },
            "resources": [
                config_block(
                    "aws_appautoscaling_policy.this",
                    "aws_appautoscaling_policy",
                    {
                        "name": {
                            "references": [
                                "var.dimensions",
                                "count.index",
                                "aws_appautoscaling_target.this",
                                "count.index",
                            ]
                        },
                        "policy_type": const("TargetTrackingScaling"),
                        "resource_id": {"references": ["aws_appautoscaling_target.this", "count.index"]},
                        "scalable_dimension": {"references": ["aws_appautoscaling_target.this", "count.index"]},
                        "service_namespace": {"references": ["aws_appautoscaling_target.this", "count.index"]},
                        "target_tracking_scaling_policy_configuration": [
                            {
                                "predefined_metric_specification": [
                                    {"predefined_metric_type": refs("var.dimensions", "count.index")}
                                ],
                                "target_value": const(70),
                            }
                        ],
                    },
                    count=refs("var.dimensions"),
                ),
                config_block(
                    "aws_appautoscaling_target.this",
                    "aws_appautoscaling_target",
                    {
                        "max_capacity": const(200),
                        "min_capacity": const(5),
                        "resource_id": refs("aws_dynamodb_table.this.name"),
                        "scalable_dimension": refs("var.dimensions", "count.index"),
                        "service_namespace": const("dynamodb"),
                    },
                    count=refs("var.dimensions"),
                ),
                config_block(
                    "aws_cloudwatch_metric_alarm.throttle",
                    "aws_cloudwatch_metric_alarm",
                    {
                        "alarm_name": refs("aws_dynamodb_table.this.name", "each.key"),
                        "comparison_operator": const("GreaterThanThreshold"),
                        "dimensions": refs("aws_dynamodb_table.this.name"),
                        "evaluation_periods": const(3),
                        "metric_name": refs("each.key"),
                        "namespace": const("AWS/DynamoDB"),
                        "period": const(60),
                        "statistic": const("Sum"),
                        "threshold": const(5),
                    },
                ),
                config_block("aws_dynamodb_table.this", "aws_dynamodb_table", table),
            ],
            "variables": {
                "dimensions": {"default": ["Read", "Write"]},
                "env": {},
                "kms_key_arn": {"default": None},
                "name": {},
                "pitr_off": {"default": []},
                "tags": {"default": {}},
                "team": {},
            },
        }
        return {
            "source": "./modules/dynamo-service",
            "expressions": {
                "env": refs("var.env"),
                "kms_key_arn": refs(f"aws_kms_key.{self.tag}.arn"),
                "name": refs("each.key"),
                "pitr_off": const(pitr_off),
                "tags": refs("local.common_tags"),
                "team": const(f"team-{self.number:03d}"),
            },
            "for_each_expression": refs(f"local.services_{self.tag}"),
            "module": module,
        }

    # ------------------------------------------------------------ module.shard_tNN[i] (count)
    def shard_module(self, count: int) -> None:
        if not count:
            return
        call = f"shard_{self.tag}"
        grows = self._roll(self.rng, 0.2)  # the last shard is new in this plan
        shrinks = not grows and self._roll(self.rng, 0.1)  # one shard past the count is being removed
        for i in range(count + (1 if shrinks else 0)):
            state = "create" if grows and i == count - 1 else "delete" if i == count else "keep"
            self._shard_instance(call, i, state)
        self.plan.module_calls[call] = self._shard_call(count)

    def _shard_instance(self, call: str, i: int, state: str) -> None:
        module = f"module.{call}[{i}]"
        reason = "delete_because_count_index" if state == "delete" else None
        name = f"{ENV}-{self.tag}-shard-{i}"
        t = Table(
            name=name,
            hash_key="id",
            range_key="ts",
            ttl="expires_at",
            pitr=True,
            sse="cmk",
            kms_key_arn=kms_arn(self.key_id),
            stream="NEW_IMAGE",
            deletion_protection=True,
        )
        table_addr = f"{module}.aws_dynamodb_table.this"
        kms_dep = f"aws_kms_key.{self.tag}"
        self.plan.add(
            table_addr,
            "aws_dynamodb_table",
            state,
            table_values(t, False),
            table_values(t, False),
            table_values(t, True),
            module=module,
            reason=reason,
            depends_on=(kms_dep,),
        )
        stream_arn = f"{table_arn(name)}/stream/{STREAM_LABEL}"
        function = _arn("lambda", f"function:{self.consumer}")
        consumer = Consumer(stream_arn, function, "TRIM_HORIZON", 500, True, _arn("sqs", self.dlq))
        created = Consumer(U, function, "TRIM_HORIZON", 500, True, _arn("sqs", self.dlq))
        addr = f"{module}.aws_lambda_event_source_mapping.this"
        base = f"module.{call}"
        self.plan.add(
            addr,
            "aws_lambda_event_source_mapping",
            state,
            consumer_values(consumer, addr, False),
            consumer_values(consumer, addr, False),
            consumer_values(created, addr, True),
            module=module,
            reason=reason,
            depends_on=(
                f"aws_lambda_function.consumer_{self.tag}",
                f"aws_sqs_queue.dlq_{self.tag}",
                kms_dep,
                f"{base}.aws_dynamodb_table.this",
            ),
        )
        alarm = [alarm_values(f"{name}-SystemErrors", name, "SystemErrors", 1, new) for new in (False, True)]
        self.plan.add(
            f"{module}.aws_cloudwatch_metric_alarm.errors",
            "aws_cloudwatch_metric_alarm",
            state,
            alarm[0],
            alarm[0],
            alarm[1],
            module=module,
            reason=reason,
            depends_on=(kms_dep, f"{base}.aws_dynamodb_table.this"),
        )

    def _shard_call(self, count: int) -> dict:
        module = {
            "outputs": {"stream_arn": {"expression": refs("aws_dynamodb_table.this.stream_arn")}},
            "resources": [
                config_block(
                    "aws_cloudwatch_metric_alarm.errors",
                    "aws_cloudwatch_metric_alarm",
                    {
                        "alarm_name": refs("aws_dynamodb_table.this.name"),
                        "comparison_operator": const("GreaterThanThreshold"),
                        "dimensions": refs("aws_dynamodb_table.this.name"),
                        "evaluation_periods": const(3),
                        "metric_name": const("SystemErrors"),
                        "namespace": const("AWS/DynamoDB"),
                        "period": const(60),
                        "statistic": const("Sum"),
                        "threshold": const(1),
                    },
                ),
                config_block(
                    "aws_dynamodb_table.this",
                    "aws_dynamodb_table",
                    {
                        "attribute": [
                            {"name": const("id"), "type": const("S")},
                            {"name": const("ts"), "type": const("N")},
                        ],
                        "billing_mode": const("PAY_PER_REQUEST"),
                        "deletion_protection_enabled": const(True),
                        "hash_key": const("id"),
                        "name": refs("var.env", "var.team", "var.shard"),
                        "point_in_time_recovery": [{"enabled": const(True)}],
                        "range_key": const("ts"),
                        "server_side_encryption": [{"enabled": const(True), "kms_key_arn": refs("var.kms_key_arn")}],
                        "stream_enabled": const(True),
                        "stream_view_type": const("NEW_IMAGE"),
                        "ttl": [{"attribute_name": const("expires_at"), "enabled": const(True)}],
                    },
                ),
                config_block(
                    "aws_lambda_event_source_mapping.this",
                    "aws_lambda_event_source_mapping",
                    {
                        "batch_size": const(500),
                        "bisect_batch_on_function_error": const(True),
                        "destination_config": [{"on_failure": [{"destination_arn": refs("var.dlq_arn")}]}],
                        "event_source_arn": refs("aws_dynamodb_table.this.stream_arn"),
                        "function_name": refs("var.consumer_arn"),
                        "function_response_types": const(["ReportBatchItemFailures"]),
                        "maximum_batching_window_in_seconds": const(5),
                        "maximum_record_age_in_seconds": const(3600),
                        "maximum_retry_attempts": const(3),
                        "starting_position": const("TRIM_HORIZON"),
                    },
                ),
            ],
            "variables": {"consumer_arn": {}, "dlq_arn": {}, "env": {}, "kms_key_arn": {}, "shard": {}, "team": {}},
        }
        return {
            "source": "./modules/stream-shard",
            "expressions": {
                "consumer_arn": refs(f"aws_lambda_function.consumer_{self.tag}.arn"),
                "dlq_arn": refs(f"aws_sqs_queue.dlq_{self.tag}.arn"),
                "env": refs("var.env"),
                "kms_key_arn": refs(f"aws_kms_key.{self.tag}.arn"),
                "shard": refs("count.index"),
                "team": const(self.tag),
            },
            "count_expression": const(count),
            "module": module,
        }


# ---------------------------------------------------------------------- assembling the document
def _entry(res: Res) -> dict:
    entry: dict[str, Any] = {"address": res.address}
    if res.module:
        entry["module_address"] = res.module
    entry.update({"mode": "managed", "type": res.type, "name": res.name})
    if res.index is not None:
        entry["index"] = res.index
    entry["provider_name"] = PROVIDER
    change = {
        "actions": list(res.actions),
        "before": known_part(res.before),
        "after": known_part(res.after),
        "after_unknown": after_unknown(res.after),
        "before_sensitive": sensitive_marks(res.before) if res.before is not None else False,
        "after_sensitive": sensitive_marks(res.after) if res.after is not None else False,
    }
    if res.replace_paths:
        change["replace_paths"] = res.replace_paths
    entry["change"] = change
    if res.reason:
        entry["action_reason"] = res.reason
    return entry


def _state_resource(res: Res, values: dict, with_depends: bool) -> dict:
    out: dict[str, Any] = {"address": res.address, "mode": "managed", "type": res.type, "name": res.name}
    if res.index is not None:
        out["index"] = res.index
    out.update(
        {
            "provider_name": PROVIDER,
            "schema_version": SCHEMA_VERSIONS.get(res.type, 0),
            "values": known_part(values),
            "sensitive_values": sensitive_marks(values),
        }
    )
    if with_depends and res.depends_on:
        out["depends_on"] = list(res.depends_on)
    return out


def _module_tree(items: list[tuple[Res, dict]], with_depends: bool) -> dict:
    root: list[dict] = []
    children: dict[str, list[dict]] = {}
    for res, values in sorted(items, key=lambda item: item[0].address):
        target = children.setdefault(res.module, []) if res.module else root
        target.append(_state_resource(res, values, with_depends))
    tree: dict[str, Any] = {"resources": root}
    if children:
        tree["child_modules"] = [{"resources": children[m], "address": m} for m in sorted(children)]
    return tree


def _relevant(plan: Plan) -> list[dict]:
    """Attributes of changing resources that other resources read (what terraform lists for drift)."""
    changing = {r.address for r in plan.resources if r.actions != ("no-op",)}
    seen, out = set(), []
    for res in plan.resources:
        for dep in res.depends_on:
            if dep in changing and dep not in seen:
                seen.add(dep)
                attribute = "stream_arn" if res.type == "aws_lambda_event_source_mapping" else "arn"
                out.append({"resource": dep, "attribute": [attribute]})
    return sorted(out, key=lambda r: r["resource"])


def generate(tables: int, seed: int = 0) -> dict:
    """The plan document (a dict) for ``tables`` DynamoDB tables."""
    if tables < 1:
        raise ValueError("tables must be at least 1")
    plan = Plan()
    teams = math.ceil(tables / TEAM_SIZE)
    for number in range(teams):
        size = min(TEAM_SIZE, tables - number * TEAM_SIZE)
        Team(plan, seed, number, size).build()
    resources = sorted(plan.resources, key=lambda r: r.address)
    planned = [(r, r.after) for r in resources if r.after is not None]
    prior = [(r, r.before) for r in resources if r.before is not None]
    outputs = {name: value for name, (value, _) in sorted(plan.outputs.items())}
    return {
        "format_version": "1.2",
        "terraform_version": TERRAFORM_VERSION,
        "variables": {"env": {"value": ENV}},
        "planned_values": {
            "outputs": {n: {"sensitive": False, "type": "string", "value": v} for n, v in outputs.items()},
            "root_module": _module_tree(planned, False),
        },
        "resource_changes": [_entry(r) for r in resources],
        "output_changes": {
            n: {
                "actions": ["no-op"],
                "before": v,
                "after": v,
                "after_unknown": False,
                "before_sensitive": False,
                "after_sensitive": False,
            }
            for n, v in outputs.items()
        },
        "prior_state": {
            "format_version": "1.0",
            "terraform_version": TERRAFORM_VERSION,
            "values": {
                "outputs": {n: {"sensitive": False, "value": v, "type": "string"} for n, v in outputs.items()},
                "root_module": _module_tree(prior, True),
            },
        },
        "configuration": _configuration(plan),
        "relevant_attributes": _relevant(plan),
        "timestamp": f"2026-11-24T{seed % 24:02d}:{tables % 60:02d}:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def _configuration(plan: Plan) -> dict:
    provider = {
        "name": "aws",
        "full_name": PROVIDER,
        "version_constraint": "5.100.0",
        "expressions": {
            "region": const(REGION),
            "skip_credentials_validation": const(True),
            "skip_requesting_account_id": const(True),
        },
    }
    return {
        "provider_config": {"aws": provider},
        "root_module": {
            "outputs": {name: {"expression": expr} for name, (_, expr) in sorted(plan.outputs.items())},
            "resources": sorted(plan.root_blocks, key=lambda b: b["address"]),
            "module_calls": dict(sorted(plan.module_calls.items())),
            "variables": {"env": {"default": ENV}},
        },
    }


def dumps(plan: dict) -> bytes:
    """Compact JSON as terraform writes it (Go's encoder escapes <, > and & in strings) and a final newline."""
    text = json.dumps(plan, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.encode("utf-8") + b"\n"


def write_plan(path: Path, tables: int, seed: int = 0) -> Path:
    """Write the plan to ``path`` (through a temporary file, so a reader never sees half a plan)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(dumps(generate(tables, seed)))
    partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, required=True, help="number of DynamoDB tables")
    parser.add_argument("--seed", type=int, default=0, help="same seed and size, same bytes (default 0)")
    parser.add_argument("-o", "--output", help="write here instead of standard output")
    args = parser.parse_args(argv)
    if args.tables < 1:
        parser.error("--tables must be at least 1")
    if args.output:
        write_plan(Path(args.output), args.tables, args.seed)
    else:
        sys.stdout.buffer.write(dumps(generate(args.tables, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

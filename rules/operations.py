"""Observability and operations: alarms, insights, tags, audit cost, items managed by Terraform, DAX size."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from dynalint.model import Resource, is_known
from dynalint.rule import Context, Issue, rule
from dynalint.values import bool_of, is_number, known_blocks, label, number_of, tags_all

from ._alarms import alarm_metrics
from ._dynamodb_json import read_item
from ._messages import shown_number

TAGS = ("operations", "dynamodb")
MONITORING_TAGS = ("operations", "monitoring", "dynamodb")
DAX_TAGS = ("operations", "reliability", "dax")

TABLE = "aws_dynamodb_table"
ALARM = "aws_cloudwatch_metric_alarm"
INSIGHTS = "aws_dynamodb_contributor_insights"
NAMESPACE = "AWS/DynamoDB"
THROTTLE_METRICS = ("ReadThrottleEvents", "WriteThrottleEvents", "ThrottledRequests")
# The dimension sets CloudWatch publishes each throttle metric with, for a table (not one of its indexes).
THROTTLE_DIMENSIONS = {
    "ReadThrottleEvents": {"TableName"},
    "WriteThrottleEvents": {"TableName"},
    "ThrottledRequests": {"TableName", "Operation"},
}
WATCHES = "watches"


# ---------------------------------------------------------------- alarms
def _may_be(value: Any, wanted: tuple[str, ...] | str) -> bool:
    """A known value among ``wanted``, or a value not known yet (which may turn out to be)."""
    if not is_known(value):
        return True
    return value in wanted if isinstance(wanted, tuple) else value == wanted


def _throttle_verdict(alarm: Resource, table: Resource) -> str | None:
    """WATCHES when one of the alarm's metrics is (or may be) a table-level throttle metric of the table.

    Otherwise, where a throttle metric of the table has a set of dimensions
    CloudWatch never publishes, the reason in words; else None. An alarm on
    one global secondary index is neither.
    """
    name = table.values.get("name")
    near_miss = None
    for namespace, metric, dimensions in alarm_metrics(alarm):
        if not _may_be(namespace, NAMESPACE) or not _may_be(metric, THROTTLE_METRICS):
            continue
        if not is_known(metric) or not is_known(dimensions):
            return WATCHES
        if not isinstance(dimensions, dict) or "GlobalSecondaryIndexName" in dimensions:
            continue
        table_name = dimensions.get("TableName")
        if is_known(table_name) and is_known(name) and table_name != name:
            continue
        if set(dimensions) == THROTTLE_DIMENSIONS[metric]:
            return WATCHES
        near_miss = (
            f"alarm {label(alarm, 'alarm_name')} watches {metric} with the dimensions "
            f"{', '.join(sorted(dimensions)) or 'none'}, which CloudWatch never publishes "
            f"(it needs {' and '.join(sorted(THROTTLE_DIMENSIONS[metric]))})"
        )
    return near_miss


@rule(
    id="DDB701",
    slug="no-throttle-alarm",
    level="warning",
    applies=[TABLE],
    kind="graph",
    security_severity=3.0,
    tags=MONITORING_TAGS,
)
def no_throttle_alarm(table: Resource, ctx: Context) -> Iterator[Issue]:
    """No CloudWatch alarm watches the table's throttling.

    ## What it checks
    An `aws_dynamodb_table` that no `aws_cloudwatch_metric_alarm` watches for
    throttling: namespace `AWS/DynamoDB`, metric `ReadThrottleEvents`,
    `WriteThrottleEvents` or `ThrottledRequests`, and a `TableName` dimension
    naming the table (by reference or by its literal name), either in the
    alarm's own metric or in a `metric_query` metric. The dimensions must be
    those CloudWatch publishes the metric with for a table: `TableName` alone
    for `ReadThrottleEvents` and `WriteThrottleEvents`, `TableName` and
    `Operation` for `ThrottledRequests`. An alarm with other dimensions
    watches a metric that never gets data (the message says so), and an alarm
    on one global secondary index (`GlobalSecondaryIndexName`) does not count
    for the table.

    ## Why it matters
    Throttled requests fail with `ProvisionedThroughputExceededException` (or
    `ThrottlingException`) once the SDK's retries run out. Provisioned tables
    throttle past their capacity and burst credits; on-demand tables throttle
    too, past twice their previous peak or on a hot partition (3,000 read or
    1,000 write units per second per partition). Without an alarm the first
    signal is customers' errors.

    ## Known limits
    Alarms outside the input (another state, another tool) are not seen; accept
    the finding in the config file where they exist. An alarm whose metric,
    namespace or dimensions are known only after apply counts as watching.

    ## References
    - [DynamoDB metrics and dimensions](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html)
    - [Creating CloudWatch alarms to monitor DynamoDB](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/creating-alarms.html)
    - [Throttling in DynamoDB](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TroubleshootingThrottling.html)
    """
    verdicts = [_throttle_verdict(alarm, table) for alarm in ctx.related(table, ALARM, direction="in")]
    if WATCHES in verdicts:
        return
    near_misses = [v for v in verdicts if v]
    if near_misses:
        yield Issue(
            f"Table {label(table)} has no working throttle alarm: {near_misses[0]}; alarm on "
            "ReadThrottleEvents and WriteThrottleEvents with the TableName dimension only, or on "
            "ThrottledRequests with TableName and Operation."
        )
        return
    yield Issue(
        f"Table {label(table)} has no CloudWatch alarm on its throttle metrics: add an "
        "aws_cloudwatch_metric_alarm on ReadThrottleEvents and WriteThrottleEvents (namespace AWS/DynamoDB, "
        "dimension TableName) so throttling pages someone before customers notice."
    )


@rule(
    id="DDB702",
    slug="alarm-without-actions",
    level="warning",
    applies=[ALARM],
    security_severity=3.0,
    tags=MONITORING_TAGS,
)
def alarm_without_actions(alarm: Resource, ctx: Context) -> Iterator[Issue]:
    """A DynamoDB alarm notifies nobody when it fires.

    ## What it checks
    An `aws_cloudwatch_metric_alarm` on a metric of namespace `AWS/DynamoDB`
    (its own metric, or one in a `metric_query`) with no `alarm_actions`, or
    with `actions_enabled = false`. `ok_actions` and
    `insufficient_data_actions` do not count: they say nothing when the alarm
    fires.

    ## Why it matters
    An alarm without actions only changes colour in the CloudWatch console.
    Throttling, system errors or a full table go unnoticed until someone
    happens to look.

    ## Known limits
    Actions known only after apply (an SNS topic created in the same plan)
    count as actions.

    ## References
    - [Using Amazon CloudWatch alarms: alarm actions](https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html)
    - [aws_cloudwatch_metric_alarm](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_metric_alarm)
    """
    if not any(namespace == NAMESPACE for namespace, _, _ in alarm_metrics(alarm)):
        return
    actions = alarm.values.get("alarm_actions")
    if not is_known(actions):
        return
    name = label(alarm, "alarm_name")
    if not actions:
        yield Issue(
            f"Alarm {name} watches a DynamoDB metric but has no alarm_actions: add "
            "`alarm_actions = [<SNS topic ARN>]` so someone is told when it fires.",
            path="alarm_actions",
        )
    elif bool_of(alarm.values.get("actions_enabled")) is False:
        yield Issue(
            f"Alarm {name} watches a DynamoDB metric but its actions are switched off: remove "
            "`actions_enabled = false` so someone is told when it fires.",
            path="actions_enabled",
        )


# ---------------------------------------------------------------- contributor insights
@rule(
    id="DDB703",
    slug="no-contributor-insights",
    level="note",
    applies=[TABLE],
    kind="graph",
    security_severity=1.0,
    tags=MONITORING_TAGS,
)
def no_contributor_insights(table: Resource, ctx: Context) -> Iterator[Issue]:
    """CloudWatch Contributor Insights is off for the table.

    ## What it checks
    An `aws_dynamodb_table` without an `aws_dynamodb_contributor_insights`
    for the table itself (no `index_name`), matched by reference or by the
    literal `table_name`. Insights on an index only do not count.

    ## Why it matters
    Contributor Insights shows the most accessed and most throttled partition
    keys. Without it, a hot key (one partition serves at most 3,000 reads and
    1,000 writes per second) shows up only as throttling with no culprit. It
    is billed per event analysed, so turn it on where the traffic justifies it.

    ## Known limits
    Insights enabled outside the input are not seen. An `index_name` known
    only after apply counts as the table.

    ## References
    - [CloudWatch Contributor Insights for DynamoDB](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/contributorinsights_HowItWorks.html)
    - [aws_dynamodb_contributor_insights](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_contributor_insights)
    """
    for insights in ctx.related(table, INSIGHTS, via="table_name", direction="in"):
        index = insights.values.get("index_name")
        if index is None or index == "" or not is_known(index):
            return
    yield Issue(
        f"Table {label(table)} has no Contributor Insights: add an aws_dynamodb_contributor_insights "
        "for it to see its most accessed and most throttled keys."
    )


# ---------------------------------------------------------------- tags
@rule(
    id="DDB704",
    slug="missing-tags",
    level="note",
    applies=[TABLE, "aws_dax_cluster"],
    security_severity=1.0,
    tags=TAGS,
    options={"required_tags": []},
)
def missing_tags(resource: Resource, ctx: Context) -> Iterator[Issue]:
    """The table or DAX cluster has no tags, or lacks a required tag.

    ## What it checks
    An `aws_dynamodb_table` or `aws_dax_cluster` with no tag at all, or,
    where the option `required_tags` lists tag keys, one without each of those
    keys. Tags count from `tags_all` where the plan knows it (it holds the
    provider's `default_tags`); otherwise from `tags` plus the provider's
    `default_tags` as the configuration writes them.

    ## Why it matters
    Cost allocation tags are how a bill is split by team, service or
    environment: DynamoDB and DAX are billed per table and per node, and
    untagged ones land in nobody's budget. Tags also drive ABAC policies and
    backup plans that select resources by tag.

    ## Known limits
    Tags known only after apply are not judged. Where the input does not
    hold `tags_all` (`.tf` input, or a plan where the provider could not
    compute it), the provider's `default_tags` count only where the
    configuration writes them as constants; default tags from a variable or
    an expression are then not seen.

    ## Use instead
    Tags on the resource (below), or `default_tags` on the provider
    (`provider "aws" { default_tags { tags = { Team = "orders" } } }`).

    ## Options
    - `required_tags` (list of tag keys, default `[]`): keys every table and
      DAX cluster must carry. With the default, only resources with no tag at
      all are reported.

    ## References
    - [Tagging DynamoDB resources](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html)
    - [Using cost allocation tags](https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/cost-alloc-tags.html)
    - [AWS provider: default_tags](https://registry.terraform.io/providers/hashicorp/aws/latest/docs#default_tags-configuration-block)
    """
    keys = _tag_keys(resource)
    if not is_known(keys):
        return
    name = label(resource, "cluster_name" if resource.type == "aws_dax_cluster" else "name")
    what = "DAX cluster" if resource.type == "aws_dax_cluster" else "Table"
    option = ctx.options["required_tags"]
    required = [option] if isinstance(option, str) else [k for k in option or () if isinstance(k, str)]
    missing = [k for k in required if k not in keys]
    if not keys:
        wanted = f" (required: {', '.join(required)})" if required else ""
        yield Issue(
            f"{what} {name} has no tags{wanted}: add `tags` or the provider's `default_tags` so its cost "
            "can be allocated.",
            path="tags",
        )
    elif missing:
        plural = len(missing) > 1
        yield Issue(
            f"{what} {name} lacks the required tag{'s' if plural else ''} {', '.join(missing)}: add "
            f"{'them' if plural else 'it'} to `tags` or to the provider's `default_tags`.",
            path="tags",
        )


def _tag_keys(resource: Resource) -> set[str] | Any:
    """The resource's tag keys, the provider's default_tags included."""
    tags = tags_all(resource)
    return set(tags) if is_known(tags) else tags


# ---------------------------------------------------------------- CloudTrail
@rule(
    id="DDB705",
    slug="cloudtrail-all-table-data-events",
    level="note",
    applies=["aws_cloudtrail"],
    security_severity=1.0,
    tags=TAGS,
)
def cloudtrail_all_table_data_events(trail: Resource, ctx: Context) -> Iterator[Issue]:
    """A CloudTrail trail logs DynamoDB data events for every table in the account.

    ## What it checks
    An `aws_cloudtrail` with an `event_selector` whose `data_resource` of type
    `AWS::DynamoDB::Table` lists `arn:aws:dynamodb` (every table), or an
    `advanced_event_selector` that selects `resources.type` =
    `AWS::DynamoDB::Table` without a `resources.ARN` selector that names
    tables (`equals`, `starts_with` or `ends_with`).

    ## Why it matters
    Data events record every item-level call: each `GetItem`, `PutItem` and
    `Query`. CloudTrail bills data events per 100,000 delivered ($0.10 in most
    regions), so a busy table doing thousands of requests per second costs
    more to audit than to run. Naming the tables that hold sensitive data
    keeps the audit where it matters.

    ## Known limits
    Values known only after apply are not judged. Filtering by `eventName` or
    `readOnly` lowers the volume but still counts as every table.

    ## References
    - [Logging data events with CloudTrail](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html)
    - [DataResource (CloudTrail API)](https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DataResource.html)
    - [AWS CloudTrail pricing](https://aws.amazon.com/cloudtrail/pricing/)
    """
    for i, selector in enumerate(known_blocks(trail.values, "event_selector")):
        for data in known_blocks(selector, "data_resource"):
            values = data.get("values")
            if (
                data.get("type") == "AWS::DynamoDB::Table"
                and isinstance(values, list)
                and any(_every_table(v) for v in values)
            ):
                yield Issue(
                    f"Trail {label(trail)} logs DynamoDB data events for every table in the account "
                    '("arn:aws:dynamodb"): list the ARNs of the tables that need an audit trail, since '
                    "each data event is billed.",
                    path=f"event_selector.{i}.data_resource",
                )
    for i, selector in enumerate(known_blocks(trail.values, "advanced_event_selector")):
        if _advanced_every_table(known_blocks(selector, "field_selector")):
            yield Issue(
                f"Trail {label(trail)} has an advanced event selector for DynamoDB tables without a "
                "resources.ARN selector, so it logs data events for every table: add one that names "
                "the tables, since each data event is billed.",
                path=f"advanced_event_selector.{i}",
            )


def _every_table(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"arn:aws[a-z-]*:dynamodb:?", value) is not None


def _advanced_every_table(fields: list) -> bool:
    by_field: dict[str, list] = {}
    for field in fields:
        if isinstance(field.get("field"), str):
            by_field.setdefault(field["field"], []).append(field)
    types = [v for f in by_field.get("resources.type", []) if isinstance(f.get("equals"), list) for v in f["equals"]]
    if "AWS::DynamoDB::Table" not in types:
        return False
    for arn_field in by_field.get("resources.ARN", []):
        if any(arn_field.get(op) for op in ("equals", "starts_with", "ends_with")):
            return False
    return True


# ---------------------------------------------------------------- items
@rule(
    id="DDB706",
    slug="table-item-resource",
    level="note",
    applies=["aws_dynamodb_table_item"],
    security_severity=1.0,
    tags=TAGS,
)
def table_item_resource(item: Resource, ctx: Context) -> Iterator[Issue]:
    """Table data is managed by Terraform through aws_dynamodb_table_item.

    ## What it checks
    Every `aws_dynamodb_table_item`.

    ## Why it matters
    The resource suits seeding a development table or a few configuration
    rows. For production data it is a trap: the item's attributes are stored
    in plain text in the Terraform state, an apply overwrites whatever the
    application wrote to the item since, and removing the block or a
    `terraform destroy` deletes the item. Each item is also read on every
    refresh, one `GetItem` per resource.

    ## Known limits
    None: accept the finding in the config file for dev or seed items.

    ## Use instead
    Load production data with the application, a migration job, or
    `import_table` on the `aws_dynamodb_table` (from S3); keep
    `aws_dynamodb_table_item` for dev seeds.

    ## References
    - [aws_dynamodb_table_item](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table_item)
    - [Sensitive data in Terraform state](https://developer.hashicorp.com/terraform/language/state/sensitive-data)
    """
    table = item.values.get("table_name")
    where = f" in table '{table}'" if isinstance(table, str) and table else ""
    yield Issue(
        f"Item {item.address}{where} is data managed by Terraform: fine for seeding dev tables, but keep "
        "production data out of it, since the state holds the item in plain text and an apply overwrites "
        "what the application wrote."
    )


@rule(
    id="DDB707",
    slug="table-item-invalid",
    level="error",
    applies=["aws_dynamodb_table_item"],
    kind="graph",
    security_severity=2.0,
    tags=TAGS,
)
def table_item_invalid(item: Resource, ctx: Context) -> Iterator[Issue]:
    """The item's JSON is not a valid DynamoDB item for its table; the apply fails.

    ## What it checks
    The `item` of an `aws_dynamodb_table_item`, read as DynamoDB JSON (each
    attribute a typed value such as `{"S": "x"}`, `{"N": "1"}`, `{"M": {...}}`),
    and against its table where the table is in the input (by reference or by
    literal `table_name`):
    - every value is typed, with one type of S, N, B, BOOL, NULL, M, L, SS, NS, BS;
      N holds a number written as a string; B and BS hold base64; NULL is
      `true`; sets are non-empty and without duplicates;
    - the item holds the table's `hash_key` and `range_key` attributes, of the
      type the table's `attribute` blocks declare, and not empty;
    - the resource's `hash_key` and `range_key` name the table's keys;
    - the item is at most 400 KB, and nests maps and lists at most 32 levels deep.

    ## Why it matters
    DynamoDB rejects such an item with a `ValidationException` at apply, after
    the resources before it were changed. The aws provider checks only the
    shape of the JSON at plan time: a missing key, a key of the wrong type or
    an empty set pass `terraform plan` and fail `terraform apply`.

    ## Known limits
    An item whose JSON is known only after apply is not judged. The size is
    computed as DynamoDB documents it (names plus values, numbers
    approximated). Keys are checked only when the table is in the input.

    ## References
    - [Supported data types and naming rules](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html)
    - [Item sizes and formats](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html)
    - [Service quotas: item size and nesting depth](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html)
    """
    text = item.values.get("item")
    if not is_known(text) or not isinstance(text, str):
        return
    doc, found = read_item(text)
    tables = ctx.related(item, TABLE, via="table_name", direction="out")
    if doc is not None and len(tables) == 1:
        found = _key_problems(item, tables[0], doc) + found
    if found:
        shown = "; ".join(found[:3]) + (f"; and {len(found) - 3} more" if len(found) > 3 else "")
        yield Issue(
            f"Item {item.address} will be rejected by DynamoDB at apply: {shown}; fix `item` (and its "
            "hash_key/range_key) to match the table.",
            path="item",
        )


def _key_problems(item: Resource, table: Resource, doc: dict) -> list[str]:
    """Where the item and its resource disagree with the table's key schema."""
    return list(_key_mismatches(item, table, doc))


def _key_mismatches(item: Resource, table: Resource, doc: dict) -> Iterator[str]:
    types = {
        b.get("name"): b.get("type") for b in known_blocks(table.values, "attribute") if isinstance(b.get("name"), str)
    }
    for role in ("hash_key", "range_key"):
        key = table.values.get(role)
        named = item.values.get(role)
        if not is_known(key) or not is_known(named) or not isinstance(key, (str, type(None))):
            continue
        if key is None and named is None:
            continue
        if key is None:
            yield f"{role} is set to '{named}' but table {label(table)} has no {role.replace('_', ' ')}"
            continue
        if named != key:
            where = f"'{named}'" if isinstance(named, str) else "not set"
            yield f"the resource's {role} is {where} but table {label(table)} has {role} '{key}'"
        yield from _key_value_problems(role, key, types.get(key), doc.get(key), table)


def _key_value_problems(role: str, key: str, declared: Any, value: Any, table: Resource) -> Iterator[str]:
    words = role.replace("_", " ")
    if value is None:
        yield f"it lacks the table's {words} attribute '{key}'"
        return
    if not isinstance(value, dict) or len(value) != 1:
        return  # reported as not a typed value
    kind, inner = next(iter(value.items()))
    if isinstance(declared, str) and kind != declared:
        yield f"its {words} '{key}' is of type {kind} but table {label(table)} declares {declared}"
    elif kind in ("S", "B") and inner == "":
        yield f"its {words} '{key}' is empty, which DynamoDB refuses for key attributes"


# ---------------------------------------------------------------- DAX
@rule(
    id="DDB708",
    slug="dax-single-node",
    level="warning",
    applies=["aws_dax_cluster"],
    security_severity=4.0,
    tags=DAX_TAGS,
)
def dax_single_node(cluster: Resource, ctx: Context) -> Iterator[Issue]:
    """A DAX cluster has fewer than three nodes.

    ## What it checks
    An `aws_dax_cluster` whose `replication_factor` (the number of nodes) is
    below 3.

    ## Why it matters
    A DAX cluster has one primary node and up to ten read replicas. With one
    node, a node failure, an AZ outage or a maintenance reboot takes the cache
    down and every read falls through to DynamoDB at once; with two, a failure
    leaves no redundancy. AWS recommends at least three nodes, placed in
    different Availability Zones, for production.

    ## Known limits
    A value known only after apply is not judged. Accept the finding for dev
    clusters.

    ## References
    - [DAX cluster components: nodes and replicas](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAX.concepts.cluster.html)
    - [aws_dax_cluster: replication_factor](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dax_cluster)
    """
    nodes = number_of(cluster.values.get("replication_factor"))
    if not is_number(nodes) or nodes >= 3:
        return
    plural = "s" if nodes != 1 else ""
    yield Issue(
        f"DAX cluster {label(cluster, 'cluster_name')} has {shown_number(nodes)} node{plural}: set "
        "`replication_factor = 3` (one primary and two replicas in different AZs) so one node failure does "
        "not take the cache down.",
        path="replication_factor",
    )

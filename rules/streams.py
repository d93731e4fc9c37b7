"""Streams and global tables: a table's stream, the replicas that run on it, and the Lambda functions that read it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from dynalint.model import UNKNOWN, Resource, is_known
from dynalint.rule import Context, Extend, Fix, Issue, Set, rule
from dynalint.values import blocks, bool_of, configured_constants, is_configured, is_off, label, number_of, prior_values

from ._ddb import replicas, table_name_from_arn
from ._messages import shown_number

TAGS = ("reliability", "streams", "dynamodb")
GLOBAL_TAGS = ("reliability", "global-tables", "dynamodb")
CONSUMER_TAGS = ("reliability", "streams", "lambda", "dynamodb")

TABLE = "aws_dynamodb_table"
STANDALONE_REPLICA = "aws_dynamodb_table_replica"
VIEW_TYPES = ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES")
REPLICATION_VIEW_TYPE = "NEW_AND_OLD_IMAGES"
# DynamoDB Streams keeps each record for 24 hours: a record age at or above it bounds nothing.
STREAM_RETENTION_SECONDS = 86400
BATCH_SIZE_RANGE = (1, 10000)
PARALLELIZATION_RANGE = (1, 10)
STARTING_POSITIONS = ("LATEST", "TRIM_HORIZON")


# ---------------------------------------------------------------- reading a table's stream
def _planned_view_type(values: Any) -> Any:
    """The view type the plan shows (on update, the prior one where the configuration leaves it out); "" is none."""
    value = values.get("stream_view_type") if isinstance(values, dict) else None
    return None if value == "" else value


def _written_view_type(table: Resource) -> Any:
    """The view type the configuration writes: None where it leaves it out, even if the plan keeps a prior one."""
    if table.configured is not None and not is_configured(table.configured, ("stream_view_type",)):
        return None
    return _planned_view_type(table.values)


def _stream(values: Any) -> Any:
    """A table's stream as one value: None when off, its view type when on, UNKNOWN when the plan cannot tell."""
    enabled = bool_of(values.get("stream_enabled")) if isinstance(values, dict) else None
    if not is_known(enabled):
        return UNKNOWN
    if enabled is not True:
        return None
    view = _planned_view_type(values)
    return view if is_known(view) else UNKNOWN


def _stream_text(stream: Any) -> str:
    return "off" if stream is None else f"on ({stream})"


def _replica_regions(values: Any) -> list | Any:
    """Region names of a table's replica blocks (known strings only), or the sentinel when the blocks are not known."""
    found = replicas(values)
    if not is_known(found):
        return found
    return [r.get("region_name") for r in found if isinstance(r.get("region_name"), str)]


def _standalone_replicas(table: Resource, ctx: Context) -> list[Resource]:
    """The aws_dynamodb_table_replica resources of the input that replicate this table."""
    return ctx.related(table, STANDALONE_REPLICA, via="global_table_arn", direction="in")


def _replicas_text(table: Resource, ctx: Context) -> str:
    blocks = replicas(table.values)
    if is_known(blocks) and blocks:
        return "replica blocks"
    standalone = _standalone_replicas(table, ctx)
    return f"a replica ({standalone[0].address})" if standalone else ""


# ---------------------------------------------------------------- table rules
@rule(
    id="DDB501",
    slug="stream-settings-inconsistent",
    level="error",
    applies=[TABLE],
    security_severity=2.0,
    tags=TAGS,
    fix="safe",
)
def stream_settings_inconsistent(table: Resource, ctx: Context) -> Iterator[Issue]:
    """The table's stream_enabled and stream_view_type contradict each other.

    ## What it checks
    An `aws_dynamodb_table` that writes `stream_view_type` while
    `stream_enabled` is `false` or not set; one with `stream_enabled = true`
    and no view type; and a view type that is not `KEYS_ONLY`, `NEW_IMAGE`,
    `OLD_IMAGE` or `NEW_AND_OLD_IMAGES`.

    ## Why it matters
    DynamoDB creates a stream only when `StreamEnabled` is true, and a stream
    always has one of the four view types. A view type without
    `stream_enabled = true` passes `terraform plan` but creates no stream
    (DynamoDB rejects a stream specification that is disabled and names a
    view type): the apply fails, or leaves a table that differs from its
    configuration on every later plan. Whatever was meant to read the stream
    (a Lambda function, a replica) gets nothing. The aws provider rejects the
    other two cases at plan time; they are caught here in states and
    hand-written plans.

    ## Known limits
    A setting known only after apply is not judged. On an update, a view type
    the configuration leaves out is not reported, even though the plan still
    shows the prior one: the provider does not send it.

    ## Fix
    Where the table writes a view type and leaves `stream_enabled` out,
    `dynalint --fix` adds `stream_enabled = true`: safe, the view type says a
    stream was meant. Where it writes `stream_enabled = false`, which of the two
    was meant is not certain: turning the stream on is an unsafe fix
    (`--unsafe-fixes`); removing the view type is yours to choose. A missing or
    invalid view type has no fix: only you know what the consumers need.

    ## References
    - [Change data capture for DynamoDB Streams](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html)
    - [StreamSpecification](https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StreamSpecification.html)
    - [aws_dynamodb_table: stream_enabled](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#stream_enabled)
    """
    enabled = bool_of(table.values.get("stream_enabled"))
    planned = _planned_view_type(table.values)
    if not is_known(enabled) or not is_known(planned):
        return
    if isinstance(planned, str) and planned not in VIEW_TYPES:
        yield Issue(
            f"Table {label(table)} has stream_view_type '{planned}', which DynamoDB does not accept: use "
            "KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES.",
            path="stream_view_type",
        )
    elif enabled is True and planned is None:
        yield Issue(
            f"Table {label(table)} has stream_enabled = true but no stream_view_type: set the view type "
            "the consumers need (NEW_AND_OLD_IMAGES for global tables).",
            path="stream_view_type",
        )
    elif enabled is not True and _written_view_type(table) is not None:
        state = "false" if enabled is False else "not set"
        written = table.configured is None or is_configured(table.configured, ("stream_enabled",))
        explicit = enabled is False and written
        yield Issue(
            f"Table {label(table)} sets stream_view_type but stream_enabled is {state}, so DynamoDB "
            "creates no stream: set `stream_enabled = true`, or remove stream_view_type.",
            path="stream_enabled",
            fix=Fix("Set `stream_enabled = true`", Set("stream_enabled", True), safe=not explicit),
        )


@rule(
    id="DDB502",
    slug="global-table-stream-view-type",
    level="error",
    applies=[TABLE],
    security_severity=5.0,
    tags=GLOBAL_TAGS,
)
def global_table_stream_view_type(table: Resource, ctx: Context) -> Iterator[Issue]:
    """A global table's stream is off or does not carry both item images.

    ## What it checks
    An `aws_dynamodb_table` with `replica` blocks, or replicated by an
    `aws_dynamodb_table_replica` in the same input (by reference or by a
    literal table ARN), whose `stream_enabled` is not `true` or whose
    `stream_view_type` is not `NEW_AND_OLD_IMAGES`.

    ## Why it matters
    Global tables (version 2019.11.21, multi-Region eventual consistency)
    replicate through the table's stream, with both the new and the old image
    of each item. DynamoDB turns the stream on when the first replica is
    added, and refuses to turn it off or change its view type while replicas
    exist. A configuration that says otherwise passes `terraform plan` and
    then fails the apply, or tries on every apply to take the stream back.

    ## Known limits
    Settings known only after apply, and replica blocks made by a `dynamic`
    block whose contents are not known yet, are not judged.

    ## References
    - [Global tables: how it works (streams)](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html)
    - [aws_dynamodb_table: replica](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#replica)
    - [aws_dynamodb_table_replica](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table_replica)
    """
    if not is_known(replicas(table.values)):
        return
    where = _replicas_text(table, ctx)
    stream = _stream(table.values)
    if not where or stream is UNKNOWN or stream == REPLICATION_VIEW_TYPE:
        return
    if stream is None:
        yield Issue(
            f"Table {label(table)} has {where} but its stream is off: set `stream_enabled = true` and "
            f'`stream_view_type = "{REPLICATION_VIEW_TYPE}"`; replication runs on the stream.',
            path="stream_enabled",
        )
    else:
        yield Issue(
            f"Table {label(table)} has {where} but its stream carries {stream}: set "
            f'`stream_view_type = "{REPLICATION_VIEW_TYPE}"`; replication needs both item images.',
            path="stream_view_type",
        )


@rule(
    id="DDB503",
    slug="global-table-stream-changed",
    level="error",
    applies=[TABLE],
    kind="change",
    security_severity=6.0,
    tags=GLOBAL_TAGS,
)
def global_table_stream_changed(table: Resource, ctx: Context) -> Iterator[Issue]:
    """The plan changes the stream of a table that has replicas.

    ## What it checks
    An update to an `aws_dynamodb_table` that has replicas before or after it
    (`replica` blocks, or an `aws_dynamodb_table_replica` in the same input)
    and that turns its stream on or off or changes its `stream_view_type`.

    ## Why it matters
    Replication between the regions of a global table reads the table's
    stream. DynamoDB refuses to disable the stream, or to change its view
    type, while the table has replicas (a view type changes only by disabling
    the stream and enabling a new one), so the apply fails part way. That
    includes an apply that removes the replicas too: the provider may send
    the stream change first. A stream change in the apply that adds the first
    replicas ties both to an order the provider chooses; change the stream
    alone, first.

    ## Known limits
    Only plan input carries changes. A new setting known only after apply is
    not judged.

    ## Use instead
    Keep `stream_enabled = true` and `stream_view_type = "NEW_AND_OLD_IMAGES"`
    while the table has replicas. To change the stream, remove the replicas in
    one apply (below) and change the stream in the next.

    ## References
    - [Global tables: how it works (streams)](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html)
    - [UpdateTable: StreamSpecification](https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html#DDB-UpdateTable-request-StreamSpecification)
    """
    before = prior_values(table)
    if before is None:
        return
    old, new = _stream(before), _stream(table.values)
    if old is UNKNOWN or new is UNKNOWN or old == new:
        return
    had, has = _replica_regions(before), _replica_regions(table.values)
    standalone = _standalone_replicas(table, ctx)
    existing = [r for r in standalone if not (r.change and r.change.is_create)]
    replicated_before = (is_known(had) and bool(had)) or bool(existing)
    if not (replicated_before or (is_known(has) and has) or standalone):
        return
    path = "stream_enabled" if (old is None) != (new is None) else "stream_view_type"
    changes = f"The plan changes the stream of table {label(table)} from {_stream_text(old)} to {_stream_text(new)}"
    if replicated_before:
        yield Issue(
            f"{changes} while it has replicas: DynamoDB refuses to disable or change the stream that "
            "replication reads; keep NEW_AND_OLD_IMAGES, or remove the replicas in an earlier apply.",
            path=path,
        )
    else:
        yield Issue(
            f"{changes} in the same apply that adds its first replicas: set the stream to "
            "NEW_AND_OLD_IMAGES in an earlier apply, then add the replicas.",
            path=path,
        )


@rule(
    id="DDB504",
    slug="legacy-global-table",
    level="warning",
    applies=["aws_dynamodb_global_table"],
    security_severity=3.0,
    tags=GLOBAL_TAGS,
)
def legacy_global_table(global_table: Resource, ctx: Context) -> Iterator[Issue]:
    """The global table uses the legacy version 2017.11.29.

    ## What it checks
    Any `aws_dynamodb_global_table`: that resource manages global tables
    version 2017.11.29 (Legacy) only.

    ## Why it matters
    AWS recommends version 2019.11.21 (Current) for every global table: it is
    available in all Regions (the legacy version in 11), replicates a
    1 KB `PutItem` with half the replicated write units (2 instead of 4 across
    two Regions), lets you add a replica to a table that already holds data,
    and is managed with the table itself. The legacy version needs empty
    tables in every Region before they can be joined.

    ## Known limits
    Moving an existing legacy global table to the current version is a
    one-way upgrade done in the AWS console; Terraform cannot do it.

    ## References
    - [DynamoDB global tables versions](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_versions.html)
    - [Upgrading global tables to version 2019.11.21](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_upgrade.html)
    - [aws_dynamodb_global_table](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_global_table)
    """
    yield Issue(
        f"Global table {label(global_table)} uses the legacy global tables version 2017.11.29: manage its "
        "replicas with `replica` blocks on the aws_dynamodb_table (version 2019.11.21) instead."
    )


@rule(
    id="DDB505", slug="replica-region-invalid", level="error", applies=[TABLE], security_severity=2.0, tags=GLOBAL_TAGS
)
def replica_region_invalid(table: Resource, ctx: Context) -> Iterator[Issue]:
    """Two replica blocks name the same region, or a replica is in the table's own region.

    ## What it checks
    An `aws_dynamodb_table` with two `replica` blocks for the same
    `region_name`, or with a replica in the region of the table's provider
    (where the provider configuration writes it as a constant, aliased
    providers included).

    ## Why it matters
    A global table has at most one replica per Region, and the table itself
    is the replica of its own Region: DynamoDB rejects a replica there, so
    the apply fails after the table was created. Terraform keeps `replica` as
    a set, so two identical blocks silently become one and two different
    blocks for one Region conflict.

    ## Known limits
    The plan's `replica` set merges identical blocks; they are found in the
    plan's configuration, where the region is written as a constant. A
    provider region taken from the environment (`AWS_REGION`) or from an
    expression is not known, so the own-region check is skipped.

    ## References
    - [Global tables: how it works](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html)
    - [aws_dynamodb_table: replica](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#replica)
    """
    # The configuration keeps blocks the plan's set merges; the plan keeps blocks made by `dynamic`.
    written = Counter(r for r in configured_constants(table, "replica", "region_name") if isinstance(r, str))
    planned = _replica_regions(table.values)
    planned = Counter(planned if is_known(planned) else [])
    counts = {region: max(written[region], planned[region]) for region in written.keys() | planned.keys()}
    for region in sorted(r for r, count in counts.items() if count > 1):
        yield Issue(
            f"Table {label(table)} has {counts[region]} replica blocks for {region}: keep one; a table has "
            "at most one replica per region.",
            path=f"replica.{region}",
        )
    own = table.region
    if own and own in counts:
        yield Issue(
            f"Table {label(table)} has a replica in {own}, the region of the table itself: remove that "
            "replica block; DynamoDB rejects a replica in the table's own region.",
            path=f"replica.{own}.region_name",
        )


# ---------------------------------------------------------------- stream consumers
def _dynamodb_stream_source(mapping: Resource, ctx: Context) -> str | None:
    """How a message names the mapping's source when it is a DynamoDB stream; None when it is not one.

    A known ARN decides by its shape (Kinesis and SQS ARNs are never judged);
    an ARN known only after apply counts when the configuration refers to a
    table there.
    """
    arn = mapping.values.get("event_source_arn")
    tables = ctx.related(mapping, TABLE, via="event_source_arn", direction="out")
    if isinstance(arn, str):
        if ":dynamodb:" not in arn or "/stream/" not in arn:
            return None
    elif is_known(arn) or not tables:
        return None
    if tables:
        return f"the stream of table {label(tables[0])}"
    name = table_name_from_arn(arn)
    return f"the stream of table '{name}'" if name else "a DynamoDB stream"


def _retries_unbounded(mapping: Resource) -> bool | Any:
    retries = number_of(mapping.values.get("maximum_retry_attempts"))
    return retries if not is_known(retries) else retries is None or retries < 0


def _record_age_unbounded(mapping: Resource) -> bool | Any:
    age = number_of(mapping.values.get("maximum_record_age_in_seconds"))
    return age if not is_known(age) else age is None or age < 0 or age >= STREAM_RETENTION_SECONDS


@rule(
    id="DDB506",
    slug="stream-consumer-without-failure-destination",
    level="warning",
    applies=["aws_lambda_event_source_mapping"],
    kind="graph",
    security_severity=4.0,
    tags=CONSUMER_TAGS,
)
def stream_consumer_without_failure_destination(mapping: Resource, ctx: Context) -> Iterator[Issue]:
    """A Lambda function reads a DynamoDB stream with nowhere to send the records it gives up on.

    ## What it checks
    An `aws_lambda_event_source_mapping` whose `event_source_arn` is a
    DynamoDB stream (a reference to an `aws_dynamodb_table`, or an ARN with
    `:dynamodb:` and `/stream/`) and that has no
    `destination_config { on_failure { destination_arn } }`. Kinesis, SQS and
    other sources are not judged.

    ## Why it matters
    When a batch keeps failing, Lambda retries it until the records expire
    (24 hours on a DynamoDB stream) or reach the configured retry or age
    limit, then drops them and moves on. Without an on-failure destination
    (an SQS queue, SNS topic or S3 bucket) the dropped changes are gone: no
    record of which items were never processed.

    ## Known limits
    A destination written in a `dynamic` block whose `for_each` is known only
    after apply looks absent in the plan and is reported. A source named
    through a data source is not recognised.

    ## References
    - [Retaining discarded records for a DynamoDB event source](https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html)
    - [aws_lambda_event_source_mapping: destination_config](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_event_source_mapping#destination_config)
    """
    source = _dynamodb_stream_source(mapping, ctx)
    if source is None:
        return
    if _has_failure_destination(mapping.values) is not False:
        return
    yield Issue(
        f"Event source mapping {mapping.address} on {source} has no on-failure destination: add "
        "`destination_config { on_failure { destination_arn = ... } }` (an SQS queue, SNS topic or S3 bucket) "
        "so that records dropped after the retries are kept.",
        path="destination_config.on_failure",
    )


def _has_failure_destination(values: Any) -> bool | Any:
    """Whether destination_config.on_failure names a destination (one known only after apply counts)."""
    configs = blocks(values, "destination_config")
    if not is_known(configs):
        return configs
    for config in configs:
        targets = blocks(config, "on_failure")
        if not is_known(targets):
            return targets
        if any(t.get("destination_arn") not in (None, "") for t in targets):
            return True
    return False


@rule(
    id="DDB507",
    slug="stream-consumer-unbounded-retries",
    level="warning",
    applies=["aws_lambda_event_source_mapping"],
    kind="graph",
    security_severity=4.0,
    tags=CONSUMER_TAGS,
)
def stream_consumer_unbounded_retries(mapping: Resource, ctx: Context) -> Iterator[Issue]:
    """A Lambda function retries a failing DynamoDB stream batch until its records expire.

    ## What it checks
    A DynamoDB stream mapping (as in DDB506) whose `maximum_retry_attempts` is
    absent or `-1` and whose `maximum_record_age_in_seconds` is absent, `-1`,
    or 86400 or more. Absent is the AWS default, `-1` (infinite) for both.

    ## Why it matters
    Lambda reads each shard of a stream in order. With unbounded retries, one
    record the function cannot process is retried until it expires: a
    DynamoDB stream keeps records 24 hours, so the shard behind it stalls for
    up to a day, and every later change to those items waits. A record age of
    a day or more (the API accepts up to 604800 seconds) bounds nothing on a
    stream that keeps records for 24 hours.

    ## Known limits
    A value known only after apply is not judged.

    ## References
    - [Lambda parameters for DynamoDB event source mappings](https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html)
    - [Retaining discarded records for a DynamoDB event source](https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html)
    """
    source = _dynamodb_stream_source(mapping, ctx)
    if source is None:
        return
    retries, age = _retries_unbounded(mapping), _record_age_unbounded(mapping)
    if retries is False or age is False or not is_known(retries) or not is_known(age):
        return
    yield Issue(
        f"Event source mapping {mapping.address} on {source} retries a failing batch until its records "
        "expire: set maximum_retry_attempts (e.g. 3) or maximum_record_age_in_seconds below 86400 so that "
        "one bad record cannot stall its shard for up to 24 hours.",
        path="maximum_retry_attempts",
    )


@rule(
    id="DDB508",
    slug="stream-consumer-no-partial-batch",
    level="note",
    applies=["aws_lambda_event_source_mapping"],
    kind="graph",
    security_severity=2.0,
    tags=CONSUMER_TAGS,
    fix="unsafe",
)
def stream_consumer_no_partial_batch(mapping: Resource, ctx: Context) -> Iterator[Issue]:
    """A Lambda function reading a DynamoDB stream retries whole batches for one bad record.

    ## What it checks
    A DynamoDB stream mapping (as in DDB506) with neither
    `bisect_batch_on_function_error = true` nor `"ReportBatchItemFailures"` in
    `function_response_types`.

    ## Why it matters
    Without either, an error on one record fails the whole batch (up to 10000
    records), and Lambda retries the same batch, records already processed
    included, until the record expires or the retry limits are reached.
    Bisection splits a failing batch in two and retries the halves (without
    using up retry attempts), closing in on the bad record; with
    `ReportBatchItemFailures`, the function returns the sequence number of the
    first failed record and Lambda retries from there. Use both: bisection for
    errors the function throws, partial batch responses for those it catches.

    ## Known limits
    `ReportBatchItemFailures` works only when the function's code returns
    `batchItemFailures`; dynalint cannot see the code. A value known only
    after apply is not judged.

    ## Fix
    Unsafe (`--unsafe-fixes`): `dynalint --fix` sets
    `bisect_batch_on_function_error = true` and adds `"ReportBatchItemFailures"`
    to `function_response_types`. It changes how Lambda invokes the function
    (a failing batch is retried in halves, so more invocations), and a
    function that returns a response of its own shape may then see records
    counted as failed: check the function's code first.

    ## References
    - [Configuring partial batch response with DynamoDB and Lambda](https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html)
    - [Retaining discarded records for a DynamoDB event source](https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html)
    """
    source = _dynamodb_stream_source(mapping, ctx)
    if source is None:
        return
    reports = _reports_item_failures(mapping.values.get("function_response_types"))
    if not is_off(mapping.values.get("bisect_batch_on_function_error")) or reports is not False:
        return
    yield Issue(
        f"Event source mapping {mapping.address} on {source} retries whole batches when one record fails: "
        'set `bisect_batch_on_function_error = true` and add "ReportBatchItemFailures" to '
        "function_response_types (returning batchItemFailures from the function).",
        path="function_response_types",
        fix=Fix(
            "Bisect failing batches and report item failures",
            Set("bisect_batch_on_function_error", True),
            Extend("function_response_types", ["ReportBatchItemFailures"]),
            safe=False,
        ),
    )


def _reports_item_failures(types: Any) -> bool | Any:
    """Whether function_response_types holds ReportBatchItemFailures; UNKNOWN when the plan cannot tell."""
    if types is None:
        return False
    if not is_known(types):
        return types
    items = types if isinstance(types, list) else []
    if "ReportBatchItemFailures" in [t for t in items if isinstance(t, str)]:
        return True
    return False if all(is_known(t) for t in items) else UNKNOWN


@rule(
    id="DDB509",
    slug="stream-consumer-invalid-parameters",
    level="error",
    applies=["aws_lambda_event_source_mapping"],
    kind="graph",
    security_severity=2.0,
    tags=CONSUMER_TAGS,
)
def stream_consumer_invalid_parameters(mapping: Resource, ctx: Context) -> Iterator[Issue]:
    """A Lambda mapping on a DynamoDB stream has a setting DynamoDB streams do not accept.

    ## What it checks
    A DynamoDB stream mapping (as in DDB506) with `batch_size` outside 1 to
    10000, `parallelization_factor` outside 1 to 10, or a `starting_position`
    other than `LATEST` or `TRIM_HORIZON` (or none).

    ## Why it matters
    For DynamoDB Streams the batch size is at most 10000 (default 100), at
    most 10 batches per shard are processed at once, and a starting position
    is required: `LATEST` or `TRIM_HORIZON`. `AT_TIMESTAMP` exists for
    Kinesis only. A batch size out of range, a missing or Kinesis-only
    starting position pass `terraform plan` and fail
    `CreateEventSourceMapping` at apply; the provider checks
    `parallelization_factor` itself, so that one is only found in states and
    hand-written plans.

    ## Known limits
    `batch_size = 0` is the aws provider's "not set" (AWS then uses 100) and
    is accepted. A value known only after apply is not judged.

    ## References
    - [Lambda parameters for DynamoDB event source mappings](https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html)
    - [CreateEventSourceMapping](https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html)
    """
    source = _dynamodb_stream_source(mapping, ctx)
    if source is None:
        return
    batch = number_of(mapping.values.get("batch_size"))
    if is_known(batch) and batch not in (None, 0) and not _within(batch, BATCH_SIZE_RANGE):
        yield Issue(
            f"Event source mapping {mapping.address} on {source} has batch_size {shown_number(batch)}: a "
            "DynamoDB stream accepts 1 to 10000.",
            path="batch_size",
        )
    factor = number_of(mapping.values.get("parallelization_factor"))
    if is_known(factor) and factor is not None and not _within(factor, PARALLELIZATION_RANGE):
        yield Issue(
            f"Event source mapping {mapping.address} on {source} has parallelization_factor "
            f"{shown_number(factor)}: set 1 to 10 batches per shard.",
            path="parallelization_factor",
        )
    position = mapping.values.get("starting_position")
    if position is None:
        yield Issue(
            f"Event source mapping {mapping.address} on {source} has no starting_position, which a "
            'stream requires: set `starting_position = "LATEST"` or "TRIM_HORIZON".',
            path="starting_position",
        )
    elif isinstance(position, str) and position not in STARTING_POSITIONS:
        yield Issue(
            f"Event source mapping {mapping.address} on {source} has starting_position '{position}', which "
            "a DynamoDB stream does not accept: use LATEST or TRIM_HORIZON.",
            path="starting_position",
        )


def _within(value: float, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= value <= bounds[1]

"""DDB501-DDB509 on plans real terraform made of tests/tf/streams and tests/tf/streams_changes."""

from helpers import by_address, flagged, lint_case, lint_doc, lint_tf

FINDINGS = lint_case("streams", select=["DDB5"])
CHANGES = lint_case("streams_changes", select=["DDB5"])
STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000"


def _state(*resources):
    """A `terraform show -json` state: no configuration, values as AWS reported them."""
    return {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {
            "root_module": {
                "resources": [
                    {"address": f"{rtype}.{name}", "mode": "managed", "type": rtype, "name": name, "values": values}
                    for rtype, name, values in resources
                ]
            }
        },
    }


def _plan(*resources):
    """A plan of created resources, for values the aws provider rejects at plan time."""
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": [
            {
                "address": f"{rtype}.{name}",
                "mode": "managed",
                "type": rtype,
                "name": name,
                "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": {}},
            }
            for rtype, name, values in resources
        ],
    }


# ---------------------------------------------------------------- DDB501
def test_ddb501_view_type_without_enabled_stream():
    assert flagged(FINDINGS, "DDB501") == {
        "aws_dynamodb_table.view_without_stream",
        "aws_dynamodb_table.disabled_with_view",
    }
    [unset] = by_address(FINDINGS, "DDB501")["aws_dynamodb_table.view_without_stream"]
    [off] = by_address(FINDINGS, "DDB501")["aws_dynamodb_table.disabled_with_view"]
    assert "'view-without-stream'" in unset.message and "stream_enabled is not set" in unset.message
    assert "stream_enabled is false" in off.message and "stream_enabled = true" in off.message
    assert unset.path == off.path == "stream_enabled"


def test_ddb501_silent_on_stream_off_without_view_type_computed_on_create():
    # The plan shows stream_view_type as known after apply; the configuration leaves it out.
    assert "aws_dynamodb_table.stream_off" not in by_address(FINDINGS)


def test_ddb501_silent_on_good_twin_and_on_enabled_known_only_after_apply():
    found = flagged(FINDINGS, "DDB501")
    assert not found & {"aws_dynamodb_table.stream_on", "aws_dynamodb_table.stream_decided_later"}


def test_ddb501_silent_when_an_update_drops_the_view_type_the_plan_still_shows():
    # stream-dropped: stream_enabled = false, the plan keeps the prior NEW_IMAGE (Optional+Computed).
    assert "aws_dynamodb_table.stream_dropped" not in flagged(CHANGES, "DDB501")
    assert flagged(CHANGES, "DDB501") == {"aws_dynamodb_table.global_off"}  # writes the view type


def test_ddb501_enabled_without_view_type_in_a_state():
    # The aws provider rejects this at plan time; a state (or an import) can still hold it.
    doc = _state(("aws_dynamodb_table", "t", {"name": "t", "stream_enabled": True, "stream_view_type": ""}))
    [finding] = lint_doc(doc, ["DDB501"])
    assert finding.path == "stream_view_type" and "no stream_view_type" in finding.message


def test_ddb501_view_type_dynamodb_does_not_know():
    # Hand-built: the provider's validation rejects "new_image" at plan time.
    doc = _plan(("aws_dynamodb_table", "t", {"name": "t", "stream_enabled": "true", "stream_view_type": "new_image"}))
    [finding] = lint_doc(doc, ["DDB501"])
    assert "'new_image'" in finding.message and "NEW_AND_OLD_IMAGES" in finding.message


# ---------------------------------------------------------------- DDB502
def test_ddb502_replica_blocks_need_a_stream_with_both_images():
    found = by_address(FINDINGS, "DDB502")
    assert {"aws_dynamodb_table.global_no_stream", "aws_dynamodb_table.global_new_image"} <= set(found)
    [off] = found["aws_dynamodb_table.global_no_stream"]
    [view] = found["aws_dynamodb_table.global_new_image"]
    assert off.path == "stream_enabled" and "stream is off" in off.message
    assert view.path == "stream_view_type" and "NEW_IMAGE" in view.message


def test_ddb502_standalone_replica_by_reference_and_by_literal_arn():
    found = by_address(FINDINGS, "DDB502")
    assert "aws_dynamodb_table_replica.by_reference" in found["aws_dynamodb_table.replicated_by_reference"][0].message
    assert "aws_dynamodb_table_replica.by_arn" in found["aws_dynamodb_table.replicated_by_arn"][0].message


def test_ddb502_silent_on_good_twin_unknown_stream_and_tables_without_replicas():
    assert flagged(FINDINGS, "DDB502") == {
        "aws_dynamodb_table.global_no_stream",
        "aws_dynamodb_table.global_new_image",
        "aws_dynamodb_table.replicated_by_reference",
        "aws_dynamodb_table.replicated_by_arn",
    }


# ---------------------------------------------------------------- DDB503
def test_ddb503_stream_changes_on_tables_with_replicas():
    assert flagged(CHANGES, "DDB503") == {
        "aws_dynamodb_table.global_off",
        "aws_dynamodb_table.global_view",
        "aws_dynamodb_table.gaining_replica",
        "aws_dynamodb_table.dropping_replicas",
        "aws_dynamodb_table.replicated_separately",
    }
    [off] = by_address(CHANGES, "DDB503")["aws_dynamodb_table.global_off"]
    assert off.path == "stream_enabled" and "from on (NEW_AND_OLD_IMAGES) to off" in off.message
    [view] = by_address(CHANGES, "DDB503")["aws_dynamodb_table.global_view"]
    assert view.path == "stream_view_type" and "to on (NEW_IMAGE) while it has replicas" in view.message


def test_ddb503_first_replicas_added_with_the_stream_change():
    [finding] = by_address(CHANGES, "DDB503")["aws_dynamodb_table.gaining_replica"]
    assert "adds its first replicas" in finding.message


def test_ddb503_silent_without_replicas_on_tags_only_and_on_unknown():
    found = flagged(CHANGES, "DDB503")
    assert not found & {
        "aws_dynamodb_table.plain_view",
        "aws_dynamodb_table.global_steady",
        "aws_dynamodb_table.global_later",
        "aws_dynamodb_table.stream_dropped",
    }


def test_ddb503_silent_on_create_plans():
    assert flagged(FINDINGS, "DDB503") == set()


# ---------------------------------------------------------------- DDB504
def test_ddb504_legacy_global_table_only():
    [finding] = by_address(FINDINGS, "DDB504")["aws_dynamodb_global_table.legacy"]
    assert "2017.11.29" in finding.message and "replica" in finding.message
    assert flagged(FINDINGS, "DDB504") == {"aws_dynamodb_global_table.legacy"}
    assert not flagged(FINDINGS, "DDB5") & {"aws_dynamodb_table.legacy_east", "aws_dynamodb_table.legacy_west"}


# ---------------------------------------------------------------- DDB505
def test_ddb505_duplicate_regions_merged_or_kept_by_the_plan():
    found = by_address(FINDINGS, "DDB505")
    for address in ("aws_dynamodb_table.duplicate_identical", "aws_dynamodb_table.duplicate_differing"):
        [finding] = found[address]
        assert finding.path == "replica.eu-west-1" and "2 replica blocks for eu-west-1" in finding.message


def test_ddb505_replica_in_the_providers_own_region_aliases_included():
    found = by_address(FINDINGS, "DDB505")
    [east] = found["aws_dynamodb_table.own_region"]
    [west] = found["aws_dynamodb_table.west_own_region"]  # provider aws.west: us-west-2
    assert east.path == "replica.us-east-1.region_name"
    assert west.path == "replica.us-west-2.region_name" and "us-east-1" not in west.message


def test_ddb505_silent_on_distinct_regions_and_unknown_region():
    assert flagged(FINDINGS, "DDB505") == {
        "aws_dynamodb_table.duplicate_identical",
        "aws_dynamodb_table.duplicate_differing",
        "aws_dynamodb_table.own_region",
        "aws_dynamodb_table.west_own_region",
    }


def test_ddb505_duplicates_in_values_without_configuration():
    # Input whose values keep both blocks (no set): a state cannot name the provider's region.
    doc = _state(
        (
            "aws_dynamodb_table",
            "t",
            {
                "name": "t",
                "replica": [
                    {"region_name": "eu-west-1"},
                    {"region_name": "eu-west-1", "point_in_time_recovery": True},
                    {"region_name": "us-east-1"},
                ],
            },
        )
    )
    [finding] = lint_doc(doc, ["DDB505"])
    assert finding.path == "replica.eu-west-1"


# ---------------------------------------------------------------- DDB506-DDB509
def test_ddb506_no_failure_destination_by_reference_and_by_literal_arn():
    found = by_address(FINDINGS, "DDB506")
    assert set(found) == {
        "aws_lambda_event_source_mapping.bare",
        "aws_lambda_event_source_mapping.by_literal_arn",
        "aws_lambda_event_source_mapping.age_bounded",
    }
    assert "table 'stream-on'" in found["aws_lambda_event_source_mapping.bare"][0].message
    assert "table 'stream-on'" in found["aws_lambda_event_source_mapping.by_literal_arn"][0].message
    assert "table 'elsewhere'" in found["aws_lambda_event_source_mapping.age_bounded"][0].message


def test_ddb507_unbounded_retries_unset_on_create_written_out_or_week_long_age():
    assert flagged(FINDINGS, "DDB507") == {
        "aws_lambda_event_source_mapping.bare",
        "aws_lambda_event_source_mapping.by_literal_arn",
        "aws_lambda_event_source_mapping.week_long_age",
    }


def test_ddb508_neither_bisect_nor_partial_batch_response():
    [finding] = by_address(FINDINGS, "DDB508")["aws_lambda_event_source_mapping.bare"]
    assert "bisect_batch_on_function_error = true" in finding.message
    assert "ReportBatchItemFailures" in finding.message
    assert flagged(FINDINGS, "DDB508") == {"aws_lambda_event_source_mapping.bare"}


def test_ddb509_batch_size_and_starting_position():
    found = by_address(FINDINGS, "DDB509")
    assert set(found) == {
        "aws_lambda_event_source_mapping.invalid_parameters",
        "aws_lambda_event_source_mapping.no_starting_position",
    }
    assert {f.path for f in found["aws_lambda_event_source_mapping.invalid_parameters"]} == {
        "batch_size",
        "starting_position",
    }
    [missing] = found["aws_lambda_event_source_mapping.no_starting_position"]  # batch_size = 0: provider default
    assert missing.path == "starting_position" and "no starting_position" in missing.message


def test_ddb509_parallelization_factor_out_of_range():
    # Hand-built: the provider's validation rejects parallelization_factor 20 at plan time.
    doc = _plan(
        (
            "aws_lambda_event_source_mapping",
            "m",
            {
                "event_source_arn": STREAM_ARN,
                "starting_position": "LATEST",
                "parallelization_factor": 20,
                "batch_size": 10000.0,
            },
        )
    )
    [finding] = lint_doc(doc, ["DDB509"])
    assert finding.path == "parallelization_factor" and "20" in finding.message


def test_ddb509_shows_every_digit_of_a_number_and_reads_numeric_text(tmp_path):
    # Numbers in messages are written out (12345678, not 1.23457e+07 as `:g` showed them); "40" in .tf is 40.
    found = lint_tf(
        tmp_path,
        """
resource "aws_dynamodb_table" "orders" {
  name             = "orders"
  hash_key         = "id"
  billing_mode     = "PAY_PER_REQUEST"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn       = aws_dynamodb_table.orders.stream_arn
  function_name          = "consumer"
  starting_position      = "LATEST"
  batch_size             = 12345678
  parallelization_factor = "40"
}
""",
        ["DDB509"],
    )
    messages = {f.path: f.message for f in found}
    assert "has batch_size 12345678: a DynamoDB stream accepts 1 to 10000" in messages["batch_size"]
    assert "has parallelization_factor 40: set 1 to 10" in messages["parallelization_factor"]


def test_stream_consumer_rules_silent_on_good_twin_and_on_values_known_only_after_apply():
    found = by_address(FINDINGS)
    assert "aws_lambda_event_source_mapping.hardened" not in found
    assert "aws_lambda_event_source_mapping.decided_later" not in found


def test_stream_consumer_rules_never_judge_kinesis_or_sqs_sources():
    found = by_address(FINDINGS)
    for name in ("kinesis", "kinesis_literal", "sqs"):
        assert f"aws_lambda_event_source_mapping.{name}" not in found


def test_stream_consumer_rules_on_a_state_with_aws_defaults_as_floats():
    # A state holds what AWS reports: -1 for both retry limits, numbers that may arrive as floats.
    doc = _state(
        (
            "aws_lambda_event_source_mapping",
            "m",
            {
                "event_source_arn": STREAM_ARN,
                "starting_position": "TRIM_HORIZON",
                "batch_size": 100.0,
                "parallelization_factor": 1.0,
                "maximum_retry_attempts": -1.0,
                "maximum_record_age_in_seconds": -1,
                "bisect_batch_on_function_error": False,
                "function_response_types": ["ReportBatchItemFailures"],
                "destination_config": [{"on_failure": [{"destination_arn": "arn:aws:sqs:us-east-1:123456789012:dlq"}]}],
            },
        )
    )
    findings = lint_doc(doc, ["DDB506", "DDB507", "DDB508", "DDB509"])
    assert [(f.rule_id, f.path) for f in findings] == [("DDB507", "maximum_retry_attempts")]

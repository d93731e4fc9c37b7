"""DDB701-DDB708 on the plan real terraform made of tests/tf/operations."""

import json

from helpers import by_address, flagged, lint_case, lint_doc, lint_tf

FINDINGS = lint_case("operations", select=["DDB7"])


def test_ddb701_tables_without_a_throttle_alarm():
    # watched: alarm by reference; watched_by_name: metric_query alarm by literal name;
    # decided_later: the alarm's metric is known only after apply.
    assert flagged(FINDINGS, "DDB701") == {"aws_dynamodb_table.unwatched", "aws_dynamodb_table.half_watched"}
    [finding] = by_address(FINDINGS, "DDB701")["aws_dynamodb_table.unwatched"]
    assert "'unwatched'" in finding.message and "ReadThrottleEvents" in finding.message


def test_ddb701_says_when_an_alarm_watches_a_metric_cloudwatch_never_publishes():
    [finding] = by_address(FINDINGS, "DDB701")["aws_dynamodb_table.half_watched"]
    assert "no working throttle alarm" in finding.message
    assert "'half-watched-throttled-requests'" in finding.message and "Operation" in finding.message


def test_ddb702_dynamodb_alarms_that_tell_nobody():
    found = by_address(FINDINGS, "DDB702")
    assert set(found) == {
        "aws_cloudwatch_metric_alarm.half_watched_capacity",
        "aws_cloudwatch_metric_alarm.muted",
        "aws_cloudwatch_metric_alarm.ok_only",
    }
    assert found["aws_cloudwatch_metric_alarm.muted"][0].path == "actions_enabled"
    assert "'half-watched-capacity'" in found["aws_cloudwatch_metric_alarm.half_watched_capacity"][0].message


def test_ddb702_silent_on_actions_known_later_and_other_namespaces():
    found = flagged(FINDINGS, "DDB702")
    assert not found & {"aws_cloudwatch_metric_alarm.actions_later", "aws_cloudwatch_metric_alarm.ec2_cpu"}


def test_ddb703_by_reference_and_literal_name_and_index_only_insights():
    # watched (reference) and watched_by_name (literal) have insights; half_watched only on its GSI;
    # decided_later's index_name is known only after apply.
    assert flagged(FINDINGS, "DDB703") == {"aws_dynamodb_table.unwatched", "aws_dynamodb_table.half_watched"}


def test_ddb704_no_tags_at_all_by_default():
    # On create, tags_all is known where the tags are; default_tags count; unknown tags are not judged.
    assert flagged(FINDINGS, "DDB704") == {"aws_dynamodb_table.unwatched", "aws_dax_cluster.single"}
    [finding] = by_address(FINDINGS, "DDB704")["aws_dax_cluster.single"]
    assert "'single'" in finding.message and finding.path == "tags"


def test_ddb704_required_tags_option():
    found = by_address(
        lint_case("operations", select=["DDB704"], options={"DDB704": {"required_tags": ["Team", "CostCenter"]}}),
        "DDB704",
    )
    assert set(found) == {
        "aws_dynamodb_table.unwatched",
        "aws_dax_cluster.single",  # no tags at all
        "aws_dynamodb_table.watched",
        "aws_dynamodb_table.half_watched",  # Team from default_tags
        "aws_dax_cluster.sized_later",
    }
    assert "lacks the required tag CostCenter" in found["aws_dynamodb_table.watched"][0].message
    assert "Team" not in found["aws_dynamodb_table.watched"][0].message


def _state(*resources):
    return {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {
            "root_module": {
                "resources": [
                    {"address": f"{t}.{n}", "mode": "managed", "type": t, "name": n, "values": v}
                    for t, n, v in resources
                ]
            }
        },
    }


def test_ddb704_in_a_state_tags_all_decides():
    # Hand-built state (`terraform show -json` of applied infrastructure; the fixtures here are plans):
    # tags_all holds the provider's default_tags even where tags is empty.
    state = _state(
        ("aws_dynamodb_table", "all_known", {"name": "a", "tags": {}, "tags_all": {"Team": "x"}}),
        ("aws_dynamodb_table", "bare", {"name": "c", "tags": None, "tags_all": {}}),
    )
    assert flagged(lint_doc(state, ["DDB704"]), "DDB704") == {"aws_dynamodb_table.bare"}


def test_ddb705_every_table_in_basic_and_advanced_selectors():
    found = by_address(FINDINGS, "DDB705")
    assert set(found) == {"aws_cloudtrail.all_tables", "aws_cloudtrail.all_tables_advanced"}
    assert found["aws_cloudtrail.all_tables"][0].path == "event_selector.0.data_resource"


def test_ddb706_every_item_is_a_note_that_says_seeding_is_fine():
    items = {
        f"aws_dynamodb_table_item.{n}"
        for n in (
            "seed",
            "missing_range_key",
            "wrong_key_type",
            "wrong_hash_key",
            "bad_values",
            "too_deep",
            "known_later",
            "other_table",
        )
    }
    assert flagged(FINDINGS, "DDB706") == items
    message = by_address(FINDINGS, "DDB706")["aws_dynamodb_table_item.seed"][0].message
    assert "fine for seeding dev tables" in message and "'watched'" in message


def test_ddb707_keys_by_reference_and_by_literal_table_name():
    found = by_address(FINDINGS, "DDB707")
    assert "range key attribute 'sk'" in found["aws_dynamodb_table_item.missing_range_key"][0].message
    wrong_type = found["aws_dynamodb_table_item.wrong_key_type"][0].message
    assert "of type S but table 'watched-by-name' declares N" in wrong_type
    assert "hash_key is 'user_id'" in found["aws_dynamodb_table_item.wrong_hash_key"][0].message


def test_ddb707_values_dynamodb_rejects_and_depth():
    found = by_address(FINDINGS, "DDB707")
    message = found["aws_dynamodb_table_item.bad_values"][0].message
    assert "'pk' is empty" in message and "'none'" in message and "'price'" in message and "1 more" in message
    assert "33 levels deep" in found["aws_dynamodb_table_item.too_deep"][0].message


def test_ddb707_silent_on_valid_unknown_and_tables_not_in_the_input():
    assert set(by_address(FINDINGS, "DDB707")) == {
        "aws_dynamodb_table_item.missing_range_key",
        "aws_dynamodb_table_item.wrong_key_type",
        "aws_dynamodb_table_item.wrong_hash_key",
        "aws_dynamodb_table_item.bad_values",
        "aws_dynamodb_table_item.too_deep",
    }


def _item(name, item, table="t"):
    return ("aws_dynamodb_table_item", name, {"table_name": table, "hash_key": "pk", "item": item})


def test_ddb707_untyped_json_and_oversized_items():
    # Hand-built: the aws provider rejects untyped JSON at plan time, and a 400 KB item would put
    # 400 KB into a committed plan.json.
    table = ("aws_dynamodb_table", "t", {"name": "t", "hash_key": "pk", "attribute": [{"name": "pk", "type": "S"}]})
    big = json.dumps({"pk": {"S": "x"}, "blob": {"S": "a" * (400 * 1024)}})
    under = json.dumps({"pk": {"S": "x"}, "blob": {"S": "a" * (399 * 1024)}})
    state = _state(
        table,
        _item("untyped", json.dumps({"pk": "x"})),
        _item("not_json", "{pk"),
        _item("big", big),
        _item("under", under),
    )
    found = by_address(lint_doc(state, ["DDB707"]), "DDB707")
    assert set(found) == {
        "aws_dynamodb_table_item.untyped",
        "aws_dynamodb_table_item.not_json",
        "aws_dynamodb_table_item.big",
    }
    assert "not a typed DynamoDB value" in found["aws_dynamodb_table_item.untyped"][0].message
    assert "400 KB" in found["aws_dynamodb_table_item.big"][0].message
    assert "aaaa" not in found["aws_dynamodb_table_item.big"][0].message  # values never printed


def test_ddb708_dax_below_three_nodes():
    assert flagged(FINDINGS, "DDB708") == {"aws_dax_cluster.single"}  # ha: 3; sized_later: unknown
    [finding] = by_address(FINDINGS, "DDB708")["aws_dax_cluster.single"]
    assert "1 node:" in finding.message and finding.path == "replication_factor"


def test_ddb708_reads_a_node_count_written_as_text(tmp_path):
    # "2" is the number 2 to Terraform, so to dynalint (.tf input used to be skipped); "three" cannot be judged.
    found = lint_tf(
        tmp_path,
        "".join(
            f"""
resource "aws_dax_cluster" "{name}" {{
  cluster_name       = "{name}"
  replication_factor = "{nodes}"
}}
"""
            for name, nodes in (("two", "2"), ("words", "three"))
        ),
        ["DDB708"],
    )
    assert flagged(found, "DDB708") == {"aws_dax_cluster.two"}
    assert "has 2 nodes:" in by_address(found, "DDB708")["aws_dax_cluster.two"][0].message

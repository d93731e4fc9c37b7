"""DDB101-DDB106 on plans real terraform made of tests/tf/durability and tests/tf/changes."""

from helpers import by_address, flagged, lint_case, lint_doc

DURABILITY = lint_case("durability", select=["DDB1"])
CHANGES = lint_case("changes", select=["DDB1"])


def test_ddb101_fires_on_missing_or_disabled_pitr():
    assert flagged(DURABILITY, "DDB101") == {"aws_dynamodb_table.unprotected", "aws_dynamodb_table.pitr_off"}


def test_ddb101_unset_block_on_create_is_pitr_off_not_unknown():
    # The provider shows the block as known-after-apply; the configuration leaves it out.
    [finding] = by_address(DURABILITY, "DDB101")["aws_dynamodb_table.unprotected"]
    assert finding.path == "point_in_time_recovery"
    assert "'unprotected'" in finding.message and "enabled = true" in finding.message


def test_ddb101_and_ddb103_silent_when_known_only_after_apply():
    assert "aws_dynamodb_table.decided_later" not in by_address(DURABILITY)


def test_ddb101_silent_on_good_twin():
    assert "aws_dynamodb_table.protected" not in by_address(DURABILITY)


def test_ddb102_replica_block_without_pitr():
    [finding] = by_address(DURABILITY, "DDB102")["aws_dynamodb_table.global"]
    assert "eu-west-1" in finding.message  # not us-west-2 (PITR on) nor ap-south-1 (unknown)


def test_ddb102_standalone_replica_by_reference_and_by_literal_arn():
    found = flagged(DURABILITY, "DDB102")
    assert {"aws_dynamodb_table_replica.by_reference", "aws_dynamodb_table_replica.by_arn"} <= found
    assert "aws_dynamodb_table_replica.with_pitr" not in found
    assert "aws_dynamodb_table_replica.of_unprotected" not in found  # DDB101 reports its table


def test_ddb103_fires_only_without_deletion_protection():
    assert flagged(DURABILITY, "DDB103") == {"aws_dynamodb_table.unprotected"}


def test_ddb104_names_the_deleted_table_and_why():
    [finding] = by_address(CHANGES, "DDB104")["aws_dynamodb_table.sessions"]
    assert "'sessions'" in finding.message
    assert "removed from the configuration" in finding.message
    assert "Deletion protection is on" in finding.message


def test_ddb105_says_what_forces_the_replacement():
    [finding] = by_address(CHANGES, "DDB105")["aws_dynamodb_table.users"]
    assert "range_key changes from 'ts' to 'sk'" in finding.message
    assert flagged(CHANGES, "DDB105") == {"aws_dynamodb_table.users"}


def test_ddb106_protection_and_pitr_turned_off():
    messages = [f.message for f in by_address(CHANGES, "DDB106")["aws_dynamodb_table.orders"]]
    assert len(messages) == 2
    assert any("deletion protection off" in m for m in messages)
    assert any("point-in-time recovery off" in m for m in messages)


def test_change_rules_silent_on_a_tags_only_update():
    assert "aws_dynamodb_table.steady" not in by_address(CHANGES)


def _table_change(actions, before, after, replace_paths=None):
    # Hand-built: a plan from Terraform 0.13 (no replace_paths) cannot be made with terraform 1.11.
    change = {"actions": actions, "before": before, "after": after, "after_unknown": {}}
    if replace_paths is not None:
        change["replace_paths"] = replace_paths
    return {
        "format_version": "0.1",
        "resource_changes": [
            {
                "address": "aws_dynamodb_table.t",
                "mode": "managed",
                "type": "aws_dynamodb_table",
                "name": "t",
                "change": change,
            }
        ],
    }


def test_ddb105_without_replace_paths_compares_force_new_arguments():
    doc = _table_change(["delete", "create"], {"name": "t", "hash_key": "id"}, {"name": "t", "hash_key": "pk"})
    [finding] = by_address(lint_doc(doc, ["DDB105"]), "DDB105")["aws_dynamodb_table.t"]
    assert "hash_key changes from 'id' to 'pk'" in finding.message


def test_change_rules_silent_on_state_input():
    state = {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_dynamodb_table.t",
                        "mode": "managed",
                        "type": "aws_dynamodb_table",
                        "name": "t",
                        "values": {
                            "name": "t",
                            "deletion_protection_enabled": True,
                            "point_in_time_recovery": [{"enabled": True}],
                        },
                    }
                ]
            }
        },
    }
    assert lint_doc(state, ["DDB104", "DDB105", "DDB106"]) == []

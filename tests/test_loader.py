"""The plan/state loader: every real plan in the corpus, encodings, unknown vs unset, modules, references."""

import json
import subprocess
import sys

import pytest

from dynalint.errors import InputError
from dynalint.load import load_bytes, load_input
from dynalint.model import SENSITIVE, UNKNOWN
from helpers import SAMPLES, SHARED, TF_CASES, case_plan, flagged, lint_model, load_case

CORPUS = sorted((SHARED / "corpus" / "plans").glob("*.json"))
needs_corpus = pytest.mark.skipif(not CORPUS, reason="../shared/corpus is not next to this checkout")


@needs_corpus
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_corpus_file_loads(path):
    model = load_input(str(path))
    assert model.input_kind in ("plan", "state")
    doc = json.loads(path.read_bytes().decode("utf-16" if path.read_bytes()[:2] == b"\xff\xfe" else "utf-8-sig"))
    if model.input_kind == "plan" and doc.get("resource_changes"):
        managed = [r for r in doc["resource_changes"] if r.get("mode") == "managed"]
        assert len(model.resources) == len(managed)


@needs_corpus
def test_utf16_and_bom_copies_load_like_the_original():
    plans = SHARED / "corpus" / "plans"
    original = load_input(str(plans / "jamesgladden93-png-cgep-app-starter__plan-tf1156-cmk.json"))
    for name in ("reencoded__plan-tf1156-cmk-utf16le-bom.json", "reencoded__plan-tf1156-cmk-utf8-bom.json"):
        copy = load_input(str(plans / name))
        assert [r.address for r in copy.resources] == [r.address for r in original.resources]
        assert [r.values for r in copy.resources] == [r.values for r in original.resources]


def test_utf16_without_bom_loads():
    data = case_plan("durability").read_bytes().decode("utf-8").encode("utf-16-le")
    assert len(load_bytes(data, "plan.json").resources) == 10


def test_unset_block_on_create_is_absent_and_configured_unknown_stays_unknown():
    tables = {r.name: r for r in load_case("durability").resources if r.type == "aws_dynamodb_table"}
    # no point_in_time_recovery block in the configuration: the plan says unknown, we say absent
    assert tables["unprotected"].values.get("point_in_time_recovery") is None
    # enabled = local.known_later: set, but known only after apply
    assert tables["decided_later"].values["point_in_time_recovery"][0]["enabled"] is UNKNOWN
    assert tables["decided_later"].values["deletion_protection_enabled"] is UNKNOWN


def test_module_variable_that_resolves_to_null_is_unset():
    model = load_case("changes")
    orders = next(r for r in model.resources if r.address == "aws_dynamodb_table.orders")
    assert orders.values["server_side_encryption"][0]["kms_key_arn"].startswith("arn:aws:kms:")


def test_module_instances_keep_their_keys_and_resolve_references():
    model = load_input(str(SAMPLES / "mixed" / "plan.json"))
    addresses = {r.address for r in model.resources}
    assert 'module.tables["users"].aws_dynamodb_table.this' in addresses
    assert 'module.tables["users"].aws_cloudwatch_metric_alarm.throttles[1]' in addresses
    target = next(
        r for r in model.resources if r.address == 'module.tables["users"].aws_appautoscaling_target.this["read"]'
    )
    assert ("resource_id", 'module.tables["users"].aws_dynamodb_table.this') in target.references
    table = next(r for r in model.resources if r.address == 'module.tables["users"].aws_dynamodb_table.this')
    # kms_key_arn = var.kms_key_arn in the module, aws_kms_key.tables.arn in the call
    assert ("server_side_encryption.kms_key_arn", "aws_kms_key.tables") in table.references
    policy = next(r for r in model.resources if r.address == "aws_iam_policy.tables_rw")
    # module.tables[*].table_arn: the output's references, in every instance
    assert {t for _, t in policy.references} >= {
        f'module.tables["{k}"].aws_dynamodb_table.this' for k in ("users", "orders", "carts")
    }


def test_region_from_provider_configuration():
    model = load_case("durability")
    assert {r.region for r in model.resources} == {"us-east-1"}


def test_changes_keep_before_and_replace_paths():
    model = load_case("changes")
    users = next(r for r in model.resources if r.address == "aws_dynamodb_table.users")
    assert users.change.is_replace and users.change.replace_paths == (("range_key",),)
    assert users.change.before["range_key"] == "ts"
    sessions = next(r for r in model.resources if r.address == "aws_dynamodb_table.sessions")
    assert sessions.deleted and sessions.change.action_reason == "delete_because_no_resource_config"


def test_sensitive_values_are_masked_and_remembered():
    model = load_case("sensitive")
    table = next(r for r in model.resources if r.type == "aws_dynamodb_table")
    assert table.values["name"] is SENSITIVE and table.values["tags"]["Owner"] is SENSITIVE
    item = next(r for r in model.resources if r.type == "aws_dynamodb_table_item")
    assert item.values["item"] is SENSITIVE
    assert "CANARY-7f3a9c-do-not-print" in model.secrets
    assert "CANARY" not in repr([r.values for r in model.resources])


def test_data_sources_are_kept_apart():
    doc = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": "data.aws_caller_identity.me",
                "mode": "data",
                "type": "aws_caller_identity",
                "name": "me",
                "change": {"actions": ["read"], "before": None, "after": {"account_id": "1"}, "after_unknown": {}},
            },
            {
                "address": "aws_sqs_queue.q",
                "mode": "managed",
                "type": "aws_sqs_queue",
                "name": "q",
                "change": {"actions": ["create"], "before": None, "after": {"name": "q"}, "after_unknown": {}},
            },
        ],
    }
    model = load_bytes(json.dumps(doc).encode(), "plan.json")
    assert [r.address for r in model.resources] == ["aws_sqs_queue.q"]
    assert [r.address for r in model.data_sources] == ["data.aws_caller_identity.me"]


@pytest.mark.parametrize(
    "data, says",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"{not json", "invalid JSON"),
        (b'{"format_version": "1.2", "planned_values": {', "truncated"),
        (b"[1, 2]", "an array"),
        (b"42", "a number"),
        (b"{}", "empty object"),
        (b'{"version": 4, "lineage": "x", "resources": []}', "terraform show -json"),
        (b'{"kind": "Deployment", "spec": {}}', "not those of a Terraform plan"),
        (b"\xff\xfe\xff\xfe\x00\xd8", "not valid"),
        (b"PK\x03\x04binary", "binary plan"),
    ],
)
def test_bad_input_is_one_clear_error(data, says, monkeypatch):
    monkeypatch.setenv("PATH", "")  # a binary plan without terraform on PATH: say what to run
    with pytest.raises(InputError) as raised:
        load_bytes(data, "input.json")
    message = str(raised.value)
    assert says in message and "\n" not in message and message.startswith("input.json")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_input(str(tmp_path / "nope.json"))


def test_plan_locations_point_at_each_address():
    path = case_plan("durability")
    model = load_input(str(path))
    text = path.read_text()
    for resource in model.resources:
        source = model.plan_locator[resource.address]
        line = text.splitlines()[source.start_line - 1]
        assert line[source.start_column - 1 :].startswith(f'"address":"{resource.address}"')


def test_values_that_look_like_an_address_do_not_move_its_location():
    # tests/tf/forged_address: a variable and another table's tags hold "address": "aws_dynamodb_table.orders"
    # before the orders entry; the location is the entry the parser read, found by its place, not by a search.
    path = case_plan("forged_address")
    model = load_input(str(path))
    text = path.read_text()
    assert text.count('"address":"aws_dynamodb_table.orders"') > 1  # the decoys are there
    source = model.plan_locator["aws_dynamodb_table.orders"]
    assert source.start_line == 1
    entry = text[source.start_column - 2 :]
    assert entry.startswith('{"address":"aws_dynamodb_table.orders","mode":"managed"')
    assert text.index('"resource_changes":[') < source.start_column - 2 < text.index('"configuration":')


@pytest.mark.parametrize("layout", [{"sort_keys": True}, {"indent": "\t", "sort_keys": True}])
def test_entries_whose_address_is_not_their_first_key_are_located_at_it(tmp_path, layout):
    # other tools rewrite plans: with sorted keys, "action_reason" comes before "address"
    doc = json.loads(case_plan("changes").read_text())
    assert any("action_reason" in entry for entry in doc["resource_changes"])
    (tmp_path / "plan.json").write_text(json.dumps(doc, **layout))
    model = load_input(str(tmp_path / "plan.json"))
    lines = (tmp_path / "plan.json").read_text().splitlines()
    for resource in model.resources:
        source = model.plan_locator[resource.address]
        assert lines[source.start_line - 1][source.start_column - 1 :].startswith(
            f'"address": {json.dumps(resource.address)}'
        )


def test_state_locations_point_at_each_address():
    path = TF_CASES / "realworld" / "state.json"
    model = load_input(str(path))
    text = path.read_text()
    assert model.input_kind == "state" and model.resources
    for resource in model.resources:
        source = model.plan_locator[resource.address]
        line = text.splitlines()[source.start_line - 1]
        assert line[source.start_column - 1 :].startswith(f'"address":{json.dumps(resource.address)}')


def test_pretty_printed_plan_locations_have_lines(tmp_path):
    pretty = tmp_path / "plan.json"
    pretty.write_text(json.dumps(json.loads(case_plan("durability").read_text()), indent=2))
    model = load_input(str(pretty))
    lines = {s.start_line for s in model.plan_locator.values()}
    assert len(lines) == len(model.resources) and min(lines) > 1


LOADER = {r.address: r for r in load_case("loader").resources}


def test_dynamic_block_with_unknown_for_each_stays_unknown():
    mapping = LOADER["aws_lambda_event_source_mapping.dynamic_destination"]
    assert mapping.values["destination_config"] is UNKNOWN
    # an Optional+Computed block left out of the configuration is the AWS default
    assert mapping.values.get("amazon_managed_kafka_event_source_config") is None


def test_index_blocks_match_their_configuration_by_name():
    indexes = {g["name"]: g for g in LOADER["aws_dynamodb_table.two_indexes"].values["global_secondary_index"]}
    assert indexes["by-a"]["read_capacity"] == 5
    assert indexes["by-b"]["read_capacity"] is None  # computed by the provider, not written


def test_module_variable_left_at_null_default_is_not_configured():
    sse = LOADER["module.child.aws_dynamodb_table.this"].values["server_side_encryption"][0]
    assert sse["enabled"] is True and sse["kms_key_arn"] is None


def test_default_tags_from_an_expression_are_unknown():
    table = LOADER["aws_dynamodb_table.tagged_by_provider"]
    assert table.default_tags is UNKNOWN
    assert LOADER["aws_dynamodb_table.two_indexes"].default_tags is None
    flagged_tables = flagged(lint_model(load_case("loader"), ["DDB704"]), "DDB704")
    assert "aws_dynamodb_table.two_indexes" in flagged_tables
    assert "aws_dynamodb_table.tagged_by_provider" not in flagged_tables


def test_linting_a_plan_does_not_load_openssl(tmp_path):
    """hashlib loads OpenSSL: 4 MB of memory, a quarter of a 16 MB plan. A run on a plan has no use for it:
    fingerprints hash with CPython's own SHA-256 (a plan beside its .tf files is another matter: the .tf
    evaluator has Terraform's hash functions)."""
    plan = tmp_path / "plan.json"
    plan.write_bytes((SAMPLES / "mixed" / "plan.json").read_bytes())
    code = (
        "import os, sys\n"
        "from dynalint.cli import main\n"
        "try:\n"
        f"    main([{str(plan)!r}, '-f', 'sarif', '-o', os.devnull, '--no-config'])\n"
        "except SystemExit as exit:\n"
        "    print(exit.code, 'hashlib' in sys.modules, '_hashlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.stdout.split() == ["1", "False", "False"], out.stderr


def test_fingerprints_are_sha256_with_or_without_cpythons_own(monkeypatch):
    import hashlib
    import importlib

    from dynalint import model

    cases = [("DDB101", "aws_dynamodb_table.t", None), ("DDB2", 'module.a["ü"].x.y[0]', "attribute[0].name")]
    expected = [hashlib.sha256(f"{r}\x00{a}\x00{p or ''}".encode()).hexdigest()[:32] for r, a, p in cases]
    assert [model.fingerprint(*case) for case in cases] == expected
    model._sha256.cache_clear()
    monkeypatch.setattr(importlib, "import_module", lambda name: (_ for _ in ()).throw(ImportError(name)))
    try:
        assert [model.fingerprint(*case) for case in cases] == expected
        assert model._sha256() is hashlib.sha256
    finally:
        model._sha256.cache_clear()

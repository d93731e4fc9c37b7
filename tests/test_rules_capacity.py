"""DDB401-DDB411 on plans real terraform made of tests/tf/capacity, capacity_changes and capacity_lifecycle."""

import pytest

from dynalint.load import load_inputs
from helpers import ROOT, TF_CASES, by_address, flagged, lint_case, lint_doc, lint_model, lint_tf, load_case

FINDINGS = lint_case("capacity", select=["DDB4"])
CHANGES = lint_case("capacity_changes", select=["DDB4"])


def _messages(findings, rule_id, address):
    return [f.message for f in by_address(findings, rule_id).get(address, [])]


def _plan(*resources):
    """A plan of created resources: (type, name, after, after_unknown, configuration expressions)."""
    changes, blocks = [], []
    for type_, name, after, unknown, expressions in resources:
        head = {"address": f"{type_}.{name}", "mode": "managed", "type": type_, "name": name}
        changes.append(
            {**head, "change": {"actions": ["create"], "before": None, "after": after, "after_unknown": unknown}}
        )
        blocks.append({**head, "expressions": expressions})
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": blocks}},
    }


def _constants(values):
    return {k: {"constant_value": v} for k, v in values.items() if v is not None}


# ---------------------------------------------------------------- DDB401
def test_ddb401_names_the_dimensions_that_do_not_scale():
    assert flagged(FINDINGS, "DDB401") == {
        "aws_dynamodb_table.fixed",
        "aws_dynamodb_table.default_mode",
        'module.service["journal"].aws_dynamodb_table.this',
        "aws_dynamodb_table.gsi_without_capacity",
        "aws_dynamodb_table.gsi_slow_writes",
        "aws_dynamodb_table.huge",
        "aws_dynamodb_table.scaled_eu",
    }
    [fixed] = _messages(FINDINGS, "DDB401", "aws_dynamodb_table.fixed")
    assert "read or write capacity" in fixed and "dynamodb:table:ReadCapacityUnits and " in fixed
    [journal] = _messages(FINDINGS, "DDB401", 'module.service["journal"].aws_dynamodb_table.this')
    assert "on write capacity" in journal and "ReadCapacityUnits" not in journal


def test_ddb401_unset_billing_mode_is_provisioned_and_a_target_without_policy_does_not_scale():
    # default_mode: reads scale by literal target + literal policy; the write target (by reference) has no policy.
    [message] = _messages(FINDINGS, "DDB401", "aws_dynamodb_table.default_mode")
    assert "write capacity target has no scaling policy" in message
    assert "read" not in message.split(":")[0]


def test_ddb401_silent_when_scaled_by_reference_literal_module_count_schedule_or_elsewhere():
    found = flagged(FINDINGS, "DDB401")
    assert not found & {
        "aws_dynamodb_table.scaled",
        "aws_dynamodb_table.bounds",
        "aws_dynamodb_table.scheduled",
        'module.service["ledger"].aws_dynamodb_table.this',
        "aws_dynamodb_table.gsi_unscaled",
        "aws_dynamodb_table.scaled_elsewhere",
        "aws_dynamodb_table.index_later",
    }


def test_ddb401_literal_target_in_another_region_does_not_count():
    # "table/scaled" targets live in us-east-1; the eu-west-1 table of the same name does not scale.
    assert "aws_dynamodb_table.scaled_eu" in flagged(FINDINGS, "DDB401")


def test_ddb401_silent_on_on_demand_and_unknown_billing_mode():
    found = flagged(FINDINGS, "DDB401")
    assert not found & {
        "aws_dynamodb_table.on_demand",
        "aws_dynamodb_table.on_demand_gsi_capacity",
        "aws_dynamodb_table.mode_later",
    }


def test_ddb401_policy_that_copies_its_target_values_scales_the_target():
    # Hand-built: in a plan a policy's copied values are known; .tf input leaves them unknown, with the references.
    table = {"name": "t", "billing_mode": "PROVISIONED", "read_capacity": 5, "write_capacity": 5}
    resources = [("aws_dynamodb_table", "t", table, {}, _constants(table))]
    for unit in ("Read", "Write"):
        target = {
            "service_namespace": "dynamodb",
            "resource_id": "table/t",
            "scalable_dimension": f"dynamodb:table:{unit}CapacityUnits",
            "min_capacity": 5,
            "max_capacity": 50,
        }
        copied = ("service_namespace", "resource_id", "scalable_dimension")
        policy = {"name": unit, "policy_type": "StepScaling", **{k: None for k in copied}}
        refs = {
            k: {"references": [f"aws_appautoscaling_target.{unit}.{k}", f"aws_appautoscaling_target.{unit}"]}
            for k in copied
        }
        resources += [
            ("aws_appautoscaling_target", unit, target, {}, _constants(target)),
            ("aws_appautoscaling_policy", unit, policy, {k: True for k in copied}, {**_constants(policy), **refs}),
        ]
    assert flagged(lint_doc(_plan(*resources), ["DDB401"]), "DDB401") == set()
    without_policies = [r for r in resources if r[0] != "aws_appautoscaling_policy"]
    assert flagged(lint_doc(_plan(*without_policies), ["DDB401"]), "DDB401") == {"aws_dynamodb_table.t"}


def test_ddb401_literal_match_in_a_state():
    def target(name, table, unit):
        return {
            "address": f"aws_appautoscaling_target.{name}",
            "mode": "managed",
            "type": "aws_appautoscaling_target",
            "name": name,
            "values": {
                "service_namespace": "dynamodb",
                "resource_id": f"table/{table}",
                "scalable_dimension": f"dynamodb:table:{unit}CapacityUnits",
                "min_capacity": 5,
                "max_capacity": 50,
            },
        }

    def policy(name, table, unit):
        return {
            "address": f"aws_appautoscaling_policy.{name}",
            "mode": "managed",
            "type": "aws_appautoscaling_policy",
            "name": name,
            "values": {
                "service_namespace": "dynamodb",
                "resource_id": f"table/{table}",
                "scalable_dimension": f"dynamodb:table:{unit}CapacityUnits",
                "policy_type": "StepScaling",
            },
        }

    def table(name):
        return {
            "address": f"aws_dynamodb_table.{name}",
            "mode": "managed",
            "type": "aws_dynamodb_table",
            "name": name,
            "values": {"name": name, "billing_mode": "PROVISIONED", "read_capacity": 5, "write_capacity": 5},
        }

    state = {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {
            "root_module": {
                "resources": [
                    table("a"),
                    table("b"),
                    target("ar", "a", "Read"),
                    target("aw", "a", "Write"),
                    policy("ar", "a", "Read"),
                    policy("aw", "a", "Write"),
                    target("br", "b", "Read"),
                    policy("bw", "b", "Write"),
                ]
            }
        },
    }
    findings = lint_doc(state, ["DDB401"])
    assert flagged(findings, "DDB401") == {"aws_dynamodb_table.b"}
    [message] = _messages(findings, "DDB401", "aws_dynamodb_table.b")
    assert "read capacity target has no scaling policy" in message  # writes scale: a policy, target elsewhere


# ---------------------------------------------------------------- DDB402
def test_ddb402_each_gsi_that_does_not_scale_with_its_table():
    found = by_address(FINDINGS, "DDB402")
    assert set(found) == {"aws_dynamodb_table.gsi_unscaled", "aws_dynamodb_table.index_later"}
    paths = {f.path: f.message for f in found["aws_dynamodb_table.gsi_unscaled"]}
    assert set(paths) == {"global_secondary_index.by_status", "global_secondary_index.by_day"}
    assert "index:ReadCapacityUnits" in paths["global_secondary_index.by_status"]
    assert "WriteCapacityUnits" not in paths["global_secondary_index.by_status"]  # its write target is literal
    assert "table/gsi-unscaled/index/by_day" in paths["global_secondary_index.by_day"]


def test_ddb402_index_target_known_after_apply_leaves_that_dimension_undecided():
    [finding] = by_address(FINDINGS, "DDB402")["aws_dynamodb_table.index_later"]
    assert "ReadCapacityUnits" in finding.message and "WriteCapacityUnits" not in finding.message


def test_ddb402_silent_when_table_does_not_scale_or_gsis_scale():
    found = flagged(FINDINGS, "DDB402")
    assert not found & {
        "aws_dynamodb_table.scaled",
        "aws_dynamodb_table.bounds",
        "aws_dynamodb_table.gsi_without_capacity",
        "aws_dynamodb_table.on_demand_gsi_capacity",
    }


# ---------------------------------------------------------------- DDB403
def test_ddb403_gsi_capacity_written_on_an_on_demand_table():
    found = by_address(FINDINGS, "DDB403")["aws_dynamodb_table.on_demand_gsi_capacity"]
    # by_kind's capacity is computed by the provider (the plan shows it as unknown): not the author's doing.
    assert {f.path for f in found} == {
        "global_secondary_index.by_tag.read_capacity",
        "global_secondary_index.by_tag.write_capacity",
    }


def test_ddb403_silent_on_provider_computed_capacity():
    # on_demand: GSI capacity unset on create; capacity_changes: values a switch from provisioned leaves in state.
    assert "aws_dynamodb_table.on_demand" not in flagged(FINDINGS, "DDB403")
    assert not flagged(CHANGES, "DDB403") & {
        "aws_dynamodb_table.to_on_demand",
        "aws_dynamodb_table.default_to_on_demand",
    }


def test_ddb403_autoscaling_target_on_an_on_demand_table_by_reference_and_literal():
    assert flagged(FINDINGS, "DDB403") - {"aws_dynamodb_table.on_demand_gsi_capacity"} == {
        "aws_appautoscaling_target.on_demand_read",
        "aws_appautoscaling_target.on_demand_index_write",
    }
    assert flagged(CHANGES, "DDB403") == {"aws_appautoscaling_target.to_on_demand_read"}
    assert "aws_appautoscaling_target.mode_later_read" not in flagged(FINDINGS, "DDB403")


def test_ddb403_table_capacity_on_an_on_demand_table():
    # Hand-built: the provider rejects read/write capacity on a PAY_PER_REQUEST table at plan time,
    # so only .tf input can hold it.
    table = {"name": "t", "billing_mode": "PAY_PER_REQUEST", "read_capacity": 5, "write_capacity": 0}
    doc = _plan(("aws_dynamodb_table", "t", table, {}, _constants(table)))
    [finding] = lint_doc(doc, ["DDB403"])
    assert finding.path == "read_capacity" and "'t'" in finding.message


# ---------------------------------------------------------------- DDB404
def test_ddb404_gsi_without_or_with_zero_capacity():
    found = by_address(FINDINGS, "DDB404")
    assert set(found) == {"aws_dynamodb_table.gsi_without_capacity"}
    # by_bare: unset, and the loader shows it unknown because by_full sets it; by_later: unknown, silent.
    assert {f.path for f in found["aws_dynamodb_table.gsi_without_capacity"]} == {
        "global_secondary_index.by_bare.read_capacity",
        "global_secondary_index.by_bare.write_capacity",
        "global_secondary_index.by_zero.read_capacity",
    }


def test_ddb404_table_without_capacity():
    # Hand-built: the provider rejects a provisioned table without capacity at plan time
    # ("read_capacity must be at least 1"); .tf input holds it as written, billing_mode unset.
    table = {"name": "t", "billing_mode": None, "read_capacity": None, "write_capacity": 0}
    doc = _plan(("aws_dynamodb_table", "t", table, {}, _constants(table)))
    found = lint_doc(doc, ["DDB404"])
    assert {f.path for f in found} == {"read_capacity", "write_capacity"}
    assert any("has no read_capacity" in f.message for f in found)


def test_ddb404_capacity_written_as_no_number_is_not_judged_and_numeric_text_is_a_number(tmp_path):
    # .tf input holds what is written. Terraform converts "0" and "1e1" to numbers; "five" and true it refuses
    # to plan: dynalint cannot judge them (before, this rule read them as absent: "has no read_capacity").
    text = "".join(
        f"""
resource "aws_dynamodb_table" "{name}" {{
  name           = "{name}"
  hash_key       = "id"
  read_capacity  = {read}
  write_capacity = {write}
  attribute {{
    name = "id"
    type = "S"
  }}
}}
"""
        for name, read, write in (("words", '"five"', "true"), ("text", '"0"', '"1e1"'))
    )
    found = by_address(lint_tf(tmp_path, text, ["DDB404"]), "DDB404")
    assert "aws_dynamodb_table.words" not in found
    [zero] = found["aws_dynamodb_table.text"]
    assert zero.path == "read_capacity" and "has read_capacity = 0:" in zero.message


def test_ddb404_silent_on_on_demand_and_unknown_billing_mode():
    assert flagged(FINDINGS, "DDB404") & {"aws_dynamodb_table.on_demand", "aws_dynamodb_table.mode_later"} == set()


# ---------------------------------------------------------------- DDB405
def test_ddb405_target_bounds():
    found = by_address(FINDINGS, "DDB405")
    assert [f.path for f in found["aws_appautoscaling_target.bounds_read"]] == ["min_capacity"]
    assert "above max_capacity" in found["aws_appautoscaling_target.bounds_write"][0].message
    assert "50000" in found["aws_appautoscaling_target.bounds_index_read"][0].message


def test_ddb405_target_value_outside_20_to_90():
    found = by_address(FINDINGS, "DDB405")
    assert "95" in found["aws_appautoscaling_policy.bounds_read"][0].message
    assert "fraction" in found["aws_appautoscaling_policy.bounds_write"][0].message


def test_ddb405_silent_on_good_unknown_and_non_dynamodb():
    found = flagged(FINDINGS, "DDB405")
    assert found == {
        "aws_appautoscaling_target.bounds_read",
        "aws_appautoscaling_target.bounds_write",
        "aws_appautoscaling_target.bounds_index_read",
        "aws_appautoscaling_policy.bounds_read",
        "aws_appautoscaling_policy.bounds_write",
    }  # not ecs, not the known-after-apply twins


def test_ddb405_quota_option():
    relaxed = lint_case("capacity", select=["DDB405"], options={"DDB405": {"max_table_capacity": 80000}})
    assert "aws_appautoscaling_target.bounds_index_read" not in flagged(relaxed, "DDB405")


def test_ddb405_numbers_written_as_strings():
    # Hand-built: .tf input may hold numbers as quoted strings; a plan always holds numbers.
    target = {
        "service_namespace": "dynamodb",
        "resource_id": "table/t",
        "scalable_dimension": "dynamodb:table:ReadCapacityUnits",
        "min_capacity": "0",
        "max_capacity": "10.0",
    }
    doc = _plan(("aws_appautoscaling_target", "t", target, {}, _constants(target)))
    assert [f.path for f in lint_doc(doc, ["DDB405"])] == ["min_capacity"]


# ---------------------------------------------------------------- DDB406
def test_ddb406_metric_of_the_other_dimension_by_reference_and_literal():
    found = by_address(FINDINGS, "DDB406")
    assert set(found) == {
        "aws_appautoscaling_policy.bounds_index_write",
        "aws_appautoscaling_policy.default_mode_read_swapped",
    }
    assert (
        'predefined_metric_type = "DynamoDBWriteCapacityUtilization"'
        in found["aws_appautoscaling_policy.bounds_index_write"][0].message
    )


def test_ddb406_dimension_taken_from_the_target_when_the_policy_copies_it():
    # Hand-built: in a plan the copied dimension is known; .tf input leaves it unknown with the reference kept.
    target = {
        "service_namespace": "dynamodb",
        "resource_id": "table/t",
        "scalable_dimension": "dynamodb:table:WriteCapacityUnits",
        "min_capacity": 5,
        "max_capacity": 10,
    }
    policy = {
        "name": "p",
        "policy_type": "TargetTrackingScaling",
        "service_namespace": "dynamodb",
        "resource_id": "table/t",
        "scalable_dimension": None,
        "target_tracking_scaling_policy_configuration": [
            {
                "target_value": 70,
                "predefined_metric_specification": [{"predefined_metric_type": "DynamoDBReadCapacityUtilization"}],
            }
        ],
    }
    ref = {"references": ["aws_appautoscaling_target.t.scalable_dimension", "aws_appautoscaling_target.t"]}
    written = _constants({k: v for k, v in policy.items() if k != "target_tracking_scaling_policy_configuration"})
    doc = _plan(
        ("aws_appautoscaling_target", "t", target, {}, _constants(target)),
        (
            "aws_appautoscaling_policy",
            "p",
            policy,
            {"scalable_dimension": True},
            {**written, "scalable_dimension": ref},
        ),
    )
    [finding] = lint_doc(doc, ["DDB406"])
    assert finding.address == "aws_appautoscaling_policy.p" and "WriteCapacityUnits" in finding.message


# ---------------------------------------------------------------- DDB407
def test_ddb407_inverted_cooldowns():
    found = by_address(FINDINGS, "DDB407")
    assert set(found) == {"aws_appautoscaling_policy.scaled_index_read"}  # not ecs, unset or unknown ones
    assert {f.path.rsplit(".", 1)[1] for f in found["aws_appautoscaling_policy.scaled_index_read"]} == {
        "scale_out_cooldown",
        "scale_in_cooldown",
    }


def test_ddb407_options():
    relaxed = lint_case(
        "capacity", select=["DDB407"], options={"DDB407": {"max_scale_out_cooldown": 300, "min_scale_in_cooldown": 60}}
    )
    assert flagged(relaxed, "DDB407") == set()


# ---------------------------------------------------------------- DDB408
def test_ddb408_billing_mode_switched_either_way():
    found = by_address(CHANGES, "DDB408")
    assert set(found) == {
        "aws_dynamodb_table.to_on_demand",
        "aws_dynamodb_table.to_provisioned",
        "aws_dynamodb_table.default_to_on_demand",
    }
    assert "from PROVISIONED to PAY_PER_REQUEST" in found["aws_dynamodb_table.default_to_on_demand"][0].message
    assert "from PAY_PER_REQUEST to PROVISIONED" in found["aws_dynamodb_table.to_provisioned"][0].message


def test_ddb408_silent_on_tags_only_unknown_and_replacement():
    assert not flagged(CHANGES, "DDB408") & {
        "aws_dynamodb_table.steady",
        "aws_dynamodb_table.decided_later",
        "aws_dynamodb_table.renamed",
    }


# ---------------------------------------------------------------- DDB409 / DDB410
def test_ddb409_gsi_write_capacity_below_table():
    found = by_address(FINDINGS, "DDB409")
    assert set(found) == {"aws_dynamodb_table.gsi_slow_writes"}
    [finding] = found["aws_dynamodb_table.gsi_slow_writes"]  # not by_even, not by_later (unknown)
    assert finding.path == "global_secondary_index.by_slow.write_capacity"


def test_ddb410_capacity_above_quota_and_option():
    found = by_address(FINDINGS, "DDB410")
    assert {f.path for f in found["aws_dynamodb_table.huge"]} == {
        "read_capacity",
        "global_secondary_index.by_huge.write_capacity",
    }  # 40,000 itself is allowed
    assert set(found) == {"aws_dynamodb_table.huge"}
    relaxed = lint_case("capacity", select=["DDB410"], options={"DDB410": {"max_table_capacity": 60000}})
    assert flagged(relaxed, "DDB410") == set()


# ---------------------------------------------------------------- DDB411
LIFECYCLE = TF_CASES / "capacity_lifecycle"
DDB411_FLAGGED = {
    "aws_dynamodb_table.no_lifecycle",
    "aws_dynamodb_table.partly_ignored",
    "aws_dynamodb_table.other_lifecycle",
    "aws_dynamodb_table.gsi_not_ignored",
}


@pytest.fixture(params=["tf", "plan beside its tf"])
def ddb411(request, monkeypatch):
    monkeypatch.chdir(ROOT)
    target = LIFECYCLE if request.param == "tf" else LIFECYCLE / "plan.json"
    [model] = load_inputs([str(target.relative_to(ROOT))])
    return by_address(lint_model(model, ["DDB411"]), "DDB411")


def test_ddb411_autoscaled_capacity_without_ignore_changes(ddb411):
    # silent twins: ignored (both listed), all_ignored (= all), gsi_ignored (global_secondary_index listed)
    assert set(ddb411) == DDB411_FLAGGED
    [partly] = ddb411["aws_dynamodb_table.partly_ignored"]
    assert "does not ignore changes to write_capacity:" in partly.message
    assert "`lifecycle { ignore_changes = [read_capacity, write_capacity] }`" in partly.message
    [gsi] = ddb411["aws_dynamodb_table.gsi_not_ignored"]
    assert "GSI 'by_customer'" in gsi.message and "to global_secondary_index:" in gsi.message


def test_ddb411_locates_the_lifecycle_block_or_where_it_is_missing(ddb411):
    """A later --fix edits what the location names: ignore_changes, the lifecycle block, or the resource."""
    lines = (LIFECYCLE / "main.tf").read_text().splitlines()

    def at(address):
        [finding] = ddb411[address]
        source = finding.source
        return source.path, lines[source.start_line - 1][source.start_column - 1 if source.start_column else 0 :]

    assert at("aws_dynamodb_table.partly_ignored") == ("lifecycle.ignore_changes", "ignore_changes = [read_capacity]")
    assert at("aws_dynamodb_table.other_lifecycle") == ("lifecycle", "lifecycle {")
    assert at("aws_dynamodb_table.no_lifecycle") == (None, 'resource "aws_dynamodb_table" "no_lifecycle" {')


def test_ddb411_silent_on_fixed_capacity_unknown_billing_mode_and_a_plan_without_its_tf():
    found = flagged(lint_model(load_inputs([str(LIFECYCLE)])[0], ["DDB411"]), "DDB411")
    assert not found & {"aws_dynamodb_table.fixed", "aws_dynamodb_table.mode_later"}
    alone = load_case("capacity_lifecycle")  # the plan JSON carries no lifecycle
    assert {r.lifecycle for r in alone.resources} == {None}
    assert not flagged(lint_model(alone, ["DDB411"]), "DDB411")


def test_ddb411_reads_the_lifecycle_of_the_module_block(tmp_path):
    module = tmp_path / "modules" / "table"
    module.mkdir(parents=True)
    text = (LIFECYCLE / "main.tf").read_text()  # the partly_ignored table and its autoscaling, in a module
    start, end = text.index("# DDB411 (write)"), text.index("# DDB411: a lifecycle block")
    (module / "main.tf").write_text(text[start:end])
    (tmp_path / "main.tf").write_text('module "table" {\n  source = "./modules/table"\n}\n')
    [finding] = [f for f in lint_model(load_inputs([str(tmp_path)])[0], ["DDB411"])]
    assert finding.address == "module.table.aws_dynamodb_table.partly_ignored"
    assert finding.source.file.endswith("modules/table/main.tf") and finding.source.path == "lifecycle.ignore_changes"

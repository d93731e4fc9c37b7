""".tf input (dynalint.load.hcl): tests/hcl/app linted from source and from the plan real terraform made of it.

The tree holds a root module and a local module called with for_each, variables
with defaults and terraform.tfvars, locals, count, dynamic blocks, heredoc and
jsonencode policies and dynalint:ignore comments. Both inputs must give the
same findings at the same .tf lines; the differences are named below.
"""

import functools
import json
import os

import pytest
from click.testing import CliRunner

from dynalint.cli import main
from dynalint.load import load_inputs
from dynalint.model import SENSITIVE, UNKNOWN
from helpers import ROOT, lint_model, lint_tf, validate_sarif

APP = "tests/hcl/app"

# Findings only the .tf input has, and why. Table 'legacy' names its key through
# local.legacy_key_arn: the .tf input follows the local to aws_kms_key.legacy,
# while a plan's configuration records only "local.legacy_key_arn" (Terraform
# does not write locals into it) and the key's ARN is unknown until apply, so
# neither a reference nor a literal match ties the key to the table there.
ONLY_IN_TF = {("DDB203", "aws_kms_key.legacy"), ("DDB204", "aws_kms_key.legacy")}


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@functools.cache
def _load(path: str):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        [model] = load_inputs([path])
        return model, lint_model(model)
    finally:
        os.chdir(cwd)


def tree():
    return _load(APP)


def plan():
    return _load(f"{APP}/plan.json")


def resources(model):
    return {r.address: r for r in model.resources}


def located(findings):
    """What a reviewer sees of each finding: rule, resource, attribute, .tf file and line, suppression."""
    return {
        (
            f.rule_id,
            f.address,
            f.path,
            f.source.file,
            f.source.start_line,
            f.source.kind,
            f.suppression.justification if f.suppression else None,
        )
        for f in findings
    }


def _line(file: str, number: int) -> str:
    return (ROOT / file).read_text().splitlines()[number - 1]


# ---------------------------------------------------------------- the same findings from both inputs
def test_tree_and_plan_give_the_same_findings_at_the_same_tf_lines():
    from_tf, from_plan = located(tree()[1]), located(plan()[1])
    only_tf = {(f[0], f[1]) for f in from_tf - from_plan}
    assert only_tf == ONLY_IN_TF
    assert from_plan <= from_tf
    assert len(from_plan) > 20


def test_every_finding_points_at_its_block_or_comment_in_the_tf_files():
    for model, findings in (tree(), plan()):
        assert findings
        for f in findings:
            block = f.resource_location
            assert block.kind == "tf" and block.file.startswith(f"{APP}/"), f
            text = _line(block.file, block.start_line)
            if f.rule_id.startswith("DL"):
                assert "dynalint:ignore" in text
            else:
                resource = resources(model)[f.address]
                assert text.startswith(f'resource "{resource.type}" "{resource.name}"'), (f, text)
            # the finding's own place: its block, or the part of its path the source writes
            assert f.source.kind == "tf" and f.source.file.startswith(f"{APP}/"), f
            assert f.source == block or (f.path or "").startswith(f.source.path), f


def test_module_instances_point_at_the_module_file():
    [finding] = [f for f in plan()[1] if f.rule_id == "DDB101" and "sessions" in f.address]
    assert finding.source.file == f"{APP}/modules/table/main.tf"
    assert finding.suppression.justification == "sessions are rebuilt from the identity provider after a restore"


# ---------------------------------------------------------------- values
def test_values_from_tfvars_defaults_locals_and_module_outputs():
    tf = resources(tree()[0])
    assert tf["aws_kms_key.tables"].values["deletion_window_in_days"] == 30  # terraform.tfvars over the default 7
    assert tf["aws_kms_key.tables"].values["description"] == "DynamoDB tables of prod-app"  # a local of a var
    assert tf['module.tables["orders"].aws_dynamodb_table.this'].values["name"] == "prod-orders"
    assert tf["aws_appautoscaling_target.orders_read"].values["resource_id"] == "table/prod-orders"  # module output
    assert tf['aws_dynamodb_contributor_insights.tables["sessions"]'].values["table_name"] == "prod-sessions"


def test_instances_of_for_each_count_and_dynamic_blocks_match_the_plan():
    tf, pl = resources(tree()[0]), resources(plan()[0])
    assert set(tf) == set(pl)
    assert tf["aws_dynamodb_table.audit[0]"].index == 0
    assert (
        tf['module.tables["orders"].aws_cloudwatch_metric_alarm.throttles["WriteThrottleEvents"]'].index
        == "WriteThrottleEvents"
    )
    for address in (
        'module.tables["orders"].aws_dynamodb_table.this',
        'module.tables["sessions"].aws_dynamodb_table.this',
    ):
        # the range key's attribute comes from a dynamic block only where there is a range key
        assert sorted(a["name"] for a in tf[address].values["attribute"]) == sorted(
            a["name"] for a in pl[address].values["attribute"]
        )
    assert tf["aws_dynamodb_table.events"].values["replica"] == [{"region_name": "eu-west-1"}]
    assert "lifecycle" not in tf["aws_dynamodb_table.events"].values


def test_jsonencode_heredoc_and_policy_document_policies_are_the_strings_terraform_makes():
    tf, pl = resources(tree()[0]), resources(plan()[0])
    for address in (
        "aws_iam_policy.tables_admin",
        "aws_dynamodb_resource_policy.audit[0]",
        "aws_dynamodb_resource_policy.events",
    ):
        assert tf[address].values["policy"] == pl[address].values["policy"]
        assert json.loads(tf[address].values["policy"])["Statement"]


def test_unknown_stays_unknown_and_unset_is_absent_as_in_the_plan():
    tf, pl = resources(tree()[0]), resources(plan()[0])
    for model in (tf, pl):
        assert model["aws_dynamodb_table.decided_later"].values["deletion_protection_enabled"] is UNKNOWN
        assert model["aws_dynamodb_table.events"].values["server_side_encryption"][0]["kms_key_arn"] is UNKNOWN
        assert model["aws_dynamodb_table.audit[0]"].values.get("point_in_time_recovery") is None
        assert model["aws_dynamodb_table.audit[0]"].values.get("server_side_encryption") is None
    assert tf["aws_dynamodb_table.audit[0]"].values.get("arn") is None  # computed, not configured: absent
    assert tf["aws_dynamodb_resource_policy.events"].values["resource_arn"] is UNKNOWN


def test_override_files_merge_into_the_block_they_override():
    tf, pl = resources(tree()[0]), resources(plan()[0])
    west = tf["aws_dynamodb_table.west"]
    assert west.values["point_in_time_recovery"] == [{"enabled": False}]
    assert pl["aws_dynamodb_table.west"].values["point_in_time_recovery"][0]["enabled"] is False
    assert west.values["tags"] == pl["aws_dynamodb_table.west"].values["tags"] == {"Team": "west"}
    assert west.values["deletion_protection_enabled"] is True  # kept from main.tf
    assert west.source.file == f"{APP}/main.tf"  # findings point at the block in main.tf


def test_configured_trees_are_built_like_the_plans():
    tf, pl = resources(tree()[0]), resources(plan()[0])
    for address in ("aws_dynamodb_table.audit[0]", "aws_dynamodb_table.west", "aws_iam_policy.tables_admin"):
        assert tf[address].configured == pl[address].configured
    # a dynamic block: Terraform leaves it out of the plan's configuration; from .tf its content is there
    assert "replica" not in pl["aws_dynamodb_table.events"].configured
    assert list(tf["aws_dynamodb_table.events"].configured["replica"][0]) == ["region_name"]


def test_provider_region_alias_and_default_tags():
    tf, pl = resources(tree()[0]), resources(plan()[0])
    assert tf["aws_dynamodb_table.west"].region == pl["aws_dynamodb_table.west"].region == "us-west-2"
    assert tf["aws_dynamodb_table.events"].region == pl["aws_dynamodb_table.events"].region == "us-east-1"
    assert tf['module.tables["orders"].aws_dynamodb_table.this'].region == "us-east-1"  # inherited by the module
    assert tf["aws_dynamodb_table.events"].default_tags == {"ManagedBy": "terraform", "Environment": "prod"}
    assert tf["aws_dynamodb_table.west"].default_tags is None  # the aliased provider has none


def test_references_resolve_to_full_addresses_as_in_the_plan():
    tf, pl = resources(tree()[0]), resources(plan()[0])
    target = "aws_appautoscaling_target.orders_read"
    assert ("resource_id", 'module.tables["orders"].aws_dynamodb_table.this') in tf[target].references
    for address in (
        target,
        'module.tables["sessions"].aws_dynamodb_table.this',
        "aws_dynamodb_table.events",
        'aws_dynamodb_contributor_insights.tables["orders"]',
    ):
        assert set(pl[address].references) <= set(tf[address].references)
    # through var.kms_key_arn of the module call, to the root's key
    assert ("server_side_encryption.kms_key_arn", "aws_kms_key.tables") in tf[
        'module.tables["orders"].aws_dynamodb_table.this'
    ].references
    # through a local: the .tf input only (see ONLY_IN_TF)
    assert ("server_side_encryption.kms_key_arn", "aws_kms_key.legacy") in tf["aws_dynamodb_table.legacy"].references
    assert ("server_side_encryption.kms_key_arn", "aws_kms_key.legacy") not in pl[
        "aws_dynamodb_table.legacy"
    ].references


def test_graph_rule_by_reference_and_by_literal_value():
    tf = tree()[1]
    assert any(f.rule_id == "DDB403" and f.address == "aws_appautoscaling_target.orders_read" for f in tf)
    literal = {a: r for a, r in resources(tree()[0]).items()}["aws_appautoscaling_target.orders_read"]
    assert literal.values["resource_id"] == "table/prod-orders"  # the Link matches this too


# ---------------------------------------------------------------- the command line
def run(*args, **kwargs):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


def sarif_locations(doc):
    out = set()
    for result in doc["runs"][0]["results"]:
        physical = result["locations"][0]["physicalLocation"]
        out.add(
            (
                result["ruleId"],
                result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
                physical["artifactLocation"]["uri"],
                physical["region"]["startLine"],
                json.dumps(result.get("suppressions")),
            )
        )
    return out


def test_sarif_from_tree_and_plan_is_valid_and_points_at_the_same_tf_lines():
    docs = []
    for path in (APP, f"{APP}/plan.json"):
        result = run(path, "-f", "sarif")
        assert result.exit_code == 1, result.output
        doc = json.loads(result.stdout)
        validate_sarif(doc)
        docs.append(doc)
        for r in doc["runs"][0]["results"]:
            location = r["locations"][0]["physicalLocation"]
            assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
            assert location["artifactLocation"]["uri"].startswith(f"{APP}/") and location["artifactLocation"][
                "uri"
            ].endswith(".tf")
            assert "primaryLocationLineHash" not in r["partialFingerprints"]  # upload-sarif computes it for .tf
    from_tf, from_plan = (sarif_locations(d) for d in docs)
    assert {(r[0], r[1]) for r in from_tf - from_plan} == ONLY_IN_TF
    suppressed = [r for r in docs[0]["runs"][0]["results"] if "suppressions" in r]
    assert {(r["ruleId"], r["properties"]["address"]) for r in suppressed} == {
        ("DDB101", "aws_dynamodb_table.audit[0]"),
        ("DDB103", "aws_dynamodb_table.audit[0]"),
        ("DDB103", "aws_dynamodb_table.legacy"),
        ("DDB101", 'module.tables["sessions"].aws_dynamodb_table.this'),
    }
    for r in suppressed:
        assert r["suppressions"][0]["kind"] == "inSource" and r["suppressions"][0]["justification"]
    rule_ids = [r["id"] for r in docs[0]["runs"][0]["tool"]["driver"]["rules"]]
    assert {"DL001", "DL002", "DL003"} <= set(rule_ids)


def test_text_prints_file_and_line_and_hides_suppressed_findings():
    shown = run(APP).output
    assert f"aws_dynamodb_table.events  {APP}/main.tf:" in shown
    assert "(4 suppressed)" in shown and "[suppressed]" not in shown
    assert "[suppressed]" in run(APP, "--show-suppressed").output


def test_plan_with_source_dir_elsewhere(tmp_path):
    copy = tmp_path / "plan.json"
    copy.write_bytes((ROOT / APP / "plan.json").read_bytes())
    located_there = json.loads(run(str(copy), "-f", "json", "--source-dir", APP, "--show-suppressed").output)[
        "findings"
    ]
    assert {f["resource_location"]["file"] for f in located_there} == {f"{APP}/main.tf", f"{APP}/modules/table/main.tf"}
    assert {f["location"]["file"] for f in located_there} == {
        f"{APP}/main.tf",
        f"{APP}/modules/table/main.tf",
        f"{APP}/west_override.tf",
    }
    alone = json.loads(run(str(copy), "-f", "json").output)["findings"]  # no .tf beside it, none in the cwd
    assert {f["location"]["kind"] for f in alone} == {"plan"}


def test_precommit_file_list_is_grouped_by_directory():
    """pre-commit passes changed files: the module's file is linted as part of the root that calls it."""
    result = run(
        f"{APP}/main.tf", f"{APP}/modules/table/main.tf", f"{APP}/variables.tf", "-f", "json", "--show-suppressed"
    )
    doc = json.loads(result.output)
    assert [i["file"] for i in doc["inputs"]] == [APP]
    assert {(f["rule_id"], f["address"]) for f in doc["findings"]} == {(f.rule_id, f.address) for f in tree()[1]}


def test_module_file_alone_is_linted_as_its_own_root():
    doc = json.loads(run(f"{APP}/modules/table/main.tf", "-f", "json").output)
    assert [i["file"] for i in doc["inputs"]] == [f"{APP}/modules/table"]
    assert any(
        "no value for variable(s) alarm_topic_arn, hash_key, kms_key_arn, name" in w
        for w in doc["inputs"][0]["warnings"]
    )


def test_var_file_overrides_tfvars(tmp_path):
    staging = tmp_path / "staging.tfvars"
    staging.write_text('environment = "staging"\nreplica_regions = ["eu-west-1", "ap-south-1"]\n')
    doc = json.loads(run(APP, "--var-file", str(staging), "-f", "json").output)
    messages = " ".join(f["message"] for f in doc["findings"])
    assert "'staging-app-events'" in messages and "ap-south-1" in messages and "'prod-" not in messages
    missing = run(APP, "--var-file", str(tmp_path / "nope.tfvars"))
    assert missing.exit_code == 2 and "no such variables file" in missing.output


def test_directory_without_tf_files_lints_the_roots_below_it(tmp_path):
    (tmp_path / "envs" / "prod").mkdir(parents=True)
    (tmp_path / "envs" / "prod" / "main.tf").write_text(_TABLE)
    (tmp_path / "envs" / "prod" / "modules").mkdir()
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "main.tf").write_text("this is not read {")
    doc = json.loads(run(str(tmp_path), "-f", "json").output)
    assert [i["file"] for i in doc["inputs"]] == [f"{tmp_path}/envs/prod"]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(str(empty))
    assert result.exit_code == 2 and "no .tf files" in result.output


_TABLE = """resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
"""


# ---------------------------------------------------------------- bad input: exit 2, one line, no traceback
@pytest.mark.parametrize(
    "text, where, words",
    [
        ('resource "aws_dynamodb_table" "t" {\n  name = \n}\n', "main.tf:2:", "expected an expression"),
        ('resource "aws_dynamodb_table" "t" {\n  name = "t"\n', "main.tf:3:", "unexpected end of file"),
        (
            'resource "aws_dynamodb_table" "t" {\n  name = "t" @\n}\n',
            "main.tf:2:",
            "unexpected '@'; expected an operator or the end of the line",
        ),
        ('variable "x" {\n  default = <<EOT\nno end\n', "main.tf:2:", "HCL syntax error"),
        ('locals {\n  a = "no end\n}\n', "main.tf:2:", "a quoted string is not closed"),
        (
            'resource "aws_dynamodb_table" "t" {\n  ttl {\n    enabled = true\n    enabled = false\n  }\n}\n',
            "main.tf:4:",
            'attribute "enabled" is defined twice in this block (first at line 3)',
        ),
        ("locals {\n  a = 1\n}\nlocals {\n  a = 2\n}\n", "main.tf:5:", 'local value "a" is defined twice'),
    ],
)
def test_syntax_error_exits_2_with_file_line_and_the_parser_message(tmp_path, monkeypatch, text, where, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(text)
    result = CliRunner().invoke(main, ["."])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"dynalint: error: {where}") and words in lines[0], lines
    assert "Traceback" not in result.output


def test_duplicate_resource_and_unreadable_file_exit_2(tmp_path):
    (tmp_path / "a.tf").write_text(_TABLE)
    (tmp_path / "b.tf").write_text(_TABLE)
    result = run(str(tmp_path))
    assert result.exit_code == 2 and 'duplicate resource "aws_dynamodb_table" "t"' in result.output
    assert f"{tmp_path}/b.tf:1" in result.output and f"{tmp_path}/a.tf:1" in result.output
    (tmp_path / "b.tf").unlink()
    (tmp_path / "c.tf").write_bytes(b"# \xff\xfe not utf-8\n")
    result = run(str(tmp_path))
    assert result.exit_code == 2 and "not UTF-8" in result.output


def test_symlink_loops_and_module_cycles_do_not_hang(tmp_path):
    infra = tmp_path / "repo" / "infra"
    infra.mkdir(parents=True)
    (infra / "main.tf").write_text(_TABLE)
    (infra / "loop").symlink_to(infra, target_is_directory=True)
    (infra / "x.tf").symlink_to(infra / "y.tf")
    (infra / "y.tf").symlink_to(infra / "x.tf")
    assert json.loads(run(str(infra), "-f", "json").output)["inputs"][0]["resources"] == 1
    walked = json.loads(run(str(tmp_path / "repo"), "-f", "json").output)["inputs"]  # links are not followed
    assert [i["file"] for i in walked] == [f"{infra}"]
    (infra / "mod.tf").write_text('module "again" {\n  source = "./loop"\n}\n')
    result = run(str(infra))
    assert result.exit_code == 2 and "module cycle" in result.output and "mod.tf:1" in result.output


def test_count_or_for_each_not_known_from_source_lints_the_block_once(tmp_path):
    (tmp_path / "main.tf").write_text("""
resource "aws_sqs_queue" "q" {
  name = "q"
}
resource "aws_dynamodb_table" "per_queue" {
  count    = length(aws_sqs_queue.q.arn) > 0 ? 2 : 0
  name     = "t-${count.index}"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
resource "aws_dynamodb_table" "per_key" {
  for_each = { for k in [aws_sqs_queue.q.arn] : k => k }
  name     = each.key
  hash_key = "pk"
}
""")
    [model] = load_inputs([str(tmp_path)])
    tables = {r.address: r for r in model.resources if r.type == "aws_dynamodb_table"}
    assert set(tables) == {"aws_dynamodb_table.per_queue", "aws_dynamodb_table.per_key"}
    assert tables["aws_dynamodb_table.per_queue"].values["name"] is UNKNOWN
    assert tables["aws_dynamodb_table.per_queue"].index is None
    found = {(f.rule_id, f.address) for f in lint_model(model)}
    assert ("DDB101", "aws_dynamodb_table.per_queue") in found  # what does not depend on the index is judged


def test_sensitive_variables_never_reach_a_report():
    case = "tests/tf/sensitive"
    [model] = load_inputs([case])
    table = next(r for r in model.resources if r.type == "aws_dynamodb_table")
    assert table.values["name"] is SENSITIVE and table.values["tags"]["Owner"] is SENSITIVE
    for fmt in ("text", "json", "sarif"):
        result = run(case, "-f", fmt)
        assert result.exit_code == 1 and "CANARY" not in result.output


def test_tf_json_files_are_reported_as_not_read(tmp_path):
    (tmp_path / "main.tf").write_text(_TABLE)
    (tmp_path / "extra.tf.json").write_text("{}")
    [model] = load_inputs([str(tmp_path)])
    assert any("*.tf.json files are not read" in w for w in model.warnings)


def test_modules_from_a_registry_are_noted_as_not_linted(tmp_path):
    (tmp_path / "main.tf").write_text(
        _TABLE + 'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\n'
    )
    [model] = load_inputs([str(tmp_path)])
    assert [r.address for r in model.resources] == ["aws_dynamodb_table.t"]
    [note] = [w for w in model.warnings if "module" in w]
    assert note.startswith(f'{tmp_path}/main.tf:9: module "vpc" comes from terraform-aws-modules/vpc/aws')


def test_providers_through_module_calls_and_what_refers_to_itself(tmp_path):
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(
        'variable "name" {}\n'
        + _TABLE.replace('"t"\n', "var.name\n", 1)
        + 'output "name" {\n  value = aws_dynamodb_table.t.name\n}\n'
    )
    (tmp_path / "main.tf").write_text("""
provider "aws" {
  region = "eu-central-1"
}
provider "aws" {
  alias  = "east"
  region = local.east
}
locals {
  east  = "us-east-1"
  a     = local.b
  b     = local.a
  names = module.many[*].name
}
module "many" {
  source    = "./mod"
  count     = 2
  name      = "many-${count.index}"
  providers = { aws = aws.east }
}
module "keyed" {
  source   = "./mod"
  for_each = toset(["x", "y"])
  name     = "keyed-${each.key}"
}
resource "aws_dynamodb_table" "root" {
  name     = aws_dynamodb_table.root.arn
  hash_key = local.a
  tags     = { names = join(",", local.names), x = module.keyed["x"].name }
}
""")
    [model] = load_inputs([str(tmp_path)])
    found = resources(model)
    assert found["module.many[1].aws_dynamodb_table.t"].region == "us-east-1"  # passed aws.east
    assert found['module.keyed["y"].aws_dynamodb_table.t'].region == "eu-central-1"  # inherits the default
    root = found["aws_dynamodb_table.root"].values
    assert root["tags"] == {"names": "many-0,many-1", "x": "keyed-x"}
    assert root["name"] is UNKNOWN and root["hash_key"] is UNKNOWN  # a cycle Terraform would refuse


FOR_EACH_OVER_TABLES = """
locals {
  tables = { %s }
}
resource "aws_dynamodb_table" "t" {
  for_each       = local.tables
  name           = each.key
  billing_mode   = each.value
  read_capacity  = each.value == "PROVISIONED" ? 5 : null
  write_capacity = each.value == "PROVISIONED" ? 5 : null
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
resource "aws_appautoscaling_target" "read" {
  for_each           = aws_dynamodb_table.t
  resource_id        = "table/${each.value.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  service_namespace  = "dynamodb"
  min_capacity       = 5
  max_capacity       = 100
}
"""


def test_an_instance_of_a_for_each_over_a_resource_refers_to_the_instance_of_its_own_key(tmp_path):
    # each.value is aws_dynamodb_table.t[each.key]: the target made of "orders" scales table orders alone (it was
    # tied to every table of the map, and reported as scaling the on-demand table of another entry)
    text = FOR_EACH_OVER_TABLES % 'orders = "PROVISIONED", events = "PAY_PER_REQUEST"'
    found = lint_tf(tmp_path, text, ["DDB403"])
    [on_demand] = found.of("DDB403")
    assert on_demand.address == 'aws_appautoscaling_target.read["events"]' and "table 'events'" in on_demand.message
    [model] = load_inputs([str(tmp_path)])
    targets = {r.address: r.references for r in model.resources if r.type == "aws_appautoscaling_target"}
    assert targets == {
        'aws_appautoscaling_target.read["orders"]': (("resource_id", 'aws_dynamodb_table.t["orders"]'),),
        'aws_appautoscaling_target.read["events"]': (("resource_id", 'aws_dynamodb_table.t["events"]'),),
    }


def test_an_instance_key_outside_ascii_or_with_a_quote_is_written_as_the_instance_address_writes_it(tmp_path):
    # the reference to the entry's own table carries its key as addresses do (not \u escaped): else it names none
    text = FOR_EACH_OVER_TABLES % '"caf\u00e9" = "PROVISIONED", "a\\"b" = "PAY_PER_REQUEST"'
    (tmp_path / "main.tf").write_text(text)
    [model] = load_inputs([str(tmp_path)])
    targets = {r.address: r.references for r in model.resources if r.type == "aws_appautoscaling_target"}
    assert targets == {
        'aws_appautoscaling_target.read["caf\u00e9"]': (("resource_id", 'aws_dynamodb_table.t["caf\u00e9"]'),),
        'aws_appautoscaling_target.read["a\\"b"]': (("resource_id", 'aws_dynamodb_table.t["a\\"b"]'),),
    }


def test_locating_the_findings_of_many_instances_evaluates_their_for_each_once(tmp_path, monkeypatch):
    # a for_each over a thousand tables was evaluated again for each instance a finding was placed on
    from dynalint.load.hcl.evaluator import Evaluator

    calls = []
    expand = Evaluator._expand
    monkeypatch.setattr(Evaluator, "_expand", lambda self, *a: calls.append(1) or expand(self, *a))
    tables = ", ".join(f't{i:03} = "PROVISIONED"' for i in range(40))
    (tmp_path / "main.tf").write_text(FOR_EACH_OVER_TABLES % tables)
    result = CliRunner().invoke(main, [str(tmp_path), "--no-config", "-f", "sarif", "--select", "DDB401"])
    assert result.exit_code == 0 and result.output.count('"ruleId":"DDB401"') == 40  # warnings: a finding each
    assert len(calls) < 10  # the tree's blocks expanded, then each block once for locating: not once per finding


def test_fixes_for_many_instances_of_one_block_read_the_model_once_per_block(tmp_path, monkeypatch):
    # SARIF's fix proposals ask which instances a change to a block reaches: once per block, not once per finding
    import types

    from dynalint.address import module_path
    from dynalint.fix import run as fix_run

    calls = []
    monkeypatch.setattr(fix_run, "addr", types.SimpleNamespace(module_path=lambda m: calls.append(m) or module_path(m)))
    tables = ", ".join(f't{i:03} = "PROVISIONED"' for i in range(40))
    (tmp_path / "main.tf").write_text(FOR_EACH_OVER_TABLES % tables)
    result = CliRunner().invoke(main, [str(tmp_path), "--no-config", "-f", "sarif", "--select", "DDB101"])
    assert result.exit_code == 1 and result.output.count('"ruleId":"DDB101"') == 40
    assert result.output.count('"fixes":[') == 40  # each finding has its proposal
    assert len(calls) <= 80  # the model's 80 resources read once for the block, not 40 times


def _tables_with_tags(count: int) -> str:
    return "".join(
        f'resource "aws_dynamodb_table" "t{i}" {{\n  name         = "t{i}"\n  billing_mode = "PAY_PER_REQUEST"\n'
        f'  hash_key     = "pk"\n  attribute {{\n    name = "pk"\n    type = "S"\n  }}\n  tags = {{ Env = "prod" }}\n}}\n'
        for i in range(count)
    )


def test_fix_proposals_for_many_blocks_of_one_file_walk_its_tree_once(tmp_path, monkeypatch):
    # each proposal that adds a block asked where the file puts blank lines by walking the whole tree: 2,000
    # tables in one file took 386 s in SARIF
    from lark import Tree

    walks = []
    find_data = Tree.find_data
    monkeypatch.setattr(Tree, "find_data", lambda self, name: walks.append(name) or find_data(self, name))
    (tmp_path / "main.tf").write_text(_tables_with_tags(40))
    result = CliRunner().invoke(main, [str(tmp_path), "--no-config", "-f", "sarif", "--select", "DDB101"])
    assert result.exit_code == 1 and result.output.count('"fixes":[') == 40  # each adds point_in_time_recovery
    assert walks.count("body") == 1  # once for the file, not once per proposal


def test_a_local_is_looked_up_without_reading_every_local_again(tmp_path, monkeypatch):
    # each reference to a local rebuilt the map of all of them: 2,000 locals took 5.5 s
    from dynalint.load.hcl import module_tree

    reads = []
    attributes = module_tree._attributes
    monkeypatch.setattr(module_tree, "_attributes", lambda body: reads.append(body) or attributes(body))
    names = "".join(f'  l{i} = "v{i}"\n' for i in range(200))
    uses = _tables_with_tags(20).replace('tags = { Env = "prod" }', "tags = { A = local.l7 }")
    (tmp_path / "main.tf").write_text("locals {\n" + names + "}\n" + uses)
    [model] = load_inputs([str(tmp_path)])
    assert [r.values["tags"] for r in model.resources] == [{"A": "v7"}] * 20
    locals_bodies = {id(b) for b in reads if "l7" in str(b)}
    assert sum(1 for b in reads if id(b) in locals_bodies) == 1


def test_findings_on_many_nested_blocks_choose_among_them_once(tmp_path, monkeypatch):
    # a finding on one of a table's GSIs compared it with every GSI of the table: 2,000 GSIs took 13 s
    from dynalint.load.hcl.locate import PathLocator

    made = []
    candidate = PathLocator._candidate
    monkeypatch.setattr(PathLocator, "_candidate", lambda self, b, s: made.append(1) or candidate(self, b, s))
    attributes = "".join(f'  attribute {{\n    name = "a{i}"\n    type = "S"\n  }}\n' for i in range(60))
    indexes = "".join(
        f'  global_secondary_index {{\n    name            = "g{i}"\n    hash_key        = "a{i}"\n'
        '    projection_type = "ALL"\n  }\n'
        for i in range(60)
    )
    text = (
        'resource "aws_dynamodb_table" "t" {\n  name         = "t"\n  billing_mode = "PAY_PER_REQUEST"\n'
        '  hash_key     = "pk"\n  attribute {\n    name = "pk"\n    type = "S"\n  }\n' + attributes + indexes + "}\n"
    )
    (tmp_path / "main.tf").write_text(text)
    result = CliRunner().invoke(main, [str(tmp_path), "--no-config", "-f", "json", "--select", "DDB3"])
    located = [f for f in json.loads(result.output)["findings"] if "global_secondary_index.g" in (f["path"] or "")]
    assert len(located) >= 60 and all(f["location"]["line"] > 8 for f in located)
    assert len(made) <= 61 * 2  # each block made a candidate once (per list of blocks), not once per finding


def test_fix_proposals_for_a_directory_of_many_files_list_it_once(tmp_path, monkeypatch):
    # each proposal looked for override files by listing the directory: 1,000 files of a table each, 8 s
    from dynalint.fix import resolve

    listed = []
    tf_files = resolve.tf_files
    monkeypatch.setattr(resolve, "tf_files", lambda d: listed.append(d) or tf_files(d))
    for i, block in enumerate(_tables_with_tags(30).split('resource "')[1:]):
        (tmp_path / f"t{i}.tf").write_text('resource "' + block)
    result = CliRunner().invoke(main, [str(tmp_path), "--no-config", "-f", "sarif", "--select", "DDB101"])
    assert result.exit_code == 1 and result.output.count('"fixes":[') == 30
    assert len(listed) == 1


def test_fix_proposals_for_many_blocks_lay_out_each_block_and_read_the_model_once(tmp_path, monkeypatch):
    # each block's layout scanned the comments of the whole file, and each block's instances were looked for
    # among every resource: 2,000 tables and alarms in one file took 14 s
    from dynalint.fix import run as fix_run
    from dynalint.fix.source import SourceFile

    sorted_once, indexed = [], []
    between = SourceFile.__dict__["_between_blocks"].func
    counted = functools.cached_property(lambda self: sorted_once.append(1) or between(self))
    counted.__set_name__(SourceFile, "_between_blocks")
    monkeypatch.setattr(SourceFile, "_between_blocks", counted)
    by_block = fix_run._by_block
    monkeypatch.setattr(fix_run, "_by_block", lambda resources: indexed.append(1) or by_block(resources))
    (tmp_path / "main.tf").write_text(_tables_with_tags(40))
    result = CliRunner().invoke(main, [str(tmp_path), "--no-config", "-f", "sarif", "--select", "DDB101"])
    assert result.exit_code == 1 and result.output.count('"fixes":[') == 40  # 40 blocks laid out
    assert sorted_once == [1] and indexed == [1]


FOR_EACH_OVER_A_FOR_EXPRESSION = """
locals {
  names  = [for i in range(%d) : "t${i}"]
  tables = { for name in local.names : name => { name = name, mode = "PROVISIONED" } }
}

resource "aws_dynamodb_table" "t" {
  for_each       = local.tables
  name           = each.value.name
  billing_mode   = each.value.mode
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
"""


def test_instances_of_for_each_over_a_for_expression_read_its_elements_once(tmp_path, monkeypatch):
    # for_each = local.tables, itself a for expression: each instance followed its each.value by reading the
    # for expression's elements from the first, at the square of the instances (1,000 tables: 5.4 s)
    from dynalint.load.hcl.scopes import Scope

    bound = []
    bind_element = Scope.bind_element
    monkeypatch.setattr(Scope, "bind_element", lambda self, *a: bound.append(1) or bind_element(self, *a))
    (tmp_path / "main.tf").write_text(FOR_EACH_OVER_A_FOR_EXPRESSION % 60)
    [model] = load_inputs([str(tmp_path)])
    assert sorted(r.values["name"] for r in model.resources) == sorted(f"t{i}" for i in range(60))
    assert len(bound) <= 3 * 60  # each element bound for the evaluation and once for tracing (was 5,490)


def test_references_to_instances_of_a_block_make_its_value_once(tmp_path, monkeypatch):
    # each of 60 targets names aws_dynamodb_table.t[each.key]: the map of the 60 tables was made for each
    # (2,000 tables from a tfvars map: 4.3 s)
    from dynalint.load.hcl import conversions

    made = []
    partial = conversions.Partial.__init__
    monkeypatch.setattr(conversions.Partial, "__init__", lambda self, *a: made.append(1) or partial(self, *a))
    (tmp_path / "main.tf").write_text(
        'variable "tables" {\n  type = map(object({ rcu = number }))\n}\n'
        'resource "aws_dynamodb_table" "t" {\n  for_each       = var.tables\n  name           = each.key\n'
        '  billing_mode   = "PROVISIONED"\n  read_capacity  = each.value.rcu\n  write_capacity = 5\n'
        '  hash_key       = "pk"\n  attribute {\n    name = "pk"\n    type = "S"\n  }\n}\n'
        'resource "aws_appautoscaling_target" "r" {\n  for_each           = var.tables\n'
        '  resource_id        = "table/${aws_dynamodb_table.t[each.key].name}"\n'
        '  scalable_dimension = "dynamodb:table:ReadCapacityUnits"\n  service_namespace  = "dynamodb"\n'
        "  min_capacity       = 1\n  max_capacity       = 10\n}\n"
    )
    (tmp_path / "terraform.tfvars").write_text(
        "tables = {\n" + "".join(f"  t{i} = {{ rcu = {i + 1} }}\n" for i in range(60)) + "}\n"
    )
    [model] = load_inputs([str(tmp_path)])
    targets = {r.address: r.values["resource_id"] for r in model.resources if r.type == "aws_appautoscaling_target"}
    assert targets == {f'aws_appautoscaling_target.r["t{i}"]': f"table/t{i}" for i in range(60)}
    assert len(made) == 60  # the 60 instances once, not 60 times each (was 3,600)

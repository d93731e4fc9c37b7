"""Public modules as people use them (issue 19): tests/public/ holds the examples of the most used public
DynamoDB modules, an AWS sample and the provider's documentation, vendored with their licenses
(tests/public/SOURCES.md), and the plans real terraform made of them.

Each case's expectations.yaml lists the findings it must give and must not give, with the reason; every
case is linted from its plan, from its .tf tree and from the plan read beside its tree. The tests after
that pin the four shapes the issue names, each on a tree small enough to read.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from dynalint.load import load_input, load_inputs
from dynalint.model import UNKNOWN
from dynalint.module_hints import module_hint
from helpers import ROOT, by_address, flagged, lint_model, requires_terraform

PUBLIC = ROOT / "tests" / "public"
CASES = sorted(p.name for p in PUBLIC.iterdir() if (p / "expectations.yaml").is_file())
INPUTS = ("plan", "tf", "plan+tf")


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def load(case: str, kind: str):
    where = f"tests/public/{case}"
    if kind == "plan":
        return load_input(f"{where}/plan.json", tf_sources=False)
    [model] = load_inputs([where if kind == "tf" else f"{where}/plan.json"])
    return model


def findings(case: str, kind: str):
    return lint_model(load(case, kind))


def expectations(case: str) -> dict:
    return yaml.safe_load((PUBLIC / case / "expectations.yaml").read_text())


def applies(entry: dict, kind: str) -> bool:
    return kind in entry.get("inputs", INPUTS)


# ---------------------------------------------------------------- every case, from every input
def test_every_case_is_listed_in_sources_with_its_license():
    sources = (PUBLIC / "SOURCES.md").read_text()
    assert len(CASES) >= 9
    for case in CASES:
        assert f"`{case}`" in sources
        assert (PUBLIC / case / "plan.json").is_file()
        assert (PUBLIC / case / "LICENSE").is_file() or "written here" in sources.split(f"`{case}`", 1)[1][:200]
    for vendored in (PUBLIC / "vendor").iterdir():
        assert (vendored / "LICENSE").is_file() and f"`{vendored.name}`" in sources


def test_every_expectation_has_a_reason():
    for case in CASES:
        doc = expectations(case)
        for entry in doc.get("expected", []) + doc.get("not_expected", []):
            assert entry.get("why") and entry.get("rule") and entry.get("address"), (case, entry)
            assert set(entry.get("inputs", INPUTS)) <= set(INPUTS), (case, entry)


@pytest.mark.parametrize("kind", INPUTS)
@pytest.mark.parametrize("case", CASES)
def test_each_case_gives_exactly_its_expected_findings(case, kind):
    doc = expectations(case)
    found = findings(case, kind)
    got = {(f.rule_id, f.address, f.path) for f in found}
    wanted = {(e["rule"], e["address"], e.get("path")) for e in doc.get("expected", []) if applies(e, kind)}
    assert got == wanted, f"{case} from {kind}: unexpected {sorted(got - wanted)}, missing {sorted(wanted - got)}"
    for entry in doc.get("not_expected", []):
        if applies(entry, kind):
            assert not [f for f in found if f.rule_id == entry["rule"] and f.address == entry["address"]], entry
    messages = {(f.rule_id, f.address, f.path): f.message for f in found}
    for entry in doc.get("expected", []):
        if applies(entry, kind) and "message" in entry:
            assert entry["message"] in messages[(entry["rule"], entry["address"], entry.get("path"))], entry


# ---------------------------------------------------------------- 1. blocks written by a dynamic block
def test_a_replica_from_a_dynamic_block_with_a_new_key_is_not_read_as_keyless_from_the_plan_alone():
    """terraform show -json leaves dynamic blocks out of the configuration: the replica's kms_key_arn,
    unknown in the plan, is unknown, not unset (DDB205 was a false positive)."""
    model = load("dynamodb-table-global-tables", "plan")
    [table] = [r for r in model.resources if r.type == "aws_dynamodb_table"]
    [replica] = table.values["replica"]
    assert replica["kms_key_arn"] is UNKNOWN
    assert not flagged(lint_model(model), "DDB205")


@pytest.mark.parametrize("kind", ["tf", "plan+tf"])
def test_the_key_of_a_replica_from_a_dynamic_block_is_tied_to_its_table(kind):
    """lookup(replica.value, "kms_key_arn", null) is followed into var.replica_regions and the module argument:
    aws_kms_key.secondary encrypts the replica, and does not rotate (DDB203 missed it)."""
    model = load("dynamodb-table-global-tables", kind)
    table = next(r for r in model.resources if r.type == "aws_dynamodb_table")
    assert ("replica.kms_key_arn", "aws_kms_key.secondary") in table.references
    assert "aws_kms_key.secondary" in flagged(lint_model(model), "DDB203")


def test_a_dynamic_block_that_writes_null_leaves_the_value_unset_in_a_plan_read_beside_its_tree():
    """Beside its .tf, the plan's unknown replica key is settled by the source, which writes null."""
    beside, alone = load("cloudposse-dynamodb-replicas", "plan+tf"), load("cloudposse-dynamodb-replicas", "plan")
    table = next(r for r in beside.resources if r.type == "aws_dynamodb_table")
    assert table.values["replica"][0]["kms_key_arn"] is None
    assert table.values["replica"][0]["arn"] is UNKNOWN  # read-only: the provider computes it
    assert (
        next(r for r in alone.resources if r.type == "aws_dynamodb_table").values["replica"][0]["kms_key_arn"]
        is UNKNOWN
    )


def test_an_element_of_an_unknown_structure_names_nothing(tmp_path):
    """Where the for_each cannot be followed (here the map goes through a function), the element's references
    are not guessed: the key is not tied to the table."""
    write(
        tmp_path,
        "main.tf",
        """
        variable "replicas" {
          default = [{ region_name = "us-west-2" }]
        }
        resource "aws_kms_key" "other" {}
        resource "aws_dynamodb_table" "t" {
          name             = "t"
          hash_key         = "pk"
          billing_mode     = "PAY_PER_REQUEST"
          stream_enabled   = true
          stream_view_type = "NEW_AND_OLD_IMAGES"
          attribute {
            name = "pk"
            type = "S"
          }
          dynamic "replica" {
            for_each = reverse(concat(var.replicas, [{ region_name = "eu-west-2", kms_key_arn = aws_kms_key.other.arn }]))
            content {
              region_name = replica.value.region_name
              kms_key_arn = lookup(replica.value, "kms_key_arn", null)
            }
          }
        }
    """,
    )
    [model] = load_inputs([str(tmp_path)])
    table = next(r for r in model.resources if r.type == "aws_dynamodb_table")
    assert not [ref for ref in table.references if ref[0] == "replica.kms_key_arn"]


def test_following_elements_has_a_bound_that_a_crafted_tree_cannot_push_back(tmp_path):
    """Locals that fork in two at each level would take 2**40 steps to follow: the tracer stops at its budget,
    says so, and the element names nothing (no guess)."""
    forks = "\n".join(f"  x{i} = var.c ? local.x{i + 1} : local.x{i + 1}" for i in range(40))
    write(
        tmp_path,
        "main.tf",
        f"""
variable "c" {{}}
locals {{
{forks}
  x40 = aws_kms_key.k.arn
}}
resource "aws_kms_key" "k" {{}}
resource "aws_dynamodb_table" "t" {{
  for_each     = {{ a = local.x0 }}
  name         = "t"
  hash_key     = "pk"
  billing_mode = "PAY_PER_REQUEST"
  attribute {{
    name = "pk"
    type = "S"
  }}
  server_side_encryption {{
    enabled     = true
    kms_key_arn = each.value
  }}
}}
""",
    )
    [model] = load_inputs([str(tmp_path)])
    assert any("followed for 100000 steps and no further" in w for w in model.warnings)
    table = next(r for r in model.resources if r.type == "aws_dynamodb_table")
    assert not [ref for ref in table.references if ref[1] == "aws_kms_key.k"]


# ---------------------------------------------------------------- 2. provider default_tags from a module
def test_default_tags_from_a_local_module_output_are_evaluated_from_tf():
    """module.naming.tags of the cloudposse label (it needs setintersection): DDB704 was a false positive."""
    model = load("label-default-tags", "tf")
    [table] = [r for r in model.resources if r.type == "aws_dynamodb_table"]
    assert table.default_tags == {"Name": "eg-prod-orders", "Namespace": "eg", "Stage": "prod"}
    assert not flagged(lint_model(model), "DDB704")


def test_default_tags_not_known_from_tf_are_unknown_not_absent(tmp_path):
    write(
        tmp_path,
        "main.tf",
        """
        provider "aws" {
          region = "us-east-1"
          default_tags {
            tags = module.naming.tags
          }
        }
        module "naming" {
          source = "./naming"
        }
        resource "aws_dynamodb_table" "t" {
          name         = "t"
          hash_key     = "pk"
          billing_mode = "PAY_PER_REQUEST"
          attribute {
            name = "pk"
            type = "S"
          }
        }
    """,
    )
    write(
        tmp_path,
        "naming/main.tf",
        """
        data "aws_caller_identity" "current" {}
        output "tags" {
          value = { for k, v in { Owner = data.aws_caller_identity.current.arn } : k => v if v != "" }
        }
    """,
    )
    [model] = load_inputs([str(tmp_path)])
    assert model.resources[0].default_tags is UNKNOWN
    assert not flagged(lint_model(model), "DDB704")


def test_default_tags_with_a_value_not_known_keep_their_keys(tmp_path):
    write(
        tmp_path,
        "main.tf",
        """
        provider "aws" {
          region = "us-east-1"
          default_tags {
            tags = { Team = "orders", Owner = module.naming.owner }
          }
        }
        module "naming" {
          source = "./naming"
        }
        resource "aws_dynamodb_table" "t" {
          name         = "t"
          hash_key     = "pk"
          billing_mode = "PAY_PER_REQUEST"
          attribute {
            name = "pk"
            type = "S"
          }
        }
    """,
    )
    write(
        tmp_path,
        "naming/main.tf",
        """
        data "aws_caller_identity" "current" {}
        output "owner" {
          value = data.aws_caller_identity.current.arn
        }
    """,
    )
    [model] = load_inputs([str(tmp_path)])
    assert model.resources[0].default_tags == {"Team": "orders", "Owner": UNKNOWN}
    found = lint_model(model, options={"DDB704": {"required_tags": ["Team", "CostCenter"]}})
    [finding] = by_address(found, "DDB704")["aws_dynamodb_table.t"]
    assert "CostCenter" in finding.message and "Team" not in finding.message.split("(required")[0]


# ---------------------------------------------------------------- 3. for_each over a map given as a module input
def test_a_mapping_made_with_for_each_over_a_module_input_is_tied_to_its_table_only():
    """try(each.value.event_source_arn, null) through { for k, v in var.event_source_mapping : k => v if ... }
    into the module argument: the "dynamodb" entry reads the table, the "sqs" and "kinesis" ones do not."""
    model = load("lambda-event-source-mapping", "tf")
    refs = {r.address: r.references for r in model.resources}
    base = "module.lambda_function.aws_lambda_event_source_mapping.this"
    assert ("event_source_arn", "aws_dynamodb_table.this") in refs[f'{base}["dynamodb"]']
    assert ("event_source_arn", "aws_sqs_queue.this") in refs[f'{base}["sqs"]']
    assert not [t for _, t in refs[f'{base}["sqs"]'] + refs[f'{base}["kinesis"]'] if t == "aws_dynamodb_table.this"]
    found = lint_model(model)
    assert flagged(found, "DDB507") == flagged(found, "DDB508") == {f'{base}["dynamodb"]'}
    assert not flagged(found, "DDB506")  # that entry has destination_arn_on_failure


def test_try_of_each_value_null_is_unset_in_a_plan_read_beside_its_tree():
    """The plan cannot say try(each.value.maximum_retry_attempts, null) is null: beside its .tf it is absent."""
    address = 'module.lambda_function.aws_lambda_event_source_mapping.this["dynamodb"]'
    alone = {r.address: r for r in load("lambda-event-source-mapping", "plan").resources}[address]
    beside = {r.address: r for r in load("lambda-event-source-mapping", "plan+tf").resources}[address]
    assert alone.values["maximum_retry_attempts"] is UNKNOWN
    assert beside.values["maximum_retry_attempts"] is None
    assert beside.values["function_response_types"] is None
    assert beside.values["destination_config"] is UNKNOWN  # written, around a queue known only after apply


# ---------------------------------------------------------------- 4. through as many modules as there are
def test_a_stream_mapping_reaches_its_table_through_two_modules():
    model = load("aws-samples-dynamodb-streams-lambda", "tf")
    mapping = next(r for r in model.resources if r.type == "aws_lambda_event_source_mapping")
    assert ("event_source_arn", "module.dynamodb_table.aws_dynamodb_table.this[0]") in mapping.references
    assert flagged(lint_model(model), "DDB506") == {mapping.address}


def test_a_stream_mapping_reaches_its_table_through_nested_modules(tmp_path):
    """The table three modules down, the mapping two modules down in another branch, its for_each map passed
    through a wrapper module: outputs and inputs are followed through every level."""
    write(
        tmp_path,
        "main.tf",
        """
        module "data" {
          source = "./data"
        }
        module "consumers" {
          source   = "./consumers"
          mappings = { orders = { arn = module.data.stream_arn }, audit = { arn = aws_sqs_queue.audit.arn } }
        }
        resource "aws_sqs_queue" "audit" {
          name = "audit"
        }
    """,
    )
    write(
        tmp_path,
        "data/main.tf",
        """
        module "store" {
          source = "./store"
        }
        output "stream_arn" {
          value = module.store.stream_arn
        }
    """,
    )
    write(
        tmp_path,
        "data/store/main.tf",
        """
        module "table" {
          source = "./table"
        }
        output "stream_arn" {
          value = module.table.stream_arn
        }
    """,
    )
    write(
        tmp_path,
        "data/store/table/main.tf",
        """
        resource "aws_dynamodb_table" "this" {
          name             = "orders"
          hash_key         = "pk"
          billing_mode     = "PAY_PER_REQUEST"
          stream_enabled   = true
          stream_view_type = "NEW_IMAGE"
          attribute {
            name = "pk"
            type = "S"
          }
        }
        output "stream_arn" {
          value = try(aws_dynamodb_table.this.stream_arn, "")
        }
    """,
    )
    write(
        tmp_path,
        "consumers/main.tf",
        """
        variable "mappings" {
          type = any
        }
        module "lambda" {
          source  = "./lambda"
          sources = { for name, m in var.mappings : name => { event_source_arn = m.arn } }
        }
    """,
    )
    write(
        tmp_path,
        "consumers/lambda/main.tf",
        """
        variable "sources" {
          type = any
        }
        resource "aws_lambda_event_source_mapping" "this" {
          for_each          = var.sources
          function_name     = "indexer"
          event_source_arn  = lookup(each.value, "event_source_arn", null)
          starting_position = "LATEST"
        }
    """,
    )
    [model] = load_inputs([str(tmp_path)])
    found = lint_model(model)
    orders = 'module.consumers.module.lambda.aws_lambda_event_source_mapping.this["orders"]'
    table = "module.data.module.store.module.table.aws_dynamodb_table.this"
    mapping = next(r for r in model.resources if r.address == orders)
    assert ("event_source_arn", table) in mapping.references
    assert flagged(found, "DDB506") == {orders}  # not the "audit" entry, an SQS queue
    assert module_hint(mapping, "event_source_arn") == (
        "module.consumers sets `event_source_arn` from its input `mappings.orders.arn`"
    )


# ---------------------------------------------------------------- module inputs in messages
def test_a_hint_names_the_inputs_of_the_module_call_the_root_module_writes(tmp_path):
    write(
        tmp_path,
        "main.tf",
        """
        module "outer" {
          source = "./outer"
          backups = false
        }
    """,
    )
    write(
        tmp_path,
        "outer/main.tf",
        """
        variable "backups" {}
        module "inner" {
          source = "./inner"
          pitr   = var.backups
        }
    """,
    )
    write(
        tmp_path,
        "outer/inner/main.tf",
        """
        variable "pitr" {}
        variable "protect" {
          default = false
        }
        resource "aws_dynamodb_table" "t" {
          name                        = "t"
          hash_key                    = "pk"
          billing_mode                = "PAY_PER_REQUEST"
          deletion_protection_enabled = var.protect
          attribute {
            name = "pk"
            type = "S"
          }
          point_in_time_recovery {
            enabled = var.pitr
          }
        }
    """,
    )
    [model] = load_inputs([str(tmp_path)])
    [table] = [r for r in model.resources if r.type == "aws_dynamodb_table"]
    assert module_hint(table, "point_in_time_recovery") == (
        "module.outer sets `point_in_time_recovery` from its input `backups`"
    )
    # the inner module's default, which the outer module does not pass: no input of module.outer changes it
    assert module_hint(table, "deletion_protection_enabled") == (
        "module.outer writes `deletion_protection_enabled` itself: no input of the module changes it"
    )
    assert (
        module_hint(table, "billing_mode")
        == "module.outer writes `billing_mode` itself: no input of the module changes it"
    )
    assert module_hint(table, "ttl") is None  # nothing written there: nothing to say


def test_resources_of_the_root_module_get_no_hint():
    model = load("provider-docs", "tf")
    assert all(not r.module_settings for r in model.resources)
    assert all("(module." not in f.message for f in lint_model(model))


def test_the_readme_shows_a_message_dynalint_gives():
    readme = (ROOT / "README.md").read_text()
    [line] = [x for x in readme.splitlines() if "module.orders writes" in x]
    rule = line.split()[1]
    [finding] = [f for f in findings("cloudposse-dynamodb-replicas", "tf") if f.rule_id == rule]
    assert line.split(rule, 1)[1].strip() == finding.message


# ---------------------------------------------------------------- the plans are what terraform makes
@pytest.mark.slow
@requires_terraform
def test_the_committed_plans_are_what_terraform_makes_of_the_cases(tmp_path):
    """Re-plan two cases with real terraform (the offline mirror) and lint the new plans: the same findings."""
    cases = ["dynamodb-table-global-tables", "aws-samples-dynamodb-streams-lambda"]
    copy = tmp_path / "public"
    shutil.copytree(PUBLIC, copy, ignore=shutil.ignore_patterns("plan.json"))
    script = ROOT / "scripts" / "terraform_plans.py"
    result = subprocess.run(
        [sys.executable, str(script), *[str(copy / c) for c in cases]], capture_output=True, text=True, timeout=900
    )
    if "skipped:" in result.stdout:
        pytest.skip(result.stdout.strip())
    assert result.returncode == 0, result.stderr
    for case in cases:
        fresh = lint_model(load_input(str(copy / case / "plan.json"), tf_sources=False))
        committed = findings(case, "plan")
        assert {(f.rule_id, f.address, f.path) for f in fresh} == {(f.rule_id, f.address, f.path) for f in committed}
        assert json.loads((copy / case / "plan.json").read_text())["format_version"].startswith("1.")


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))

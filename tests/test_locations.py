"""Findings about an attribute or a nested block point at the line and column that write it
(dynalint.load.hcl.locate), from .tf input and from a plan read beside its .tf, in every format."""

import json
import shutil

import pytest
from click.testing import CliRunner

from dynalint.cli import main
from dynalint.load import load_inputs
from helpers import ROOT, TF_CASES, lint_model, validate_sarif

CASE = TF_CASES / "locations"
MAIN = CASE / "main.tf"
MODULE = CASE / "modules" / "tenant" / "main.tf"


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def where(path, text):
    """(line, column) of the first line holding ``text``, both 1-based."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if text in line:
            return number, line.index(text) + 1
    raise AssertionError(f"{text!r} is not in {path}")


def findings_of(target):
    [model] = load_inputs([str(target)])
    return {(f.rule_id, f.address): f for f in lint_model(model)}


@pytest.fixture(params=["tf", "plan"])
def found(request):
    target = CASE.relative_to(ROOT) if request.param == "tf" else (CASE / "plan.json").relative_to(ROOT)
    return findings_of(target)


def test_an_attribute_finding_points_at_the_attribute(found):
    f = found["DDB410", "aws_dynamodb_table.orders"]
    assert f.source.file == "tests/tf/locations/main.tf"
    assert (f.source.start_line, f.source.start_column) == where(MAIN, "read_capacity               = 50000")
    assert f.source.path == "read_capacity"
    assert f.resource_source.start_line == where(MAIN, 'resource "aws_dynamodb_table" "orders"')[0]


def test_a_nested_block_attribute_is_found_by_the_blocks_key(found):
    f = found["DDB311", "aws_dynamodb_table.orders"]
    assert f.path == "global_secondary_index.byEmail.projection_type"
    assert (f.source.start_line, f.source.start_column) == where(MAIN, 'projection_type = "ALL"')


def test_a_value_passed_into_a_module_points_at_the_call_and_its_for_each_element(found):
    f = found["DDB410", 'module.tenant["globex"].aws_dynamodb_table.this']
    assert f.source.file == "tests/tf/locations/main.tf"  # not the module's `read_capacity = var.read_capacity`
    assert (f.source.start_line, f.source.start_column) == where(MAIN, "read = 45000")
    assert f.resource_source.file == "tests/tf/locations/modules/tenant/main.tf"


def test_a_statement_of_a_multi_line_policy_is_found_by_its_sid(found):
    f = found["DDB601", "aws_iam_policy.admin"]
    assert f.path == "policy.Statement.Everything"
    sid_line, _ = where(MAIN, 'Sid      = "Everything"')
    assert f.source.start_line == sid_line - 1  # the statement's opening brace
    assert f.source.end_line > f.source.start_line


def test_a_finding_about_a_missing_attribute_stays_on_the_resource_block(found):
    f = found["DDB704", "aws_dynamodb_table.orders"]  # no tags: nothing to point at but the block
    assert f.path == "tags" and f.source == f.resource_source
    assert f.source.start_line == where(MAIN, 'resource "aws_dynamodb_table" "orders"')[0]


def test_dynamic_blocks_and_unused_attributes_in_tf_input(tmp_path):
    # terraform refuses attributes no key uses at plan time: DDB302 is a finding of .tf input only
    (tmp_path / "main.tf").write_text("""resource "aws_dynamodb_table" "t" {
  name         = "t"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "region"
    type = "S"
  }
  dynamic "attribute" {
    for_each = toset(["shard"])
    content {
      name = attribute.value
      type = "S"
    }
  }
}
""")
    by_path = {f.path: f.source for f in lint_model(load_inputs([str(tmp_path)])[0]) if f.rule_id == "DDB302"}
    main_tf = tmp_path / "main.tf"
    assert by_path["attribute.region"].start_line == where(main_tf, 'name = "region"')[0] - 1  # its block
    assert by_path["attribute.region"].path == "attribute.region"
    assert by_path["attribute.shard"].start_line == where(main_tf, 'dynamic "attribute"')[0]


def test_a_key_the_source_does_not_write_stays_on_the_resource_block(tmp_path):
    shutil.copytree(CASE, tmp_path / "case")
    main_tf = tmp_path / "case" / "main.tf"
    main_tf.write_text(main_tf.read_text().replace('"byEmail"', '"byMail"'))  # the .tf changed since the plan
    found = findings_of(tmp_path / "case" / "plan.json")
    f = found["DDB311", "aws_dynamodb_table.orders"]
    assert f.source == f.resource_source


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_sarif_text_and_github_carry_the_line_and_column():
    plan = "tests/tf/locations/plan.json"
    line, column = where(MAIN, "read_capacity               = 50000")
    sarif = json.loads(run(plan, "-f", "sarif", "--select", "DDB410").stdout)
    validate_sarif(sarif)
    regions = {r["properties"]["address"]: r["locations"][0]["physicalLocation"] for r in sarif["runs"][0]["results"]}
    orders = regions["aws_dynamodb_table.orders"]
    assert orders["artifactLocation"]["uri"] == "tests/tf/locations/main.tf"
    assert orders["region"] == {"startLine": line, "startColumn": column}  # no endLine: see report/sarif.py
    github = run(plan, "-f", "github", "--select", "DDB410").stdout
    assert f"file=tests/tf/locations/main.tf,line={line},col={column}," in github
    text = run(plan, "--select", "DDB410").stdout
    assert f"DDB410  tests/tf/locations/main.tf:{line}:{column}  Table 'orders'" in text
    doc = json.loads(run(plan, "-f", "json", "--select", "DDB410").stdout)
    located = {f["address"]: f for f in doc["findings"]}["aws_dynamodb_table.orders"]
    assert located["location"]["path"] == "read_capacity"
    assert located["resource_location"]["line"] == where(MAIN, 'resource "aws_dynamodb_table" "orders"')[0]

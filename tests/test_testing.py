"""dynalint.testing, the helpers custom-rule authors test their rules with (docs/custom-rules.md, "Testing rules"):
each through its public behaviour, and the docs' example test module run as written."""

from __future__ import annotations

import json
import re
import sys

import pytest

from dynalint.errors import InputError
from dynalint.model import Level
from dynalint.rule import Issue, rule
from dynalint.testing import RuleFailed, assert_flags, assert_not_flags, lint_plan, lint_tf
from helpers import ROOT, case_plan

DOCS = (ROOT / "docs" / "custom-rules.md").read_text()

TABLE = """resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  table_class  = CLASS

  attribute {
    name = "id"
    type = "S"
  }
}
"""


@rule(
    id="TEST001",
    slug="infrequent-access",
    level="warning",
    applies=["aws_dynamodb_table"],
    options={"allowed": ["STANDARD"]},
)
def infrequent_access(table, ctx):
    """The table uses a table class the team does not allow."""
    value = table.values.get("table_class")
    if isinstance(value, str) and value not in ctx.options["allowed"]:
        yield Issue(f"Table class {value} is not allowed.", path="table_class")


@rule(id="TEST002", slug="broken", level="error", applies=["aws_dynamodb_table"])
def broken(table, ctx):
    """Raises on every table."""
    raise KeyError("a shape the rule did not expect")
    yield  # a generator, as checks are


def lint(table_class: str = '"STANDARD_INFREQUENT_ACCESS"', **settings):
    return lint_tf({"main.tf": TABLE.replace("CLASS", table_class)}, rules=[infrequent_access], **settings)


# ---------------------------------------------------------------- lint_tf
def test_lint_tf_runs_the_rules_named_and_names_files_as_given():
    findings = lint()
    [finding] = assert_flags(findings, "TEST001", "aws_dynamodb_table.orders", path="table_class", line=5)
    assert (
        finding.level is Level.WARNING and finding.message == "Table class STANDARD_INFREQUENT_ACCESS is not allowed."
    )
    assert (finding.source.file, finding.source.start_line, finding.input_file) == ("main.tf", 5, ".")
    assert {f.rule_id for f in findings} == {"TEST001"}  # no built-in rule ran
    assert findings.addresses == {"aws_dynamodb_table.orders"}


def test_its_twin_and_the_value_known_only_after_apply_are_not_flagged():
    assert_not_flags(lint('"STANDARD"'), infrequent_access, "aws_dynamodb_table.orders")
    unknown = lint_tf(
        {"main.tf": 'variable "class" {\n  type = string\n}\n\n' + TABLE.replace("CLASS", "var.class")},
        rules=[infrequent_access],
    )
    assert_not_flags(unknown, infrequent_access, "aws_dynamodb_table.orders")


def test_by_default_every_built_in_rule_runs_and_select_chooses():
    every = lint_tf({"main.tf": TABLE.replace("CLASS", '"STANDARD"')})
    assert {"DDB101", "DDB103"} <= {f.rule_id for f in every}
    assert {f.rule_id for f in lint_tf({"main.tf": TABLE.replace("CLASS", '"STANDARD"')}, select=["DDB101"])} == {
        "DDB101"
    }


def test_lint_tf_reads_modules_and_tfvars_from_the_files():
    files = {
        "main.tf": 'variable "class" {\n  type = string\n}\n\nmodule "table" {\n  source = "./modules/table"\n'
        "  class  = var.class\n}\n",
        "terraform.tfvars": 'class = "STANDARD_INFREQUENT_ACCESS"\n',
        "modules/table/main.tf": 'variable "class" {\n  type = string\n}\n\n' + TABLE.replace("CLASS", "var.class"),
    }
    findings = lint_tf(files, rules=[infrequent_access])
    [finding] = assert_flags(findings, infrequent_access, "module.table.aws_dynamodb_table.orders")
    assert finding.source.file in ("main.tf", "modules/table/main.tf")  # the module call or the attribute


def test_lint_tf_takes_a_directory():
    findings = lint_tf(ROOT / "rules" / "examples" / "DDB101" / "bad")
    assert "aws_dynamodb_table.orders" in findings.flagged("DDB101")


@pytest.mark.parametrize("name", ["../main.tf", "/tmp/main.tf", "", "a/../../b.tf"])
def test_lint_tf_writes_only_inside_its_directory(name):
    with pytest.raises(ValueError, match="relative file name"):
        lint_tf({name: TABLE}, rules=[infrequent_access])


# ---------------------------------------------------------------- options
def test_options_set_a_rules_values_and_a_typo_fails():
    allowed = {"TEST001": {"allowed": ["STANDARD", "STANDARD_INFREQUENT_ACCESS"]}}
    assert_not_flags(lint(options=allowed), "TEST001", "aws_dynamodb_table.orders")
    with pytest.raises(ValueError, match="TEST001 has no option alowed"):
        lint(options={"TEST001": {"alowed": []}})
    with pytest.raises(ValueError, match="DDB101 is not one of the rules run"):
        lint(options={"DDB101": {}})


# ---------------------------------------------------------------- assertions
def test_assertions_fail_with_what_was_found():
    findings = lint()
    with pytest.raises(AssertionError, match=r"TEST001 flagged aws_dynamodb_table.orders: TEST001 \[table_class\]"):
        assert_not_flags(findings, "TEST001", "aws_dynamodb_table.orders")
    with pytest.raises(AssertionError, match="at path 'name'; its findings: TEST001"):
        assert_flags(findings, "TEST001", "aws_dynamodb_table.orders", path="name")
    with pytest.raises(AssertionError, match="on line 1; its findings"):
        assert_flags(findings, "TEST001", "aws_dynamodb_table.orders", line=1)
    with pytest.raises(AssertionError, match="did not flag aws_dynamodb_table.orders; it has no findings"):
        assert_flags(lint('"STANDARD"'), "TEST001", "aws_dynamodb_table.orders")


def test_a_negative_assertion_first_checks_the_address_exists():
    findings = lint('"STANDARD"')
    for check in (
        lambda: assert_not_flags(findings, "TEST001", "aws_dynamodb_table.order"),
        lambda: "aws_dynamodb_table.order" not in findings.flagged("TEST001"),
        lambda: findings.by_address().get("aws_dynamodb_table.order"),
    ):
        with pytest.raises(
            AssertionError,
            match="'aws_dynamodb_table.order' is no resource of the linted input; it has aws_dynamodb_table.orders",
        ):
            check()
    with pytest.raises(TypeError, match="pass the Findings"):
        assert_not_flags(list(findings), "TEST001", "aws_dynamodb_table.orders")


# ---------------------------------------------------------------- a rule that raises
def test_a_rule_that_raises_fails_the_test_with_its_traceback():
    with pytest.raises(RuleFailed) as failed:
        lint_tf({"main.tf": TABLE.replace("CLASS", '"STANDARD"')}, rules=[infrequent_access, broken])
    text = str(failed.value)
    assert "Rule TEST002 (broken) failed on aws_dynamodb_table.orders (KeyError" in text
    assert "Traceback (most recent call last)" in text and 'raise KeyError("a shape the rule did not expect")' in text


# ---------------------------------------------------------------- lint_plan
def test_lint_plan_reads_a_path_its_bytes_or_its_dict_alike():
    path = case_plan("durability")
    by_path = lint_plan(path, select=["DDB101"])
    by_dict = lint_plan(json.loads(path.read_text()), select=["DDB101"])
    by_bytes = lint_plan(path.read_bytes(), select=["DDB101"])
    assert by_path and [(f.rule_id, f.address, f.message) for f in by_path] == [
        (f.rule_id, f.address, f.message) for f in by_dict
    ] == [(f.rule_id, f.address, f.message) for f in by_bytes]
    assert by_path[0].source.file.endswith("tests/tf/durability/main.tf")  # a plan beside its .tf points at them
    assert by_dict[0].source.file == "plan.json"


def test_lint_plan_refuses_what_dynalint_refuses():
    with pytest.raises(InputError, match="format_version"):
        lint_plan({"resource_changes": []})


def test_rules_may_be_given_as_a_module(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples" / "custom-rules" / "rules"))
    monkeypatch.delitem(sys.modules, "payments_cmk", raising=False)
    import payments_cmk

    findings = lint_plan(ROOT / "examples" / "custom-rules" / "infra" / "plan.json", rules=[payments_cmk])
    ids = {f.rule_id for f in findings}
    assert ids and all(i.startswith("ACME") for i in ids)


# ---------------------------------------------------------------- docs/custom-rules.md
def test_the_docs_test_module_passes(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", DOCS, re.S)
    [rule_module] = [b for b in blocks if "ACME100" in b]
    [tests] = [b for b in blocks if "from dynalint.testing import" in b]
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "__init__.py").write_text("")
    (tmp_path / "policies" / "streams.py").write_text(rule_module)
    (tmp_path / "test_streams.py").write_text(tests)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("policies", "policies.streams", "test_streams"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    import test_streams

    ran = [name for name in vars(test_streams) if name.startswith("test_")]
    assert len(ran) == 4
    for name in ran:
        getattr(test_streams, name)()

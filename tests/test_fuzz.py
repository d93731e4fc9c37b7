"""Property tests: generated plans, documents, bytes and .tf files never crash dynalint (issue 8).

The strategies live in scripts/fuzz.py. CI runs a few dozen inputs of each kind (derandomized, so
a run is repeatable); the long run is the script, or these tests with more examples:

    python scripts/fuzz.py --examples 10000
    DYNALINT_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py

A rule that raises is a failure here even though the engine swallows the exception: the
harness wraps every rule's check and records what it raised, on which resource.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from dynalint.cli import main
from dynalint.engine import Registry
from dynalint.rule import Issue, rule
from helpers import ROOT, case_plan

sys.path.insert(0, str(ROOT / "scripts"))
import fuzz  # noqa: E402

EXAMPLES = int(os.environ.get("DYNALINT_FUZZ_EXAMPLES", "40"))
CI = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=EXAMPLES <= 100,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.filter_too_much,
    ],
)


@CI
@given(fuzz.shaped_plans())
def test_malformed_resources_never_crash_a_rule(drawn):
    """Linting finishes, every rule stays silent on purpose, every format renders, the SARIF validates."""
    data = fuzz.dumps(drawn[0])
    assert fuzz.problems_of_bytes(data) == []
    assert fuzz.problems_of_cli(data) == []  # exit 0 or 1 with valid SARIF, or 2 with one line


@settings(CI, max_examples=max(10, EXAMPLES // 2))
@given(fuzz.broken_documents())
def test_broken_documents_load_or_fail_with_one_line(doc):
    assert fuzz.problems_of_bytes(fuzz.dumps(doc)) == []


@settings(CI, max_examples=max(10, EXAMPLES // 2))
@given(fuzz.broken_bytes())
def test_broken_bytes_load_or_fail_with_one_line(data):
    assert fuzz.problems_of_bytes(data) == []


@settings(CI, max_examples=max(5, EXAMPLES // 3))
@given(fuzz.broken_tf())
def test_broken_tf_loads_or_fails_with_one_line(text):
    assert fuzz.problems_of_tf(text) == []


def test_the_shapes_cover_every_type_a_rule_applies_to():
    listed = json.loads(CliRunner().invoke(main, ["rules", "--format", "json"]).output)["rules"]
    types = {t for r in listed for t in r["applies"]}
    assert set(fuzz.rule_types()) == types
    _, _, afters = fuzz.vocabulary()
    assert all(afters[t] for t in types), [t for t in types if not afters[t]]  # real values of each type to mutate


def test_the_harness_catches_a_rule_that_crashes(monkeypatch):
    """The engine swallows a rule's exception; the harness still reports it, with the rule and the line."""

    @rule(id="ACME999", slug="fragile", level="error", applies=["aws_dynamodb_table"])
    def fragile(table, ctx):
        """Reads what is not there."""
        yield Issue(table.values["no_such_attribute"])

    registry = Registry()
    for existing in fuzz.registry().sorted():
        registry.add(existing)
    registry.add(replace(fragile, origin="tests"))
    monkeypatch.setattr(fuzz, "registry", lambda: registry)
    [problem, *_] = fuzz.problems_of_bytes(case_plan("durability").read_bytes())
    assert problem.where == "rule ACME999" and problem.error == "KeyError: 'no_such_attribute'"
    assert problem.at.startswith("test_fuzz.py:") and problem.detail.startswith("aws_dynamodb_table: {")


def test_real_plans_have_no_problem():
    for path in fuzz.SEED_PLANS:
        assert fuzz.problems_of_bytes(path.read_bytes()) == [], path


def test_a_replica_region_of_odd_type_leaves_ddb202_silent():
    """Found by the 12,000-input fuzz run: a list where the region name goes made DDB202 raise."""
    doc = json.loads(case_plan("changes").read_text())
    change = next(e for e in doc["resource_changes"] if e["address"] == "aws_dynamodb_table.steady")["change"]
    change["before"]["replica"] = [{"region_name": "eu-west-1", "kms_key_arn": ""}]
    change["after"]["replica"] = [{"region_name": ["eu-west-1"], "kms_key_arn": "arn:aws:kms:eu-west-1:1:key/x"}]
    assert fuzz.problems_of_bytes(fuzz.dumps(doc)) == []


def test_a_table_key_of_odd_type_leaves_ddb707_silent():
    """Found by the second 12,000-input fuzz run: a map where the table's hash_key goes made DDB707 raise."""
    doc = json.loads(case_plan("operations").read_text())
    table = next(e for e in doc["resource_changes"] if e["address"] == "aws_dynamodb_table.watched")["change"]
    table["after"]["hash_key"] = {"S": "pk"}
    assert fuzz.problems_of_bytes(fuzz.dumps(doc)) == []


def test_keys_with_line_breaks_make_a_one_line_loader_error():
    """Found by the third 12,000-input fuzz run: a key holding a line break broke the loader's error in two
    (the command line escaped it; the message itself now quotes each key)."""
    assert fuzz.problems_of_bytes(b'{"\\nkind": 1, "spec": {}}') == []


def test_references_of_odd_type_in_the_configuration_load():
    """Found by the fourth 12,000-input fuzz run: `"references": 5` in an expression was an internal error."""
    doc = json.loads(case_plan("realworld").read_text())
    for resource in doc["configuration"]["root_module"]["resources"]:
        for expr in resource.get("expressions", {}).values():
            if isinstance(expr, dict):
                expr["references"] = 5
    assert fuzz.problems_of_bytes(fuzz.dumps(doc)) == []

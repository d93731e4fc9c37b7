"""Budgets (issue 14): a small hostile file costs seconds and little memory, then exit 2 naming file and line.

A kilobyte of YAML aliases expanded to billions of values, and a kilobyte and a half of .tf doubling a list
forty times took 24 GB. Each case runs dynalint in a process of its own under a 2 GB address-space limit and a
time limit, so that a regression fails the test instead of taking the machine down.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from dynalint.load.hcl.budget import MAX_INT_BITS, MAX_VALUE_CELLS
from helpers import by_address, case_plan, lint_doc, query_statement

LIMIT_BYTES = 2 * 1024**3
TABLE = """
resource "aws_dynamodb_table" "t" {
  name         = "t"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  tags = { n = tostring(length(jsonencode(local.last))) }
}
"""


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def dynalint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dynalint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=_limits,
    )


def refused(result: subprocess.CompletedProcess, start: str, says: str) -> None:
    assert result.returncode == 2, result.stderr[-2000:]
    [line] = result.stderr.splitlines()
    assert line.startswith(f"dynalint: error: {start}") and says in line, line


def doubling(first: str, step: str, levels: int = 40) -> str:
    """``locals { l0 = FIRST, l1 = STEP(l0), ... }`` and a table that uses the last one."""
    lines = ["locals {", f"  l0 = {first}"]
    lines += [f"  l{i} = {step.format(p=f'local.l{i - 1}')}" for i in range(1, levels)]
    lines += [f"  last = local.l{levels - 1}", "}"]
    return "\n".join(lines) + "\n" + TABLE


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


# ---------------------------------------------------------------- .tf evaluation
VALUE_BOMBS = {
    "concat": ('["x"]', "concat({p}, {p})"),
    "tuple": ('["x"]', "[{p}, {p}]"),  # shared, not copied: it would only grow once written out
    "object": ('{ a = "x" }', "{{ a = {p}, b = {p} }}"),
    "join": ('"xx"', 'join("", [{p}, {p}])'),
    "format": ('"xx"', 'format("%s%s", {p}, {p})'),
    "template": ('"xx"', '"${{{p}}}${{{p}}}"'),
    "replace": ('"xx"', 'replace({p}, "x", "xx")'),
    "flatten": ('["x"]', "flatten([{p}, {p}])"),
    "merge-values": ('["x"]', "values({{ a = {p}, b = {p} }})"),
    "for": ('["x", "y"]', "[for v in {p} : [v, v]]"),
    "number": ("3", "{p} * {p}"),
}


@pytest.mark.parametrize("name", VALUE_BOMBS)
def test_a_value_that_doubles_forty_times_is_refused_at_its_line(tmp_path, name):
    first, step = VALUE_BOMBS[name]
    text = doubling(first, step)
    (tmp_path / "main.tf").write_text(text)
    result = dynalint(".", "--no-config", cwd=tmp_path)
    refused(result, "main.tf:", "this expression builds a value of more than")
    line = int(result.stderr.split(":")[3])
    assert 2 < line <= 41 and text.splitlines()[line - 1].lstrip().startswith("l")  # one of the doubling locals
    # the value that stopped it is the first one past the budget
    limit = MAX_INT_BITS if name == "number" else MAX_VALUE_CELLS
    assert line - 2 <= limit.bit_length() + 2


SINGLE_BOMBS = {
    "range": "length(range(1000000000))",
    "format-width": 'format("%999999999s", "x")',
    "pow": "pow(3, 100000000)",
    "jsonencode-shared": "jsonencode([for i in range(20) : local.wide])",
    "replace-regex": 'replace(local.wide_text, "/./", local.wide_text)',
    "join-separator": "join(local.wide_text, local.wide)",
}


@pytest.mark.parametrize("name", SINGLE_BOMBS)
def test_a_function_whose_result_would_be_too_large_is_refused_before_it_is_built(tmp_path, name):
    text = (
        'locals {\n  wide      = [for i in range(200000) : i]\n  wide_text = join("", [for i in range(20000) : '
        '"x"])\n  last      = ' + SINGLE_BOMBS[name] + "\n}\n" + TABLE
    )
    (tmp_path / "main.tf").write_text(text)
    refused(dynalint(".", "--no-config", cwd=tmp_path), "main.tf:4:", "this expression")


@pytest.mark.slow  # it iterates the whole budget: seconds
def test_iterations_past_the_budget_are_refused(tmp_path):
    # Nothing is built (every element is filtered out), yet ten billion iterations would take hours.
    text = (
        "locals {\n  r    = range(100000)\n  last = [for a in local.r : [for b in local.r : b if b < 0]]\n}\n" + TABLE
    )
    (tmp_path / "main.tf").write_text(text)
    refused(dynalint(".", "--no-config", cwd=tmp_path), "main.tf:3:", "this expression iterates past the budget")


def test_instances_past_the_budget_are_refused_before_they_are_made(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_sqs_queue" "q" {\n  count = 1000000000\n  name  = "q"\n}\n')
    refused(dynalint(".", "--no-config", cwd=tmp_path), "main.tf:2:", "this expression makes instances past the")


def test_a_tfvars_file_that_builds_too_much_is_named(tmp_path):
    (tmp_path / "main.tf").write_text('variable "v" {\n  type = list(number)\n}\nlocals {\n  last = var.v\n}\n' + TABLE)
    (tmp_path / "terraform.tfvars").write_text("v = range(1000000000)\n")
    refused(dynalint(".", "--no-config", cwd=tmp_path), "terraform.tfvars:1:", "builds a value of more than")


@pytest.mark.slow  # 2,000 resources from .tf: seconds
def test_the_budget_leaves_a_large_real_configuration_alone(tmp_path):
    # 1,000 tables, each with a policy document of 5,000 characters and a for expression over 100 names; a
    # 100,000-element list and a 100,000-character string: well inside every bound
    statements = ", ".join(
        f'{{ Sid = "s{i}", Effect = "Allow", Action = ["dynamodb:GetItem"], Resource = ["*"] }}' for i in range(60)
    )
    text = (
        f'locals {{\n  ids  = range(100000)\n  text = join("", [for i in range(100000) : "x"])\n'
        f'  names = [for i in range(100) : "n-${{i}}"]\n}}\n'
        'resource "aws_dynamodb_table" "t" {\n  count        = 1000\n  name         = "t-${count.index}"\n'
        '  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "pk"\n  attribute {\n    name = "pk"\n'
        '    type = "S"\n  }\n  tags = { n = tostring(length(local.ids) + length(local.text)), '
        'names = join(",", [for n in local.names : upper(n)]) }\n}\n'
        'resource "aws_dynamodb_resource_policy" "p" {\n  count        = 1000\n'
        "  resource_arn = aws_dynamodb_table.t[count.index].arn\n"
        f'  policy       = jsonencode({{ Version = "2012-10-17", Statement = [{statements}] }})\n}}\n'
    )
    (tmp_path / "main.tf").write_text(text)
    result = dynalint(".", "--no-config", "-f", "json", "--select", "DDB101", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert len(json.loads(result.stdout)["findings"]) == 1000


# ---------------------------------------------------------------- the resource graph
def tables_and_targets(count: int, name: str, resource_id: str) -> str:
    """COUNT provisioned tables called NAME, and COUNT autoscaling targets on RESOURCE_ID."""
    return (
        f'resource "aws_dynamodb_table" "t" {{\n  count          = {count}\n  name           = {name}\n'
        '  billing_mode   = "PROVISIONED"\n  read_capacity  = 5\n  write_capacity = 5\n  hash_key       = "pk"\n'
        '  attribute {\n    name = "pk"\n    type = "S"\n  }\n}\n'
        f'resource "aws_appautoscaling_target" "r" {{\n  count              = {count}\n'
        f"  resource_id        = {resource_id}\n"
        '  scalable_dimension = "dynamodb:table:ReadCapacityUnits"\n  service_namespace  = "dynamodb"\n'
        "  min_capacity       = 1\n  max_capacity       = 10\n}\n"
    )


def fan_state(count: int) -> dict:
    """A state of COUNT tables called "same" and COUNT CloudWatch alarms on that name. Written here: terraform
    makes these resources from ``tables_and_targets``-like .tf (AWS refuses the second table only at apply), but
    planning thousands takes it minutes."""
    resources = [
        {
            "address": f"aws_dynamodb_table.t[{i}]",
            "mode": "managed",
            "type": "aws_dynamodb_table",
            "name": "t",
            "index": i,
            "values": {"name": "same", "billing_mode": "PAY_PER_REQUEST", "hash_key": "pk"},
        }
        for i in range(count)
    ] + [
        {
            "address": f"aws_cloudwatch_metric_alarm.a[{i}]",
            "mode": "managed",
            "type": "aws_cloudwatch_metric_alarm",
            "name": "a",
            "index": i,
            "values": {"alarm_name": f"a{i}", "namespace": "AWS/DynamoDB", "dimensions": {"TableName": "same"}},
        }
        for i in range(count)
    ]
    return {"format_version": "1.0", "values": {"root_module": {"resources": resources}}}


def test_one_name_shared_by_a_thousand_tables_and_targets_is_refused_before_the_graph_is_made(tmp_path):
    # 20 lines of .tf tie a million pairs (each target names every table): that took 5 s and 570 MB, and four
    # times as much for twice the resources; now the pairs are counted before any is made
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(tables_and_targets(1000, '"same"', '"table/same"'))
    refused(
        dynalint("infra", "--no-config", cwd=tmp_path),
        "infra: its resources are tied in 1,000,000 pairs, more than dynalint checks in an input of 2,000 "
        "resources (200,000: DYNALINT_PAIRS_PER_RESOURCE raises it;",
        "1,000 aws_appautoscaling_target and 1,000 aws_dynamodb_table name one another through one value of "
        "resource_id",
    )


def test_a_reference_through_values_of_a_whole_map_from_every_instance_is_refused(tmp_path):
    # values(...)[count.index] names every table of the map from each target: 450 x 450 pairs
    (tmp_path / "infra").mkdir()
    table = tables_and_targets(450, "each.key", '"table/${values(aws_dynamodb_table.t)[count.index].name}"')
    table = table.replace("count          = 450", 'for_each       = toset([for i in range(450) : "t${i}"])', 1)
    (tmp_path / "infra" / "main.tf").write_text(table)
    refused(
        dynalint("infra", "--no-config", cwd=tmp_path),
        "infra: its resources are tied in 202,950 pairs",
        "one aws_appautoscaling_target names 450 resources through its references",
    )


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_state_that_ties_too_many_pairs_is_the_error_whatever_the_jobs(tmp_path, jobs):
    (tmp_path / "fan.json").write_text(json.dumps(fan_state(400)))  # 160,000 pairs: over 100,000 + 50 x 800
    (tmp_path / "plan.json").write_text(case_plan("durability").read_text())
    refused(
        dynalint("plan.json", "fan.json", "--no-config", "--jobs", jobs, cwd=tmp_path),
        "fan.json: its resources are tied in 160,000 pairs",
        "400 aws_cloudwatch_metric_alarm and 400 aws_dynamodb_table name one another through one value of dimensions",
    )


def test_the_markdown_diagram_leaves_out_an_input_too_tied_to_draw(tmp_path):
    # DDB101 never asks the graph, so the run lints; the diagram, which would draw the tables with their alarms,
    # leaves the input out instead of building a graph past the budget
    (tmp_path / "fan.json").write_text(json.dumps(fan_state(400)))
    (tmp_path / "plan.json").write_text(case_plan("durability").read_text())
    result = dynalint("fan.json", "plan.json", "--no-config", "--select", "DDB101", "-f", "markdown", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "```mermaid" in result.stdout and "aws_dynamodb_table.t[0]" in result.stdout  # the finding, listed
    assert "t[0]" not in result.stdout.split("```mermaid")[1].split("```")[0]  # not drawn


def test_the_workflow_can_raise_the_pair_budget(tmp_path):
    # 160,000 pairs: over 100,000 + 50 x 800, under 100,000 + 200 x 800
    (tmp_path / "fan.json").write_text(json.dumps(fan_state(400)))
    result = subprocess.run(
        [sys.executable, "-m", "dynalint", "fan.json", "--no-config", "-f", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "DYNALINT_PAIRS_PER_RESOURCE": "200"},
    )
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["findings"]


def test_pairs_under_the_budget_and_names_unknown_until_apply_are_linted(tmp_path):
    # 300 tables of one name and 300 alarms: 90,000 pairs, within 100,000 + 50 per resource
    (tmp_path / "fan.json").write_text(json.dumps(fan_state(300)))
    result = dynalint("fan.json", "--no-config", "-f", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert {f["rule_id"] for f in json.loads(result.stdout)["findings"]} - {"DL000"}
    # a thousand tables whose names are known only after apply, each with its target by reference: a thousand
    # pairs, as a real configuration ties them
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(
        tables_and_targets(
            1000, '"t-${random_pet.p[count.index].id}"', '"table/${aws_dynamodb_table.t[count.index].name}"'
        )
        + 'resource "random_pet" "p" {\n  count = 1000\n}\n'
    )
    result = dynalint("infra", "--no-config", "-f", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert findings and all(f["rule_id"] != "DL000" for f in findings)


# ---------------------------------------------------------------- DDB602: policies x tables
def policy_state(tables: int, policies: dict[str, list[str]]) -> dict:
    """A state of TABLES tables with an index each (their ARNs known), and identity policies allowing Query and
    Scan on the Resource patterns given."""
    arn = "arn:aws:dynamodb:us-east-1:111122223333:table/{}"
    resources = [
        {
            "address": f"aws_dynamodb_table.t{i}",
            "mode": "managed",
            "type": "aws_dynamodb_table",
            "name": f"t{i}",
            "values": {
                "name": f"t{i}",
                "arn": arn.format(f"t{i}"),
                "hash_key": "pk",
                "global_secondary_index": [{"name": "by_day", "hash_key": "day"}],
            },
        }
        for i in range(tables)
    ]
    for name, patterns in policies.items():
        statement = {"Effect": "Allow", "Action": ["dynamodb:Query", "dynamodb:Scan"], "Resource": patterns}
        doc = {"Version": "2012-10-17", "Statement": [statement]}
        resources.append(
            {
                "address": f"aws_iam_policy.{name}",
                "mode": "managed",
                "type": "aws_iam_policy",
                "name": name,
                "values": {"name": name, "policy": json.dumps(doc)},
            }
        )
    return {"format_version": "1.0", "values": {"root_module": {"resources": resources}}}


def test_a_policy_of_thousands_of_table_arns_is_matched_by_lookup_not_pattern_by_table(monkeypatch):
    # every ARN tried on every table it names: 3,000 ARNs over 300 tables were 2.7 million matches (a policy
    # of 2,000 ARNs on a plan of 1,000 tables: 13 s); an ARN whose table name has no wildcard is now looked up
    from dynalint.rules import access

    tried = []
    monkeypatch.setattr(access, "matches", lambda pattern, text: tried.append(pattern) or _iam_matches(pattern, text))
    arns = [f"arn:aws:dynamodb:{'*' if i % 2 else 'us-east-1'}:111122223333:table/t{i}" for i in range(3000)]
    state = policy_state(300, {"all_tables": arns, "one_wildcard": [*arns[:50], "arn:aws:*:table/t2??"]})
    found = by_address(lint_doc(state, ["DDB602"]), "DDB602")
    assert len(found["aws_iam_policy.all_tables"]) == 300  # none of the 300 tables' indexes is granted
    assert len(found["aws_iam_policy.one_wildcard"]) == 50 + 100  # t0..t49, and t200..t299 by the wildcard
    [t7] = [f for f in found["aws_iam_policy.all_tables"] if "table 't7' " in f.message]
    assert 'add "arn:aws:dynamodb:*:111122223333:table/t7/index/*"' in t7.message  # as the policy writes it
    [t250] = [f for f in found["aws_iam_policy.one_wildcard"] if "table 't250' " in f.message]
    assert 'add "arn:aws:*:table/t2??/index/*"' in t250.message  # the Resource that names it, as written
    # a few per table: the region of the ARN found by the table's name, and the one wildcard on each table and
    # on the index of each table it takes in (before: millions)
    assert len(tried) <= 4 * 300


def _iam_matches(pattern: str, text: str) -> bool:
    from dynalint.rules import _iam

    return _iam.matches(pattern, text)


def test_wildcard_arns_tried_on_tables_past_the_budget_are_refused_naming_the_policy(monkeypatch, tmp_path):
    # each wildcard pattern is tried on every table a policy may name: 2,000 of them in a policy over 1,000
    # tables were 4 million tries (13 s), a hundred such policies 20 minutes. The budget is millions of tries;
    # here it is made small, and the twin below lints under the real one
    from click.testing import CliRunner
    from dynalint.rules import access

    from dynalint.cli import main

    wild = [f"arn:aws:dynamodb:us-east-1:111122223333:table/x*{i}" for i in range(100)]
    (tmp_path / "state.json").write_text(json.dumps(policy_state(50, {"wide": wild, "also_wide": wild})))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(access._Tries, "FLOOR", 7_000)
    monkeypatch.setattr(access._Tries, "PER_TABLE", 0)
    result = CliRunner().invoke(main, ["state.json", "--no-config", "-f", "sarif"])
    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(
        "dynalint: error: state.json: its identity policies ask DDB602 to try statements and Resource patterns on "
        "its tables more than 7,000 times (aws_iam_policy.also_wide went past it)"
    )
    assert line.endswith("--ignore DDB602 leaves the rule out")
    assert CliRunner().invoke(main, ["state.json", "--no-config", "--ignore", "DDB602"]).exit_code == 1  # it does
    monkeypatch.setattr(access._Tries, "FLOOR", 20_000)  # 2 policies x 50 tables x (1 statement + 100 patterns)
    result = CliRunner().invoke(main, ["state.json", "--no-config", "-f", "json", "--select", "DDB602"])
    assert result.exit_code == 0, result.output  # no pattern names a table: nothing to report
    assert json.loads(result.stdout)["findings"] == []


def test_a_policy_of_thousands_of_statements_counts_each_asked_about_each_table(monkeypatch):
    # each of a policy's statements is asked about every table the policy may name (one wildcard in a table
    # name makes that every table): 10,000 statements over 1,000 tables took 6 s
    from dynalint.rules import access

    from dynalint.errors import InputError

    monkeypatch.setattr(access._Tries, "FLOOR", 1_000)
    monkeypatch.setattr(access._Tries, "PER_TABLE", 0)
    state = policy_state(50, {"one": ["arn:aws:dynamodb:*:*:table/x*y"]})
    statement = {"Effect": "Allow", "Action": "dynamodb:Query", "Resource": "arn:aws:dynamodb:*:*:table/t3"}
    doc = json.loads(state["values"]["root_module"]["resources"][-1]["values"]["policy"])
    doc["Statement"] += [statement] * 25  # 26 statements x 50 tables
    state["values"]["root_module"]["resources"][-1]["values"]["policy"] = json.dumps(doc)
    with pytest.raises(InputError, match=r"more than 1,000 times \(aws_iam_policy.one went past it\)"):
        lint_doc(state, ["DDB602"])
    monkeypatch.setattr(access._Tries, "FLOOR", 2_000)  # 50 tables x (26 statements + 1 wildcard), and t3's ARN
    found = by_address(lint_doc(state, ["DDB602"]), "DDB602")
    assert [f.message.split(" but ")[0] for f in found["aws_iam_policy.one"]] == [
        "IAM policy 'one' allows dynamodb:Query on table 't3'"
    ]


def test_pieces_known_only_after_apply_count_as_tries_too():
    # a .tf policy may name thousands of table ARNs by reference ("${aws_dynamodb_table.t[7].arn}"): each such
    # piece is asked about every table the policy may name, as a pattern is
    from dynalint.rules import access

    from dynalint.errors import TooMuchWork
    from dynalint.model import Unresolved

    pieces = tuple(Unresolved((f"aws_dynamodb_table.t{i}.arn",), suffix="") for i in range(40))
    statement = query_statement(resources=(), resource_pieces=pieces)
    grant = access._Grant(statement)
    table = access._TableArn("t7", None, None, None, address="aws_dynamodb_table.t7")
    tries = access._Tries(0)
    assert grant.takes_in(table, "", tries) and grant.written(table, tries) == "${aws_dynamodb_table.t7.arn}"
    spent = tries.budget - tries.left
    assert spent == 2 * (1 + 40)  # each of the two questions: the statement, then its 40 pieces
    tries.left = spent - 1
    with pytest.raises(TooMuchWork):
        grant.takes_in(table, "", tries)
        grant.written(table, tries)


def test_yaml_rules_that_test_too_much_on_an_input_are_refused_naming_the_rule(monkeypatch, tmp_path):
    # a rules file from the config's rules_dirs and the plan both come with the pull request, and the time is
    # the product of their sizes: 2,000 conditions on 1,000 tables took 6 s, and a megabyte of rules holds
    # 20,000. Each condition on each resource, and each value it tests there, counts; the budget is made small
    from click.testing import CliRunner

    from dynalint import yaml_rules
    from dynalint.cli import main

    conditions = "".join(f"        - attribute: tags.team\n          equals: team{i}\n" for i in range(30))
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "teams.yaml").write_text(
        "rules:\n  - id: ACME001\n    level: warning\n    summary: Tables belong to a known team.\n"
        '    message: "{label} belongs to no known team"\n    resource_types: [aws_dynamodb_table]\n'
        f"    require:\n      any:\n{conditions}"
    )
    state = fan_state(5)  # 5 tables (and 5 alarms, which the rule does not judge)
    (tmp_path / "state.json").write_text(json.dumps(state))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(yaml_rules._Work, "PER_RESOURCE", 0)
    monkeypatch.setattr(yaml_rules._Work, "FLOOR", 250)  # 5 tables x (1 + 30 conditions x (1 + the value, absent))
    args = ["state.json", "--no-config", "--rules-dir", "rules", "-f", "json", "--select", "ACME001"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2 and refused.stdout == ""
    [line] = refused.stderr.splitlines()
    assert line.startswith(
        "dynalint: error: state.json: YAML rules would test its resources more than 250 times "
        "(ACME001 of rules/teams.yaml:2 went past it)"
    )
    monkeypatch.setattr(yaml_rules._Work, "FLOOR", 305)
    judged = CliRunner().invoke(main, args)
    assert judged.exit_code == 0 and len(json.loads(judged.stdout)["findings"]) == 5  # no table has a team tag
    # many rules whose address matches nothing: each is still asked about each resource
    many = "rules:\n" + "".join(
        f"  - id: ACME{i:03d}\n    level: warning\n    summary: S.\n    message: M\n"
        f"    resource_types: [aws_dynamodb_table]\n    address: nothing.t{i}\n"
        "    require:\n      attribute: name\n      exists: true\n"
        for i in range(100, 170)
    )
    (tmp_path / "rules" / "teams.yaml").write_text(many)
    refused = CliRunner().invoke(main, [*args[:-1], "ACME"])  # 5 tables x 70 rules
    assert refused.exit_code == 2 and "more than 305 times (ACME1" in refused.stderr


# ---------------------------------------------------------------- YAML and TOML settings and rules
def billion_laughs(levels: int = 9, top: str = "rules") -> str:
    lines = ["x-a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"x-a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + f"\n{top}: *a{levels - 1}\n"


def test_yaml_aliases_in_a_rules_file_are_counted_before_they_are_built(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "bomb.yaml").write_text(billion_laughs())  # 1 KB, 387 million values
    (tmp_path / "plan.json").write_text(case_plan("durability").read_text())
    # the sixth line's anchor is the first past the bound: 9**6 values
    refused(
        dynalint("plan.json", "--no-config", "--rules-dir", "rules", cwd=tmp_path),
        "rules/bomb.yaml:6:",
        "YAML aliases here expand to more than 100,000 values",
    )


@pytest.mark.parametrize("key", ["fail_on", "select", "rules_dirs", "ignore"])
def test_yaml_aliases_in_the_config_file_are_counted_before_they_are_built(tmp_path, key):
    (tmp_path / ".dynalint.yaml").write_text(billion_laughs(top=key))
    (tmp_path / "plan.json").write_text(case_plan("durability").read_text())
    for command in (["plan.json"], ["rules"]):
        refused(
            dynalint(*command, cwd=tmp_path),
            ".dynalint.yaml:6:",
            "YAML aliases here expand to more than 100,000 values",
        )


def test_a_yaml_alias_that_holds_itself_is_refused(tmp_path):
    (tmp_path / ".dynalint.yaml").write_text("select: &a [DDB, *a]\n")
    (tmp_path / "plan.json").write_text(case_plan("durability").read_text())
    refused(dynalint("plan.json", cwd=tmp_path), ".dynalint.yaml:1:", "an alias refers to a node that holds it")


def test_settings_and_rules_files_above_a_megabyte_are_refused(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "big.yaml").write_text("rules: []\n" + "# padding\n" * 120_000)
    (tmp_path / "plan.json").write_text(case_plan("durability").read_text())
    refused(
        dynalint("plan.json", "--no-config", "--rules-dir", "rules", cwd=tmp_path),
        "rules/big.yaml:",
        "is larger than dynalint reads in a rules file (1,024 KB)",
    )
    (tmp_path / "pyproject.toml").write_text("[tool.dynalint]\n" + "# padding\n" * 120_000)
    refused(dynalint("plan.json", cwd=tmp_path), "pyproject.toml:", "larger than dynalint reads in a config file")


def test_toml_nested_past_the_parser_is_one_line(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.dynalint]\nselect = " + "[" * 50_000 + "]" * 50_000 + "\n")
    (tmp_path / "plan.json").write_text(case_plan("durability").read_text())
    refused(dynalint("plan.json", cwd=tmp_path), "pyproject.toml:", "TOML nested too deeply to read")


# ---------------------------------------------------------------- numbers
def test_a_plan_number_of_thousands_of_digits_is_one_clear_line(tmp_path):
    text = case_plan("capacity").read_text().replace('"read_capacity":10', '"read_capacity":' + "9" * 5000)
    (tmp_path / "plan.json").write_text(text)
    refused(dynalint("plan.json", "--no-config", cwd=tmp_path), "plan.json:", "has more than 4,300 digits")


def test_a_baseline_number_of_thousands_of_digits_is_one_clear_line(tmp_path):
    (tmp_path / "plan.json").write_text(case_plan("durability").read_text())
    (tmp_path / "baseline.json").write_text('{"version": 1, "tool": "dynalint", "findings": [' + "9" * 5000 + "]}")
    refused(
        dynalint("plan.json", "--no-config", "--baseline", "baseline.json", cwd=tmp_path),
        "baseline.json:",
        "not a dynalint baseline",
    )


def test_infinite_and_huge_numbers_in_a_plan_are_linted(tmp_path):
    # 1e999999 reads as infinity: a value no rule can trust, judged without a traceback
    text = case_plan("capacity").read_text().replace('"read_capacity":10', '"read_capacity":1e999999')
    (tmp_path / "plan.json").write_text(text)
    result = dynalint("plan.json", "--no-config", "-f", "sarif", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["runs"][0]["results"] and "Infinity" not in result.stdout


def test_a_baseline_linked_to_a_device_is_refused(tmp_path):
    # a pull request can commit .dynalint-baseline.json as a link to /dev/zero: no size, no end
    (tmp_path / "plan.json").write_text(case_plan("durability").read_text())
    (tmp_path / "baseline.json").symlink_to("/dev/zero")
    refused(
        dynalint("plan.json", "--no-config", "--baseline", "baseline.json", cwd=tmp_path),
        "baseline.json:",
        "larger than dynalint reads in a baseline (65,536 KB)",
    )


def test_a_refusal_naming_a_policy_leaves_out_the_secret_its_address_holds(monkeypatch, tmp_path):
    # a for_each key may hold a copy of a secret (nonsensitive()), and a refusal names the policy that spent
    # the budget: the line is scrubbed as findings are
    from click.testing import CliRunner
    from dynalint.rules import access

    from dynalint.cli import main

    secret = "hunter2-s3cr3t-value"
    state = policy_state(50, {"wide": [f"arn:aws:dynamodb:us-east-1:111122223333:table/x*{i}" for i in range(100)]})
    resources = state["values"]["root_module"]["resources"]
    resources[0]["values"]["tags"] = {"owner": secret}
    resources[0]["sensitive_values"] = {"tags": {"owner": True}}
    resources[-1].update(address=f'aws_iam_policy.wide["{secret}"]', index=secret)
    (tmp_path / "state.json").write_text(json.dumps(state))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(access._Tries, "FLOOR", 1_000)
    monkeypatch.setattr(access._Tries, "PER_TABLE", 0)
    for jobs in ("1", "2"):
        result = CliRunner().invoke(main, ["state.json", "state.json", "--no-config", "--jobs", jobs])
        assert result.exit_code == 2
        [line] = result.stderr.splitlines()
        assert "went past it" in line and "aws_iam_policy.wide[" in line
        assert secret not in line and "(sensitive)" in line

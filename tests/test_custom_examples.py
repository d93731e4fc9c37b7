"""examples/custom-rules run as the README shows, and the examples of docs/custom-rules.md work."""

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from dynalint import config, custom, engine, yaml_rules
from dynalint.cli import main
from dynalint.load import load_inputs
from helpers import ROOT, flagged, load_case, run_rules

EXAMPLE = ROOT / "examples" / "custom-rules"
README = (ROOT / "README.md").read_text()
DOCS = (ROOT / "docs" / "custom-rules.md").read_text()
SECTION = README.split("## Custom rules", 1)[1].split("\n## ", 1)[0]
EXPECTED = {
    ("ACME001", "aws_dynamodb_table.sessions"),
    ("ACME002", "aws_dynamodb_table.sessions"),
    ("ACME101", 'module.payments["ledger"].aws_dynamodb_table.this'),
    ("ACME101", 'module.payments["refunds"].aws_dynamodb_table.this'),
}


def commands() -> list[str]:
    [block] = re.findall(r"```sh\n(.*?)```", SECTION, re.S)
    return [line for line in block.splitlines() if line.strip()]


def shell(command: str) -> subprocess.CompletedProcess:
    """A README line as a user pastes it, in the repository root, with this interpreter's dynalint first."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    return subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_readme_commands_work_as_written():
    lint_plan, lint_tf, listing, explain, schema = commands()
    shown = re.findall(r"```text\n(.*?)```", SECTION, re.S)[0].strip("\n").splitlines()
    for command in (lint_plan, lint_tf):
        result = shell(command)
        assert result.returncode == 1, result.stderr  # ACME101 is an error
        assert {line.split()[1] for line in result.stdout.splitlines() if line.startswith("    ")} == {
            "ACME001",
            "ACME002",
            "ACME101",
        }
        assert "(1 suppressed)" in result.stdout
    plan_output = shell(lint_plan).stdout.splitlines()
    assert all(line in plan_output for line in shown)
    listed = shell(listing)
    assert listed.returncode == 0 and all(i in listed.stdout for i in ("ACME001", "ACME002", "ACME101", "DDB101"))
    explained = shell(explain)
    assert explained.returncode == 0
    assert "## What it checks" in explained.stdout and "## Definition" in explained.stdout
    printed = shell(schema)
    assert printed.returncode == 0 and json.loads(printed.stdout) == yaml_rules.schema()


def test_the_readme_yaml_rule_loads():
    [snippet] = [b for b in re.findall(r"```yaml\n(.*?)```", SECTION, re.S) if b.startswith("rules:")]
    [rule] = yaml_rules.load_text(snippet, "README.md")
    assert rule.id == "ACME001" and rule.applies == ("aws_dynamodb_table",)


def lint_example(path: Path, select=("ACME",)):
    registry = custom.registry(config.rules_dirs(EXAMPLE / ".dynalint.yaml"), entry_points=False)
    settings = config.load(EXAMPLE / ".dynalint.yaml", registry.sorted())
    rules = engine.select(registry.sorted(), select)
    return engine.run(load_inputs([str(path)]), rules, registry.links, settings.run_options())


@pytest.mark.parametrize("source", ["infra/plan.json", "infra"])
def test_the_example_rules_on_the_plan_and_on_the_tf_sources(source):
    found = lint_example(EXAMPLE / source)
    assert {(f.rule_id, f.address) for f in found if not f.suppressed} == EXPECTED
    [accepted] = [f for f in found if f.suppressed]
    assert (accepted.rule_id, accepted.address) == ("ACME001", "aws_dynamodb_table.load_test")
    messages = {f.address: f.message for f in found if f.rule_id == "ACME101"}
    assert "AWS-owned key" in messages['module.payments["ledger"].aws_dynamodb_table.this']
    assert "never rotates" in messages['module.payments["refunds"].aws_dynamodb_table.this']


def test_the_example_python_rule_options():
    registry = custom.registry([EXAMPLE / "rules"], entry_points=False)
    model = load_inputs([str(EXAMPLE / "infra" / "plan.json")])[0]
    rule = registry.rules["ACME101"]
    elsewhere = engine.run([model], [rule], registry.links, engine.RunOptions(options={"ACME101": {"modules": ["x"]}}))
    assert elsewhere == []


# ---------------------------------------------------------------- docs/custom-rules.md
def test_the_docs_python_rule_runs(tmp_path):
    [module] = [b for b in re.findall(r"```python\n(.*?)```", DOCS, re.S) if "ACME100" in b]
    (tmp_path / "streams.py").write_text(module)
    registry = custom.registry([tmp_path], entry_points=False)
    found = run_rules([load_case("custom")], [registry.rules["ACME100"]], registry.links)
    assert "aws_dynamodb_table.orders" not in flagged(found, "ACME100")  # its stream is on
    assert "aws_dynamodb_table.scratch" in flagged(found, "ACME100")


def test_the_docs_yaml_examples_load(tmp_path):
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS, re.S)
    rule_file = next(b for b in blocks if b.startswith("rules:"))
    assert [r.id for r in yaml_rules.load_text(rule_file, "docs")] == ["ACME002"]
    for condition in (b for b in blocks if b.startswith(("require:", "connected:"))):
        document = condition if condition.startswith("require:") else "require:\n" + textwrap.indent(condition, "  ")
        text = (
            "rules:\n  - id: X001\n    level: note\n    summary: s\n    message: m\n"
            "    resource_types: [aws_dynamodb_table]\n" + textwrap.indent(document, "    ")
        )
        assert yaml_rules.load_text(text, "docs")
    settings = next(b for b in blocks if b.startswith("rules_dirs:"))
    policies = tmp_path / "policies"
    policies.mkdir()
    rule = (
        "  - id: {}\n    level: note\n    summary: s\n    message: m\n    resource_types: [aws_dynamodb_table]\n"
        "    require: {{attribute: name, exists: true}}\n"
    )
    (policies / "r.yaml").write_text("rules:\n" + rule.format("ACME001") + rule.format("ACME101"))
    [module] = [b for b in re.findall(r"```python\n(.*?)```", DOCS, re.S) if "ACME100" in b]
    (policies / "streams.py").write_text(module)
    (tmp_path / ".dynalint.yaml").write_text(settings)
    dirs = config.rules_dirs(tmp_path / ".dynalint.yaml")
    loaded = config.load(tmp_path / ".dynalint.yaml", custom.registry(dirs, entry_points=False).sorted())
    assert loaded.options["ACME100"] == {"exempt_prefixes": ["tmp-", "load-"]}


def test_the_docs_fix_example_fixes(tmp_path, monkeypatch):
    [module] = [b for b in re.findall(r"```python\n(.*?)```", DOCS, re.S) if "ACME200" in b]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "classes.py").write_text(module)
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(
        'resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "pk"\n}\n'
    )
    args = ["--rules-dir", "rules", "--select", "ACME200", "--no-config", "infra"]
    assert "ACME200" in CliRunner().invoke(main, args).stdout
    CliRunner().invoke(main, ["--fix", *args])
    assert (tmp_path / "infra" / "main.tf").read_text() == (
        'resource "aws_dynamodb_table" "t" {\n  name        = "t"\n  hash_key    = "pk"\n'
        '  table_class = "STANDARD"\n}\n'
    )
    assert "ACME200" not in CliRunner().invoke(main, args).stdout

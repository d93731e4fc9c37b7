"""Custom rules from the user's side: Python rule modules, entry points, the config's rules_dirs,
and custom rules in listings, SARIF, selection, config, suppressions and baselines."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from dynalint import custom, engine
from dynalint.cli import main
from dynalint.errors import RuleError
from dynalint.report import INFORMATION_URI
from helpers import case_plan, flagged, load_case, run_rules, validate_sarif

PLAN = str(case_plan("custom"))
MODEL = load_case("custom")

NAMING = '''\
"""A helper module: not loaded as rules (its name starts with _), imported relatively."""
PREFIX = "prod-"
'''

# HOUSE001 reads options; HOUSE002 asks the graph, with a Link of its own; HOUSE003 is listed in RULES
# only; the built-in rule imported here is not registered twice.
HOUSE = '''\
import re

from dynalint.graph import Link
from dynalint.rule import Issue, rule
from dynalint.rules.durability import pitr_disabled  # re-exported: not a clash
from dynalint.values import is_known, label

from ._naming import PREFIX


@rule(id="HOUSE001", slug="table-name-prefix", level="warning", applies=["aws_dynamodb_table"],
      options={"prefix": PREFIX}, tags=["naming"])
def table_name_prefix(table, ctx):
    """The table name lacks the team prefix.

    ## What it checks
    Table names that do not start with the `prefix` option.

    ## Why it matters
    Our IAM policies grant access by name prefix.
    """
    name = table.values.get("name")
    if is_known(name) and isinstance(name, str) and not name.startswith(ctx.options["prefix"]):
        yield Issue(f"Table {label(table)} does not start with {ctx.options['prefix']!r}.", path="name")


@rule(id="HOUSE002", slug="topic-alarms", level="note", applies=["aws_sns_topic"], kind="graph")
def topic_alarms(topic, ctx):
    """Counts the alarms that notify a topic."""
    alarms = ctx.related(topic, "aws_cloudwatch_metric_alarm", via="alarm_actions", direction="in")
    tables = len(ctx.resources("aws_dynamodb_table"))
    marker = ctx.resource("aws_sqs_queue.marker") is not None
    yield Issue(f"{len(alarms)} alarms: {', '.join(a.name for a in alarms)}; {tables} tables; marker {marker}")


def _topic_names(alarm):
    for arn in alarm.values.get("alarm_actions") or ():
        if isinstance(arn, str) and arn.startswith("arn:aws:sns:"):
            yield arn.rsplit(":", 1)[1]


def _topic_name(topic):
    yield topic.values.get("name")


LINKS = [Link("aws_cloudwatch_metric_alarm", "aws_sns_topic", "alarm_actions", _topic_names, _topic_name)]


def _kms_rotation(key, ctx):
    """The key does not rotate."""
    if key.values.get("enable_key_rotation") is not True:
        yield Issue(f"Key {key.address} does not rotate.")


RULES = [rule(id="HOUSE003", slug="key-rotation", level="error", applies=["aws_kms_key"])(_kms_rotation)]
'''


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


@pytest.fixture
def house(tmp_path) -> Path:
    """A rules directory with a Python module, its helper, and a YAML file."""
    directory = tmp_path / "house"
    write(directory / "_naming.py", NAMING)
    write(directory / "house.py", HOUSE)
    write(
        directory / "tags.yaml",
        """\
        rules:
          - id: HOUSE010
            level: warning
            summary: The table has no CostCenter tag.
            message: "Table {label} has no CostCenter tag."
            resource_types: [aws_dynamodb_table]
            require: {attribute: tags_all.CostCenter, exists: true}
        """,
    )
    return directory


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def findings(*args) -> list[dict]:
    result = run(PLAN, "-f", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def lint(directory, options=None):
    registry = custom.registry([directory], entry_points=False)
    rules = [r for r in registry.sorted() if not r.builtin]
    return run_rules([MODEL], rules, registry.links, engine.RunOptions(options=options or {}))


# ---------------------------------------------------------------- Python rule modules
def test_a_rules_module_contributes_its_rules_links_and_rules_list(house):
    registry = custom.registry([house], entry_points=False)
    assert {"HOUSE001", "HOUSE002", "HOUSE003", "HOUSE010"} <= set(registry.rules)
    assert registry.rules["DDB101"].origin == "dynalint.rules.durability"  # the re-export changed nothing
    assert registry.rules["HOUSE001"].origin.endswith("house/house.py:11")
    assert registry.rules["HOUSE001"].help.startswith("## What it checks")
    found = lint(house)
    assert flagged(found, "HOUSE001") == {
        "aws_dynamodb_table.scratch",
        "aws_dynamodb_table.bare",
        "aws_dynamodb_table.later",
        "aws_dynamodb_table.secret",
        "module.payments.aws_dynamodb_table.this",
        "module.ledger.aws_dynamodb_table.this",
    }
    assert flagged(found, "HOUSE003") == set()  # the fixture's key rotates
    assert flagged(found, "HOUSE010") == {"aws_dynamodb_table.scratch", "aws_dynamodb_table.bare"}


def test_context_graph_with_reference_and_custom_literal_link(house):
    [topic] = [f for f in lint(house) if f.rule_id == "HOUSE002"]
    # orders_throttles names the topic by reference, bare_errors by its literal ARN (the module's Link)
    assert topic.message == "2 alarms: bare_errors, orders_throttles; 7 tables; marker True"


def test_options_of_python_rules(house):
    found = lint(house, options={"HOUSE001": {"prefix": "p"}})
    assert flagged(found, "HOUSE001") == {
        "aws_dynamodb_table.scratch",
        "aws_dynamodb_table.bare",
        "aws_dynamodb_table.later",
        "aws_dynamodb_table.secret",
        "module.ledger.aws_dynamodb_table.this",
    }


def test_rules_dir_on_the_command_line(house):
    result = run(PLAN, "--rules-dir", str(house), "--select", "HOUSE001,HOUSE010", "-f", "json")
    assert result.exit_code == 0  # warnings only
    ids = {f["rule_id"] for f in json.loads(result.stdout)["findings"]}
    assert ids == {"HOUSE001", "HOUSE010"}
    missing = run(PLAN, "--rules-dir", str(house / "nope"))
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_custom_rules_are_never_loaded_implicitly(house, monkeypatch):
    monkeypatch.chdir(house)  # rule files in the current directory mean nothing without --rules-dir
    assert "HOUSE001" not in run("rules").output
    assert "HOUSE001" in run("rules", "--rules-dir", ".").output


# ---------------------------------------------------------------- broken rules: one line, exit 2
@pytest.fixture
def broken(tmp_path, monkeypatch):
    """Load a rules directory holding FILES; return the one-line error (paths relative to tmp_path)."""
    monkeypatch.chdir(tmp_path)

    def load(**files: str) -> str:
        for name, text in files.items():
            write(tmp_path / "rules" / name.replace("__", "."), text)
        result = run(PLAN, "--rules-dir", "rules")
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1
        return result.stderr.strip().removeprefix("dynalint: error: ")

    return load


def test_import_error_names_file_and_line(broken):
    text = "from dynalint.rule import rule\n\n\nrule_count = len(RULES_TABLE)\n"
    assert broken(bad__py=text) == (
        "rules/bad.py:4: cannot load custom rules: NameError: name 'RULES_TABLE' is not defined"
    )


def test_syntax_error_names_file_and_line(broken):
    assert (
        broken(bad__py="def check(:\n    pass\n") == "rules/bad.py:1: cannot load custom rules: SyntaxError: "
        "invalid syntax"
    )


def test_error_in_a_helper_names_the_helper_line(broken):
    text = broken(_util__py="X = 1\nY = {}['missing']\n", bad__py="from ._util import X\n")
    assert text == "rules/_util.py:2: cannot load custom rules from rules/bad.py: KeyError: 'missing'"


def test_bad_rule_metadata_names_the_decorator_line(broken):
    text = broken(
        bad__py='from dynalint.rule import rule\n\n\n@rule(id="house-1", slug="x", level="note", '
        'applies=[])\ndef check(r, ctx):\n    """X."""\n'
    )
    assert text.startswith("rules/bad.py:4: cannot load custom rules: rule id 'house-1' must be letters then digits")


def test_a_module_without_rules_and_an_empty_directory(broken, tmp_path):
    assert broken(util__py="X = 1\n") == (
        "rules/util.py: defines no rule (a helper module's name starts with '_', e.g. _helpers.py)"
    )
    (tmp_path / "rules" / "util.py").unlink()
    assert broken() == "rules: no rules here (custom rules are *.py, *.yaml or *.yml files)"


def test_a_yaml_schema_error_through_the_command_line(broken):
    text = broken(house__yaml=YAML_RULE.format(id="ACME001").replace("level: note", "level: loud"))
    assert text == "rules/house.yaml:3: rule ACME001: rules[0].level: expected one of error, warning, note, got 'loud'"


PY_RULE = '''\
from dynalint.rule import Issue, rule


@rule(id="{id}", slug="some-rule", level="note", applies=["aws_dynamodb_table"])
def some_rule(table, ctx):
    """Some rule."""
    yield Issue("x")
'''
YAML_RULE = """\
rules:
  - id: {id}
    level: note
    summary: Some rule.
    message: x
    resource_types: [aws_dynamodb_table]
    require: {{attribute: name, exists: true}}
"""


def test_id_clash_with_a_built_in_rule_names_both_origins(broken):
    assert broken(mine__py=PY_RULE.format(id="DDB101")) == (
        "rules/mine.py:4: rule id DDB101 is already defined by dynalint's built-in rule (dynalint.rules.durability): "
        "give one of them another id"
    )


def test_id_clash_between_custom_rules_names_both_origins(broken):
    text = broken(a__yaml=YAML_RULE.format(id="ACME001"), b__py=PY_RULE.format(id="ACME001"))
    assert text == "rules/b.py:4: rule id ACME001 is already defined by rules/a.yaml:2: give one of them another id"


def test_id_clash_across_two_directories(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "one" / "r.yaml", YAML_RULE.format(id="ACME001"))
    write(tmp_path / "two" / "r.yaml", YAML_RULE.format(id="ACME001"))
    with pytest.raises(RuleError, match=r"^two/r\.yaml:2: rule id ACME001 is already defined by one/r\.yaml:2"):
        custom.registry(["one", "two"], entry_points=False)
    assert "ACME001" in custom.registry(["one", "one"], entry_points=False).rules  # one directory, loaded once


def test_ids_of_dynalint_families_are_reserved(broken):
    assert broken(mine__yaml=YAML_RULE.format(id="DDB999")).startswith(
        "rules/mine.yaml:2: rule id DDB999: ids starting DDB or DL are kept for dynalint's own rules"
    )
    assert (
        "DLX001"
        in custom.registry(
            [write(Path("ok") / "r.yaml", YAML_RULE.format(id="DLX001")).parent], entry_points=False
        ).rules
    )


# ---------------------------------------------------------------- entry points
DIST_INFO = {"METADATA": "Metadata-Version: 2.1\nName: acme-dynalint\nVersion: 1.2.0\n"}


@pytest.fixture
def site(tmp_path, monkeypatch):
    """An installed distribution (a .dist-info on sys.path) whose entry points come from ENTRY_POINTS."""
    root = tmp_path / "site"
    write(root / "acme_rules" / "__init__.py", PY_RULE.format(id="ACME900") + "\nALL = [some_rule]\n")
    write(root / "acme_broken" / "__init__.py", "import os\n\nVALUE = 1 / 0\n")

    def install(entry_points: str) -> Path:
        write(root / "acme_dynalint-1.2.0.dist-info" / "METADATA", DIST_INFO["METADATA"])
        write(root / "acme_dynalint-1.2.0.dist-info" / "entry_points.txt", entry_points)
        monkeypatch.syspath_prepend(str(root))
        for name in ("acme_rules", "acme_broken"):
            monkeypatch.delitem(sys.modules, name, raising=False)
        return root

    return install


def test_an_installed_package_contributes_rules(site):
    site("[dynalint.rules]\nacme = acme_rules\n")
    registry = custom.registry()
    rule = registry.rules["ACME900"]
    assert rule.origin.endswith("acme_rules/__init__.py:4 (entry point acme = acme_rules (acme-dynalint 1.2.0))")
    assert "ACME900" not in custom.registry(entry_points=False).rules


def test_an_entry_point_may_name_a_list_of_rules(site):
    site("[dynalint.rules]\nacme = acme_rules:ALL\n")
    assert "ACME900" in custom.registry().rules


def test_an_entry_point_that_fails_to_import(site):
    site("[dynalint.rules]\nbroken = acme_broken\n")
    with pytest.raises(RuleError) as raised:
        custom.registry()
    text = str(raised.value)
    assert text.endswith(
        "acme_broken/__init__.py:3: cannot load custom rules from entry point broken = acme_broken "
        "(acme-dynalint 1.2.0): ZeroDivisionError: division by zero"
    )


def test_an_entry_point_of_the_wrong_kind(site):
    site("[dynalint.rules]\nodd = os:sep\n")
    with pytest.raises(
        RuleError,
        match=r"entry point odd = os:sep \(acme-dynalint 1\.2\.0\): expected a module, a "
        r"rule, or a list of rules and links; got str",
    ):
        custom.registry()


def test_entry_point_rules_in_a_real_process(site):
    root = site("[dynalint.rules]\nacme = acme_rules\n")
    env = {**os.environ, "PYTHONPATH": str(root)}
    listed = subprocess.run(
        [sys.executable, "-m", "dynalint", "rules", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert listed.returncode == 0, listed.stderr
    rows = {r["id"]: r for r in json.loads(listed.stdout)["rules"]}
    assert "acme-dynalint 1.2.0" in rows["ACME900"]["origin"]
    checked = subprocess.run(
        [sys.executable, "-m", "dynalint", PLAN, "--select", "ACME900", "-f", "json"],
        env=env,
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert checked.returncode == 0 and len(json.loads(checked.stdout)["findings"]) == 7


LOGGING_RULE = '''\
from dynalint.rule import rule


@rule(id="LOGS001", slug="logs", level="note", applies=["aws_dynamodb_table"])
def logs(table, ctx):
    """Logs each table it sees."""
    import logging

    logging.getLogger("acme").warning("saw %s", table.address)
    return ()
'''


@pytest.mark.parametrize("source", ["--rules-dir", "entry point"])
def test_what_a_python_rule_logs_comes_out_as_dynalint_lines(site, tmp_path, source):
    """A run imports logging only where something may log: --debug, or users' Python rules, before which it
    is set up. What such a rule logs at the level shown without --debug is a line of dynalint's, whether the
    rule comes from a directory or an installed package."""
    root = site("[dynalint.rules]\nlogs = acme_logs\n" if source == "entry point" else "")
    write(root / "acme_logs" / "__init__.py", LOGGING_RULE)
    rules_dir = write(tmp_path / "rules" / "logs.py", LOGGING_RULE).parent
    extra = ["--rules-dir", str(rules_dir)] if source == "--rules-dir" else []
    proc = subprocess.run(
        [sys.executable, "-m", "dynalint", PLAN, "--no-config", "--select", "LOGS001", *extra],
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    logged = [line for line in proc.stderr.splitlines() if "saw " in line]
    assert len(logged) == 7 and all(line.startswith("dynalint: saw ") for line in logged), proc.stderr


def test_a_plan_run_imports_no_logging(tmp_path):
    """Nor traceback: without --debug, and without users' Python rules, nothing would use them (a plan alone:
    the .tf parser, lark, imports logging for itself)."""
    plan = shutil.copyfile(PLAN, tmp_path / "plan.json")
    code = textwrap.dedent(f"""
        import sys
        from dynalint.cli import main
        try:
            main([{str(plan)!r}, "--no-config", "-f", "sarif"])
        except SystemExit:
            pass
        print("logging" in sys.modules, "traceback" in sys.modules)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.stdout.split()[-2:] == ["False", "False"], proc.stderr


# ---------------------------------------------------------------- the config file
def test_config_rules_dirs_are_relative_to_the_config_file(house, tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "ci" / "policies").mkdir(parents=True)
    house.rename(project / "ci" / "policies" / "house")
    config = write(
        project / "ci" / ".dynalint.yaml",
        """\
        rules_dirs: [policies/house]
        select: [HOUSE]
        rules:
          HOUSE001:
            level: error
            options: {prefix: "p"}
          HOUSE010: {enabled: false}
        ignore:
          - rule: HOUSE001
            address: "module.*"
            reason: module tables are named by the platform team
        """,
    )
    monkeypatch.chdir(tmp_path)  # neither the config's directory nor the rules'
    result = run(
        PLAN, "--config", str(config), "-f", "json", "--ignore", "HOUSE002", "--show-suppressed", "--allow-config-code"
    )
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["findings"]
    first = {f["address"]: f for f in found if f["rule_id"] == "HOUSE001"}
    assert {f["rule_id"] for f in found} == {"HOUSE001"}  # HOUSE010 is off, HOUSE002 ignored, HOUSE003 silent
    assert first["aws_dynamodb_table.scratch"]["level"] == "error"
    assert "aws_dynamodb_table.orders" not in first  # the option: "prod-orders" starts with "p"
    suppressed = first["module.ledger.aws_dynamodb_table.this"]
    assert suppressed["suppression"] == {
        "kind": "external",
        "justification": "module tables are named by the platform team",
    }


def test_config_found_upwards_loads_its_rules_dirs_for_rules_and_explain(house, tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", f'[tool.dynalint]\nrules_dirs = ["{house.name}"]\n')
    monkeypatch.chdir(house)
    assert "HOUSE001" in run("rules", "--allow-config-code").output
    explained = run("explain", "table-name-prefix", "--allow-config-code")
    assert explained.exit_code == 0 and "Our IAM policies grant access by name prefix." in explained.output
    assert "HOUSE001" not in run("rules", "--no-config").output


@pytest.mark.parametrize(
    "text, expected",
    [
        ("rules_dirs: [nope]\n", ".dynalint.yaml:1: rules_dirs[0]: no directory 'nope' (relative to the config file)"),
        ("rules_dirs: nope\n", ".dynalint.yaml:1: rules_dirs: expected a list of directory names"),
        (
            "rules_dirs: [house]\nrules: {HOUSE999: {level: note}}\n",
            ".dynalint.yaml:2: rules.HOUSE999: unknown rule id",
        ),
    ],
)
def test_config_mistakes(house, tmp_path, monkeypatch, text, expected):
    write(tmp_path / ".dynalint.yaml", text)
    monkeypatch.chdir(tmp_path)
    result = run(PLAN, "--allow-config-code")
    assert result.exit_code == 2 and result.stderr.startswith(f"dynalint: error: {expected}")


# ---------------------------------------------------------------- listings, SARIF, baselines, suppressions
def test_rules_listing_text_json_markdown(house):
    text = run("rules", "--rules-dir", str(house)).output
    assert any(
        line.startswith("HOUSE001  table-name-prefix") and "The table name lacks the team prefix." in line
        for line in text.splitlines()
    )
    listed = run("rules", "--rules-dir", str(house), "--format", "json").output
    rows = {r["id"]: r for r in json.loads(listed)["rules"]}
    assert rows["HOUSE010"]["origin"].endswith("tags.yaml:2") and rows["HOUSE001"]["options"] == {"prefix": "prod-"}
    markdown = run("rules", "--rules-dir", str(house), "--format", "markdown").output
    assert "| HOUSE001 | table-name-prefix | warning |" in markdown
    assert "| [DDB101](docs/rules/DDB101.md) |" in markdown
    broken = house / "zz.yaml"
    broken.write_text("rules: 3\n")
    assert run("rules", "--rules-dir", str(house)).exit_code == 2


def test_sarif_lists_custom_rules_with_their_help(house, tmp_path):
    out = tmp_path / "out.sarif"
    run(PLAN, "--rules-dir", str(house), "--select", "HOUSE", "-f", "sarif", "-o", str(out))
    doc = json.loads(out.read_text())
    validate_sarif(doc)
    driver = doc["runs"][0]["tool"]["driver"]
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == {"HOUSE001", "HOUSE002", "HOUSE003", "HOUSE010", "DL000"}  # DL000: --select keeps it
    assert rules["HOUSE001"]["fullDescription"]["text"] == (
        "Table names that do not start with the prefix option. Our IAM policies grant access by name prefix."
    )
    # plain text: a custom rule's help may come from the repository under review, code scanning renders markdown
    assert "## What it checks" in rules["HOUSE001"]["help"]["text"] and "markdown" not in rules["HOUSE001"]["help"]
    assert "## Definition" in rules["HOUSE010"]["help"]["text"]
    assert rules["HOUSE010"]["helpUri"] == INFORMATION_URI
    assert {r["ruleId"] for r in doc["runs"][0]["results"]} == {"HOUSE001", "HOUSE002", "HOUSE010"}


def test_baseline_covers_custom_findings(house, tmp_path):
    baseline = tmp_path / "baseline.json"
    first = run(PLAN, "--rules-dir", str(house), "--select", "HOUSE001", "--write-baseline", str(baseline))
    assert first.exit_code == 0
    recorded = {f["rule_id"] for f in json.loads(baseline.read_text())["findings"]}
    assert recorded == {"HOUSE001"}
    again = run(
        PLAN, "--rules-dir", str(house), "--select", "HOUSE001", "--baseline", str(baseline), "--fail-on", "warning"
    )
    assert again.exit_code == 0


TF = """\
# dynalint:ignore=HOUSE010 scratch data has no owner
resource "aws_dynamodb_table" "scratch" {
  name         = "prod-scratch"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "other" {
  name         = "prod-other"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
"""


def test_inline_suppression_of_a_custom_rule(house, tmp_path):
    write(tmp_path / "infra" / "main.tf", TF)
    result = run(
        str(tmp_path / "infra"), "--rules-dir", str(house), "--select", "HOUSE010", "-f", "json", "--show-suppressed"
    )
    found = {f["address"]: f for f in json.loads(result.stdout)["findings"]}
    assert found["aws_dynamodb_table.scratch"]["suppression"] == {
        "kind": "inSource",
        "justification": "scratch data has no owner",
    }
    assert found["aws_dynamodb_table.other"]["suppression"] is None


def test_a_suppression_naming_a_custom_rule_that_runs_is_no_unknown_id(house, tmp_path):
    write(tmp_path / "infra" / "main.tf", TF)
    result = run(str(tmp_path / "infra"), "--rules-dir", str(house), "--select", "HOUSE010,DL002", "-f", "json")
    assert {f["rule_id"] for f in json.loads(result.stdout)["findings"]} == {"HOUSE010"}


def test_a_suppression_naming_a_loaded_custom_rule_is_no_unknown_id(house, tmp_path):
    write(tmp_path / "infra" / "main.tf", TF)
    result = run(str(tmp_path / "infra"), "--rules-dir", str(house), "--select", "DL002", "-f", "json")
    assert json.loads(result.stdout)["findings"] == []


# ---------------------------------------------------------------- entry points: the cheap look first
def _declared(paths: list[str]) -> list[str]:
    """What importlib.metadata finds in the group on these paths (the answer the guard must never miss)."""
    from importlib.metadata import distributions

    return [p.name for d in distributions(path=paths) for p in d.entry_points if p.group == custom.ENTRY_POINT_GROUP]


@pytest.mark.parametrize(
    "layout, expected",
    [
        ({}, False),
        ({"other-1.0.dist-info/entry_points.txt": "[console_scripts]\nother = other:main\n"}, False),
        ({"Other-1.0.dist-info/METADATA": "Name: other\n"}, False),  # no entry_points.txt at all
        ({"acme-1.0.dist-info/entry_points.txt": "[dynalint.rules]\nacme = acme\n"}, True),
        (
            {"ACME-1.0.DIST-INFO/entry_points.txt": "[dynalint.rules]\nacme = acme\n"},
            True,
        ),  # importlib ignores the case
        ({"acme.egg-info/entry_points.txt": "[dynalint.rules]\nacme = acme\n"}, True),
        ({"acme-1.0.egg/EGG-INFO/entry_points.txt": "[dynalint.rules]\nacme = acme\n"}, True),
    ],
    ids=["empty", "other-group", "no-file", "dist-info", "upper-case", "egg-info", "egg"],
)
def test_the_entry_point_guard_agrees_with_importlib_metadata(tmp_path, layout, expected):
    for name, text in layout.items():
        write(tmp_path / name, text)
    paths = [
        str(tmp_path),
        str(tmp_path / "missing"),
        *(str(tmp_path / n.split("/")[0]) for n in layout if n.split("/")[0].endswith(".egg")),
    ]
    assert bool(_declared(paths)) == expected  # the layout means what the test says to importlib.metadata
    assert custom.may_declare_entry_points(custom.ENTRY_POINT_GROUP, paths) == expected


def test_the_entry_point_guard_leaves_what_it_cannot_read_to_importlib_metadata(tmp_path, monkeypatch):
    archive = tmp_path / "site.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip file on the path: importlib.metadata reads zips
    assert custom.may_declare_entry_points(custom.ENTRY_POINT_GROUP, [str(archive)])

    class Finder:  # a meta-path finder that may know distributions of its own
        @staticmethod
        def find_distributions(*args, **kwargs):
            return iter(())

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder])
    assert custom.may_declare_entry_points(custom.ENTRY_POINT_GROUP, [str(tmp_path)])


def test_no_entry_point_scan_when_no_distribution_declares_one():
    code = textwrap.dedent(f"""
        import sys
        from click.testing import CliRunner
        from dynalint.cli import main
        result = CliRunner().invoke(main, ["--no-config", {PLAN!r}, "-f", "sarif"])
        assert result.exit_code in (0, 1), result.output
        print("importlib.metadata" in sys.modules)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_a_yaml_rules_file_named_like_a_dynalint_module_is_still_a_custom_rule(tmp_path, monkeypatch):
    """A YAML rule's origin is its file's path: a file the pull request adds at the root, named
    dynalint.x.yaml, must not pass for one of dynalint's own rules (whose help SARIF renders as markdown)."""
    (tmp_path / "dynalint.evil.yaml").write_text(
        textwrap.dedent("""\
            rules:
              - id: ACME100
                slug: evil
                level: error
                summary: Evil rule.
                message: "Table {label} is evil."
                resource_types: [aws_dynamodb_table]
                help: "[click me](https://evil.example/steal)"
                require:
                  attribute: billing_mode
                  equals: NOPE
            """)
    )
    monkeypatch.chdir(tmp_path)
    registry = custom.registry(["."])
    evil = registry.rules["ACME100"]
    assert evil.origin.startswith("dynalint.evil.yaml:") and not evil.builtin
    assert all(r.builtin for r in engine.builtin_registry().sorted())
    out = tmp_path / "out.sarif"
    run(PLAN, "--rules-dir", ".", "--select", "ACME100", "-f", "sarif", "-o", str(out))
    rules = {r["id"]: r for r in json.loads(out.read_text())["runs"][0]["tool"]["driver"]["rules"]}
    assert "markdown" not in rules["ACME100"]["help"] and rules["ACME100"]["helpUri"] == INFORMATION_URI

"""The config file (.dynalint.yaml, [tool.dynalint]): discovery, validation, and its effect on a real plan."""

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from dynalint import address as addr
from dynalint import config, engine, userfiles
from dynalint.cli import main
from dynalint.errors import InputError
from dynalint.model import Finding, Level
from helpers import ROOT, case_plan, load_case

WORKFLOW = str(case_plan("workflow"))
ENCRYPTION = str(case_plan("encryption"))
RULES = engine.builtin_registry().sorted()


def _accepts(entry: config.IgnoreEntry, finding: Finding) -> bool:
    """What an ignore entry accepts, by definition (the config's matcher answers it for many entries at once):
    its rule covers the finding's and its glob matches the whole address."""
    return entry.covers(finding.rule_id) and bool(addr.glob(entry.address).fullmatch(finding.address))


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project directory, the current directory for the test."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def findings(*args) -> list[dict]:
    result = run(*args, "-f", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def rule_ids(*args) -> set[str]:
    return {f["rule_id"] for f in findings(*args)}


def usage_error(*args) -> str:
    """The one line the user sees for a bad config: exit 2, no traceback."""
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("dynalint: error: ")
    return line


# ---------------------------------------------------------------- discovery
def test_found_by_walking_up_from_the_current_directory(project, monkeypatch):
    write(project / ".dynalint.yaml", "select: [DDB101]\n")
    deep = project / "infra" / "prod"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert config.find(deep) == (project / ".dynalint.yaml").resolve()
    assert rule_ids(WORKFLOW) == {"DDB101"}


def test_pyproject_table_is_found_and_a_pyproject_without_it_is_passed_over(project, monkeypatch):
    write(
        project / "pyproject.toml",
        """
        [tool.dynalint]
        select = ["DDB103"]
    """,
    )
    sub = project / "svc"
    write(sub / "pyproject.toml", '[project]\nname = "svc"\n')
    monkeypatch.chdir(sub)
    assert config.find(sub) == (project / "pyproject.toml").resolve()
    assert rule_ids(WORKFLOW) == {"DDB103"}


def test_dynalint_yaml_wins_over_pyproject_in_the_same_directory(project):
    write(project / "pyproject.toml", '[tool.dynalint]\nselect = ["DDB103"]\n')
    write(project / ".dynalint.yml", "select: [DDB105]\n")
    assert rule_ids(WORKFLOW) == {"DDB105"}


def test_explicit_config_and_no_config(project):
    write(project / ".dynalint.yaml", "select: [DDB101]\n")
    other = write(project / "ci" / "strict.yaml", "select: [DDB104]\n")
    assert rule_ids(WORKFLOW, "--config", str(other)) == {"DDB104"}
    assert {"DDB101", "DDB103", "DDB201"} <= rule_ids(WORKFLOW, "--no-config")
    assert "do not go together" in usage_error(WORKFLOW, "--config", str(other), "--no-config")


def test_no_file_means_defaults(project):
    assert config.find(project) is None  # nothing in the test's directory nor above it
    assert config.resolve(None, RULES, start=project) == config.Config()


def test_an_empty_file_is_every_default(project):
    write(project / ".dynalint.yaml", "# nothing set yet\n")
    assert rule_ids(WORKFLOW) == rule_ids(WORKFLOW, "--no-config")


def test_jsonschema_is_imported_only_when_a_config_file_exists(project):
    code = textwrap.dedent(f"""
        import sys
        from dynalint.cli import main
        try:
            main(["{WORKFLOW}", "--no-config", "-q"])
        except SystemExit:
            pass
        print("jsonschema" in sys.modules, "yaml" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project)
    assert out.stdout.strip().splitlines()[-1] == "False False", out.stderr


# ---------------------------------------------------------------- what the keys do
def test_fail_on_from_the_file_and_the_flag_overrides_it(project):
    write(project / ".dynalint.yaml", "fail_on: never\n")
    assert run(WORKFLOW).exit_code == 0
    assert run(WORKFLOW, "--fail-on", "error").exit_code == 1


def test_level_override_reaches_every_format(project):
    write(
        project / ".dynalint.yaml",
        """
        rules:
          DDB201:
            level: error
    """,
    )
    levels = {f["level"] for f in findings(WORKFLOW) if f["rule_id"] == "DDB201"}
    assert levels == {"error"}
    sarif = json.loads(run(WORKFLOW, "-f", "sarif").stdout)
    assert {r["level"] for r in sarif["runs"][0]["results"] if r["ruleId"] == "DDB201"} == {"error"}
    write(project / ".dynalint.yaml", "fail_on: error\nselect: [DDB201]\nrules: {DDB201: {level: note}}\n")
    assert run(WORKFLOW).exit_code == 0  # only notes left, below fail_on


def test_enabled_turns_rules_off_and_on(project):
    write(
        project / ".dynalint.yaml",
        """
        select: [DDB1]
        rules:
          DDB103: {enabled: false}
          DDB201: {enabled: true}
    """,
    )
    ids = rule_ids(WORKFLOW)
    assert "DDB103" not in ids and "DDB101" in ids and "DDB201" in ids


def test_ignore_rules_and_the_command_line_on_top(project):
    write(project / ".dynalint.yaml", "select: [DDB1]\nignore_rules: [DDB103]\n")
    assert rule_ids(WORKFLOW) == {"DDB101", "DDB104", "DDB105"}
    # --ignore drops more from the file's selection
    assert rule_ids(WORKFLOW, "--ignore", "DDB104") == {"DDB101", "DDB105"}
    # --select replaces the file's whole selection, its ignore_rules included (as in ruff)
    assert rule_ids(WORKFLOW, "--select", "DDB103,DDB201") == {"DDB103", "DDB201"}


def test_options_reach_the_rule(project):
    # aws_kms_key.careless has a 7-day deletion window: DDB204 fires at the default minimum of 30.
    assert any(f["address"] == "aws_kms_key.careless" for f in findings(ENCRYPTION, "--select", "DDB204"))
    write(project / ".dynalint.yaml", "rules: {DDB204: {options: {min_kms_deletion_window: 7}}}\n")
    assert not findings(ENCRYPTION, "--select", "DDB204")


def test_ignore_entries_suppress_with_their_reason(project):
    write(
        project / ".dynalint.yaml",
        """
        ignore:
          - rule: DDB1
            address: "module.sandbox.*"
            reason: sandbox tables are disposable
          - rule: DDB201
            address: 'module.sandbox.aws_dynamodb_table.scratch["a"]'
            reason: scratch-a holds public data
    """,
    )
    out = findings(WORKFLOW, "--show-suppressed")
    sandbox = [f for f in out if f["address"].startswith("module.sandbox.")]
    suppressed = {(f["address"], f["rule_id"]): f["suppression"] for f in sandbox if f["suppression"]}
    assert {key[1] for key in suppressed} == {"DDB101", "DDB103", "DDB201"}
    assert suppressed[('module.sandbox.aws_dynamodb_table.scratch["a"]', "DDB201")] == {
        "kind": "external",
        "justification": "scratch-a holds public data",
    }
    # the bracketed address is literal, not a character class: scratch["b"] keeps its DDB201
    b_ddb201 = [f for f in sandbox if f["rule_id"] == "DDB201" and f["address"].endswith('["b"]')]
    assert b_ddb201 and b_ddb201[0]["suppression"] is None
    assert all(f["suppression"] is None for f in out if not f["address"].startswith("module.sandbox."))
    sarif = json.loads(run(WORKFLOW, "-f", "sarif").stdout)
    kinds = [s["kind"] for r in sarif["runs"][0]["results"] for s in r.get("suppressions", [])]
    assert kinds and set(kinds) == {"external"} and len(kinds) == len(suppressed)
    assert "scratch-a" not in run(WORKFLOW, "--select", "DDB1").stdout  # hidden from text


def test_ignored_findings_do_not_fail_the_run(project):
    write(
        project / ".dynalint.yaml",
        """
        select: [DDB101]
        ignore:
          - {rule: DDB101, address: "*", reason: backups are taken by AWS Backup}
    """,
    )
    result = run(WORKFLOW)
    assert result.exit_code == 0 and "suppressed" in result.stdout


# ---------------------------------------------------------------- the public functions
def test_load_and_apply_without_the_command_line(tmp_path):
    path = write(
        tmp_path / ".dynalint.yaml",
        """
        fail_on: warning
        select: [DDB1, DDB2]
        ignore_rules: [DDB105]
        rules:
          DDB204: {level: error, options: {min_kms_deletion_window: 14}}
        ignore:
          - {rule: DDB101, address: aws_dynamodb_table.legacy, reason: migrating to AWS Backup}
    """,
    )
    settings = config.load(path, RULES)
    assert settings.fail_on == "warning"
    run_options = settings.run_options()
    assert run_options.levels == {"DDB204": Level.ERROR}
    assert run_options.options == {"DDB204": {"min_kms_deletion_window": 14}}
    chosen = [r.id for r in settings.choose_rules(RULES)]
    assert "DDB105" not in chosen and "DDB101" in chosen and not any(i.startswith("DDB3") for i in chosen)
    found = engine.run([load_case("workflow")], settings.choose_rules(RULES), settings=run_options)
    marked = [f for f in settings.suppress(found) if f.suppressed]
    assert [(f.address, f.rule_id) for f in marked] == [("aws_dynamodb_table.legacy", "DDB101")]


def test_schema_is_valid_and_types_options_from_their_defaults():
    schema = config.schema(RULES)
    Draft202012Validator.check_schema(schema)
    options = schema["properties"]["rules"]["properties"]["DDB204"]["properties"]["options"]
    assert options["properties"]["min_kms_deletion_window"] == {"type": "integer"}
    assert config._option_schema(["status"]) == {"type": "array", "items": {"type": "string"}}
    assert config._option_schema([]) == {"type": "array", "items": {"type": "string"}}
    assert config._option_schema(True) == {"type": "boolean"}
    assert config._option_schema(0.5) == {"type": "number"}


# ---------------------------------------------------------------- mistakes: exit 2, file, key path, expected
@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "fail-on: warning\n",
            ".dynalint.yaml:1: fail-on: unknown key (expected fail_on, select, ignore_rules, "
            "rules, ignore, rules_dirs); did you mean fail_on?",
        ),
        ("fail_on: fatal\n", ".dynalint.yaml:1: fail_on: expected one of error, warning, note, never, got 'fatal'"),
        ("select: DDB1\n", ".dynalint.yaml:1: select: expected a list, got a string ('DDB1')"),
        ("select: [DDB1, 7]\n", ".dynalint.yaml:1: select[1]: expected a string, got a number (7)"),
        ("select: [DDB9]\n", ".dynalint.yaml:1: select[0]: unknown rule id or prefix 'DDB9' (see `dynalint rules`)"),
        ("ignore_rules: [XYZ]\n", ".dynalint.yaml:1: ignore_rules[0]: unknown rule id or prefix 'XYZ'"),
        (
            "rules:\n  DDB999: {level: error}\n",
            ".dynalint.yaml:2: rules.DDB999: unknown rule id (see `dynalint rules`)",
        ),
        (
            "rules:\n  ddb101: {enabled: false}\n",
            "rules.ddb101: unknown rule id (see `dynalint rules`); did you mean DDB101?",
        ),
        (
            "rules:\n  DDB101:\n    level: critical\n",
            ".dynalint.yaml:3: rules.DDB101.level: expected one of error, warning, note, got 'critical'",
        ),
        ("rules:\n  DDB101:\n    enabled: 'no'\n", ".dynalint.yaml:3: rules.DDB101.enabled: expected true or false"),
        (
            "rules:\n  DDB101:\n    severity: high\n",
            ".dynalint.yaml:3: rules.DDB101.severity: unknown key (expected enabled, level, options)",
        ),
        (
            "rules:\n  DDB204:\n    options:\n      min_window: 7\n",
            ".dynalint.yaml:4: rules.DDB204.options.min_window: unknown option of DDB204 (its options: "
            "min_kms_deletion_window)",
        ),
        (
            "rules:\n  DDB101:\n    options: {x: 1}\n",
            "rules.DDB101.options.x: unknown option of DDB101 (its options: none)",
        ),
        (
            "rules:\n  DDB204:\n    options:\n      min_kms_deletion_window: thirty\n",
            ".dynalint.yaml:4: rules.DDB204.options.min_kms_deletion_window: expected an integer, got a string ('thirty')",
        ),
        (
            "rules:\n  DDB204:\n    options:\n      min_kms_deletion_window: true\n",
            "rules.DDB204.options.min_kms_deletion_window: expected an integer, got a boolean",
        ),
        (
            "ignore:\n  - rule: DDB101\n    address: '*'\n",
            ".dynalint.yaml:2: ignore[0]: missing 'reason' (an ignore entry needs rule, address and reason)",
        ),
        ("ignore:\n  - {rule: DDB101, address: '*', reason: '  '}\n", "ignore[0].reason: must not be empty"),
        ("ignore:\n  - {rule: DDB9, address: '*', reason: typo}\n", "ignore[0].rule: unknown rule id or prefix 'DDB9'"),
        ("ignore: {rule: DDB101}\n", ".dynalint.yaml:1: ignore: expected a list, got a mapping"),
    ],
)
def test_mistakes_name_the_file_the_key_and_what_was_expected(project, text, expected):
    write(project / ".dynalint.yaml", text)
    assert expected in usage_error(WORKFLOW)


def test_several_mistakes_say_how_many_more(project):
    write(project / ".dynalint.yaml", "fail_on: fatal\nselect: DDB1\n")
    assert usage_error(WORKFLOW).endswith("(and 1 more problem)")


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "- DDB101\n- DDB103\n",
            ".dynalint.yaml: expected a mapping of settings (fail_on, select, rules, ...), got a list",
        ),
        ("just words\n", "got a string"),
        ("select: [DDB1\n", ".dynalint.yaml:2: invalid YAML"),
        # safe_load only: a Python tag is refused, never constructed
        ("fail_on: !!python/object/apply:os.system ['echo hacked']\n", "invalid YAML"),
    ],
)
def test_yaml_that_is_not_a_mapping_of_settings(project, text, expected):
    write(project / ".dynalint.yaml", text)
    assert expected in usage_error(WORKFLOW)


def test_toml_mistakes_carry_the_table_path(project):
    write(project / "pyproject.toml", "[tool.dynalint]\nfail_on = 1\n")
    assert "pyproject.toml: tool.dynalint.fail_on: expected one of error" in usage_error(WORKFLOW)
    write(project / "pyproject.toml", '[tool.dynalint\nfail_on = "x"\n')
    assert "pyproject.toml: invalid TOML" in usage_error(WORKFLOW)


def test_explicit_file_problems(project):
    assert "missing.yaml: config file not found" in usage_error(WORKFLOW, "--config", "missing.yaml")
    write(project / "pyproject.toml", '[project]\nname = "x"\n')
    assert "pyproject.toml: no [tool.dynalint] table" in usage_error(WORKFLOW, "--config", "pyproject.toml")
    other = write(project / "settings.toml", 'select = ["DDB101"]\n')
    assert rule_ids(WORKFLOW, "--config", str(other)) == {"DDB101"}


def test_load_raises_input_error(tmp_path):
    path = write(tmp_path / "c.yaml", "select: 3\n")
    with pytest.raises(InputError, match=r"c\.yaml:1: select: expected a list"):
        config.load(path, RULES)


def test_tomli_is_a_dependency_on_python_310_only():
    project_table = userfiles._tomllib().loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(
        d.replace(" ", "").startswith("tomli") and "python_version<'3.11'" in d.replace(" ", "").replace('"', "'")
        for d in project_table["dependencies"]
    )


def test_the_readme_config_example_is_valid(tmp_path):
    readme = (ROOT / "README.md").read_text()
    [example] = [block for block in re.findall(r"```yaml\n(.*?)```", readme, re.S) if block.startswith("fail_on:")]
    settings = config.load(write(tmp_path / ".dynalint.yaml", example), RULES)
    assert settings.levels and settings.options and settings.ignore and settings.ignore_rules


def _finding_at(address: str, rule_id: str = "DDB101") -> Finding:
    return Finding(rule_id=rule_id, level=Level.ERROR, address=address, message="m", resource_type="aws_dynamodb_table")


def test_the_readme_config_example_accepts_every_instance_of_the_module(tmp_path):
    readme = (ROOT / "README.md").read_text()
    [example] = [block for block in re.findall(r"```yaml\n(.*?)```", readme, re.S) if block.startswith("fail_on:")]
    [entry] = [
        e
        for e in config.load(write(tmp_path / ".dynalint.yaml", example), RULES).ignore
        if e.address == "module.sandbox.*"
    ]
    for address in (
        "module.sandbox.aws_dynamodb_table.t",
        'module.sandbox["dev"].aws_dynamodb_table.t',
        "module.sandbox[0].aws_dynamodb_table.t",
        'module.sandbox["a"].module.inner[2].aws_dynamodb_table.t',
    ):
        assert _accepts(entry, _finding_at(address, entry.rule)), address
    for address in (
        "module.sandboxes.aws_dynamodb_table.t",
        "module.other.module.sandbox.aws_dynamodb_table.t",
        "aws_dynamodb_table.sandbox",
    ):
        assert not _accepts(entry, _finding_at(address, entry.rule)), address


def test_a_module_glob_suppresses_the_findings_of_its_for_each_instances(project):
    # sample_plans/mixed calls module "tables" with for_each: module.tables["carts"]...
    plan = str(ROOT / "sample_plans" / "mixed" / "plan.json")
    everywhere = [f for f in findings(plan, "--no-config") if f["address"].startswith("module.tables[")]
    assert everywhere
    write(
        project / ".dynalint.yaml",
        """
        ignore:
          - {rule: ALL, address: "module.tables.*", reason: the tables module is reviewed on its own}
    """,
    )
    after = findings(plan, "--show-suppressed")
    assert [f for f in after if f["address"].startswith("module.tables[") and not f["suppression"]] == []
    assert len([f for f in after if f["address"].startswith("module.tables[")]) == len(everywhere)


def test_an_ignore_entry_that_accepts_nothing_is_a_note_at_its_line(project):
    write(
        project / ".dynalint.yaml",
        """
        ignore:
          - rule: DDB101
            address: "module.sandbox.*"
            reason: used
          - rule: DDB101
            address: "module.sandboxes.*"
            reason: a module of that name does not exist
          - rule: DDB1
            address: "aws_dynamodb_table.good"
            reason: the table has no DDB1 finding (any more)
          - rule: DDB5
            address: "no.such"
            reason: its rules do not run in this test
    """,
    )
    out = findings(WORKFLOW, "--ignore", "DDB5")
    notes = {f["address"]: f for f in out if f["rule_id"] == "DL004"}
    assert set(notes) == {"ignore[1]", "ignore[2]"}
    assert notes["ignore[1]"]["location"]["file"] == ".dynalint.yaml"
    assert notes["ignore[1]"]["location"]["line"] == 5 and notes["ignore[2]"]["location"]["line"] == 8
    assert "'module.sandboxes.*'" in notes["ignore[1]"]["message"]
    assert "matches no resource" in notes["ignore[1]"]["message"]
    assert "matches 1 resource, none with a DDB1 finding" in notes["ignore[2]"]["message"]
    assert all(f["level"] == "note" for f in notes.values())
    # a rule like any other: ignore_rules turns it off; a level of its own applies
    assert "DL004" not in rule_ids(WORKFLOW, "--ignore", "DDB5,DL004")
    text = run(WORKFLOW, "--ignore", "DDB5").stdout
    assert "ignore[1]  .dynalint.yaml:5" in text


def test_with_changed_only_an_unused_entry_is_reported_only_when_its_glob_matches_nothing(project):
    write(
        project / ".dynalint.yaml",
        """
        ignore:
          - {rule: DDB1, address: "aws_dynamodb_table.legacy", reason: unchanged resources are not checked}
          - {rule: DDB1, address: "module.nowhere.*", reason: a typo}
    """,
    )
    notes = [f for f in findings(WORKFLOW, "--changed-only") if f["rule_id"] == "DL004"]
    assert [n["address"] for n in notes] == ["ignore[1]"]


def test_a_toml_entry_that_accepts_nothing_points_at_the_file(project):
    write(
        project / "pyproject.toml",
        """
        [[tool.dynalint.ignore]]
        rule = "DDB101"
        address = "module.nowhere.*"
        reason = "a typo"
    """,
    )
    [note] = [f for f in findings(WORKFLOW) if f["rule_id"] == "DL004"]
    assert note["location"]["file"] == "pyproject.toml" and note["location"]["line"] == 1


@pytest.mark.parametrize(
    "pattern, address, matched",
    [
        ("module.tenant.*", 'module.tenant["acme"].aws_dynamodb_table.t', True),
        ("module.tenant.*", "module.tenant[0].aws_dynamodb_table.t", True),
        ("module.tenant.*", "module.tenant.aws_dynamodb_table.t", True),
        ("module.tenant.*", "module.tenants.aws_dynamodb_table.t", False),
        ('module.tenant["acme"].*', 'module.tenant["globex"].aws_dynamodb_table.t', False),
        ("module.a.module.b.aws_t.n", 'module.a[1].module.b["k"].aws_t.n["z"]', True),
        ("aws_dynamodb_table.t", "aws_dynamodb_table.t[3]", True),  # the last name, too: every instance
        ("aws_dynamodb_table.t", "aws_dynamodb_table.tt", False),
        ("aws_dynamodb_table.t[0]", "aws_dynamodb_table.t[1]", False),
        ('module.t["module.x.y"].aws_t.n', 'module.t["module.x[0].y"].aws_t.n', False),  # a quoted key is literal
        ("*.orders", 'module.x["a"].aws_dynamodb_table.orders["b"]', True),
    ],
)
def test_address_globs(pattern, address, matched):
    from dynalint.address import glob

    assert bool(glob(pattern).fullmatch(address)) is matched


# ---------------------------------------------------------------- ignore entries at scale
ENTRY_GLOBS = [
    "module.tables.*",
    'module.tables["orders"].*',
    "*",
    "*.orders",
    "aws_dynamodb_table.*",
    "aws_dynamodb_table.?rders",
    "*bounds*",
    "module.*.aws_dynamodb_table.this",
    "aws_appautoscaling_policy.*",
    "nothing.here",
    '*["Read"]',
    "aws_dynamodb_table.direct",
    "aws_kms_key.tables",
]


def _entries() -> tuple[config.IgnoreEntry, ...]:
    rules = ["ALL", "DDB", "DDB1", "DDB101", "DDB4", "ddb2", "DDB999"]
    return tuple(
        config.IgnoreEntry(rules[i % len(rules)], glob, f"reason {i}")
        for i, glob in enumerate(g for _ in range(3) for g in ENTRY_GLOBS)  # each glob thrice, under other rules
    )


def test_ignore_entries_accept_what_each_entry_alone_accepts_and_the_first_gives_the_reason():
    # the matcher (each address globbed once, entries indexed by their glob's literal head) against the
    # definition: the first entry, in the file's order, whose rule covers the finding and whose glob matches
    models = [load_case(name) for name in ("realworld", "capacity", "iterated_refs")]
    found = engine.run(models, RULES)
    assert len({f.address for f in found}) > 20
    settings = config.Config(path="c.yaml", ignore=_entries())
    for before, after in zip(found, settings.suppress(found), strict=True):
        if before.suppressed:  # suppressed in the source: its own reason stays
            assert after.suppression == before.suppression
            continue
        first = next((e for e in settings.ignore if _accepts(e, before)), None)
        assert (after.suppression.justification if after.suppression else None) == (first and first.reason)
    notes = settings.unused_ignores(found, models, RULES)
    unused = [
        i
        for i, e in enumerate(settings.ignore)
        if any(e.covers(r.id) for r in RULES) and not any(_accepts(e, f) for f in found)
    ]
    assert unused and [n.address for n in notes] == [f"ignore[{i}]" for i in unused]
    addresses = [r.address for m in models for r in (*m.resources, *m.data_sources)]
    for note in notes:
        entry = settings.ignore[int(note.address[7:-1])]
        matched = sum(1 for a in addresses if addr.glob(entry.address).fullmatch(a))
        assert (f"it matches {matched} resource" in note.message) == bool(matched), note.message


def test_an_ignore_glob_is_tried_only_on_the_addresses_its_literal_head_starts(monkeypatch):
    # 500 entries with heads no address has cost no glob match at all; the same entries starting with a star
    # are tried once per address, not once per finding and entry
    models = [load_case("realworld")]
    found = engine.run(models, RULES)
    tried = []
    original = addr.Glob.fullmatch
    monkeypatch.setattr(addr.Glob, "fullmatch", lambda self, a: tried.append(a) or original(self, a))
    headed = tuple(config.IgnoreEntry("ALL", f"aws_nothing_{i}.*", "r") for i in range(500))
    settings = config.Config(ignore=headed)
    assert not any(f.suppressed for f in settings.suppress(found))
    assert len(settings.unused_ignores(found, models, RULES)) == 500 and tried == []
    starred = config.Config(ignore=tuple(config.IgnoreEntry("ALL", f"*nothing_{i}*", "r") for i in range(500)))
    starred.suppress(found)
    starred.unused_ignores(found, models, RULES)
    addresses = {r.address for m in models for r in (*m.resources, *m.data_sources)}
    assert len(found) > len({f.address for f in found}) and len(tried) == 500 * len(addresses)


def test_more_ignore_entries_than_dynalint_reads_are_refused_with_the_way_to_a_baseline(project):
    entries = "".join(
        f'  - {{rule: ALL, address: "t{i}.*", reason: r}}\n' for i in range(config.MAX_IGNORE_ENTRIES + 1)
    )
    write(project / ".dynalint.yaml", "fail_on: error\nignore:\n" + entries)
    message = usage_error(str(case_plan("durability")))
    assert message.startswith(
        "dynalint: error: .dynalint.yaml:2: ignore: 501 entries, more than dynalint reads (500)"
    ), message
    assert "--write-baseline" in message
    write(project / ".dynalint.yaml", "fail_on: error\nignore:\n" + entries.split("\n", 1)[1])
    assert run(str(case_plan("durability"))).exit_code == 1

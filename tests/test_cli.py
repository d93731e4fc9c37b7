"""The command line as a user runs it: exit codes, formats, selection, bad input."""

import json
import re
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from dynalint.cli import main
from helpers import ROOT, SAMPLES, case_plan, load_case

BAD = str(SAMPLES / "bad" / "plan.json")
GOOD = str(SAMPLES / "good" / "plan.json")


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_good_plan_exits_0_with_no_error_or_warning():
    result = run(GOOD)
    assert result.exit_code == 0, result.output
    assert "No findings" in result.output


def test_bad_plan_exits_1_and_summarises():
    result = run(BAD)
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Found ") and "errors" in last and "warnings" in last


def test_check_subcommand_is_the_default():
    assert run("check", BAD).output == run(BAD).output


def test_fail_on_levels():
    assert run(BAD, "--fail-on", "never").exit_code == 0
    only_notes = run(BAD, "--select", "DDB204", "--fail-on", "warning")
    assert only_notes.exit_code == 0 and "DDB204" in only_notes.output
    assert run(BAD, "--select", "DDB204", "--fail-on", "note").exit_code == 1


def test_select_and_ignore_by_prefix():
    out = json.loads(run(BAD, "-f", "json", "--select", "DDB1", "--ignore", "DDB101").output)
    ids = {f["rule_id"] for f in out["findings"]}
    assert ids and all(i.startswith("DDB1") for i in ids) and "DDB101" not in ids
    comma = json.loads(run(BAD, "-f", "json", "--select", "DDB104,DDB105").output)
    assert {f["rule_id"] for f in comma["findings"]} == {"DDB104", "DDB105"}


def test_unknown_rule_in_select_is_a_usage_error():
    result = run(BAD, "--select", "DDB999")
    assert result.exit_code == 2 and "DDB999" in result.output


def test_stdin():
    data = (SAMPLES / "bad" / "plan.json").read_text()
    result = run("-", "--select", "DDB104", input=data)
    assert result.exit_code == 1 and "sessions" in result.output


def test_changed_only_skips_untouched_resources():
    plan = str(case_plan("changes"))
    everything = json.loads(run(plan, "-f", "json", "--fail-on", "never").output)["findings"]
    changed = json.loads(run(plan, "-f", "json", "--fail-on", "never", "--changed-only").output)["findings"]
    assert "aws_dynamodb_table.untouched" in {f["address"] for f in everything}
    assert changed and "aws_dynamodb_table.untouched" not in {f["address"] for f in changed}
    assert all(f["actions"] != ["no-op"] for f in changed)


def test_output_file(tmp_path):
    out = tmp_path / "results.sarif"
    result = run(BAD, "-f", "sarif", "-o", str(out))
    assert result.exit_code == 1
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_json_format_is_stable_and_documented_shape():
    out = json.loads(run(BAD, "-f", "json").output)
    assert set(out) == {"version", "tool", "inputs", "summary", "findings"}
    first = out["findings"][0]
    assert set(first) == {
        "rule_id",
        "slug",
        "level",
        "address",
        "resource_type",
        "message",
        "path",
        "actions",
        "input",
        "location",
        "resource_location",
        "fingerprint",
        "suppression",
        "baseline_state",
    }
    assert run(BAD, "-f", "json").output == run(BAD, "-f", "json").output


def test_rules_command_lists_every_registered_rule():
    rows = json.loads(run("rules", "--format", "json").output)["rules"]
    ids = [r["id"] for r in rows]
    assert ids == sorted(ids) and {"DDB101", "DDB207"} <= set(ids)
    assert all(r["summary"] and r["slug"] and r["level"] in ("error", "warning", "note") for r in rows)
    markdown = run("rules", "--format", "markdown").output
    assert "| [DDB101](docs/rules/DDB101.md) | pitr-disabled | error |" in markdown


def test_explain_prints_the_full_help():
    result = run("explain", "DDB101")
    assert result.exit_code == 0
    for section in ("## What it checks", "## Why it matters", "## Example", "## Use instead", "## References"):
        assert section in result.output
    assert run("explain", "pitr-disabled").output == result.output
    assert run("explain", "DDB000").exit_code == 2


@pytest.mark.parametrize(
    "args, stdin",
    [
        (["/nonexistent/plan.json"], None),
        (["-"], "{not json"),
        (["-"], "[]"),
        ([], None),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_traceback(args, stdin):
    proc = subprocess.run(
        [sys.executable, "-m", "dynalint", *args], input=stdin, capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("dynalint: error:")


def test_python_dash_m_and_version():
    proc = subprocess.run([sys.executable, "-m", "dynalint", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("dynalint, version ")


def test_text_output_has_no_color_when_piped():
    proc = subprocess.run(
        [sys.executable, "-m", "dynalint", str(case_plan("durability"))], capture_output=True, text=True
    )
    assert "\x1b[" not in proc.stdout


def test_text_output_colors_when_forced(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[31m" in run(str(case_plan("durability"))).output


def test_changed_only_on_tf_input_checks_everything_and_says_so():
    tree = str(ROOT / "tests" / "hcl" / "app")
    everything = json.loads(run(tree, "-f", "json", "--fail-on", "never").output)
    narrowed = json.loads(run(tree, "-f", "json", "--fail-on", "never", "--changed-only").output)
    assert narrowed["findings"] == everything["findings"] and narrowed["findings"]
    assert any("--changed-only needs a plan" in w for w in narrowed["inputs"][0]["warnings"])


# ---------------------------------------------------------------- help
def test_help_shows_the_lint_options_and_whole_command_summaries():
    result = run("--help")
    assert result.exit_code == 0
    text = result.output
    check = main.commands["check"]
    for option in check.params:
        if isinstance(option, click.Option):
            assert option.opts[-1] in text, option.opts
    assert text.startswith("Usage: ") and " [OPTIONS] PATH...\n" in text.splitlines(True)[0]
    commands = text.split("Commands:\n", 1)[1].splitlines()
    assert {line.split()[0] for line in commands if line.strip()} == set(main.commands)
    for line in commands:
        assert line.strip() and not line.rstrip().endswith("..."), line
        name = line.split()[0]
        assert line.split(None, 1)[1] == main.commands[name].help.strip().splitlines()[0]


def test_no_input_points_at_help_that_shows_the_options():
    proc = subprocess.run([sys.executable, "-m", "dynalint"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "dynalint --help" in proc.stderr
    assert "--fail-on" in run("--help").output and "--format" in run("--help").output


def test_docs_is_a_folder_to_lint_not_a_command(tmp_path, monkeypatch):
    # `dynalint docs` used to write 64 pages into ./docs/rules/; now it lints ./docs like any path
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "main.tf").write_text(
        'resource "aws_dynamodb_table" "t" {\n  name = "t"\n  hash_key = "pk"\n}\n'
    )
    monkeypatch.chdir(tmp_path)
    result = run("docs", "--no-config", "-f", "json")
    assert result.exit_code == 1 and {f["rule_id"] for f in json.loads(result.stdout)["findings"]} >= {"DDB101"}
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["main.tf"]
    assert "docs" not in main.commands


# ---------------------------------------------------------------- the summary line
SUMMARY = re.compile(
    r"^(?:Found (?P<total>\d+) findings?: .* in (?P<flagged>\d+) of |No findings in )"
    r"(?P<checked>\d+) (?P<changed>changed )?resources? checked"
)


def summary(*args) -> re.Match:
    line = run(*args, "--no-config").stdout.strip().splitlines()[-1]
    match = SUMMARY.match(line)
    assert match, line
    return match


def test_summary_counts_resources_with_findings_and_resources_checked():
    plan = str(case_plan("workflow"))
    found = json.loads(run(plan, "--no-config", "-f", "json").stdout)
    active = [f for f in found["findings"] if not f["suppression"]]
    match = summary(plan)
    assert int(match["total"]) == len(active)
    assert int(match["flagged"]) == len({f["address"] for f in active}) < int(match["checked"])
    # checked: the resources a chosen rule applies to (DDB101: tables only)
    model = load_case("workflow")
    tables = sum(1 for r in model.resources if r.type == "aws_dynamodb_table" and not r.deleted)
    assert tables < len(model.resources)
    tables_only = summary(plan, "--select", "DDB101")
    assert int(tables_only["checked"]) == tables
    assert int(tables_only["flagged"]) == len({f["address"] for f in active if f["rule_id"] == "DDB101"})


def test_changed_only_says_what_it_checked_in_the_summary():
    plan = str(case_plan("workflow"))
    narrowed = summary(plan, "--changed-only")
    assert narrowed["changed"] and int(narrowed["checked"]) < int(summary(plan)["checked"])
    tree = str(ROOT / "tests" / "hcl" / "app")
    line = run(tree, "--no-config", "--changed-only").stdout.strip().splitlines()[-1]
    assert "--changed-only needs a plan: all of the .tf input was checked" in line
    assert "--changed-only" not in run(tree, "--no-config").stdout.strip().splitlines()[-1]


def test_the_console_script_turns_the_cyclic_collector_off_before_it_imports_the_command_line():
    """dynalint.console is what `dynalint` and `python -m dynalint` run: light to import, it turns the collector
    off before the command line's imports (their collections cost some 4 ms a run)."""
    code = (
        "import gc, sys\n"
        "import dynalint.console\n"
        "print('dynalint.cli' in sys.modules, 'click' in sys.modules, gc.isenabled())\n"
        "import dynalint.cli\n"
        "dynalint.cli.entry = lambda: print(gc.isenabled())\n"
        "dynalint.console.entry()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.split() == ["False", "False", "True", "False"], out.stderr

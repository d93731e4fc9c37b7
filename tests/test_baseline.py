"""Brownfield adoption: --write-baseline / --baseline, and --changed-only, on real plans.

tests/tf/workflow/plan.json mixes every plan action; tests/tf/workflow/edited is
the same configuration after an unrelated edit (blocks reordered, a tag added,
a queue added) plus one new bad table, planned again by terraform.
"""

import json
import shutil

import pytest
from click.testing import CliRunner

from dynalint import baseline, engine
from dynalint.cli import main
from dynalint.errors import InputError
from helpers import ROOT, case_plan, lint_model, load_case

WORKFLOW = str(case_plan("workflow"))
EDITED = str(case_plan("workflow/edited"))


@pytest.fixture(autouse=True)
def no_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def json_findings(*args) -> list[dict]:
    return json.loads(run(*args, "-f", "json").stdout)["findings"]


def test_write_baseline_records_todays_findings_for_people_and_accepts_them(tmp_path):
    path = tmp_path / "baseline.json"
    result = run(WORKFLOW, "--write-baseline", str(path))
    everything = json_findings(WORKFLOW)
    doc = json.loads(path.read_text())
    assert doc["version"] == 1 and doc["tool"] == "dynalint"
    assert len(doc["findings"]) == len(everything) > 0
    assert {e["fingerprint"] for e in doc["findings"]} == {f["fingerprint"] for f in everything}
    assert all(set(e) == {"fingerprint", "rule_id", "address", "path"} for e in doc["findings"])
    keys = [(e["address"], e["rule_id"], e["path"] or "") for e in doc["findings"]]
    assert keys == sorted(keys)
    # once recorded, today's findings are accepted: the run passes and says so
    assert result.exit_code == 0
    assert f"recorded {len(everything)} findings in {path}" in result.stderr
    assert f"({len(everything)} in baseline)" in result.stdout


def test_baseline_never_stores_messages(tmp_path):
    path = tmp_path / "baseline.json"
    run(WORKFLOW, "--write-baseline", str(path))
    text = path.read_text()
    assert "message" not in text and "point-in-time recovery" not in text


def test_baseline_file_is_byte_identical_across_runs_and_input_paths(tmp_path):
    copy = tmp_path / "elsewhere" / "tfplan.json"
    copy.parent.mkdir()
    shutil.copy(WORKFLOW, copy)
    first, second, moved = tmp_path / "1.json", tmp_path / "2.json", tmp_path / "3.json"
    run(WORKFLOW, "--write-baseline", str(first))
    run(WORKFLOW, "--write-baseline", str(second))
    run(str(copy), "-f", "sarif", "--write-baseline", str(moved))
    assert first.read_bytes() == second.read_bytes() == moved.read_bytes()


def test_same_plan_against_its_baseline_reports_nothing_new(tmp_path):
    path = tmp_path / "baseline.json"
    run(WORKFLOW, "--write-baseline", str(path))
    result = run(WORKFLOW, "--baseline", str(path))
    assert result.exit_code == 0
    assert result.stdout.startswith("No findings")
    states = {f["baseline_state"] for f in json_findings(WORKFLOW, "--baseline", str(path))}
    assert states == {"unchanged"}


def test_unrelated_edit_keeps_the_baseline_matching(tmp_path):
    path = tmp_path / "baseline.json"
    run(WORKFLOW, "--write-baseline", str(path))
    edited = json_findings(EDITED, "--baseline", str(path))
    new = {(f["address"], f["rule_id"]) for f in edited if f["baseline_state"] == "new"}
    assert {address for address, _ in new} == {"aws_dynamodb_table.newcomer"}
    assert {("aws_dynamodb_table.newcomer", rule) for rule in ("DDB101", "DDB103", "DDB201")} <= new
    # every old finding is still there, now matched: fingerprints ignore lines, order and other resources
    old = {f["fingerprint"] for f in json_findings(WORKFLOW)}
    assert old == {f["fingerprint"] for f in edited if f["baseline_state"] == "unchanged"}
    result = run(EDITED, "--baseline", str(path))
    assert result.exit_code == 1
    assert "newcomer" in result.stdout and "legacy" not in result.stdout
    assert f"({len(old)} in baseline)" in result.stdout


def test_sarif_marks_baseline_state(tmp_path):
    path = tmp_path / "baseline.json"
    run(WORKFLOW, "--write-baseline", str(path))
    sarif = json.loads(run(EDITED, "-f", "sarif", "--baseline", str(path)).stdout)
    states = {}
    for result in sarif["runs"][0]["results"]:
        states.setdefault(result["baselineState"], set()).add(result["properties"]["address"])
    assert states["new"] == {"aws_dynamodb_table.newcomer"}
    assert "aws_dynamodb_table.legacy" in states["unchanged"]


def test_suppressed_findings_are_not_recorded(tmp_path):
    (tmp_path / ".dynalint.yaml").write_text(
        'ignore:\n  - {rule: DDB1, address: "module.sandbox.*", reason: disposable}\n'
    )
    path = tmp_path / "baseline.json"
    run(WORKFLOW, "--write-baseline", str(path))
    addresses = {e["address"] for e in json.loads(path.read_text())["findings"]}
    assert "aws_dynamodb_table.legacy" in addresses
    recorded = {(e["address"], e["rule_id"]) for e in json.loads(path.read_text())["findings"]}
    assert not any(a.startswith("module.sandbox.") and r.startswith("DDB1") for a, r in recorded)


def test_public_functions_round_trip(tmp_path):
    found = lint_model(load_case("workflow"))
    path = tmp_path / "b.json"
    recorded = baseline.write(str(path), found)
    known = baseline.read(str(path))
    assert recorded == known == {f.fingerprint for f in found} and len(known) == len(found)
    edited = lint_model(load_case("workflow/edited"))
    marked = baseline.apply(known, edited)
    assert {f.address for f in marked if f.baseline_state == "new"} == {"aws_dynamodb_table.newcomer"}
    assert engine.exit_code([f for f in marked if f.address != "aws_dynamodb_table.newcomer"], "note") == 0


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "baseline file not found (make one with --write-baseline"),
        ("{not json", "the baseline is not valid JSON"),
        ('{"findings": []}', "not a dynalint baseline"),
        ('{"tool": "dynalint", "version": 9, "findings": []}', "baseline version 9 is not supported"),
        ('{"tool": "dynalint", "version": 1, "findings": [{"rule_id": "DDB101"}]}', "needs a fingerprint"),
    ],
)
def test_bad_baseline_files_are_usage_errors(tmp_path, content, expected):
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content)
    result = run(WORKFLOW, "--baseline", str(path))
    assert result.exit_code == 2 and expected in result.stderr and "Traceback" not in result.output
    with pytest.raises(InputError):
        baseline.read(str(path))


def test_baseline_and_write_baseline_do_not_go_together(tmp_path):
    result = run(WORKFLOW, "--baseline", "a.json", "--write-baseline", "b.json")
    assert result.exit_code == 2 and "do not go together" in result.stderr


# ---------------------------------------------------------------- --changed-only
def test_changed_only_keeps_every_action_but_no_op():
    actions = {f["address"]: tuple(f["actions"]) for f in json_findings(WORKFLOW, "--changed-only")}
    assert actions == {
        "aws_dynamodb_table.doomed": ("delete",),
        "aws_dynamodb_table.rekeyed": ("delete", "create"),
        "aws_dynamodb_table.tweaked": ("update",),
        "aws_dynamodb_table.fresh": ("create",),
        'module.sandbox.aws_dynamodb_table.scratch["a"]': ("create",),
        'module.sandbox.aws_dynamodb_table.scratch["b"]': ("create",),
    }
    # legacy has the same debt as tweaked, but the plan leaves it alone
    everything = {f["address"] for f in json_findings(WORKFLOW)}
    assert "aws_dynamodb_table.legacy" in everything


def test_changed_only_with_a_baseline_reports_only_new_debt_on_touched_resources(tmp_path):
    path = tmp_path / "baseline.json"
    run(WORKFLOW, "--write-baseline", str(path))
    result = run(EDITED, "--changed-only", "--baseline", str(path), "-f", "json")
    new = [f for f in json.loads(result.stdout)["findings"] if f["baseline_state"] == "new"]
    assert {f["address"] for f in new} == {"aws_dynamodb_table.newcomer"}


def test_write_baseline_says_the_number_it_recorded_when_some_findings_are_suppressed(tmp_path):
    # tests/hcl/app has dynalint:ignore comments: suppressed findings are not recorded, nor counted as recorded
    tree = str(ROOT / "tests" / "hcl" / "app")
    path = tmp_path / "baseline.json"
    result = run(tree, "--write-baseline", str(path))
    recorded = len(json.loads(path.read_text())["findings"])
    suppressed = sum(1 for f in json_findings(tree, "--show-suppressed") if f["suppression"])
    assert recorded and suppressed
    assert f"recorded {recorded} findings in {path}" in result.stderr
    assert f"({suppressed} suppressed; {recorded} in baseline)" in result.stdout
    again = run(tree, "--baseline", str(path)).stdout
    assert f"({suppressed} suppressed; {recorded} in baseline)" in again

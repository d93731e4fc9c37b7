"""Every rule that declares a fix, on the fixtures of tests/fix/: fixed byte for byte as expected, clean on a
second lint, unchanged by a second --fix, and (with real terraform) fmt-clean and valid."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dynalint import engine
from dynalint.cli import main
from helpers import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from terraform_plans import PROVIDERS_TF, Terraform, find_mirror  # noqa: E402

FIXTURES = ROOT / "tests" / "fix"
# rule -> (whether its fix is unsafe, the addresses it must leave alone: no certain fix)
CASES = {
    "DDB101": (False, {"aws_dynamodb_table.decided_elsewhere"}),
    "DDB102": (False, set()),
    "DDB103": (False, set()),
    "DDB206": (True, set()),
    "DDB207": (True, set()),
    "DDB301": (True, set()),
    "DDB302": (False, {"aws_dynamodb_table.events"}),
    "DDB411": (True, set()),  # safe for the table's capacity, unsafe for global_secondary_index
    "DDB501": (True, set()),
    "DDB508": (True, set()),
}
needs_terraform = pytest.mark.skipif(
    shutil.which("terraform") is None or find_mirror() is None,
    reason="terraform or its provider mirror is not on this machine",
)


def run(*args):
    return CliRunner().invoke(main, [*args, "--no-config"], catch_exceptions=False)


def fixed_copy(rule: str, where: Path) -> Path:
    """A copy of the rule's fixture under ``where``, fixed by the command line (relative paths, as a user runs it)."""
    case = where / rule.lower()
    shutil.copytree(FIXTURES / rule.lower(), case, ignore=shutil.ignore_patterns("*.fixed"))
    unsafe, _ = CASES[rule]
    result = run("--fix", *(["--unsafe-fixes"] if unsafe else []), "--select", rule, case.name)
    assert result.exit_code in (0, 1), result.output
    return case


def lint(case: Path, rule: str) -> set[str]:
    result = run(str(case), "--select", rule, "-f", "json")
    return {f["address"] for f in json.loads(result.stdout)["findings"] if f["rule_id"] == rule}


def test_every_rule_with_a_fix_has_a_fixture():
    fixing = {r.id for r in engine.builtin_registry().sorted() if r.fix}
    assert fixing == set(CASES)
    for rule, (unsafe, _) in CASES.items():
        assert (engine.builtin_registry().rules[rule].fix == "unsafe") is (unsafe and rule not in ("DDB501", "DDB411"))


@pytest.mark.parametrize("rule", sorted(CASES))
def test_fix_makes_the_expected_text_and_lints_clean(rule, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert lint(FIXTURES / rule.lower(), rule), "the fixture must have findings to fix"
    case = fixed_copy(rule, tmp_path)
    for expected in (FIXTURES / rule.lower()).rglob("*.fixed"):
        got = case / expected.relative_to(FIXTURES / rule.lower()).with_suffix("")
        assert got.read_text() == expected.read_text(), f"{rule}: {got} differs from {expected}"
    for original in (FIXTURES / rule.lower()).rglob("*.tf"):  # files without a .fixed twin are left alone
        if not original.with_name(original.name + ".fixed").exists():
            assert (case / original.relative_to(FIXTURES / rule.lower())).read_bytes() == original.read_bytes()
    assert lint(case, rule) == CASES[rule][1]


@pytest.mark.parametrize("rule", sorted(CASES))
def test_a_second_fix_changes_nothing(rule, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    case = fixed_copy(rule, tmp_path)
    before = {p: p.read_bytes() for p in case.rglob("*.tf")}
    unsafe, _ = CASES[rule]
    again = run("--fix", *(["--unsafe-fixes"] if unsafe else []), "--select", rule, case.name)
    assert "nothing to fix" in again.stderr
    assert {p: p.read_bytes() for p in case.rglob("*.tf")} == before
    assert run("--diff", "--unsafe-fixes", "--select", rule, case.name).exit_code == 0


def test_unsafe_fixes_wait_for_the_flag(tmp_path, monkeypatch):
    """DDB501's fix is safe where stream_enabled is left out, unsafe where `false` is written."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(FIXTURES / "ddb501", "ddb501")
    result = run("--fix", "--select", "DDB501", "ddb501")
    assert "1 more fix needs --unsafe-fixes: DDB501 on aws_dynamodb_table.contradicted" in result.stderr
    assert lint(Path("ddb501"), "DDB501") == {"aws_dynamodb_table.contradicted"}
    assert run("--fix", "--unsafe-fixes", "--select", "DDB501", "ddb501").exit_code == 0
    assert Path("ddb501/main.tf").read_text() == (FIXTURES / "ddb501" / "main.tf.fixed").read_text()


def test_ignoring_the_indexes_waits_for_the_flag(tmp_path, monkeypatch):
    """DDB411's fix is safe for the table's capacity; ignoring global_secondary_index hides later index changes."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(FIXTURES / "ddb411", "ddb411", ignore=shutil.ignore_patterns("*.fixed"))
    result = run("--fix", "--select", "DDB411", "ddb411")
    assert "fixed 3 findings in 1 file" in result.stderr
    assert "1 more fix needs --unsafe-fixes: DDB411 on aws_dynamodb_table.indexed" in result.stderr
    assert lint(Path("ddb411"), "DDB411") == {"aws_dynamodb_table.indexed"}
    assert run("--fix", "--unsafe-fixes", "--select", "DDB411", "ddb411").exit_code == 0
    assert Path("ddb411/main.tf").read_text() == (FIXTURES / "ddb411" / "main.tf.fixed").read_text()


def test_no_fix_is_said_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(FIXTURES / "ddb101", "ddb101")
    result = run("--fix", "--select", "DDB101", "ddb101")
    # the note says where the point_in_time_recovery block is once the file is fixed (line 84 before)
    assert (
        "dynalint: no fix for DDB101 on aws_dynamodb_table.decided_elsewhere (ddb101/main.tf:95): `enabled` is "
        "set by an expression: `length(var.environments) > 5`; dynalint does not overwrite expressions"
    ) in result.stderr.splitlines()


# ---------------------------------------------------------------- real terraform
@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    """Every fixture fixed, called as a module of one root: terraform fmt -check per fixture, and one
    init + validate of the whole root. Returns (fmt results by rule, validate's diagnostics)."""
    root = tmp_path_factory.mktemp("fixed-root")
    cases = root / "cases"
    cases.mkdir()
    previous = Path.cwd()
    try:
        os.chdir(cases)
        for rule in CASES:
            fixed_copy(rule, cases)
    finally:
        os.chdir(previous)
    shutil.copy(PROVIDERS_TF, root / "providers.tf")
    (root / "main.tf").write_text(
        "".join(f'module "{r.lower()}" {{\n  source = "./cases/{r.lower()}"\n}}\n\n' for r in CASES)
    )
    terraform = Terraform(find_mirror(), tmp_path_factory.mktemp("terraform-rc"))
    fmt = {}
    for rule in CASES:
        result = subprocess.run(
            ["terraform", "fmt", "-check", "-recursive", "-diff", str(cases / rule.lower())],
            env=terraform.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        fmt[rule] = (result.returncode, result.stdout)
    terraform.run(root, "init", "-input=false", "-no-color", "-backend=false")
    result = subprocess.run(
        ["terraform", "validate", "-json", "-no-color"],
        cwd=root,
        env=terraform.env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return fmt, json.loads(result.stdout)


@pytest.mark.slow
@needs_terraform
@pytest.mark.parametrize("rule", sorted(CASES))
def test_fixed_tree_is_fmt_clean_and_valid(rule, validated):
    fmt, validation = validated
    code, diff = fmt[rule]
    assert code == 0, f"terraform fmt would change the fixed {rule} fixture:\n{diff}"
    mine = [
        d
        for d in validation["diagnostics"]
        if f"cases/{rule.lower()}/" in (d.get("range") or {}).get("filename", "") and d["severity"] == "error"
    ]
    assert not mine, mine
    assert validation["valid"], validation["diagnostics"]


@pytest.mark.slow
@needs_terraform
def test_fixtures_are_fmt_clean_before_the_fix():
    result = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", str(FIXTURES)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr

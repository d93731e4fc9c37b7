"""Every fixture plan's findings, written down (issue 16): a change of wording, level or location is a diff
to review, not a silent change.

For each ``plan.json`` under ``tests/`` and ``sample_plans/`` (real terraform's plans of the ``.tf`` beside
them), ``tests/snapshots/<case>.txt`` holds what ``dynalint <plan.json> --no-config`` finds with every
built-in rule, one finding a line, in the report's order::

    FILE:LINE[:COLUMN]: RULE LEVEL ADDRESS [PATH] MESSAGE

(suppressed findings end with their suppression). The case is the plan's folder under ``tests/`` (or
``sample_plans/NAME``). When findings change on purpose, rewrite the snapshots with the code that is right
and review the diff::

    python tests/test_snapshots.py            # every case (a snapshot whose plan is gone is deleted)
    python tests/test_snapshots.py tf/schema  # some cases
"""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path

from dynalint.load import load_inputs
from dynalint.model import Finding
from helpers import ROOT, lint_model

SNAPSHOTS = ROOT / "tests" / "snapshots"
REGENERATE = "python tests/test_snapshots.py"


def plans() -> dict[str, Path]:
    """Each fixture plan by its case name."""
    found = sorted(ROOT.glob("tests/**/plan.json")) + sorted(ROOT.glob("sample_plans/*/plan.json"))
    cases = {}
    for plan in found:
        folder = plan.parent.relative_to(ROOT)
        name = folder.relative_to("tests") if folder.parts[0] == "tests" else folder
        cases[name.as_posix()] = plan
    return cases


def snapshot_path(case: str) -> Path:
    return SNAPSHOTS / f"{case}.txt"


def line(finding: Finding) -> str:
    where = finding.source
    if where is None:
        place = finding.input_file or "-"
    else:
        place = f"{where.file}:{where.start_line}" + (f":{where.start_column}" if where.start_column else "")
    level = finding.level.name.lower()
    text = f"{place}: {finding.rule_id} {level} {finding.address} [{finding.path or ''}] {finding.message}"
    if finding.suppression is not None:
        text += f"  (suppressed, {finding.suppression.kind}: {finding.suppression.justification})"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)  # one line a finding, whatever it says


def render(case: str, plan: Path) -> str:
    """The snapshot's text: a header, then the findings (run from the repository's root: paths relative)."""
    shown = plan.relative_to(ROOT).as_posix()
    [model] = load_inputs([shown])
    body = [line(f) for f in lint_model(model)]
    header = [
        f"# Findings of `dynalint {shown} --no-config` (every rule), one a line: FILE:LINE[:COL]: RULE",
        f"# LEVEL ADDRESS [PATH] MESSAGE. Rewritten by `{REGENERATE} {case}`: review the diff.",
        f"# {len(body)} finding{'s' if len(body) != 1 else ''}",
    ]
    return "\n".join(header + body) + "\n"


def regenerate(cases: list[str]) -> int:
    os.chdir(ROOT)
    known = plans()
    unknown = [c for c in cases if c not in known]
    if unknown:
        print(f"no fixture plan for {', '.join(unknown)} (cases: {', '.join(known)})", file=sys.stderr)
        return 2
    for case in cases or known:
        target = snapshot_path(case)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = render(case, known[case])
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
    if not cases:
        for stale in sorted(SNAPSHOTS.rglob("*.txt")):
            if stale.relative_to(SNAPSHOTS).with_suffix("").as_posix() not in known:
                stale.unlink()
                print(f"deleted {stale.relative_to(ROOT)} (its plan is gone)")
    return 0


if __name__ == "__main__":
    sys.exit(regenerate(sys.argv[1:]))

import pytest  # noqa: E402 - the test part (the module also runs as the regenerating script above)

CASES = plans()


@pytest.mark.parametrize("case", sorted(CASES))
def test_findings_of_each_fixture_plan_are_its_snapshot(case, monkeypatch):
    monkeypatch.chdir(ROOT)
    target = snapshot_path(case)
    assert target.is_file(), f"{target.relative_to(ROOT)} is missing: run `{REGENERATE} {case}`"
    expected, actual = target.read_text(encoding="utf-8"), render(case, CASES[case])
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True),
                actual.splitlines(True),
                f"{target.relative_to(ROOT)} (snapshot)",
                "today's findings",
            )
        )
        pytest.fail(
            f"the findings of {case} changed; if on purpose, run `{REGENERATE} {case}` and review the diff:\n{diff}",
            pytrace=False,
        )


def test_every_snapshot_has_its_plan():
    orphans = [
        p.relative_to(ROOT).as_posix()
        for p in sorted(SNAPSHOTS.rglob("*.txt"))
        if p.relative_to(SNAPSHOTS).with_suffix("").as_posix() not in CASES
    ]
    assert not orphans, f"snapshots of plans that are gone: {orphans} (`{REGENERATE}` deletes them)"


def test_the_snapshots_hold_findings():
    """The cases made to violate rules have findings written down: a snapshot of nothing would pin nothing."""
    assert len(CASES) >= 40
    for case in ("tf/schema", "tf/access", "sample_plans/bad", "public/cloudposse-dynamodb-complete"):
        assert snapshot_path(case).read_text(encoding="utf-8").count("\n") > 10, case

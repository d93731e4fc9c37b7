"""Checking a rule's example files (dynalint.rule_examples): ``lint`` reports on one side as `dynalint bad/`
would, ``compare`` sets the bad side's findings against its expected.yaml, ``expected_text`` writes
expected.yaml for what dynalint reports today, and ``stale_plan`` tells a planned example whose plans were
made of other files. tests/test_rule_examples.py and scripts/rule_examples.py use them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dynalint import config, engine
from dynalint.engine import Registry
from dynalint.load import load_inputs
from dynalint.model import Finding
from dynalint.rule_examples import PLAN_DIGESTS, SETTINGS, SIDES, Examples, Expected

_HEADER = """\
# What dynalint reports on bad/ ({kind}, every rule on); on good/ it reports nothing.
# A finding of another rule says `because:` the violation implies it.{null}
# Rewrite the lines after a change: python scripts/rule_examples.py --update
"""


def plan_digests(side: Path) -> str:
    """What a planned example's plan is made of (before/main.tf and the side's main.tf), in
    ``sha256sum`` format: scripts/terraform_plans.py writes it beside the plan, and a plan whose
    files have changed since is stale."""
    import hashlib

    return "".join(
        f"{hashlib.sha256((side / name).read_bytes()).hexdigest()}  {name}\n"
        for name in ("../before/main.tf", "main.tf")
    )


def stale_plan(examples: Examples, side: str) -> str | None:
    """Why the plan of one side is not the plan of today's files, or None."""
    recorded = examples.side(side) / PLAN_DIGESTS
    if not recorded.is_file() or recorded.read_text(encoding="utf-8") != plan_digests(examples.side(side)):
        return (
            f"{side}/plan.json was not made of today's before/main.tf and {side}/main.tf: run "
            f"python scripts/terraform_plans.py {examples.side(side)}"
        )
    return None


def lint(examples: Examples, side: str, registry: Registry) -> list[Finding]:
    """What ``dynalint`` reports on one side of the examples, every rule of ``registry`` on: the .tf
    directory, or for a change rule the plan of it; suppressed findings are not reported."""
    target = examples.side(side) / "plan.json" if examples.planned and side in SIDES else examples.side(side)
    if not target.exists():
        raise FileNotFoundError(f"{target} is missing: run python scripts/terraform_plans.py {target.parent}")
    models = load_inputs([str(target)])
    rules = registry.sorted()
    findings = engine.run(models, rules, registry.links, known_ids=registry.rules)
    settings = examples.side(side) / SETTINGS
    if (
        settings.is_file()
    ):  # an example of a settings-file rule (DL004) brings its settings, as `dynalint bad/` run there
        chosen = config.load(settings, rules)
        findings = chosen.suppress(findings)
        findings += chosen.unused_ignores(findings, models, rules)
    return [f for f in findings if not f.suppressed]


def observed(examples: Examples, findings: Iterable[Finding]) -> list[Expected]:
    """Findings as expectations: the line in the side's main.tf (None where a finding points into the
    plan); a file name as an address (a comment on no resource) as `dynalint bad/` shows it, run in the
    example's directory."""
    here = examples.directory.as_posix() + "/"
    out = []
    for f in findings:
        line = f.source.start_line if f.source is not None and f.source.kind == "tf" else None
        address = f.address[len(here) :] if f.address.startswith(here) else f.address
        out.append(Expected(rule=f.rule_id, address=address, line=line, path=f.path))
    return sorted(out, key=lambda e: (e.line or 0, e.rule, e.address, e.path or ""))


def compare(examples: Examples, findings: Iterable[Finding]) -> list[str]:
    """What differs between the bad example's findings and expected.yaml, in words (empty: they agree)."""
    problems = []
    expected = {e.key: e for e in examples.expected}
    if len(expected) != len(examples.expected):
        problems.append("expected.yaml lists a finding twice")
    if not any(e.rule == examples.rule_id for e in examples.expected):
        problems.append(f"expected.yaml does not list {examples.rule_id} itself")
    for e in examples.expected:
        if e.rule != examples.rule_id and not (e.because or "").strip():
            problems.append(f"{e.rule} on {e.address}: a finding of another rule needs `because:`")
    found = {e.key: e for e in observed(examples, findings)}
    for key, e in found.items():
        if key not in expected:
            problems.append(f"unexpected {_shown(e)}")
        elif expected[key].line != e.line:
            problems.append(f"{_shown(e)}: expected.yaml says line {expected[key].line}")
    problems += [f"missing {_shown(e)}" for key, e in expected.items() if key not in found]
    return problems


def _shown(e: Expected) -> str:
    where = f"line {e.line}" if e.line is not None else "the plan"
    return f"{e.rule} on {e.address}{f' ({e.path})' if e.path else ''} at {where}"


def expected_text(examples: Examples, findings: Iterable[Finding]) -> str:
    """expected.yaml for what dynalint reports today, keeping the ``because`` of findings it already lists."""
    import yaml

    reasons = {e.key: e.because for e in examples.expected if e.because}
    by_resource: dict[tuple[str, str], list[str]] = {}  # where a finding's path changed, its reason stays
    for e in examples.expected:
        if e.because:
            by_resource.setdefault((e.rule, e.address), []).append(e.because)
    entries: list[dict[str, Any]] = []
    for e in observed(examples, findings):
        entry: dict[str, Any] = {"rule": e.rule, "address": e.address}
        if e.path is not None:
            entry["path"] = e.path
        entry["line"] = e.line
        same_resource = by_resource.get((e.rule, e.address), [])
        because = reasons.get(e.key) or (same_resource[0] if len(same_resource) == 1 else None)
        if because:
            entry["because"] = because
        entries.append(entry)
    kind = "its plan against before/" if examples.planned else "as a .tf directory"
    body = yaml.safe_dump({"findings": entries}, sort_keys=False, allow_unicode=True, width=100)
    null = "\n# line: null is a finding located in the plan (a resource bad/ removes)." if examples.planned else ""
    return _HEADER.format(kind=kind, null=null) + body

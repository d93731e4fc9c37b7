"""Test helpers that go through the public path: load a plan, run the engine, look at findings."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Iterable

import pytest

from dynalint import engine
from dynalint.load import load_bytes
from dynalint.load.plan import load_document
from dynalint.model import Finding, Model

ROOT = Path(__file__).resolve().parent.parent
TF_CASES = ROOT / "tests" / "tf"
SAMPLES = ROOT / "sample_plans"
SHARED = ROOT.parent / "shared"
_REGISTRY = engine.builtin_registry()

requires_terraform = pytest.mark.skipif(shutil.which("terraform") is None,
                                        reason="terraform is not installed on this machine")


def validate_sarif(doc: dict) -> None:
    """Validate against the official SARIF 2.1.0 schema (errata, draft-04) and the draft-07 copy GitHub
    points to; both are kept in tests/data so that a clean clone validates too."""
    import jsonschema

    for name in ("sarif-schema-2.1.0.json", "sarif-schema-2.1.0.draft-07.json"):
        jsonschema.validate(doc, json.loads((ROOT / "tests" / "data" / name).read_text()))


def case_plan(name: str) -> Path:
    """The plan.json real terraform made of tests/tf/NAME (scripts/terraform_plans.py)."""
    return TF_CASES / name / "plan.json"


def load_case(name: str) -> Model:
    path = case_plan(name)
    return load_bytes(path.read_bytes(), str(path.relative_to(ROOT)))


def lint_model(model: Model, select: Iterable[str] = (), options: dict | None = None,
               only_changed: bool = False) -> list[Finding]:
    rules = engine.select(_REGISTRY.sorted(), list(select))
    settings = engine.RunOptions(options=options or {})
    return engine.run([model], rules, _REGISTRY.links, settings, only_changed=only_changed)


def lint_case(name: str, select: Iterable[str] = (), **kwargs: Any) -> list[Finding]:
    return lint_model(load_case(name), select, **kwargs)


def lint_doc(doc: dict, select: Iterable[str] = (), **kwargs: Any) -> list[Finding]:
    """Lint a plan given as a dict (for hand-built shapes real terraform cannot produce)."""
    return lint_model(load_document(json.loads(json.dumps(doc)), "plan.json"), select, **kwargs)


def by_address(findings: Iterable[Finding], rule_id: str | None = None) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        if rule_id is None or f.rule_id == rule_id:
            out.setdefault(f.address, []).append(f)
    return out


def flagged(findings: Iterable[Finding], rule_id: str) -> set[str]:
    """Addresses a rule fired on."""
    return {f.address for f in findings if f.rule_id == rule_id}

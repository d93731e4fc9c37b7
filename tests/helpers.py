"""Test helpers that go through the public path: load a plan, run the engine, look at findings (the run and the
Findings that check an address exists before saying it was not flagged are dynalint.testing's)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from dynalint import engine
from dynalint.load import load_bytes
from dynalint.load.plan import load_document
from dynalint.model import Finding, Model
from dynalint.testing import ByAddress, Findings, Flagged, lint_models

ROOT = Path(__file__).resolve().parent.parent
TF_CASES = ROOT / "tests" / "tf"
SAMPLES = ROOT / "sample_plans"
SHARED = ROOT.parent / "shared"
_REGISTRY = engine.builtin_registry()

requires_terraform = pytest.mark.skipif(
    shutil.which("terraform") is None, reason="terraform is not installed on this machine"
)


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


def lint_model(
    model: Model, select: Iterable[str] = (), options: dict | None = None, only_changed: bool = False
) -> Findings:
    """Every built-in rule (or those ``select`` chooses) on a model; a rule that fails is a DL000 finding."""
    return lint_models([model], select=select, options=options, only_changed=only_changed, raise_rule_errors=False)


def run_rules(
    models: Iterable[Model], rules: Iterable, links: Iterable = (), settings: engine.RunOptions | None = None
) -> Findings:
    """engine.run with rules of one's own (a custom registry), as Findings."""
    models = list(models)
    found = engine.run(models, list(rules), list(links), settings)
    return Findings(found, (r.address for m in models for r in m.resources))


def lint_case(name: str, select: Iterable[str] = (), **kwargs: Any) -> Findings:
    return lint_model(load_case(name), select, **kwargs)


def lint_tf(directory: Path, text: str, select: Iterable[str] = (), **kwargs: Any) -> Findings:
    """Lint ``text`` as the main.tf of ``directory`` (a test's tmp_path): .tf input, as a pre-commit hook reads it."""
    from dynalint.load import load_inputs

    (directory / "main.tf").write_text(text)
    [model] = load_inputs([str(directory)])
    return lint_model(model, select, **kwargs)


def lint_doc(doc: dict, select: Iterable[str] = (), **kwargs: Any) -> Findings:
    """Lint a plan given as a dict (for hand-built shapes real terraform cannot produce)."""
    return lint_model(load_document(json.loads(json.dumps(doc)), "plan.json"), select, **kwargs)


def _known(findings: Iterable[Finding]) -> Findings:
    """The findings must come from lint_model (or run_rules) as they are: they know the addresses the run saw."""
    if not isinstance(findings, Findings):
        raise TypeError(
            "pass the Findings that lint_model, lint_case, lint_doc or run_rules returned, "
            "so that a negative assertion can check its address exists"
        )
    return findings


def by_address(findings: Iterable[Finding], rule_id: str | None = None) -> ByAddress:
    return _known(findings).by_address(rule_id)


def flagged(findings: Iterable[Finding], rule_id: str) -> Flagged:
    """Addresses a rule fired on. ``address in`` / ``not in`` the result, and ``& {addresses}``, fail
    when an address is no resource of the linted input."""
    return _known(findings).flagged(rule_id)


def query_statement(**fields: Any):
    """An IAM statement that allows dynamodb:Query, as dynalint.rules._iam parses one (``fields``: its Resource,
    NotResource, pieces known only after apply, ...), for DDB602's grants tried on their own."""
    from dynalint.rules import _iam

    given = {"resources": None, "not_resources": None, "principal": None, "not_principal": None, "condition": None}
    return _iam.Statement(
        index=0, sid=None, effect="Allow", actions=("dynamodb:Query",), not_actions=None, **{**given, **fields}
    )

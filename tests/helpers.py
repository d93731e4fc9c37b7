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


class Findings(list):
    """A run's findings, and the addresses of the resources the run saw (for ``flagged``/``by_address``)."""

    def __init__(self, findings: Iterable[Finding], addresses: Iterable[str]) -> None:
        super().__init__(findings)
        self.addresses = frozenset(addresses)


def lint_model(model: Model, select: Iterable[str] = (), options: dict | None = None,
               only_changed: bool = False) -> Findings:
    rules = engine.select(_REGISTRY.sorted(), list(select))
    settings = engine.RunOptions(options=options or {})
    found = engine.run([model], rules, _REGISTRY.links, settings, only_changed=only_changed)
    return Findings(found, (r.address for r in model.resources))


def run_rules(models: Iterable[Model], rules: Iterable, links: Iterable = (),
              settings: engine.RunOptions | None = None) -> Findings:
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


class _Known:
    """Asking whether an address was flagged first checks that the model has it: a renamed resource
    must fail the test, not make ``address not in flagged(...)`` pass on nothing."""

    addresses: frozenset[str]

    def _exists(self, address: object) -> None:
        if address not in self.addresses:
            raise AssertionError(f"{address!r} is no resource of the linted input; it has "
                                 f"{', '.join(sorted(self.addresses)) or 'none'}")


class Flagged(_Known, set):
    def __init__(self, addresses: Iterable[str], known: frozenset[str]) -> None:
        super().__init__(addresses)
        self.addresses = known

    def __contains__(self, address: object) -> bool:
        self._exists(address)
        return set.__contains__(self, address)

    def __and__(self, others: Iterable[str]) -> set[str]:
        others = set(others)
        for address in others:
            self._exists(address)
        return set(self) & others

    __rand__ = __and__


class ByAddress(_Known, dict):
    def __init__(self, items: dict[str, list[Finding]], known: frozenset[str]) -> None:
        super().__init__(items)
        self.addresses = known

    def __contains__(self, address: object) -> bool:
        self._exists(address)
        return dict.__contains__(self, address)

    def get(self, address: str, default: Any = None) -> Any:
        self._exists(address)
        return dict.get(self, address, default)


def _known(findings: Iterable[Finding]) -> frozenset[str]:
    """The addresses the run saw: the findings must come from lint_model (or run_rules) as they are."""
    if not isinstance(findings, Findings):
        raise TypeError("pass the Findings that lint_model, lint_case, lint_doc or run_rules returned, "
                        "so that a negative assertion can check its address exists")
    return findings.addresses


def by_address(findings: Iterable[Finding], rule_id: str | None = None) -> ByAddress:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        if rule_id is None or f.rule_id == rule_id:
            out.setdefault(f.address, []).append(f)
    return ByAddress(out, _known(findings))


def flagged(findings: Iterable[Finding], rule_id: str) -> Flagged:
    """Addresses a rule fired on. ``address in`` / ``not in`` the result, and ``& {addresses}``, fail
    when an address is no resource of the linted input."""
    return Flagged({f.address for f in findings if f.rule_id == rule_id}, _known(findings))

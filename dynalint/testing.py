"""Helpers for testing rules: lint Terraform written in the test, or a plan, with the rules you name, through
the path ``dynalint`` itself takes (load, check, run the engine), and ask what was flagged.

::

    from dynalint.testing import assert_flags, assert_not_flags, lint_tf
    from policies.tables import table_without_streams

    def test_a_table_without_a_stream_is_flagged():
        findings = lint_tf({"main.tf": TABLE.replace("STREAM", "false")}, rules=[table_without_streams])
        assert_flags(findings, "ACME100", "aws_dynamodb_table.orders", path="stream_enabled")

A negative assertion first checks that the address is a resource of the linted input, so that a renamed
resource fails the test instead of passing it on nothing. A rule that raises on a resource fails the test
with its traceback (``RuleFailed``), where ``dynalint`` would report a DL000 finding. This module is public
API (docs/custom-rules.md, "Testing rules").
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

from dynalint import engine
from dynalint.load import load_bytes, load_inputs
from dynalint.model import Finding, Model, Source
from dynalint.rule import Rule

__all__ = ["Findings", "RuleFailed", "assert_flags", "assert_not_flags", "lint_plan", "lint_tf"]

RuleLike = Rule | ModuleType


class RuleFailed(AssertionError):
    """A rule raised while checking a resource: a bug in the rule (dynalint reports it as a DL000 finding)."""


# ---------------------------------------------------------------------------------------------- results
class Findings(list):
    """A run's findings (``dynalint.model.Finding``, in report order, suppressed ones included with their
    ``suppression``), and the addresses of every resource the run saw."""

    def __init__(self, findings: Iterable[Finding], addresses: Iterable[str]) -> None:
        super().__init__(findings)
        self.addresses = frozenset(addresses)

    def of(self, rule: str | Rule) -> list[Finding]:
        """The findings of one rule."""
        rule_id = _rule_id(rule)
        return [f for f in self if f.rule_id == rule_id]

    def flagged(self, rule: str | Rule) -> Flagged:
        """The addresses a rule flagged. ``address in`` / ``not in`` it, and ``& {addresses}``, fail when an
        address is no resource of the linted input."""
        return Flagged({f.address for f in self.of(rule)}, self.addresses)

    def by_address(self, rule: str | Rule | None = None) -> ByAddress:
        """The findings (of one rule, or all) by address; asking for an address checks it exists."""
        out: dict[str, list[Finding]] = {}
        for f in self if rule is None else self.of(rule):
            out.setdefault(f.address, []).append(f)
        return ByAddress(out, self.addresses)


class _Known:
    """Asking whether an address was flagged first checks that the linted input has it."""

    addresses: frozenset[str]

    def _exists(self, address: object) -> None:
        _check_address(self.addresses, address)


class Flagged(_Known, set):
    def __init__(self, addresses: Iterable[str], known: frozenset[str]) -> None:
        super().__init__(addresses)
        self.addresses = known

    def __contains__(self, address: object) -> bool:
        self._exists(address)
        return set.__contains__(self, address)

    def __and__(self, others: Iterable[str]) -> set[str]:  # type: ignore[override]
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


def _check_address(addresses: frozenset[str], address: object) -> None:
    if address not in addresses:
        raise AssertionError(
            f"{address!r} is no resource of the linted input; it has {', '.join(sorted(addresses)) or 'none'}"
        )


def _rule_id(rule: str | Rule) -> str:
    return rule.id if isinstance(rule, Rule) else rule


# ---------------------------------------------------------------------------------------------- assertions
def assert_flags(
    findings: Findings, rule: str | Rule, address: str, *, path: str | None = None, line: int | None = None
) -> list[Finding]:
    """The rule flagged the resource (at this attribute ``path``, on this ``line`` of its source, when given);
    returns those findings, for more checks of their message."""
    found = _of(findings, rule, address)
    matching = [
        f
        for f in found
        if (path is None or f.path == path) and (line is None or (f.source is not None and f.source.start_line == line))
    ]
    if not matching:
        wanted = "".join([f" at path {path!r}" if path is not None else "", f" on line {line}" if line else ""])
        others = findings.by_address().get(address, [])
        raise AssertionError(
            f"{_rule_id(rule)} did not flag {address}{wanted}; "
            + (f"its findings: {_listing(others)}" if others else "it has no findings")
        )
    return matching


def assert_not_flags(findings: Findings, rule: str | Rule, address: str) -> None:
    """The rule did not flag the resource, which the linted input has."""
    found = _of(findings, rule, address)
    if found:
        raise AssertionError(f"{_rule_id(rule)} flagged {address}: {_listing(found)}")


def _of(findings: Findings, rule: str | Rule, address: str) -> list[Finding]:
    if not isinstance(findings, Findings):
        raise TypeError(
            "pass the Findings that lint_tf or lint_plan returned: a negative assertion checks that its address exists"
        )
    _check_address(findings.addresses, address)
    return [f for f in findings.of(rule) if f.address == address]


def _listing(found: list[Finding]) -> str:
    return "; ".join(f"{f.rule_id} [{f.path or ''}] {f.message}" for f in found)


# ---------------------------------------------------------------------------------------------- linting
def lint_tf(
    files: Mapping[str, str] | str | os.PathLike[str],
    *,
    rules: Iterable[RuleLike] | None = None,
    select: Iterable[str] = (),
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> Findings:
    """Lint Terraform as ``dynalint DIR`` does: ``files`` maps file names (``"main.tf"``,
    ``"modules/table/main.tf"``, ``"terraform.tfvars"``) to their text, written into a temporary directory
    whose root modules are linted; or names a directory that exists. Findings name the files as given.

    ``rules``: the rules to run (``Rule`` objects, or modules whose rules and ``LINKS`` count), by default
    every built-in rule; ``select``: rule ids or prefixes among them (``--select``); ``options``: option values
    by rule id (as the config file's ``rules:`` section sets them)."""
    if isinstance(files, (str, os.PathLike)):
        return lint_models(load_inputs([os.fspath(files)]), rules=rules, select=select, options=options)
    with tempfile.TemporaryDirectory(prefix="dynalint-test-") as tmp:
        root = Path(tmp)
        for name, text in files.items():
            target = root / _relative_name(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        found = lint_models(load_inputs([tmp]), rules=rules, select=select, options=options)
    return Findings(_without_prefix(found, {tmp, str(root.resolve())}), found.addresses)


def lint_plan(
    plan: Mapping[str, Any] | bytes | str | os.PathLike[str],
    *,
    rules: Iterable[RuleLike] | None = None,
    select: Iterable[str] = (),
    options: Mapping[str, Mapping[str, Any]] | None = None,
    only_changed: bool = False,
) -> Findings:
    """Lint a plan (or state): the dict of ``terraform show -json``'s output, its bytes, or the path of its file
    (read as ``dynalint PATH`` reads it, with the ``.tf`` files beside it). Arguments as ``lint_tf``;
    ``only_changed`` is ``--changed-only``. A dict or bytes is checked whole, as a file would be: a
    shape dynalint refuses raises ``dynalint.errors.InputError``."""
    if isinstance(plan, (str, os.PathLike)):
        models = load_inputs([os.fspath(plan)])
    else:
        data = plan if isinstance(plan, bytes) else json.dumps(plan, indent=2).encode()
        models = [load_bytes(data, "plan.json")]
    return lint_models(models, rules=rules, select=select, options=options, only_changed=only_changed)


def lint_models(
    models: Iterable[Model],
    *,
    rules: Iterable[RuleLike] | None = None,
    select: Iterable[str] = (),
    options: Mapping[str, Mapping[str, Any]] | None = None,
    only_changed: bool = False,
    raise_rule_errors: bool = True,
) -> Findings:
    """The run behind ``lint_tf`` and ``lint_plan``, on models already loaded. ``raise_rule_errors=False``
    returns a failing rule's DL000 findings instead of raising ``RuleFailed``."""
    models = list(models)
    registry, links = _registry(rules)
    chosen = engine.select(registry.sorted(), list(select))
    settings = engine.RunOptions(options=_checked_options(options or {}, registry))
    with _failures() as tracebacks:
        found = engine.run(models, chosen, links, settings, only_changed=only_changed)
    failed = [f for f in found if f.rule_id == engine.RULE_ERROR]
    if failed and raise_rule_errors:
        raise RuleFailed("\n".join([f.message for f in failed] + tracebacks))
    return Findings(found, (r.address for m in models for r in m.resources))


@functools.cache
def _builtin() -> engine.Registry:
    return engine.builtin_registry()


def _registry(rules: Iterable[RuleLike] | None) -> tuple[engine.Registry, list]:
    """The registry of the rules to run (DL000 always in it: a failing rule is never silent), and the graph
    links: the built-in pack's, and those of the modules given."""
    builtin = _builtin()
    if rules is None:
        return builtin, list(builtin.links)
    registry = engine.Registry(family_order=builtin.family_order)
    for item in rules:
        if isinstance(item, Rule):
            registry.add(item)
        elif isinstance(item, ModuleType):
            registry.add_module(item)
        else:
            raise TypeError(f"rules: expected Rule objects or modules, got {type(item).__name__}")
    if engine.RULE_ERROR not in registry.rules:
        registry.add(builtin.rules[engine.RULE_ERROR])
    return registry, [*builtin.links, *(link for link in registry.links if link not in builtin.links)]


def _checked_options(options: Mapping[str, Mapping[str, Any]], registry: engine.Registry) -> dict[str, dict]:
    """Options by rule id, each a rule's declared option: a typo must fail the test, not test the default."""
    for rule_id, values in options.items():
        if rule_id not in registry.rules:
            raise ValueError(f"options: {rule_id} is not one of the rules run")
        unknown = sorted(set(values) - set(registry.rules[rule_id].options))
        if unknown:
            raise ValueError(
                f"options: {rule_id} has no option {', '.join(unknown)} "
                f"(it has {', '.join(sorted(registry.rules[rule_id].options)) or 'none'})"
            )
    return {rule_id: dict(values) for rule_id, values in options.items()}


@contextlib.contextmanager
def _failures() -> Iterator[list[str]]:
    """The tracebacks the engine logs (at debug level) for the rules that raise during a run."""
    logger = logging.getLogger("dynalint")
    level, tracebacks = logger.level, list[str]()
    handler = _Collect(tracebacks)
    logger.addHandler(handler)
    if not logger.isEnabledFor(logging.DEBUG):
        logger.setLevel(logging.DEBUG)
    try:
        yield tracebacks
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Traceback (most recent call last)" in message:
            self.into.append(message)


def _relative_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise ValueError(f"lint_tf: {name!r} must be a relative file name without '..', such as 'main.tf'")
    return path


def _without_prefix(findings: Iterable[Finding], roots: set[str]) -> Iterator[Finding]:
    """Findings with the temporary directory's path taken off their file names."""
    prefixes = tuple(root.rstrip(os.sep) + os.sep for root in roots)

    def shown(name: str) -> str:
        if name.rstrip(os.sep) in roots:
            return "."
        for prefix in prefixes:
            if name.startswith(prefix):
                return name[len(prefix) :].replace(os.sep, "/")
        return name

    def located(source: Source | None) -> Source | None:
        return None if source is None else replace(source, file=shown(source.file))

    for f in findings:
        yield replace(
            f,
            source=located(f.source),
            resource_source=located(f.resource_source),
            input_file=None if f.input_file is None else shown(f.input_file),
        )

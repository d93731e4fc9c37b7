"""The rule authoring API: what a rule is, what it yields, what it may ask.

A rule is metadata plus one function::

    @rule(id="DDB101", slug="pitr-disabled", level="error", applies=["aws_dynamodb_table"],
          security_severity=6.5, tags=["durability"])
    def pitr_disabled(table, ctx):
        \"\"\"Point-in-time recovery is off.

        ## What it checks
        ...
        \"\"\"
        if ...:
            yield Issue("...", path="point_in_time_recovery")

The docstring is the rule's documentation: its first line is the short
description, the rest is markdown with the sections What it checks, Why it
matters, Known limits, Options, References. The Example and Use instead
sections come from complete Terraform files in ``examples/<ID>/`` beside the
module (see dynalint.rule_examples), where the docstring may add prose; a rule
that repairs what it finds adds a Fix section saying what ``--fix`` changes. The check
function gets one resource of a type in ``applies`` and a ``Context``; it yields
``Issue``s. It never prints, reads files or changes the resource.

A rule that can repair what it finds says so with ``fix="safe"`` (or
``"unsafe"``) and yields each ``Issue`` with the ``Fix`` that repairs it
(dynalint.fix.declare: changes to the resource's configuration, not to text)::

    yield Issue("...", path="deletion_protection_enabled",
                fix=Fix("Set `deletion_protection_enabled = true`", Set("deletion_protection_enabled", True)))
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from dynalint.errors import RuleError
from dynalint.fix.declare import AddBlock, Block, Extend, Fix, Ref, RemoveBlock, Set
from dynalint.model import Level, Resource

KINDS = ("config", "change", "graph")
#: What a rule's fixes may be: "safe" (``dynalint --fix`` applies them; a finding's fix may still be unsafe),
#: "unsafe" (every fix needs ``--unsafe-fixes``), or None (the rule fixes nothing).
FIXES = ("safe", "unsafe")

__all__ = ["rule", "Issue", "Rule", "Context", "Fix", "Set", "Extend", "AddBlock", "RemoveBlock", "Block", "Ref"]
_ID = re.compile(r"^[A-Z][A-Z0-9]*\d+$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


_OWN_MODULE = re.compile(r"dynalint(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


@dataclass(frozen=True)
class Issue:
    """What a check yields: the message, the attribute it is about, an optional level override, and the
    ``Fix`` that repairs it (only for rules declared with ``fix=``)."""

    message: str
    path: str | None = None
    level: Level | str | None = None
    fix: Fix | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    slug: str
    level: Level
    applies: tuple[str, ...]
    check: Callable[[Resource, Context], Iterable[Issue]] = field(repr=False)
    kind: str = "config"
    summary: str = ""
    help: str = ""
    security_severity: float | None = None
    tags: tuple[str, ...] = ()
    precision: str = "high"
    options: dict[str, Any] = field(default_factory=dict)
    origin: str = "dynalint"
    help_uri: str | None = None  # where a custom rule is documented; built-in rules have docs/rules/ID.md
    examples: Path | None = None  # the directory of its example files (dynalint.rule_examples)
    fix: str | None = None  # "safe" or "unsafe" when its issues carry fixes (see FIXES)

    @property
    def builtin(self) -> bool:
        """One of dynalint's own rules: its origin is a module of the dynalint package (``dynalint.rules.access``).
        A module name, not a prefix: a YAML rule's origin is its file's path and line, and a file the pull
        request adds may be named ``dynalint.x.yaml`` (its help would then be rendered as markdown)."""
        return _OWN_MODULE.fullmatch(self.origin) is not None

    @cached_property
    def documentation(self) -> str:
        """The help with the Example and Use instead sections made from the example files: what the
        rule's page, ``dynalint explain`` and SARIF show. Read on first use, not when rules load."""
        from dynalint.rule_examples import documentation

        return documentation(self)

    @property
    def full_description(self) -> str:
        """The "What it checks" and "Why it matters" sections as plain text (SARIF caps it at 1024)."""
        parts = [_section(self.help, "What it checks"), _section(self.help, "Why it matters")]
        text = " ".join(p for p in parts if p) or self.summary
        text = re.sub(r"`([^`]*)`", r"\1", re.sub(r"\s+", " ", text)).strip()
        return text if len(text) <= 1024 else text[:1020].rsplit(" ", 1)[0] + " ..."


def _section(markdown: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\s*\n(.*?)(?=^## |\Z)", markdown, re.S | re.M)
    return match.group(1).strip() if match else ""


def rule(
    *,
    id: str,
    slug: str,
    level: str,
    applies: Iterable[str],
    kind: str = "config",
    security_severity: float | None = None,
    tags: Iterable[str] = (),
    precision: str = "high",
    options: dict[str, Any] | None = None,
    fix: str | None = None,
) -> Callable[[Callable], Rule]:
    """Declare a rule; the decorated function is its check, its docstring its documentation.

    The metadata is checked when ``rule(...)`` is called, not when it is applied to the function: an error
    then points at the decorator's line on every Python (3.10 puts the application on the ``def`` line)."""
    if not _ID.match(id):
        raise RuleError(f"rule id {id!r} must be letters then digits, e.g. DDB101 or ACME001")
    if not _SLUG.match(slug):
        raise RuleError(f"{id}: slug {slug!r} must be lower-case words joined by '-'")
    if kind not in KINDS:
        raise RuleError(f"{id}: kind {kind!r} is not one of {', '.join(KINDS)}")
    if security_severity is not None and not 0 < float(security_severity) <= 10:
        raise RuleError(f"{id}: security_severity must be above 0 and at most 10")
    if fix is not None and fix not in FIXES:
        raise RuleError(f"{id}: fix {fix!r} is not one of {', '.join(FIXES)} (or None)")

    def wrap(fn: Callable) -> Rule:
        doc = inspect.getdoc(fn) or ""
        summary, _, body = doc.partition("\n")
        if not summary.strip():
            raise RuleError(f"{id}: the check function needs a docstring whose first line says what it finds")
        return Rule(
            id=id,
            slug=slug,
            level=Level.parse(level),
            applies=tuple(applies),
            check=fn,
            kind=kind,
            summary=summary.strip(),
            help=body.strip(),
            security_severity=security_severity,
            tags=tuple(tags),
            precision=precision,
            options=dict(options or {}),
            origin=fn.__module__,
            examples=_examples_beside(fn, id),
            fix=fix,
        )

    return wrap


def _examples_beside(fn: Callable, rule_id: str) -> Path | None:
    """``examples/<ID>`` in the directory of the module that defines the check."""
    filename = getattr(getattr(fn, "__code__", None), "co_filename", None)
    return Path(filename).parent / "examples" / rule_id if filename and not filename.startswith("<") else None


class Context:
    """What a check may ask: its options, and the other resources of the same input."""

    def __init__(self, index: ResourceIndex, options: dict[str, Any]) -> None:
        self._index = index
        self.options = options

    def resources(self, type: str) -> list[Resource]:
        """Every resource of a type in this input (resources the plan deletes excluded)."""
        return self._index.live_by_type.get(type, [])

    def resource(self, address: str) -> Resource | None:
        return self._index.by_address.get(address)

    @property
    def size(self) -> int:
        """How many resources the input holds (what a rule's budget of work grows with)."""
        return len(self._index.resources)

    def related(
        self, resource: Resource, type: str | None = None, via: str | None = None, direction: str = "both"
    ) -> list[Resource]:
        """Resources tied to this one by reference or by a literal name (see dynalint.graph)."""
        return self._index.graph.related(resource, type, via, direction)

    @property
    def graph(self):
        """The resource graph as a networkx ``DiGraph`` (nodes: addresses; edges: ``via``, a set of attribute
        paths), for questions beyond neighbours (paths, cycles). Built on first use; read it, do not change it."""
        return self._index.graph.nx

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()`` once per input, shared by every call of every rule that asks for ``key``.

        For what a check would otherwise recompute for each resource, such as an
        index of all tables by name: a rule stays linear in the size of the plan.
        """
        cache = self._index.memo
        if key not in cache:
            cache[key] = build()
        return cache[key]


class ResourceIndex:
    """One model's resources, indexed once by type and address; the graph is built on first use."""

    def __init__(self, resources: Iterable[Resource], links: Iterable[Any] = ()) -> None:
        self.resources = list(resources)
        self.by_address = {r.address: r for r in self.resources}
        self.by_type: dict[str, list[Resource]] = {}
        self.live_by_type: dict[str, list[Resource]] = {}
        for r in self.resources:
            self.by_type.setdefault(r.type, []).append(r)
            if not r.deleted:
                self.live_by_type.setdefault(r.type, []).append(r)
        self._links = tuple(links)
        self._graph = None
        self.memo: dict[str, Any] = {}

    @property
    def graph(self):
        if self._graph is None:
            from dynalint.graph import Graph

            self._graph = Graph(self.resources, self._links)
        return self._graph

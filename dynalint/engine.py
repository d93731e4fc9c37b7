"""The rule registry, rule selection, and the run that turns Models into Findings.

Rules come from the built-in pack (``dynalint.rules``); the registry reads each
area module's ``RULES`` (and the pack's ``LINKS`` for the graph). The engine
knows nothing about DynamoDB.
"""
from __future__ import annotations

import hashlib
import importlib
import logging
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from dynalint.errors import InputError, RuleError
from dynalint.model import Finding, Level, Model
from dynalint.rule import Context, Index, Issue, Rule, iter_issues

log = logging.getLogger("dynalint")


@dataclass
class Registry:
    rules: dict[str, Rule] = field(default_factory=dict)
    links: list = field(default_factory=list)

    def add(self, rule: Rule) -> None:
        if rule.id in self.rules:
            other = self.rules[rule.id]
            raise RuleError(f"rule id {rule.id} is defined twice ({other.origin} and {rule.origin})")
        self.rules[rule.id] = rule

    def add_module(self, module: Any) -> None:
        for value in vars(module).values():
            if isinstance(value, Rule):
                self.add(value)
        self.links.extend(getattr(module, "LINKS", ()))

    def sorted(self) -> list[Rule]:
        return [self.rules[k] for k in sorted(self.rules, key=_id_key)]


def _id_key(rule_id: str) -> tuple:
    head = rule_id.rstrip("0123456789")
    return (head != "DDB", head, int(rule_id[len(head):] or 0))


def builtin_registry() -> Registry:
    """Every rule of the built-in pack: each module of dynalint.rules, in name order."""
    import dynalint.rules as pack

    from dynalint import suppress

    registry = Registry()
    for info in sorted(pkgutil.iter_modules(pack.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            registry.add_module(importlib.import_module(f"{pack.__name__}.{info.name}"))
    registry.add_module(suppress)  # DL001-DL003: findings about inline suppression comments
    return registry


def select(rules: Sequence[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Rules chosen by id or prefix; the longest matching prefix decides, as in ruff.

    With no ``select`` every rule is chosen. A name that matches no rule is a
    usage error: a typo must not silently turn a check off.
    """
    chosen_by = [(s.strip().upper(), True) for s in select if s.strip()]
    dropped_by = [(s.strip().upper(), False) for s in ignore if s.strip()]
    ids = [r.id for r in rules]
    for prefix, _ in chosen_by + dropped_by:
        if prefix != "ALL" and not any(i.startswith(prefix) for i in ids):
            raise InputError(f"unknown rule id or prefix {prefix!r} (see `dynalint rules`)")
    if not chosen_by:
        chosen_by = [("", True)]
    out = []
    for r in rules:
        best, keep = -1, False
        for prefix, verdict in chosen_by + dropped_by:
            size = 0 if prefix == "ALL" else len(prefix)
            if (prefix == "ALL" or r.id.startswith(prefix)) and size >= best:
                best, keep = size, verdict
        if keep:
            out.append(r)
    return out


@dataclass(frozen=True)
class RunOptions:
    """Per-rule settings from the config file: option values and level overrides."""

    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    levels: dict[str, Level] = field(default_factory=dict)


def run(models: Iterable[Model], rules: Sequence[Rule], links: Sequence = (),
        settings: RunOptions | None = None, only_changed: bool = False,
        known_ids: Iterable[str] | None = None) -> list[Finding]:
    """Run the rules on every model; findings come back sorted and deduplicated.

    ``known_ids`` are every registered rule id, selected or not, so that a
    ``dynalint:ignore`` naming a rule that did not run is no unknown id.
    """
    return finish(check_models(list(models), rules, links, settings, only_changed, known_ids))


def check_models(models: Sequence[Model], rules: Sequence[Rule], links: Sequence = (),
                 settings: RunOptions | None = None, only_changed: bool = False,
                 known_ids: Iterable[str] | None = None) -> list[Finding]:
    """``run`` without its last step: the findings of these models with their inline suppressions, in no
    order. ``finish`` sorts those of every input of a command line at once (fingerprints are unique across
    inputs), so several processes may each check some of the inputs."""
    from dynalint import suppress

    settings = settings or RunOptions()
    findings: list[Finding] = []
    for model in models:
        # --changed-only narrows what is checked, not what the graph sees.
        index = Index(model.resources, links)
        shown = _shown_by_kind(model.resources, only_changed)
        for rule in rules:
            options = {**rule.options, **settings.options.get(rule.id, {})}
            ctx = Context(index, options)
            level = settings.levels.get(rule.id, rule.level)
            for type_ in rule.applies:
                for resource in shown[rule.kind].get(type_, ()):
                    findings.extend(_check(rule, resource, ctx, level, model))
    return suppress.apply_inline(models, findings, rules, known_ids)


def _shown_by_kind(resources: Sequence, only_changed: bool) -> dict[str, dict[str, list]]:
    """Per rule kind, the resources ``checks`` lets through, by type: sorted out once, not per rule."""
    change: dict[str, list] = {}
    other: dict[str, list] = {}
    for resource in resources:
        if _shown(resource, "change", only_changed):
            change.setdefault(resource.type, []).append(resource)
        if _shown(resource, "config", only_changed):
            other.setdefault(resource.type, []).append(resource)
    return {"change": change, "config": other, "graph": other}


def checks(rule: Rule, resource, only_changed: bool = False) -> bool:
    """Whether ``run`` shows this resource to this rule (reporters list what passed with it)."""
    return resource.type in rule.applies and _shown(resource, rule.kind, only_changed)


def _shown(resource, kind: str, only_changed: bool) -> bool:
    if only_changed and resource.change is not None and not resource.change.touches:
        return False  # input without plan changes (.tf, state) has nothing to narrow: all is checked
    if kind == "change":
        return resource.change is not None  # change rules see deletes too
    return not resource.deleted


def _check(rule: Rule, resource, ctx: Context, level: Level, model: Model) -> list[Finding]:
    out = []
    try:
        for issue in iter_issues(rule, resource, ctx):
            out.append(_finding(rule, resource, issue, level, model))
    except Exception as exc:  # a rule that meets a shape it cannot judge stays silent
        log.debug("%s skipped %s: %s: %s", rule.id, resource.address, type(exc).__name__, exc)
        return []
    return out


def _finding(rule: Rule, resource, issue: Issue, level: Level, model: Model) -> Finding:
    if issue.level is not None and level == rule.level:
        level = issue.level if isinstance(issue.level, Level) else Level.parse(issue.level)
    message = scrub(issue.message, model.secrets)
    source = resource.source
    if source is None and model.plan_locator:
        source = model.plan_locator.get(resource.address)
    return Finding(
        rule_id=rule.id,
        level=level,
        address=resource.address,
        message=message,
        resource_type=resource.type,
        path=issue.path,
        fingerprint=fingerprint(rule.id, resource.address, issue.path),
        actions=resource.actions,
        source=source,
        input_file=model.input_file,
    )


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Replace any sensitive string that found its way into a message."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, "(sensitive)")
    return text


def fingerprint(rule_id: str, address: str, path: str | None) -> str:
    """Stable across runs and machines: rule id, resource address and attribute path only."""
    key = f"{rule_id}\x00{address}\x00{path or ''}".encode()
    return hashlib.sha256(key).hexdigest()[:32]


def finish(findings: list[Finding]) -> list[Finding]:
    """Sort, drop exact repeats, and keep fingerprints unique (a second finding on one key gets #2)."""
    findings.sort(key=Finding.sort_key)
    out: list[Finding] = []
    seen_keys: dict[str, int] = {}
    last = None
    for f in findings:
        ident = (f.input_file, f.rule_id, f.address, f.path, f.message)
        if ident == last:
            continue
        last = ident
        count = seen_keys.get(f.fingerprint, 0) + 1
        seen_keys[f.fingerprint] = count
        if count > 1:
            f = _with_fingerprint(f, fingerprint(f.rule_id, f.address, f"{f.path or ''}#{count}"))
        out.append(f)
    return out


def _with_fingerprint(finding: Finding, value: str) -> Finding:
    """``replace(finding, fingerprint=value)`` at a fifth of the cost: the frozen instance's fields copied, no
    __init__ run again (several plans of one configuration renumber most of their findings: #2, #3, ...)."""
    copy = object.__new__(Finding)
    copy.__dict__.update(finding.__dict__, fingerprint=value)
    return copy


def exit_code(findings: Iterable[Finding], fail_on: str) -> int:
    """1 when an active finding is at or above ``fail_on`` (error|warning|note|never), else 0."""
    if fail_on == "never":
        return 0
    threshold = Level.parse(fail_on)
    for f in findings:
        if not f.suppressed and f.baseline_state != "unchanged" and f.level >= threshold:
            return 1
    return 0

"""YAML rules: house rules written as data, and checked like the built-in ones.

A file holds a ``rules:`` list. Each rule names the resource types it judges
(optionally an address glob, and a ``when`` condition that narrows them) and a
``require`` condition: what every judged resource must satisfy. The rule fires
where ``require`` does not hold. The format is the JSON Schema shipped as
``dynalint/schemas/rule.schema.json`` (``dynalint schema rule`` prints it);
docs/custom-rules.md describes it for users.

Conditions answer True, False or None ("not known until apply"), in
three-valued logic: an ``all`` with one False member is False whatever the
others are, an ``any`` with one True member is True, and otherwise an answer
that depends on a value the plan does not know (or hides as sensitive) is
None. A rule whose ``when`` or ``require`` is None stays silent on that
resource, as built-in rules do.
"""

from __future__ import annotations

import difflib
import functools
import json
import operator
import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dynalint import address as addr
from dynalint import regex_budget, userfiles
from dynalint.errors import RuleError, TooMuchWork, described, expected_types
from dynalint.model import Level, Resource, is_known
from dynalint.rule import Context, Issue, Rule
from dynalint.values import bool_of, is_number, label, number_of, tags_all
from dynalint.yamlpath import dotted, line_locator

SCHEMA_FILE = Path(__file__).with_name("schemas") / "rule.schema.json"
CONDITION_KINDS = ("all", "any", "not", "connected", "attribute")
PLACEHOLDERS = ("label", "address", "type", "name")
COMPARISONS = {
    "less_than": operator.lt,
    "less_than_or_equal": operator.le,
    "greater_than": operator.gt,
    "greater_than_or_equal": operator.ge,
}
LENGTHS = {
    "length_equals": operator.eq,
    "length_less_than": operator.lt,
    "length_less_than_or_equal": operator.le,
    "length_greater_than": operator.gt,
    "length_greater_than_or_equal": operator.ge,
}
OPERATORS = ("exists", "equals", "not_equals", "in", "not_in", "matches", *COMPARISONS, "contains", *LENGTHS)


@functools.lru_cache(maxsize=1)
def schema() -> dict:
    """The JSON Schema of a YAML rule file."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def schema_text() -> str:
    return SCHEMA_FILE.read_text(encoding="utf-8")


# ---------------------------------------------------------------- three-valued logic
def _all(answers: Iterable[bool | None]) -> bool | None:
    unknown = False
    for answer in answers:
        if answer is False:
            return False
        unknown = unknown or answer is None
    return None if unknown else True


def _any(answers: Iterable[bool | None]) -> bool | None:
    unknown = False
    for answer in answers:
        if answer is True:
            return True
        unknown = unknown or answer is None
    return None if unknown else False


def _not(answer: bool | None) -> bool | None:
    return None if answer is None else not answer


# ---------------------------------------------------------------- attribute paths
class _Each:
    """The ``[*]`` step: every element of a list, every value of a map."""

    def __repr__(self) -> str:
        return "[*]"


EACH = _Each()
_FIRST = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_STEP = re.compile(
    r"\.(?P<key>[A-Za-z0-9_-]+)|\[(?P<index>-?\d+)\]|\[(?P<each>\*)\]"
    r'|\["(?P<quoted>(?:[^"\\]|\\.)*)"\]'
)


def parse_path(text: str) -> tuple:
    """``a.b[0].c[*]["d.e"]`` -> ("a", "b", 0, "c", EACH, "d.e"); ValueError says what is wrong."""
    first = _FIRST.match(text)
    if first is None:
        raise ValueError("an attribute path starts with an attribute name, e.g. tags.CostCenter")
    steps: list = [first.group()]
    pos = first.end()
    while pos < len(text):
        step = _STEP.match(text, pos)
        if step is None:
            raise ValueError(f'cannot read {text[pos:]!r}: steps are .name, [0], [*] or ["key"]')
        if step.group("key") is not None:
            steps.append(step.group("key"))
        elif step.group("index") is not None:
            steps.append(int(step.group("index")))
        elif step.group("each"):
            steps.append(EACH)
        else:
            steps.append(re.sub(r"\\(.)", r"\1", step.group("quoted")))
        pos = step.end()
    return tuple(steps)


def select(root: Any, steps: tuple) -> list:
    """The values a path selects: one per element where it goes through a list.

    A missing key or index gives None (absent); a value not known stays the
    sentinel. A key step on a list of blocks reads every block, and on an
    empty list gives None; ``[*]`` over nothing gives no value at all.
    """
    nodes = [root]
    for step in steps:
        nodes = [found for node in nodes for found in _step(node, step)]
    return nodes


def _step(node: Any, step: Any) -> list:
    if not is_known(node):
        return [node]
    if node is None:
        return [] if step is EACH else [None]
    if step is EACH:
        if isinstance(node, Mapping):
            return list(node.values())
        return list(node) if isinstance(node, list) else []
    if isinstance(step, int):
        inside = isinstance(node, list) and -len(node) <= step < len(node)
        return [node[step] if inside else None]
    if isinstance(node, Mapping):
        return [node.get(step)]
    if isinstance(node, list):
        return [_key(item, step) for item in node] or [None]
    return [None]


def _key(item: Any, key: str) -> Any:
    if not is_known(item):
        return item
    return item.get(key) if isinstance(item, Mapping) else None


def _root(resource: Resource, first: str) -> Mapping:
    """The values a path starts from. ``tags_all`` is always there: plans carry it; where an input
    does not (.tf sources), it is the provider's default_tags merged with the resource's tags."""
    values = resource.values
    if first != "tags_all" or isinstance(values.get("tags_all"), dict):
        return values
    return {**values, "tags_all": tags_all(resource)}


# ---------------------------------------------------------------- operators: (value, operand) -> answer
def _number(value: Any) -> int | float | None:
    """The number a value is or holds as text (read as dynalint.values reads numbers), else None."""
    number = number_of(value)
    return number if is_number(number) else None


def _same(value: Any, operand: Any) -> bool | None:
    """Equality as Terraform means it: "true" is true, "5" is 5, lists element by element."""
    if not is_known(value):
        return None
    if isinstance(operand, bool):
        return bool_of(value) is operand
    if is_number(operand) or is_number(value):
        number, wanted = _number(value), _number(operand)
        return number is not None and number == wanted
    if isinstance(operand, list):
        if not isinstance(value, list) or len(value) != len(operand):
            return False
        return _all(_same(v, o) for v, o in zip(value, operand, strict=False))
    return value == operand


def _exists(value: Any, wanted: bool) -> bool:
    empty = isinstance(value, (str, list, Mapping)) and len(value) == 0
    return (value is not None and not empty) is wanted


def _equals(value: Any, operand: Any) -> bool | None:
    return False if value is None else _same(value, operand)


def _not_equals(value: Any, operand: Any) -> bool | None:
    return True if value is None else _not(_same(value, operand))


def _in(value: Any, operand: list) -> bool | None:
    return False if value is None else _any(_same(value, o) for o in operand)


def _not_in(value: Any, operand: list) -> bool | None:
    return True if value is None else _not(_in(value, operand))


def _contains(value: Any, operand: Any) -> bool | None:
    if isinstance(value, Mapping):
        return str(operand) in value
    if isinstance(value, list):
        return _any(_same(item, operand) for item in value)
    if isinstance(value, str):
        return isinstance(operand, str) and operand in value
    return False


def _matcher(pattern: re.Pattern) -> Callable[[Any, Any], bool]:
    return lambda value, _: isinstance(value, str) and regex_budget.search(pattern, value) is not None


def _comparison(compare: Callable) -> Callable[[Any, Any], bool]:
    def test(value: Any, operand: float) -> bool:
        number = _number(value)
        return number is not None and compare(number, operand)

    return test


def _length(compare: Callable) -> Callable[[Any, Any], bool]:
    def test(value: Any, operand: int) -> bool:
        if value is None:
            return compare(0, operand)
        return isinstance(value, (str, list, Mapping)) and compare(len(value), operand)

    return test


_TESTS: dict[str, Callable[[Any, Any], bool | None]] = {
    "exists": _exists,
    "equals": _equals,
    "not_equals": _not_equals,
    "in": _in,
    "not_in": _not_in,
    "contains": _contains,
    **{name: _comparison(compare) for name, compare in COMPARISONS.items()},
    **{name: _length(compare) for name, compare in LENGTHS.items()},
}


# ---------------------------------------------------------------- conditions
@dataclass(frozen=True)
class Attribute:
    """One attribute path and one operator; over several values, all (or any) of them must pass."""

    path: tuple
    test: Callable[[Any, Any], bool | None]
    operand: Any
    every: bool = True

    def holds(self, resource: Resource, ctx: Context) -> bool | None:
        found = select(_root(resource, self.path[0]), self.path)
        _work(ctx).spend(1 + len(found))
        if not found:  # [*] over no element: every one of none passes, no one of none does
            return self.every
        answers = (self.test(v, self.operand) if is_known(v) else None for v in found)
        return _all(answers) if self.every else _any(answers)


@dataclass(frozen=True)
class AllOf:
    members: tuple

    def holds(self, resource: Resource, ctx: Context) -> bool | None:
        return _all(m.holds(resource, ctx) for m in self.members)


@dataclass(frozen=True)
class AnyOf:
    members: tuple

    def holds(self, resource: Resource, ctx: Context) -> bool | None:
        return _any(m.holds(resource, ctx) for m in self.members)


@dataclass(frozen=True)
class Not:
    member: Any

    def holds(self, resource: Resource, ctx: Context) -> bool | None:
        return _not(self.member.holds(resource, ctx))


@dataclass(frozen=True)
class Connected:
    """At least one resource of these types, tied to this one in the graph, for which ``where`` holds."""

    types: tuple[str, ...]
    via: str | None = None
    direction: str = "both"
    where: Any = None

    def holds(self, resource: Resource, ctx: Context) -> bool | None:
        others = [o for t in self.types for o in ctx.related(resource, t, self.via, self.direction)]
        _work(ctx).spend(1 + len(others))
        if self.where is None:
            return bool(others)
        return _any(self.where.holds(other, ctx) for other in others)


class _Work:
    """What YAML rules test on one input, counted: each rule on each resource, each condition there, and each
    value the condition tests. Both sizes come with the pull request (a rules file from the config's
    ``rules_dirs``, and the plan), and their product is the time: 2,000 conditions on 1,000 tables took 6 s,
    and a megabyte of rules holds 20,000. Past the budget the input is refused (exit 2), naming the rule; its
    regular expressions have a budget of their own (``regex_budget``), which starts with the input here."""

    FLOOR = 2_000_000
    PER_RESOURCE = 200

    def __init__(self, resources: int) -> None:
        self.budget = self.left = self.FLOOR + self.PER_RESOURCE * resources
        self.rule = ""  # the one being checked, with its file and line
        regex_budget.reset()

    def spend(self, units: int) -> None:
        self.left -= units
        if self.left < 0:
            raise TooMuchWork(
                f"YAML rules would test its resources more than {self.budget:,} times ({self.rule} went past "
                "it): each rule is tested on each resource of its types, each of its conditions there, and each "
                "value a condition's path selects"
            )


def _work(ctx: Context) -> _Work:
    return ctx.memo("yaml_rules.work", lambda: _Work(ctx.size))


def _uses_graph(condition: Any) -> bool:
    if isinstance(condition, Connected):
        return True
    if isinstance(condition, (AllOf, AnyOf)):
        return any(_uses_graph(m) for m in condition.members)
    return isinstance(condition, Not) and _uses_graph(condition.member)


# ---------------------------------------------------------------- loading a file
class _Invalid(Exception):
    """A problem at a path of the document, found after the schema passed."""

    def __init__(self, path: list, what: str) -> None:
        super().__init__(what)
        self.path = path
        self.what = what


def load_file(path: str | Path, shown: str | None = None) -> list[Rule]:
    """The rules of one YAML file; RuleError names the file, line, rule and path of a problem."""
    path = Path(path)
    shown = shown or str(path)
    # Examples sit beside the file, as beside a Python rule's module (dynalint.rule_examples).
    return [
        replace(r, examples=path.parent / "examples" / r.id)
        for r in load_text(userfiles.read_text(path, shown, RuleError, "rules file"), shown)
    ]


def load_text(text: str, shown: str) -> list[Rule]:
    data = userfiles.load_yaml(text, shown, RuleError)
    locate = line_locator(text)
    problems = _schema_problems(data)
    if problems:
        raise RuleError(_describe(shown, data, locate, *problems[0], more=len(problems) - 1))
    rules = []
    for index, raw in enumerate(data["rules"]):
        try:
            rules.append(_rule(raw, index, f"{shown}:{locate(['rules', index]) or 1}"))
        except _Invalid as problem:
            raise RuleError(_describe(shown, data, locate, problem.path, problem.what)) from None
    return rules


def _rule(raw: dict, index: int, origin: str) -> Rule:
    at = ["rules", index]
    require = _condition(raw["require"], [*at, "require"])
    when = _condition(raw["when"], [*at, "when"]) if "when" in raw else None
    spec = _Spec(
        message=_message(raw["message"], [*at, "message"]),
        require=require,
        when=when,
        addresses=tuple(addr.glob(g) for g in _as_list(raw.get("address", []))),
        path=raw.get("path"),
        rule=f"{raw['id']} of {origin}",
    )
    graph = _uses_graph(require) or (when is not None and _uses_graph(when))
    return Rule(
        id=raw["id"],
        slug=raw.get("slug", raw["id"].lower()),
        level=Level.parse(raw["level"]),
        applies=tuple(raw["resource_types"]),
        check=spec.check,
        kind="graph" if graph else "config",
        summary=raw["summary"].strip(),
        help=_help(raw),
        security_severity=raw.get("security_severity"),
        tags=tuple(raw.get("tags", ())),
        origin=origin,
        help_uri=raw.get("help_uri"),
    )


@dataclass(frozen=True)
class _Spec:
    """What a YAML rule's check function needs, compiled once."""

    message: str
    require: Any
    when: Any
    addresses: tuple[addr.Glob, ...]
    path: str | None
    rule: str  # its id, file and line, as messages name it

    def check(self, resource: Resource, ctx: Context) -> Iterator[Issue]:
        work = _work(ctx)
        work.rule = self.rule
        work.spend(1)  # thousands of rules whose address matches nothing cost their number times the resources
        if self.addresses and not any(g.fullmatch(resource.address) for g in self.addresses):
            return
        if self.when is not None and self.when.holds(resource, ctx) is not True:
            return
        if self.require.holds(resource, ctx) is False:
            fields = {
                "label": label(resource),
                "address": resource.address,
                "type": resource.type,
                "name": resource.name,
            }
            yield Issue(self.message.format_map(fields), path=self.path)


def _condition(raw: dict, at: list) -> Any:
    kind = next(k for k in CONDITION_KINDS if k in raw)  # the schema made sure there is exactly one
    if kind == "all":
        return AllOf(tuple(_condition(m, [*at, "all", i]) for i, m in enumerate(raw["all"])))
    if kind == "any":
        return AnyOf(tuple(_condition(m, [*at, "any", i]) for i, m in enumerate(raw["any"])))
    if kind == "not":
        return Not(_condition(raw["not"], [*at, "not"]))
    if kind == "connected":
        spec = raw["connected"]
        where = _condition(spec["where"], [*at, "connected", "where"]) if "where" in spec else None
        return Connected(tuple(spec["resource_types"]), spec.get("via"), spec.get("direction", "both"), where)
    return _attribute(raw, at)


def _attribute(raw: dict, at: list) -> Attribute:
    try:
        path = parse_path(raw["attribute"])
    except ValueError as exc:
        raise _Invalid([*at, "attribute"], str(exc)) from None
    name = next(op for op in OPERATORS if op in raw)
    operand = raw[name]
    test: Callable[[Any, Any], bool | None]
    if name == "matches":
        try:
            test = _matcher(re.compile(operand))
        except re.error as exc:
            raise _Invalid([*at, "matches"], f"invalid regular expression: {exc}") from None
    else:
        test = _TESTS[name]  # every operator but matches is in _TESTS
    return Attribute(path, test, operand, raw.get("quantifier", "all") == "all")


def _message(text: str, at: list) -> str:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise _Invalid(at, f"{exc} (write {{{{ and }}}} for literal braces)") from None
    for name in fields:
        if name not in PLACEHOLDERS:
            raise _Invalid(
                at,
                f"unknown placeholder {{{name}}} (known: "
                f"{', '.join('{' + p + '}' for p in PLACEHOLDERS)}; {{{{ and }}}} for braces)",
            )
    return text


def _help(raw: dict) -> str:
    """The rule's own help, a link to its page, and its definition (what `dynalint explain` shows)."""
    import yaml

    parts = [raw.get("help", "").strip()]
    uri = raw.get("help_uri")
    if uri and uri not in parts[0]:
        parts.append(f"## References\n- <{uri}>")
    definition = {k: raw[k] for k in ("resource_types", "address", "when", "require") if k in raw}
    parts.append("## Definition\n\n```yaml\n" + yaml.safe_dump(definition, sort_keys=False).rstrip() + "\n```")
    return "\n\n".join(p for p in parts if p)


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


# ---------------------------------------------------------------- schema errors in the user's words
def _schema_problems(data: Any) -> list[tuple[list, str]]:
    from jsonschema import Draft202012Validator

    if not isinstance(data, Mapping):
        return [([], f"expected a mapping with a `rules:` list, got {described(data)}")]
    errors = sorted(Draft202012Validator(schema()).iter_errors(data), key=_error_order)
    return [_explain(e) for e in errors]


def _error_order(error) -> tuple:
    """Outer problems first; at one path, the clearest explanation first."""
    rank = {"additionalProperties": 1, "required": 2, "type": 3}
    title = error.schema.get("title") if isinstance(error.schema, Mapping) else None
    if error.validator == "oneOf":
        rank_here = 0 if title == "condition" else 9
    else:
        rank_here = rank.get(error.validator, 5)
    return (len(error.absolute_path), [str(p) for p in error.absolute_path], rank_here)


def _explain(error) -> tuple[list, str]:
    path = list(error.absolute_path)
    kind = error.validator
    instance = error.instance
    if kind == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        extra = [k for k in instance if k not in known]
        hint = difflib.get_close_matches(str(extra[0]), known, n=1)
        what = f"unknown key: did you mean {hint[0]}?" if hint else f"unknown key (expected {', '.join(known)})"
        return [*path, extra[0]], what
    if kind == "required":
        missing = [k for k in error.validator_value if k not in instance]
        return path, f"missing {', '.join(repr(k) for k in missing)}"
    if kind == "type":
        return path, f"expected {expected_types(error.validator_value)}, got {described(instance)}"
    if kind == "enum":
        return path, f"expected one of {', '.join(map(str, error.validator_value))}, got {instance!r}"
    if kind == "oneOf":
        return path, _one_of(error)
    if kind == "pattern":
        return path, _PATTERN_WORDS.get(str(path[-1]) if path else "", "must not be empty")
    if kind in ("minItems", "minLength"):
        return path, "must not be empty"
    if kind in ("exclusiveMinimum", "maximum"):
        return path, "must be above 0 and at most 10"
    if kind == "minimum":
        return path, "must be 0 or more"
    return path, error.message


def _one_of(error) -> str:
    if not isinstance(error.instance, Mapping):
        return f"expected a condition (a mapping), got {described(error.instance)}"
    if error.schema.get("title") == "condition":
        found = [k for k in CONDITION_KINDS if k in error.instance]
        if not found:
            return "expected a condition: a mapping with all, any, not, connected, or attribute and one operator"
        return (
            f"a condition is one of all, any, not, connected or attribute; this one has "
            f"{' and '.join(found)}: nest them under `all:` or `any:`"
        )
    found = [op for op in OPERATORS if op in error.instance]
    if not found:
        return f"no operator: add one of {', '.join(OPERATORS)}"
    return f"one operator per condition, this one has {', '.join(found)}: combine conditions with `all:`"


_PATTERN_WORDS = {
    "id": "a rule id is capital letters then digits, e.g. ACME001",
    "slug": "a slug is lower-case words joined by '-', e.g. table-needs-cost-center",
    "help_uri": "expected an http:// or https:// address",
}


def _describe(shown: str, data: Any, locate: Callable, path: list, what: str, more: int = 0) -> str:
    """``file:line: rule ID: rules[0].require.all[1]: what`` (the rule by id, else by its number)."""
    line = locate(path)
    where = f"{shown}:{line}" if line else shown
    rule = ""
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        raw = data["rules"][path[1]]
        rule_id = raw.get("id") if isinstance(raw, Mapping) else None
        rule = f"rule {rule_id}: " if isinstance(rule_id, str) and rule_id else f"rule #{path[1] + 1}: "
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
    return f"{where}: {rule}{dotted(path)}: {what}{tail}"

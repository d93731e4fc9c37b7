"""The config file: ``.dynalint.yaml`` or a ``[tool.dynalint]`` table in pyproject.toml.

Found by walking up from the current directory to the filesystem root: the
first directory that holds ``.dynalint.yaml``, ``.dynalint.yml`` or a
pyproject.toml with a ``[tool.dynalint]`` table wins (in that order), unless
``--config FILE`` names one. The keys (the same in YAML and TOML)::

    fail_on: error                 # error | warning | note | never
    select: [DDB]                  # rule ids or prefixes; default all
    ignore_rules: [DDB311]
    rules:
      DDB310:
        enabled: true              # false turns the rule off, true turns it on whatever `select` says
        level: error               # override the default level
        options:
          low_cardinality_patterns: [status, "is_*"]
    ignore:                        # accepted findings, each with its reason
      - rule: DDB101               # a rule id or prefix
        address: "module.sandbox.*"   # glob over Terraform addresses (dynalint.address.glob): * and ?;
        reason: sandbox tables are disposable   # a name without [index] takes every instance
    rules_dirs: [dynalint-rules]   # custom rules (*.py, *.yaml), relative to this file

The file is checked with jsonschema (imported only when a file exists) against
a schema built from the rules themselves: an unknown key, rule id or option
name, or a value of the wrong type, is exit 2 with the file, the line (YAML),
the key path and what was expected. Option values must have the type of the
rule's default.

Command-line flags override the file: ``--fail-on`` its ``fail_on``;
``--select`` replaces the whole selection of the file (``select``,
``ignore_rules`` and ``enabled``), as in ruff; ``--ignore`` alone drops rules
from it.

An ``ignore`` entry that accepts no finding in a run is a DL004 note at its line
(``Config.unused_ignores``): a glob that misses fails silently otherwise.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dynalint import address as addr
from dynalint import engine, userfiles
from dynalint.errors import InputError, described, expected_types
from dynalint.errors import shown_path as _shown
from dynalint.model import Finding, Level, Model, Source, Suppression, fingerprint
from dynalint.rule import Rule
from dynalint.yamlpath import dotted, line_locator

YAML_NAMES = (".dynalint.yaml", ".dynalint.yml")
PYPROJECT = "pyproject.toml"
FAIL_ON = ("error", "warning", "note", "never")
LEVELS = ("error", "warning", "note")
TOP_KEYS = ("fail_on", "select", "ignore_rules", "rules", "ignore", "rules_dirs")
RULE_KEYS = ("enabled", "level", "options")
# An ignore entry's glob is tried on each address its literal head starts (``_Matcher``): a glob that starts
# with a star, on every address of the run. A 115 KB config of 2,000 entries took 400 s on a plan of 1,000
# tables (each entry tried on each finding, its glob compiled again and again); the cap bounds what a settings
# file in a pull request can cost: 500 such globs take about 3 s on that plan. A baseline accepts findings in
# bulk, by fingerprint.
MAX_IGNORE_ENTRIES = 500


@dataclass(frozen=True)
class IgnoreEntry:
    """Findings of a rule (id or prefix) on addresses matching a glob, accepted for a reason."""

    rule: str
    address: str
    reason: str
    line: int | None = None  # of the entry in a YAML file (TOML gives none)

    def covers(self, rule_id: str) -> bool:
        rule = self.rule.upper()
        return rule == "ALL" or rule_id.startswith(rule)


class _Matcher:
    """Which ignore entries match a rule id and an address, in the config's order (an entry matches where it
    covers the rule and its glob matches the whole address), asked of entries x findings without costing their
    product. Each address is globbed once (a resource's findings share it), each glob is compiled once, and an
    entry is tried only on the addresses its glob's literal head starts; its rule is a set lookup."""

    def __init__(self, entries: Sequence[IgnoreEntry]) -> None:
        self._entries = entries
        self._globs = [addr.glob(e.address) for e in entries]
        self._heads: dict[int, dict[str, list[int]]] = {}  # head length -> head -> entries, in order
        for i, g in enumerate(self._globs):
            self._heads.setdefault(len(g.head), {}).setdefault(g.head, []).append(i)
        self._covering: dict[str, frozenset[int]] = {}
        self._globbed: dict[str, tuple[int, ...]] = {}

    def matching(self, rule_id: str, address: str) -> tuple[int, ...]:
        """The indices of the entries that accept a finding of ``rule_id`` on ``address``, in order."""
        covering = self._covering.get(rule_id)
        if covering is None:
            covering = self._covering[rule_id] = frozenset(i for i, e in enumerate(self._entries) if e.covers(rule_id))
        return tuple(i for i in self.globbed(address) if i in covering)

    def globbed(self, address: str) -> tuple[int, ...]:
        """The indices of the entries whose glob matches the address, in order."""
        found = self._globbed.get(address)
        if found is None:
            candidates = sorted(
                i
                for length, heads in self._heads.items()
                if length <= len(address)
                for i in heads.get(address[:length], ())
            )
            found = self._globbed[address] = tuple(i for i in candidates if self._globs[i].fullmatch(address))
        return found


@dataclass(frozen=True)
class Config:
    """The settings of one config file; ``Config()`` is "no file": every default."""

    path: str | None = None
    fail_on: str | None = None
    select: tuple[str, ...] = ()
    ignore_rules: tuple[str, ...] = ()
    enabled: dict[str, bool] = field(default_factory=dict)
    levels: dict[str, Level] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    ignore: tuple[IgnoreEntry, ...] = ()

    @functools.cached_property
    def _matcher(self) -> _Matcher:
        """The ignore entries' matcher, shared by ``suppress`` and ``unused_ignores`` (and every lint of --fix)."""
        return _Matcher(self.ignore)

    def run_options(self) -> engine.RunOptions:
        return engine.RunOptions(options=self.options, levels=self.levels)

    def choose_rules(
        self, rules: Sequence[Rule], cli_select: Iterable[str] = (), cli_ignore: Iterable[str] = ()
    ) -> list[Rule]:
        """The rules to run: the file's selection, then the command line's on top of it."""
        cli_select, cli_ignore = list(cli_select), list(cli_ignore)
        if cli_select:
            return engine.select(rules, cli_select, cli_ignore)
        chosen = {r.id for r in engine.select(rules, self.select, self.ignore_rules)}
        chosen |= {rule_id for rule_id, on in self.enabled.items() if on}
        chosen -= {rule_id for rule_id, on in self.enabled.items() if not on}
        if cli_ignore:
            chosen &= {r.id for r in engine.select(rules, (), cli_ignore)}
        return [r for r in rules if r.id in chosen]

    def suppress(self, findings: Iterable[Finding]) -> list[Finding]:
        """Mark findings an ``ignore`` entry accepts as suppressed ("external"); a finding
        already suppressed in the source keeps its own reason."""
        if not self.ignore:  # most settings have no entry: nothing to look up per finding
            return list(findings)
        matcher = self._matcher
        out = []
        for f in findings:
            hits = () if f.suppressed else matcher.matching(f.rule_id, f.address)
            reason = self.ignore[hits[0]].reason if hits else None
            out.append(f if reason is None else replace(f, suppression=Suppression("external", reason)))
        return out

    def unused_ignores(
        self, findings: Sequence[Finding], models: Sequence[Model], rules: Sequence[Rule], only_changed: bool = False
    ) -> list[Finding]:
        """DL004 notes (when DL004 is among ``rules``) for the ignore entries that matched no finding of
        the run. Entries none of whose rules ran are not judged; with ``only_changed`` (resources left
        unchecked) only entries whose glob matches no resource at all are."""
        dl004 = next((r for r in rules if r.id == "DL004"), None)
        if dl004 is None or not self.ignore:
            return []
        matcher = self._matcher
        used = {i for f in findings for i in matcher.matching(f.rule_id, f.address)}
        judged = {i for i, e in enumerate(self.ignore) if i not in used and any(e.covers(r.id) for r in rules)}
        resources = dict.fromkeys(judged, 0)  # how many resources each unused entry's glob matches
        for address in (r.address for m in models for r in (*m.resources, *m.data_sources)):
            for i in matcher.globbed(address):
                if i in judged:
                    resources[i] += 1
        level = self.levels.get(dl004.id, dl004.level)
        out = []
        for index, entry in enumerate(self.ignore):
            if index not in judged:
                continue
            matched = resources[index]
            if matched and only_changed:
                continue
            if matched:
                why = (
                    f"it matches {matched} resource{'s' if matched != 1 else ''}, none with a {entry.rule} finding "
                    "in this run: remove the entry if the finding is gone for good"
                )
            else:
                why = (
                    "its address glob matches no resource of this run: check the glob (a module's resources are "
                    "`module.NAME.*`; `dynalint -f json` lists the addresses), or remove the entry"
                )
            message = f"The ignore entry for {entry.rule} on {entry.address!r} accepted no finding: {why}."
            where, path = self.path or "config", f"{entry.rule} {entry.address}"
            out.append(
                Finding(
                    rule_id=dl004.id,
                    level=level,
                    address=f"ignore[{index}]",
                    message=message,
                    resource_type="",
                    path=path,
                    fingerprint=fingerprint(dl004.id, where, path),
                    source=Source(where, entry.line or 1, kind="tf"),
                    input_file=where,
                )
            )
        return out


def resolve(explicit: str | None, rules: Sequence[Rule], start: Path | None = None) -> Config:
    """The config named on the command line, else the one found from ``start`` (the current
    directory), else the defaults."""
    path = Path(explicit) if explicit else find(start or Path.cwd())
    return Config() if path is None else load(path, rules)


def find(start: Path) -> Path | None:
    """The first config file in ``start`` or one of its parents."""
    start = start.resolve()
    for directory in (start, *start.parents):
        for name in YAML_NAMES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def load(path: Path, rules: Sequence[Rule]) -> Config:
    """Read, validate and turn a config file into a Config; InputError names what is wrong."""
    data, prefix, locate, shown = _read(path)
    problems = _schema_problems(data, rules) or _rule_id_problems(data, rules)
    if problems:
        path_parts, what = problems[0]
        line = locate(path_parts) if locate else None
        where = f"{shown}:{line}" if line else shown
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        raise InputError(f"{where}: {dotted(path_parts, prefix)}: {what}{more}")
    return _config(data, shown, locate)


def rules_dirs(path: Path) -> list[Path]:
    """The config's ``rules_dirs``, each relative to the file's directory and inside it. Read before the rest
    of the file is checked: the rule ids the rest names may be those of the rules in these directories.

    A directory outside the config file's folder (an absolute path, ``..``, or a symbolic link leading out)
    is refused: a settings file in the repository under review must not reach files elsewhere on the
    machine. Directories elsewhere are named on the command line, with ``--rules-dir``.
    """
    data, prefix, locate, shown = _read(path)
    names = data.get("rules_dirs", [])

    def where(*key) -> str:
        line = locate(["rules_dirs", *key]) if locate else None
        return f"{shown}{f':{line}' if line else ''}: {dotted(['rules_dirs', *key], prefix)}"

    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise InputError(f"{where()}: expected a list of directory names")
    folder = path.parent.resolve()
    found = []
    for i, name in enumerate(names):
        directory = path.parent / name
        if Path(name).is_absolute() or not directory.resolve().is_relative_to(folder):
            raise InputError(
                f"{where(i)}: {name!r} is outside the config file's folder: a config file names "
                "rule directories beside it or below it; name others with --rules-dir"
            )
        if not directory.is_dir():
            raise InputError(f"{where(i)}: no directory {name!r} (relative to the config file)")
        found.append(directory)
    return found


# ---------------------------------------------------------------- reading
def _read(path: Path) -> tuple[dict, str, Any, str]:
    """The settings of a file, the key prefix its messages show, a YAML line locator (None for TOML),
    and the file's name as messages show it."""
    shown = _shown(path)
    text = userfiles.read_text(path, shown, InputError, "config file")
    if path.suffix == ".toml":
        return _toml_settings(text, path, shown), ("tool.dynalint" if path.name == PYPROJECT else ""), None, shown
    return _yaml_settings(text, shown), "", line_locator(text), shown


def _yaml_settings(text: str, shown: str) -> dict:
    data = userfiles.load_yaml(text, shown, InputError)
    if data is None:  # an empty file, or only comments: every default
        return {}
    if not isinstance(data, dict):
        raise InputError(
            f"{shown}: expected a mapping of settings (fail_on, select, rules, ...), got {described(data)}"
        )
    return data


def _toml_settings(text: str, path: Path, shown: str) -> dict:
    doc = userfiles.load_toml(text, shown, InputError)
    if path.name != PYPROJECT:
        return doc
    table = doc.get("tool", {}).get("dynalint") if isinstance(doc.get("tool"), dict) else None
    if table is None:
        raise InputError(f"{shown}: no [tool.dynalint] table")
    if not isinstance(table, dict):
        raise InputError(f"{shown}: tool.dynalint: expected a table, got {described(table)}")
    return table


def _has_tool_table(pyproject: Path) -> bool:
    """Whether a pyproject.toml met while searching holds [tool.dynalint] (parsed only if it may)."""
    try:
        text = userfiles.read_text(pyproject, _shown(pyproject), InputError, "config file")
    except InputError:
        if pyproject.stat().st_size > userfiles.MAX_BYTES:
            raise  # it may be the settings: refused, not passed over
        return False
    if "dynalint" not in text:
        return False
    tool = userfiles.load_toml(text, _shown(pyproject), InputError).get("tool")
    return isinstance(tool, dict) and "dynalint" in tool


# ---------------------------------------------------------------- checking
def schema(rules: Sequence[Rule]) -> dict:
    """The JSON schema of the config, with one entry per rule and its options' types."""
    ids = {"type": "array", "items": {"type": "string", "minLength": 1}}
    per_rule = {
        r.id: {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "enabled": {"type": "boolean"},
                "level": {"enum": list(LEVELS)},
                "options": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {name: _option_schema(default) for name, default in r.options.items()},
                },
            },
        }
        for r in rules
    }
    entry = {
        "type": "object",
        "additionalProperties": False,
        "required": ["rule", "address", "reason"],
        "properties": {
            "rule": {"type": "string", "minLength": 1},
            "address": {"type": "string", "minLength": 1},
            "reason": {"type": "string", "pattern": r"\S"},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "fail_on": {"enum": list(FAIL_ON)},
            "select": ids,
            "ignore_rules": ids,
            "rules": {"type": "object", "additionalProperties": False, "properties": per_rule},
            "ignore": {"type": "array", "items": entry, "maxItems": MAX_IGNORE_ENTRIES},
            "rules_dirs": {"type": "array", "items": {"type": "string", "minLength": 1}},
        },
    }


def _option_schema(default: Any) -> dict:
    """The type an option value must have: the type of the rule's default."""
    if isinstance(default, bool):
        return {"type": "boolean"}
    if isinstance(default, int):
        return {"type": "integer"}
    if isinstance(default, float):
        return {"type": "number"}
    if isinstance(default, str):
        return {"type": "string"}
    if isinstance(default, (list, tuple)):
        # An empty default list stands for a list of names (tags, patterns): strings.
        return {"type": "array", "items": _option_schema(default[0]) if default else {"type": "string"}}
    if isinstance(default, dict):
        return {"type": "object"}
    return {}


def _schema_problems(data: dict, rules: Sequence[Rule]) -> list[tuple[list, str]]:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema(rules))
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        problems.extend(_explain(error, rules))
    return problems


def _explain(error, rules: Sequence[Rule]) -> list[tuple[list, str]]:
    """A jsonschema error as (key path, what was expected), in the user's words."""
    path = list(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        return [([*path, key], _unknown_key(path, key, known, rules)) for key in error.instance if key not in known]
    if kind == "type":
        return [(path, f"expected {expected_types(error.validator_value)}, got {described(error.instance)}")]
    if kind == "enum":
        return [(path, f"expected one of {', '.join(error.validator_value)}, got {error.instance!r}")]
    if kind == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return [
            (path, f"missing {', '.join(repr(k) for k in missing)} (an ignore entry needs rule, address and reason)")
        ]
    if kind in ("minLength", "pattern"):
        return [(path, "must not be empty")]
    if kind == "maxItems":
        return [
            (
                path,
                f"{len(error.instance):,} entries, more than dynalint reads ({error.validator_value:,}): accept "
                "findings in bulk with a baseline (--write-baseline FILE, then --baseline FILE)",
            )
        ]
    return [(path, error.message)]


def _unknown_key(path: list, key: Any, known: list[str], rules: Sequence[Rule]) -> str:
    hint = difflib.get_close_matches(str(key), known, n=1)
    suggestion = f"; did you mean {hint[0]}?" if hint else ""
    if path == ["rules"]:
        upper = str(key).upper()
        suggestion = f"; did you mean {upper}?" if upper in known else suggestion
        return f"unknown rule id (see `dynalint rules`){suggestion}"
    if len(path) == 3 and path[0] == "rules" and path[2] == "options":
        names = ", ".join(known) if known else "none"
        return f"unknown option of {path[1]} (its options: {names}){suggestion}"
    return f"unknown key (expected {', '.join(known)}){suggestion}"


def _rule_id_problems(data: dict, rules: Sequence[Rule]) -> list[tuple[list, str]]:
    """Ids and prefixes in select, ignore_rules and ignore must name at least one rule:
    a typo must not silently turn a check off (or on)."""
    ids = [r.id for r in rules]
    named = [(["select", i], v) for i, v in enumerate(data.get("select", []))]
    named += [(["ignore_rules", i], v) for i, v in enumerate(data.get("ignore_rules", []))]
    named += [(["ignore", i, "rule"], e["rule"]) for i, e in enumerate(data.get("ignore", []))]
    return [
        (path, f"unknown rule id or prefix {value!r} (see `dynalint rules`)")
        for path, value in named
        if value.strip().upper() != "ALL" and not any(i.startswith(value.strip().upper()) for i in ids)
    ]


def _config(data: dict, shown: str, locate: Any = None) -> Config:
    rules = data.get("rules", {})
    return Config(
        path=shown,
        fail_on=data.get("fail_on"),
        select=tuple(data.get("select", ())),
        ignore_rules=tuple(data.get("ignore_rules", ())),
        enabled={rule_id: s["enabled"] for rule_id, s in rules.items() if "enabled" in s},
        levels={rule_id: Level.parse(s["level"]) for rule_id, s in rules.items() if "level" in s},
        options={rule_id: dict(s["options"]) for rule_id, s in rules.items() if s.get("options")},
        ignore=tuple(
            IgnoreEntry(e["rule"].strip(), e["address"], e["reason"].strip(), locate(["ignore", i]) if locate else None)
            for i, e in enumerate(data.get("ignore", ()))
        ),
    )

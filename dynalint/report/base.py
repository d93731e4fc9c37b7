"""What every output format builds on: the ``Report`` a reporter gets, its counts and summary line, and the
URIs SARIF, GitHub and JUnit give files and rules."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dynalint import __version__
from dynalint.model import Finding, Level, Model
from dynalint.rule import Rule

INFORMATION_URI = "https://github.com/dynalint/dynalint"
DOCS_URI = INFORMATION_URI + "/blob/main/docs/rules/{id}.md"


@dataclass(frozen=True)
class Report:
    """What every reporter gets: findings in order, the rules that ran, and the inputs."""

    findings: Sequence[Finding]
    rules: Sequence[Rule]
    models: Sequence[Model] = ()
    show_suppressed: bool = False
    color: bool = False
    width: int | None = None  # text lines wrap at words to this many columns (a terminal's); None: never
    version: str = __version__
    extra: dict = field(default_factory=dict)

    @property
    def visible(self) -> list[Finding]:
        """Findings a person should see: suppressed ones only with --show-suppressed, baselined never."""
        return [
            f for f in self.findings if (self.show_suppressed or not f.suppressed) and f.baseline_state != "unchanged"
        ]

    def counts(self) -> dict[str, int]:
        """Active findings per level, then the suppressed and the baselined ones, in one pass."""
        active = dict.fromkeys(Level, 0)
        suppressed = baselined = 0
        for f in self.findings:
            if f.suppression is not None:  # suppressed only, whatever the baseline says
                suppressed += 1
            elif f.baseline_state == "unchanged":
                baselined += 1
            else:
                active[f.level] += 1
        out = {str(level): active[level] for level in sorted(Level, reverse=True)}
        out["suppressed"] = suppressed
        out["baselined"] = baselined
        return out


def artifact_uri(file: str) -> tuple[str, str | None]:
    """A file path as SARIF/GitHub want it: relative to the working directory (the repository root)
    with POSIX separators; an absolute ``file://`` URI when the file lies outside it."""
    return _artifact_uri(file, os.getcwd())


@functools.lru_cache(maxsize=256)  # a report names few files, each many times
def _artifact_uri(file: str, cwd: str) -> tuple[str, str | None]:
    if file == "-":
        return "stdin", None
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.resolve().relative_to(Path(cwd).resolve())
        except ValueError:
            return path.resolve().as_uri(), None
    parts = [p for p in path.as_posix().split("/") if p not in ("", ".")]
    return "/".join(parts), "%SRCROOT%"


def help_uri(rule: Rule) -> str:
    """A rule's documentation page: its own for custom rules that name one, ours for built-in rules."""
    if rule.help_uri:
        return rule.help_uri
    return DOCS_URI.format(id=rule.id) if rule.builtin else INFORMATION_URI


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: Report) -> str:
    """``Found 24 findings: 3 errors, 21 warnings in 9 of 24 resources checked (2 suppressed).``

    Counts active findings (not suppressed, not in the baseline), the resources they are on, and the
    resources the run checked (those a chosen rule applies to; with --changed-only, those the plan
    changes). --changed-only on input without planned changes (.tf, a state) says that it checked all.
    """
    c = report.counts()
    total = c["error"] + c["warning"] + c["note"]
    only_changed = bool(report.extra.get("only_changed"))
    checked = checked_resources(report.models, report.rules, only_changed)
    of_checked = (
        f"{checked} {'changed ' if only_changed and _has_plan(report.models) else ''}"
        f"resource{'' if checked == 1 else 's'} checked"
    )
    if not total:
        head = f"No findings in {of_checked}"
    else:
        levels = ", ".join(plural(c[k], k) for k in ("error", "warning", "note") if c[k])
        head = f"Found {plural(total, 'finding')}: {levels} in {_flagged(report)} of {of_checked}"
    files = len(report.models)
    extra = [f"{c['suppressed']} suppressed"] if c["suppressed"] else []
    extra += [f"{c['baselined']} in baseline"] if c["baselined"] else []
    tail = f" from {plural(files, 'input')}" if files > 1 else ""
    unchanged = sorted({_WITHOUT_CHANGES[m.input_kind] for m in report.models if m.input_kind in _WITHOUT_CHANGES})
    if only_changed and unchanged:
        extra.append(f"--changed-only needs a plan: all of the {' and '.join(unchanged)} input was checked")
    return head + tail + (f" ({'; '.join(extra)})" if extra else "") + "."


_WITHOUT_CHANGES = {"hcl": ".tf", "state": "state"}


def _has_plan(models: Sequence[Model]) -> bool:
    return any(m.input_kind == "plan" for m in models)


def _flagged(report: Report) -> int:
    """How many resources have an active finding (findings about a comment or the config have no type)."""
    return len(
        {
            (f.input_file, f.address)
            for f in report.findings
            if f.resource_type and not f.suppressed and f.baseline_state != "unchanged"
        }
    )


def checked_resources(models: Sequence[Model], rules: Sequence[Rule], only_changed: bool = False) -> int:
    """How many resources a chosen rule was shown (dynalint.engine.checks), counted per rule kind and type; for a
    model that carries the count (``Model.checked_counts``), its count."""
    key = checked_key(rules, only_changed)
    total = sum(m.checked_counts[key] for m in models if key in m.checked_counts)
    uncounted = [m for m in models if key not in m.checked_counts]
    if uncounted:
        by_type = _rules_by_type(rules)
        total += sum(_checked(m, by_type, only_changed) for m in uncounted)
    return total


def checked_key(rules: Sequence[Rule], only_changed: bool) -> tuple[frozenset[str], bool]:
    """What a count of checked resources depends on: which rules, and whether only changes were checked."""
    return frozenset(r.id for r in rules), only_changed


def _rules_by_type(rules: Sequence[Rule]) -> dict[str, list[Rule]]:
    """Resource type -> one rule of each kind that applies to it."""
    firsts: dict[tuple[str, str], Rule] = {}
    for rule in rules:
        for type_ in rule.applies:
            firsts.setdefault((rule.kind, type_), rule)
    by_type: dict[str, list[Rule]] = {}
    for (_, type_), rule in firsts.items():
        by_type.setdefault(type_, []).append(rule)
    return by_type


def _checked(model: Model, by_type: dict[str, list[Rule]], only_changed: bool) -> int:
    from dynalint.engine import checks

    count = 0
    for r in model.resources:
        for rule in by_type.get(r.type, ()):
            if checks(rule, r, only_changed):
                count += 1
                break
    return count


def statistics(report: Report, summary: bool = True) -> str:
    """Active findings counted per rule (most first), one line each: count, id, level, slug."""
    slugs = {r.id: r.slug for r in report.rules}
    order = {r.id: i for i, r in enumerate(report.rules)}
    counts: dict[str, int] = {}
    levels: dict[str, Level] = {}
    for f in report.findings:
        if not f.suppressed and f.baseline_state != "unchanged":
            counts[f.rule_id] = counts.get(f.rule_id, 0) + 1
            levels[f.rule_id] = max(levels.get(f.rule_id, f.level), f.level)
    rows = sorted(counts, key=lambda rule_id: (-counts[rule_id], order.get(rule_id, len(order)), rule_id))
    width = len(str(max(counts.values(), default=0)))
    lines = [f"{counts[r]:>{width}}  {r:<7} {str(levels[r]):<8} {slugs.get(r, '')}".rstrip() for r in rows]
    if summary:
        lines.append(summary_line(report))
    return "".join(line + "\n" for line in lines)

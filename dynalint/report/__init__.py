"""Reporters: findings to text in one format. Each module has ``render(report) -> str``."""
from __future__ import annotations

import functools
import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from dynalint import __version__
from dynalint.model import Finding, Level, Model
from dynalint.rule import Rule

FORMATS = ("text", "sarif", "json", "junit", "github", "markdown")
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
    version: str = __version__
    extra: dict = field(default_factory=dict)

    @property
    def visible(self) -> list[Finding]:
        """Findings a person should see: suppressed ones only with --show-suppressed, baselined never."""
        return [f for f in self.findings
                if (self.show_suppressed or not f.suppressed) and f.baseline_state != "unchanged"]

    def counts(self) -> dict[str, int]:
        out = {str(level): 0 for level in sorted(Level, reverse=True)}
        for f in self.findings:
            if not f.suppressed and f.baseline_state != "unchanged":
                out[str(f.level)] += 1
        out["suppressed"] = sum(1 for f in self.findings if f.suppressed)
        out["baselined"] = sum(1 for f in self.findings if f.baseline_state == "unchanged")
        return out


def render(fmt: str, report: Report) -> str:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    module = importlib.import_module(f"dynalint.report.{fmt}")
    return module.render(report)


def render_pieces(fmt: str, report: Report) -> Iterable[str]:
    """``render(fmt, report)`` in pieces, for a writer: SARIF comes in batches of results, so that writing a
    large plan's report to a file never holds it whole; the other formats come whole."""
    if fmt == "sarif":
        from dynalint.report import sarif

        return sarif.pieces(report)
    return [render(fmt, report)]


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
    c = report.counts()
    total = c["error"] + c["warning"] + c["note"]
    if not total:
        head = "No findings"
    else:
        head = f"Found {plural(total, 'finding')}: " + ", ".join(
            plural(c[k], k) for k in ("error", "warning", "note") if c[k])
    extra = [f"{c['suppressed']} suppressed"] if c["suppressed"] else []
    extra += [f"{c['baselined']} in baseline"] if c["baselined"] else []
    files = len(report.models)
    resources = sum(len(m.resources) for m in report.models)
    tail = f" in {plural(resources, 'resource')}" + (f" from {plural(files, 'input')}" if files > 1 else "")
    return head + tail + (f" ({', '.join(extra)})" if extra else "") + "."


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

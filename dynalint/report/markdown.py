"""Markdown for a pull-request comment.

A heading with the verdict, a table of findings by level, then the findings
grouped by resource (above them, a Mermaid diagram of the tables the plan touches: report/diagram.py);
each finding says what is wrong in one line and keeps the
fix (the rule's "Use instead" example and its documentation link) in a
collapsed ``<details>``. The first line is an HTML comment, ``<!-- dynalint -->``,
so that a workflow can find and update its earlier comment. Findings past
GitHub's comment size limit (65,536 characters) are counted, not shown.
"""
from __future__ import annotations

from itertools import groupby

from dynalint.model import Finding, Level
from dynalint.report import Report, help_uri, plural, summary_line
from dynalint.report.diagram import diagram
from dynalint.rule import Rule
from dynalint.rule_examples import how_to_fix

MARKER = "<!-- dynalint -->"
MAX_CHARS = 60_000  # below GitHub's 65,536, leaving room for what a workflow adds around it
_LEVEL_NAMES = {Level.ERROR: "Error", Level.WARNING: "Warning", Level.NOTE: "Note"}


def render(report: Report) -> str:
    rules = {r.id: r for r in report.rules}
    head = [MARKER, f"### dynalint: {_verdict(report)}", "", *_table(report), "", summary_line(report), "",
            *diagram(report)]
    body: list[str] = []
    size = sum(len(line) + 1 for line in head)
    shown = 0
    visible = report.visible
    for address, group in groupby(visible, key=lambda f: (f.input_file, f.address)):
        block = _resource(list(group), rules)
        block_size = sum(len(line) + 1 for line in block)
        if size + block_size > MAX_CHARS:
            break
        body += block
        size += block_size
        shown += sum(1 for line in block if line.startswith("**"))
    if shown < len(visible):
        body.append(f"*{plural(len(visible) - shown, 'more finding')} not shown: the comment would be too long. "
                    "See the full report in the job log or in code scanning.*")
        body.append("")
    return "\n".join(head + body).rstrip("\n") + "\n"


def _verdict(report: Report) -> str:
    c = report.counts()
    parts = [plural(c[k], k) for k in ("error", "warning", "note") if c[k]]
    return ", ".join(parts) if parts else "no findings"


def _table(report: Report) -> list[str]:
    c = report.counts()
    rows = ["| Level | Findings |", "| --- | ---: |"]
    rows += [f"| {_LEVEL_NAMES[level]} | {c[str(level)]} |" for level in sorted(Level, reverse=True)]
    if c["suppressed"]:
        rows.append(f"| Suppressed | {c['suppressed']} |")
    if c["baselined"]:
        rows.append(f"| In baseline | {c['baselined']} |")
    return rows


def _resource(findings: list[Finding], rules: dict[str, Rule]) -> list[str]:
    first = findings[0]
    actions = f" ({', '.join(first.actions)})" if first.actions and first.actions != ("no-op",) else ""
    where = ""
    block = first.resource_location
    if block is not None and block.kind == "tf":  # a line of plan JSON helps no reviewer
        where = f" · `{block.file}:{block.start_line}`"
    lines = [f"#### `{first.address}`{actions}{where}", ""]
    for f in findings:
        lines += _finding(f, rules.get(f.rule_id))
    return lines


def _finding(f: Finding, rule: Rule | None) -> list[str]:
    slug = f" {rule.slug}" if rule else ""
    suppressed = f" *(suppressed: {_text(f.suppression.justification)})*" if f.suppressed else ""
    lines = [f"**{_LEVEL_NAMES[f.level]}** `{f.rule_id}`{slug}: {_text(f.message)}{suppressed}", ""]
    if rule is not None:
        lines += ["<details><summary>How to fix</summary>", ""]
        fix = how_to_fix(rule)
        lines += [fix, ""] if fix else []
        docs = help_uri(rule)
        lines += [f"Documentation: [{rule.id} {rule.slug}]({docs})", "", "</details>", ""]
    return lines


def _text(text: str) -> str:
    """Text from the plan, made inert: HTML outside `code spans` is escaped."""
    parts = text.split("`")
    for i in range(0, len(parts), 2):  # even parts are outside code spans
        parts[i] = parts[i].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if len(parts) % 2 == 0:  # an unpaired backtick: escape it rather than open a span
        return "\\`".join(parts)
    return "`".join(parts)

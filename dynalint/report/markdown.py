"""Markdown for a pull-request comment.

A heading with the verdict, a table of findings by level, then the findings
grouped by resource (above them, a Mermaid diagram of the tables the plan touches: report/diagram.py);
each finding says what is wrong in one line and keeps the
fix (the rule's "Use instead" example and its documentation link) in a
collapsed ``<details>``. The first line is an HTML comment, ``<!-- dynalint -->``,
so that a workflow can find and update its earlier comment.

Everything from the input is escaped by ``escape.markdown_code`` (addresses, file
names) or ``escape.markdown_text`` (messages, reasons), each cut to a size of its
own, so that no finding can open HTML, a link, an image or a mention, or hide
the findings after it. Only dynalint's own rules bring a fix excerpt and a link:
a custom rule's help may come from the repository under review. Findings past
GitHub's comment size limit (65,536 characters) are counted, not shown.
"""

from __future__ import annotations

from dynalint.model import Finding, Level
from dynalint.report.base import Report, help_uri, plural, summary_line
from dynalint.report.diagram import diagram
from dynalint.report.escape import markdown_code, markdown_text
from dynalint.rule import Rule
from dynalint.rule_examples import how_to_fix

MARKER = "<!-- dynalint -->"
MAX_CHARS = 60_000  # below GitHub's 65,536, leaving room for what a workflow adds around it
# What one finding may take of the comment: an address, a file name, a message and a reason from the input
# are cut to these sizes (escaping may double them), so that thousands of findings still get a line each.
MAX_ADDRESS, MAX_FILE, MAX_MESSAGE, MAX_REASON = 300, 200, 1_000, 300
_MORE_NOTE_CHARS = 200  # kept free for the "N more findings not shown" line
_LEVEL_NAMES = {Level.ERROR: "Error", Level.WARNING: "Warning", Level.NOTE: "Note"}


def render(report: Report) -> str:
    rules = {r.id: r for r in report.rules}
    head = [
        MARKER,
        f"### dynalint: {_verdict(report)}",
        "",
        *_table(report),
        "",
        summary_line(report),
        "",
        *diagram(report),
    ]
    body: list[str] = []
    size = sum(len(line) + 1 for line in head) + _MORE_NOTE_CHARS
    visible = report.visible
    shown, previous = 0, None
    for f in visible:
        resource = (f.input_file, f.address)
        block = (_heading(f) if resource != previous else []) + _finding(f, rules.get(f.rule_id))
        block_size = sum(len(line) + 1 for line in block)
        if size + block_size > MAX_CHARS:
            break
        body += block
        size += block_size
        shown, previous = shown + 1, resource
    if shown < len(visible):
        body.append(
            f"*{plural(len(visible) - shown, 'more finding')} not shown: the comment would be too long. "
            "See the full report in the job log or in code scanning.*"
        )
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


def _heading(first: Finding) -> list[str]:
    actions = f" ({markdown_text(', '.join(first.actions))})" if first.actions and first.actions != ("no-op",) else ""
    where = ""
    block = first.resource_location
    if block is not None and block.kind == "tf":  # a line of plan JSON helps no reviewer
        where = f" · {markdown_code(f'{block.file}:{block.start_line}', MAX_FILE)}"
    return [f"#### {markdown_code(first.address, MAX_ADDRESS)}{actions}{where}", ""]


def _finding(f: Finding, rule: Rule | None) -> list[str]:
    slug = f" {markdown_text(rule.slug)}" if rule else ""
    reason = (
        f" *(suppressed: {markdown_text(f.suppression.justification, MAX_REASON)})*"
        if f.suppression is not None  # f.suppressed
        else ""
    )
    lines = [
        f"**{_LEVEL_NAMES[f.level]}** {markdown_code(f.rule_id)}{slug}: {markdown_text(f.message, MAX_MESSAGE)}"
        f"{reason}",
        "",
    ]
    if rule is not None and rule.builtin:
        lines += ["<details><summary>How to fix</summary>", ""]
        fix = how_to_fix(rule)
        lines += [fix, ""] if fix else []
        lines += [f"Documentation: [{rule.id} {rule.slug}]({help_uri(rule)})", "", "</details>", ""]
    elif rule is not None:
        lines += [f"How to fix: {markdown_code(f'dynalint explain {rule.id}')}", ""]
    return lines

"""One line per finding, for editors, grep and CI problem matchers (ruff's ``concise``, tflint's ``compact``)::

    infra/main.tf:12:1: DDB101 error Table 'orders' has point-in-time recovery off: ...
    plan.json:1:5312: DDB101 error aws_dynamodb_table.orders: Table 'orders' has ...

``file:line:col: ID level message``. A finding located in the ``.tf`` source
shows its file; one located only in the plan or state JSON (no ``.tf`` beside
it) shows that file and puts the resource's address before the message, since
a position in one-line JSON tells a person little. A column the location does
not know is 1. Lines are in file, line and column order. Suppressed and baselined findings are left out (``--show-suppressed``
shows suppressed ones, marked). The last line is the summary.

Every string here may come from the pull request (file names, addresses,
messages that quote values): each is made one printable line, and no line can
start with ``::``, which the GitHub Actions runner would read as a workflow
command.
"""
from __future__ import annotations

from dynalint.model import Finding
from dynalint.report import Report, summary_line


def render(report: Report) -> str:
    lines = [_line(f, *_where(f)) for f in sorted(report.visible, key=_where)]
    lines.append(summary_line(report))
    return "".join(_safe_start(line) + "\n" for line in lines)


def _where(f: Finding) -> tuple[str, int, int]:
    """File, line and column: the order of the lines (then the report's own order, for one place)."""
    source = f.source
    if source is None:
        return f.input_file or "-", 1, 1
    return source.file, source.start_line, source.start_column or 1


def _line(f: Finding, file: str, line: int, column: int) -> str:
    source = f.source
    about = f"{f.address}: " if source is None or source.kind == "plan" else ""
    tag = " [suppressed]" if f.suppressed else ""
    return f"{one_line(file)}:{line}:{column}: {f.rule_id} {f.level} {one_line(about + f.message)}{tag}"


def one_line(text: str) -> str:
    """``text`` with line breaks, control characters and lone surrogates escaped as Python does (``\\n``)."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _safe_start(line: str) -> str:
    """A line that would start with ``::`` (a file named so) starts with ``./`` instead: the same path."""
    return "./" + line if line.startswith("::") else line

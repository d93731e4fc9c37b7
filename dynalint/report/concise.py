"""One line per finding, for editors, grep and CI problem matchers (ruff's ``concise``, tflint's ``compact``)::

    infra/main.tf:12:1: DDB101 error Table 'orders' has point-in-time recovery off: ...
    plan.json:1:5312: DDB101 error aws_dynamodb_table.orders: Table 'orders' has ...

``file:line:col: ID level message``. A finding located in the ``.tf`` source
shows its file; one located only in the plan or state JSON (no ``.tf`` beside
it) shows that file and puts the resource's address before the message, since
a position in one-line JSON tells a person little. A column the location does
not know is 1. Lines are in file, line and column order. Suppressed and baselined findings are left out
(``--show-suppressed`` shows suppressed ones, marked). The last line is the summary.

Every string here may come from the pull request (file names, addresses,
messages that quote values): each goes through ``escape.text`` (one printable
line, no CI log command); a file name that starts with ``::``, which the GitHub
Actions runner would read as a workflow command, is written ``./::...``, the
same path.
"""

from __future__ import annotations

from dynalint.model import Finding
from dynalint.report.base import Report, summary_line
from dynalint.report.escape import one_line, text


def render(report: Report) -> str:
    lines = [_line(f, *_where(f)) for f in sorted(report.visible, key=_where)]
    lines.append(summary_line(report))
    return "".join(line + "\n" for line in lines)


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
    return f"{_file(file)}:{line}:{column}: {text(f.rule_id)} {f.level} {text(about + f.message)}{tag}"


def _file(name: str) -> str:
    """A file name as ``text`` makes it, written ``./NAME`` where it would start the line with ``::``."""
    name = one_line(name)
    return text("./" + name if name.lstrip(" ").startswith("::") else name)

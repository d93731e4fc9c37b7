"""Text for people: findings grouped by input and resource, then one summary line.

On a terminal (``Report.width``) long messages wrap at words, continued under
their first word; written to a pipe or a file, each finding stays on one line.
Every string from the input goes through ``escape.text``: one line each, no terminal escape
sequence, no CI log command.
"""

from __future__ import annotations

import textwrap
from itertools import groupby

from dynalint.model import Finding, Level
from dynalint.report.base import Report, summary_line
from dynalint.report.escape import text

_COLORS = {Level.ERROR: "\x1b[31m", Level.WARNING: "\x1b[33m", Level.NOTE: "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def render(report: Report) -> str:
    paint = _painter(report.color)
    lines: list[str] = []
    for model in report.models:
        for warning in model.warnings:
            lines.append(paint(_DIM, _wrapped("note: ", text(warning), report.width, indent=6)))
    visible = report.visible
    for input_file, file_group in groupby(visible, key=lambda f: f.input_file or "-"):
        in_file = list(file_group)
        first = in_file[0].resource_location
        if len(report.models) > 1 or not first or first.kind == "plan":
            lines.append(paint(_BOLD, text(input_file)))
        for _address, address_group in groupby(in_file, key=lambda f: f.address):
            group = list(address_group)
            lines.append(_resource_line(group[0], paint))
            for f in group:
                level = paint(_COLORS[f.level], f"{str(f.level):<7}")
                lead = f"    {str(f.level):<7} {f.rule_id}  "
                head = lead + _where(f, _painter(False))
                message = _wrapped(head, text(f.message), report.width, indent=len(lead))[len(head) :]
                tag = paint(_DIM, " [suppressed]") if f.suppressed else ""
                lines.append(f"    {level} {paint(_BOLD, text(f.rule_id))}  {_where(f, paint)}{message}{tag}")
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


#: Narrower than this, a wrapped message would be a column of single words: it is left whole.
MIN_MESSAGE_WIDTH = 30


def _wrapped(head: str, body: str, width: int | None, indent: int | None = None) -> str:
    """``head + body``, wrapped at words to ``width`` columns; continuation lines start under the body
    (or ``indent`` spaces in). Words longer than a line (a URL, an address) are never split."""
    indent = len(head) if indent is None else indent
    if width is None or len(head) + len(body) <= width or width - indent < MIN_MESSAGE_WIDTH:
        return head + body
    return textwrap.fill(
        body,
        width=width,
        initial_indent=head,
        subsequent_indent=" " * indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _resource_line(f: Finding, paint) -> str:
    where = ""
    block = f.resource_location
    if block is not None and block.kind == "tf":
        where = paint(_DIM, f"  {text(block.file)}:{block.start_line}")
    actions = paint(_DIM, f"  ({text(', '.join(f.actions))})") if f.actions and f.actions != ("no-op",) else ""
    return f"  {text(f.address)}{actions}{where}"


def _where(f: Finding, paint) -> str:
    """``file:line:col`` of the attribute or nested block a finding is about ("" where that is the resource's block)."""
    source = f.source
    if source is None or source.kind != "tf" or source.path is None:
        return ""
    column = f":{source.start_column}" if source.start_column else ""
    return paint(_DIM, f"{text(source.file)}:{source.start_line}{column}") + "  "


def _painter(color: bool):
    if not color:
        return lambda code, text: text
    return lambda code, text: f"{code}{text}{_RESET}"

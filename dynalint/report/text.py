"""Text for people: findings grouped by input and resource, then one summary line.

Every string from the input goes through ``escape.text``: one line each, no terminal escape
sequence, no CI log command."""
from __future__ import annotations

from itertools import groupby

from dynalint.model import Finding, Level
from dynalint.report import Report, summary_line
from dynalint.report.escape import text

_COLORS = {Level.ERROR: "\x1b[31m", Level.WARNING: "\x1b[33m", Level.NOTE: "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def render(report: Report) -> str:
    paint = _painter(report.color)
    lines: list[str] = []
    for model in report.models:
        for warning in model.warnings:
            lines.append(paint(_DIM, f"note: {text(warning)}"))
    visible = report.visible
    for input_file, in_file in groupby(visible, key=lambda f: f.input_file or "-"):
        in_file = list(in_file)
        if len(report.models) > 1 or not in_file[0].source or in_file[0].source.kind == "plan":
            lines.append(paint(_BOLD, text(input_file)))
        for address, group in groupby(in_file, key=lambda f: f.address):
            group = list(group)
            lines.append(_resource_line(group[0], paint))
            for f in group:
                level = paint(_COLORS[f.level], f"{str(f.level):<7}")
                tag = paint(_DIM, " [suppressed]") if f.suppressed else ""
                lines.append(f"    {level} {paint(_BOLD, text(f.rule_id))}  {text(f.message)}{tag}")
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _resource_line(f: Finding, paint) -> str:
    where = ""
    if f.source is not None and f.source.kind == "tf":
        where = paint(_DIM, f"  {text(f.source.file)}:{f.source.start_line}")
    actions = paint(_DIM, f"  ({text(', '.join(f.actions))})") if f.actions and f.actions != ("no-op",) else ""
    return f"  {text(f.address)}{actions}{where}"


def _painter(color: bool):
    if not color:
        return lambda code, text: text
    return lambda code, text: f"{code}{text}{_RESET}"

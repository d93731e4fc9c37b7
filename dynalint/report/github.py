"""GitHub Actions workflow commands: each finding annotates the pull request without code scanning.

One line per active finding (suppressed and baselined ones are left out)::

    ::error file=infra/main.tf,line=12,endLine=30,title=DDB101 pitr-disabled%3A aws_dynamodb_table.orders::Table ...

``error`` / ``warning`` / ``notice`` follow the finding's level. Values are
escaped as the Actions runner expects (actions/toolkit ``command.ts``, see
``escape.workflow_data``): in the message ``%``, and control characters (CR
and LF first) written visibly; in properties also ``:`` and ``,``; so nothing
in a message can start a command of its own. The last line is the plain summary.
GitHub shows at most 10 annotations of each level per step and 50 per job;
the rest stay in the log.
"""

from __future__ import annotations

from dynalint.model import Finding, Level
from dynalint.report.base import Report, artifact_uri, summary_line
from dynalint.report.escape import workflow_data, workflow_property

_COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "notice"}


def render(report: Report) -> str:
    slugs = {r.id: r.slug for r in report.rules}
    lines = [
        _command(f, slugs.get(f.rule_id, ""))
        for f in report.findings
        if not f.suppressed and f.baseline_state != "unchanged"
    ]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _command(f: Finding, slug: str) -> str:
    properties = _location(f)
    properties.append(("title", f"{f.rule_id} {slug}: {f.address}" if slug else f"{f.rule_id}: {f.address}"))
    listed = ",".join(f"{key}={workflow_property(value)}" for key, value in properties)
    return f"::{_COMMANDS[f.level]} {listed}::{workflow_data(f.message)}"


def _location(f: Finding) -> list[tuple[str, str]]:
    if f.source is None:
        return []
    uri, base = artifact_uri(f.source.file)
    if base is None:  # stdin, or a file outside the workspace: GitHub cannot annotate it
        return []
    out = [("file", uri), ("line", str(f.source.start_line))]
    if f.source.end_line and f.source.end_line > f.source.start_line:
        out.append(("endLine", str(f.source.end_line)))
    if f.source.start_column:
        out.append(("col", str(f.source.start_column)))
    return out

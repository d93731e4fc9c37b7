"""JSON for scripts. The shape is stable and documented in docs/json-format.md (version "1").

Values are written as they are; ``escape.json_document`` writes the characters a terminal or a
CI log would act on as ``\\u`` escapes."""

from __future__ import annotations

import json

from dynalint.model import Finding, Source
from dynalint.report.base import Report
from dynalint.report.escape import json_document


def render(report: Report) -> str:
    slugs = {r.id: r.slug for r in report.rules}
    doc = {
        "version": "1",
        "tool": {"name": "dynalint", "version": report.version},
        "inputs": [
            {
                "file": m.input_file,
                "kind": m.input_kind,
                "format_version": m.format_version,
                "terraform_version": m.terraform_version,
                "resources": len(m.resources),
                "warnings": list(m.warnings),
            }
            for m in report.models
        ],
        "summary": report.counts(),
        "findings": [
            _finding(f, slugs.get(f.rule_id, "")) for f in report.findings if report.show_suppressed or not f.suppressed
        ],
    }
    return json_document(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def _finding(f: Finding, slug: str) -> dict:
    return {
        "rule_id": f.rule_id,
        "slug": slug,
        "level": str(f.level),
        "address": f.address,
        "resource_type": f.resource_type,
        "message": f.message,
        "path": f.path,
        "actions": list(f.actions),
        "input": f.input_file,
        "location": _location(f.source),
        "resource_location": _location(f.resource_location),
        "fingerprint": f.fingerprint,
        "suppression": None
        if f.suppression is None
        else {"kind": f.suppression.kind, "justification": f.suppression.justification},
        "baseline_state": f.baseline_state,
    }


def _location(source: Source | None) -> dict | None:
    if source is None:
        return None
    return {
        "file": source.file,
        "line": source.start_line,
        "column": source.start_column,
        "end_line": source.end_line,
        "kind": source.kind,
        "path": source.path,
    }

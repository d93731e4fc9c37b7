"""SARIF 2.1.0 for GitHub code scanning (see DESIGN.md, "SARIF").

One run, one location per result. Every result carries our own stable
fingerprint; ``primaryLocationLineHash`` is added only where the location is
the plan file, because for a committed ``.tf`` file upload-sarif computes it
from the source line and warns when one is already there.

Strings from the input are JSON values, written through ``escape.json_document``; the one
field GitHub renders as markdown, a rule's ``help.markdown``, is written for dynalint's own
rules only: a custom rule's text may come from the repository under review (a YAML rules file
a pull request adds), so code scanning shows it as ``help.text``, plain.
"""
from __future__ import annotations

import json

from dynalint.model import Finding
from dynalint.report import INFORMATION_URI, Report, artifact_uri, help_uri
from dynalint.report.escape import json_document, uri_reference
from dynalint.rule import Rule
from dynalint.rule_examples import documentation

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"


def render(report: Report) -> str:
    rules = sorted({r.id: r for r in report.rules}.values(), key=lambda r: _order(report.rules, r))
    index = {r.id: i for i, r in enumerate(rules)}
    fixes = report.extra.get("fixes") or {}
    results = [_result(f, index, fixes.get(f.fingerprint)) for f in report.findings if f.rule_id in index]
    run = {
        "tool": {
            "driver": {
                "name": "dynalint",
                "version": report.version,
                "semanticVersion": report.version,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(r) for r in rules],
            }
        },
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    # Compact: the C encoder writes it several times faster than an indented one, and the file is
    # smaller for GitHub's 10 MB upload limit. Tools show SARIF; people rarely read it raw.
    return json_document(json.dumps(log, ensure_ascii=False, separators=(",", ":"))) + "\n"


def _order(rules, rule: Rule) -> int:
    return [r.id for r in rules].index(rule.id)


def _descriptor(rule: Rule) -> dict:
    help_text = documentation(rule, complete=False).strip() or rule.summary  # the fix as a diff, not whole files
    tags = list(rule.tags)
    if rule.security_severity is not None:
        # GitHub reads security-severity only on rules tagged "security".
        tags = ["security"] + [t for t in tags if t != "security"]
    properties = {"tags": tags[:10], "precision": rule.precision}
    if rule.security_severity is not None:
        properties["security-severity"] = f"{float(rule.security_severity):.1f}"
    help_ = {"text": help_text}
    if rule.builtin:
        help_["markdown"] = f"# {rule.id} {rule.slug}\n\n{rule.summary}\n\n{help_text}"
    return {
        "id": rule.id,
        "name": _pascal(rule.slug),
        "shortDescription": {"text": _sentence(rule.summary)[:1024]},
        "fullDescription": {"text": _sentence(rule.full_description)},
        "help": help_,
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": str(rule.level)},
        "properties": properties,
    }


def _result(f: Finding, index: dict[str, int], proposal=None) -> dict:
    location = _location(f)
    fingerprints = {"dynalint/v1": f.fingerprint}
    if location["physicalLocation"]["artifactLocation"].get("uriBaseId") is None or _in_plan(f):
        fingerprints["primaryLocationLineHash"] = f"{f.fingerprint[:16]}:1"
    result = {
        "ruleId": f.rule_id,
        "ruleIndex": index[f.rule_id],
        "level": str(f.level),
        "message": {"text": _sentence(f.message)},
        "locations": [location],
        "partialFingerprints": fingerprints,
        "properties": {"address": f.address, "resourceType": f.resource_type, "planActions": list(f.actions)},
    }
    if f.path:
        result["properties"]["attributePath"] = f.path
    if f.suppression is not None:
        result["suppressions"] = [{"kind": f.suppression.kind, "justification": f.suppression.justification}]
    if f.baseline_state:
        result["baselineState"] = f.baseline_state
    if proposal is not None and proposal.edits:
        result["fixes"] = [_fix(proposal)]
    return result


def _fix(proposal) -> dict:
    """A fix (dynalint.fix.run.Proposal) as SARIF's ``fix``: its edits as replacements, per file, in the
    lines and columns (Unicode code points, see ``columnKind``) of the file as it is."""
    changes: dict[str, list] = {}
    for edit in proposal.edits:
        region = {"startLine": edit.start_line, "startColumn": edit.start_column,
                  "endLine": edit.end_line, "endColumn": edit.end_column}
        replacement = {"deletedRegion": region}
        if edit.text:
            replacement["insertedContent"] = {"text": edit.text}
        changes.setdefault(edit.file, []).append(replacement)
    artifact_changes = []
    for file, replacements in changes.items():
        uri, base = artifact_uri(file)
        location = {"uri": uri, **({"uriBaseId": base} if base else {})}
        artifact_changes.append({"artifactLocation": location, "replacements": replacements})
    title = proposal.title if proposal.safe else f"{proposal.title} (unsafe: dynalint applies it with --unsafe-fixes)"
    return {"description": {"text": _sentence(title)}, "artifactChanges": artifact_changes,
            "properties": {"safe": proposal.safe}}


def _in_plan(f: Finding) -> bool:
    return f.source is None or f.source.kind == "plan"


def _location(f: Finding) -> dict:
    source = f.source
    file = source.file if source is not None else (f.input_file or "-")
    uri, base = artifact_uri(file)
    artifact = {"uri": uri_reference(uri) if base else uri}
    if base:
        artifact["uriBaseId"] = base
    region = {"startLine": source.start_line if source else 1}
    if source is not None and source.start_column:
        region["startColumn"] = source.start_column
    # No endLine: GitHub annotates a pull request only when every line of the region is in the
    # diff, so a region spanning the whole resource block would hide alerts on partly edited blocks.
    return {
        "physicalLocation": {"artifactLocation": artifact, "region": region},
        "logicalLocations": [{"fullyQualifiedName": f.address, "kind": "resource"}],
    }


def _pascal(slug: str) -> str:
    return "".join(word.capitalize() for word in slug.split("-"))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."

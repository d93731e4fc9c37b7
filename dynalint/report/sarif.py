"""SARIF 2.1.0 for GitHub code scanning (see docs/architecture.md, "Reports").

One run, one location per result. Every result carries our own stable
fingerprint; ``primaryLocationLineHash`` is added only where the location is
the plan file, because for a committed ``.tf`` file upload-sarif computes it
from the source line and warns when one is already there.

Strings from the input are JSON values, and every piece of the log goes through
``escape.json_document``; the one field GitHub renders as markdown, a rule's
``help.markdown``, is written for dynalint's own rules only: a custom rule's text may
come from the repository under review (a YAML rules file a pull request adds), so code
scanning shows it as ``help.text``, plain.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring as _str  # how json.dumps(..., ensure_ascii=False) writes a string

from dynalint.model import Finding, Level, Source
from dynalint.report.base import INFORMATION_URI, Report, artifact_uri, help_uri
from dynalint.report.escape import json_document, uri_reference
from dynalint.rule import Rule
from dynalint.rule_examples import sarif_help

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {level: _str(str(level)) for level in Level}


def render(report: Report) -> str:
    return "".join(pieces(report))


def pieces(report: Report, batch: int = 500) -> Iterator[str]:
    """The SARIF log in order, in pieces of ``batch`` results: a large plan's log is megabytes, and a writer
    need not hold it whole (nor ``render`` copy it more than once).

    Compact, as json.dumps(log, ensure_ascii=False, separators=(",", ":")) writes it: smaller for GitHub's
    10 MB upload limit. The results, thousands of the same shape, are written by _result (see there). Pieces
    end between results, so ``json_document`` can make each inert on its own.
    """
    rules = sorted({r.id: r for r in report.rules}.values(), key=lambda r: _order(report.rules, r))
    index = {r.id: i for i, r in enumerate(rules)}
    fixes = report.extra.get("fixes") or {}
    tool = {
        "driver": {
            "name": "dynalint",
            "version": report.version,
            "semanticVersion": report.version,
            "informationUri": INFORMATION_URI,
            "rules": [_descriptor(r) for r in rules],
        }
    }
    yield json_document(f'{{"$schema":{_json(SCHEMA_URI)},"version":"2.1.0","runs":[{{"tool":{_json(tool)},"results":[')
    places: dict = {}
    shown = [f for f in report.findings if f.rule_id in index]
    for start in range(0, len(shown), batch):
        text = ",".join([_result(f, index, places, fixes.get(f.fingerprint)) for f in shown[start : start + batch]])
        yield json_document("," + text if start else text)
    yield '],"columnKind":"unicodeCodePoints"}]}\n'


def _order(rules, rule: Rule) -> int:
    return [r.id for r in rules].index(rule.id)


def _descriptor(rule: Rule) -> dict:
    help_text = sarif_help(rule).strip() or rule.summary  # the fix as a diff, not whole files
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


def _result(f: Finding, index: dict[str, int], places: dict, proposal=None) -> str:
    """One result as JSON text, byte for byte what json.dumps writes for::

        {"ruleId": ..., "ruleIndex": ..., "level": ..., "message": {"text": ...},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": ..., "uriBaseId"?: ...},
                                             "region": {"startLine": ..., "startColumn"?: ...}},
                        "logicalLocations": [{"fullyQualifiedName": address, "kind": "resource"}]}],
         "partialFingerprints": {"dynalint/v1": ..., "primaryLocationLineHash"?: ...},
         "properties": {"address": ..., "resourceType": ..., "planActions": [...], "attributePath"?: ...},
         "suppressions"?: [{"kind": ..., "justification": ...}], "baselineState"?: ..., "fixes"?: [...]}

    Strings go through the encoder json.dumps uses (``encode_basestring``); writing
    the text directly takes a fifth of building the dicts and encoding them.
    ``places`` caches each location's physical part (a report names few places, each many times), each file's
    artifactLocation and each list of plan actions. ``proposal`` is the finding's fix (dynalint.fix.run.Proposal),
    if it has one.
    """
    physical, has_base = _physical(f.source, f.input_file, places)
    fingerprints = f'"dynalint/v1":{_str(f.fingerprint)}'
    if not has_base or _in_plan(f):
        fingerprints += f',"primaryLocationLineHash":{_str(f"{f.fingerprint[:16]}:1")}'
    address = _str(f.address)
    actions = places.get(("actions", f.actions))  # a handful of action lists, each written once
    if actions is None:
        actions = places[("actions", f.actions)] = ",".join([_str(a) for a in f.actions])
    properties = f'"address":{address},"resourceType":{_str(f.resource_type)},"planActions":[{actions}]'
    if f.path:
        properties += f',"attributePath":{_str(f.path)}'
    text = (
        f'{{"ruleId":{_str(f.rule_id)},"ruleIndex":{index[f.rule_id]},"level":{_LEVELS[f.level]},'
        f'"message":{{"text":{_str(_sentence(f.message))}}},"locations":[{{"physicalLocation":{physical},'
        f'"logicalLocations":[{{"fullyQualifiedName":{address},"kind":"resource"}}]}}],'
        f'"partialFingerprints":{{{fingerprints}}},"properties":{{{properties}}}'
    )
    if f.suppression is not None:
        text += (
            f',"suppressions":[{{"kind":{_str(f.suppression.kind)},'
            f'"justification":{_str(f.suppression.justification)}}}]'
        )
    if f.baseline_state:
        text += f',"baselineState":{_str(f.baseline_state)}'
    if proposal is not None and proposal.edits:
        text += f',"fixes":[{_json(_fix(proposal))}]'
    return text + "}"


def _fix(proposal) -> dict:
    """A fix (dynalint.fix.run.Proposal) as SARIF's ``fix``: its edits as replacements, per file, in the
    lines and columns (Unicode code points, see ``columnKind``) of the file as it is."""
    changes: dict[str, list] = {}
    for edit in proposal.edits:
        region = {
            "startLine": edit.start_line,
            "startColumn": edit.start_column,
            "endLine": edit.end_line,
            "endColumn": edit.end_column,
        }
        replacement = {"deletedRegion": region}
        if edit.text:
            replacement["insertedContent"] = {"text": edit.text}
        changes.setdefault(edit.file, []).append(replacement)
    artifact_changes = []
    for file, replacements in changes.items():
        artifact_changes.append({"artifactLocation": _artifact(file), "replacements": replacements})
    title = proposal.title if proposal.safe else f"{proposal.title} (unsafe: dynalint applies it with --unsafe-fixes)"
    return {
        "description": {"text": _sentence(title)},
        "artifactChanges": artifact_changes,
        "properties": {"safe": proposal.safe},
    }


def _in_plan(f: Finding) -> bool:
    return f.source is None or f.source.kind == "plan"


def _artifact(file: str) -> dict:
    """An artifactLocation: a path under the checkout (``uriBaseId``) as a URI reference, or a file URI."""
    uri, base = artifact_uri(file)
    return {"uri": uri_reference(uri), "uriBaseId": base} if base else {"uri": uri}


def _physical(source: Source | None, input_file: str | None, places: dict) -> tuple[str, bool]:
    """The physicalLocation object as JSON text, and whether its artifact has a uriBaseId."""
    file = source.file if source is not None else (input_file or "-")
    line = source.start_line if source is not None else 1
    column = source.start_column if source is not None else None
    key = (file, line, column)
    found = places.get(key)
    if found is None:
        artifact, has_base = _artifact_text(file, places)
        region = f'"startLine":{_number(line)}' + (f',"startColumn":{_number(column)}' if column else "")
        # No endLine: GitHub annotates a pull request only when every line of the region is in the
        # diff, so a region spanning the whole resource block would hide alerts on partly edited blocks.
        found = places[key] = (f'{{"artifactLocation":{artifact},"region":{{{region}}}}}', has_base)
    return found


def _artifact_text(file: str, places: dict) -> tuple[str, bool]:
    """The file's artifactLocation as JSON text, and whether it has a uriBaseId; made once per file (a plan's
    findings are in thousands of places of one file)."""
    found = places.get(("artifact", file))
    if found is None:
        artifact = _artifact(file)
        found = places[("artifact", file)] = (_json(artifact), "uriBaseId" in artifact)
    return found


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _number(value) -> str:
    return str(value) if type(value) is int else _json(value)


def _pascal(slug: str) -> str:
    return "".join(word.capitalize() for word in slug.split("-"))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."

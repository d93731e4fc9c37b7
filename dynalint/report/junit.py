"""JUnit XML for CI test reports (GitLab, Jenkins, Azure DevOps, CircleCI).

One ``<testsuite>`` per input; in it one ``<testcase>`` per rule x resource the
rule checked: a ``<failure>`` where it found something (type = the level, the
messages and the location in the text), ``<skipped>`` where every finding is
suppressed or in the baseline, and nothing where the resource passed. The
classname is the Terraform address, the name the rule id and slug, and ``file``
/ ``line`` point at the resource where its source is known. Deterministic: the
same input gives the same bytes (no timestamps, times are 0). Every string from the
input goes through ``escape.text`` before ElementTree escapes it for XML: one line, no
character XML cannot hold, no CI log command.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dynalint import engine
from dynalint.model import Finding
from dynalint.report.base import Report, artifact_uri
from dynalint.report.escape import text


def render(report: Report) -> str:
    root = ET.Element("testsuites", name="dynalint")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for input_file, cases in _cases_by_input(report):
        suite = ET.SubElement(root, "testsuite", name=text(input_file))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for (address, rule_id), findings in cases:
            _testcase(suite, address, rule_id, findings, report, counts)
        _set_counts(suite, counts)
        for key in totals:
            totals[key] += counts[key]
    _set_counts(root, totals)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _cases_by_input(report: Report):
    """(input file, [((address, rule id), findings), ...]) in a stable order: every pair the
    engine checked, plus any pair a finding names (so no finding is ever left out)."""
    only_changed = bool(report.extra.get("only_changed"))
    pairs: dict[str, dict[tuple[str, str], list[Finding]]] = {}
    for model in report.models:
        cases = pairs.setdefault(model.input_file, {})
        for rule in report.rules:
            for resource in model.resources:
                if engine.checks(rule, resource, only_changed):
                    cases.setdefault((resource.address, rule.id), [])
    for f in report.findings:
        pairs.setdefault(f.input_file or "-", {}).setdefault((f.address, f.rule_id), []).append(f)
    for input_file, cases in pairs.items():
        yield input_file, sorted(cases.items(), key=lambda item: item[0])


def _testcase(suite, address: str, rule_id: str, findings: list[Finding], report: Report, counts: dict) -> None:
    slug = next((r.slug for r in report.rules if r.id == rule_id), "")
    case = ET.SubElement(suite, "testcase", classname=text(address), name=text(f"{rule_id} {slug}".strip()), time="0")
    located = next((f.resource_location for f in findings if f.resource_location is not None), None)
    if located is not None:
        case.set("file", text(artifact_uri(located.file)[0]))
        case.set("line", str(located.start_line))
    counts["tests"] += 1
    active = [f for f in findings if not f.suppressed and f.baseline_state != "unchanged"]
    if active:
        counts["failures"] += 1
        failure = ET.SubElement(
            case, "failure", type=str(max(f.level for f in active)), message=text(" ".join(f.message for f in active))
        )
        failure.text = "\n".join(text(_detail(f)) for f in active)
    elif findings:
        counts["skipped"] += 1
        ET.SubElement(case, "skipped", message=text("; ".join(_why_skipped(f) for f in findings)))


def _detail(f: Finding) -> str:
    where = _where(f.source) if f.source is not None else (f.input_file or "-")
    attribute = f" ({f.path})" if f.path else ""
    return f"{f.level} {f.rule_id}{attribute} at {where}: {f.message}"


def _where(source) -> str:
    column = f":{source.start_column}" if source.start_column and source.kind == "tf" else ""
    return f"{source.file}:{source.start_line}{column}"


def _why_skipped(f: Finding) -> str:
    if f.suppression is not None:  # f.suppressed
        return f"suppressed: {f.suppression.justification}"
    return "in the baseline"


def _set_counts(element, counts: dict) -> None:
    for key in ("tests", "failures", "errors", "skipped"):
        element.set(key, str(counts[key]))
    element.set("time", "0")

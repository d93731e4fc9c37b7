"""SARIF output: valid against the official 2.1.0 schema, and shaped as docs/architecture.md and GitHub want."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dynalint import engine
from dynalint.load import load_input
from dynalint.report import Report, render
from helpers import ROOT, SAMPLES, case_plan
from helpers import validate_sarif as validate

REGISTRY = engine.builtin_registry()


def sarif_of(path, select=()):
    rules = engine.select(REGISTRY.sorted(), list(select))
    model = load_input(str(Path(path).relative_to(ROOT)) if Path(path).is_absolute() else str(path))
    findings = engine.run([model], rules, REGISTRY.links)
    return json.loads(render("sarif", Report(findings=findings, rules=rules, models=[model]))), findings


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


PLANS = [SAMPLES / n / "plan.json" for n in ("good", "bad", "mixed")] + [
    case_plan(n) for n in ("durability", "changes")
]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.parent.name)
def test_valid_against_the_official_schema(path):
    doc, _ = sarif_of(path)
    validate(doc)


def test_driver_and_rules():
    doc, _ = sarif_of(SAMPLES / "bad" / "plan.json")
    driver = doc["runs"][0]["tool"]["driver"]
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    assert driver["name"] == "dynalint" and driver["semanticVersion"] == driver["version"]
    assert [r["id"] for r in driver["rules"]] == [r.id for r in REGISTRY.sorted()]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"] and rule["help"]["markdown"].startswith(f"# {rule['id']}")
        assert rule["helpUri"].endswith(f"docs/rules/{rule['id']}.md")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        props = rule["properties"]
        assert len(props["tags"]) <= 10 and props["precision"] in ("very-high", "high", "medium", "low")
        if rule["id"].startswith("DDB"):  # every catalog rule has a security-severity
            assert isinstance(props["security-severity"], str) and 0 < float(props["security-severity"]) <= 10
            assert "security" in props["tags"]  # else GitHub ignores security-severity


def test_results_point_at_the_resource_in_the_plan_file():
    doc, findings = sarif_of(SAMPLES / "bad" / "plan.json")
    results = doc["runs"][0]["results"]
    assert len(results) == len(findings) > 0
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    text = (SAMPLES / "bad" / "plan.json").read_text().splitlines()
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": "sample_plans/bad/plan.json", "uriBaseId": "%SRCROOT%"}
        address = location["logicalLocations"][0]["fullyQualifiedName"]
        assert location["logicalLocations"][0]["kind"] == "resource"
        line = text[physical["region"]["startLine"] - 1]
        assert line[physical["region"]["startColumn"] - 1 :].startswith(
            json.dumps({"address": address})[1:-1].replace(": ", ":")
        )
        assert result["message"]["text"].endswith(".")
        fingerprints = result["partialFingerprints"]
        assert set(fingerprints) == {"dynalint/v1", "primaryLocationLineHash"}
        assert result["properties"]["address"] == address


def test_fingerprints_are_unique_and_stable():
    first, _ = sarif_of(SAMPLES / "bad" / "plan.json")
    again, _ = sarif_of(SAMPLES / "bad" / "plan.json")
    keys = [r["partialFingerprints"]["dynalint/v1"] for r in first["runs"][0]["results"]]
    assert len(keys) == len(set(keys))
    assert first == again


def test_byte_identical_output_for_the_same_input():
    outputs = {
        render(
            "sarif",
            Report(
                findings=engine.run([load_input("sample_plans/bad/plan.json")], REGISTRY.sorted(), REGISTRY.links),
                rules=REGISTRY.sorted(),
            ),
        )
        for _ in range(2)
    }
    assert len(outputs) == 1


def test_no_results_is_still_valid():
    doc, findings = sarif_of(SAMPLES / "good" / "plan.json")
    assert findings == [] and doc["runs"][0]["results"] == []
    validate(doc)


def _multitool():
    exe = os.environ.get("SARIF_MULTITOOL") or str(
        Path.home()
        / ".cache"
        / "dynalint-selfcheck"
        / "node_modules"
        / "@microsoft"
        / "sarif-multitool-linux"
        / "Sarif.Multitool"
    )
    return exe if Path(exe).exists() else shutil.which("Sarif.Multitool")


@pytest.mark.slow
@pytest.mark.skipif(
    _multitool() is None, reason="Microsoft SARIF Multitool not installed (npm @microsoft/sarif-multitool)"
)
def test_github_ingestion_rules_report_nothing(tmp_path):
    doc, _ = sarif_of(SAMPLES / "bad" / "plan.json")
    src = tmp_path / "bad.sarif"
    src.write_text(json.dumps(doc))
    out = tmp_path / "validation.sarif"
    subprocess.run(
        [_multitool(), "validate", "--rule-kind", "Gh;Sarif", "--level", "Error;Warning", "-o", str(out), str(src)],
        capture_output=True,
        timeout=120,
    )
    problems = json.loads(out.read_text())["runs"][0]["results"]
    assert problems == []


# ---------------------------------------------------------------------- results written as text
def _spec(f, rule_index: int) -> dict:
    """A result as a dict, in the order SARIF results are written (the shape _result writes as text)."""
    from dynalint.report import artifact_uri
    from dynalint.report.escape import uri_reference

    source = f.source
    uri, base = artifact_uri(source.file if source is not None else (f.input_file or "-"))
    artifact = {"uri": uri_reference(uri), "uriBaseId": base} if base else {"uri": uri}
    region = {"startLine": source.start_line if source else 1}
    if source is not None and source.start_column:
        region["startColumn"] = source.start_column
    fingerprints = {"dynalint/v1": f.fingerprint}
    if not base or source is None or source.kind == "plan":
        fingerprints["primaryLocationLineHash"] = f"{f.fingerprint[:16]}:1"
    message = f.message.strip()
    result = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": str(f.level),
        "message": {"text": message if message.endswith((".", "!", "?")) else message + "."},
        "locations": [
            {
                "physicalLocation": {"artifactLocation": artifact, "region": region},
                "logicalLocations": [{"fullyQualifiedName": f.address, "kind": "resource"}],
            }
        ],
        "partialFingerprints": fingerprints,
        "properties": {"address": f.address, "resourceType": f.resource_type, "planActions": list(f.actions)},
    }
    if f.path:
        result["properties"]["attributePath"] = f.path
    if f.suppression is not None:
        result["suppressions"] = [{"kind": f.suppression.kind, "justification": f.suppression.justification}]
    if f.baseline_state:
        result["baselineState"] = f.baseline_state
    return result


def _findings_strategy():
    from hypothesis import strategies as st

    from dynalint.model import Finding, Level, Source, Suppression

    text = st.text(alphabet=st.characters(exclude_categories=()), max_size=12)  # controls, quotes, surrogates
    sources = st.none() | st.builds(
        Source,
        file=st.sampled_from(["main.tf", "plan.json", "/elsewhere/x.tf", "-"]),
        start_line=st.integers(1, 10**6),
        start_column=st.none() | st.integers(0, 99),
        kind=st.sampled_from(["tf", "plan"]),
    )
    return st.lists(
        st.builds(
            Finding,
            rule_id=st.sampled_from(["DDB101", "DDB203", "X1"]),
            level=st.sampled_from(list(Level)),
            address=text,
            message=text,
            resource_type=text,
            path=st.none() | text,
            fingerprint=st.text("0123456789abcdef#2"),
            actions=st.lists(text, max_size=3).map(tuple),
            source=sources,
            input_file=st.none() | text,
            suppression=st.none() | st.builds(Suppression, kind=text, justification=text),
            baseline_state=st.none() | st.sampled_from(["new", "unchanged", ""]),
        ),
        max_size=4,
    )


def test_results_are_the_bytes_json_dumps_writes():
    from hypothesis import given, settings

    from dynalint.report import sarif

    @settings(max_examples=300, deadline=None)
    @given(_findings_strategy())
    def check(findings):
        index = {"DDB101": 0, "DDB203": 1, "X1": 2}
        places: dict = {}
        for f in findings:
            expected = json.dumps(_spec(f, index[f.rule_id]), ensure_ascii=False, separators=(",", ":"))
            assert sarif._result(f, index, places) == expected

    check()

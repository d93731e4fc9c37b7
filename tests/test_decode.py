"""The plan section parser reads only what dynalint needs, and gives the same model as a full parse."""
import json

import pytest

from dynalint.load.decode import _plan_sections, parse_plan
from dynalint.load.plan import load_document
from helpers import SAMPLES, SHARED, TF_CASES

PLANS = sorted(TF_CASES.glob("*/plan.json")) + sorted(SAMPLES.glob("*/plan.json"))
CORPUS = sorted((SHARED / "corpus" / "plans").glob("*.json"))


def _text(path):
    data = path.read_bytes()
    return data.decode("utf-16") if data[:2] == b"\xff\xfe" else data.decode("utf-8-sig")


def _model(doc):
    return [(r.address, r.values, r.references, r.configured, r.region, r.default_tags, r.change)
            for r in load_document(doc, "plan.json").resources]


@pytest.mark.parametrize("path", PLANS + CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sections_give_the_same_model_as_the_whole_document(path):
    text = _text(path)
    try:
        expected = _model(json.loads(text))
    except Exception as exc:  # a fixture that is bad input on purpose fails the same way both times
        with pytest.raises(type(exc)):
            _model(parse_plan(text, "plan.json"))
        return
    assert _model(parse_plan(text, "plan.json")) == expected


def test_real_plans_take_the_fast_path():
    assert _plan_sections(_text(SAMPLES / "bad" / "plan.json")) is not None
    doc = _plan_sections(_text(TF_CASES / "changes" / "plan.json"))
    assert set(doc) <= {"format_version", "terraform_version", "variables", "resource_changes", "configuration",
                        "complete", "errored"}
    assert "planned_values" not in doc and "prior_state" not in doc


def _plan(**sections):
    base = {"format_version": "1.2", "terraform_version": "1.11.4", "variables": {"env": {"value": "prod"}},
            "planned_values": {"root_module": {}}, "resource_changes": [], "prior_state": {},
            "configuration": {"root_module": {"resources": []}}, "errored": False}
    base.update(sections)
    return json.dumps(base, separators=(",", ":"))  # as terraform writes it


def test_nested_keys_with_section_names_are_not_taken_for_sections():
    # Hand-built: resources whose attributes are named like plan sections.
    decoy = {"address": "aws_x.y", "mode": "managed", "type": "aws_x", "name": "y",
             "change": {"actions": ["create"], "before": None,
                        "after": {"configuration": {}, "variables": {"A": "b"}, "errored": "no"}, "after_unknown": {}}}
    text = _plan(resource_changes=[decoy], prior_state={"values": {"configuration": {"x": 1}}})
    doc = parse_plan(text, "plan.json")
    assert doc["configuration"] == {"root_module": {"resources": []}}
    assert doc["variables"] == {"env": {"value": "prod"}} and doc["errored"] is False
    assert doc["resource_changes"][0]["change"]["after"]["configuration"] == {}


@pytest.mark.parametrize("text", [
    _plan()[:-1],  # truncated: no closing brace
    _plan().replace('"resource_changes":[]', '"resource_changes":{}'),  # not a list
    json.dumps({"format_version": "1.0", "values": {"root_module": {}}}),  # a state
])
def test_anything_unusual_is_parsed_whole(text):
    assert _plan_sections(text) is None


def test_old_plan_with_data_sources_only_in_planned_values_is_parsed_whole():
    # Hand-built: terraform 0.12 wrote data sources with after = null and their values in planned_values.
    data = {"address": "data.aws_x.y", "mode": "data", "type": "aws_x", "name": "y",
            "change": {"actions": ["read"], "before": None, "after": None, "after_unknown": {}}}
    assert _plan_sections(_plan(resource_changes=[data])) is None
    assert "planned_values" in parse_plan(_plan(resource_changes=[data]), "plan.json")


def test_pretty_printed_plans_take_the_fast_path_too():
    text = json.dumps(json.loads(_text(TF_CASES / "durability" / "plan.json")), indent=2)
    assert _plan_sections(text) is None or _model(parse_plan(text, "p")) == _model(json.loads(text))

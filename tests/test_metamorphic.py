"""Metamorphic properties of real plans (issue 13): what a pull request can put in a plan's values never
changes a finding about another resource, and neither the order of the keys nor the layout of the text
changes the output.

The plans are the real ones of tests/tf and the corpus. The values added are where terraform lets a pull
request put any value: a root variable (a default or a tfvars value), an output, a terraform_data input,
a tag, the Sid of a policy statement; they are drawn to look like parts of a plan (keys named
resource_changes, variables, address, ...; real addresses of the plan), the shapes that once steered the
reader. CI runs a few examples of each; `pytest -m slow tests/test_metamorphic.py` runs many more.
"""

from __future__ import annotations

import copy
import json
import random
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dynalint import engine
from dynalint.load import load_bytes
from dynalint.load.decode import decode_text
from dynalint.report import Report, render
from helpers import SHARED, TF_CASES

PLANS = sorted({*TF_CASES.glob("**/plan.json"), *(SHARED / "corpus" / "plans").glob("*.json")})
SECTIONS = (
    "format_version",
    "terraform_version",
    "variables",
    "planned_values",
    "resource_changes",
    "output_changes",
    "prior_state",
    "configuration",
    "errored",
    "complete",
    "values",
    "root_module",
    "resources",
    "address",
    "mode",
    "type",
    "name",
    "change",
    "actions",
    "after",
    "after_unknown",
    "after_sensitive",
    "sensitive",
    "value",
)
QUICK = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
LONG = settings(
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@cache
def _text(index: int) -> str:
    path = PLANS[index]
    return decode_text(path.read_bytes(), path.name)


@cache
def _registry():
    return engine.builtin_registry()


def _lint(doc: dict | str) -> tuple[list[tuple], str]:
    """The findings (rule, level, address, path, message, suppression) and the text report of a document."""
    text = doc if isinstance(doc, str) else json.dumps(doc)
    model = load_bytes(text.encode("utf-8", "surrogatepass"), "plan.json", locate=False)
    registry = _registry()
    rules = registry.sorted()
    findings = engine.run([model], rules, registry.links)
    facts = [(f.rule_id, str(f.level), f.address, f.path, f.message, f.suppression) for f in findings]
    return facts, render("text", Report(findings=findings, rules=rules, models=[model], show_suppressed=True))


@cache
def _baseline(index: int) -> tuple[list[tuple], str]:
    return _lint(_text(index))


def _values(addresses: list[str]):
    """Any JSON value, leaning to what looks like a plan: its section names as keys, its own addresses."""
    leaves = (
        st.none()
        | st.booleans()
        | st.integers(-(2**63), 2**63)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=8)
        | st.sampled_from(SECTIONS)
        | st.sampled_from(addresses or ["aws_s3_bucket.decoy"])
        | st.sampled_from(["create", "delete", "managed"])
    )
    keys = st.sampled_from(SECTIONS) | st.text(max_size=6)
    return st.recursive(
        leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4), max_leaves=16
    )


def _decoy_plan(addresses: list[str]):
    """A value shaped as a whole plan that hides nothing: what a text search for sections would take."""
    return st.builds(
        lambda rc, fv: {
            "format_version": fv,
            "resource_changes": rc,
            "planned_values": {},
            "variables": {},
            "errored": False,
        },
        st.lists(
            st.builds(
                lambda a: {"address": a, "mode": "managed", "type": a.split(".")[0], "change": {"actions": ["no-op"]}},
                st.sampled_from(addresses or ["aws_s3_bucket.decoy"]),
            ),
            max_size=2,
        ),
        st.sampled_from(["1.2", "0.1", "9.9"]),
    )


def _entries(doc: dict) -> list[dict]:
    return doc.get("resource_changes") or []


def _policy_statement(after: dict):
    policy = after.get("policy")
    if not isinstance(policy, str):
        return None
    try:
        document = json.loads(policy)
    except ValueError:
        return None
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    return (
        (document, statements[0])
        if isinstance(statements, list) and statements and isinstance(statements[0], dict)
        else None
    )


@st.composite
def with_a_value(draw):
    """(plan index, the plan with one value added, the address whose findings may change, or None)."""
    index = draw(st.integers(0, len(PLANS) - 1))
    doc = json.loads(_text(index))
    addresses = [e["address"] for e in _entries(doc)]
    value = draw(_values(addresses) | _decoy_plan(addresses))
    name = "meta_" + draw(st.sampled_from(["x", "resource_changes", "variables", "é"]))
    kinds = ["variable", "output"]
    if "resource_changes" in doc:
        kinds.append("terraform_data")
    tagged = [e for e in _entries(doc) if isinstance((e["change"].get("after") or {}).get("tags"), dict)]
    if tagged:
        kinds.append("tag")
    with_policy = [e for e in _entries(doc) if _policy_statement(e["change"].get("after") or {})]
    if with_policy:
        kinds.append("policy")
    kind = draw(st.sampled_from(kinds))
    if kind == "variable":
        doc["variables"] = {**(doc.get("variables") or {}), name: {"value": value}}
        root = (doc.get("configuration") or {}).get("root_module")
        if isinstance(root, dict):
            root.setdefault("variables", {})[name] = {}
        return index, doc, None
    if kind == "output":
        planned = doc.setdefault("planned_values", {}) if "resource_changes" in doc else doc.setdefault("values", {})
        planned.setdefault("outputs", {})[name] = {"sensitive": False, "value": value}
        if "resource_changes" in doc:
            doc.setdefault("output_changes", {})[name] = {
                "actions": ["create"],
                "before": None,
                "after": value,
                "after_unknown": False,
                "before_sensitive": False,
                "after_sensitive": False,
            }
        return index, doc, None
    if kind == "terraform_data":
        address = f"terraform_data.{name}"
        at = draw(st.integers(0, len(doc["resource_changes"])))
        doc["resource_changes"].insert(
            at,
            {
                "address": address,
                "mode": "managed",
                "type": "terraform_data",
                "name": name,
                "provider_name": "terraform.io/builtin/terraform",
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": {"input": value, "triggers_replace": None},
                    "after_unknown": {"id": True, "output": True},
                    "before_sensitive": False,
                    "after_sensitive": {},
                },
            },
        )
        planned = doc.setdefault("planned_values", {}).setdefault("root_module", {})
        planned.setdefault("resources", []).insert(
            0,
            {
                "address": address,
                "mode": "managed",
                "type": "terraform_data",
                "name": name,
                "provider_name": "terraform.io/builtin/terraform",
                "schema_version": 0,
                "values": {"input": value, "triggers_replace": None},
                "sensitive_values": {},
            },
        )
        config = doc.setdefault("configuration", {}).setdefault("root_module", {})
        config.setdefault("resources", []).append(
            {
                "address": address,
                "mode": "managed",
                "type": "terraform_data",
                "name": name,
                "provider_config_key": "terraform",
                "expressions": {"input": {"constant_value": value}},
                "schema_version": 0,
            }
        )
        return index, doc, address
    text = draw(st.text(max_size=12) | st.sampled_from(SECTIONS) | st.sampled_from(addresses))
    if kind == "tag":
        entry = draw(st.sampled_from(tagged))
        after = entry["change"]["after"]
        after["tags"][draw(st.text(min_size=1, max_size=6) | st.sampled_from(SECTIONS))] = text
        return index, doc, entry["address"]
    entry = draw(st.sampled_from(with_policy))
    document, statement = _policy_statement(entry["change"]["after"])
    statement["Sid"] = text
    entry["change"]["after"]["policy"] = json.dumps(document)
    return index, doc, entry["address"]


def _about_others(facts: list[tuple], address: str | None) -> list[tuple]:
    return [f for f in facts if address is None or f[2] != address]


def _check_added_value(drawn) -> None:
    index, doc, touched = drawn
    before, _ = _baseline(index)
    after, _ = _lint(doc)
    others = _about_others(after, touched)
    if touched is not None and touched.startswith("terraform_data."):
        assert not [f for f in after if f[2] == touched]  # no rule applies to terraform_data
    assert others == _about_others(before, touched), PLANS[index].name


def _reordered(value, rng: random.Random):
    """Every object's keys in another order (lists keep theirs: their order means something)."""
    if isinstance(value, dict):
        items = [(k, _reordered(v, rng)) for k, v in value.items()]
        rng.shuffle(items)
        return dict(items)
    if isinstance(value, list):
        return [_reordered(v, rng) for v in value]
    return value


@st.composite
def relaid(draw):
    index = draw(st.integers(0, len(PLANS) - 1))
    doc = _reordered(json.loads(_text(index)), draw(st.randoms(use_true_random=False)))
    indent = draw(st.sampled_from([None, 0, 1, 2, "\t"]))
    separators = draw(st.sampled_from([(",", ":"), (", ", ": "), (" ,", " : ")]))
    text = json.dumps(doc, indent=indent, separators=separators, ensure_ascii=draw(st.booleans()))
    return index, draw(st.sampled_from(["", "\n", "\r\n  "])) + text + draw(st.sampled_from(["", "\n", " \t\n"]))


def _check_relaid(drawn) -> None:
    index, text = drawn
    assert _lint(text) == _baseline(index), PLANS[index].name


@QUICK
@given(with_a_value())
def test_a_value_added_where_terraform_allows_one_changes_no_finding_about_another_resource(drawn):
    _check_added_value(drawn)


@QUICK
@given(relaid())
def test_the_order_of_the_keys_and_the_layout_of_the_text_change_nothing(drawn):
    _check_relaid(drawn)


@pytest.mark.slow
@LONG
@given(with_a_value())
def test_many_added_values(drawn):
    _check_added_value(drawn)


@pytest.mark.slow
@LONG
@given(relaid())
def test_many_layouts(drawn):
    _check_relaid(drawn)


def test_the_plans_are_linted_with_findings():
    """The properties compare something: most plans have findings, and every kind of value is drawn."""
    assert len(PLANS) > 30
    assert sum(bool(_baseline(i)[0]) for i in range(len(PLANS))) > len(PLANS) // 2
    docs = [json.loads(_text(i)) for i in range(len(PLANS))]
    assert any(_policy_statement(e["change"].get("after") or {}) for d in docs for e in _entries(d))
    assert any(isinstance((e["change"].get("after") or {}).get("tags"), dict) for d in docs for e in _entries(d))
    assert copy.deepcopy(docs[0]) == docs[0]

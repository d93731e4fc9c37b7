"""dynalint/schemas/plan.schema.json, the plan subset dynalint reads, against every real plan and the loader.

The loader checks the same subset by hand (dynalint/load/validate.py, a few milliseconds where jsonschema
would take seconds on a large plan); these tests keep the two in step: every plan of the repository and of
the corpus fits the schema, and every malformed shape the loader refuses, the schema refuses too, at the
same place or above it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import jsonschema
import pytest

from dynalint.errors import InputError
from dynalint.load.decode import decode_text
from dynalint.load.plan import load_document
from dynalint.load.validate import where
from helpers import ROOT, SAMPLES, SHARED, TF_CASES
from test_soundness import MALFORMED, _edited

PLANS = sorted(
    {
        *TF_CASES.glob("**/plan*.json"),
        *TF_CASES.glob("**/state.json"),
        *SAMPLES.glob("*/plan.json"),
        *ROOT.glob("tests/hcl/**/plan.json"),
        *ROOT.glob("examples/**/plan.json"),
        *(SHARED / "corpus" / "plans").glob("*.json"),
    }
)
# What JSON Schema cannot say: a resource missing from resource_changes, and one instance written twice.
CROSS_CHECKS = {"changes-missing", "changes-empty", "changes-null", "tables-cut", "tables-cut-twice", "address-twice"}


@cache
def validator():
    schema = json.loads(resources.files("dynalint").joinpath("schemas/plan.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_is_package_data():
    assert validator().schema["title"].startswith("The part of `terraform show -json`")


@pytest.mark.parametrize("path", PLANS, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_every_real_plan_and_state_fits_the_schema(path):
    doc = json.loads(decode_text(path.read_bytes(), path.name))
    errors = [f"{where(tuple(e.absolute_path))}: {e.message}" for e in validator().iter_errors(doc)]
    assert errors == []


@pytest.mark.parametrize(
    "edit, says",
    [c[1:] for c in MALFORMED if c[0] not in CROSS_CHECKS],
    ids=[c[0] for c in MALFORMED if c[0] not in CROSS_CHECKS],
)
def test_what_the_loader_refuses_the_schema_refuses_there(edit, says):
    doc = json.loads(json.dumps(_edited(edit)))
    with pytest.raises(InputError) as refused:
        load_document(doc, "plan.json")
    path = str(refused.value).split(": ")[1]
    places = {where(tuple(e.absolute_path)) for e in validator().iter_errors(doc)}
    assert places, f"the schema accepts what the loader refuses: {refused.value}"
    assert any(place in (path, "the document") or path.startswith((place + ".", place + "[")) for place in places), (
        path,
        places,
    )


def test_the_cut_plans_fit_the_schema_and_only_the_cross_checks_refuse_them():
    for name, edit, _says in MALFORMED:
        if name in CROSS_CHECKS:
            assert list(validator().iter_errors(json.loads(json.dumps(_edited(edit))))) == [], name

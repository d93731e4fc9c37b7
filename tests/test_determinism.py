"""The same input gives byte-identical output in every format; the order of a plan changes nothing (issue 8).

Byte-identical across processes: each run is a fresh interpreter with its own string hash seed, so
that nothing may depend on the order of a set or of a dict built from one. Order of the plan:
resource_changes, planned_values, prior_state and configuration resources (and module calls) are
shuffled, object keys sorted as `jq -S` writes them; the findings are located in the .tf
files (``--source-dir``), so no position in the plan file differs between the two.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest
from click.testing import CliRunner

from dynalint import report
from dynalint.cli import main
from helpers import ROOT, SAMPLES, TF_CASES, case_plan

FORMATS = report.FORMATS
_ALL_FORMATS = f"""
import json, sys
from click.testing import CliRunner
from dynalint.cli import main
out = {{}}
for extra in [["-f", fmt, "--show-suppressed"] for fmt in {FORMATS!r}] + [["--statistics"]]:
    result = CliRunner().invoke(main, ["--no-config", *sys.argv[1:], *extra])
    out[" ".join(extra)] = [result.exit_code, result.stdout]
print(json.dumps(out))
"""


def _every_format(args: list[str], hash_seed: int) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _ALL_FORMATS, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize(
    "args",
    [
        [str(SAMPLES / "mixed" / "plan.json")],
        ["tests/tf/sensitive/plan.json", "tests/tf/access/plan.json"],
        ["tests/hcl/app"],
    ],
    ids=["plan-with-modules", "two-plans", "tf-tree"],
)
def test_every_format_is_byte_identical_across_processes(args):
    first, second = _every_format(args, 1), _every_format(args, 2)
    assert first.keys() == second.keys()
    for key in first:
        assert first[key] == second[key], f"{key} differs between two runs"
    assert all(code in (0, 1) for code, _ in first.values())
    assert any(code == 1 for code, _ in first.values())  # there are findings to order


# ---------------------------------------------------------------------- order of the plan
def _shuffled(doc: dict, seed: int) -> dict:
    """``doc`` with every list of resources and every mapping of module calls in another order."""
    rng = random.Random(seed)
    doc = json.loads(json.dumps(doc))
    rng.shuffle(doc.get("resource_changes") or [])
    modules = [
        _dig(doc, "planned_values", "root_module"),
        _dig(doc, "prior_state", "values", "root_module"),
        _dig(doc, "configuration", "root_module"),
    ]
    while modules:
        module = modules.pop()
        if not isinstance(module, dict):
            continue
        rng.shuffle(module.get("resources") or [])
        children = module.get("child_modules") or []
        rng.shuffle(children)
        modules.extend(children)
        calls = module.get("module_calls")
        if isinstance(calls, dict):
            order = list(calls)
            rng.shuffle(order)
            module["module_calls"] = {name: calls[name] for name in order}
            modules.extend(call.get("module") for call in calls.values())
    return doc


def _dig(doc: dict, *keys: str):
    for key in keys:
        doc = doc.get(key) if isinstance(doc, dict) else None
    return doc


CASES = [(case_plan(n), TF_CASES / n) for n in ("capacity", "access", "streams", "operations", "sensitive")]
CASES += [(SAMPLES / "mixed" / "plan.json", SAMPLES / "mixed")]


def _outputs(work, text: str, source_dir, formats=FORMATS) -> dict:
    """Each format's report of the plan ``text``, written to ``work``/plan.json and linted from there."""
    work.mkdir(exist_ok=True)
    (work / "plan.json").write_text(text)
    here = os.getcwd()
    os.chdir(work)
    try:
        out = {}
        for fmt in formats:
            result = CliRunner().invoke(
                main,
                ["--no-config", "plan.json", "--source-dir", str(source_dir), "-f", fmt, "--show-suppressed"],
                catch_exceptions=False,
            )
            out[fmt] = (result.exit_code, result.stdout)
        return out
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    """The reports of a case's plan as terraform wrote it: made once for the tests below."""
    made = {}

    def reports(plan, source_dir) -> dict:
        if plan not in made:
            text = json.dumps(json.loads(plan.read_text()), separators=(",", ":"))
            made[plan] = _outputs(tmp_path_factory.mktemp("original"), text, source_dir)
        return made[plan]

    return reports


@pytest.mark.parametrize("plan, source_dir", CASES, ids=lambda v: v.parent.name if v.name == "plan.json" else "")
def test_shuffled_plan_gives_the_same_report(tmp_path, original, plan, source_dir):
    doc = json.loads(plan.read_text())
    first = original(plan, source_dir)
    assert json.loads(first["json"][1])["findings"] and "dynalint/v1" in first["sarif"][1]
    # every format for one shuffle; the findings themselves (json) for a second one
    for seed, formats in ((1, FORMATS), (2, ("json",))):
        shuffled = _outputs(
            tmp_path / f"shuffled{seed}", json.dumps(_shuffled(doc, seed), separators=(",", ":")), source_dir, formats
        )
        for fmt in formats:
            assert shuffled[fmt] == first[fmt], f"-f {fmt} changes when the plan is shuffled (seed {seed})"


@pytest.mark.parametrize(
    "plan, source_dir", CASES[:2] + CASES[-2:], ids=lambda v: v.parent.name if v.name == "plan.json" else ""
)
def test_sorted_and_indented_keys_give_the_same_report(tmp_path, original, plan, source_dir):
    """`jq -S .` (keys sorted, indented) or any tool that rewrites the plan: the same findings."""
    doc = json.loads(plan.read_text())
    rewritten = _outputs(tmp_path / "sorted", json.dumps(doc, sort_keys=True, indent=2), source_dir)
    for fmt in FORMATS:
        assert rewritten[fmt] == original(plan, source_dir)[fmt], f"-f {fmt} changes when the plan's keys are sorted"

"""scripts/sarif_snapshot.py: the inputs it lints and how it compares two snapshots (the whole run is a script)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import sarif_snapshot  # noqa: E402


def test_inputs_take_every_plan_and_every_tf_directory():
    found = sarif_snapshot.inputs()
    assert "sample_plans/mixed/plan.json" in found
    assert "tests/tf/schema/plan.json" in found and "tests/tf/schema" in found  # the plan, and its .tf linted too
    assert "rules/examples/DDB101/bad" in found and "rules/examples/DDB408/bad/plan.json" in found
    assert not any(".terraform" in path for path in found)
    assert found == sorted(found)


def test_names_are_unique_and_readable():
    names = {sarif_snapshot._name(p) for p in sarif_snapshot.inputs()}
    assert len(names) == len(sarif_snapshot.inputs())
    assert sarif_snapshot._name("tests/tf/schema").startswith("tests__tf__schema.")


def test_compare_lists_what_differs_or_is_missing(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    for side in (old, new):
        (side / "same.sarif").write_bytes(b"{}")
    (old / "changed.sarif").write_bytes(b'{"a": 1}')
    (new / "changed.sarif").write_bytes(b'{"a": 2}')
    (old / "gone.out").write_text("exit 0\n")
    assert sarif_snapshot.compare(new, old) == ["changed.sarif", "gone.out"]


def test_a_snapshot_writes_the_report_and_the_exit(tmp_path, monkeypatch):
    monkeypatch.setattr(sarif_snapshot, "inputs", lambda: ["sample_plans/mixed/plan.json"])
    monkeypatch.chdir(tmp_path)
    assert sarif_snapshot.snapshot(tmp_path / "snap") == 1
    name = sarif_snapshot._name("sample_plans/mixed/plan.json")
    assert (tmp_path / "snap" / f"{name}.sarif").read_bytes().startswith(b"{")
    assert (tmp_path / "snap" / f"{name}.out").read_text().startswith("sample_plans/mixed/plan.json\nexit 1\n")

"""scripts/sarif_snapshot.py compares the dynalint of the Python it is given, not one it finds elsewhere."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from helpers import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

import sarif_snapshot  # noqa: E402


def test_a_dynalint_folder_in_the_working_directory_is_not_what_runs(tmp_path, monkeypatch):
    # `python -m dynalint` run from a directory holding a dynalint/ package runs that package: the repository's own
    # working tree, for the inputs the snapshot lints from the root, whatever --python says
    shadow = tmp_path / "dynalint"
    shadow.mkdir()
    (shadow / "__init__.py").write_text("")
    (shadow / "__main__.py").write_text("print('the working directory')\n")
    (tmp_path / "plans").mkdir()
    plan = ROOT / "sample_plans" / "mixed" / "plan.json"
    (tmp_path / "plans" / "plan.json").write_bytes(plan.read_bytes())
    monkeypatch.setattr(sarif_snapshot, "ROOT", tmp_path)

    result = sarif_snapshot.run("corpus", "plans/plan.json", sys.executable)

    shadowed = subprocess.run([sys.executable, "-m", "dynalint"], cwd=tmp_path, capture_output=True).stdout
    assert shadowed == b"the working directory\n"  # the trap is real
    assert result["stdout"] != hashlib.sha256(shadowed).hexdigest()
    assert result["exit"] == 1 and result["bytes"] > 1000  # the installed dynalint linted the plan: SARIF

"""A digest of the SARIF dynalint writes for every plan and .tf tree of the repository: proof that a change
(a module moved, a helper shared, a loop made faster) changes no byte of what dynalint reports.

    python scripts/sarif_snapshot.py write SNAPSHOT.json     # before the change
    python scripts/sarif_snapshot.py compare SNAPSHOT.json   # after it: exit 1 and the inputs that differ

Each input is linted by ``python -I -m dynalint INPUT -f sarif`` in a process of its own (``-I``: the dynalint
installed for that python, never a ``dynalint/`` folder of the working directory), and the snapshot keeps
the sha256 of its standard output, of its standard error and its exit code. The inputs:

- every ``plan.json`` of sample_plans/, tests/tf/, tests/hcl/, tests/public/ and the rules' examples, read beside
  its ``.tf`` tree (from the repository's root, as a user runs it) and alone (copied into an empty directory);
- every directory holding ``.tf`` files under those folders and tests/fix/, read as a ``.tf`` tree (from the
  directory itself where it has a ``.dynalint.yaml``, so that its settings apply);
- the plans of the shared corpus (``../shared/corpus/plans``), when this checkout has it.

The snapshot names inputs relative to the repository's root; it is not committed (it depends on the corpus
beside the checkout).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("sample_plans", "tests/tf", "tests/hcl", "tests/public", "rules/examples", "dynalint/examples")
TREE_ONLY = ("tests/fix",)
CORPUS = ROOT.parent / "shared" / "corpus" / "plans"


def cases() -> list[tuple[str, str, str]]:
    """(name, kind, path) for every input, sorted; ``path`` is relative to the repository's root."""
    found: list[tuple[str, str, str]] = []
    for folder in FOLDERS:
        for plan in sorted((ROOT / folder).rglob("plan.json")):
            rel = plan.relative_to(ROOT).as_posix()
            found += [(f"plan+tf {rel}", "plan+tf", rel), (f"plan {rel}", "plan", rel)]
    for folder in FOLDERS + TREE_ONLY:
        trees = {tf.parent for tf in (ROOT / folder).rglob("*.tf")}
        for tree in sorted(trees):
            rel = tree.relative_to(ROOT).as_posix()
            found.append((f"tf {rel}", "tf", rel))
    if CORPUS.is_dir():
        for plan in sorted(CORPUS.glob("*.json")):
            found.append((f"corpus {plan.name}", "corpus", str(plan)))
    return sorted(found)


def run(kind: str, path: str, python: str) -> dict:
    args = ["-f", "sarif"]
    with tempfile.TemporaryDirectory() as tmp:
        if kind == "plan":  # the plan alone: no .tf beside it, none in the working directory
            shutil.copyfile(ROOT / path, Path(tmp) / "plan.json")
            cwd, target = tmp, "plan.json"
        elif kind == "tf" and (ROOT / path / ".dynalint.yaml").is_file():
            cwd, target = str(ROOT / path), "."
        else:
            cwd, target = str(ROOT), path
        env = {**os.environ, "NO_COLOR": "1"}
        result = subprocess.run(
            [python, "-I", "-m", "dynalint", target, *args], cwd=cwd, capture_output=True, timeout=600, env=env
        )
    return {
        "exit": result.returncode,
        "stdout": hashlib.sha256(result.stdout).hexdigest(),
        "stderr": hashlib.sha256(result.stderr).hexdigest(),
        "bytes": len(result.stdout),
    }


def snapshot(python: str, jobs: int) -> dict[str, dict]:
    todo = cases()
    with ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(lambda case: run(case[1], case[2], python), todo))
    return {name: result for (name, _, _), result in zip(todo, results, strict=False)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("write", "compare"))
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--python", default=sys.executable, help="whose `-m dynalint` runs (default: this one)")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    options = parser.parse_args()
    now = snapshot(options.python, options.jobs)
    if options.action == "write":
        options.snapshot.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        print(f"{len(now)} inputs written to {options.snapshot}")
        return 0
    before = json.loads(options.snapshot.read_text())
    differ = sorted(name for name in before.keys() | now.keys() if before.get(name) != now.get(name))
    for name in differ:
        print(f"differs: {name}: {before.get(name)} -> {now.get(name)}")
    print(f"{len(now)} inputs, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

"""The SARIF dynalint writes for every input the repository keeps, to show that a refactoring changes no byte.

Writes, for each input below, ``<name>.sarif`` (what ``dynalint INPUT -f sarif --no-config`` prints, run from
the repository's root) and ``<name>.out`` (its exit code and what it wrote to stderr) into OUT_DIR:

- every ``plan.json`` under sample_plans/, tests/tf/, tests/hcl/, tests/public/, tests/fix/, rules/examples/
  and dynalint/examples/, and every plan of ../shared/corpus/plans (when that folder is there);
- every directory of ``.tf`` files under the same folders (linted as .tf, with its local modules).

Take a snapshot with the code before a change, another after it, and compare::

    python scripts/sarif_snapshot.py /tmp/before              # at the old commit
    python scripts/sarif_snapshot.py /tmp/after --compare /tmp/before

``--compare`` prints each input whose output differs (or that only one side has) and exits 1 if any does.
``-f markdown`` (or another format) writes that format instead of SARIF.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("sample_plans", "tests/tf", "tests/hcl", "tests/public", "tests/fix", "rules/examples", "dynalint/examples")
CORPUS = ROOT.parent / "shared" / "corpus" / "plans"


def inputs() -> list[str]:
    """The inputs, as paths relative to the repository's root, in a stable order."""
    found: set[str] = set()
    for folder in FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            if ".terraform" in path.parts or not path.is_file():
                continue
            if path.name == "plan.json":
                found.add(path.relative_to(ROOT).as_posix())
            elif path.suffix == ".tf":
                found.add(path.parent.relative_to(ROOT).as_posix())
    if CORPUS.is_dir():
        found.update(f"../shared/corpus/plans/{p.name}" for p in CORPUS.glob("*.json"))
    return sorted(found)


def _name(path: str) -> str:
    """A file name for an input: readable, and unique (a digest of the path)."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", path.replace("../", "").replace("/", "__"))[-120:]
    return f"{readable}.{hashlib.sha256(path.encode()).hexdigest()[:8]}"


def snapshot(out: Path, fmt: str = "sarif") -> int:
    import os

    from click.testing import CliRunner

    from dynalint.cli import main

    out.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    runner = CliRunner()
    paths = inputs()
    for path in paths:
        name = _name(path)
        result = runner.invoke(main, [path, "-f", fmt, "--no-config"])
        (out / f"{name}.{fmt}").write_bytes(result.stdout_bytes)
        (out / f"{name}.out").write_text(f"{path}\nexit {result.exit_code}\n{result.stderr}", encoding="utf-8")
    return len(paths)


def compare(new: Path, old: Path) -> list[str]:
    """The outputs that differ between two snapshots (or that one of them lacks)."""
    names = {p.name for p in new.iterdir()} | {p.name for p in old.iterdir()}
    return sorted(n for n in names
                  if not (new / n).is_file() or not (old / n).is_file()
                  or (new / n).read_bytes() != (old / n).read_bytes())


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="where to write the snapshot (created)")
    parser.add_argument("--compare", type=Path, metavar="DIR", help="a snapshot to compare with")
    parser.add_argument("-f", "--format", default="sarif", help="another output format to write instead (json, ...)")
    args = parser.parse_args(argv)
    count = snapshot(args.out.resolve(), args.format)
    print(f"{count} inputs written to {args.out}")
    if args.compare is None:
        return 0
    differ = compare(args.out.resolve(), args.compare.resolve())
    for name in differ:
        print(f"differs: {name}")
    print(f"{count} inputs: {len(differ)} outputs differ from {args.compare}" if differ
          else f"{count} inputs: every report and exit byte-identical to {args.compare}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))

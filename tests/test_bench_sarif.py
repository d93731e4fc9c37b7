"""The SARIF dynalint writes for the benchmark's plans stays byte for byte what it was (a guard for speed work).

``tests/data/bench-sarif.json`` holds the sha256 of the SARIF of ``dynalint plan.json -f sarif --no-config``
(run in the plan's directory) for plans of 20 tables made by ``bench/gen_plan.py`` and by
``../shared/bench/gen_plan.py``, at seeds 1, 7 and 42. They were made by the code of commit ca83635,
before issue 15's speed work: a change that only makes dynalint faster leaves every one of them as it is.

They change, legitimately, when what dynalint reports changes on purpose: a rule's message, level, help or
metadata, a rule added, the SARIF shape, dynalint's version, or a generator's output. Then regenerate them
with the code that is right, and say why in the commit message::

    python tests/test_bench_sarif.py [PYTHON]    # PYTHON: whose `-m dynalint` writes them (default: this one)
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIGESTS = ROOT / "tests" / "data" / "bench-sarif.json"
GENERATORS = {"ours": ROOT / "bench" / "gen_plan.py", "shared": ROOT.parent / "shared" / "bench" / "gen_plan.py"}
SEEDS = (1, 7, 42)
TABLES = 20
ARGS = ["plan.json", "-f", "sarif", "--no-config"]


def _plan(generator: str, seed: int, directory: Path) -> Path:
    """The generator's plan, written as plan.json in ``directory`` (the generators give the same bytes for a seed)."""
    subprocess.run(
        [
            sys.executable,
            str(GENERATORS[generator]),
            "--tables",
            str(TABLES),
            "--seed",
            str(seed),
            "-o",
            str(directory / "plan.json"),
        ],
        check=True,
        timeout=300,
    )
    return directory / "plan.json"


def _case(generator: str, seed: int) -> str:
    return f"{generator}-{TABLES}-seed{seed}"


def regenerate(python: str) -> None:
    digests = {}
    for generator in GENERATORS:
        for seed in SEEDS:
            with tempfile.TemporaryDirectory() as tmp:
                _plan(generator, seed, Path(tmp))
                sarif = subprocess.run([python, "-m", "dynalint", *ARGS], cwd=tmp, capture_output=True, timeout=300)
                assert sarif.returncode in (0, 1), sarif.stderr
                digests[_case(generator, seed)] = hashlib.sha256(sarif.stdout).hexdigest()
    DIGESTS.write_text(json.dumps(digests, indent=2) + "\n")


if __name__ == "__main__":
    regenerate(sys.argv[1] if len(sys.argv) > 1 else sys.executable)
    sys.exit(0)

import pytest  # noqa: E402 - the test part (the module also runs as the regenerating script above)
from click.testing import CliRunner  # noqa: E402

from dynalint.cli import main  # noqa: E402


@pytest.mark.parametrize("generator", sorted(GENERATORS))
@pytest.mark.parametrize("seed", SEEDS)
def test_sarif_of_the_benchmark_plans_is_unchanged(generator, seed, tmp_path, monkeypatch):
    if not GENERATORS[generator].is_file():
        pytest.skip(f"{GENERATORS[generator]} is not in this checkout")
    _plan(generator, seed, tmp_path)
    monkeypatch.chdir(tmp_path)  # SARIF names the plan relative to the working directory
    result = CliRunner().invoke(main, ARGS, catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["runs"][0]["results"]  # the plans have findings to compare
    expected = json.loads(DIGESTS.read_text())[_case(generator, seed)]
    assert hashlib.sha256(result.stdout_bytes).hexdigest() == expected, (
        "the SARIF differs from that of commit ca83635 (see this module's docstring)"
    )

#!/usr/bin/env python3
"""Time dynalint, the JSON parse floor and checkov as whole processes on generated plans.

    python bench/run.py                                  # 10, 100, 1,000 and 5,000 tables, both generators, 3 seeds
    python bench/run.py --sizes 10,100 --runs 3 --many 0 # a quick look, a few seconds
    python bench/run.py --checkov /work/bench-venv/bin/checkov --markdown bench/out/results.md

Plans come from two generators: ours (bench/gen_plan.py) and the independent one
in ../shared/bench/gen_plan.py, when that file is there; each at seeds 1, 7 and
42. ``--generators shared-state,shared-indented`` measures other shapes of the
independent one's documents: the state after apply (summed up apart: a state is
a third of the plan's bytes for the same resources, so its parse floor is lower)
and the plan indented. Each plan is generated once into bench/out/ (reused while its generator is
unchanged) and each command runs ``--runs`` times, the commands taking turns so
that a burst of load from elsewhere hits them alike:

- dynalint, SARIF:  ``dynalint PLAN -f sarif -o /dev/null --fail-on never``
- dynalint, text:   ``dynalint PLAN --fail-on never > /dev/null``
- the parse floor:  ``python -c "import json; json.load(open(PLAN))"``
- checkov, when given or on PATH: ``checkov -f PLAN --framework terraform_plan
  -o sarif --skip-download`` (run in a scratch folder, where it drops
  results.sarif); on the first seed of each generator only, in fewer runs and
  up to ``--checkov-max-tables``, since it takes minutes on large plans.

Ratios are paired: the median over turns of one command's time over the other's
in the same turn. Wall time is the median (with min and max) of whole processes;
peak memory is the child's maximum resident set size from ``os.wait4``. The
summary gives, per size, the WORST plan (the highest ratio to the parse floor,
the most memory per byte of plan, the least checkov speedup): that is the figure
to quote. ``--many N`` also times N plans of 20 tables in one command line,
``--jobs 1`` against ``--jobs J``. The commands run without
PYTHONDONTWRITEBYTECODE, so Python modules are compiled once, as in an installed
package.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
GENERATORS = {"ours": BENCH / "gen_plan.py", "shared": BENCH.parent.parent / "shared" / "bench" / "gen_plan.py"}
# Other shapes of the shared generator's documents, measured when asked for (--generators): the state JSON
# after apply (values only, no changes: a third of the plan's bytes for the same resources), and the plan
# indented as `terraform show -json | jq` writes it. name -> (generator, its extra arguments)
VARIANTS = {"shared-state": ("shared", ("--state",)), "shared-indented": ("shared", ("--indent", "2"))}
DEFAULT_GENERATORS = tuple(GENERATORS)
DEFAULT_SIZES = (10, 100, 1000, 5000)
DEFAULT_SEEDS = (1, 7, 42)
FORMATS = ("sarif", "text")
PARSE_FLOOR = "import json, sys; json.load(open(sys.argv[1], 'rb'))"
# Installed packages keep their compiled bytecode (pip writes it); an editable checkout run with
# PYTHONDONTWRITEBYTECODE would compile every module on every run, which no user pays.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Sample:
    wall: float  # seconds
    rss_kb: int  # peak resident set size of the process
    code: int


@dataclass
class Series:
    """Every timed run of one command on one plan, in turn order."""

    samples: list[Sample] = field(default_factory=list)
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return bool(self.samples) and self.failure is None

    @property
    def median(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def low(self) -> float:
        return min(s.wall for s in self.samples)

    @property
    def high(self) -> float:
        return max(s.wall for s in self.samples)

    @property
    def peak_rss_kb(self) -> int:
        return max(s.rss_kb for s in self.samples)


def paired_ratio(top: Series | None, bottom: Series | None) -> float | None:
    """The median over turns of top's time / bottom's time in the same turn (None if either failed)."""
    if not (top and bottom and top.ok and bottom.ok):
        return None
    pairs = list(zip(top.samples, bottom.samples, strict=False))
    return statistics.median(a.wall / b.wall for a, b in pairs)


@dataclass
class Row:
    generator: str
    seed: int
    tables: int
    plan: str
    size_bytes: int
    resources: int
    series: dict[str, Series]

    def ratio(self, top: str, bottom: str) -> float | None:
        return paired_ratio(self.series.get(top), self.series.get(bottom))

    @property
    def peak_rss_kb(self) -> int:
        return max((s.peak_rss_kb for name, s in self.series.items() if name in FORMATS and s.ok), default=0)


class Failed(Exception):
    pass


def run_once(
    cmd: list[str], cwd: Path | None = None, timeout: float | None = None, ok_codes: tuple[int, ...] = (0,)
) -> Sample:
    """Run a command to its end; wall time and the peak RSS of that very process (``os.wait4``)."""
    with tempfile.TemporaryFile() as err, _forking():
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=CHILD_ENV
        )
        killer = threading.Timer(timeout, proc.kill) if timeout else None
        if killer:
            killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if killer:
                killer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in ok_codes:
            err.seek(0)
            last = (err.read().decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
            reason = f"killed after {timeout:.0f} s" if code == -9 and timeout and wall >= timeout else f"exit {code}"
            raise Failed(f"{reason}: {last[:200]}")
    return Sample(wall=wall, rss_kb=usage.ru_maxrss, code=code)


@contextlib.contextmanager
def _forking() -> Iterator[None]:
    """Popen forks the child, rather than making it with vfork or posix_spawn (its defaults). A child made so
    shares this process's memory until it runs its program, and Linux then counts this process's peak as the
    child's (the ru_maxrss of os.wait4): a plan this process had read would be the peak reported for the
    dynalint run after it. A forked child starts from this process's resident memory at that moment, kept small
    (no document is read here, see count_resources)."""
    flags = [name for name in ("_USE_VFORK", "_USE_POSIX_SPAWN") if hasattr(subprocess, name)]  # CPython's
    saved = [getattr(subprocess, name) for name in flags]
    for name in flags:
        setattr(subprocess, name, False)
    try:
        yield
    finally:
        for name, value in zip(flags, saved, strict=True):
            setattr(subprocess, name, value)


def commands(
    plan: Path, python: str, dynalint: list[str], checkov: str | None, scratch: Path, formats: tuple[str, ...] = FORMATS
) -> dict[str, tuple[list[str], Path | None, tuple[int, ...]]]:
    """name -> (argv, working directory, exit codes that mean success)."""
    out = {"parse": ([python, "-c", PARSE_FLOOR, str(plan)], None, (0,))}
    if "sarif" in formats:
        out["sarif"] = ([*dynalint, str(plan), "-f", "sarif", "-o", os.devnull, "--fail-on", "never"], None, (0,))
    if "text" in formats:
        out["text"] = ([*dynalint, str(plan), "--fail-on", "never"], None, (0,))
    if checkov:
        argv = [checkov, "-f", str(plan.resolve()), "--framework", "terraform_plan", "-o", "sarif", "--skip-download"]
        out["checkov"] = (argv, scratch, (0, 1))  # checkov exits 1 when a check fails
    return out


def measure(
    label: str, runs: int, checkov_runs: int, cmds: dict, timeout: float, progress, budget: float = 0
) -> dict[str, Series]:
    """Run the commands in turns, ``runs`` times each (checkov ``checkov_runs`` times).

    With a ``budget`` (seconds), a command whose runs so far took that long runs no more.
    """
    results = {name: Series() for name in cmds}
    for turn in range(max(runs, checkov_runs if "checkov" in cmds else 0)):
        for name, (argv, cwd, ok_codes) in cmds.items():
            wanted = checkov_runs if name == "checkov" else runs
            series = results[name]
            spent = sum(sample.wall for sample in series.samples)
            if turn >= wanted or series.failure or (budget and spent >= budget):
                continue
            progress(f"{label}: {name} run {turn + 1}/{wanted}")
            try:
                series.samples.append(run_once(argv, cwd, timeout, ok_codes))
            except Failed as exc:
                series.failure = str(exc)
    return results


def generator_script(generator: str) -> Path:
    """The script that writes a generator's (or a variant's) documents."""
    return GENERATORS[VARIANTS[generator][0] if generator in VARIANTS else generator]


def ensure_plan(out_dir: Path, generator: str, tables: int, seed: int, python: str) -> Path:
    """The generated plan for this generator, size and seed, made only when it is not there yet.

    The name carries a digest of the generator, so a changed generator makes new
    plans (and the old ones of that generator, size and seed are removed).
    """
    script, extra = generator_script(generator), VARIANTS.get(generator, ("", ()))[1]
    digest = hashlib.sha256(script.read_bytes()).hexdigest()[:8]
    path = out_dir / f"plan-{generator}-{tables}-seed{seed}-{digest}.json"
    if not path.exists():
        for stale in out_dir.glob(f"plan-{generator}-{tables}-seed{seed}-*.json"):
            stale.unlink()
        argv = [python, str(script), "--tables", str(tables), "--seed", str(seed), *extra, "-o", str(path)]
        subprocess.run(argv, check=True)
    return path


def count_resources(plan: Path, python: str = sys.executable) -> int:
    """Resource changes in the plan, or resources in the state; counted by a process of its own, so that this
    one never holds a document (see _forking)."""
    counted = subprocess.run([python, "-c", _COUNT, str(plan)], capture_output=True, text=True, check=True)
    return int(counted.stdout)


_COUNT = """
import json, sys
doc = json.load(open(sys.argv[1], "rb"))
if "resource_changes" in doc:
    print(len(doc["resource_changes"] or ()))
else:
    count, modules = 0, [(doc.get("values") or {}).get("root_module") or {}]
    while modules:
        module = modules.pop()
        count += len(module.get("resources") or ())
        modules += module.get("child_modules") or ()
    print(count)
"""


def is_state(generator: str) -> bool:
    return "--state" in VARIANTS.get(generator, ("", ()))[1]


# ---------------------------------------------------------------------- many plans in one command line
@dataclass
class Many:
    plans: int
    tables: int
    jobs: int
    series: dict[str, Series]

    @property
    def ratio(self) -> float | None:
        return paired_ratio(self.series.get("jobs"), self.series.get("one"))


def measure_many(args: argparse.Namespace, dynalint: list[str], progress) -> Many:
    """``dynalint P1 ... PN -f sarif`` with --jobs 1 and with --jobs J, in turns (ours generator, seeds 1..N)."""
    digest = hashlib.sha256(GENERATORS["ours"].read_bytes()).hexdigest()[:8]
    folder = args.out / f"many-{args.many_tables}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    plans = []
    for seed in range(1, args.many + 1):
        plan = folder / f"plan-{seed}.json"
        if not plan.exists():
            progress(f"many plans: generating {seed}/{args.many}")
            subprocess.run(
                [
                    args.python,
                    str(GENERATORS["ours"]),
                    "--tables",
                    str(args.many_tables),
                    "--seed",
                    str(seed),
                    "-o",
                    str(plan),
                ],
                check=True,
            )
        plans.append(str(plan))
    base = [*dynalint, *plans, "-f", "sarif", "-o", os.devnull, "--fail-on", "never"]
    cmds = {"one": ([*base, "--jobs", "1"], None, (0,)), "jobs": ([*base, "--jobs", str(args.jobs)], None, (0,))}
    series = measure(f"{args.many} plans of {args.many_tables} tables", args.many_runs, 0, cmds, args.timeout, progress)
    return Many(args.many, args.many_tables, args.jobs, series)


# ---------------------------------------------------------------------- reporting
def _mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{size / 1e3:.0f} kB"


def _secs(series: Series | None) -> str:
    if series is None:
        return "–"
    if not series.ok:
        return f"failed ({series.failure})" if series.failure else "–"
    if len(series.samples) == 1:
        return f"{series.median:.2f} (1 run)"
    return f"{series.median:.2f} ({series.low:.2f}–{series.high:.2f})"


def _times(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}x"


HEADERS = (
    "generator",
    "seed",
    "tables",
    "resources",
    "plan size",
    "dynalint sarif s",
    "dynalint text s",
    "parse floor s",
    "sarif / parse",
    "text / parse",
    "checkov s",
    "checkov / sarif",
    "dynalint peak RSS",
    "RSS / plan size",
)


def table_rows(rows: list[Row]) -> list[tuple[str, ...]]:
    out = []
    for row in rows:
        s = row.series
        peak = row.peak_rss_kb * 1024
        out.append(
            (
                row.generator,
                str(row.seed),
                f"{row.tables:,}",
                f"{row.resources:,}",
                _mb(row.size_bytes),
                _secs(s.get("sarif")),
                _secs(s.get("text")),
                _secs(s.get("parse")),
                _times(row.ratio("sarif", "parse"), 2),
                _times(row.ratio("text", "parse"), 2),
                _secs(s.get("checkov")),
                _times(row.ratio("checkov", "sarif")),
                _mb(peak) if peak else "–",
                f"{peak / row.size_bytes:.1f}x" if peak else "–",
            )
        )
    return out


SUMMARY_HEADERS = (
    "tables",
    "plans",
    "worst sarif / parse",
    "worst text / parse",
    "slowest sarif s",
    "worst RSS / plan size",
    "least checkov / sarif",
    "worst growth from the size before",
)


def _worst(rows: list[Row], value, pick=max, unit: str = "x") -> str:
    """The worst value over rows, and which plan gave it."""
    found = [(v, r) for r in rows if (v := value(r)) is not None]
    if not found:
        return "–"
    v, r = pick(found, key=lambda item: item[0])
    return f"{v:.2f}{unit} ({r.generator} seed {r.seed})"


def summary_rows(rows: list[Row]) -> list[tuple[str, ...]]:
    """Per size, the worst plan for each figure: what the README quotes."""
    out = []
    for state in (False, True):  # states apart: their parse floor is a smaller file's (see VARIANTS)
        kind = [r for r in rows if is_state(r.generator) == state]
        out += _summary_of(kind, " (state)" if state else "")
    return out


def _summary_of(rows: list[Row], label: str) -> list[tuple[str, ...]]:
    sizes = sorted({r.tables for r in rows})
    out = []
    for i, tables in enumerate(sizes):
        these = [r for r in rows if r.tables == tables]
        before = {(r.generator, r.seed): r for r in rows if i and r.tables == sizes[i - 1]}

        def growth(r: Row, before: dict = before) -> float | None:
            prior = before.get((r.generator, r.seed))
            if prior is None or not (
                r.series.get("sarif")
                and prior.series.get("sarif")
                and r.series["sarif"].ok
                and prior.series["sarif"].ok
            ):
                return None
            return r.series["sarif"].median / prior.series["sarif"].median

        out.append(
            (
                f"{tables:,}{label}",
                str(len(these)),
                _worst(these, lambda r: r.ratio("sarif", "parse")),
                _worst(these, lambda r: r.ratio("text", "parse")),
                _worst(
                    these,
                    lambda r: r.series["sarif"].median if r.series.get("sarif") and r.series["sarif"].ok else None,
                    unit=" s",
                ),
                _worst(these, lambda r: r.peak_rss_kb * 1024 / r.size_bytes if r.peak_rss_kb else None),
                _worst(these, lambda r: r.ratio("checkov", "sarif"), pick=min),
                (_worst(these, growth) + f" for {tables / sizes[i - 1]:.0f}x the tables") if i else "–",
            )
        )
    return out


def many_line(many: Many | None) -> str:
    if many is None:
        return ""
    return (
        f"{many.plans} plans of {many.tables} tables in one command line: --jobs 1 "
        f"{_secs(many.series.get('one'))} s, --jobs {many.jobs} {_secs(many.series.get('jobs'))} s, "
        f"ratio {_times(many.ratio, 2)} (paired)"
    )


def plain_table(headers: tuple[str, ...], cells: list[tuple[str, ...]]) -> str:
    cells = [headers, *cells]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in cells)


def markdown_table(headers: tuple[str, ...], cells: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---:|" * len(headers)]
    lines += ["| " + " | ".join(r) + " |" for r in cells]
    return "\n".join(lines)


def machine() -> dict[str, str]:
    """Where the figures came from: CPU, cores, memory, Python, load."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
        )
        memory = f"{int(mem) / 1024**2:.0f} GiB"
    except (OSError, StopIteration):
        memory = "?"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "load average": load,
    }


def describe(info: dict[str, str], args: argparse.Namespace, extras: dict[str, str], started: datetime) -> str:
    when = started.strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        f"started {when}; {info['cpu']}, {info['cores']} cores, {info['memory']}; {info['os']}; "
        f"Python {info['python']}; load average at start {info['load average']}",
        f"generators: {', '.join(args.generators)}; seeds: {', '.join(map(str, args.seeds))}; runs: {args.runs}"
        + (
            f" (checkov {args.checkov_runs}, first seed only, up to {args.checkov_max_tables:,} tables)"
            if args.checkov
            else ""
        )
        + (f", fewer once a command has taken {args.budget:.0f} s" if args.budget else "")
        + "; seconds are medians of whole-process wall time (min–max in brackets), ratios medians of "
        "paired runs; peak RSS is the largest of the dynalint runs",
    ]
    parts += [f"{k}: {v}" for k, v in extras.items()]
    return "\n".join(parts)


# ---------------------------------------------------------------------- command line
def _numbers(text: str, what: str, minimum: int) -> list[int]:
    try:
        numbers = [int(part.replace("_", "").replace(",", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{what} are whole numbers separated by commas, not {text!r}") from None
    if not numbers or min(numbers) < minimum:
        raise argparse.ArgumentTypeError(f"give at least one of the {what}, each {minimum} or more")
    return numbers


def _sizes(text: str) -> list[int]:
    return _numbers(text, "sizes", 1)


def _seeds(text: str) -> list[int]:
    return _numbers(text, "seeds", 0)


def _choice(allowed: tuple[str, ...], what: str):
    def parse(text: str) -> tuple[str, ...]:
        chosen = tuple(part.strip() for part in text.split(",") if part.strip())
        unknown = [f for f in chosen if f not in allowed]
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(f"{what} are {' and '.join(allowed)}, not {text!r}")
        return chosen

    return parse


def _default_dynalint(python: str) -> list[str]:
    script = Path(python).parent / "dynalint"
    return [str(script)] if script.exists() else [python, "-m", "dynalint"]


def _version(argv: list[str]) -> str:
    try:
        done = subprocess.run([*argv, "--version"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    return (done.stdout.strip().splitlines() or ["?"])[-1]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=list(DEFAULT_SIZES),
        help="table counts, comma separated (default 10,100,1000,5000)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command and plan (default 5)")
    parser.add_argument(
        "--seeds", type=_seeds, default=list(DEFAULT_SEEDS), help="generator seeds, comma separated (default 1,7,42)"
    )
    parser.add_argument(
        "--generators",
        type=_choice(tuple(GENERATORS) + tuple(VARIANTS), "generators"),
        default=DEFAULT_GENERATORS,
        help="ours (bench/gen_plan.py), shared (../shared/bench/gen_plan.py, when it is there); default both. "
        "Other shapes of the shared one's documents: shared-state (the state JSON after apply), "
        "shared-indented (the plan, indented)",
    )
    parser.add_argument(
        "--shared-generator", type=Path, help="where the shared generator is (default ../shared/bench/gen_plan.py)"
    )
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="where plans are kept (default bench/out)")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the parse floor (default: this one)")
    parser.add_argument("--dynalint", help="dynalint command (default: the dynalint script beside --python)")
    parser.add_argument("--checkov", help="checkov executable (default: checkov on PATH, if any)")
    parser.add_argument("--no-checkov", action="store_true", help="do not run checkov even when it is installed")
    parser.add_argument("--checkov-runs", type=int, default=3, help="timed checkov runs per size (default 3)")
    parser.add_argument(
        "--checkov-max-tables",
        type=int,
        default=1000,
        help="largest plan checkov is run on (default 1000; it takes minutes per run)",
    )
    parser.add_argument(
        "--formats",
        type=_choice(FORMATS, "formats"),
        default=FORMATS,
        help="dynalint output formats to time, comma separated (default sarif,text)",
    )
    parser.add_argument(
        "--many",
        type=int,
        default=200,
        help="also time this many plans in one command line, --jobs 1 against --jobs J (default 200; 0 skips it)",
    )
    parser.add_argument("--many-tables", type=int, default=20, help="tables per plan for --many (default 20)")
    parser.add_argument("--many-runs", type=int, default=3, help="timed runs of each --many command (default 3)")
    parser.add_argument("--jobs", type=int, default=2, help="J for --many (default 2)")
    parser.add_argument(
        "--budget",
        type=float,
        default=0,
        help="seconds per command and plan after which it runs no more (default: no limit)",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a run is killed (default 3600)")
    parser.add_argument("--markdown", type=Path, help="also write the tables, with the machine, as markdown")
    parser.add_argument("--json", type=Path, help="also write every sample as JSON")
    parser.add_argument(
        "--note",
        action="append",
        default=[],
        help="a line for the header, e.g. which build of dynalint is measured (repeatable)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.checkov_runs < 1 or args.many_runs < 1:
        parser.error("--runs, --checkov-runs and --many-runs must be at least 1")
    if args.many < 0 or args.many_tables < 1 or args.jobs < 1:
        parser.error("--many must be 0 or more, --many-tables and --jobs at least 1")
    if args.shared_generator is not None:
        if not args.shared_generator.is_file():
            parser.error(f"--shared-generator {args.shared_generator}: no such file")
        GENERATORS["shared"] = args.shared_generator.resolve()
    if args.no_checkov:
        args.checkov = None
    elif args.checkov is None:
        args.checkov = shutil.which("checkov")
    elif shutil.which(args.checkov) is None:
        parser.error(f"--checkov {args.checkov}: no such executable")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    dynalint = args.dynalint.split() if args.dynalint else _default_dynalint(args.python)
    progress = (lambda text: None) if args.quiet else (lambda text: print(f"bench: {text}", file=sys.stderr))
    started = datetime.now(timezone.utc)
    info = machine()
    in_tree = Path(dynalint[0]).absolute().is_relative_to(BENCH.parent)  # else an install elsewhere: --note
    extras = {"dynalint": " ".join(dynalint) + f" ({_version(dynalint)}" + (f", {_checkout()})" if in_tree else ")")}
    missing = [g for g in args.generators if not generator_script(g).is_file()]
    if missing:
        extras["not run"] = ", ".join(f"the {g} generator ({generator_script(g)} is not there)" for g in missing)
    args.generators = tuple(g for g in args.generators if g not in missing)
    if args.checkov:
        extras["checkov"] = f"{args.checkov} ({_version([args.checkov])})"
    extras.update({"note" if i == 0 else f"note {i + 1}": text for i, text in enumerate(args.note)})
    args.out.mkdir(parents=True, exist_ok=True)
    scratch = args.out / "checkov-scratch"
    scratch.mkdir(exist_ok=True)
    rows = []
    for tables in args.sizes:
        for generator in args.generators:
            for number, seed in enumerate(args.seeds):
                progress(f"plan of {tables:,} tables, {generator} generator, seed {seed}")
                plan = ensure_plan(args.out, generator, tables, seed, args.python)
                first = number == 0 and generator not in VARIANTS  # checkov on plans as terraform writes them
                checkov = args.checkov if tables <= args.checkov_max_tables and first else None
                cmds = commands(plan, args.python, dynalint, checkov, scratch, args.formats)
                series = measure(plan.name, args.runs, args.checkov_runs, cmds, args.timeout, progress, args.budget)
                resources = count_resources(plan, args.python)
                rows.append(Row(generator, seed, tables, str(plan), plan.stat().st_size, resources, series))
    many = measure_many(args, dynalint, progress) if args.many else None
    extras["load average at end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    header = describe(info, args, extras, started)
    summary = summary_rows(rows)
    print(
        header
        + "\n\n"
        + plain_table(HEADERS, table_rows(rows))
        + "\n\nWorst plan per size:\n"
        + plain_table(SUMMARY_HEADERS, summary)
        + ("\n\n" + many_line(many) if many else "")
    )
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        notes = "\n".join(f"- {line}" for line in header.splitlines())
        args.markdown.write_text(
            notes + "\n\n" + markdown_table(HEADERS, table_rows(rows)) + "\n\nWorst plan per "
            "size:\n\n"
            + markdown_table(SUMMARY_HEADERS, summary)
            + "\n"
            + ("\n" + many_line(many) + "\n" if many else ""),
            encoding="utf-8",
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "extras": extras,
                    "rows": [asdict(r) for r in rows],
                    "many": asdict(many) if many else None,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    failed = [s for r in rows for s in r.series.values()] + (list(many.series.values()) if many else [])
    return 0 if all(s.failure is None for s in failed) else 1


def _checkout() -> str:
    """The commit of the code measured, and whether the engine or the rules had changes not committed."""
    root = BENCH.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "dynalint", "rules"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "commit unknown"
    if not head:
        return "commit unknown"
    return f"work tree at commit {head}" + (" with uncommitted changes in dynalint/ or rules/" if dirty else "")


if __name__ == "__main__":
    sys.exit(main())

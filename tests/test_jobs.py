"""Several inputs in worker processes (--jobs): the same bytes, exit codes and errors as one process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from dynalint import parallel
from dynalint.cli import main
from helpers import ROOT, SAMPLES, case_plan

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="--jobs runs inputs one after the other here")

FORMATS = ("text", "sarif", "json", "junit", "github", "markdown")
EXAMPLE = ROOT / "examples" / "custom-rules"
# plans with inline suppressions (sensitive), sensitive values, modules, deletes, a .tf tree, stdin
INPUTS = [str(case_plan(n).relative_to(ROOT)) for n in ("sensitive", "access", "changes", "streams", "capacity")]
INPUTS += ["tests/hcl/app", "-", str((SAMPLES / "mixed" / "plan.json").relative_to(ROOT))]


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["--no-config", *args], input=stdin, catch_exceptions=False)


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize(
    "extra",
    [[], ["--show-suppressed", "--statistics"], ["--changed-only"]],
    ids=["plain", "suppressed-statistics", "changed-only"],
)
def test_jobs_give_the_bytes_of_one_process(extra):
    stdin = (SAMPLES / "bad" / "plan.json").read_text()
    for fmt in FORMATS:
        one = run(*INPUTS, "-f", fmt, "--jobs", "1", "--stdin-filename", "piped.json", *extra, stdin=stdin)
        many = run(*INPUTS, "-f", fmt, "--jobs", "3", "--stdin-filename", "piped.json", *extra, stdin=stdin)
        assert one.exit_code == 1, one.output
        assert (many.exit_code, many.stdout, many.stderr) == (one.exit_code, one.stdout, one.stderr), fmt


def test_sarif_workers_send_back_whole_only_the_models_with_a_fix_to_propose():
    """SARIF's fix proposals resolve a finding against its model: a worker sends back whole the models with a
    finding fixable in a .tf file, the others stripped (a plan alone has no .tf to fix), and the report is
    the same bytes, fix proposals included."""
    plans = ["tests/tf/capacity/plan.json", str((SAMPLES / "mixed" / "plan.json").relative_to(ROOT))]
    one = run(*plans, "-f", "sarif", "--jobs", "1")
    many = run(*plans, "-f", "sarif", "--jobs", "2")
    assert (many.exit_code, many.stdout) == (one.exit_code, one.stdout)
    assert any("fixes" in r for r in json.loads(one.stdout)["runs"][0]["results"])
    work = parallel.Work((), (), None, False, (), True, None, (), lambda m: m, whole_models="fixes")
    capacity, mixed = (work.load((p,))[0] for p in plans)
    findings = [f for f in _findings_of(capacity) if f.fix is not None][:1]
    assert findings and findings[0].resource_location.kind == "tf"
    assert parallel._whole("fixes", [capacity, mixed], findings) == [capacity]
    assert parallel._whole("all", [capacity, mixed], []) == [capacity, mixed]
    assert parallel._whole("", [capacity, mixed], findings) == []


def _findings_of(model):
    from dynalint import engine

    registry = engine.builtin_registry()
    return engine.check_models([model], registry.sorted(), registry.links)


def test_custom_rules_config_and_baseline_reach_the_workers(tmp_path):
    plans = ["examples/custom-rules/infra/plan.json", str(case_plan("custom").relative_to(ROOT))]
    config = ["--config", str(EXAMPLE / ".dynalint.yaml"), "--allow-config-code"]
    baseline = tmp_path / "baseline.json"
    recorded = CliRunner().invoke(main, [*config, plans[0], "--write-baseline", str(baseline), "-f", "json"])
    assert recorded.exit_code in (0, 1), recorded.output
    outputs = []
    for jobs in ("1", "2"):
        result = CliRunner().invoke(
            main, [*config, *plans, "--baseline", str(baseline), "-f", "sarif", "--jobs", jobs], catch_exceptions=False
        )
        outputs.append((result.exit_code, result.stdout))
    assert outputs[0] == outputs[1]
    doc = json.loads(outputs[0][1])
    results = doc["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"ACME001", "ACME101"}  # custom rules and their configured options
    assert any(r.get("baselineState") == "unchanged" for r in results)
    assert any(r.get("baselineState") == "new" for r in results)  # the second plan is not in the baseline


PID_RULES = '''
import os
from dynalint.rule import Issue, rule

@rule(id="PID001", slug="checked-by", level="note", applies=["aws_dynamodb_table"])
def checked_by(table, ctx):
    """Says which process checked the table."""
    yield Issue(f"pid {os.getpid()}")
'''


def _pids(*args: str) -> set[int]:
    result = run(*args, "-f", "json", "--select", "PID001")
    assert result.exit_code == 0, result.output
    return {int(f["message"].split()[1].rstrip(".")) for f in json.loads(result.stdout)["findings"]}


def test_inputs_are_checked_in_worker_processes(tmp_path):
    (tmp_path / "pid.py").write_text(textwrap.dedent(PID_RULES))
    plans = [str(case_plan(n).relative_to(ROOT)) for n in ("durability", "encryption", "schema", "capacity")]
    rules = ["--rules-dir", str(tmp_path)]
    assert _pids(*plans, *rules, "--jobs", "1") == {os.getpid()}
    together = _pids(*plans, *rules, "--jobs", "2")  # this process and one worker
    assert os.getpid() in together and len(together) == 2
    assert 2 <= len(_pids(*plans, *rules, "--jobs", "3")) <= 3  # which worker takes a task is up to the pool
    assert len(_pids(*plans[:2], *rules, "--jobs", "3")) == 2  # no more processes than inputs
    if parallel.available_cores() > 1:
        assert len(_pids(*plans, *rules)) > 1  # the default: one process per processor
    assert _pids(plans[0], *rules) == {os.getpid()}  # one input: no worker


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_first_bad_input_is_the_error_whatever_the_jobs(tmp_path, jobs):
    (tmp_path / "broken.json").write_text('{"format_version": "1.2", "resource_changes": [')
    (tmp_path / "list.json").write_text("[]")
    good = str(case_plan("durability").relative_to(ROOT))
    args = [good, str(tmp_path / "broken.json"), good, str(tmp_path / "list.json"), str(tmp_path / "missing.json")]
    one = run(*args, "--jobs", "1")
    many = run(*args, "--jobs", jobs)
    assert one.exit_code == 2 and one.stderr.count("\n") == 1 and "broken.json" in one.stderr
    assert (many.exit_code, many.stdout, many.stderr) == (one.exit_code, one.stdout, one.stderr)
    # a plan fails to load after one that loads: the loading error still comes first, as in one process
    later = run(good, str(tmp_path / "list.json"), "--jobs", jobs)
    assert later.exit_code == 2 and "list.json" in later.stderr and "Traceback" not in later.stderr


def test_a_worker_error_is_raised_again_with_its_traceback_under_debug(tmp_path):
    (tmp_path / "list.json").write_text("[]")
    good = str(case_plan("durability").relative_to(ROOT))
    result = run(good, str(tmp_path / "list.json"), good, "--jobs", "2", "--debug")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "dynalint/load/plan.py" in result.stderr  # the loader's own frames
    assert result.stderr.rstrip().splitlines()[-1].startswith("dynalint: error: ")


def test_a_refusal_in_a_worker_is_raised_here_without_running_the_input_again(tmp_path, monkeypatch):
    # a refusal may come after seconds of work (a budget spent): this process raises the worker's line, with
    # the worker's traceback under --debug, instead of loading and checking the input a second time
    (tmp_path / "big.json").write_text("[" + " " * 200_000 + "]")  # the largest input: the worker takes it
    good = str(case_plan("durability").relative_to(ROOT))
    loaded = []
    load = parallel.Work.load
    monkeypatch.setattr(parallel.Work, "load", lambda self, unit: loaded.append(unit) or load(self, unit))
    one, many = (run(good, str(tmp_path / "big.json"), "--jobs", jobs) for jobs in "12")
    assert one.exit_code == 2 and "big.json: the JSON is an array" in one.stderr
    assert (many.exit_code, many.stderr) == (one.exit_code, one.stderr)
    assert loaded == [(good,)]  # --jobs 2: this process loaded only its own input
    debug = run(good, str(tmp_path / "big.json"), "--jobs", "2", "--debug")
    assert "(in a worker process)" in debug.stderr and "dynalint/load/" in debug.stderr
    assert debug.stderr.rstrip().splitlines()[-1] == one.stderr.rstrip()


# ---------------------------------------------------------------------- the process ends itself
ATEXIT_RULES = '''
import atexit
from pathlib import Path
from dynalint.rule import Issue, rule

atexit.register(lambda: Path({marker!r}).write_text("ran"))

@rule(id="EXIT001", slug="atexit-marker", level="note", applies=["aws_dynamodb_table"])
def marker(table, ctx):
    """Registers an atexit handler when loaded."""
    return ()
'''


def test_the_command_line_process_flushes_its_output_and_runs_atexit_handlers(tmp_path):
    marker = tmp_path / "marker.txt"
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "exit.py").write_text(textwrap.dedent(ATEXIT_RULES.format(marker=str(marker))))
    plans = [str(case_plan(n)) for n in ("durability", "encryption")]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dynalint",
            "--no-config",
            *plans,
            "-f",
            "sarif",
            "--rules-dir",
            str(tmp_path / "rules"),
        ],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 1, proc.stderr
    in_process = run(*plans, "-f", "sarif", "--rules-dir", str(tmp_path / "rules"))
    assert proc.stdout.decode() == in_process.stdout  # every byte written before the process ended
    assert marker.read_text() == "ran"
    written = tmp_path / "out.sarif"
    proc = subprocess.run(
        [sys.executable, "-m", "dynalint", "--no-config", plans[0], "-o", str(written), "-f", "sarif", "-q"],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 1 and json.loads(Path(written).read_text())["runs"][0]["results"]


def test_a_closed_pipe_ends_the_process_as_before():
    """`dynalint ... | head -1`: the reader goes away; the exit is Python's usual one, not a hang or a crash."""
    proc = subprocess.run(
        f"{sys.executable} -m dynalint --no-config {case_plan('durability')} {case_plan('changes')}"
        " -f json | head -c 10",
        shell=True,
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.stdout == b'{\n  "versi'


def test_the_same_plan_twice_numbers_its_fingerprints_as_one_process_does(tmp_path):
    from dynalint.model import fingerprint

    for name in ("prod.json", "staging.json"):
        (tmp_path / name).write_bytes(case_plan("durability").read_bytes())
    args = [str(tmp_path / "prod.json"), str(tmp_path / "staging.json"), "-f", "json"]
    one, many = run(*args, "--jobs", "1"), run(*args, "--jobs", "2")
    assert one.stdout == many.stdout
    found = json.loads(one.stdout)["findings"]
    prod = [f for f in found if f["input"].endswith("prod.json")]
    staging = [f for f in found if f["input"].endswith("staging.json")]
    assert prod and len(prod) == len(staging)
    for first, second in zip(
        prod, staging, strict=False
    ):  # one configuration, two plans: the second's keys are numbered
        assert first["fingerprint"] == fingerprint(first["rule_id"], first["address"], first["path"])
        assert second["fingerprint"] == fingerprint(second["rule_id"], second["address"], f"{second['path'] or ''}#2")
        where = ("input", "fingerprint", "location", "resource_location")  # the file differs, nothing else
        assert {k: v for k, v in second.items() if k not in where} == {k: v for k, v in first.items() if k not in where}


def test_workers_get_shrinking_tasks_from_the_large_end_and_this_process_single_units():
    sizes = {i: 1000 - i for i in range(40)}  # unit 0 the largest
    queue = parallel._Queue(sorted(sizes, key=lambda i: -sizes[i]), sizes, processes=2)
    first = queue.task()
    assert first == list(range(len(first))) and len(first) > 1  # a run from the large end
    assert queue.smallest() == 39  # this process: the smallest unit, one at a time
    handed = [*first, 39]
    tasks = []
    while len(queue) > 1:
        tasks.append(queue.task())
        handed += tasks[-1]
    assert [len(t) for t in tasks] == sorted((len(t) for t in tasks), reverse=True)  # smaller as less is left
    assert len(tasks[-1]) == 1 and len(queue) == 1  # single units at the end; the last one left for here
    handed.append(queue.smallest())
    assert sorted(handed) == list(range(40)) and len(queue) == 0  # every unit handed out once


def test_a_unit_larger_than_a_share_is_a_task_of_its_own():
    sizes = {0: 10**9, 1: 10, 2: 10, 3: 10}
    queue = parallel._Queue([0, 1, 2, 3], sizes, processes=2)
    assert queue.task() == [0]
    assert queue.task() == [1]  # each small unit is over a quarter of a process's share of what is left
    assert queue.task() == [2] and queue.smallest() == 3


def test_an_ignore_entry_on_a_data_source_is_judged_as_one_process_judges_it(tmp_path):
    """A worker sends back its data sources' addresses too: the config's unused ignore entries (DL004) are
    judged against every address of the run, and an entry whose glob matches only a data source matched a
    resource with --jobs 1 and none with --jobs 2."""
    config = tmp_path / "dynalint.yaml"
    config.write_text('ignore:\n  - rule: DDB601\n    address: "data.*"\n    reason: reviewed\n')
    plans = [str(case_plan(n).relative_to(ROOT)) for n in ("access", "data_only")]
    one, many = (
        CliRunner().invoke(main, ["--config", str(config), *plans, "-f", "json", "--jobs", jobs]) for jobs in "12"
    )
    assert (many.exit_code, many.stdout) == (one.exit_code, one.stdout)
    (note,) = [f for f in json.loads(one.stdout)["findings"] if f["rule_id"] == "DL004"]
    assert "it matches 1 resource, none with a DDB601 finding" in note["message"]


def test_workers_count_the_checked_resources_and_this_process_does_not_make_them_again():
    """The summary's count of checked resources comes with each model a worker strips, counted there: the parent
    makes no resource of such a model to count them, and the count is one process's."""
    from dynalint import engine
    from dynalint.report.base import checked_resources

    registry = engine.builtin_registry()
    rules = registry.sorted()
    plans = [str(case_plan(n).relative_to(ROOT)) for n in ("durability", "encryption", "schema", "capacity")]
    work = parallel.Work(
        rules, registry.links, engine.RunOptions(), False, list(registry.rules), True, None, (), lambda m: m
    )
    models, _ = parallel.check_inputs(plans, work, 2)
    bare = [m for m in models if isinstance(m.resources, parallel._BareResources)]
    assert bare and all(m.checked_counts for m in bare)  # the worker's models, stripped, with their counts
    alone = [m for plan in plans for m in work.load((plan,))]
    assert checked_resources(models, rules) == checked_resources(alone, rules) > 0
    assert all(m.resources._made is None for m in bare)  # counted without making a resource from a row
    assert checked_resources(models, rules[:3]) == checked_resources(alone, rules[:3])  # other rules: counted here
    assert checked_resources(models, rules, True) == checked_resources(alone, rules, True)


@pytest.mark.skipif(not hasattr(__import__("fcntl"), "F_GETPIPE_SZ"), reason="no pipe sizes to read here")
def test_the_pipe_of_the_workers_results_holds_a_megabyte():
    """A worker's task sends back a megabyte or more: through the default 64 KB pipe it waited for this process at
    every step (a tenth of a --jobs 2 run idle)."""
    import fcntl
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        pipe = pool._result_queue._writer.fileno()
        before = fcntl.fcntl(pipe, fcntl.F_GETPIPE_SZ)
        parallel._widen_results_pipe(pool)
        after = fcntl.fcntl(pipe, fcntl.F_GETPIPE_SZ)
    limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
    assert before < after == min(limit, 1 << 20)


KILLING_RULES = '''
import os
import signal
from dynalint.rule import rule

PARENT = os.getpid()


@rule(id="KIL001", slug="killed-worker", level="note", applies=["aws_dynamodb_table"])
def killed_worker(table, ctx):
    """The system kills a worker process as it checks (out of memory, say)."""
    if os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return ()
'''


def test_a_worker_killed_by_the_system_fails_the_run_in_one_line_naming_its_inputs(tmp_path):
    (tmp_path / "kill.py").write_text(textwrap.dedent(KILLING_RULES))
    plans = [str(case_plan(n).relative_to(ROOT)) for n in ("durability", "encryption", "schema", "capacity")]
    killed = run(*plans, "--rules-dir", str(tmp_path), "-f", "sarif", "--jobs", "2")
    assert killed.exit_code == 2 and killed.stdout == ""  # no report: what the worker checked is lost
    (line,) = killed.stderr.splitlines()
    assert line.startswith("dynalint: error: a worker process ended abruptly while checking tests/tf/")
    assert "--jobs 1" in line and "Traceback" not in killed.stderr
    # two inputs: the worker takes the larger, and this process checks the other before it hears of the death
    larger, smaller = sorted(plans[:2], key=lambda p: -(ROOT / p).stat().st_size)
    killed = run(smaller, larger, "--rules-dir", str(tmp_path), "-f", "sarif", "--jobs", "2")
    assert killed.exit_code == 2 and f"ended abruptly while checking {larger} (killed" in killed.stderr
    alone = run(*plans, "--rules-dir", str(tmp_path), "-f", "sarif", "--jobs", "1")
    assert alone.exit_code == 1 and json.loads(alone.stdout)["runs"][0]["results"]  # one process: checked

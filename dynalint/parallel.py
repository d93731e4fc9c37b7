"""Several inputs of one command line at once: this process and forked workers each load and check some.

The workers are forked from the command-line process when the pool starts, so
they run the very rules, links, options and loader settings it prepared, custom
rules included: no module is imported again and no user code runs twice.
The units of ``dynalint.load.input_units`` (a plan, or the .tf inputs together)
are ordered by size; the workers take tasks of several units from the large
end, this process one unit at a time from the small end, until none is left
(see ``_Queue``). A unit is loaded and
checked by ``engine.check_models`` (inline suppressions are per input); a worker
sends back its findings and its models stripped to what the reports read. This
process then does what spans inputs, in input order, as one process would:
sorting, unique fingerprints, then (in the command line) the config's
suppressions, the baseline and the report. The output is the same bytes
whatever the number of processes.

A unit a worker refuses (an InputError: a bad input, a budget spent) is
refused here with the worker's line, its traceback shown with --debug; one
that fails otherwise is run again here, so that the error is the one a single
process gives;
loading errors come first, in input order, as when one process loads every
input before it checks any. A worker that dies (the system kills it, for lack
of memory say) fails the run, as a bad input does: one line naming what it was
checking, and no report. Where the platform cannot fork (Windows), inputs are
checked one after the other.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import traceback
from collections.abc import Callable, Sequence
from dataclasses import MISSING, dataclass, fields, replace
from pathlib import Path
from typing import cast

from dynalint import engine
from dynalint.errors import InputError
from dynalint.load import input_units, load_unit
from dynalint.model import Change, Finding, Model, Resource, made
from dynalint.report.base import checked_key, checked_resources
from dynalint.rule import Rule

try:
    import fcntl
except ImportError:  # Windows, where nothing here forks
    fcntl = None  # type: ignore[assignment]


def available_cores() -> int:
    """The processors this process may run on (its CPU affinity where the platform tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@dataclass(frozen=True)
class Work:
    """What every unit is checked with (the workers inherit it: nothing of it is pickled)."""

    rules: Sequence
    links: Sequence
    settings: engine.RunOptions
    only_changed: bool
    known_ids: Sequence[str]
    locate: bool
    source_dir: str | None
    var_files: Sequence[str]
    prepare: Callable[[Model], Model]  # applied to each model after loading (the command line's notes)
    allow_errored: bool = False  # --allow-errored-plan
    # What of the models the report reads besides what every report does: "all" their resources (the markdown
    # diagram), or those of a model with a finding dynalint may fix in a .tf file ("fixes": SARIF's fix proposals
    # resolve them against the model); workers send those models back whole, the others stripped.
    whole_models: str = ""

    def load(self, unit: Sequence[str]) -> list[Model]:
        return [
            self.prepare(m) for m in load_unit(unit, self.locate, self.source_dir, self.var_files, self.allow_errored)
        ]

    def check(self, models: list[Model]) -> list[Finding]:
        return engine.check_models(models, self.rules, self.links, self.settings, self.only_changed, self.known_ids)


_WORK: Work | None = None  # set in the parent before the pool forks its workers
_UNITS: list[tuple[str, ...]] = []


def units(paths: Sequence[str]) -> list[tuple[str, ...]]:
    """What is loaded and checked together, in the order of the command line (see ``input_units``)."""
    return [unit for _path, unit in input_units(paths) if unit]


def poolable(unit: Sequence[str]) -> bool:
    """Whether a worker may take the unit: all but stdin, which this process reads."""
    return unit != ("-",)


def check_inputs(
    paths: Sequence[str], work: Work, jobs: int, progress: Callable[[str], None] | None = None
) -> tuple[list[Model], list[Finding]]:
    """The models and the sorted findings of every input, in ``jobs`` processes: this one and jobs - 1 workers.

    This process checks units too, taking them from the small end of the list while the workers take tasks
    from the large end, so that neither waits for the other (and none of its results is pickled).
    """
    global _WORK, _UNITS
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    todo = units(paths)
    pooled = [i for i, unit in enumerate(todo) if poolable(unit)]
    processes = max(2, min(jobs, len(pooled)))
    sizes = {i: _size(todo[i]) for i in pooled}
    queue = _Queue(sorted(pooled, key=lambda i: -sizes[i]), sizes, processes)
    results: dict[int, tuple] = {}
    done = 0

    def finished(i: int, result: tuple) -> None:
        nonlocal done
        results[i] = result
        done += 1
        if progress is not None:
            progress(f"[{done}/{len(pooled)}] checked {' '.join(todo[i])}")

    _WORK, _UNITS = work, todo
    running: dict = {}
    try:
        with ProcessPoolExecutor(max_workers=processes - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            _widen_results_pipe(pool)

            def collect() -> None:
                for future in [f for f in running if f.done()]:
                    outcome = future.result()  # raises when the worker died: its task still in ``running``
                    for i, result in zip(running.pop(future), outcome, strict=True):
                        finished(i, _unpacked(result))

            def hand_out() -> None:
                # a task ahead for each worker (it starts at once when it is done), the last unit left for here
                while len(queue) > 1 and len(running) < 2 * (processes - 1):
                    task = queue.task()
                    running[pool.submit(_run, task)] = task

            hand_out()
            for i, unit in enumerate(todo):
                if not poolable(unit):
                    results[i] = _run_here(work, unit)  # stdin, read once, here
            while queue or running:
                if queue:
                    i = queue.smallest()
                    finished(i, _run_here(work, todo[i]))
                else:
                    wait(running, return_when=FIRST_COMPLETED)
                collect()
                hand_out()
    except BrokenProcessPool as exc:
        raise _died([todo[i] for task in list(running.values())[: processes - 1] for i in task]) from exc
    finally:
        _WORK, _UNITS = None, []
    return _gather(todo, results, work)


def _died(lost: list[tuple[str, ...]]) -> InputError:
    """A worker was killed (the system, out of memory, or a signal) or ended itself: nothing it checked can be
    reported, and the run fails as a bad input does, naming what it was checking."""
    paths = [path for unit in lost for path in unit]
    named = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    return InputError(
        f"a worker process ended abruptly{' while checking ' + named if named else ''} (killed by the system, for "
        "lack of memory or by a signal): no report was made; --jobs 1 checks every input in this process"
    )


def _widen_results_pipe(pool) -> None:
    """Give the pipe that carries the workers' results the largest buffer the system allows a user (1 MB on
    Linux, against 64 KB), where it can.

    A task's results are a megabyte or more. Through 64 KB, a worker waits at each step for this process's
    reading thread, which waits for this process's checking to let go of the interpreter: the worker stood idle
    a tenth of the run. Only the speed depends on it: where the platform has no such call, the pool's inner
    names differ, or the system refuses (a user's pipe quota), the pipe stays as it is."""
    setting = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if setting is None or writer is None:
        return
    try:
        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        fcntl.fcntl(writer.fileno(), setting, min(limit, 1 << 20))
    except (OSError, ValueError, AttributeError):
        pass


class _Queue:
    """The units not yet handed out, the largest first. A worker's task is a run of units from the large end of
    about a quarter of a process's share of the bytes left (guided self-scheduling): large tasks while much is
    left, cost little to hand out; single units at the end, so that the processes finish together. This
    process takes one unit at a time from the small end, and hands out tasks between its units."""

    def __init__(self, order: list[int], sizes: dict[int, int], processes: int) -> None:
        from collections import deque

        self._units = deque(order)
        self._sizes = sizes
        self._left = sum(sizes.values())
        self._processes = processes

    def __len__(self) -> int:
        return len(self._units)

    def smallest(self) -> int:
        i = self._units.pop()
        self._left -= self._sizes[i]
        return i

    def task(self) -> list[int]:
        target = self._left / (4 * self._processes)
        task: list[int] = []
        held = 0
        while len(self._units) > 1 and (not task or held + self._sizes[self._units[0]] <= target):
            i = self._units.popleft()
            task.append(i)
            held += self._sizes[i]
        self._left -= held
        return task


def _size(unit: Sequence[str]) -> int:
    try:
        return sum(os.path.getsize(p) for p in unit if os.path.isfile(p))
    except OSError:
        return 0


def _run(task: Sequence[int]) -> list[tuple]:
    """In a worker, for each unit of the task: ("ok", models packed, findings packed), or the phase that
    failed."""
    # set in the parent before the pool forks (run); were it None, load would fail as a unit's loading fails
    work = cast(Work, _WORK)
    out: list[tuple] = []
    for index in task:
        try:
            models = work.load(_UNITS[index])
        except Exception as exc:  # noqa: BLE001 - the parent raises it in its turn (see _failure)
            out.append(("load", *_failure(exc)))
            continue
        try:
            findings = work.check(models)
        except Exception as exc:  # noqa: BLE001
            out.append(("check", *_failure(exc)))
            continue
        whole = {id(m) for m in _whole(work.whole_models, models, findings)}
        packed = [_packed_model(m, id(m) in whole, work.rules, work.only_changed) for m in models]
        out.append(("ok", packed, [_packed_finding(f) for f in findings]))
    return out


def _failure(exc: Exception) -> tuple:
    """What a worker sends back of a unit that failed: a refusal (InputError: its one line, the same in any
    process) with its traceback as text, raised here without running the unit again (a refusal may come after
    seconds of work: a budget spent); anything else nothing, and the parent runs the unit again, to fail as one
    process does."""
    if isinstance(exc, InputError):
        return str(exc), traceback.format_exc()
    return ()


class _WorkerTraceback(Exception):
    """A worker's traceback, shown under --debug before the line of the refusal it led to."""

    def __str__(self) -> str:
        return f"\n\n(in a worker process)\n{self.args[0]}"


def _refusal(message: str, trace: str) -> InputError:
    refused = InputError(message)
    refused.__cause__ = _WorkerTraceback(trace)
    return refused


def _run_here(work: Work, unit: Sequence[str]) -> tuple:
    """In this process: as ``_run`` (the models kept whole), keeping what went wrong to raise in its turn."""
    try:
        models = work.load(unit)
    except Exception as exc:  # noqa: BLE001
        return ("load", exc)
    try:
        return ("ok", models, work.check(models))
    except Exception as exc:  # noqa: BLE001
        return ("check", exc)


def _gather(todo: list, results: dict[int, tuple], work: Work) -> tuple[list[Model], list[Finding]]:
    """Every input's models and findings in input order; the first failure raised as one process raises it:
    a loading error before any checking error (one process loads every input before it checks any)."""
    for phase in ("load", "check"):
        for i in sorted(results):
            if results[i][0] != phase:
                continue
            if len(results[i]) > 1:
                raise results[i][1]
            loaded = work.load(todo[i])  # what failed in a worker fails here again, with its own traceback
            results[i] = ("ok", loaded, work.check(loaded))
    models: list[Model] = []
    findings: list[Finding] = []
    for i in sorted(results):
        models.extend(results[i][1])
        findings.extend(results[i][2])
    return models, engine.finish(findings)


# What travels back from a worker, as tuples (pickled at a third of the cost of the dataclasses): a model
# without its resources' values (what the reports read of it once it is checked: its names, notes and count of
# checked resources; of each resource and data source what ``engine.checks`` asks, for JUnit's list of the
# rule x resource pairs that passed, and the address, for the config's unused ignore entries),
# and the findings, field by field. The parent makes the instances as unpickling does (no __init__ run again:
# the worker made them), since it does so for every resource and finding of every input, alone.
_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


def _whole(what: str, models: list[Model], findings: list[Finding]) -> list[Model]:
    """The models of a unit a worker sends back whole (see ``Work.whole_models``)."""
    if what == "all":
        return models
    if what != "fixes":
        return []
    fixable = {f.input_file for f in findings if f.fixable_in_tf}
    return [m for m in models if m.input_file in fixable]


def _packed_model(model: Model, whole: bool, rules: Sequence[Rule], only_changed: bool) -> tuple:
    if whole:  # the resources as they are (per-rule caches left behind); only the .tf locator stays here
        resources = tuple(replace(r) for r in model.resources)
        return replace(model, resources=resources, plan_locator=None, path_locator=None), None
    rows = tuple(_row(r) for r in model.resources), tuple(_row(r) for r in model.data_sources)
    # counted here, in parallel: in the parent it would make every resource again from its row
    counted = {checked_key(rules, only_changed): checked_resources([model], rules, only_changed)}
    return replace(
        model,
        resources=(),
        data_sources=(),
        plan_locator=None,
        path_locator=None,
        secrets=frozenset(),
        checked_counts=counted,
    ), rows


def _row(resource: Resource) -> tuple:
    change = resource.change
    return resource.address, resource.type, resource.name, resource.module, resource.mode, change and change.actions


def _packed_finding(finding: Finding) -> tuple:
    return tuple([getattr(finding, name) for name in _FINDING_FIELDS])


def _unpacked(result: tuple) -> tuple:
    if result[0] != "ok":
        return (result[0], _refusal(*result[1:])) if len(result) > 1 else result
    models = [model if rows is None else _bare_model(model, *rows) for model, rows in result[1]]
    return "ok", models, [made(Finding, dict(zip(_FINDING_FIELDS, values, strict=False))) for values in result[2]]


def _bare_model(model: Model, resources: tuple, data_sources: tuple) -> Model:
    # read as the tuples they stand for (a Sequence of Resource)
    bare = cast(tuple, _BareResources(resources)), cast(tuple, _BareResources(data_sources))
    return replace(model, resources=bare[0], data_sources=bare[1])


class _BareResources(Sequence):
    """A checked model's resources as the reports read them, made on first use: most reports only count them
    (JUnit lists them), and a command line of many plans has tens of thousands."""

    def __init__(self, rows: tuple) -> None:
        self._rows = rows
        self._made: tuple | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        if self._made is None:
            self._made = tuple(_bare_resource(*row) for row in self._rows)
        return self._made[index]


def _bare_resource(address: str, type_: str, name: str, module: str, mode: str, actions: tuple | None) -> Resource:
    return made(
        Resource,
        {
            **_RESOURCE_DEFAULTS,
            "address": address,
            "type": type_,
            "name": name,
            "values": {},
            "module": module,
            "mode": mode,
            "change": None if actions is None else _bare_change(actions),
            "partial_json": {},
            "_derived": {},
        },
    )


@functools.lru_cache(maxsize=64)
def _bare_change(actions: tuple) -> Change:
    """A change as the reports read it once checked: its actions (a handful of lists, each shared: frozen)."""
    return made(Change, {"actions": actions, "before": None, "replace_paths": (), "action_reason": None})


_RESOURCE_DEFAULTS = {f.name: f.default for f in fields(Resource) if f.default is not MISSING}

"""Several inputs of one command line at once, each loaded and checked in a worker process.

The workers are forked from the command-line process when the pool starts, so
they run the very rules, links, options and loader settings it prepared, custom
rules included: no module is imported again and no user code runs twice.
Each worker takes one unit of ``dynalint.load.input_units`` (a plan, or the
.tf inputs together), runs ``engine.check_models`` on it (inline suppressions
are per input) and sends back its findings and its models stripped to what the
reports read. The parent does what spans inputs, in input order, as one
process would: sorting, unique fingerprints, then (in the command line) the
config's suppressions, the baseline and the report. The output is the same
bytes whatever the number of processes.

A unit that fails in a worker is run again in the parent, so that the error
(its one line, or its traceback with --debug) is the one a single process
gives; loading errors come first, in input order, as when one process loads
every input before it checks any. Where the platform cannot fork (Windows),
inputs are checked one after the other.
"""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from dynalint import engine
from dynalint.load import input_units, load_unit
from dynalint.model import Change, Finding, Model, Resource


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

    def load(self, unit: Sequence[str]) -> list[Model]:
        return [self.prepare(m) for m in load_unit(unit, self.locate, self.source_dir, self.var_files)]

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


def check_inputs(paths: Sequence[str], work: Work, jobs: int,
                 progress: Callable[[str], None] | None = None) -> tuple[list[Model], list[Finding]]:
    """The models and the sorted findings of every input, ``jobs`` worker processes at a time."""
    global _WORK, _UNITS
    from concurrent.futures import ProcessPoolExecutor, as_completed

    todo = units(paths)
    pooled = [i for i, unit in enumerate(todo) if poolable(unit)]
    results: dict[int, tuple] = {}
    _WORK, _UNITS = work, todo
    try:
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(pooled))),
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            # the largest first, so that no big plan starts last and runs alone
            futures = {pool.submit(_run, i): i for i in sorted(pooled, key=lambda i: -_size(todo[i]))}
            for i, unit in enumerate(todo):
                if not poolable(unit):
                    results[i] = _run_here(work, unit)
            for done, future in enumerate(as_completed(futures), 1):
                results[futures[future]] = future.result()
                if progress is not None:
                    progress(f"[{done}/{len(futures)}] checked {' '.join(todo[futures[future]])}")
    finally:
        _WORK, _UNITS = None, []
    return _gather(todo, results, work)


def _size(unit: Sequence[str]) -> int:
    try:
        return sum(os.path.getsize(p) for p in unit if os.path.isfile(p))
    except OSError:
        return 0


def _run(index: int) -> tuple:
    """In a worker: ("ok", models stripped for the reports, findings), or the phase that failed."""
    try:
        models = _WORK.load(_UNITS[index])
    except BaseException:  # noqa: BLE001 - the parent runs the unit again, to fail as one process would
        return ("load",)
    try:
        findings = _WORK.check(models)
    except BaseException:  # noqa: BLE001
        return ("check",)
    return ("ok", [_for_reports(m) for m in models], findings)


def _run_here(work: Work, unit: Sequence[str]) -> tuple:
    """In this process (stdin, read once): as ``_run``, keeping what went wrong to raise in its turn."""
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
            models = work.load(todo[i])  # what failed in a worker fails here again, with its own traceback
            results[i] = ("ok", models, work.check(models))
    models: list[Model] = []
    findings: list[Finding] = []
    for i in sorted(results):
        models.extend(results[i][1])
        findings.extend(results[i][2])
    return models, engine.finish(findings)


def _for_reports(model: Model) -> Model:
    """What the reports read of a model once it is checked: its names and notes, and of each resource what
    ``engine.checks`` asks (JUnit lists the rule x resource pairs that passed); values are left behind."""
    return replace(model, resources=tuple(_bare(r) for r in model.resources), data_sources=(),
                   plan_locator=None, secrets=frozenset())


def _bare(resource: Resource) -> Resource:
    change = resource.change
    return Resource(address=resource.address, type=resource.type, name=resource.name, values={},
                    module=resource.module, mode=resource.mode,
                    change=None if change is None else Change(actions=change.actions, before=None))

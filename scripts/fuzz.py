#!/usr/bin/env python3
"""Fuzz dynalint: generated inputs go through the loader, every rule and every report format.

    python scripts/fuzz.py                          # 10,000 inputs, 2,500 of each kind
    python scripts/fuzz.py --examples 20000 --kinds shapes documents
    python scripts/fuzz.py --seed 7                 # another sequence of inputs

The kinds of input (hypothesis strategies; tests/test_fuzz.py runs a few of each in CI):

- ``shapes``: a real plan (tests/tf, sample_plans, tests/hcl) whose DynamoDB-related resources, of
  every type a rule applies to, get random shapes: keys dropped, nulls, wrong types, strings where
  lists are expected, huge lists, unicode, deep nesting, odd actions, unknown and sensitive markers
  in odd places; and resources of those types made up from nothing.
- ``documents``: a real plan with random JSON put anywhere (configuration, variables,
  prior_state, resource entries), or a real state with the same treatment.
- ``bytes``: a real plan's bytes cut short, with bytes changed, or in another encoding.
- ``tf``: .tf blocks from the test cases with lines dropped, repeated, swapped or cut.

A problem is any of: a loader exception other than InputError; an InputError whose message is not
one line naming the input; a rule that raises (the engine swallows it and stays silent, but a
rule should stay silent on purpose); an exception in the engine or a reporter; a SARIF log the
official schema rejects; a JSON, JUnit or baseline output that does not parse; an exit code of
the command line other than 0, 1, or 2 with one line. Each distinct problem (where, exception,
file:line) is printed once, with the count of inputs that showed it and the smallest of them;
the exit status is 1 when there is any.
"""

from __future__ import annotations

import argparse
import codecs
import copy
import json
import sys
import tempfile
import time
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
SEED_PLANS = sorted(
    [*ROOT.glob("tests/tf/*/plan.json"), *ROOT.glob("sample_plans/*/plan.json"), *ROOT.glob("tests/hcl/*/plan.json")]
)
SEED_TF = sorted(ROOT.glob("tests/tf/*/main.tf"))
SARIF_SCHEMAS = ("sarif-schema-2.1.0.json", "sarif-schema-2.1.0.draft-07.json")
KINDS = ("shapes", "documents", "bytes", "tf")

# Strings that have broken parsers before: empty, control and bidi characters, a lone surrogate
# (valid as a JSON escape), numbers and booleans as text, very long text.
ODD_STRINGS = (
    "",
    " ",
    "\x00",
    "\n",
    "\u202e",
    "\ud800",
    "é",
    "表",
    "🙂",
    "true",
    "false",
    "null",
    "0",
    "-1",
    "1.5",
    "1e400",
    "NaN",
    "*",
    "?",
    "[",
    "{",
    "${var.x}",
    "%",
    "::error::",
    "<x/>",
    "&amp;",
    "`",
    "x" * 10_000,
)


# ---------------------------------------------------------------------- seeds
@cache
def registry():
    from dynalint import engine

    return engine.builtin_registry()


@cache
def rule_types() -> tuple[str, ...]:
    """Every resource type a built-in rule applies to."""
    return tuple(sorted({t for r in registry().rules.values() for t in r.applies}))


@cache
def seed_texts() -> tuple[str, ...]:
    """The real plans the strategies start from, as text (parsed afresh for each input)."""
    return tuple(p.read_text(encoding="utf-8") for p in SEED_PLANS)


@cache
def _seed_docs() -> tuple[dict, ...]:
    return tuple(json.loads(t) for t in seed_texts())


@cache
def vocabulary() -> tuple[tuple[str, ...], tuple[Any, ...], dict[str, tuple[dict, ...]]]:
    """Keys and scalar values met in the seeds, and each rule type's real ``after`` values."""
    keys: set[str] = set()
    scalars: set = set()
    afters: dict[str, list[dict]] = {t: [] for t in rule_types()}
    for doc in _seed_docs():
        for entry in doc.get("resource_changes", []):
            after = entry["change"].get("after")
            if entry["type"] in afters and isinstance(after, dict):
                afters[entry["type"]].append(after)
            for node in _walk(entry["change"]):
                if isinstance(node, dict):
                    keys.update(node)
                elif isinstance(node, (str, int, float)) and not isinstance(node, bool) and len(str(node)) < 200:
                    scalars.add(node)
    return (
        tuple(sorted(keys)),
        tuple(sorted(scalars, key=lambda v: (type(v).__name__, str(v)))),
        {t: tuple(v) for t, v in afters.items()},
    )


def _walk(tree: Any):
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


# ---------------------------------------------------------------------- strategies
# Built once: a strategy is an object hypothesis validates (and describes) when it is first drawn from.
@cache
def _leaves():
    _, scalars, _ = vocabulary()
    return (
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=12)
        | st.sampled_from(ODD_STRINGS)
        | st.sampled_from(scalars)
    )


@cache
def _keys():
    keys, _, _ = vocabulary()
    return st.sampled_from(keys) | st.text(max_size=8)


@cache
def json_values(max_leaves: int = 12):
    """Any JSON value, with the seeds' keys and values mixed in so that rules meet familiar names."""
    return st.recursive(
        _leaves(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys(), inner, max_size=4),
        max_leaves=max_leaves,
    )


MUTATIONS = (
    "delete",
    "null",
    "random",
    "string",
    "wrap",
    "unwrap",
    "huge",
    "deep",
    "number",
    "empty",
    "sensitive",
    "unknown",
)


def _paths(tree: Any) -> list[tuple]:
    """Every path in a JSON tree, the root () first, in a stable order."""
    out, stack = [], [()]
    while stack:
        path = stack.pop()
        out.append(path)
        node = _get(tree, path)
        children = list(node) if isinstance(node, dict) else range(len(node)) if isinstance(node, list) else ()
        stack.extend(path + (c,) for c in reversed(list(children)))
    return out


def _get(tree: Any, path: tuple) -> Any:
    for step in path:
        tree = tree[step]
    return tree


def _set(tree: Any, path: tuple, value: Any) -> Any:
    """``tree`` with the node at ``path`` replaced (the root itself when ``path`` is empty)."""
    if not path:
        return value
    _get(tree, path[:-1])[path[-1]] = value
    return tree


def _mark(markers: Any, path: tuple) -> Any:
    """``after_unknown``/``after_sensitive`` with ``True`` at ``path`` (odd shapes on the way are replaced)."""
    if not path:
        return True
    step, rest = path[0], path[1:]
    if isinstance(step, int):
        node: Any = list(markers) if isinstance(markers, list) else []
        node += [False] * (step + 1 - len(node))
    else:
        node = dict(markers) if isinstance(markers, dict) else {}
    node[step] = _mark(node[step] if isinstance(step, int) or step in node else None, rest)
    return node


@st.composite
def mutated(draw, tree: Any, change: dict | None = None) -> Any:
    """``tree`` with one node changed in one of the MUTATIONS ways (in place, except at the root)."""
    paths = _paths(tree)
    if draw(st.booleans()):  # half the time an attribute or a block, the level rules read most
        paths = [p for p in paths if len(p) <= 2] or paths
    path = paths[draw(st.integers(0, len(paths) - 1))]
    node = _get(tree, path)
    how = draw(st.sampled_from(MUTATIONS))
    if how == "delete" and path:
        parent = _get(tree, path[:-1])
        del parent[path[-1]]
        return tree
    if how in ("sensitive", "unknown") and change is not None:
        key = "after_sensitive" if how == "sensitive" else "after_unknown"
        change[key] = _mark(change.get(key), path)
        return tree
    value = {
        "null": lambda: None,
        "random": lambda: draw(json_values()),
        "string": lambda: draw(st.sampled_from(ODD_STRINGS)) if draw(st.booleans()) else json.dumps(node),
        "wrap": lambda: [node] if draw(st.booleans()) else {"0": node},
        "unwrap": lambda: _unwrapped(node),
        "huge": lambda: _repeated(node) if draw(st.booleans()) else "x" * 200_000,
        "deep": lambda: _nested(node, draw(st.sampled_from((30, 300)))),  # deeper: see broken_bytes
        "number": lambda: draw(st.sampled_from((0, -1, 1.5, 10**30, 1e300, -0.0, "5", True))),
        "empty": lambda: draw(st.sampled_from(({}, [], "", 0))),
    }.get(how, lambda: draw(json_values()))()
    return _set(tree, path, value)


def _unwrapped(node: Any) -> Any:
    """A list's first item or an object's first value, where one is expected and the other found."""
    if isinstance(node, list) and node:
        return node[0]
    return next(iter(node.values()), node) if isinstance(node, dict) else node


def _repeated(node: Any) -> list:
    """A huge list of ``node``: 3,000 copies of a small one, fewer of a big one (about 2 MB of JSON in all).
    Copies, not references: a later mutation inside one must not grow all of them."""
    return [copy.deepcopy(node) for _ in range(min(3000, max(2, 2_000_000 // len(json.dumps(node)))))]


def _nested(value: Any, depth: int) -> Any:
    for i in range(depth):
        value = [value] if i % 2 else {"a": value}
    return value


@st.composite
def shaped_plans(draw) -> tuple[dict, list[str]]:
    """A real plan, some of its DynamoDB-related resources given random shapes; and their addresses."""
    _, _, afters = vocabulary()
    texts = seed_texts()
    doc = json.loads(texts[draw(st.integers(0, len(texts) - 1))])
    changes = doc.setdefault("resource_changes", [])
    ours = [i for i, e in enumerate(changes) if e.get("type") in rule_types()]
    touched = []
    for _ in range(draw(st.integers(1, 6))):
        if not ours or draw(st.integers(0, 4)) == 0:
            changes.append(draw(made_up_resource(afters)))
            ours.append(len(changes) - 1)
        entry = changes[draw(st.sampled_from(ours))]
        part = draw(
            st.sampled_from(
                (
                    "after",
                    "after",
                    "after",
                    "before",
                    "after_unknown",
                    "after_sensitive",
                    "before_sensitive",
                    "actions",
                    "replace_paths",
                    "change",
                    "entry",
                )
            )
        )
        if part == "entry":
            field = draw(st.sampled_from(("index", "module_address", "name", "mode", "action_reason", "address")))
            entry[field] = draw(json_values(4) | st.sampled_from(ODD_STRINGS))
            if field == "address" and not isinstance(entry["address"], str):
                entry["address"] = str(entry["address"])
        elif part == "change":
            entry["change"] = draw(mutated(entry.get("change"), None))
        else:
            if not isinstance(entry.get("change"), dict):
                entry["change"] = {}
            change = entry["change"]
            change[part] = draw(mutated(change.get(part), change if part == "after" else None))
        touched.append(str(entry.get("address")))
    if draw(st.booleans()):
        draw(st.randoms(use_true_random=False)).shuffle(changes)
    return doc, touched


@st.composite
def made_up_resource(draw, afters: dict) -> dict:
    """A resource of a rule type with values drawn from nothing, or from a real one of its type."""
    rtype = draw(st.sampled_from(rule_types()))
    name = draw(st.sampled_from(("fuzz", "é", "x" * 200, "0", "a-b")))
    real = afters.get(rtype) or ({},)
    after = (
        copy.deepcopy(real[draw(st.integers(0, len(real) - 1))])
        if draw(st.booleans())
        else draw(st.dictionaries(_keys(), json_values(), max_size=10))
    )
    actions = draw(
        st.sampled_from(
            (
                ["create"],
                ["update"],
                ["delete"],
                ["no-op"],
                ["delete", "create"],
                ["create", "delete"],
                ["read"],
                [],
                ["bogus"],
            )
        )
    )
    before = copy.deepcopy(after) if "create" not in actions else None
    address = f"{rtype}.{name}"
    return {
        "address": address,
        "mode": "managed",
        "type": rtype,
        "name": name,
        "change": {
            "actions": actions,
            "before": before,
            "after": None if actions == ["delete"] else after,
            "after_unknown": {},
        },
    }


@st.composite
def broken_documents(draw) -> dict:
    """A real plan (or its planned values as a state) with random JSON put at any place in it."""
    texts = seed_texts()
    doc = json.loads(texts[draw(st.integers(0, len(texts) - 1))])
    if draw(st.integers(0, 3)) == 0:  # as a state: values instead of planned changes
        doc = {
            "format_version": doc.get("format_version"),
            "terraform_version": doc.get("terraform_version"),
            "values": doc.get("planned_values"),
        }
    for _ in range(draw(st.integers(1, 3))):
        doc = draw(mutated(doc))
    return doc


@st.composite
def broken_bytes(draw) -> bytes:
    """A real plan's bytes, cut, changed, or encoded in another way."""
    texts = seed_texts()
    text = texts[draw(st.integers(0, len(texts) - 1))]
    how = draw(st.sampled_from(("cut", "flip", "insert", "encode", "bom-twice", "nul", "deep")))
    data = text.encode("utf-8")
    if how == "deep":  # a value nested past Python's recursion limit, after an object's opening brace
        at = text.find("{", draw(st.integers(0, len(text) - 1))) + 1 or 1
        depth = draw(st.sampled_from((900, 1000, 5000, 100_000)))
        comma = "" if text[at:].lstrip().startswith("}") else ","
        return (text[:at] + '"deep":' + "[" * depth + "]" * depth + comma + text[at:]).encode("utf-8")
    if how == "cut":
        return data[: draw(st.integers(0, len(data)))]
    if how == "flip":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    if how == "insert":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    if how == "encode":
        codec = draw(st.sampled_from(("utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1")))
        return text.encode(codec, errors="replace")
    if how == "bom-twice":
        return codecs.BOM_UTF8 * 2 + data
    return data.replace(b",", b"\x00", draw(st.integers(1, 3)))


@cache
def tf_blocks() -> tuple[str, ...]:
    """The top-level blocks of the .tf test cases, each as text."""
    blocks = []
    for path in SEED_TF:
        current: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            current.append(line)
            if line.startswith("}"):
                blocks.append("".join(current))
                current = []
    return tuple(blocks)


@st.composite
def broken_tf(draw) -> str:
    """One to three real .tf blocks with lines dropped, repeated, swapped, changed or cut."""
    blocks = tf_blocks()
    lines = "".join(blocks[draw(st.integers(0, len(blocks) - 1))] for _ in range(draw(st.integers(1, 3))))
    lines = lines.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(("drop", "repeat", "swap", "change", "cut")))
        if how == "drop":
            del lines[at]
        elif how == "repeat":
            lines.insert(at, lines[at])
        elif how == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif how == "change":
            column = draw(st.integers(0, len(lines[at])))
            lines[at] = (
                lines[at][:column] + draw(st.text(max_size=6) | st.sampled_from(ODD_STRINGS[:20])) + lines[at][column:]
            )
        else:
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
            del lines[at + 1 :]
    return "".join(lines)


# ---------------------------------------------------------------------- checking one input
@dataclass(frozen=True)
class Problem:
    """Something that broke: in which stage (or rule), the exception, and the innermost dynalint line."""

    where: str
    error: str
    at: str
    detail: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.where, self.error, self.at


def _problem(where: str, exc: BaseException, detail: str = "") -> Problem:
    """The exception's innermost line in dynalint (the rule's own line first, where a rule raised)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/rules/" in f.filename] or [f for f in frames if "/dynalint/" in f.filename]
    frame = (ours or frames or [None])[-1]
    at = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
    return Problem(where, f"{type(exc).__name__}: {str(exc)[:120]}", at, detail)


def problems_of_bytes(data: bytes, name: str = "plan.json") -> list[Problem]:
    """Load plan/state bytes, lint with every rule, render every format; what broke on the way."""
    from dynalint.errors import InputError
    from dynalint.load import load_bytes

    try:
        model = load_bytes(data, name)
    except InputError as exc:
        return _bad_message(exc, name)
    except Exception as exc:  # noqa: BLE001 - what the fuzzer looks for
        return [_problem("load", exc)]
    return problems_of_models([model])


def problems_of_tf(text: str) -> list[Problem]:
    """The same for a directory holding one main.tf with ``text``."""
    from dynalint.errors import InputError
    from dynalint.load.hcl.loader import load_tf_inputs

    with tempfile.TemporaryDirectory(prefix="dynalint-fuzz-") as tmp:
        Path(tmp, "main.tf").write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            models = load_tf_inputs([tmp])
        except InputError as exc:
            return _bad_message(exc, tmp)
        except Exception as exc:  # noqa: BLE001
            return [_problem("load .tf", exc)]
        return problems_of_models(models)


def _bad_message(exc: Exception, name: str) -> list[Problem]:
    message = str(exc)
    if "\n" in message or not message.startswith(name) or "Traceback" in message:
        return [Problem("load", "InputError not one line naming the input", "", message[:200])]
    return []


def problems_of_models(models: list) -> list[Problem]:
    from dynalint import engine
    from dynalint.report import FORMATS, Report, render

    crashes: list[Problem] = []
    rules = [_watched(r, crashes) for r in registry().sorted()]
    try:
        findings = engine.run(models, rules, registry().links)
    except Exception as exc:  # noqa: BLE001
        return crashes + [_problem("engine", exc)]
    problems = crashes
    report = Report(findings=findings, rules=rules, models=models, show_suppressed=True)
    for fmt in FORMATS:
        try:
            text = render(fmt, report)
        except Exception as exc:  # noqa: BLE001
            problems.append(_problem(f"report {fmt}", exc))
            continue
        problems += _parse_problems(fmt, text)
    problems += _baseline_problems(findings)
    if engine.exit_code(findings, "error") not in (0, 1):
        problems.append(Problem("exit code", "not 0 or 1", ""))
    return problems


def _watched(rule, crashes: list[Problem]):
    """The rule, with every exception of its check recorded (the engine swallows them)."""

    def check(resource, ctx):
        try:
            result = rule.check(resource, ctx)
            return None if result is None else list(result)
        except Exception as exc:
            values = json.dumps(resource.values, default=repr, ensure_ascii=True)[:300]
            crashes.append(_problem(f"rule {rule.id}", exc, f"{resource.type}: {values}"))
            raise

    return replace(rule, check=check)


def _parse_problems(fmt: str, text: str) -> list[Problem]:
    try:
        if fmt == "sarif":
            log = json.loads(text)
            for validator in sarif_validators():
                error = next(validator.iter_errors(_without_rules(log)), None)
                if error is not None:
                    return [Problem("sarif schema", error.message[:160], "/".join(map(str, error.absolute_path)))]
        elif fmt == "json":
            json.loads(text)
        elif fmt == "junit":
            ET.fromstring(text.encode("utf-8"))
    except Exception as exc:  # noqa: BLE001
        return [_problem(f"parse {fmt}", exc)]
    return []


def _baseline_problems(findings) -> list[Problem]:
    from dynalint import baseline

    try:
        json.loads(baseline.dumps(findings))
    except Exception as exc:  # noqa: BLE001
        return [_problem("baseline", exc)]
    return []


def _without_rules(log: dict) -> dict:
    """The log without its rule descriptors: they do not depend on the input and are checked once, in full."""
    log = dict(log)
    log["runs"] = [{**run, "tool": {"driver": {**run["tool"]["driver"], "rules": []}}} for run in log["runs"]]
    return log


@cache
def sarif_validators() -> tuple:
    import jsonschema

    found = []
    for name in SARIF_SCHEMAS:
        shared = ROOT.parent / "shared" / "schemas" / name
        schema = json.loads((shared if shared.exists() else ROOT / "tests" / "data" / name).read_text())
        found.append(jsonschema.validators.validator_for(schema)(schema))
    return tuple(found)


def problems_of_cli(data: bytes) -> list[Problem]:
    """The command line on stdin: exit 0 or 1 with a SARIF log, or exit 2 with one line (never an internal error)."""
    from click.testing import CliRunner

    from dynalint.cli import main

    result = CliRunner().invoke(main, ["-", "-f", "sarif", "--no-config"], input=data)
    if result.exit_code in (0, 1):
        return _parse_problems("sarif", result.stdout)
    lines = result.stderr.strip().splitlines()
    if result.exit_code != 2 or len(lines) != 1 or "internal error" in lines[0]:
        return [Problem("cli", f"exit {result.exit_code}", "", result.stderr[-300:] or repr(result.exception))]
    return []


# ---------------------------------------------------------------------- the run
def _inputs(kind: str):
    """(strategy, function that checks one drawn input and returns its problems) for a kind."""
    if kind == "shapes":
        return shaped_plans(), lambda drawn: _problems_of_json(dumps(drawn[0]))
    if kind == "documents":
        return broken_documents(), lambda doc: _problems_of_json(dumps(doc))
    if kind == "bytes":
        return broken_bytes(), _problems_of_json
    return broken_tf(), problems_of_tf


def _problems_of_json(data: bytes) -> list[Problem]:
    """In process (every rule, every format), then through the command line (what it writes, its exit code)."""
    return problems_of_bytes(data) + problems_of_cli(data)


def _size(drawn: Any) -> int:
    """How big an input is: its length, or the count of nodes in its JSON tree (a shaped plan: in its document)."""
    if isinstance(drawn, tuple):
        return _size(drawn[0])
    return len(drawn) if isinstance(drawn, (str, bytes)) else sum(1 for _ in _walk(drawn))


def dumps(doc: Any) -> bytes:
    """UTF-8 JSON; escapes only where a string holds a lone surrogate, which UTF-8 cannot carry."""
    try:
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(doc).encode("ascii")


def fuzz(kind: str, examples: int, seed_value: int, found: dict, progress: Callable[[str], None]) -> int:
    """Run ``examples`` inputs of one kind; record each distinct problem in ``found``; return the count run."""
    strategy, check = _inputs(kind)
    count = 0

    @seed(seed_value)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(drawn):
        nonlocal count
        count += 1
        try:
            problems = check(drawn)
        except Exception as exc:  # noqa: BLE001 - the harness itself: reported, and the run goes on
            problems = [_problem("harness", exc)]
        _forget_caches()
        for problem in problems:
            seen = found.setdefault((kind, *problem.key), [0, problem, drawn])
            seen[0] += 1
            if _size(drawn) < _size(seen[2]):
                seen[2] = drawn
        if count % 500 == 0:
            progress(f"{kind}: {count} inputs, {len(found)} distinct problems so far")

    run()
    return count


def _forget_caches() -> None:
    """Empty dynalint's caches (parsed addresses, policies): one run reads one plan, a fuzz run thousands."""
    for name, module in list(sys.modules.items()):
        if name.startswith("dynalint"):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", "") == name:
                    value.cache_clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="inputs in all (split among the kinds)")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("dynalint").setLevel(logging.CRITICAL)  # the rules' crashes are counted, not logged
    sarif_validators()[0].validate(json.loads(_full_sarif()))
    found: dict = {}
    start, total = time.monotonic(), 0
    each = -(-args.examples // len(args.kinds))
    for kind in args.kinds:
        total += fuzz(kind, each, args.seed, found, lambda text: print(text, file=sys.stderr, flush=True))
    print(
        f"{total} inputs ({', '.join(args.kinds)}) in {time.monotonic() - start:.0f} s: "
        f"{len(found)} distinct problem(s)"
    )
    for (kind, *_), (count, problem, drawn) in sorted(found.items(), key=lambda item: -item[1][0]):
        print(f"\n[{kind}] {problem.where}: {problem.error} at {problem.at} ({count} input(s))")
        if problem.detail:
            print(f"  {problem.detail}")
        print(f"  smallest input: {_shown(kind, drawn)}")
    return 1 if found else 0


def _full_sarif() -> str:
    from dynalint.report import Report, render

    return render("sarif", Report(findings=[], rules=registry().sorted(), models=[]))


def _shown(kind: str, drawn: Any) -> str:
    if kind == "shapes":
        doc, touched = drawn
        entries = [e for e in doc.get("resource_changes", []) if str(e.get("address")) in touched]
        return json.dumps(entries, default=repr)[:600]
    return repr(drawn)[:600]


if __name__ == "__main__":
    sys.exit(main())

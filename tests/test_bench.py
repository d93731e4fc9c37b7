"""The benchmark's tools (bench/): the plan generator and the runner, kept small and fast."""

from __future__ import annotations

import collections
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dynalint.load import load_bytes

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


gen_plan = _module("gen_plan")


@pytest.fixture(scope="module")
def plan10() -> dict:
    return gen_plan.generate(10, seed=0)


def _changes(plan: dict, type_: str | None = None) -> list[dict]:
    return [r for r in plan["resource_changes"] if type_ is None or r["type"] == type_]


def test_same_arguments_same_bytes():
    first = gen_plan.dumps(gen_plan.generate(12, seed=3))
    assert first == gen_plan.dumps(gen_plan.generate(12, seed=3))
    assert first != gen_plan.dumps(gen_plan.generate(12, seed=4))
    from_cli = subprocess.run(
        [sys.executable, str(BENCH / "gen_plan.py"), "--tables", "12", "--seed", "3"], capture_output=True, check=True
    ).stdout
    assert from_cli == first


def test_compact_json_as_terraform_writes_it(plan10):
    text = gen_plan.dumps(plan10)
    assert text.startswith(b'{"format_version":"1.2","terraform_version":"1.11.4","variables":')
    assert b'"planned_values":{"outputs":{' in text and b'"resource_changes":[{"address":' in text
    assert text.endswith(b"}\n") and text.count(b"\n") == 1


def test_the_plan_loads_with_dynalints_loader(plan10):
    model = load_bytes(gen_plan.dumps(plan10), "plan.json")
    assert model.input_kind == "plan" and not model.warnings
    assert len(model.resources) == len(plan10["resource_changes"])
    types = {r.type for r in model.resources}
    assert {
        "aws_dynamodb_table",
        "aws_appautoscaling_target",
        "aws_appautoscaling_policy",
        "aws_cloudwatch_metric_alarm",
        "aws_kms_key",
        "aws_iam_policy",
        "aws_lambda_event_source_mapping",
        "aws_dax_cluster",
        "aws_dynamodb_contributor_insights",
    } <= types
    by_address = {r.address: r for r in model.resources}
    # The shard module's consumer gets its function through a module variable: the configuration must be
    # coherent enough for the loader to follow var.consumer_arn back to the root Lambda function.
    mapping = by_address["module.shard_t000[0].aws_lambda_event_source_mapping.this"]
    assert ("function_name", "aws_lambda_function.consumer_t000") in mapping.references
    assert ("event_source_arn", "module.shard_t000[0].aws_dynamodb_table.this") in mapping.references


def test_resource_counts_scale_with_the_table_count(plan10):
    plan40 = gen_plan.generate(40, seed=0)
    teams = 2
    tables10, tables40 = len(_changes(plan10, "aws_dynamodb_table")), len(_changes(plan40, "aws_dynamodb_table"))
    assert 10 <= tables10 <= 10 + 1 and 40 <= tables40 <= 40 + teams  # a shard past its count may be deleted
    ratio = len(_changes(plan40)) / len(_changes(plan10))
    assert 3.0 <= ratio <= 5.0
    assert len(plan40["configuration"]["root_module"]["module_calls"]) == 2 * teams


def test_mixed_actions_as_in_a_working_days_plan():
    plan = gen_plan.generate(60, seed=0)
    actions = collections.Counter(tuple(r["change"]["actions"]) for r in _changes(plan))
    assert {("no-op",), ("create",), ("update",), ("delete",), ("delete", "create")} <= set(actions)
    assert actions[("no-op",)] > sum(actions.values()) / 2
    replaced = [r for r in _changes(plan) if r["change"]["actions"] == ["delete", "create"]]
    assert all(r["change"]["replace_paths"] and r["action_reason"] == "replace_because_cannot_update" for r in replaced)
    reasons = {r.get("action_reason") for r in _changes(plan) if r["change"]["actions"] == ["delete"]}
    assert "delete_because_no_resource_config" in reasons
    created = [r for r in _changes(plan) if r["change"]["actions"] == ["create"]]
    assert all(r["change"]["before"] is None and r["change"]["after_unknown"] for r in created)
    indexes = {type(r["index"]) for r in _changes(plan) if "index" in r}
    assert indexes == {int, str}  # count and for_each instances


def test_deleted_resources_leave_the_configuration_and_the_planned_values():
    plan = gen_plan.generate(60, seed=0)
    configured = {b["address"] for b in plan["configuration"]["root_module"]["resources"]}
    planned = {r["address"] for r in plan["planned_values"]["root_module"]["resources"]}
    root_deleted = [
        r["address"] for r in _changes(plan) if r["change"]["actions"] == ["delete"] and "module_address" not in r
    ]
    assert root_deleted
    assert not set(root_deleted) & (configured | planned)


def test_run_py_end_to_end_on_the_smallest_plan(tmp_path):
    markdown, raw = tmp_path / "results.md", tmp_path / "results.json"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--sizes",
            "10",
            "--runs",
            "1",
            "--no-checkov",
            "--seeds",
            "1,7",
            "--generators",
            "ours",
            "--many",
            "2",
            "--many-tables",
            "10",
            "--many-runs",
            "1",
            "--out",
            str(tmp_path),
            "--markdown",
            str(markdown),
            "--json",
            str(raw),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "sarif / parse" in done.stdout and "text / parse" in done.stdout and "Worst plan per size" in done.stdout
    assert len(list(tmp_path.glob("plan-ours-10-seed1-*.json"))) == 1
    assert len(list(tmp_path.glob("plan-ours-10-seed7-*.json"))) == 1
    result = json.loads(raw.read_text())
    assert [(r["generator"], r["seed"]) for r in result["rows"]] == [("ours", 1), ("ours", 7)]
    for row in result["rows"]:
        assert row["tables"] == 10 and row["resources"] > 10
        for name in ("sarif", "text", "parse"):
            samples = row["series"][name]["samples"]
            assert len(samples) == 1 and samples[0]["code"] == 0 and samples[0]["wall"] > 0
            assert samples[0]["rss_kb"] > 0
    many = result["many"]
    assert many["plans"] == 2 and many["jobs"] == 2
    assert all(len(many["series"][name]["samples"]) == 1 for name in ("one", "jobs"))
    text = markdown.read_text()
    assert "| ours | 1 | 10 |" in text and "2 plans of 10 tables in one command line" in text


def test_run_py_summary_quotes_the_worst_plan_of_each_size():
    run_py = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    run = importlib.util.module_from_spec(run_py)
    sys.modules[run_py.name] = run
    run_py.loader.exec_module(run)

    def row(generator, seed, tables, sarif, parse, rss_kb=1000):
        series = {
            "sarif": run.Series([run.Sample(w, rss_kb, 0) for w in sarif]),
            "parse": run.Series([run.Sample(w, 1, 0) for w in parse]),
        }
        return run.Row(generator, seed, tables, "p", 1000 * 1024, 10, series)

    rows = [
        row("ours", 1, 100, [1.0, 1.0, 1.0], [0.5, 0.5, 0.5]),
        row("shared", 7, 100, [1.5, 3.0, 1.5], [0.5, 1.0, 0.5], rss_kb=4000),  # paired: 3.0x each turn
        row("ours", 1, 1000, [9.0, 9.0, 9.0], [4.0, 4.0, 4.0]),
        row("shared", 7, 1000, [16.0, 16.0, 16.0], [4.0, 4.0, 4.0]),
    ]
    small, large = run.summary_rows(rows)
    assert small[2] == "3.00x (shared seed 7)"  # not the best plan's 2.00x
    assert small[5] == "4.00x (shared seed 7)"
    assert large[2] == "4.00x (shared seed 7)" and large[4] == "16.00 s (shared seed 7)"
    assert large[7] == "10.67x (shared seed 7) for 10x the tables"  # 16.0 / 1.5


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in kilobytes, and vfork's charge, are Linux's")
def test_run_py_reports_the_memory_of_the_command_not_of_itself():
    # a child made by vfork or posix_spawn is charged this process's peak (Linux's ru_maxrss): the peak a plan read
    # here once made would be the dynalint run's after it
    run = _module("run")
    held = bytearray(300 * 2**20)
    held[:: 2**12] = b"x" * len(held[:: 2**12])  # resident, page by page
    del held
    sample = run.run_once([sys.executable, "-c", "pass"])
    # a forked child starts from this process's memory as it is now (the test suite's, freed pages aside)
    now_kb = next(int(line.split()[1]) for line in Path("/proc/self/status").open() if line.startswith("VmRSS:"))
    assert sample.code == 0 and 0 < sample.rss_kb < now_kb + 150 * 2**10


def test_run_py_sums_states_up_apart_from_plans():
    run = _module("run")

    def row(generator, tables, sarif, parse):
        series = {"sarif": run.Series([run.Sample(sarif, 1000, 0)]), "parse": run.Series([run.Sample(parse, 1, 0)])}
        return run.Row(generator, 1, tables, "p", 1000 * 1024, 10, series)

    rows = [row("shared", 1000, 2.0, 1.0), row("shared-indented", 1000, 2.2, 1.0), row("shared-state", 1000, 4.0, 1.0)]
    plans, states = run.summary_rows(rows)
    assert plans[0] == "1,000" and plans[1] == "2" and plans[2] == "2.20x (shared-indented seed 1)"
    assert states[0] == "1,000 (state)" and states[1] == "1" and states[2] == "4.00x (shared-state seed 1)"


@pytest.mark.skipif(not (ROOT.parent / "shared" / "bench" / "gen_plan.py").is_file(), reason="no shared generator")
@pytest.mark.parametrize("variant", ["shared-state", "shared-indented"])
def test_run_py_writes_the_shared_generators_other_shapes(tmp_path, variant):
    run = _module("run")
    document = run.ensure_plan(tmp_path, variant, 3, 1, sys.executable)
    doc = json.loads(document.read_bytes())
    assert ("resource_changes" not in doc) == (variant == "shared-state")
    assert (b"\n  " in document.read_bytes()) == (variant == "shared-indented")
    plan = run.ensure_plan(tmp_path, "shared", 3, 1, sys.executable)
    assert run.count_resources(document) == run.count_resources(plan) > 3  # the same resources, however written


def test_the_tf_tree_generator_writes_what_dynalint_reads(tmp_path):
    # the .tf counterpart of gen_plan.py (bench/README.md times `dynalint TREE` with it); no timing here
    from dynalint.load import load_inputs

    gen_tf = _module("gen_tf")
    declared = gen_tf.write(tmp_path, 90)
    [model] = load_inputs([str(tmp_path)])
    assert declared == len(model.resources) == 90 + 22
    assert len(list(tmp_path.glob("tables_*.tf"))) == 2
    tables = [r for r in model.resources if r.type == "aws_dynamodb_table"]
    assert tables[0].values["tags"] == {"Team": "data", "Env": "prod", "Index": "0"}

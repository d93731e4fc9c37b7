"""A YAML rule's ``matches`` is searched within a time budget (dynalint.regex_budget): a rules file and the
values it reads may both come with a pull request, and a regular expression that backtracks must fail the
run (DL000 on the resource), not hang it."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading

import pytest

from dynalint import regex_budget

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no timer signal: no budget (Windows)")

RULES = """\
rules:
  - id: ACME001
    level: warning
    summary: Table names are lower case.
    message: "{{label}} has a name that is not lower case"
    resource_types: [aws_dynamodb_table]
    require:
      attribute: name
      matches: '{pattern}'
"""


def _lint(tmp_path, pattern: str, name: str) -> subprocess.CompletedProcess:
    table = {
        "address": "aws_dynamodb_table.t",
        "mode": "managed",
        "type": "aws_dynamodb_table",
        "name": "t",
        "values": {"name": name, "billing_mode": "PAY_PER_REQUEST", "hash_key": "pk"},
    }
    (tmp_path / "state.json").write_text(
        json.dumps({"format_version": "1.0", "values": {"root_module": {"resources": [table]}}})
    )
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "house.yaml").write_text(RULES.format(pattern=pattern))
    (tmp_path / ".dynalint.yaml").write_text("rules_dirs: [rules]\n")
    return subprocess.run(
        [sys.executable, "-m", "dynalint", "state.json", "-f", "json", "--select", "ACME001,DL000"],
        capture_output=True,
        timeout=120,  # a hang detector: the budget ends the search after seconds
        cwd=tmp_path,
    )


def test_a_regular_expression_that_backtracks_fails_the_rule_on_the_resource(tmp_path):
    done = _lint(tmp_path, "^(a+)+$", "a" * 40 + "B")
    assert done.returncode == 1, done.stderr
    [failure] = json.loads(done.stdout)["findings"]
    assert failure["rule_id"] == "DL000" and failure["level"] == "error"
    assert "ACME001" in failure["message"] and "took longer than" in failure["message"]


def test_a_regular_expression_that_ends_in_time_judges_as_before(tmp_path):
    done = _lint(tmp_path, "^[a-z]+$", "a" * 40 + "B")
    assert done.returncode == 0, done.stderr  # a warning: under the default --fail-on error
    [finding] = json.loads(done.stdout)["findings"]
    assert finding["rule_id"] == "ACME001"


def test_the_callers_timer_and_handler_go_on_after_a_search():
    fired = []

    def handler(*_):
        fired.append(True)

    previous = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        assert regex_budget.search(re.compile("b"), "abc") is not None
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < remaining <= 30 and not fired
        assert signal.getsignal(signal.SIGALRM) is handler
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_the_search_runs_without_a_budget():
    found = []
    worker = threading.Thread(target=lambda: found.append(regex_budget.search(re.compile("b"), "abc")))
    worker.start()
    worker.join()
    assert found and found[0] is not None


def _state(names: list[str]) -> dict:
    tables = [
        {
            "address": f"aws_dynamodb_table.t{i}",
            "mode": "managed",
            "type": "aws_dynamodb_table",
            "name": f"t{i}",
            "values": {"name": name, "billing_mode": "PAY_PER_REQUEST", "hash_key": "pk"},
        }
        for i, name in enumerate(names)
    ]
    return {"format_version": "1.0", "values": {"root_module": {"resources": tables}}}


def test_slow_searches_that_add_up_refuse_the_input(tmp_path, monkeypatch):
    # each search stops after SECONDS, but one on each of a thousand tables took half an hour: the searches of
    # an input together stop after TOTAL, and the input is refused (exit 2). Budgets made small here.
    from click.testing import CliRunner

    from dynalint.cli import main

    monkeypatch.setattr(regex_budget, "SECONDS", 0.2)
    monkeypatch.setattr(regex_budget, "TOTAL", 0.5)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "house.yaml").write_text(RULES.format(pattern="^(a+)+$"))
    monkeypatch.chdir(tmp_path)
    args = ["--no-config", "--rules-dir", "rules", "-f", "json", "--select", "ACME001,DL000"]
    (tmp_path / "many.json").write_text(json.dumps(_state(["a" * 40 + "B"] * 6)))
    refused = CliRunner().invoke(main, ["many.json", *args])
    assert refused.exit_code == 2 and refused.stdout == ""
    [line] = refused.stderr.splitlines()
    assert line == (
        "dynalint: error: many.json: the regular expressions of YAML rules searched its values for more than "
        "0.5 s in all (the last: '^(a+)+$'): write ones that cannot backtrack that long"
    )
    (tmp_path / "one.json").write_text(json.dumps(_state(["a" * 40 + "B"])))
    failed = CliRunner().invoke(main, ["one.json", *args])  # one slow search: the rule fails on the resource
    assert failed.exit_code == 1 and [f["rule_id"] for f in json.loads(failed.stdout)["findings"]] == ["DL000"]
    for name in ("two.json", "two-more.json"):  # 0.4 s each: each input has a budget of its own
        (tmp_path / name).write_text(json.dumps(_state(["a" * 40 + "B"] * 2)))
    both = CliRunner().invoke(main, ["two.json", "two-more.json", *args])
    assert both.exit_code == 1 and [f["rule_id"] for f in json.loads(both.stdout)["findings"]] == ["DL000"] * 4

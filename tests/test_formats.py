"""CI formats (junit, github, markdown) and the terminal's summaries (--quiet, --statistics, progress)."""

import json
import os
import pty
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from dynalint import cli, engine
from dynalint.cli import main
from dynalint.model import Finding, Level, Source, Suppression, fingerprint
from dynalint.report import Report, render
from dynalint.report.escape import one_line, workflow_data, workflow_property
from dynalint.report.markdown import MARKER, MAX_CHARS
from helpers import ROOT, SAMPLES

WORKFLOW = "tests/tf/workflow/plan.json"
ENCRYPTION = "tests/tf/encryption/plan.json"
GOOD = str(SAMPLES / "good" / "plan.json")
RULES = engine.builtin_registry().sorted()


@pytest.fixture(autouse=True)
def at_repository_root(monkeypatch):
    """Paths relative to the repository root, as in a CI checkout; no config file there."""
    monkeypatch.chdir(ROOT)


def run(*args):
    return CliRunner().invoke(main, [*args, "--no-config"], catch_exceptions=False)


def json_findings(*args) -> list[dict]:
    return json.loads(run(*args, "-f", "json").stdout)["findings"]


def finding(message: str, address: str = "aws_dynamodb_table.t", rule_id: str = "DDB101", **kwargs) -> Finding:
    """A finding built by hand, for reporter edge cases no plan can hold (control characters, sheer count)."""
    return Finding(
        rule_id=rule_id,
        level=kwargs.pop("level", Level.ERROR),
        address=address,
        message=message,
        resource_type="aws_dynamodb_table",
        fingerprint=fingerprint(rule_id, address, None),
        input_file="plan.json",
        **kwargs,
    )


def test_counts_put_each_finding_in_one_bucket_suppression_first():
    """Report.counts (one pass): active findings per level, errors first; a suppressed finding counts as
    suppressed whatever its baseline state; a baselined one ("unchanged") as baselined only."""
    reason = Suppression("inSource", "why")
    findings = [
        finding("a", level=Level.NOTE),
        finding("b", level=Level.ERROR, baseline_state="new"),
        finding("c", level=Level.ERROR, baseline_state="unchanged"),
        finding("d", level=Level.WARNING, suppression=reason, baseline_state="unchanged"),
        finding("e", level=Level.WARNING, suppression=reason),
    ]
    counts = Report(findings=findings, rules=[]).counts()
    assert list(counts.items()) == [("error", 1), ("warning", 0), ("note", 1), ("suppressed", 2), ("baselined", 1)]


# ---------------------------------------------------------------- junit
def junit(*args) -> ET.Element:
    return ET.fromstring(run(*args, "-f", "junit").stdout.encode())


def test_junit_is_valid_xml_with_consistent_counts():
    root = junit(WORKFLOW)
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    for element in (root, suite):
        assert int(element.get("tests")) == len(cases)
        assert int(element.get("failures")) == len(failed)
        assert element.get("errors") == "0" and element.get("skipped") == "0"
    assert suite.get("name") == WORKFLOW


def test_junit_one_testcase_per_rule_and_resource_failures_for_findings():
    root = junit(WORKFLOW)
    cases = root.findall("testsuite/testcase")
    keys = [(c.get("classname"), c.get("name").split()[0]) for c in cases]
    assert len(keys) == len(set(keys))  # one per rule x resource
    failed = {(c.get("classname"), c.get("name").split()[0]) for c in cases if c.find("failure") is not None}
    assert failed == {(f["address"], f["rule_id"]) for f in json_findings(WORKFLOW)}
    # the table with backups passes DDB101: a testcase with nothing in it
    [good] = [
        c for c in cases if (c.get("classname"), c.get("name").split()[0]) == ("aws_dynamodb_table.good", "DDB101")
    ]
    assert len(good) == 0
    # a deleted table is shown to change rules only
    doomed = {name for classname, name in keys if classname == "aws_dynamodb_table.doomed"}
    assert "DDB104" in doomed and "DDB101" not in doomed


def test_junit_failure_carries_level_message_and_location():
    [case] = [
        c
        for c in junit(WORKFLOW).iter("testcase")
        if c.get("classname") == "aws_dynamodb_table.fresh" and c.get("name") == "DDB201 sse-not-customer-managed"
    ]
    failure = case.find("failure")
    assert failure.get("type") == "warning"
    assert "Table 'fresh'" in failure.get("message") and "server_side_encryption" in failure.text
    [expected] = [
        f["location"]
        for f in json_findings(WORKFLOW)
        if (f["address"], f["rule_id"]) == ("aws_dynamodb_table.fresh", "DDB201")
    ]
    assert (case.get("file"), case.get("line")) == (expected["file"], str(expected["line"]))


def test_junit_changed_only_lists_no_untouched_resource():
    classnames = {c.get("classname") for c in junit(WORKFLOW, "--changed-only").iter("testcase")}
    assert "aws_dynamodb_table.fresh" in classnames
    assert "aws_dynamodb_table.legacy" not in classnames and "aws_dynamodb_table.good" not in classnames


def test_junit_suppressed_and_baselined_are_skipped(tmp_path):
    base = tmp_path / "b.json"
    run(WORKFLOW, "--select", "DDB101", "--write-baseline", str(base))
    root = junit(WORKFLOW, "--select", "DDB101", "--baseline", str(base))
    assert root.get("failures") == "0" and int(root.get("skipped")) == len(
        json_findings(WORKFLOW, "--select", "DDB101")
    )
    assert {s.get("message") for s in root.iter("skipped")} == {"in the baseline"}


def test_junit_survives_characters_xml_cannot_hold():
    bad = finding("Table 'a\x00b\x1b[31m' & <friends>", suppression=None)
    text = render("junit", Report(findings=[bad], rules=RULES))
    failure = ET.fromstring(text.encode()).find("testsuite/testcase/failure")
    assert failure.get("message") == "Table 'a\\x00b\\x1b[31m' & <friends>"  # visible escapes, XML-escaped


def test_junit_is_deterministic():
    assert run(WORKFLOW, "-f", "junit").stdout == run(WORKFLOW, "-f", "junit").stdout


# ---------------------------------------------------------------- github
COMMAND = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


def unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse_commands(output: str) -> list[tuple[str, dict, str]]:
    out = []
    for line in output.splitlines()[:-1]:
        match = COMMAND.match(line)
        assert match, line
        props = dict(p.split("=", 1) for p in match["props"].split(","))
        out.append((match[1], {k: unescape(v) for k, v in props.items()}, unescape(match["message"])))
    return out


def test_github_one_annotation_per_finding_with_file_line_and_title():
    result = run(ENCRYPTION, "-f", "github")
    commands = parse_commands(result.stdout)
    expected = json_findings(ENCRYPTION)
    assert len(commands) == len(expected)
    assert result.stdout.splitlines()[-1].startswith("Found ")
    levels = {"error": "error", "warning": "warning", "note": "notice"}
    for (command, props, message), f in zip(commands, expected, strict=False):
        assert command == levels[f["level"]] and message == f["message"]
        assert props["file"] == f["location"]["file"] and props["line"] == str(f["location"]["line"])
        assert props["title"].startswith(f"{f['rule_id']} {f['slug']}: {f['address']}")
    assert "notice" in {c[0] for c in commands}  # DDB204 is a note


def test_github_escaping_follows_the_runner():
    # the runner unescapes %25, %3A and %2C; a line break from the input is shown as \n, on the same line
    assert workflow_data("100% done\r\nnext") == "100%25 done\\r\\nnext"
    assert workflow_property("a,b:c%\n") == "a%2Cb%3Ac%25\\n"


def test_github_a_message_cannot_inject_a_command():
    sneaky = finding("first line\n::set-env name=X::y, 50%", source=Source("main.tf", 3, 9))
    output = render("github", Report(findings=[sneaky], rules=RULES))
    [line, summary] = output.splitlines()
    [(command, props, message)] = parse_commands(output)
    assert message == one_line(sneaky.message) and props == {
        "file": "main.tf",
        "line": "3",
        "endLine": "9",
        "title": "DDB101 pitr-disabled: aws_dynamodb_table.t",
    }


def test_github_leaves_out_suppressed_and_baselined_findings():
    hidden = [
        finding("a", suppression=Suppression("external", "why")),
        finding("b", address="aws_dynamodb_table.u", baseline_state="unchanged"),
    ]
    shown = finding("c", address="aws_dynamodb_table.v", baseline_state="new")
    output = render("github", Report(findings=[*hidden, shown], rules=RULES))
    assert [c[2] for c in parse_commands(output)] == ["c"]


# ---------------------------------------------------------------- markdown
def test_markdown_summary_table_then_findings_by_resource():
    text = run(WORKFLOW, "-f", "markdown").stdout
    expected = json_findings(WORKFLOW)
    summary = json.loads(run(WORKFLOW, "-f", "json").stdout)["summary"]
    assert text.startswith(MARKER + "\n### dynalint: ")
    assert f"| Error | {summary['error']} |" in text and f"| Warning | {summary['warning']} |" in text
    headings = re.findall(r"^#### `([^`]+)`", text, re.M)
    assert headings == sorted({f["address"] for f in expected}, key=headings.index)
    assert set(headings) == {f["address"] for f in expected}
    assert text.count("<details><summary>How to fix</summary>") == len(expected) == text.count("</details>")
    assert "```diff\n--- bad/main.tf\n+++ good/main.tf" in text and "docs/rules/DDB101.md" in text  # the fix, as a diff


def test_markdown_for_a_good_plan():
    text = run(GOOD, "-f", "markdown").stdout
    assert "### dynalint: no findings" in text and "####" not in text


def test_markdown_makes_plan_text_inert():
    evil = finding("Table '<img src=x onerror=alert(1)>' has `<b>` off.")
    text = render("markdown", Report(findings=[evil], rules=RULES))
    assert "\\<img src=x onerror=alert(1)\\>" in text and "`<b>`" in text and " <img" not in text


def test_markdown_stays_under_the_comment_limit():
    many = [
        finding("Table 'x' has point-in-time recovery off: add it.", address=f"aws_dynamodb_table.t{i:04}")
        for i in range(3000)
    ]
    text = render("markdown", Report(findings=many, rules=RULES))
    assert len(text) <= MAX_CHARS + 500
    shown = text.count("<details>")
    assert 0 < shown < 3000 and f"{3000 - shown} more findings not shown" in text


def test_markdown_one_oversized_finding_hides_no_other():
    # a 200,000-character table name (a plan can hold one) in the first finding, in its address too
    huge = finding(
        "Table '" + "x" * 200_000 + "' has point-in-time recovery off.",
        address='aws_dynamodb_table.t["' + "k" * 200_000 + '"]',
    )
    others = [
        finding(f"Table 'n{i}' has point-in-time recovery off.", address=f"aws_dynamodb_table.u{i}") for i in range(10)
    ]
    text = render("markdown", Report(findings=[huge, *others], rules=RULES))
    assert len(text) < 20_000 and "not shown" not in text
    assert text.count("**Error**") == 11 and len(re.findall(r"200,0\d\d characters in all", text)) == 2


def test_markdown_counts_suppressed_findings():
    text = render("markdown", Report(findings=[finding("a", suppression=Suppression("external", "ok"))], rules=RULES))
    assert "| Suppressed | 1 |" in text and "### dynalint: no findings" in text


# ---------------------------------------------------------------- concise
CONCISE = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<column>\d+): (?P<id>[A-Z][A-Z0-9]*\d+) "
    r"(?P<level>error|warning|note) (?P<message>.+)$"
)


def test_concise_is_one_line_per_active_finding_then_the_summary():
    result = run(WORKFLOW, "-f", "concise")
    lines = result.stdout.splitlines()
    active = [f for f in json_findings(WORKFLOW) if not f["suppression"]]
    assert result.exit_code == 1 and len(lines) == len(active) + 1 and lines[-1].startswith("Found ")
    parsed = [CONCISE.match(line) for line in lines[:-1]]
    assert all(parsed), [line for line, m in zip(lines, parsed, strict=False) if not m]
    by_place = {(f["location"]["file"], f["location"]["line"], f["rule_id"]) for f in active}
    assert {(m["file"], int(m["line"]), m["id"]) for m in parsed} == by_place
    # in file, line and column order, as editors and grep expect
    places = [(m["file"], int(m["line"]), int(m["column"])) for m in parsed]
    assert places == sorted(places)


def test_concise_names_the_resource_where_only_the_plan_locates_it():
    # aws_dynamodb_table.doomed is deleted: no .tf block, so its place is in the plan JSON
    [doomed] = [line for line in run(WORKFLOW, "-f", "concise").stdout.splitlines() if "DDB104" in line]
    match = CONCISE.match(doomed)
    assert match["file"] == WORKFLOW and match["message"].startswith("aws_dynamodb_table.doomed: The plan deletes")
    assert int(match["column"]) > 1
    # from .tf input the file is the .tf file and the message needs no address
    tree = run("tests/hcl/app", "-f", "concise").stdout.splitlines()[0]
    assert CONCISE.match(tree)["file"].startswith("tests/hcl/app/") and ": aws_" not in tree.split(" ", 3)[3]


def test_concise_quiet_and_suppressed():
    assert "Found " not in run(WORKFLOW, "-f", "concise", "-q").stdout
    shown = run("tests/hcl/app", "-f", "concise", "--show-suppressed").stdout
    assert "[suppressed]" in shown and "[suppressed]" not in run("tests/hcl/app", "-f", "concise").stdout


@pytest.mark.parametrize(
    "file, address, message",
    [
        ("::error file=x::forged.tf", "aws_dynamodb_table.t", "m"),
        ("main.tf", "aws_dynamodb_table.t", "first\n::error::forged\r\n::warning::also"),
        ("a\nb.tf", 'module.m["x\n::error::y"].aws_dynamodb_table.t', "m\u2028n\x1b[31mred\x00"),
    ],
)
def test_concise_lines_cannot_be_broken_or_start_a_workflow_command(file, address, message):
    # file names, addresses and messages come from the pull request: hand-built, as no plan holds them all
    for kind in ("tf", "plan"):
        report = Report(findings=[finding(message, address=address, source=Source(file, 3, kind=kind))], rules=RULES)
        out = render("concise", report)
        lines = out.splitlines()
        assert len(lines) == 2 and out.count("\n") == 2, out
        assert not any(line.startswith("::") for line in lines)
        assert all(line.isprintable() for line in lines)
        assert re.match(r"^.+:3:1: DDB101 error ", lines[0])


# ---------------------------------------------------------------- text on a terminal
def test_text_wraps_long_messages_at_words_for_the_terminal_width():
    message = (
        "Table 'orders' has point-in-time recovery off: add `point_in_time_recovery { enabled = true }` "
        "to keep 35 days of continuous backups, see https://docs.aws.amazon.com/amazondynamodb/latest/"
        "developerguide/PointInTimeRecovery.html for the details."
    )
    f = finding(message, source=Source("main.tf", 3))
    whole = render("text", Report(findings=[f], rules=RULES))
    assert message in whole  # no width (a pipe, a file): one line per finding
    wrapped = render("text", Report(findings=[f], rules=RULES, width=60)).splitlines()
    body = wrapped[wrapped.index("  aws_dynamodb_table.t  main.tf:3") + 1 : wrapped.index("")]
    assert len(body) > 2 and body[0].startswith("    error   DDB101  Table 'orders'")
    url = next(word for word in message.split() if word.startswith("https://"))
    assert all(len(line) <= 60 for line in body if url not in line)  # a word longer than a line is not split
    assert all(line.startswith(" " * len("    error   DDB101  ")) for line in body[1:])
    assert " ".join(line.strip() for line in body) == f"error   DDB101  {message}"


def test_text_wraps_on_a_terminal_only_and_no_color_turns_colors_off():
    def on_a_terminal(*args, env=None) -> str:
        main_fd, terminal_fd = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "dynalint", WORKFLOW, "--no-config", *args],
            cwd=ROOT,
            stdout=terminal_fd,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "COLUMNS": "70", **(env or {})},
        )
        os.close(terminal_fd)
        chunks = []
        while True:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
        os.close(main_fd)
        return b"".join(chunks).decode()

    env = {"NO_COLOR": "", "FORCE_COLOR": ""}
    colored = on_a_terminal(env=env)
    assert "\x1b[31m" in colored
    plain = on_a_terminal("--no-color", env=env)
    assert "\x1b[" not in plain
    lines = plain.replace("\r\n", "\n").splitlines()
    messages = [line for line in lines if line.startswith("    ")]  # findings and their continuation lines
    assert len(messages) > 2 * plain.count("DDB") and max(len(line) for line in messages) <= 70
    assert "\x1b[" not in on_a_terminal(env={"NO_COLOR": "1"})


# ---------------------------------------------------------------- --quiet, --statistics
def test_quiet_prints_findings_only():
    loud, quiet = run(WORKFLOW), run(WORKFLOW, "-q")
    assert quiet.exit_code == loud.exit_code == 1
    assert "Found " not in quiet.stdout and quiet.stderr == ""
    finding_lines = [line for line in loud.stdout.splitlines() if re.match(r"\s+(error|warning|note)\s", line)]
    assert finding_lines and all(line in quiet.stdout.splitlines() for line in finding_lines)
    assert run(GOOD, "-q").stdout == ""


def test_quiet_silences_the_report_written_line(tmp_path):
    out = tmp_path / "r.sarif"
    assert "Report written" in run(WORKFLOW, "-f", "sarif", "-o", str(out)).stderr
    assert run(WORKFLOW, "-f", "sarif", "-o", str(out), "-q").stderr == ""


def test_statistics_counts_per_rule():
    result = run(WORKFLOW, "--statistics")
    expected = {}
    for f in json_findings(WORKFLOW):
        expected[f["rule_id"]] = expected.get(f["rule_id"], 0) + 1
    rows = [line.split() for line in result.stdout.splitlines()[:-1]]
    assert {row[1]: int(row[0]) for row in rows} == expected
    assert [int(row[0]) for row in rows] == sorted((int(row[0]) for row in rows), reverse=True)
    assert result.stdout.splitlines()[-1].startswith("Found ") and result.exit_code == 1
    assert "Found " not in run(WORKFLOW, "--statistics", "-q").stdout


def test_statistics_with_an_output_file_still_writes_the_report(tmp_path):
    out = tmp_path / "r.json"
    result = run(WORKFLOW, "--statistics", "-f", "json", "-o", str(out))
    assert json.loads(out.read_text())["findings"] and "DDB101" in result.stdout


# ---------------------------------------------------------------- progress on a terminal
def with_stderr_on_a_terminal(*args) -> tuple[str, str]:
    """Run dynalint with stderr on a pseudo-terminal and stdout on a pipe; return both."""
    main_fd, terminal_fd = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "dynalint", *args, "--no-config"], cwd=ROOT, stdout=subprocess.PIPE, stderr=terminal_fd
    )
    os.close(terminal_fd)
    chunks = []
    while True:
        try:
            chunk = os.read(main_fd, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    stdout = process.stdout.read().decode()
    process.wait()
    os.close(main_fd)
    return stdout, b"".join(chunks).decode()


def test_progress_on_a_terminal_for_many_inputs():
    stdout, stderr = with_stderr_on_a_terminal(WORKFLOW, ENCRYPTION, "--select", "DDB1", "--jobs", "1")
    assert f"[1/2] loading {WORKFLOW}" in stderr and f"[2/2] loading {ENCRYPTION}" in stderr
    assert re.search(r"checking \d+ resources with \d+ rules", stderr)
    assert stderr.endswith("\r\x1b[K")  # the status line is erased: the report is not mixed with it
    assert "\x1b" not in stdout and stdout.strip().splitlines()[-1].startswith("Found ")
    # in worker processes, each input is counted as it is done (in whatever order they finish)
    together, stderr = with_stderr_on_a_terminal(WORKFLOW, ENCRYPTION, "--select", "DDB1", "--jobs", "2")
    assert together == stdout
    assert "[1/2] checked " in stderr and "[2/2] checked " in stderr
    assert WORKFLOW in stderr and ENCRYPTION in stderr and stderr.endswith("\r\x1b[K")


def test_no_progress_when_quiet_or_small_or_not_a_terminal():
    _, quiet = with_stderr_on_a_terminal(WORKFLOW, ENCRYPTION, "-q")
    _, single = with_stderr_on_a_terminal(WORKFLOW)
    assert "loading" not in quiet and "loading" not in single
    piped = run(WORKFLOW, ENCRYPTION)  # CliRunner's stderr is no terminal
    assert "loading" not in piped.stderr


def test_a_large_plan_wants_progress(monkeypatch, tmp_path):
    big = tmp_path / "plan.json"
    big.write_bytes(b" " * cli.PROGRESS_BYTES)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli._wants_progress([str(big)], quiet=False)
    assert not cli._wants_progress([str(big)], quiet=True)
    assert not cli._wants_progress([WORKFLOW], quiet=False)

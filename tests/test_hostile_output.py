"""Hostile input through every format and stderr (issue 14): what a pull request puts into names, for_each
keys, tags, file names and config files stays inert wherever dynalint writes it.

Each output is checked for: no raw control or bidirectional character; no line a CI runner would obey as a
command (``::`` at a line's start, which only the github format writes on purpose, and ``##[`` anywhere);
in markdown, rendered by GitHub's own parser (cmarkgfm), no HTML but dynalint's own, no link but to rule
documentation, no image, no mention, no issue reference; and no copy of the canary secret in any encoding.

tests/tf/hostile is real terraform's plan of hostile for_each keys and names; terraform writes addresses with
their line breaks and ESC escaped, so raw ones come from the .tf input (dynalint's own addresses) and from
the hand-built plan below (a shape terraform does not write: a tool or a hand can).
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata

import cmarkgfm
import pytest
from click.testing import CliRunner
from cmarkgfm.cmark import Options

from dynalint.cli import main
from helpers import ROOT, TF_CASES, case_plan
from test_secrets import assert_no_copy

FORMATS = ("text", "concise", "sarif", "json", "junit", "github", "markdown")
HOSTILE_NAME = "x\n::error file=a,line=1::forged ##[error]legacy \x1b[2J`<img src=x>` @octocat \u202e"
ANNOTATION = re.compile(r"^::(error|warning|notice) [^:\n]*::")
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_TAGS = {
    "p",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "pre",
    "strong",
    "em",
    "details",
    "summary",
    "a",
}


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, [*args], input=input, catch_exceptions=False)


def assert_inert(text: str, fmt: str, where: str, stream: str = "stdout") -> None:
    for char in set(text):
        category = unicodedata.category(char)
        assert not (category == "Cc" and char != "\n"), f"{where}: raw {char!r}"
        assert category not in ("Zl", "Zp", "Cs") and char not in BIDI, f"{where}: raw {char!r}"
    for line in text.split("\n"):
        if line.lstrip().startswith("::"):
            assert fmt == "github" and stream == "stdout" and ANNOTATION.match(line), f"{where}: forged: {line!r}"
    assert not re.search(r"##\w*\[", text), f"{where}: a legacy log command"
    assert_no_copy(text, where)
    if fmt == "markdown" and stream == "stdout":
        assert_markdown_inert(text, where)


def assert_markdown_inert(text: str, where: str) -> None:
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html))
    assert tags <= ALLOWED_TAGS, f"{where}: {tags - ALLOWED_TAGS}"
    assert "<details open" not in html and "<img" not in html
    for href in re.findall(r"<a\b[^>]*\bhref=\"([^\"]*)\"", html):
        assert re.fullmatch(r"(https://github.com/dynalint/dynalint/blob/main/)?docs/rules/(DDB\d+|DL\d+)\.md", href), (
            href
        )
    outside_code = re.sub(r"<(code|pre|a)\b.*?</\1>", "", html, flags=re.S)
    words = re.sub(r"<[^>]+>", "", outside_code)
    assert not re.search(r"@\w|#\d|www\.|://", words), f"{where}: {re.search(r'.{20}(@|#|www|://).{20}', words)}"


def assert_run_inert(result, fmt: str, where: str) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert_inert(result.stdout, fmt, where)
    assert_inert(result.stderr, fmt, where, stream="stderr")


def hand_built_plan() -> str:
    """The hostile plan with what terraform escapes written raw: a line break and ESC in an address, a
    table name with a line break."""
    doc = json.loads(case_plan("hostile").read_text())
    for change in doc["resource_changes"]:
        if change["address"] == "aws_dynamodb_table.named":
            change["address"] = 'aws_dynamodb_table.named["a\n::warning::b\x1b[2J\u202e"]'
            change["index"] = "a\n::warning::b\x1b[2J\u202e"
            change["change"]["after"]["name"] = "n\r\n::error::name\n\n<details open>@octocat"
    for planned in doc["planned_values"]["root_module"]["resources"]:  # the same resource, as planned
        if planned["address"] == "aws_dynamodb_table.named":
            planned["address"] = 'aws_dynamodb_table.named["a\n::warning::b\x1b[2J\u202e"]'
            planned["index"] = "a\n::warning::b\x1b[2J\u202e"
    return json.dumps(doc)


@pytest.mark.parametrize("field", ["format_version", "actions"])
def test_a_hostile_value_where_terraform_writes_a_keyword_is_refused_in_one_inert_line(field):
    """An action or a format_version that is not terraform's is refused (exit 2); the line that says so quotes
    it inert."""
    doc = json.loads(case_plan("hostile").read_text())
    hostile = "1.2\n::error::forged ##[error]x \x1b[2J <b>@x</b>"
    if field == "format_version":
        doc["format_version"] = hostile
    else:
        doc["resource_changes"][0]["change"]["actions"] = [hostile]
    result = run("-", "--no-config", "-f", "github", input=json.dumps(doc))
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and field in result.stderr, result.stderr
    assert_run_inert(result, "github", field)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("source", ["plan", "tf", "hand-built", "stdin"])
def test_hostile_names_and_keys_are_inert_in_every_format(source, fmt, tmp_path):
    if source == "plan":
        args, stdin = [str(case_plan("hostile").relative_to(ROOT))], None
    elif source == "tf":
        args, stdin = [str((TF_CASES / "hostile").relative_to(ROOT))], None
    elif source == "hand-built":
        plan = tmp_path / "plan.json"
        plan.write_text(hand_built_plan())
        args, stdin = [str(plan)], None
    else:
        args, stdin = ["-", "--stdin-filename", HOSTILE_NAME], hand_built_plan()
    for flags in ([], ["--show-suppressed", "--changed-only"], ["--statistics"], ["--debug"]):
        result = run(*args, "--no-config", "-f", fmt, *flags, input=stdin)
        assert result.exit_code == 1, result.output
        assert_run_inert(result, fmt, f"{source} -f {fmt} {flags}")
    shown = run(*args, "--no-config", "-f", fmt, input=stdin).stdout
    # concise names the file and line where the .tf source is known, the address only where it is not
    assert "aws_dynamodb_table.hostile" in shown or (fmt == "concise" and "tests/tf/hostile/main.tf:" in shown)


@pytest.fixture
def hostile_files(tmp_path):
    """A .tf directory, a plan file, a config file and a report file whose names are hostile."""
    folder = tmp_path / HOSTILE_NAME.replace("/", "")
    folder.mkdir()
    shutil.copy(TF_CASES / "hostile" / "main.tf", folder / "main.tf")
    plan = tmp_path / f"{HOSTILE_NAME}.json"
    plan.write_text(case_plan("hostile").read_text())
    config = tmp_path / f"{HOSTILE_NAME}.yaml"
    config.write_text(
        "ignore:\n  - rule: DDB703\n    address: '*'\n    reason: \"accepted\\n::error::reason "
        '##[error]r <img src=x> @octocat \\e[2J"\n'
    )
    return folder, plan, config, tmp_path / f"{HOSTILE_NAME}.out"


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_file_names_and_config_are_inert_in_every_format(hostile_files, fmt):
    folder, plan, config, report = hostile_files
    for inputs in ([str(folder)], [str(plan)], [str(folder), str(plan)]):
        result = run(*inputs, "--config", str(config), "-f", fmt, "--show-suppressed")
        assert result.exit_code == 1, result.output
        assert_run_inert(result, fmt, f"{inputs} -f {fmt}")
        written = run(*inputs, "--config", str(config), "-f", fmt, "-o", str(report))
        assert "Report written" in written.stderr or fmt == "text"
        assert_run_inert(written, fmt, f"{inputs} -f {fmt} -o")
        assert_inert(report.read_text(encoding="utf-8"), fmt, f"{inputs} -f {fmt}: the report file")


def test_errors_naming_hostile_files_are_one_inert_line(hostile_files, tmp_path):
    folder, plan, config, report = hostile_files
    broken = tmp_path / f"{HOSTILE_NAME}.broken.json"
    broken.write_text('{"format_version": "1.2", "resource_changes": [')
    bad_config = tmp_path / f"{HOSTILE_NAME}.bad.yaml"
    bad_config.write_text('fail_on: "::error::x\\n##[error]y"\n')
    for args in (
        [str(tmp_path / f"{HOSTILE_NAME}.missing.json")],
        [str(broken)],
        [str(plan), "--config", str(bad_config)],
    ):
        result = run(*args)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert_inert(result.stderr, "text", f"{args}", stream="stderr")
        # --debug adds the traceback, which quotes the message: each of its lines is as inert
        debugged = run(*args, "--debug")
        assert debugged.exit_code == 2 and "Traceback" in debugged.stderr
        assert debugged.stderr.rstrip().splitlines()[-1] == result.stderr.rstrip()
        assert_inert(debugged.stderr, "text", f"{args} --debug", stream="stderr")


HOSTILE_RULES = """\
rules:
  - id: EVIL001
    level: error
    summary: "Summary\\n::error::summary ##[error]s <img src=x onerror=alert(1)> @octocat \\e[2J"
    message: "Table {label}\\n\\n::error file=x::message ##[error]m <details open> [l](https://evil.example) @octocat"
    help: "## Use instead\\n<img src=x onerror=alert(1)> @octocat [click](https://evil.example)\\n::error::help ##[error]h \\e[2J"
    help_uri: https://evil.example/help
    resource_types: [aws_dynamodb_table]
    require: {attribute: point_in_time_recovery, exists: true}
"""


@pytest.fixture
def hostile_rules(tmp_path, monkeypatch):
    """A pull request's config whose YAML rule (YAML rules load from a config: they run no code) says hostile
    things in every text field."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "evil.yaml").write_text(HOSTILE_RULES)
    (tmp_path / ".dynalint.yaml").write_text("rules_dirs: [policies]\n")
    (tmp_path / "plan.json").write_text(case_plan("hostile").read_text())
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_custom_rules_texts_are_inert_in_every_format(hostile_rules, fmt):
    result = run("plan.json", "-f", fmt, "--select", "EVIL")
    assert result.exit_code == 1, result.output
    assert_run_inert(result, fmt, f"custom rule -f {fmt}")


@pytest.mark.parametrize(
    "command", [["rules"], ["rules", "--format", "markdown"], ["rules", "--format", "json"], ["explain", "EVIL001"]]
)
def test_a_custom_rules_texts_are_inert_in_listings(hostile_rules, command):
    result = run(*command)
    assert result.exit_code == 0, result.output
    fmt = "markdown" if "markdown" in command else "text"
    for line in result.stdout.split("\n"):  # explain prints the help's lines as lines, each made inert
        assert "\x1b" not in line and not line.lstrip().startswith("::") and "##[" not in line, line
    if fmt == "markdown":
        assert_markdown_inert(result.stdout, "rules --format markdown")


def test_a_rules_file_holding_a_raw_escape_is_one_inert_line(hostile_rules):
    (hostile_rules / "policies" / "evil.yaml").write_text('rules:\n  - id: EVIL001\n    summary: "a\x1b[2Jb"\n')
    result = run("plan.json")
    assert result.exit_code == 2 and result.stderr == (
        "dynalint: error: policies/evil.yaml: invalid YAML: unacceptable character #x001b: special characters are "
        "not allowed\n"
    )

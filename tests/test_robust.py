"""Bad input gets one clear line and exit 2, never a traceback; real-world inputs load (issue 8).

The bad-input cases run the real command line (``python -m dynalint``) in a subprocess, as CI
does; cases already covered elsewhere (tests/test_loader.py at the loader, tests/test_cli.py for a
missing file, stdin that is not JSON or an array, no argument) are not repeated here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dynalint.cli import main
from helpers import ROOT, SHARED, TF_CASES, case_plan

sys.path.insert(0, str(ROOT / "scripts"))
import fuzz  # noqa: E402  (the fuzzer's SARIF validators: the official schema, compiled once)

REALWORLD = TF_CASES / "realworld"
CORPUS = sorted((SHARED / "corpus" / "plans").glob("*.json"))


def dynalint(
    *args: str, stdin: bytes | None = None, env: dict | None = None, cwd: Path = ROOT, timeout: float = 60
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dynalint", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def one_clear_line(proc: subprocess.CompletedProcess, *words: str) -> str:
    """The one stderr line of an exit 2, checked: no traceback, not an internal error, holds ``words``."""
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, (proc.returncode, err, proc.stdout[-500:])
    assert "Traceback" not in err and proc.stdout == b""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dynalint: error: "), err
    assert "internal error" not in lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, ["--no-config", *args], input=input, catch_exceptions=False)


def plan_text(name: str = "realworld") -> str:
    return case_plan(name).read_text(encoding="utf-8")


def entry(doc: dict, address: str) -> dict:
    return next(e for e in doc["resource_changes"] if e["address"] == address)


# ---------------------------------------------------------------------- 1. bad input
@pytest.mark.parametrize(
    "data, words",
    [
        (b"", ["input.json: the file is empty"]),
        (b'resource "aws_dynamodb_table" "t" {}\n', ["invalid JSON at line 1"]),
        (b'{"format_version":"1.2","resource_changes":[{"address":"aws_dynamodb_table.t"', ["is it truncated?"]),
        (b"[]", ["the JSON is an array, not a Terraform plan or state"]),
        (b"3.5", ["the JSON is a number"]),
        (b'"plan"', ["the JSON is a string"]),
        (b"null", ["the JSON is null"]),
        (b"true", ["the JSON is a boolean"]),
        (b"{}", ["the JSON is an empty object"]),
        # neither plan nor state: say what it looks like and what was expected
        (b'{"apiVersion": "v1", "kind": "Pod", "spec": {}}', ['keys "apiVersion", "kind", "spec"', "planned_values"]),
        (
            b'{"version": 4, "lineage": "x", "serial": 1, "resources": []}',
            ["raw terraform.tfstate", "terraform show -json"],
        ),
        (b'{"format_version": "1.2", "planned_values": {"outputs": "\xff\xfe\xfd"}}', ["not valid UTF-8", "byte"]),
        (b"[" * 100_000 + b"]" * 100_000, ["nested too deeply"]),
        # deeper than the recursion limit inside a real plan's value
        (
            b'{"format_version":"1.2","resource_changes":[{"address":"aws_dynamodb_table.t","type":"aws_dynamodb_table",'
            b'"name":"t","change":{"actions":["create"],"after":{"tags":'
            + b'{"a":' * 5000
            + b"1"
            + b"}" * 5000
            + b"}}}]}",
            ["nested too deeply"],
        ),
        (
            b'{"format_version": "1.2", "resource_changes": [{"address": "aws_dynamodb_table.[", "mode": "managed", '
            b'"type": "aws_dynamodb_table", "name": "[", "change": {"actions": ["create"]}}]}',
            ["resource address 'aws_dynamodb_table.[' is not one dynalint can read"],
        ),
        # a long name then a character no address holds: read in one pass (a pattern that backtracks would take
        # longer than the age of the universe here)
        (
            b'{"format_version": "1.2", "resource_changes": [{"address": "aws_dynamodb_table.'
            + b"a" * 200
            + b'[", "mode": "managed", "type": "aws_dynamodb_table", "name": "t", "change": {"actions": ["create"]}}]}',
            ["is not one dynalint can read"],
        ),
        (b'{"\\ud800": 1}', ['the JSON has keys "\\ud800",']),  # a lone surrogate: valid JSON, not writable as UTF-8
        (b'{"a\\n::error::b": 1}', ['the JSON has keys "a\\n::error::b",']),  # a line break in the input: escaped
    ],
    ids=[
        "empty",
        "hcl-not-json",
        "truncated",
        "array",
        "number",
        "string",
        "null",
        "boolean",
        "empty-object",
        "kubernetes",
        "raw-tfstate",
        "not-utf8",
        "deep-array",
        "deep-value",
        "bad-address",
        "long-bad-address",
        "lone-surrogate",
        "line-break",
    ],
)
def test_bad_json_input_is_one_clear_line(tmp_path, data, words):
    (tmp_path / "input.json").write_bytes(data)
    one_clear_line(dynalint("input.json", cwd=tmp_path), "input.json: ", *words)


@pytest.mark.parametrize("depth", [900, 960, 990])
def test_nesting_just_below_the_parsers_limit_lints_or_is_refused_cleanly(tmp_path, depth):
    """Below Python's recursion limit JSON parses; then the loader and the rules must not fail either."""
    doc = json.loads(plan_text())
    entry(doc, "aws_dynamodb_table.orders")["change"]["after"]["tags"] = "@@@"
    (tmp_path / "plan.json").write_text(json.dumps(doc).replace('"@@@"', '{"a":' * depth + "1" + "}" * depth))
    proc = dynalint("plan.json", "-f", "sarif", "--debug", cwd=tmp_path)
    err = proc.stderr.decode()
    if proc.returncode == 2:  # the JSON parser's limit: the --debug traceback, then the one line
        last = err.strip().splitlines()[-1]
        assert last == "dynalint: error: plan.json: JSON nested too deeply to be a Terraform plan"
    else:
        assert proc.returncode == 1 and "skipped" not in err, err[-800:]  # no rule failed on it
        fuzz.sarif_validators()[0].validate(json.loads(proc.stdout))


def test_missing_tf_file_and_dangling_links(tmp_path):
    one_clear_line(dynalint("nope.tf", cwd=tmp_path), "nope.tf: no such file or directory")
    (tmp_path / "a.json").symlink_to("b.json")
    (tmp_path / "b.json").symlink_to("a.json")
    one_clear_line(dynalint("a.json", cwd=tmp_path), "a.json: a symbolic link to nothing, or a link loop")
    (tmp_path / "gone.tf").symlink_to("nowhere.tf")
    one_clear_line(dynalint("gone.tf", cwd=tmp_path), "gone.tf: a symbolic link to nothing, or a link loop")


def test_directory_without_tf_files(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "README.md").write_text("no Terraform here\n")
    one_clear_line(dynalint("notes", cwd=tmp_path), "notes: no .tf files in this directory or below it")


def _unreadable(path: Path) -> None:
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads whatever the mode says
        path.chmod(0o644)
        pytest.skip("running as root: chmod 000 does not make a file unreadable")


def test_unreadable_plan_file(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text(plan_text())
    _unreadable(plan)
    one_clear_line(dynalint("plan.json", cwd=tmp_path), "plan.json: permission denied")


def test_unreadable_tf_file(tmp_path):
    (tmp_path / "main.tf").write_text((REALWORLD / "main.tf").read_text())
    _unreadable(tmp_path / "main.tf")
    one_clear_line(dynalint(".", cwd=tmp_path), "main.tf: cannot read")


@pytest.mark.parametrize(
    "name, says",
    [("plan.json", "plan.json: permission denied"), ("main.tf", "main.tf: cannot read: Permission denied")],
)
def test_unreadable_file_as_root_too(tmp_path, monkeypatch, name, says):
    """The same refusal where chmod 000 is no obstacle (tests run as root): the open itself is refused."""
    (tmp_path / name).write_text(plan_text() if name.endswith(".json") else (REALWORLD / "main.tf").read_text())
    real_open = Path.open

    def refuse(path, *args, **kwargs):
        if path.name == name:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--no-config", name if name.endswith(".json") else "."])
    assert result.exit_code == 2 and result.stdout == "" and "Traceback" not in result.output
    assert result.stderr.startswith("dynalint: error: ") and says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_errored_plan_is_refused_unless_allowed(tmp_path):
    doc = json.loads(plan_text())
    doc["errored"] = True
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    one_clear_line(
        dynalint("plan.json", cwd=tmp_path),
        "plan.json: errored: terraform could not finish this plan",
        "--allow-errored-plan",
    )
    proc = dynalint("plan.json", "--allow-errored-plan", cwd=tmp_path)
    assert proc.returncode == 1 and b"DDB101" in proc.stdout  # what is there is linted
    assert proc.stdout.count(b"the plan errored in Terraform") == 1 and proc.stderr == b""
    sarif = dynalint("plan.json", "-f", "sarif", "--allow-errored-plan", cwd=tmp_path)  # no note in SARIF: stderr
    assert sarif.returncode == 1 and json.loads(sarif.stdout)["runs"][0]["results"]
    assert sarif.stderr.decode().splitlines() == [
        "dynalint: note: plan.json: the plan errored in Terraform; "
        "linting the resources it holds (--allow-errored-plan)",
        "dynalint: settings: none (no .dynalint.yaml or [tool.dynalint] found)",
    ]
    assert dynalint("plan.json", "-f", "sarif", "--quiet", "--allow-errored-plan", cwd=tmp_path).stderr == b""


@pytest.mark.parametrize(
    "version, says",
    [
        ("2.0", 'format_version: "2.0" is a format dynalint does not know (it reads 0.x and 1.x)'),
        (None, "format_version: missing: every `terraform show -json` output has one"),
        (1.2, 'format_version: expected a string such as "1.2", got 1.2'),
        ("latest", 'format_version: expected a version such as "1.2", got "latest"'),
    ],
)
def test_an_unknown_format_version_is_refused(tmp_path, version, says):
    doc = json.loads(plan_text())
    if version is None:
        del doc["format_version"]
    else:
        doc["format_version"] = version
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    one_clear_line(dynalint("plan.json", "-f", "json", cwd=tmp_path), f"plan.json: {says}")


def test_utf8_bom_loads_like_the_plain_file(tmp_path):
    (tmp_path / "plan.json").write_bytes(b"\xef\xbb\xbf" + plan_text().encode())
    (tmp_path / "plain.json").write_text(plan_text())
    with_bom, plain = (dynalint(n, "-f", "json", cwd=tmp_path) for n in ("plan.json", "plain.json"))
    assert with_bom.returncode == plain.returncode == 1
    assert json.loads(with_bom.stdout)["findings"] and [
        (f["rule_id"], f["message"]) for f in json.loads(with_bom.stdout)["findings"]
    ] == [(f["rule_id"], f["message"]) for f in json.loads(plain.stdout)["findings"]]


def test_a_1_gb_file_is_refused_at_once(tmp_path):
    big = tmp_path / "plan.json"
    with big.open("wb") as f:  # sparse: no gigabyte is written
        f.truncate(1024**3)
    # refused by its size, before a byte is read (a read would take the run's whole timeout)
    one_clear_line(
        dynalint("plan.json", cwd=tmp_path),
        "plan.json: 1024 MB is larger than dynalint reads (512 MB",
        "DYNALINT_MAX_BYTES",
    )
    tf = tmp_path / "infra" / "main.tf"
    tf.parent.mkdir()
    with tf.open("wb") as f:
        f.truncate(1024**3)
    one_clear_line(
        dynalint("infra", cwd=tmp_path),
        "main.tf: 1024.0 MB is larger than dynalint reads in a .tf file",
        "DYNALINT_MAX_TF_BYTES",
    )


def test_what_has_no_size_is_read_up_to_the_cap(tmp_path):
    """stdin, a pipe or a device report no size: the read stops at the cap instead of filling memory."""
    one_clear_line(
        dynalint("/dev/zero", env={"DYNALINT_MAX_BYTES": str(2**20)}),
        "/dev/zero: more than 1 MB, larger than dynalint reads",
    )
    one_clear_line(
        dynalint("-", stdin=plan_text().encode(), env={"DYNALINT_MAX_BYTES": "1000"}), "-: more than 1000 bytes"
    )
    one_clear_line(
        dynalint(str(case_plan("realworld")), env={"DYNALINT_MAX_BYTES": "1000"}),
        "bytes is larger than dynalint reads (1000 bytes",
    )


@pytest.mark.parametrize("name", ["DYNALINT_MAX_BYTES", "DYNALINT_MAX_TF_BYTES", "DYNALINT_PAIRS_PER_RESOURCE"])
@pytest.mark.parametrize("value", ["abc", "-5", "1e9"])
def test_a_bound_set_to_something_but_a_whole_number_is_one_clear_line(name, value):
    # a typo in the workflow's environment is neither an internal error nor a bound of nothing
    one_clear_line(
        dynalint(str(case_plan("realworld")), env={name: value}), f"{name}={value!r}: expected a whole number"
    )


def test_symlink_loop_in_a_tf_tree(tmp_path):
    app = tmp_path / "infra" / "app"
    app.mkdir(parents=True)
    (app / "main.tf").write_text((REALWORLD / "main.tf").read_text())
    (app / "up").symlink_to("..", target_is_directory=True)  # infra/app/up/app/up/...
    (tmp_path / "infra" / "self").symlink_to("self")  # a link to itself
    proc = dynalint("infra", cwd=tmp_path)  # the roots below infra: links are not followed
    assert proc.returncode == 1 and b"infra/app/main.tf" in proc.stdout, proc.stderr
    (app / "calls.tf").write_text('module "again" {\n  source = "./up/app"\n}\n')
    one_clear_line(dynalint("infra/app", cwd=tmp_path), 'module "again"', "calls a")


def test_tf_nested_past_the_recursion_limit(tmp_path):
    (tmp_path / "main.tf").write_text("locals {\n  x = " + "[" * 3000 + "1" + "]" * 3000 + "\n}\n")
    one_clear_line(dynalint(".", cwd=tmp_path), "main.tf:2: expressions nested too deeply for dynalint to read")


@pytest.mark.parametrize(
    "text, words",
    [
        ("- DDB101\n", ["expected a mapping of settings", "got a list"]),
        ("select: " + "[" * 5000 + "]" * 5000 + "\n", ["YAML nested too deeply"]),
    ],
)
def test_yaml_config_that_is_not_a_mapping(tmp_path, text, words):
    (tmp_path / "settings.yaml").write_text(text)
    (tmp_path / "plan.json").write_text(plan_text())
    one_clear_line(dynalint("plan.json", "--config", "settings.yaml", cwd=tmp_path), "settings.yaml: ", *words)


def test_debug_shows_the_traceback_and_still_ends_with_the_line(tmp_path):
    (tmp_path / "plan.json").write_text("[]")
    proc = dynalint("plan.json", "--debug", cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback (most recent call last)" in err
    assert err.strip().splitlines()[-1].startswith("dynalint: error: plan.json: the JSON is an array")


# ---------------------------------------------------------------------- 5. real-world formats
@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is not next to this checkout")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_corpus_plan_and_state_lints_to_valid_sarif(path):
    """Terraform 0.12 to 1.15, formats 0.1 to 1.2, UTF-16LE and BOM copies (tests/test_loader.py loads them)."""
    result = run(str(path), "-f", "sarif", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    for validator in fuzz.sarif_validators():
        validator.validate(json.loads(result.stdout))


def _findings(result) -> list[tuple[str, str, str]]:
    return [(f["rule_id"], f["address"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_opentofu_plan_lints_like_terraforms(tmp_path):
    # `tofu show -json` writes Terraform's JSON format: the same keys, "terraform_version" included,
    # which holds OpenTofu's own version (1.6 onwards). No OpenTofu binary here: the terraform plan
    # is edited to what OpenTofu 1.8 writes.
    doc = json.loads(plan_text())
    doc["terraform_version"] = "1.8.5"
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    tofu = run(str(tmp_path / "plan.json"), "-f", "json")
    (tmp_path / "terraform").mkdir()  # alone too: beside its .tf, a plan is also judged on what only they say
    (tmp_path / "terraform" / "plan.json").write_text(plan_text())
    terraform = run(str(tmp_path / "terraform" / "plan.json"), "-f", "json")
    assert tofu.exit_code == terraform.exit_code == 1
    assert _findings(tofu) == _findings(terraform) and json.loads(tofu.stdout)["inputs"][0]["warnings"] == []


def test_plan_made_with_target_is_linted_and_says_it_is_partial():
    result = run(str(REALWORLD / "plan-target.json"), "-f", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and report["inputs"][0]["resources"] == 2
    assert {f["address"] for f in report["findings"]} == {"aws_dynamodb_table.orders", "aws_kms_key.tables"}
    [note] = report["inputs"][0]["warnings"]
    assert "the plan is partial (made with -target" in note


def test_plan_with_only_data_sources():
    result = run(str(case_plan("data_only")), "-f", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["findings"] == [] and report["inputs"][0]["resources"] == 0
    assert report["inputs"][0]["kind"] == "plan"


@pytest.mark.parametrize(
    "section",
    [
        "planned_values",
        "prior_state",
        "configuration",
        "variables",
        "relevant_attributes",
        "output_changes",
        "planned_values.root_module",
    ],
)
def test_plan_with_a_null_section(tmp_path, section):
    # Terraform writes none of these as null; other tools that produce or rewrite plan JSON have. A null
    # resource_changes beside planned resources is a cut plan (tests/test_soundness.py).
    doc = json.loads(plan_text())
    parent, _, key = section.rpartition(".")
    (doc[parent] if parent else doc)[key] = None
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    result = run(str(tmp_path / "plan.json"), "-f", "sarif")
    assert result.exit_code == 1, result.output  # DDB101 on the table, whatever section is missing
    fuzz.sarif_validators()[0].validate(json.loads(result.stdout))
    report = json.loads(run(str(tmp_path / "plan.json"), "-f", "json").stdout)
    assert report["inputs"][0]["resources"] == 6


def test_state_from_terraform_show_json():
    result = run(str(REALWORLD / "state.json"), "-f", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and report["inputs"][0]["kind"] == "state" and report["inputs"][0]["resources"] == 6
    flagged = {(f["rule_id"], f["address"]) for f in report["findings"]}
    assert {("DDB101", "aws_dynamodb_table.orders"), ("DDB103", "aws_dynamodb_table.orders")} <= flagged


def test_one_line_terraform_plan_of_many_resources_is_located_by_character():
    """terraform writes the plan on one line: every address is found, its column counted in characters.
    (That this takes linear time, not a rescan from the start for each address, is bench/'s to show:
    bench/run.py times one-line plans of up to 27,000 resources.)"""
    doc = json.loads(plan_text())
    template = json.dumps(entry(doc, "aws_dynamodb_table.orders"))
    doc["resource_changes"] = [json.loads(template.replace("orders", f"orders-\u00e9{i}")) for i in range(10_000)]
    doc.pop("planned_values")  # the cross-checks would want the new tables there too
    doc.pop("configuration")
    data = json.dumps(doc, ensure_ascii=False).encode()
    from dynalint.load import load_bytes

    found = load_bytes(data, "plan.json").plan_locator
    assert {f"aws_dynamodb_table.orders-\u00e9{i}" for i in range(10_000)} <= set(found)
    last = found["aws_dynamodb_table.orders-\u00e99999"]
    text = data.decode()
    assert text[last.start_column - 1 :].startswith('"address": "aws_dynamodb_table.orders-\u00e99999"')  # characters


def test_unicode_names_in_tf_lint_like_their_plan():
    # HCL identifiers are Unicode and Terraform plans aws_kms_key.clé.arn; python-hcl2's grammar takes ASCII
    # names only, so a non-ASCII file it rejects is parsed again with HCL's identifiers.
    def found(path: Path) -> set:
        report = json.loads(run(str(path), "-f", "json").stdout)
        return {(f["rule_id"], f["address"], f["location"]["file"], f["location"]["line"]) for f in report["findings"]}

    from_tree, from_plan = found(TF_CASES / "unicode_names"), found(case_plan("unicode_names"))
    assert from_tree == from_plan
    assert ("DDB203", "aws_kms_key.clé", str(TF_CASES / "unicode_names" / "main.tf"), 5) in from_tree  # a reference


def test_syntax_error_in_a_non_ascii_tf_file_is_one_line(tmp_path):
    (tmp_path / "main.tf").write_text(
        'resource "aws_kms_key" "clé" {\n  description = "café"\n  x = = 1\n}\n', encoding="utf-8"
    )
    one_clear_line(dynalint(str(tmp_path)), "main.tf:3:", "HCL syntax error")


def test_plan_with_unicode_resource_names_lints():
    result = run(str(case_plan("unicode_names")), "-f", "json")
    flagged = {(f["rule_id"], f["address"]) for f in json.loads(result.stdout)["findings"]}
    assert {("DDB101", "aws_dynamodb_table.café"), ("DDB203", "aws_kms_key.clé")} <= flagged


def test_empty_state_from_terraform_show_json(tmp_path):
    # What `terraform show -json` prints in a directory where nothing was applied yet (terraform 1.11).
    (tmp_path / "state.json").write_text('{"format_version":"1.0"}\n')
    result = run(str(tmp_path / "state.json"), "-f", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["inputs"][0]["kind"] == "state" and report["inputs"][0]["resources"] == 0


@pytest.mark.parametrize("fmt", ["text", "sarif", "json", "junit", "github", "markdown"])
def test_lone_surrogate_in_a_plan_is_written_as_its_escape(tmp_path, fmt):
    # "\ud800" is valid JSON but no UTF-8 text: no tool writes it, a hand or a fuzzer can.
    doc = json.loads(plan_text())
    doc["terraform_version"] = "\ud800"
    entry(doc, "aws_dynamodb_table.orders")["change"]["after"]["name"] = "or\ud800ders"
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    proc = dynalint("plan.json", "-f", fmt, cwd=tmp_path)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr and b"internal error" not in proc.stderr
    if fmt in ("text", "json", "markdown", "junit"):  # as the input wrote it: visible, and valid UTF-8
        shown = "or\\\\ud800ders" if fmt == "markdown" else "or\\ud800ders"  # markdown escapes the backslash
        assert shown in proc.stdout.decode("utf-8")
    # written to a file (SARIF in pieces): the same bytes as on stdout
    written = dynalint("plan.json", "-f", fmt, "-o", "report.out", cwd=tmp_path)
    assert written.returncode == 1 and (tmp_path / "report.out").read_bytes() == proc.stdout


def test_yaml_rules_file_nested_past_the_recursion_limit(tmp_path):
    """The net below the loaders: a custom YAML rules file too deep for PyYAML is one line too."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "deep.yaml").write_text("rules: " + "[" * 5000 + "]" * 5000 + "\n")
    (tmp_path / "plan.json").write_text(plan_text())
    one_clear_line(dynalint("plan.json", "--rules-dir", "rules", cwd=tmp_path), "nested too deeply")


def test_the_command_line_gives_the_garbage_collector_back():
    """_check turns the cyclic collector off for speed; whoever calls main in-process (tests, a fuzzer, an
    editor plugin) must get it back, or memory grows with every call."""
    import gc

    assert gc.isenabled()
    assert run(str(case_plan("realworld"))).exit_code == 1 and gc.isenabled()
    assert CliRunner().invoke(main, ["--no-config", "missing.json"]).exit_code == 2 and gc.isenabled()

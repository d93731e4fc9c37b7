"""A gate that cannot be fooled (issue 13): one reading of the plan by the JSON parser, every field
dynalint reads checked, cut plans refused, errored plans refused, and a rule that fails reported.

Each case here lints clean (exit 0, or fewer findings) on the code before issue 13. The shadowing
plans come from real terraform (tests/tf/shadow/, tests/tf/sensitive_tfvars/); the malformed ones are
real plans edited into shapes terraform cannot write, as each case says.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynalint import engine
from dynalint.load import load_bytes
from dynalint.model import Finding, Level
from dynalint.rule import Issue, rule
from helpers import ROOT, SAMPLES, TF_CASES, load_case

SHADOWS = ("default", "tfvars", "data")
BAD = SAMPLES / "bad" / "plan.json"


def dynalint(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dynalint", "--no-config", *args], capture_output=True, cwd=cwd, timeout=120
    )


def refused(proc: subprocess.CompletedProcess) -> str:
    """The one line of an exit 2 (no traceback, nothing on stdout), without its "dynalint: error: " head."""
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2 and proc.stdout == b"", (proc.returncode, err, proc.stdout[-300:])
    [line] = err.splitlines()
    assert line.startswith("dynalint: error: ") and "Traceback" not in err
    return line[len("dynalint: error: ") :]


def _facts(findings) -> list[tuple]:
    return [(f.rule_id, f.level, f.address, f.path, f.message) for f in findings]


def _lint(model, select=()):
    registry = engine.builtin_registry()
    return engine.run([model], engine.select(registry.sorted(), select), registry.links)


# ---------------------------------------------------------------------- 1. shadowing
@pytest.mark.parametrize("variant", SHADOWS)
def test_values_named_like_plan_sections_do_not_hide_the_plan(variant):
    """Real terraform puts a map with a "resource_changes" key in a variable's default, a tfvars value or a
    terraform_data input; before issue 13 a text search took it for the plan's own section (no findings)."""
    twin = _facts(_lint(load_case("shadow/twin")))
    assert len(twin) >= 10 and {"DDB101", "DDB103"} <= {f[0] for f in twin}
    assert _facts(_lint(load_case(f"shadow/{variant}"))) == twin
    proc = dynalint(str(TF_CASES / "shadow" / variant / "plan.json"), "-f", "json")
    assert proc.returncode == 1 and len(json.loads(proc.stdout)["findings"]) == len(twin)


def test_the_shadowing_variants_hold_the_twins_tables_and_a_decoy():
    tables = (TF_CASES / "shadow" / "twin" / "main.tf").read_text().split("\n", 1)[1]
    for variant in SHADOWS:
        text = (TF_CASES / "shadow" / variant / "main.tf").read_text()
        assert tables.strip() in text
        plan = (TF_CASES / "shadow" / variant / "plan.json").read_text()
        assert plan.count('"resource_changes":') >= 2 and plan.find(
            '"resource_changes":[{"address":"aws_s3_bucket.decoy"'
        ) < plan.find('"resource_changes":[{"address":"aws_dynamodb_table')


def test_sensitive_variables_are_hidden_whatever_the_order_of_the_keys(tmp_path):
    """The secret comes from terraform.tfvars: only the variables section holds it; the plan's keys put in
    another order (jq, a script) once made dynalint miss the section and print it."""
    source = TF_CASES / "sensitive_tfvars" / "plan.json"
    canary = b"CANARY-tfvars-5d1e-do-not-print"
    doc = json.loads(source.read_text())
    moved = {k: doc[k] for k in ("format_version", "terraform_version")}
    moved.update({k: v for k, v in doc.items() if k not in moved and k != "variables"})
    moved["variables"] = doc["variables"]
    (tmp_path / "plan.json").write_text(json.dumps(moved, separators=(",", ":")))
    (tmp_path / "sorted.json").write_text(json.dumps(doc, sort_keys=True, indent=1))
    assert canary in (tmp_path / "plan.json").read_bytes()
    expected = json.loads(dynalint(str(source), "-f", "json").stdout)["findings"]
    assert any("copy-" not in f["message"] and f["address"] == "aws_dynamodb_table.copied" for f in expected)
    for name in ("plan.json", "sorted.json"):
        for fmt in ("text", "json", "sarif", "junit", "github", "markdown"):
            proc = dynalint(name, "-f", fmt, cwd=tmp_path)
            assert proc.returncode == 1 and canary not in proc.stdout + proc.stderr, (name, fmt)
        report = json.loads(dynalint(name, "-f", "json", cwd=tmp_path).stdout)
        assert [(f["rule_id"], f["address"], f["message"]) for f in report["findings"]] == [
            (f["rule_id"], f["address"], f["message"]) for f in expected
        ]


# ---------------------------------------------------------------------- 3. malformed documents
def _bad() -> dict:
    return json.loads(BAD.read_text())


def _edited(edit) -> dict:
    doc = _bad()
    edit(doc)
    return doc


def _table(doc: dict, name: str = "aws_dynamodb_table.orders") -> dict:
    return next(e for e in doc["resource_changes"] if e["address"] == name)


def _drop_tables(doc: dict, *sections: str) -> None:
    doc["resource_changes"] = [e for e in doc["resource_changes"] if e["type"] != "aws_dynamodb_table"]
    if "planned_values" in sections:
        module = doc["planned_values"]["root_module"]
        module["resources"] = [r for r in module["resources"] if r["type"] != "aws_dynamodb_table"]


def _set(path: str, value):
    """An edit that puts ``value`` at ``path`` (dotted; a number is a list index; "~x" deletes key x)."""

    def edit(doc):
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        node = doc
        for step in parents:
            node = node[step]
        if isinstance(last, str) and last.startswith("~"):
            del node[last[1:]]
        else:
            node[last] = value

    return edit


# Terraform writes none of these shapes (Go structs with fixed types): each is an edited or broken plan.
MALFORMED = [
    ("entry-not-object", _set("resource_changes.3", 5), "resource_changes[3]: expected an object, got 5"),
    (
        "no-address",
        _set("resource_changes.3.~address", None),
        "resource_changes[3].address: missing (expected a string)",
    ),
    ("address-number", _set("resource_changes.3.address", 7), "resource_changes[3].address: expected a string, got 7"),
    ("type-number", _set("resource_changes.3.type", 7), "resource_changes[3].type: expected a string, got 7"),
    (
        "mode-odd",
        _set("resource_changes.3.mode", "resource"),
        'resource_changes[3].mode: expected "managed" or "data", got "resource"',
    ),
    ("name-null", _set("resource_changes.3.name", None), "resource_changes[3].name: expected a string, got null"),
    (
        "index-bool",
        _set("resource_changes.3.index", True),
        "resource_changes[3].index: expected a number or a string, got true",
    ),
    ("no-change", _set("resource_changes.3.~change", None), "resource_changes[3].change: missing (expected an object)"),
    (
        "actions-text",
        _set("resource_changes.3.change.actions", "create"),
        "resource_changes[3].change.actions: expected an array of actions, got a string",
    ),
    (
        "actions-empty",
        _set("resource_changes.3.change.actions", []),
        "resource_changes[3].change.actions: expected at least one action, got none",
    ),
    (
        "action-odd",
        _set("resource_changes.3.change.actions", ["destroy"]),
        "resource_changes[3].change.actions[0]: expected one of create, delete, forget, no-op, read, update, "
        'got "destroy"',
    ),
    (
        "after-text",
        _set("resource_changes.3.change.after", "{}"),
        "resource_changes[3].change.after: expected an object or null, got a string",
    ),
    (
        "before-array",
        _set("resource_changes.3.change.before", []),
        "resource_changes[3].change.before: expected an object or null, got an array",
    ),
    (
        "after-unknown-true",
        _set("resource_changes.3.change.after_unknown", True),
        "resource_changes[3].change.after_unknown: expected an object, got true (a value wholly unknown until apply",
    ),
    (
        "after-sensitive-text",
        _set("resource_changes.3.change.after_sensitive", "yes"),
        "resource_changes[3].change.after_sensitive: expected an object or true/false, got a string",
    ),
    (
        "replace-path-step",
        _set("resource_changes.3.change.replace_paths", [[None]]),
        "resource_changes[3].change.replace_paths[0][0]: expected a name or an index, got null",
    ),
    ("changes-object", _set("resource_changes", {}), "resource_changes: expected an array, got an object"),
    ("variable-number", _set("variables", {"env": 5}), "variables.env: expected an object, got 5"),
    ("variable-odd-name", _set("variables", {"a b": []}), 'variables["a b"]: expected an object, got an array'),
    (
        "planned-resources-object",
        _set("planned_values.root_module.resources", {}),
        "planned_values.root_module.resources: expected an array, got an object",
    ),
    (
        "planned-mode",
        _set("planned_values.root_module.resources.0.mode", 1),
        'planned_values.root_module.resources[0].mode: expected "managed" or "data", got 1',
    ),
    (
        "module-calls-array",
        _set("configuration.root_module.module_calls", []),
        "configuration.root_module.module_calls: expected an object, got an array",
    ),
    (
        "config-address",
        _set("configuration.root_module.resources.0.address", None),
        "configuration.root_module.resources[0].address: expected a string, got null",
    ),
    (
        "address-twice",
        lambda doc: doc["resource_changes"].append(dict(doc["resource_changes"][3])),
        "resource_changes[32].address: the address of resource_changes[3] again: terraform writes one entry per",
    ),
    ("errored-text", _set("errored", "false"), "errored: expected true or false, got a string"),
    ("terraform-version-number", _set("terraform_version", 1.11), "terraform_version: expected a string, got 1.11"),
    ("format-2", _set("format_version", "2.0"), 'format_version: "2.0" is a format dynalint does not know'),
    ("no-format", _set("~format_version", None), "format_version: missing"),
    # cut plans: valid JSON, every field of the right type, resources missing from resource_changes
    (
        "changes-missing",
        _set("~resource_changes", None),
        "resource_changes: no entry for aws_appautoscaling_policy.inventory_read, which "
        "planned_values.root_module.resources[0] holds",
    ),
    ("changes-empty", _set("resource_changes", []), "resource_changes: no entry for aws_appautoscaling_policy"),
    ("changes-null", _set("resource_changes", None), "resource_changes: no entry for aws_appautoscaling_policy"),
    ("tables-cut", lambda doc: _drop_tables(doc), "resource_changes: no entry for aws_dynamodb_table."),
    (
        "tables-cut-twice",
        lambda doc: _drop_tables(doc, "planned_values"),
        "resource_changes: no entry for aws_dynamodb_table.",
    ),
]


@pytest.mark.parametrize("edit, says", [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_a_malformed_plan_is_refused_naming_the_first_problem(tmp_path, edit, says):
    (tmp_path / "plan.json").write_text(json.dumps(_edited(edit)))
    line = refused(dynalint("plan.json", cwd=tmp_path))
    assert line.startswith(f"plan.json: {says}"), line


def test_a_deposed_object_beside_its_current_one_is_no_second_entry(tmp_path):
    """Terraform writes a deposed object (create_before_destroy) as an entry of the same address with its
    ``deposed`` key: that one is read; the same deposed key twice is refused like any address twice."""
    doc = _bad()
    table = _table(doc, "aws_dynamodb_table.carts")
    deposed = dict(table, deposed="a1b2c3d4", change=dict(table["change"], actions=["delete"], after=None))
    doc["resource_changes"].append(deposed)
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    assert dynalint("plan.json", "-f", "json", cwd=tmp_path).returncode == 1
    doc["resource_changes"].append(dict(deposed))
    (tmp_path / "plan.json").write_text(json.dumps(doc))
    assert "again: terraform writes one entry per" in refused(dynalint("plan.json", cwd=tmp_path))


def test_a_plan_cut_in_both_places_is_refused_from_the_configuration(tmp_path):
    (tmp_path / "plan.json").write_text(json.dumps(_edited(lambda doc: _drop_tables(doc, "planned_values"))))
    line = refused(dynalint("plan.json", cwd=tmp_path))
    assert re.match(
        r"plan\.json: resource_changes: no entry for aws_dynamodb_table\.\w+, which "
        r"configuration\.root_module\.resources\[\d+\] declares and the plan says it is complete",
        line,
    )


@pytest.mark.parametrize(
    "text, says",
    [
        ('{"planned_values": {}}', "plan.json: format_version: missing"),
        ('{"format_version": "1.2"}', 'plan.json: the JSON has only a format_version ("1.2"): not a plan'),
        (
            '{"format_version": "1.2", "resource_changes": [5]}',
            "plan.json: resource_changes[0]: expected an object, got 5",
        ),
    ],
)
def test_small_documents_that_are_no_plan_are_refused(tmp_path, text, says):
    (tmp_path / "plan.json").write_text(text)
    assert refused(dynalint("plan.json", cwd=tmp_path)).startswith(says)


def test_a_top_level_key_written_twice_is_refused(tmp_path):
    """The first copy empty, the second the real one: two readers would lint two different plans."""
    text = BAD.read_text()
    head = '{"format_version":"1.2","terraform_version":"1.11.4",'
    assert text.startswith(head)
    (tmp_path / "plan.json").write_text(head + '"resource_changes":[],' + text[len(head) :])
    line = refused(dynalint("plan.json", cwd=tmp_path))
    assert line.startswith('plan.json: the top-level key "resource_changes" appears twice')


def test_every_plan_of_the_repository_passes_the_cross_checks():
    """Old formats, modules, deposed objects, data sources, imports, plans made with -target: none is cut."""
    plans = [
        *TF_CASES.glob("**/plan*.json"),
        *SAMPLES.glob("*/plan.json"),
        *ROOT.glob("tests/hcl/*/plan.json"),
        *ROOT.glob("examples/**/plan.json"),
    ]
    assert len(plans) > 20
    for path in plans:
        load_bytes(path.read_bytes(), str(path), locate=False)


def test_an_old_plan_with_data_sources_only_in_planned_values_loads():
    # Hand-built: terraform 0.12 wrote a data source read at plan time in planned_values only.
    doc = {
        "format_version": "0.1",
        "terraform_version": "0.12.31",
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": "data.aws_caller_identity.me",
                        "mode": "data",
                        "type": "aws_caller_identity",
                        "name": "me",
                        "values": {"account_id": "123456789012"},
                    }
                ]
            }
        },
        "resource_changes": [],
    }
    model = load_bytes(json.dumps(doc).encode(), "plan.json")
    assert [d.address for d in model.data_sources] == ["data.aws_caller_identity.me"] and not model.resources


# ---------------------------------------------------------------------- 5. DL000: a rule that fails
@rule(id="ACME900", slug="fragile", level="warning", applies=["aws_dynamodb_table"])
def _fragile(table, ctx):
    """Reads a key that is not there, after one finding."""
    yield Issue(f"Table {table.address} was seen.", path="seen")
    yield Issue(table.values["no_such_key"])


def _with(*extra):
    registry = engine.builtin_registry()
    for r in extra:
        registry.add(r)
    return registry


def test_a_rule_that_raises_is_a_dl000_finding_that_fails_the_gate():
    registry = _with(_fragile)
    model = load_case("shadow/twin")
    findings = engine.run([model], engine.select(registry.sorted(), ["ACME900"]), registry.links)
    errors = [f for f in findings if f.rule_id == "DL000"]
    assert [f.address for f in errors] == ["aws_dynamodb_table.orders", "aws_dynamodb_table.sessions"]
    first = errors[0]
    assert first.level is Level.ERROR and first.path == "ACME900" and first.resource_type == "aws_dynamodb_table"
    assert first.message == (
        "Rule ACME900 (fragile) failed on aws_dynamodb_table.orders (KeyError: 'no_such_key'), "
        "so this resource is not checked for ACME900: fix the rule (from tests.test_soundness or "
        "test_soundness); `--debug` prints the traceback.".replace(
            "tests.test_soundness or test_soundness", _fragile.origin
        )
    )
    assert sum(f.rule_id == "ACME900" for f in findings) == 2  # what it found before failing stays
    assert engine.exit_code(findings, "error") == 1
    assert len({f.fingerprint for f in errors}) == 2


def test_the_engine_makes_whole_findings_without_their_init():
    """engine._finding fills a Finding's fields itself (dynalint.model.made): each finding, a DL000 one and one
    renumbered by ``finish`` too, holds every field, as Finding(...) would make it."""
    registry = _with(_fragile)
    model = load_case("shadow/twin")
    findings = engine.run(
        [model, dataclasses.replace(model, input_file="copy.json")], registry.sorted(), registry.links
    )
    names = {f.name for f in dataclasses.fields(Finding)}
    assert {"DL000", "ACME900", "DDB101"} <= {f.rule_id for f in findings}
    assert any(f.fingerprint != engine.fingerprint(f.rule_id, f.address, f.path) for f in findings)  # renumbered
    for finding in findings:
        assert set(vars(finding)) == names
        assert finding == Finding(**vars(finding))


def test_a_builtin_rule_that_raises_says_it_is_a_bug(monkeypatch):
    registry = engine.builtin_registry()
    ddb101 = registry.rules["DDB101"]

    def broken(table, ctx):
        raise ValueError("odd\nshape")

    monkeypatch.setitem(registry.rules, "DDB101", dataclasses.replace(ddb101, check=broken))
    findings = engine.run([load_case("shadow/twin")], engine.select(registry.sorted(), ["DDB101"]), registry.links)
    assert {f.rule_id for f in findings} == {"DL000"}
    assert all(
        "(ValueError: odd shape)" in f.message and "a bug in dynalint: please report it" in f.message for f in findings
    )


def test_dl000_scrubs_what_the_plan_marks_sensitive():
    @rule(id="ACME901", slug="leaky", level="error", applies=["aws_dynamodb_table"])
    def leaky(table, ctx):
        """Raises with a value in its message."""
        raise ValueError(f"cannot read {table.values.get('name')!r} of CANARY-7f3a9c-do-not-print")

    registry = _with(leaky)
    findings = engine.run([load_case("sensitive")], engine.select(registry.sorted(), ["ACME901"]), registry.links)
    assert findings and all(f.rule_id == "DL000" for f in findings)
    assert not any("CANARY" in f.message for f in findings)


def test_dl000_is_kept_by_select_and_dropped_by_ignore():
    rules = engine.builtin_registry().sorted()
    assert "DL000" in {r.id for r in engine.select(rules, ["DDB101"])}
    assert "DL000" in {r.id for r in engine.select(rules, ["DDB"], ["DDB101"])}
    assert "DL000" not in {r.id for r in engine.select(rules, [], ["DL000"])}
    assert "DL000" not in {r.id for r in engine.select(rules, ["DDB101"], ["DL"])}
    registry = _with(_fragile)
    chosen = engine.select(registry.sorted(), ["ACME900"], ["DL000"])
    findings = engine.run([load_case("shadow/twin")], chosen, registry.links)
    assert {f.rule_id for f in findings} == {"ACME900"}  # ignored: the failure is not reported


FRAGILE = (
    "from dynalint.rule import Issue, rule\n\n\n"
    '@rule(id="ACME001", slug="fragile", level="note", applies=["aws_dynamodb_table"])\n'
    "def fragile(table, ctx):\n"
    '    """Reads a key that is not there."""\n'
    '    yield Issue(table.values["no_such_key"])\n'
)


@pytest.fixture
def fragile_dir(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "fragile.py").write_text(FRAGILE)
    (tmp_path / "plan.json").write_bytes((TF_CASES / "shadow" / "twin" / "plan.json").read_bytes())
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown"])
def test_dl000_shows_in_every_format_without_a_traceback(fragile_dir, fmt):
    proc = dynalint("plan.json", "--rules-dir", "rules", "--select", "ACME", "-f", fmt, cwd=fragile_dir)
    out = proc.stdout.decode()
    assert proc.returncode == 1 and "DL000" in out and "ACME001" in out and "aws_dynamodb_table.orders" in out
    assert "Traceback" not in out + proc.stderr.decode()


def test_dl000_is_counted_and_debug_prints_the_traceback(fragile_dir):
    stats = dynalint("plan.json", "--rules-dir", "rules", "--select", "ACME", "--statistics", cwd=fragile_dir)
    assert stats.returncode == 1 and re.search(r"^2 +DL000 +error +rule-error$", stats.stdout.decode(), re.M)
    debug = dynalint("plan.json", "--rules-dir", "rules", "--select", "ACME", "--debug", cwd=fragile_dir)
    err = debug.stderr.decode()
    assert debug.returncode == 1 and "ACME001 raised on aws_dynamodb_table.orders:" in err
    assert "Traceback (most recent call last)" in err and "KeyError: 'no_such_key'" in err
    ignored = dynalint("plan.json", "--rules-dir", "rules", "--select", "ACME", "--ignore", "DL000", cwd=fragile_dir)
    assert ignored.returncode == 0 and b"DL000" not in ignored.stdout


def test_dl000_level_can_be_lowered_in_the_config(fragile_dir):
    (fragile_dir / ".dynalint.yaml").write_text("rules:\n  DL000:\n    level: warning\n")
    proc = subprocess.run(
        [sys.executable, "-m", "dynalint", "plan.json", "--rules-dir", "rules", "--select", "ACME", "-f", "json"],
        capture_output=True,
        cwd=fragile_dir,
        timeout=120,
    )
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and {f["level"] for f in report["findings"] if f["rule_id"] == "DL000"} == {"warning"}


def test_a_lone_surrogate_in_an_address_no_longer_hides_findings(tmp_path):
    """Before issue 13 the fingerprint of such an address raised inside every rule, and every rule skipped it."""
    doc = json.loads((TF_CASES / "shadow" / "twin" / "plan.json").read_text())
    table = next(e for e in doc["resource_changes"] if e["address"] == "aws_dynamodb_table.orders")
    table["address"], table["index"] = 'aws_dynamodb_table.orders["\ud800"]', "\ud800"
    for resource in doc["planned_values"]["root_module"]["resources"]:
        if resource["address"] == "aws_dynamodb_table.orders":
            resource["address"], resource["index"] = table["address"], table["index"]
    model = load_bytes(json.dumps(doc).encode(), "plan.json")
    assert "DDB101" in {f.rule_id for f in _lint(model) if f.address.startswith("aws_dynamodb_table.orders[")}


def test_malformed_cases_are_distinct():
    assert len({c[0] for c in MALFORMED}) == len(MALFORMED)
    doc = _bad()
    for _, edit, _says in MALFORMED:
        edited = copy.deepcopy(doc)
        edit(edited)
        assert edited != doc


# ---------------------------------------------------------------------- the validator's fast predicates
_ODD = st.sampled_from(
    [
        None,
        True,
        False,
        0,
        7,
        1.5,
        "",
        "x",
        "create",
        "managed",
        "data",
        [],
        ["create"],
        [None],
        [[]],
        [["a", 0]],
        [[True]],
        {},
        {"a": 1},
        [5],
    ]
)
_ENTRY_KEYS = ("address", "mode", "type", "name", "index", "module_address", "deposed", "change")
_CHANGE_KEYS = ("actions", "before", "after", "after_unknown", "before_sensitive", "after_sensitive", "replace_paths")


@st.composite
def _odd_entries(draw):
    entry = copy.deepcopy(draw(st.sampled_from(_bad()["resource_changes"])))
    for _ in range(draw(st.integers(0, 3))):
        where_ = draw(st.sampled_from(["entry", "change"]))
        target = entry if where_ == "entry" or not isinstance(entry.get("change"), dict) else entry["change"]
        key = draw(st.sampled_from(_ENTRY_KEYS if target is entry else _CHANGE_KEYS))
        if draw(st.booleans()):
            target.pop(key, None)
        else:
            target[key] = draw(_ODD)
    return entry


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(_odd_entries())
def test_the_fast_predicates_agree_with_the_checks_that_name_the_problem(entry):
    from dynalint.load import validate

    try:
        validate._change_entry(entry, ("resource_changes", 0))
        named = None
    except validate._Problem as problem:
        named = problem.message
    assert validate._entry_ok(entry) == (named is None), named
    planned = {k: v for k, v in entry.items() if k != "change"}
    try:
        validate._resource_head(planned, ())
        head = True
    except validate._Problem:
        head = False
    assert validate._head_ok(planned) == head


def test_places_are_found_again_when_the_walk_of_the_keys_did_not_give_them():
    """decode._places with the top level but no key offsets walks the keys itself: the same places, and none
    (not a crash) for a document whose walk fails, here a top-level key written twice."""
    from dynalint.load import decode

    data = (SAMPLES / "mixed" / "plan.json").read_bytes()
    doc, places = decode.read_located(data, "plan.json")
    assert places is not None and places.entries
    again = decode._places(data, decode._TOP.decode(data), None, doc, None)
    assert again == places
    twice = b'{"format_version": "1.2", ' + data.lstrip()[1:]
    assert decode._places(twice, decode._TOP.decode(twice), None, doc, None) is None


def test_a_state_with_one_instance_twice_is_refused(tmp_path):
    doc = json.loads((ROOT / "tests" / "tf" / "realworld" / "state.json").read_text())
    resources = doc["values"]["root_module"]["resources"]
    resources.append(dict(resources[0]))
    (tmp_path / "state.json").write_text(json.dumps(doc))
    line = refused(dynalint("state.json", cwd=tmp_path))
    assert line.startswith(
        f"state.json: values.root_module.resources[{len(resources) - 1}].address: the address of "
        "values.root_module.resources[0] again"
    ), line

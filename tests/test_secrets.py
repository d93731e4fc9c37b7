"""Sensitive values never reach any output: every format, every flag, error messages (issue 8).

tests/tf/sensitive/ plants the canary below in a sensitive value of every resource type a rule
applies to; its plan is real terraform's. The hand-built plans further down have shapes
terraform does not write (each says why). Every output is grepped for the canary and for a
fragment of it.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from dynalint import report
from dynalint.cli import main
from dynalint.load import load_input
from dynalint.model import SENSITIVE, UNKNOWN
from helpers import ROOT, TF_CASES, case_plan

CANARY = "CANARY-7f3a9c-do-not-print"
FRAGMENTS = ("CANARY", "7f3a9c", "do-not-print")
CASE = TF_CASES / "sensitive"
FORMATS = report.FORMATS
FLAGS = (
    [],
    ["--show-suppressed"],
    ["--statistics"],
    ["--quiet"],
    ["--changed-only"],
    ["--debug"],
    ["--fail-on", "never", "--show-suppressed", "--statistics"],
)
RULE_TYPES = sorted(
    {
        t
        for r in json.loads(CliRunner().invoke(main, ["rules", "--format", "json"]).output)["rules"]
        for t in r["applies"]
    }
)


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--no-config", *args], input=input, catch_exceptions=False)


def assert_clean(text: str, where: str, canary: str = CANARY) -> None:
    for fragment in (canary, *FRAGMENTS):
        assert fragment not in text, f"{where}: {fragment!r} leaked:\n{_around(text, fragment)}"


def _around(text: str, fragment: str) -> str:
    at = text.find(fragment)
    return text[max(0, at - 200) : at + 200]


def _holds_masked(value, masks) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if any(node is mask for mask in masks):
            return True
        stack.extend(node.values() if isinstance(node, dict) else node if isinstance(node, list) else ())
    return False


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("source", ["plan", "tf"])
def test_every_rule_type_holds_a_masked_canary(source):
    model = load_input(str(case_plan("sensitive") if source == "plan" else CASE))
    # .tf input: jsonencode() of an object holding a secret is not evaluated (UNKNOWN), which hides it too
    masks = (SENSITIVE,) if source == "plan" else (SENSITIVE, UNKNOWN)
    masked = {r.type for r in model.resources if _holds_masked(r.values, masks)}
    assert masked >= set(RULE_TYPES), set(RULE_TYPES) - masked
    assert CANARY in model.secrets
    assert_clean(repr([(r.values, r.change and r.change.before) for r in model.resources]), "model")


@pytest.mark.parametrize("flags", FLAGS, ids=lambda f: " ".join(f) or "plain")
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("source", ["plan", "tf"])
def test_no_format_and_no_flag_prints_the_canary(source, fmt, flags):
    path = str((case_plan("sensitive") if source == "plan" else CASE).relative_to(ROOT))
    result = run(path, "-f", fmt, *flags)
    assert result.exit_code in (0, 1), result.output
    assert_clean(result.output, f"{source} -f {fmt} {' '.join(flags)}")  # stdout and stderr
    if flags == [] and fmt == "json":  # the findings are there, naming resources that hold secrets
        findings = json.loads(result.stdout)["findings"]
        assert len({f["resource_type"] for f in findings}) >= 10


def test_baseline_and_report_files_hold_no_canary(tmp_path):
    plan = str(case_plan("sensitive").relative_to(ROOT))
    baseline, report = tmp_path / "baseline.json", tmp_path / "report.sarif"
    assert run(plan, "--write-baseline", str(baseline)).exit_code == 0
    assert json.loads(baseline.read_text())["findings"]
    run(plan, "--baseline", str(baseline), "-f", "sarif", "-o", str(report), "--show-suppressed")
    for written in (baseline, report):
        assert_clean(written.read_text(), written.name)


def test_error_messages_hold_no_canary(tmp_path):
    text = case_plan("sensitive").read_text()
    cut = tmp_path / "plan.json"
    cut.write_text(text[: text.index(CANARY) + 10])  # truncated in the middle of a secret
    result = run(str(cut))
    assert result.exit_code == 2 and "truncated" in result.output
    assert_clean(result.output, "truncated plan")
    broken = tmp_path / "broken.json"
    broken.write_text(text.replace(f'"{CANARY}"', f'"{CANARY}" x', 1))  # invalid JSON right after a secret
    result = run(str(broken))
    assert result.exit_code == 2 and "invalid JSON" in result.output
    assert_clean(result.output, "invalid plan")


# ---------------------------------------------------------------------- shapes terraform does not write
def _plan(*changes: dict, variables: dict | None = None, declared: dict | None = None) -> str:
    """A plan in terraform's key order and compact form (tests/test_determinism.py reorders keys)."""
    return json.dumps(
        {
            "format_version": "1.2",
            "terraform_version": "1.11.4",
            "variables": variables or {},
            "resource_changes": list(changes),
            "configuration": {"root_module": {"variables": declared or {}}},
        },
        separators=(",", ":"),
    )


def _change(address: str, actions: list, after, before=None, after_sensitive=None, before_sensitive=None) -> dict:
    rtype, name = address.split(".")
    return {
        "address": address,
        "mode": "managed",
        "type": rtype,
        "name": name,
        "change": {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": {},
            "after_sensitive": after_sensitive or {},
            "before_sensitive": before_sensitive or {},
        },
    }


TABLE = {
    "name": "orders",
    "billing_mode": "PROVISIONED",
    "read_capacity": 5,
    "write_capacity": 5,
    "hash_key": "pk",
    "attribute": [{"name": "pk", "type": "S"}, {"name": "status", "type": "S"}],
    "global_secondary_index": [],
    "replica": [],
    "point_in_time_recovery": [{"enabled": False}],
    "stream_enabled": False,
    "tags": {},
}

HAND_BUILT = {
    # An index set whose one element is marked: terraform marks a whole set (global_secondary_index is
    # one), never an element in it, but rules name indexes in messages and paths.
    "index-name-marked-in-a-list": _plan(
        _change(
            "aws_dynamodb_table.t",
            ["create"],
            {
                **TABLE,
                "global_secondary_index": [
                    {
                        "name": CANARY,
                        "hash_key": "status",
                        "projection_type": "ALL",
                        "read_capacity": 1,
                        "write_capacity": 1,
                    }
                ],
            },
            after_sensitive={"global_secondary_index": [{"name": True}]},
        )
    ),
    # A secret marked in tags but copied unmarked into tags_all, as a value and as a key: the provider
    # computes tags_all, and terraform does not carry the mark over.
    "unmarked-copy-in-tags-all": _plan(
        _change(
            "aws_dynamodb_table.t",
            ["create"],
            {**TABLE, "tags": {"Owner": CANARY}, "tags_all": {"Owner": CANARY, CANARY: "key"}},
            after_sensitive={"tags": {"Owner": True}},
        )
    ),
    # The old values were sensitive, the new ones are not: a replacement and a capacity mode switch.
    # Terraform writes this after a variable stops being sensitive; making it needs two applies.
    "only-before-is-sensitive": _plan(
        _change(
            "aws_dynamodb_table.t",
            ["delete", "create"],
            TABLE,
            before={
                **TABLE,
                "name": CANARY,
                "billing_mode": "PAY_PER_REQUEST",
                "hash_key": CANARY,
                "attribute": [{"name": CANARY, "type": "S"}],
            },
            before_sensitive={"name": True, "hash_key": True, "attribute": True},
        )
    ),
    # A root variable declared sensitive whose value reaches an attribute unmarked (a plan rewritten
    # by a tool that dropped after_sensitive).
    "sensitive-variable-unmarked-in-values": _plan(
        _change("aws_dynamodb_table.t", ["create"], {**TABLE, "name": f"{CANARY}-orders"}),
        variables={"owner": {"value": CANARY}},
        declared={"owner": {"sensitive": True}},
    ),
    # The same, with the keys sorted as `jq -S` writes them: the variables section comes last.
    "sensitive-variable-keys-sorted": json.dumps(
        json.loads(
            _plan(
                _change("aws_dynamodb_table.t", ["create"], {**TABLE, "name": f"{CANARY}-orders"}),
                variables={"owner": {"value": CANARY}},
                declared={"owner": {"sensitive": True}},
            )
        ),
        sort_keys=True,
    ),
    # A sensitive number: the read capacity.
    "sensitive-number": _plan(
        _change(
            "aws_dynamodb_table.t",
            ["create"],
            {**TABLE, "read_capacity": 7319046},
            after_sensitive={"read_capacity": True},
        )
    ),
}


@pytest.mark.parametrize("name", HAND_BUILT)
@pytest.mark.parametrize("fmt", FORMATS)
def test_hand_built_sensitive_shapes(tmp_path, name, fmt):
    plan = tmp_path / "plan.json"
    plan.write_text(HAND_BUILT[name])
    for flags in ([], ["--show-suppressed", "--statistics"]):
        result = run(str(plan), "-f", fmt, *flags)
        assert result.exit_code == 1, result.output  # DDB101 at least: the table is judged
        assert_clean(result.output, f"{name} -f {fmt}", canary="7319046" if name == "sensitive-number" else CANARY)


def test_state_sensitive_values_are_masked(tmp_path):
    # `terraform show -json` of a state marks secrets under sensitive_values; none of the states
    # made here holds one (the state builder writes no sensitive attribute).
    state = {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_dynamodb_table.t",
                        "mode": "managed",
                        "type": "aws_dynamodb_table",
                        "name": "t",
                        "values": {
                            **TABLE,
                            "name": CANARY,
                            "arn": f"arn:aws:dynamodb:us-east-1:123456789012:table/{CANARY}",
                        },
                        "sensitive_values": {"name": True},
                    }
                ]
            }
        },
    }
    path = tmp_path / "state.json"
    path.write_text(json.dumps(state))
    for fmt in FORMATS:
        result = run(str(path), "-f", fmt)
        assert result.exit_code == 1 and "aws_dynamodb_table.t" in result.output
        assert_clean(result.output, f"state -f {fmt}")


def test_tf_input_with_a_sensitive_variable_from_tfvars(tmp_path):
    """The value comes from a .tfvars file this time, not the default."""
    for name in ("main.tf",):
        (tmp_path / name).write_text((CASE / name).read_text().replace(f'default   = "{CANARY}"', ""))
    (tmp_path / "terraform.tfvars").write_text(f'canary = "{CANARY}"\n')
    for fmt in FORMATS:
        result = run(str(tmp_path), "-f", fmt, "--show-suppressed")
        assert result.exit_code == 1
        assert_clean(result.output, f"tfvars -f {fmt}")


def test_the_canary_is_in_the_inputs_so_the_grep_means_something():
    assert CANARY in case_plan("sensitive").read_text() and CANARY in (CASE / "main.tf").read_text()
    assert Path(CASE / "main.tf").read_text().count("var.canary") >= 20


@pytest.mark.parametrize("source", ["tests/tf/sensitive/plan.json", "tests/tf/sensitive"])
def test_debug_output_holds_no_canary(source):
    """--debug logs why rules stayed silent, in a process of its own (CliRunner shares the logging set-up)."""
    proc = subprocess.run(
        [sys.executable, "-m", "dynalint", source, "--debug", "--show-suppressed"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 1
    assert_clean(proc.stdout + proc.stderr, f"{source} --debug")


# ---------------------------------------------------------------------- copies in other forms (issue 14)
HOSTILE = TF_CASES / "hostile"


def _sids() -> list[str]:
    """The Sids real terraform wrote into the leaky policy: the canary JSON-escaped inside the policy string,
    base64-encoded and URL-encoded (terraform's own encodings, not ours)."""
    plan = json.loads(case_plan("hostile").read_text())
    [policy] = [c for c in plan["resource_changes"] if c["type"] == "aws_dynamodb_resource_policy"]
    raw = policy["change"]["after"]["policy"]
    return [s["Sid"] for s in json.loads(raw)["Statement"]] + [raw[raw.index("sid-") : raw.index(" end") + 4]]


def assert_no_copy(text: str, where: str) -> None:
    secret = json.loads(case_plan("hostile").read_text())["variables"]["canary"]["value"]
    for form in (secret, *_sids(), "CANARY-9d1e", "Q0FOQVJZ", "%22q%22", "U5BUlkt"):
        assert form not in text, f"{where}: {form!r} leaked:\n{_around(text, form)}"


def test_the_hostile_plan_holds_each_encoding_of_its_secret():
    secret = json.loads(case_plan("hostile").read_text())["variables"]["canary"]["value"]
    sids = _sids()
    assert sids[0] == f"sid-{secret}" and "\\u003c" in sids[3] and '\\"q\\"' in sids[3]  # JSON-escaped in the document
    assert base64.b64decode(sids[1]).decode() == secret and urllib.parse.unquote_plus(sids[2]) == secret


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("source", ["plan", "tf"])
def test_a_copy_in_any_encoding_is_scrubbed_from_every_field(source, fmt, tmp_path):
    path = str((case_plan("hostile") if source == "plan" else HOSTILE).relative_to(ROOT))
    result = run(path, "-f", fmt, "--show-suppressed")
    assert result.exit_code == 1, result.output
    assert_no_copy(result.output, f"{source} -f {fmt}")
    baseline = tmp_path / "baseline.json"
    assert run(path, "-f", fmt, "--write-baseline", str(baseline)).exit_code == 0
    assert_no_copy(baseline.read_text(), f"{source} baseline")


def test_the_leaky_policy_is_still_judged_with_its_statements_named_sensitive():
    findings = json.loads(run(str(case_plan("hostile").relative_to(ROOT)), "-f", "json").stdout)["findings"]
    leaky = [(f["rule_id"], f["path"]) for f in findings if f["address"] == "aws_dynamodb_resource_policy.leaky"]
    assert ("DDB601", "policy.Statement.sid-(sensitive)") in leaky
    assert ("DDB603", "policy.Statement.(sensitive).Principal") in leaky


@pytest.mark.parametrize(
    "copy",
    [
        lambda s: s,
        lambda s: json.dumps(s)[1:-1],
        lambda s: json.dumps(json.dumps(s))[1:-1],
        lambda s: json.dumps(s)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"),
        lambda s: json.dumps(s, ensure_ascii=False)[1:-1],
        lambda s: urllib.parse.quote(s, safe=""),
        lambda s: urllib.parse.quote_plus(s),
        lambda s: base64.b64encode(s.encode()).decode(),
        lambda s: base64.urlsafe_b64encode(s.encode()).decode().rstrip("="),
        lambda s: base64.b64encode(f"user:{s}".encode()).decode(),
        lambda s: base64.b64encode(f"{s}:x".encode()).decode(),
        lambda s: base64.b64encode(f"ab{s}".encode()).decode(),
    ],
    ids=[
        "raw",
        "json",
        "json-twice",
        "jsonencode",
        "json-unicode",
        "url",
        "url-plus",
        "base64",
        "base64url",
        "base64-after-5",
        "base64-before",
        "base64-after-2",
    ],
)
def test_scrub_removes_every_form_a_copy_takes(copy):
    from dynalint.engine import scrub

    secret = 'p<a>ss "wörd" & \\ more'
    text = f"statement '{copy(secret)}' is open"
    scrubbed = scrub(text, frozenset([secret]))
    assert "(sensitive)" in scrubbed
    for fragment in ("ss ", "wörd", "more", copy(secret)[4:-4]):
        assert fragment not in scrubbed.replace("is open", "").replace("statement", ""), scrubbed


@given(
    st.lists(st.text(alphabet="ab(.\\", min_size=1, max_size=6), min_size=1, max_size=12),
    st.text(alphabet="ab(.\\x", max_size=40),
)
def test_the_prefix_tree_pattern_matches_as_the_plain_alternation_does(words, text):
    import re

    from dynalint.engine import _tree_pattern

    plain = "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    assert re.sub(_tree_pattern(words), "#", text) == re.sub(plain, "#", text)

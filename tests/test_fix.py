"""dynalint --fix and --diff as a user runs them: what is fixed and what is not, on .tf and on a plan beside its
.tf, and everything a pull request could make hostile (links, line endings, encodings, files changed meanwhile)."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dynalint import engine
from dynalint.cli import main
from dynalint.errors import RuleError
from dynalint.fix import workspace
from dynalint.rule import AddBlock, Block, Extend, Fix, Ref, RemoveBlock, Set, rule
from helpers import ROOT, SAMPLES, validate_sarif

TABLE = """\
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
"""

FIXED = """\
resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = true
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
}
"""


def run(*args):
    return CliRunner().invoke(main, [*args, "--no-config"], catch_exceptions=False)


@pytest.fixture
def infra(tmp_path, monkeypatch):
    """An ``infra/`` directory in a fresh working directory, holding main.tf = TABLE."""
    monkeypatch.chdir(tmp_path)
    Path("infra").mkdir()
    Path("infra/main.tf").write_text(TABLE)
    return Path("infra")


# ---------------------------------------------------------------- --fix, --diff and their exit codes
def test_fix_writes_the_fixes_and_reports_what_remains(infra):
    result = run("--fix", "--select", "DDB1,DDB201", "infra")
    assert (infra / "main.tf").read_text() == FIXED
    assert result.stderr == "dynalint: fixed 2 findings in 1 file: infra/main.tf\n"
    assert result.exit_code == 0  # DDB201 (a warning) remains, below --fail-on error
    assert "DDB201" in result.stdout and "DDB101" not in result.stdout and "DDB103" not in result.stdout


def test_diff_prints_the_fixes_and_changes_nothing(infra):
    result = run("--diff", "--select", "DDB1", "infra")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/infra/main.tf\n+++ b/infra/main.tf\n@@ ")
    assert "+  deletion_protection_enabled = true\n" in result.stdout and "DDB103" not in result.stdout
    assert result.stderr == "dynalint: would fix 2 findings in 1 file: infra/main.tf\n"
    assert (infra / "main.tf").read_text() == TABLE
    (infra / "main.tf").write_text(FIXED)
    clean = run("--diff", "--select", "DDB1", "infra")
    assert clean.exit_code == 0 and clean.stdout == ""


def test_exit_non_zero_on_fix_for_pre_commit(infra):
    assert run("--fix", "--exit-non-zero-on-fix", "--select", "DDB1", "infra").exit_code == 1
    assert run("--fix", "--exit-non-zero-on-fix", "--select", "DDB1", "infra").exit_code == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--unsafe-fixes"], "--unsafe-fixes goes with --fix or --diff"),
        (["--exit-non-zero-on-fix"], "--exit-non-zero-on-fix goes with --fix"),
        (["--fix", "--write-baseline", "b.json"], "--fix and --diff do not go with --write-baseline"),
    ],
)
def test_options_that_do_not_go_together(infra, args, message):
    result = run(*args, "infra")
    assert result.exit_code == 2 and message in result.stderr
    assert (infra / "main.tf").read_text() == TABLE


def test_quiet_fix_prints_no_summary(infra):
    result = run("--fix", "-q", "--select", "DDB1", "infra")
    assert result.stderr == "" and result.exit_code == 0


def test_a_plan_beside_its_tf_gets_its_tf_fixed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLES / "bad", "bad")
    planned = json.loads(run("bad/plan.json", "--select", "DDB103", "-f", "json").stdout)["findings"]
    assert len(planned) == 8
    result = run("--fix", "--select", "DDB103", "bad/plan.json")
    assert result.stderr == "dynalint: fixed 8 findings in 1 file: bad/main.tf\n"
    assert json.loads(run("bad/main.tf", "--select", "DDB103", "-f", "json").stdout)["findings"] == []
    assert "DDB103" not in result.stdout  # fixed in the .tf: the plan, made before, no longer counts
    assert "bad/plan.json: its .tf files were fixed: run terraform plan again" in result.stdout
    assert Path("bad/plan.json").read_bytes() == (SAMPLES / "bad" / "plan.json").read_bytes()


def test_sample_bad_loses_every_safe_fixable_finding(tmp_path, monkeypatch):
    """The README's promise: --fix on sample_plans/bad's .tf leaves no finding that has a safe fix."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLES / "bad" / "main.tf", "main.tf")
    safe = [r.id for r in engine.builtin_registry().sorted() if r.fix == "safe"]
    before = json.loads(run("main.tf", "-f", "json").stdout)["findings"]
    assert {f["rule_id"] for f in before} >= {"DDB101", "DDB102", "DDB103", "DDB501"}
    run("--fix", "main.tf")
    after = json.loads(run("main.tf", "-f", "json").stdout)["findings"]
    assert [f for f in after if f["rule_id"] in safe] == []
    assert {f["rule_id"] for f in after} >= {"DDB206", "DDB207", "DDB508"}  # unsafe: left for --unsafe-fixes
    assert {(f["rule_id"], f["address"]) for f in after} <= {(f["rule_id"], f["address"]) for f in before}


def test_the_readme_shows_what_fix_makes_of_a_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLES / "bad" / "main.tf", "main.tf")
    [shown] = re.findall(r"```diff\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    diff = "".join(line + "\n" for line in run("--diff", "main.tf").stdout.splitlines() if not line.startswith("@@"))
    assert shown in diff


# ---------------------------------------------------------------- what is not fixed
def test_suppressed_and_baselined_findings_are_not_fixed(infra):
    (infra / "main.tf").write_text("# dynalint:ignore=DDB103 a scratch table\n" + TABLE)
    assert run("--write-baseline", "baseline.json", "--select", "DDB101", "infra").exit_code == 0
    result = run("--fix", "--baseline", "baseline.json", "--select", "DDB1", "infra")
    assert result.stderr == "dynalint: nothing to fix\n"
    assert (infra / "main.tf").read_text() == "# dynalint:ignore=DDB103 a scratch table\n" + TABLE


def test_a_block_shared_by_instances_is_fixed_only_when_all_need_it(infra):
    (infra / "main.tf").write_text("""\
resource "aws_dynamodb_table" "global" {
  for_each         = { a = true, b = false }
  name             = "global-${each.key}"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = each.value
  }
  replica {
    region_name = "eu-west-1"
  }
}
""")
    result = run("--fix", "--select", "DDB102", "infra")
    assert (
        'no fix for DDB102 on aws_dynamodb_table.global["a"] (infra/main.tf:15): the change would also reach '
        'aws_dynamodb_table.global["b"], which does not have this finding with the same fix'
    ) in result.stderr
    assert "point_in_time_recovery = true" not in (infra / "main.tf").read_text()


def test_a_module_called_twice_is_fixed_at_each_call(infra):
    (infra / "table").mkdir()
    (infra / "table" / "main.tf").write_text(
        TABLE.replace(
            '  hash_key     = "pk"\n', '  hash_key     = "pk"\n\n  deletion_protection_enabled = var.protect\n'
        )
        + 'variable "protect" {\n  type = bool\n}\n'
    )
    (infra / "main.tf").write_text(
        'module "a" {\n  source  = "./table"\n  protect = false\n}\n\n'
        'module "b" {\n  source  = "./table"\n  protect = false\n}\n'
    )
    run("--fix", "--select", "DDB103", "infra")
    assert (infra / "main.tf").read_text().count("protect = true") == 2
    assert "var.protect" in (infra / "table" / "main.tf").read_text()


def test_a_variable_passed_down_two_module_calls_is_fixed_where_it_is_a_literal(infra):
    (infra / "outer").mkdir()
    (infra / "inner").mkdir()
    (infra / "main.tf").write_text('module "outer" {\n  source  = "./outer"\n  protect = false\n}\n')
    (infra / "outer" / "main.tf").write_text(
        'variable "protect" {\n  type = bool\n}\n\nmodule "inner" {\n'
        '  source  = "../inner"\n  protect = var.protect\n}\n'
    )
    inner = TABLE.replace(
        '  hash_key     = "pk"\n', '  hash_key     = "pk"\n\n  deletion_protection_enabled = var.protect\n'
    )
    (infra / "inner" / "main.tf").write_text(inner + 'variable "protect" {\n  type = bool\n}\n')
    result = run("--fix", "--select", "DDB103", "infra")
    assert result.stderr == "dynalint: fixed 1 finding in 1 file: infra/main.tf\n"
    assert (infra / "main.tf").read_text() == 'module "outer" {\n  source  = "./outer"\n  protect = true\n}\n'


def test_a_root_variable_gets_no_fix(infra):
    (infra / "main.tf").write_text(
        TABLE.replace('  hash_key     = "pk"\n', '  hash_key     = "pk"\n  deletion_protection_enabled = var.protect\n')
        + 'variable "protect" {\n  default = false\n}\n'
    )
    result = run("--fix", "--select", "DDB103", "infra")
    assert (
        "`deletion_protection_enabled` is set by a variable of the root module (set its value in your .tfvars): "
        "`var.protect`"
    ) in result.stderr


def test_an_override_file_means_no_fix(infra):
    (infra / "main_override.tf").write_text('resource "aws_dynamodb_table" "orders" {\n  name = "orders-x"\n}\n')
    result = run("--fix", "--select", "DDB103", "infra")
    assert "infra/main_override.tf overrides this resource" in result.stderr
    assert (infra / "main.tf").read_text() == TABLE


def test_dynamic_blocks_are_not_changed(infra):
    (infra / "main.tf").write_text(
        TABLE.replace(
            "}\n}\n",
            """}
  dynamic "replica" {
    for_each = ["eu-west-1"]
    content {
      region_name = replica.value
    }
  }
  point_in_time_recovery {
    enabled = true
  }
}
""",
            1,
        )
    )
    result = run("--fix", "--select", "DDB102", "infra")
    assert "the `replica` blocks come from a dynamic block" in result.stderr


def test_no_fix_makes_another_finding_appear(infra):
    """PITR on a table makes DDB102 judge its replicas; replicas of a dynamic block cannot be fixed in turn, so the
    table's fix is left out (even with --select DDB101: the guard lints with every rule the configuration runs)."""
    (infra / "main.tf").write_text(
        TABLE.replace(
            "}\n}\n",
            """}
  dynamic "replica" {
    for_each = ["eu-west-1"]
    content {
      region_name = replica.value
    }
  }
}
""",
            1,
        ).replace(
            '  hash_key     = "pk"\n',
            '  hash_key     = "pk"\n  stream_enabled   = true\n  stream_view_type = "NEW_AND_OLD_IMAGES"\n',
        )
    )
    before = (infra / "main.tf").read_text()
    result = run("--fix", "--select", "DDB101", "infra")
    assert (
        "no fix for DDB101 on aws_dynamodb_table.orders (infra/main.tf:1): fixing it would make DDB102 appear on "
        "aws_dynamodb_table.orders, which has no fix dynalint can make"
    ) in result.stderr
    assert (infra / "main.tf").read_text() == before
    # where the replicas can be fixed too, both are, over two passes
    (infra / "main.tf").write_text(
        before.replace(
            '  dynamic "replica" {\n    for_each = ["eu-west-1"]\n    content {\n'
            "      region_name = replica.value\n    }\n  }\n",
            '  replica {\n    region_name = "eu-west-1"\n  }\n',
        )
    )
    result = run("--fix", "--select", "DDB101,DDB102", "infra")
    assert result.stderr == "dynalint: fixed 2 findings in 1 file: infra/main.tf\n"
    assert "point_in_time_recovery = true" in (infra / "main.tf").read_text()


def test_when_blame_does_not_settle_no_fix_is_made(infra, monkeypatch):
    from dynalint.fix import run as fixer

    monkeypatch.setattr(fixer, "MAX_ATTEMPTS", 1)  # the DDB101 -> DDB102 case above needs a second attempt
    (infra / "main.tf").write_text(
        TABLE.replace(
            "}\n}\n",
            '}\n  dynamic "replica" {\n    for_each = ["eu-west-1"]\n'
            "    content {\n      region_name = replica.value\n    }\n  }\n}\n",
            1,
        ).replace(
            '  hash_key     = "pk"\n',
            '  hash_key     = "pk"\n  stream_enabled   = true\n  stream_view_type = "NEW_AND_OLD_IMAGES"\n',
        )
    )
    before = (infra / "main.tf").read_text()
    result = run("--fix", "--select", "DDB1", "infra")
    assert "no fix was made: the fixes kept making other findings appear" in result.stderr
    assert (infra / "main.tf").read_text() == before


# ---------------------------------------------------------------- hostile input: fail closed, write nothing
def test_a_link_out_of_the_tree_is_not_written_through(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "real.tf").write_text(TABLE)
    repo = tmp_path / "repo"
    (repo / "infra").mkdir(parents=True)
    (repo / "infra" / "main.tf").symlink_to(outside / "real.tf")
    monkeypatch.chdir(repo)
    result = run("--fix", "--select", "DDB1", "infra")
    assert result.exit_code == 2
    assert result.stderr == (
        f"dynalint: error: infra/main.tf: its real path {outside / 'real.tf'} is outside the "
        "directories being fixed (a symbolic link?); dynalint --fix does not write there\n"
    )
    assert (outside / "real.tf").read_text() == TABLE


def test_a_link_within_the_tree_stays_a_link_to_the_fixed_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("shared").mkdir()
    Path("shared/table.tf").write_text(TABLE)
    Path("infra").mkdir()
    Path("infra/main.tf").symlink_to("../shared/table.tf")
    assert run("--fix", "--select", "DDB1", "infra").exit_code == 0
    assert Path("infra/main.tf").is_symlink() and Path("shared/table.tf").read_text() == FIXED


def test_a_file_changed_while_fixing_is_not_overwritten(infra, monkeypatch):
    write = workspace.Workspace.write

    def edited_meanwhile(self):
        (infra / "main.tf").write_text(TABLE + "# saved by an editor meanwhile\n")
        return write(self)

    monkeypatch.setattr(workspace.Workspace, "write", edited_meanwhile)
    result = run("--fix", "--select", "DDB1", "infra")
    assert result.exit_code == 2
    assert result.stderr == (
        "dynalint: error: infra/main.tf: changed on disk while dynalint was fixing it; nothing "
        "was written (run dynalint --fix again)\n"
    )
    assert (infra / "main.tf").read_text().endswith("# saved by an editor meanwhile\n")


def test_crlf_line_endings_are_kept(infra):
    (infra / "main.tf").write_bytes(TABLE.replace("\n", "\r\n").encode())
    assert run("--fix", "--select", "DDB1", "infra").exit_code == 0
    assert (infra / "main.tf").read_bytes() == FIXED.replace("\n", "\r\n").encode()


def test_mixed_line_endings_are_refused(infra):
    mixed = TABLE.replace("\n", "\r\n", 2).encode()
    (infra / "main.tf").write_bytes(mixed)
    result = run("--fix", "--select", "DDB1", "infra")
    assert result.exit_code == 2
    assert result.stderr == (
        "dynalint: error: infra/main.tf: mixes CRLF and LF line endings; dynalint --fix does not "
        "edit it (make the line endings consistent first)\n"
    )
    assert (infra / "main.tf").read_bytes() == mixed


def test_a_byte_order_mark_is_kept(infra):
    (infra / "main.tf").write_bytes(b"\xef\xbb\xbf" + TABLE.encode())
    run("--fix", "--select", "DDB1", "infra")
    assert (infra / "main.tf").read_bytes() == b"\xef\xbb\xbf" + FIXED.encode()


def test_not_utf8_is_refused(infra):
    (infra / "main.tf").write_bytes(TABLE.replace('"orders"', '"caf\xe9"', 1).encode("latin-1"))
    result = run("--fix", "--select", "DDB1", "infra")
    assert result.exit_code == 2 and "not UTF-8 text" in result.stderr and len(result.stderr.splitlines()) == 1


def test_tab_indentation_is_followed_not_realigned(infra):
    tabbed = TABLE.replace("\n  ", "\n\t").replace("\t  ", "\t\t")
    (infra / "main.tf").write_text(tabbed)
    run("--fix", "--select", "DDB1", "infra")
    assert (infra / "main.tf").read_text() == tabbed.replace(
        '\thash_key     = "pk"\n', '\thash_key     = "pk"\n\tdeletion_protection_enabled = true\n'
    ).replace("\t}\n}\n", "\t}\n\tpoint_in_time_recovery {\n\t\tenabled = true\n\t}\n}\n")


def test_a_heredoc_neighbour_is_kept_and_aligned(infra):
    (infra / "main.tf").write_text("""\
resource "aws_dax_cluster" "cache" {
  cluster_name       = "cache"
  description        = <<-EOT
    the orders = hot keys
  EOT
  iam_role_arn       = "arn:aws:iam::123456789012:role/dax"
  node_type          = "dax.r5.large"
  replication_factor = 3
}
""")
    run("--fix", "--unsafe-fixes", "--select", "DDB207", "infra")
    assert (
        (infra / "main.tf").read_text()
        == """\
resource "aws_dax_cluster" "cache" {
  cluster_name                     = "cache"
  description                      = <<-EOT
    the orders = hot keys
  EOT
  iam_role_arn                     = "arn:aws:iam::123456789012:role/dax"
  node_type                        = "dax.r5.large"
  replication_factor               = 3
  cluster_endpoint_encryption_type = "TLS"
}
"""
    )


def test_a_file_name_cannot_forge_diff_lines(infra):
    os.rename(infra / "main.tf", infra / "x\n+++ evil.tf")
    result = run("--diff", "--select", "DDB103", "infra")
    assert result.exit_code == 1
    assert "--- a/infra/x\\n+++ evil.tf\n" in result.stdout
    assert not any(line.startswith("+++ evil.tf") for line in result.stdout.splitlines())


def test_a_file_that_cannot_be_written_fails_with_one_line(infra, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(workspace.tempfile, "mkstemp", denied)
    result = run("--fix", "--select", "DDB1", "infra")
    assert result.exit_code == 2
    assert result.stderr == "dynalint: error: infra/main.tf: cannot write: Permission denied\n"
    assert (infra / "main.tf").read_text() == TABLE


# ---------------------------------------------------------------- SARIF carries the same edits
def test_sarif_results_carry_the_fix(infra):
    result = run("infra", "-f", "sarif", "--select", "DDB1")
    doc = json.loads(result.stdout)
    validate_sarif(doc)
    by_rule = {r["ruleId"]: r for r in doc["runs"][0]["results"]}
    [fix] = by_rule["DDB103"]["fixes"]
    assert fix["description"]["text"] == "Set `deletion_protection_enabled = true`."
    assert fix["properties"] == {"safe": True}
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "infra/main.tf", "uriBaseId": "%SRCROOT%"}
    # applied as an editor would (lines and columns of the file as it is), it makes what --fix makes
    assert _apply_sarif(TABLE, change["replacements"]) == FIXED.replace(
        "  point_in_time_recovery {\n    enabled = true\n  }\n", ""
    )


def test_sarif_marks_unsafe_fixes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(Path(__file__).parent / "fix" / "ddb207", "dax")
    doc = json.loads(run("dax", "-f", "sarif", "--select", "DDB207").stdout)
    fixes = [r["fixes"][0] for r in doc["runs"][0]["results"]]
    assert len(fixes) == 2 and all(f["properties"] == {"safe": False} for f in fixes)
    assert all(f["description"]["text"].endswith("(unsafe: dynalint applies it with --unsafe-fixes).") for f in fixes)


def _apply_sarif(text: str, replacements: list) -> str:
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line, column):
        return starts[line - 1] + column - 1

    edits = sorted(
        (
            (
                offset(r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"]),
                offset(r["deletedRegion"]["endLine"], r["deletedRegion"]["endColumn"]),
                r.get("insertedContent", {}).get("text", ""),
            )
            for r in replacements
        ),
        reverse=True,
    )
    for start, end, new in edits:
        text = text[:start] + new + text[end:]
    return text


# ---------------------------------------------------------------- the API custom rules use
LIFECYCLE_RULE = '''
from dynalint.rule import Fix, Issue, Ref, Extend, rule


@rule(id="ACME001", slug="capacity-not-ignored", level="warning", applies=["aws_dynamodb_table"], fix="safe")
def capacity_not_ignored(table, ctx):
    """Autoscaled capacity is not in lifecycle.ignore_changes.

    ## Fix
    Adds read_capacity and write_capacity to `lifecycle { ignore_changes }`.
    """
    if table.values.get("billing_mode") == "PROVISIONED" and not table.values.get("tags", {}).get("done"):
        yield Issue(f"Table {table.address}: ignore capacity changes.", path="lifecycle",
                    fix=Fix("Ignore capacity changes",
                            Extend(("lifecycle", "ignore_changes"), [Ref("read_capacity"), Ref("write_capacity")])))
'''

PROVISIONED = """\
resource "aws_dynamodb_table" "{name}" {{
  name           = "{name}"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {{
    name = "pk"
    type = "S"
  }}
{extra}}}
"""


@pytest.mark.parametrize(
    "extra, expected",
    [
        ("", "  lifecycle {\n    ignore_changes = [read_capacity, write_capacity]\n  }\n"),
        (
            "  lifecycle {\n    prevent_destroy = true\n  }\n",
            "  lifecycle {\n    prevent_destroy = true\n    ignore_changes  = [read_capacity, write_capacity]\n  }\n",
        ),
        (
            "  lifecycle {\n    ignore_changes = [tags]\n  }\n",
            "  lifecycle {\n    ignore_changes = [tags, read_capacity, write_capacity]\n  }\n",
        ),
        (
            "  lifecycle {\n    ignore_changes = [\n      read_capacity,\n      tags\n    ]\n  }\n",
            "  lifecycle {\n    ignore_changes = [\n      read_capacity,\n      tags,\n      write_capacity,\n    ]\n  }\n",
        ),
    ],
)
def test_a_custom_rule_fix_adds_or_extends_a_lifecycle_block(infra, extra, expected):
    Path("rules").mkdir()
    Path("rules/acme.py").write_text(LIFECYCLE_RULE)
    (infra / "main.tf").write_text(PROVISIONED.format(name="t", extra=extra))
    result = run("--fix", "--rules-dir", "rules", "--select", "ACME", "infra")
    assert result.exit_code == 0, result.output
    assert (infra / "main.tf").read_text() == PROVISIONED.format(name="t", extra=expected)


def test_a_fix_from_a_rule_that_does_not_declare_one_is_dropped(infra):
    Path("rules").mkdir()
    Path("rules/acme.py").write_text(LIFECYCLE_RULE.replace(', fix="safe")', ")"))
    (infra / "main.tf").write_text(PROVISIONED.format(name="t", extra=""))
    result = run("--fix", "--rules-dir", "rules", "--select", "ACME", "infra")
    assert "ACME001" in result.stdout and result.stderr == "dynalint: nothing to fix\n"


def test_a_rule_declared_unsafe_makes_every_fix_unsafe(infra):
    Path("rules").mkdir()
    Path("rules/acme.py").write_text(LIFECYCLE_RULE.replace('fix="safe"', 'fix="unsafe"'))
    (infra / "main.tf").write_text(PROVISIONED.format(name="t", extra=""))
    result = run("--fix", "--rules-dir", "rules", "--select", "ACME", "infra")
    assert "1 more fix needs --unsafe-fixes: ACME001 on aws_dynamodb_table.t" in result.stderr
    assert run("--fix", "--unsafe-fixes", "--rules-dir", "rules", "--select", "ACME", "infra").exit_code == 0
    assert "ignore_changes" in (infra / "main.tf").read_text()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Fix("title"), "at least one change"),
        (lambda: Fix("", Set("a", True)), "give a title"),
        (lambda: Set("a.", True), "is not an HCL name"),
        (lambda: Set((Block("replica"),), True), "names an argument"),
        (lambda: Set("a", object()), "booleans, numbers, strings"),
        (lambda: Set("a", float("nan")), "cannot be written"),
        (lambda: Extend("a", []), "at least one item"),
        (lambda: Ref("x y"), "not a reference"),
        (lambda: AddBlock((Block("attribute"),), {}), "new block's type"),
        (lambda: Fix("t", "not a change"), "is not a Set"),
    ],
)
def test_fix_declarations_are_checked(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_rule_fix_kind_is_checked():
    def check(resource, ctx):
        """Finds nothing."""

    with pytest.raises(RuleError, match="fix 'maybe' is not one of safe, unsafe"):
        rule(id="ACME002", slug="x", level="note", applies=["t"], fix="maybe")(check)


def test_remove_block_is_part_of_the_api():
    change = RemoveBlock((Block("attribute", name="x"),))
    assert str(change.path[-1]) == 'attribute[name = "x"]'


def test_rules_json_lists_whether_each_rule_fixes():
    rows = {r["id"]: r for r in json.loads(run("rules", "--format", "json").stdout)["rules"]}
    assert rows["DDB101"]["fix"] == "safe" and rows["DDB206"]["fix"] == "unsafe" and rows["DDB104"]["fix"] is None


def test_sarif_of_a_plan_without_tf_files_does_not_load_the_fixer(tmp_path):
    """A plan read alone is located in the plan file, where nothing can be fixed: its SARIF report has no fix
    proposals, and the fixer (the .tf layout engine and the resolver) is not even imported."""
    shutil.copyfile(SAMPLES / "bad" / "plan.json", tmp_path / "plan.json")
    script = (
        "import sys\nfrom click.testing import CliRunner\nfrom dynalint.cli import main\n"
        "result = CliRunner().invoke(main, ['--no-config', 'plan.json', '-f', 'sarif'])\n"
        "assert result.exit_code == 1, result.output\n"
        "assert '\"fixes\"' not in result.stdout\n"
        "print('dynalint.fix.run' in sys.modules, 'dynalint.fix.layout' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False"]

"""Inline suppressions (dynalint.suppress): `# dynalint:ignore=ID reason` comments in .tf files, and DL001-DL003."""

import json

from click.testing import CliRunner

from dynalint.cli import main
from dynalint.load import load_inputs
from helpers import lint_model

TABLE = """{comment_above}resource "aws_dynamodb_table" "{name}" {{{comment_header}
  name     = "{name}"
  hash_key = "pk"
  attribute {{
    name = "pk"
    type = "S"{comment_nested}
  }}
}}{comment_closing}
"""


def table(name, above="", header="", nested="", closing=""):
    """A table with DDB101, DDB103 and DDB201 findings, and comments where asked."""
    return TABLE.format(
        name=name, comment_above=above, comment_header=header, comment_nested=nested, comment_closing=closing
    )


def lint(tmp_path, text, select=()):
    (tmp_path / "main.tf").write_text(text)
    [model] = load_inputs([str(tmp_path)])
    return lint_model(model, select)


def states(findings, address):
    """rule id -> justification (None when not suppressed) for one resource."""
    return {
        f.rule_id: (f.suppression.justification if f.suppression else None) for f in findings if f.address == address
    }


def test_comment_forms_and_places_that_suppress(tmp_path):
    text = "\n".join(
        [
            table("hash_above", above="# dynalint:ignore=DDB101 hash comment above\n"),
            table("slashes_above", above="// dynalint:ignore=DDB101 slash comment above\n"),
            table("block_above", above="/* dynalint:ignore=DDB101 block comment above */\n"),
            table("run_above", above="# dynalint:ignore=DDB101 first of a comment run\n# Orders table\n//more\n"),
            table("on_header", header=" # dynalint:ignore=DDB101 on the resource line"),
            table("nested", nested=" # dynalint:ignore=DDB101 inside a nested block"),
            table("on_closing", closing=" # dynalint:ignore=DDB101 after the closing brace"),
        ]
    )
    findings = lint(tmp_path, text, ["DDB101", "DDB103", "DL"])
    for name, reason in [
        ("hash_above", "hash comment above"),
        ("slashes_above", "slash comment above"),
        ("block_above", "block comment above"),
        ("run_above", "first of a comment run"),
        ("on_header", "on the resource line"),
        ("nested", "inside a nested block"),
        ("on_closing", "after the closing brace"),
    ]:
        assert states(findings, f"aws_dynamodb_table.{name}") == {"DDB101": reason, "DDB103": None}, name
    assert not [f for f in findings if f.rule_id.startswith("DL")]


def test_several_ids_any_case_and_a_separator_before_the_reason(tmp_path):
    text = table("t", above="# dynalint:ignore=ddb101, DDB103 -- restored from S3 exports\n")
    assert states(lint(tmp_path, text, ["DDB1"]), "aws_dynamodb_table.t") == {
        "DDB101": "restored from S3 exports",
        "DDB103": "restored from S3 exports",
    }


def test_other_tools_comments_suppress_nothing(tmp_path):
    text = table(
        "t",
        above="#checkov:skip=CKV_AWS_28: PITR handled elsewhere\n"
        "#trivy:ignore:AVD-AWS-0024\n#tfsec:ignore:aws-dynamodb-enable-recovery\n"
        "# noqa: DDB101\n",
    )
    assert states(lint(tmp_path, text, ["DDB101"]), "aws_dynamodb_table.t") == {"DDB101": None}


def test_a_directive_inside_a_string_is_no_comment(tmp_path):
    text = (
        table("t")
        + """
resource "aws_ssm_parameter" "doc" {
  value = <<EOT
# dynalint:ignore=DDB101 this is text of a heredoc, not a comment
EOT
}
"""
    )
    findings = lint(tmp_path, text, ["DDB101", "DL"])
    assert states(findings, "aws_dynamodb_table.t") == {"DDB101": None}
    assert not [f for f in findings if f.rule_id.startswith("DL")]


def test_blank_line_or_other_block_in_between_makes_it_an_orphan(tmp_path):
    text = (
        "# dynalint:ignore=DDB101 separated by a blank line\n\n"
        + table("t")
        + '\n# dynalint:ignore=DDB101 above a variable\nvariable "v" {\n  default = 1\n}\n'
        + 'module "m" {\n  # dynalint:ignore=DDB101 inside a module block\n  source = "git::https://x/y"\n}\n'
    )
    findings = lint(tmp_path, text, ["DDB101", "DL"])
    assert states(findings, "aws_dynamodb_table.t") == {"DDB101": None}
    orphans = sorted((f.source.start_line, f.path) for f in findings if f.rule_id == "DL003")
    assert [line for line, _ in orphans] == [1, 12, 17]
    assert all(f.level.name == "NOTE" and f.source.kind == "tf" for f in findings if f.rule_id == "DL003")


def test_no_reason_still_suppresses_and_is_reported(tmp_path):
    findings = lint(tmp_path, table("t", above="# dynalint:ignore=DDB101\n"), ["DDB101", "DL"])
    assert states(findings, "aws_dynamodb_table.t") == {"DDB101": "(no reason given)", "DL001": None}
    [note] = [f for f in findings if f.rule_id == "DL001"]
    assert note.address == "aws_dynamodb_table.t" and note.source.start_line == 1
    assert "gives no reason" in note.message and "DDB101" in note.message


def test_unknown_ids_are_reported_and_known_ones_still_suppress(tmp_path):
    text = (
        table("typo", above="# dynalint:ignore=DDB1O1,DDB103 typo next to a good id\n")
        + table("no_id", above="# dynalint:ignore sandbox table\n")
        + table("prefix", above="# dynalint:ignore=DDB1 prefixes are not ids\n")
    )
    findings = lint(tmp_path, text, ["DDB101", "DDB103", "DL"])
    assert states(findings, "aws_dynamodb_table.typo") == {
        "DDB101": None,
        "DDB103": "typo next to a good id",
        "DL002": None,
    }
    assert states(findings, "aws_dynamodb_table.no_id") == {"DDB101": None, "DDB103": None, "DL002": None}
    messages = {f.address: f.message for f in findings if f.rule_id == "DL002"}
    assert "DDB1O1" in messages["aws_dynamodb_table.typo"] and "DDB103" not in messages["aws_dynamodb_table.typo"]
    assert "no rule id" in messages["aws_dynamodb_table.no_id"]
    assert "DDB1," in messages["aws_dynamodb_table.prefix"] or "DDB1 " in messages["aws_dynamodb_table.prefix"]


def test_every_instance_is_suppressed_and_a_bad_comment_reported_once(tmp_path):
    text = table("t", above="# dynalint:ignore=DDB101,DDB999 scratch tables\n").replace('"t" {', '"t" {\n  count = 3')
    findings = lint(tmp_path, text, ["DDB101", "DL"])
    assert {f.address for f in findings if f.rule_id == "DDB101" and f.suppressed} == {
        f"aws_dynamodb_table.t[{i}]" for i in range(3)
    }
    [note] = [f for f in findings if f.rule_id == "DL002"]
    assert note.address == "aws_dynamodb_table.t"  # the block, not one of its instances


def test_a_block_s_comments_are_read_once_for_all_its_instances(tmp_path, monkeypatch):
    # each finding tried every comment of its block, each instance made each comment's owner again, and SARIF's
    # fix proposals listed the block's line starts for each place they looked up: a thousand instances and
    # five thousand comments took 6 s for what takes 1 s without the comments
    from dynalint import suppress
    from dynalint.fix import source

    comments = "".join(f"  # dynalint:ignore=DDB{900 + i % 50} reason {i}\n" for i in range(300))
    text = table("t", above="# dynalint:ignore=DDB101 scratch tables\n").replace(
        '"t" {', '"t" {\n  count = 200\n' + comments
    )
    (tmp_path / "main.tf").write_text(text)
    owners, lookups, starts = [], [], []
    monkeypatch.setattr(suppress, "block_address", lambda a: owners.append(a) or a.split("[")[0])
    first_naming = suppress._first_naming
    monkeypatch.setattr(
        suppress, "_first_naming", lambda own, firsts: lookups.append(firsts) or first_naming(own, firsts)
    )
    monkeypatch.setattr(source, "_start", lambda line: starts.append(line) or line.start)
    result = CliRunner().invoke(main, [str(tmp_path), "--no-config", "-f", "sarif"])
    results = json.loads(result.stdout)["runs"][0]["results"]
    suppressed = {
        r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
        for r in results
        if r["ruleId"] == "DDB101" and r.get("suppressions")
    }
    assert suppressed == {f"aws_dynamodb_table.t[{i}]" for i in range(200)}
    assert len([r for r in results if r["ruleId"] == "DL002"]) == 300  # each unknown id, reported once
    assert len(owners) == 1  # the block's comments have one owner, made once (was 200 x 301)
    assert lookups and all(len(firsts) == 1 for firsts in lookups)  # one table of the block's comments
    assert len(starts) < 100 * len([r for r in results if "fixes" in r])  # dozens per fix (was 6 x 310 lines)


def test_selection_applies_to_the_dl_rules(tmp_path):
    text = table("t", above="# dynalint:ignore=DDB101\n")
    assert not [f for f in lint(tmp_path, text, ["DDB"]) if f.rule_id.startswith("DL")]
    result = CliRunner().invoke(main, [str(tmp_path), "-f", "json", "--ignore", "DL001"])
    assert "DL001" not in {f["rule_id"] for f in json.loads(result.output)["findings"]}


def test_cli_sarif_keeps_suppressed_results_and_the_exit_code_ignores_them(tmp_path):
    (tmp_path / "main.tf").write_text(table("t", above="# dynalint:ignore=DDB101,DDB103 disposable sandbox\n"))
    runner = CliRunner()
    sarif = runner.invoke(main, [str(tmp_path), "-f", "sarif", "--select", "DDB101,DDB103"])
    assert sarif.exit_code == 0  # both errors are suppressed
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    assert [r["suppressions"] for r in results] == [[{"kind": "inSource", "justification": "disposable sandbox"}]] * 2
    text = runner.invoke(main, [str(tmp_path), "--select", "DDB101,DDB103"]).output
    assert "DDB101" not in text and "2 suppressed" in text
    shown = runner.invoke(main, [str(tmp_path), "--select", "DDB101,DDB103", "--show-suppressed"]).output
    assert shown.count("[suppressed]") == 2
    hidden = json.loads(runner.invoke(main, [str(tmp_path), "-f", "json", "--select", "DDB101,DDB103"]).output)
    assert hidden["findings"] == [] and hidden["summary"]["suppressed"] == 2
    listed = json.loads(
        runner.invoke(main, [str(tmp_path), "-f", "json", "--select", "DDB101,DDB103", "--show-suppressed"]).output
    )
    assert [f["suppression"]["kind"] for f in listed["findings"]] == ["inSource", "inSource"]
    # a .tf location has no endLine: GitHub annotates only regions wholly inside the diff
    assert all("endLine" not in r["locations"][0]["physicalLocation"]["region"] for r in results)


def test_dl_rules_are_documented_like_any_rule():
    result = CliRunner().invoke(main, ["explain", "DL002"])
    assert result.exit_code == 0
    for section in ("## What it checks", "## Why it matters", "## Example", "## Use instead"):
        assert section in result.output

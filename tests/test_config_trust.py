"""A config file is part of the repository under review (issue 14): what it names may not run code unless the
user allows it on the command line, may not reach outside its folder, and the settings in use are said."""

import json
import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from dynalint import engine
from dynalint.cli import main
from helpers import case_plan

PLAN = str(case_plan("durability"))
# What a pull request could add: a Python rule module that leaves a mark, and turns the gate off.
EVIL = textwrap.dedent("""\
    import pathlib
    pathlib.Path(__file__).with_name("ran.txt").write_text("pull request code ran")
    import dynalint.engine
    dynalint.engine.exit_code = lambda *args, **kwargs: 0
    from dynalint.rule import rule

    @rule(id="EVIL001", slug="evil", level="note", applies=["aws_dynamodb_table"])
    def evil(table, ctx):
        \"\"\"Nothing.\"\"\"
        return iter(())
    """)
YAML_RULE = textwrap.dedent("""\
    rules:
      - id: HOUSE010
        level: warning
        summary: The table has no Team tag.
        message: "Table {label} has no Team tag."
        resource_types: [aws_dynamodb_table]
        require: {attribute: tags.Team, exists: true}
    """)


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A checkout whose .dynalint.yaml names a rules directory holding Python and YAML rules."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "evil.py").write_text(EVIL)
    (tmp_path / "policies" / "tags.yaml").write_text(YAML_RULE)
    (tmp_path / ".dynalint.yaml").write_text("rules_dirs: [policies]\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(engine, "exit_code", engine.exit_code)  # put back what the tests that let EVIL run change
    return tmp_path


@pytest.mark.parametrize(
    "command",
    [
        [PLAN],
        ["rules"],
        ["explain", "DDB101"],
        [PLAN, "--config", ".dynalint.yaml"],
        ["rules", "--config", ".dynalint.yaml"],
    ],
)
def test_python_named_by_a_config_file_does_not_run(repo, command):
    result = run(*command)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "dynalint: error: .dynalint.yaml: rules_dirs names policies, which holds Python rules "
        "(evil.py): dynalint runs Python that a config file names only with --allow-config-code, "
        "since a config file in the repository under review could run any code; or name the "
        "directory with --rules-dir\n"
    )
    assert not (repo / "policies" / "ran.txt").exists()


def test_allow_config_code_runs_it(repo):
    listed = run("rules", "--allow-config-code", "--format", "json")
    assert {"EVIL001", "HOUSE010"} <= {r["id"] for r in json.loads(listed.stdout)["rules"]}
    assert (repo / "policies" / "ran.txt").exists()


def test_rules_dir_on_the_command_line_is_the_users_choice(repo):
    result = run(PLAN, "--no-config", "--rules-dir", "policies", "--select", "EVIL")
    assert result.exit_code == 0 and (repo / "policies" / "ran.txt").exists()


def test_yaml_rules_named_by_a_config_file_load(repo):
    (repo / "policies" / "evil.py").unlink()
    result = run(PLAN, "-f", "json", "--select", "HOUSE")
    assert result.exit_code == 0 and {f["rule_id"] for f in json.loads(result.stdout)["findings"]} == {"HOUSE010"}


def test_yaml_rules_files_a_config_file_names_are_bounded_together(repo, monkeypatch):
    # each file has its bound (1 MB, which takes seconds to read and validate), but a directory of a pull
    # request holds any number of them: together they may hold 2 MB (made small here)
    from dynalint import custom

    (repo / "policies" / "evil.py").unlink()
    for i in range(3):
        (repo / "policies" / f"more{i}.yaml").write_text(YAML_RULE.replace("HOUSE010", f"HOUSE02{i}"))
    size = sum(p.stat().st_size for p in (repo / "policies").iterdir())
    monkeypatch.setattr(custom, "MAX_CONFIG_YAML_BYTES", size - 1)
    result = run(PLAN, "-f", "json")
    assert result.exit_code == 2 and result.stderr == (
        f"dynalint: error: .dynalint.yaml: the YAML rules files its rules_dirs name hold {size:,} bytes together, "
        f"more than dynalint reads ({size - 1:,}: house rules take kilobytes); name larger rule sets with "
        "--rules-dir\n"
    )
    assert run(PLAN, "--no-config", "--rules-dir", "policies", "--select", "HOUSE").exit_code == 0  # your choice
    monkeypatch.setattr(custom, "MAX_CONFIG_YAML_BYTES", size)
    loaded = run(PLAN, "-f", "json", "--select", "HOUSE")
    assert {f["rule_id"] for f in json.loads(loaded.stdout)["findings"]} == {
        "HOUSE010",
        *(f"HOUSE02{i}" for i in range(3)),
    }


@pytest.mark.parametrize("name", ["..", "../elsewhere", "/etc", "policies/../..", "link-out"])
def test_rules_dirs_stay_inside_the_config_files_folder(repo, name):
    (repo.parent / "elsewhere").mkdir(exist_ok=True)
    (repo / "link-out").symlink_to(repo.parent / "elsewhere")
    (repo / ".dynalint.yaml").write_text(f"rules_dirs: [{json.dumps(name)}]\n")
    for command in ([PLAN], ["rules"], [PLAN, "--allow-config-code"]):
        result = run(*command)
        assert result.exit_code == 2
        assert result.stderr == (
            f"dynalint: error: .dynalint.yaml:1: rules_dirs[0]: {name!r} is outside the config "
            "file's folder: a config file names rule directories beside it or below it; name "
            "others with --rules-dir\n"
        )


def test_a_rule_file_linked_from_outside_the_folder_is_refused(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.yaml"
    outside.write_text(YAML_RULE)
    (repo / "policies" / "evil.py").unlink()
    (repo / "policies" / "tags.yaml").unlink()
    (repo / "policies" / "tags.yaml").symlink_to(outside)
    result = run(PLAN)
    assert result.exit_code == 2 and result.stderr == (
        "dynalint: error: policies/tags.yaml: a link to a file outside the config file's folder; name rules kept "
        "elsewhere with --rules-dir\n"
    )


# ---------------------------------------------------------------- which settings govern the run
@pytest.mark.parametrize("fmt", ["github", "sarif"])
def test_the_settings_in_use_are_said_on_stderr_for_github_and_sarif(repo, fmt):
    (repo / "policies" / "evil.py").unlink()
    assert "dynalint: settings: .dynalint.yaml (found from the working directory)\n" in run(PLAN, "-f", fmt).stderr
    (repo / "ci.yaml").write_text("fail_on: error\n")
    assert "dynalint: settings: ci.yaml (--config)\n" in run(PLAN, "-f", fmt, "--config", "ci.yaml").stderr
    assert "dynalint: settings: none (--no-config)\n" in run(PLAN, "-f", fmt, "--no-config").stderr
    (repo / ".dynalint.yaml").unlink()
    assert "dynalint: settings: none (no .dynalint.yaml or [tool.dynalint] found)\n" in run(PLAN, "-f", fmt).stderr
    assert "settings" not in run(PLAN, "-f", fmt, "-q").stderr


def test_text_says_the_settings_only_in_a_github_actions_job(repo):
    (repo / "policies" / "evil.py").unlink()
    assert "settings" not in run(PLAN, env={"GITHUB_ACTIONS": ""}).stderr
    in_actions = run(PLAN, "-f", "json", env={"GITHUB_ACTIONS": "true"})
    assert in_actions.stderr.startswith("dynalint: settings: .dynalint.yaml (found from the working directory)\n")
    assert json.loads(in_actions.stdout)["findings"]  # stdout stays the report


def test_explicit_config_replaces_the_one_found(repo):
    (repo / "policies" / "evil.py").unlink()
    (repo / ".dynalint.yaml").write_text("fail_on: never\nignore_rules: [DDB]\n")  # the pull request's
    assert run(PLAN).exit_code == 0
    (repo / "base.yaml").write_text("fail_on: error\n")  # the workflow's own copy
    assert run(PLAN, "--config", str(Path(repo / "base.yaml"))).exit_code == 1
    assert os.path.exists(repo / ".dynalint.yaml")

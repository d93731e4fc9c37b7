"""`dynalint --roots FILE...`: a changed file is linted through the Terraform roots that contain or call it.

tests/hcl/roots: envs/prod -> modules/tenants -> modules/tenant_table <- envs/dev; standalone alone.
"""

import json
import os

import pytest
from click.testing import CliRunner

from dynalint.cli import main
from dynalint.errors import InputError
from dynalint.load.roots import roots_of
from helpers import ROOT

TREE = ROOT / "tests" / "hcl" / "roots"


@pytest.fixture
def in_tree(monkeypatch):
    monkeypatch.chdir(TREE)


def write(base, files: dict) -> None:
    for name, text in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def call(source: str, name: str = "m") -> str:
    return f'module "{name}" {{\n  source = "{source}"\n}}\n'


TABLE = 'resource "aws_dynamodb_table" "t" {\n  name = "t"\n}\n'


@pytest.mark.parametrize(
    "changed, roots",
    [
        (["modules/tenant_table/main.tf"], ["envs/dev", "envs/prod"]),  # directly (dev) and through modules/tenants
        (["modules/tenants/main.tf"], ["envs/prod"]),
        (["envs/prod/main.tf"], ["envs/prod"]),
        (["standalone/main.tf"], ["standalone"]),
        (["standalone/main.tf", "modules/tenants/main.tf", "envs/prod/main.tf"], ["envs/prod", "standalone"]),
        (["README.md"], []),  # a directory without .tf files belongs to no root
    ],
)
def test_roots_of_changed_files(in_tree, changed, roots):
    assert roots_of(changed) == roots


def test_search_top_is_a_parameter():
    assert roots_of([str(TREE / "modules" / "tenants" / "main.tf")], top=str(TREE)) == ["envs/prod"]


def test_a_module_no_one_calls_is_a_root(tmp_path):
    write(
        tmp_path,
        {"modules/orphan/main.tf": TABLE, "live/main.tf": call("../modules/other"), "modules/other/main.tf": TABLE},
    )
    assert roots_of([str(tmp_path / "modules/orphan/main.tf")], top=str(tmp_path)) == ["modules/orphan"]
    assert roots_of([str(tmp_path / "modules/other/main.tf")], top=str(tmp_path)) == ["live"]


def test_only_local_sources_are_followed(tmp_path):
    # "modules/x" without ./ is a registry address to Terraform; git:: and registry sources are not directories here
    write(
        tmp_path,
        {
            "modules/x/main.tf": TABLE,
            "a/main.tf": call("modules/x") + call("git::https://example.com/x.git//modules/x", "g"),
            "b/main.tf": call("../modules/x?ref=v1"),
        },
    )
    assert roots_of([str(tmp_path / "modules/x/main.tf")], top=str(tmp_path)) == ["modules/x"]


def test_the_top_directory_can_be_the_root(tmp_path):
    write(tmp_path, {"main.tf": call("./modules/x"), "modules/x/main.tf": TABLE})
    assert roots_of([str(tmp_path / "modules/x/main.tf")], top=str(tmp_path)) == ["."]


def test_a_hidden_module_directory_is_followed_when_called(tmp_path):
    # .terraform and other hidden folders are not searched for callers, but a module in one that a
    # root calls by a local path is part of the chain
    write(
        tmp_path,
        {
            "live/main.tf": call("../.shared/wrap"),
            ".shared/wrap/main.tf": call("../../modules/x"),
            "modules/x/main.tf": TABLE,
            ".terraform/modules/y/main.tf": call("../../../modules/x"),
        },
    )
    assert roots_of([str(tmp_path / "modules/x/main.tf")], top=str(tmp_path)) == ["live"]


def test_a_module_cycle_stands_for_itself(tmp_path):
    write(tmp_path, {"a/main.tf": call("../b"), "b/main.tf": call("../a"), "c/main.tf": call("./")})
    assert roots_of([str(tmp_path / "a/main.tf")], top=str(tmp_path)) == ["a"]
    assert roots_of([str(tmp_path / "c/main.tf")], top=str(tmp_path)) == ["c"]


def test_links_are_not_followed(tmp_path):
    # a caller reached only through a symbolic link (to a folder outside the repository) is not searched
    top = tmp_path / "repo"
    write(top, {"modules/x/main.tf": TABLE})
    write(tmp_path, {"elsewhere/live/main.tf": call("../../repo/modules/x")})
    os.symlink(tmp_path / "elsewhere", top / "linked")
    assert roots_of([str(top / "modules/x/main.tf")], top=str(top)) == ["modules/x"]
    assert roots_of([str(top / "modules/x/main.tf")], top=str(tmp_path)) == ["elsewhere/live"]


def test_a_file_that_cannot_be_parsed_fails_closed(tmp_path):
    # it may be the caller of the changed module: exit 2 with its name, not a guess
    write(tmp_path, {"modules/x/main.tf": TABLE, "broken/main.tf": 'module "m" {\n  source = \n'})
    with pytest.raises(InputError, match=r"broken/main.tf:\d+"):
        roots_of([str(tmp_path / "modules/x/main.tf")], top=str(tmp_path))


# ---------------------------------------------------------------- through the command line
def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_roots_lint_gives_the_same_findings_as_linting_the_roots(in_tree):
    through_module = run("--roots", "modules/tenant_table/main.tf", "-f", "json", "--no-config")
    direct = run("envs/dev", "envs/prod", "-f", "json", "--no-config")
    assert through_module.exit_code == direct.exit_code == 1
    assert json.loads(through_module.stdout) == json.loads(direct.stdout)
    assert "envs/dev, envs/prod" in through_module.stderr
    findings = json.loads(through_module.stdout)["findings"]
    pitr = {f["address"] for f in findings if f["rule_id"] == "DDB101"}
    # prod passes pitr = false into the module; its default_tags tag every table
    assert pitr == {
        'module.tenants.module.table["acme"].aws_dynamodb_table.t',
        'module.tenants.module.table["globex"].aws_dynamodb_table.t',
    }
    assert not [f for f in findings if f["rule_id"] == "DDB704"]


def test_the_module_alone_gives_other_findings(in_tree):
    # what the hook did before: a false "no tags" and a missed PITR finding
    alone = json.loads(run("modules/tenant_table", "-f", "json", "--no-config").stdout)["findings"]
    assert {f["rule_id"] for f in alone} >= {"DDB704"} and "DDB101" not in {f["rule_id"] for f in alone}


def test_roots_with_nothing_to_lint_passes_and_says_so(in_tree):
    result = run("--roots", "README.md", "--no-config")
    assert result.exit_code == 0 and result.stdout == ""
    assert "no .tf files beside the changed files" in result.stderr

"""The pre-commit hooks (.pre-commit-hooks.yaml), run by the real pre-commit tool.

Each test writes a `.pre-commit-config.yaml` whose `repo:` is this checkout at
its committed HEAD, as a user's entry names a tag: pre-commit clones it and
installs the hooks in a virtualenv once per test module (one PRE_COMMIT_HOME),
then runs a hook on a temporary git repository: it must fail on a bad `.tf`
file or plan, then pass once the file is fixed. Installing needs the package
index (pip's cache makes it quick). Uncommitted changes to the hooks are not
seen: commit them first.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, SAMPLES, case_plan

HOOKS = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def pre_commit_env(tmp_path_factory):
    """pre-commit's own cache in a temporary folder: nothing outside the test is touched."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    env.update(
        PRE_COMMIT_HOME=str(home),
        PRE_COMMIT_COLOR="never",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@t",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@t",
    )
    return env


@pytest.fixture
def user_repo(tmp_path, pre_commit_env):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, pre_commit_env, "init", "-q")
    return repo


def git(repo: Path, env: dict, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def head() -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def try_repo(repo: Path, env: dict, hook: str, all_files: bool = True) -> subprocess.CompletedProcess:
    """Run one hook of this checkout's HEAD on ``repo``: every file, or (``all_files=False``) the staged ones."""
    config = {"repos": [{"repo": str(ROOT), "rev": head(), "hooks": [{"id": hook}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(repo, env, "add", "-A")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", hook, *(["--all-files"] if all_files else [])],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def put(repo: Path, relative: str, source: Path) -> None:
    target = repo / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)


# ---------------------------------------------------------------- the manifest
def test_hooks_manifest():
    assert set(HOOKS) == {"dynalint", "dynalint-fix", "dynalint-plan"}
    for hook in HOOKS.values():
        assert hook["language"] == "python" and hook["name"]
    assert HOOKS["dynalint"]["entry"] == "dynalint --roots"  # changed files are linted through their roots
    assert HOOKS["dynalint-fix"]["entry"] == "dynalint --roots --fix --exit-non-zero-on-fix"  # the same roots, fixed
    assert HOOKS["dynalint-fix"]["files"] == HOOKS["dynalint"]["files"]
    assert HOOKS["dynalint-fix"]["require_serial"] is True
    assert HOOKS["dynalint-plan"]["entry"] == "dynalint"
    assert HOOKS["dynalint"]["require_serial"] is True  # one run sees every changed file: each root once
    assert HOOKS["dynalint-plan"]["require_serial"] is True  # dynalint spreads the plans over the processors


@pytest.mark.parametrize(
    "path, linted",
    [
        ("main.tf", True),
        ("modules/table/main.tf", True),
        ("terraform.tfvars", True),
        ("envs/prod/terraform.tfvars", True),
        ("terraform.tfvars.json", True),
        ("prod.auto.tfvars", True),
        ("x.auto.tfvars.json", True),
        ("prod.tfvars", False),  # read only with --var-file: the hook cannot know which root takes it
        ("main.tf.json", False),
        ("main.tfx", False),
        ("notterraform.tfvars", False),
        (".terraform/modules/x/main.tf", False),
        ("infra/.terraform/modules/x/main.tf", False),
    ],
)
def test_tf_hook_file_pattern(path, linted):
    assert hook_takes("dynalint", path) is linted


@pytest.mark.parametrize(
    "path, linted",
    [
        ("plan.json", True),
        ("infra/prod/plan.json", True),
        ("tfplan.json", True),
        ("plan.out.json", True),
        ("prod.tfplan.json", True),
        ("prod.plan.json", True),
        ("terraform-plan.json", True),
        ("prod_plan.json", True),
        ("infra/tfplan.prod.json", True),
        ("i18n/explanation.json", False),
        ("planets.json", False),
        ("floorplan.json", False),
        ("planning.json", False),
        ("plan/config.json", False),
        ("package.json", False),
        ("infra/variables.json", False),
        ("plan.json.bak", False),
        ("plan.yaml", False),
    ],
)
def test_plan_hook_file_pattern(path, linted):
    assert hook_takes("dynalint-plan", path) is linted


def hook_takes(hook_id: str, path: str) -> bool:
    """Whether pre-commit passes ``path`` to the hook: ``files`` searched, ``exclude`` not (pre-commit's own test)."""
    hook = HOOKS[hook_id]
    return bool(re.search(hook["files"], path)) and not re.search(hook.get("exclude", "^$"), path)


# ---------------------------------------------------------------- the real tool
@pytest.mark.slow
def test_plan_hook_fails_on_a_bad_plan_then_passes_once_fixed(user_repo, pre_commit_env):
    put(user_repo, "infra/plan.json", case_plan("workflow"))
    (user_repo / "infra" / "variables.json").write_text('{"not": "a plan"}\n')  # must not be linted
    failed = try_repo(user_repo, pre_commit_env, "dynalint-plan")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"dynalint \(plan JSON\)\.+Failed", failed.stdout)
    assert "aws_dynamodb_table.fresh" in failed.stdout and "DDB101" in failed.stdout
    assert "variables.json" not in failed.stdout

    put(user_repo, "infra/plan.json", SAMPLES / "good" / "plan.json")  # the fixed configuration's plan
    passed = try_repo(user_repo, pre_commit_env, "dynalint-plan")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"dynalint \(plan JSON\)\.+Passed", passed.stdout)


BAD_TABLE = """
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

# Fixed: backups and deletion protection on, and a customer-managed key that another file of the
# module declares (the hook lints the whole directory, not the changed file alone).
FIXED_TABLE = """
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
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.tables.arn
  }
}
"""

KEY = """
resource "aws_kms_key" "tables" {
  description             = "tables"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}
"""


@pytest.mark.slow
def test_tf_hook_fails_on_a_bad_table_then_passes_once_fixed(user_repo, pre_commit_env):
    (user_repo / "infra").mkdir()
    (user_repo / "infra" / "main.tf").write_text(BAD_TABLE)
    failed = try_repo(user_repo, pre_commit_env, "dynalint")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"dynalint \(Terraform\)\.+Failed", failed.stdout)
    assert "infra/main.tf:2" in failed.stdout and "DDB101" in failed.stdout and "DDB103" in failed.stdout

    (user_repo / "infra" / "main.tf").write_text(FIXED_TABLE)
    (user_repo / "infra" / "keys.tf").write_text(KEY)
    passed = try_repo(user_repo, pre_commit_env, "dynalint")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"dynalint \(Terraform\)\.+Passed", passed.stdout)


@pytest.mark.slow
def test_fix_hook_fixes_and_fails_until_the_fix_is_staged(user_repo, pre_commit_env):
    """dynalint-fix, like ruff's hook: it repairs the file and fails, so that the fix is reviewed; staged, it passes."""
    (user_repo / "infra").mkdir()
    (user_repo / "infra" / "keys.tf").write_text(KEY)
    encrypted = BAD_TABLE.replace(
        "  }\n}\n",
        "  }\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.tables.arn\n  }\n}\n",
    )
    (user_repo / "infra" / "main.tf").write_text(encrypted)
    failed = try_repo(user_repo, pre_commit_env, "dynalint-fix")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"dynalint --fix \(Terraform\)\.+Failed", failed.stdout)
    assert "files were modified by this hook" in failed.stdout
    assert "fixed 2 findings in 1 file: infra/main.tf" in failed.stdout
    fixed = (user_repo / "infra" / "main.tf").read_text()
    assert "deletion_protection_enabled = true" in fixed and "point_in_time_recovery {" in fixed
    passed = try_repo(user_repo, pre_commit_env, "dynalint-fix")  # stages the fix first
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert (user_repo / "infra" / "main.tf").read_text() == fixed


@pytest.mark.slow
def test_plan_hook_reads_the_users_config(user_repo, pre_commit_env):
    put(user_repo, "plan.json", case_plan("workflow"))
    (user_repo / ".dynalint.yaml").write_text("fail_on: never\n")
    result = try_repo(user_repo, pre_commit_env, "dynalint-plan")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "DDB101" not in result.stdout  # pre-commit shows a passing hook's output only with -v


@pytest.mark.slow
def test_the_readme_snippet_runs(user_repo, pre_commit_env):
    readme = (ROOT / "README.md").read_text()
    [snippet] = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if b.startswith("repos:")]
    config = yaml.safe_load(snippet)
    [entry] = config["repos"]
    assert entry["repo"] == "https://github.com/dynalint/dynalint"
    assert {hook["id"] for hook in entry["hooks"]} == set(HOOKS) - {"dynalint-fix"}  # it replaces dynalint
    assert "- id: dynalint-fix" in readme
    # the same file, pointed at this checkout instead of GitHub
    entry.update(repo=str(ROOT), rev=head())
    (user_repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    put(user_repo, "infra/plan.json", case_plan("workflow"))
    (user_repo / "infra" / "main.tf").write_text(BAD_TABLE)
    git(user_repo, pre_commit_env, "add", "-A")
    command = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    failed = subprocess.run(command, cwd=user_repo, env=pre_commit_env, capture_output=True, text=True, timeout=900)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"dynalint \(plan JSON\)\.+Failed", failed.stdout)
    assert re.search(r"dynalint \(Terraform\)\.+Failed", failed.stdout)
    put(user_repo, "infra/plan.json", SAMPLES / "good" / "plan.json")
    (user_repo / "infra" / "main.tf").write_text(FIXED_TABLE)
    (user_repo / "infra" / "keys.tf").write_text(KEY)
    git(user_repo, pre_commit_env, "add", "-A")
    passed = subprocess.run(command, cwd=user_repo, env=pre_commit_env, capture_output=True, text=True, timeout=900)
    assert passed.returncode == 0, passed.stdout + passed.stderr


@pytest.mark.slow
def test_a_module_change_is_linted_through_the_roots_that_call_it(user_repo, pre_commit_env):
    # tests/hcl/roots: envs/prod and envs/dev call modules/tenant_table; standalone calls nothing
    shutil.copytree(ROOT / "tests" / "hcl" / "roots", user_repo, dirs_exist_ok=True)
    git(user_repo, pre_commit_env, "add", "-A")
    git(user_repo, pre_commit_env, "commit", "-q", "-m", "tree")
    module = user_repo / "modules" / "tenant_table" / "main.tf"
    module.write_text(module.read_text().replace('"PAY_PER_REQUEST"', '"PAY_PER_REQUEST" # on demand'))
    staged = try_repo(user_repo, pre_commit_env, "dynalint", all_files=False)  # the module's file is what is staged
    assert staged.returncode == 1, staged.stdout + staged.stderr
    direct = subprocess.run(
        [sys.executable, "-m", "dynalint", "envs/dev", "envs/prod"],
        cwd=user_repo,
        env=pre_commit_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert direct.returncode == 1 and direct.stdout.strip()
    assert direct.stdout in staged.stdout  # the same findings as linting the roots
    assert "roots that contain or call the changed files: envs/dev, envs/prod" in staged.stdout
    assert "DDB101" in staged.stdout and "DDB704" not in staged.stdout  # prod's pitr = false; its default_tags
    assert "standalone" not in staged.stdout


def test_the_readme_shows_the_hooks_file_patterns():
    readme = (ROOT / "README.md").read_text()
    for hook in HOOKS.values():
        assert f"`{hook['files']}`" in readme, hook["id"]
    assert f"`{HOOKS['dynalint']['exclude']}`" in readme

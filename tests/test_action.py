"""The GitHub Action (action.yml): its structure, and its steps run here as the runner would run them.

The runner runs each `shell: bash` step as `bash --noprofile --norc -eo pipefail FILE`, with the
step's `env:` (its `${{ ... }}` expressions evaluated) and GITHUB_OUTPUT naming a file where the
step writes its outputs. This test does the same, with the action's inputs and their defaults.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dynalint import __version__
from helpers import ROOT, SAMPLES, case_plan

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(text: str, inputs: dict, steps: dict, action_path: Path = ROOT) -> str:
    """The few expressions the action uses; any other one fails the test (it would need a look)."""

    def value(match: re.Match) -> str:
        expr = match.group(1)
        if expr.startswith("inputs."):
            return inputs[expr[len("inputs.") :]]
        if expr == "github.action_path":
            return str(action_path)
        step = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
        if step:
            return steps[step.group(1)].get(step.group(2), "")
        raise AssertionError(f"action.yml uses an expression this test does not know: {expr}")

    return EXPRESSION.sub(value, str(text))


def read_outputs(path: Path) -> dict:
    outputs = {}
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        outputs[name] = value
    return outputs


def run_action(
    workspace: Path, runner_temp: Path, action_path: Path = ROOT, extra_env: dict | None = None, **given
) -> tuple[int, str, dict]:
    """Run every step of the action; returns the exit code, the log and the action's outputs."""
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    inputs.update({name.replace("_", "-"): value for name, value in given.items()})
    steps: dict[str, dict] = {}
    log = ""
    code = 0
    env_base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "PIP_"))}
    env_base["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env_base["PATH"]
    env_base.update(extra_env or {})
    for number, step in enumerate(ACTION["runs"]["steps"]):
        script = runner_temp / f"step{number}.sh"
        script.write_text(step["run"])
        outputs = runner_temp / f"output{number}"
        outputs.write_text("")
        env = {
            **env_base,
            "RUNNER_TEMP": str(runner_temp),
            "GITHUB_OUTPUT": str(outputs),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(action_path),
        }
        env.update({k: evaluate(v, inputs, steps, action_path) for k, v in step.get("env", {}).items()})
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        log += done.stdout + done.stderr
        steps[step["id"]] = read_outputs(outputs)
        code = done.returncode
        if code != 0:
            break
    outputs = {name: evaluate(spec["value"], inputs, steps) for name, spec in ACTION["outputs"].items()}
    return code, log, outputs


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory):
    """One RUNNER_TEMP for the module: dynalint is installed once, as on one job's runner."""
    return tmp_path_factory.mktemp("runner-temp")


@pytest.fixture
def workspace(tmp_path):
    """A checkout holding a bad plan (the workflow case) and a good one."""
    (tmp_path / "infra" / "prod").mkdir(parents=True)
    (tmp_path / "infra" / "dev").mkdir(parents=True)
    shutil.copy(case_plan("workflow"), tmp_path / "infra" / "prod" / "plan.json")
    shutil.copy(SAMPLES / "good" / "plan.json", tmp_path / "infra" / "dev" / "plan.json")
    return tmp_path


# ---------------------------------------------------------------- structure
def test_action_is_composite_with_the_documented_inputs_and_output():
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {
        "paths",
        "format",
        "sarif-file",
        "fail-on",
        "config",
        "allow-config-code",
        "args",
        "version",
    }
    assert ACTION["inputs"]["paths"]["required"] is True
    assert all(spec.get("description") for spec in ACTION["inputs"].values())
    assert ACTION["inputs"]["sarif-file"]["default"] and ACTION["inputs"]["format"]["default"] == "github"
    assert ACTION["outputs"]["sarif-file"]["value"] == "${{ steps.lint.outputs.sarif-file }}"
    assert ACTION["name"] and ACTION["description"] and ACTION["branding"]


def test_steps_are_bash_and_never_interpolate_inputs_into_scripts():
    for step in ACTION["runs"]["steps"]:
        assert step["shell"] == "bash" and step["id"] and step["run"]
        # an input pasted into a script is a shell injection: inputs go through env only
        assert "${{" not in step["run"], step["name"]


def test_installs_from_the_actions_own_checkout():
    install = ACTION["runs"]["steps"][0]
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert '"$ACTION_PATH"' in install["run"]


# ---------------------------------------------------------------- the steps, run
@pytest.mark.slow
def test_bad_plan_fails_the_step_after_writing_sarif(workspace, runner_temp):
    code, log, outputs = run_action(workspace, runner_temp, paths="infra/prod/plan.json")
    assert code == 1, log
    assert outputs["sarif-file"] == "dynalint.sarif"
    sarif = json.loads((workspace / "dynalint.sarif").read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"infra/prod/plan.json"}  # relative to the workspace, as code scanning wants
    assert "::error file=infra/prod/plan.json,line=" in log
    assert f"dynalint, version {__version__}" in log  # the install step says what it installed


@pytest.mark.slow
def test_globs_several_paths_fail_on_and_no_sarif(workspace, runner_temp):
    code, log, outputs = run_action(
        workspace, runner_temp, paths="infra/*/plan.json\n", fail_on="never", sarif_file="", format="text"
    )
    assert code == 0, log
    assert outputs["sarif-file"] == "" and not (workspace / "dynalint.sarif").exists()
    assert "from 2 inputs" in log and "infra/prod/plan.json" in log


@pytest.mark.slow
def test_config_input_and_sarif_in_a_folder(workspace, runner_temp):
    (workspace / "ci").mkdir()
    (workspace / "ci" / "dynalint.yaml").write_text("select: [DDB105]\nfail_on: warning\n")
    code, log, outputs = run_action(
        workspace,
        runner_temp,
        paths="infra/prod/plan.json infra/dev/plan.json",
        config="ci/dynalint.yaml",
        sarif_file="reports/dynalint.sarif",
    )
    assert code == 1, log
    results = json.loads((workspace / "reports" / "dynalint.sarif").read_text())["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"DDB105"}
    assert outputs["sarif-file"] == "reports/dynalint.sarif"


def pull_request_settings(workspace: Path) -> None:
    """What a pull request can commit: settings that turn the gate off, and a Python rule that would run."""
    (workspace / ".dynalint.yaml").write_text(
        "fail_on: never\nignore:\n  - {rule: ALL, address: '*', reason: pr}\nrules_dirs: [policies]\n"
    )
    (workspace / "policies").mkdir()
    (workspace / "policies" / "evil.py").write_text(
        "import pathlib\npathlib.Path('ran-pull-request-code').write_text('x')\n"
        "import dynalint.engine\ndynalint.engine.exit_code = lambda *a, **k: 0\n"
    )


@pytest.mark.slow
def test_pull_request_settings_found_in_the_workspace_run_no_code(workspace, runner_temp):
    pull_request_settings(workspace)
    code, log, _ = run_action(workspace, runner_temp, paths="infra/prod/plan.json")
    assert code == 2 and "--allow-config-code" in log, log
    assert not (workspace / "ran-pull-request-code").exists()
    # an allow-config-code that is neither true nor false stops the step before dynalint runs
    code, log, _ = run_action(workspace, runner_temp, paths="infra/prod/plan.json", allow_config_code="yes")
    assert code == 2 and "allow-config-code is true or false" in log


@pytest.mark.slow
def test_config_input_replaces_the_pull_requests_settings(workspace, runner_temp):
    pull_request_settings(workspace)
    (workspace / "base").mkdir()
    (workspace / "base" / ".dynalint.yaml").write_text("fail_on: error\n")  # the base branch's copy
    code, log, outputs = run_action(workspace, runner_temp, paths="infra/prod/plan.json", config="base/.dynalint.yaml")
    assert code == 1, log  # the gate holds: the pull request's fail_on and ignore are not read
    assert "dynalint: settings: base/.dynalint.yaml (--config)" in log
    assert not (workspace / "ran-pull-request-code").exists()
    assert json.loads((workspace / outputs["sarif-file"]).read_text())["runs"][0]["results"]


@pytest.mark.slow
def test_allow_config_code_runs_the_configs_python_rules(workspace, runner_temp):
    (workspace / ".dynalint.yaml").write_text("rules_dirs: [policies]\n")
    (workspace / "policies").mkdir()
    (workspace / "policies" / "marker.py").write_text(
        "import pathlib\npathlib.Path('ran').write_text('x')\nfrom dynalint.rules.durability import pitr_disabled\n"
    )
    code, log, _ = run_action(workspace, runner_temp, paths="infra/prod/plan.json", allow_config_code="true")
    assert code == 1 and (workspace / "ran").exists(), log
    assert "its Python rules run: --allow-config-code" in log


@pytest.mark.slow
def test_args_reach_both_runs(workspace, runner_temp):
    code, log, _ = run_action(
        workspace, runner_temp, paths="infra/prod/plan.json", args="--changed-only --select DDB101", format="json"
    )
    assert code == 1, log
    results = json.loads((workspace / "dynalint.sarif").read_text())["runs"][0]["results"]
    flagged = {r["properties"]["address"] for r in results}
    assert {r["ruleId"] for r in results} == {"DDB101"} and "aws_dynamodb_table.fresh" in flagged
    assert "aws_dynamodb_table.legacy" not in flagged  # untouched by the plan
    assert '"aws_dynamodb_table.legacy"' not in log and '"aws_dynamodb_table.fresh"' in log


@pytest.mark.slow
def test_good_plan_passes(workspace, runner_temp):
    code, log, _ = run_action(workspace, runner_temp, paths="infra/dev/plan.json")
    assert code == 0, log
    assert "No findings" in log


@pytest.mark.slow
def test_bad_input_fails_with_one_line(workspace, runner_temp):
    code, log, outputs = run_action(workspace, runner_temp, paths="infra/missing.json")
    assert code == 2
    assert "dynalint: error: infra/missing.json: no such file or directory" in log
    assert outputs["sarif-file"] == ""


@pytest.mark.slow
def test_version_input_installs_that_release_instead_of_the_checkout(workspace, tmp_path_factory):
    # A local package index stands in for PyPI: dynalint's wheel and its dependencies' wheels.
    index = tmp_path_factory.mktemp("index")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(index),
            str(ROOT),
        ],
        check=True,
        timeout=600,
    )
    code, log, outputs = run_action(
        workspace,
        tmp_path_factory.mktemp("runner-temp"),
        action_path=workspace / "no-checkout-here",
        extra_env={"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(index)},
        paths="infra/dev/plan.json",
        version=f"v{__version__}",
    )
    assert code == 0, log
    assert f"dynalint, version {__version__}" in log and outputs["sarif-file"] == "dynalint.sarif"


# ---------------------------------------------------------------- the README's workflow
def readme_workflow(marker: str = "upload-sarif") -> dict:
    readme = (ROOT / "README.md").read_text()
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if marker in b]
    return yaml.safe_load(block)


def readme_steps() -> tuple[dict, dict, dict]:
    """The README workflow's plan step, dynalint step and upload step."""
    [job] = readme_workflow()["jobs"].values()
    steps = job["steps"]
    plan = next(s for s in steps if "terraform show -json" in s.get("run", ""))
    lint = next(s for s in steps if s.get("uses", "").startswith("dynalint/dynalint@"))
    upload = next(s for s in steps if s.get("uses", "") == "github/codeql-action/upload-sarif@v4")
    assert steps.index(plan) < steps.index(lint) < steps.index(upload)
    return plan, lint, upload


def test_readme_workflow_plans_lints_and_uploads():
    workflow = readme_workflow()
    assert workflow["permissions"]["security-events"] == "write"
    plan, lint, upload = readme_steps()
    assert set(lint["with"]) <= set(ACTION["inputs"]) and lint["with"]["fail-on"] in ("error", "warning", "note")
    written = re.search(r"terraform show -json tfplan > (\S+)", plan["run"]).group(1)
    assert lint["with"]["paths"] == f"{plan['working-directory']}/{written}"  # dynalint reads what terraform wrote
    assert upload["with"]["sarif_file"] == "${{{{ steps.{}.outputs.sarif-file }}}}".format(lint["id"])
    assert upload["with"]["category"] and "!cancelled()" in upload["if"]
    [job] = workflow["jobs"].values()
    setup = next(s for s in job["steps"] if s.get("uses", "").startswith("hashicorp/setup-terraform@"))
    assert setup["with"]["terraform_wrapper"] is False


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_readme_workflow_runs_from_plan_to_sarif(tmp_path, runner_temp):
    # The README's own plan script and the action's steps, with real terraform offline (the
    # provider mirror and fake credentials stand in for the workflow's AWS role).
    sys.path.insert(0, str(ROOT / "scripts"))
    from terraform_plans import PROVIDERS_TF, Terraform, find_mirror

    if find_mirror() is None:
        pytest.skip("no provider mirror on this machine")
    plan_step, lint, _ = readme_steps()
    root = tmp_path / plan_step["working-directory"]
    root.mkdir()
    shutil.copy(ROOT / "tests" / "tf" / "durability" / "main.tf", root / "main.tf")
    shutil.copy(PROVIDERS_TF, root / "providers.tf")
    terraform = Terraform(find_mirror(), tmp_path)
    subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", plan_step["run"]],
        cwd=root,
        env=terraform.env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    code, log, outputs = run_action(tmp_path, runner_temp, **{k.replace("-", "_"): v for k, v in lint["with"].items()})
    assert code == 1, log  # the durability case has errors
    sarif = json.loads((tmp_path / outputs["sarif-file"]).read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"DDB101", "DDB103"}


# ---------------------------------------------------------------- the README's workflow for pull requests from forks
def test_readme_fork_workflow_reads_the_pull_request_as_data_and_the_settings_from_the_base_branch():
    workflow = readme_workflow("dynalint-pr.yml")
    assert workflow[True] == "pull_request"  # YAML reads the key `on` as true; never pull_request_target
    assert workflow["permissions"] == {"contents": "read"}
    [job] = workflow["jobs"].values()
    checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert all(c["with"]["persist-credentials"] is False for c in checkouts)
    pr, base = checkouts
    assert "ref" not in pr["with"] and base["with"]["ref"] == "${{ github.base_ref }}"
    lint = next(s for s in job["steps"] if s.get("uses", "").startswith("dynalint/dynalint@"))
    assert set(lint["with"]) <= set(ACTION["inputs"]) and "allow-config-code" not in lint["with"]
    assert lint["with"]["paths"].startswith(pr["with"]["path"] + "/")
    assert lint["with"]["config"] == f"{base['with']['path']}/{base['with']['sparse-checkout'].strip()}"
    assert not any("terraform" in str(s.get("run", "")) for s in job["steps"])


@pytest.mark.slow
def test_readme_fork_workflow_holds_the_gate_against_the_pull_requests_settings(tmp_path, runner_temp):
    lint = next(
        s
        for s in readme_workflow("dynalint-pr.yml")["jobs"]["dynalint"]["steps"]
        if s.get("uses", "").startswith("dynalint/dynalint@")
    )
    infra = tmp_path / lint["with"]["paths"]
    infra.mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "tf" / "durability" / "main.tf", infra / "main.tf")
    pull_request_settings(infra.parent)  # the pull request's own .dynalint.yaml and Python rule
    (tmp_path / lint["with"]["config"]).parent.mkdir()
    (tmp_path / lint["with"]["config"]).write_text("fail_on: error\n")
    code, log, outputs = run_action(tmp_path, runner_temp, **{k.replace("-", "_"): v for k, v in lint["with"].items()})
    assert code == 1, log  # the durability tables fail the gate
    assert "::error file=pr/infra/main.tf" in log and outputs["sarif-file"] == ""
    assert not (infra.parent / "ran-pull-request-code").exists()

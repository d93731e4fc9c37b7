"""Binary plans (`terraform plan -out tfplan`): shown with terraform when it is on PATH, else exit 2
saying exactly what to run. The plan is made here by real terraform from tests/tf/durability."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import ROOT, TF_CASES, lint_model, load_case

sys.path.insert(0, str(ROOT / "scripts"))
from terraform_plans import PROVIDERS_TF, Terraform, find_mirror  # noqa: E402

needs_terraform = pytest.mark.skipif(
    shutil.which("terraform") is None or find_mirror() is None,
    reason="terraform or its provider mirror is not on this machine",
)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """(directory, environment) of a binary plan `tfplan` made from the durability case."""
    work = tmp_path_factory.mktemp("binary-plan")
    case = work / "durability"
    case.mkdir()
    shutil.copy(TF_CASES / "durability" / "main.tf", case / "main.tf")
    shutil.copy(PROVIDERS_TF, case / "providers.tf")
    terraform = Terraform(find_mirror(), work)
    terraform.plan(case)  # init, then plan -out=tfplan
    assert (case / "tfplan").read_bytes()[:4] == b"PK\x03\x04"
    return case, terraform.env


def dynalint(cwd: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dynalint", *args, "--no-config"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
@needs_terraform
def test_binary_plan_is_shown_with_terraform_and_linted(made):
    case, env = made
    result = dynalint(case, env, "tfplan", "-f", "json")
    assert result.returncode == 1, result.stderr
    found = {f["fingerprint"] for f in json.loads(result.stdout)["findings"]}
    # the same configuration's JSON plan, committed, gives the same findings
    assert found == {f.fingerprint for f in lint_model(load_case("durability"))}


@pytest.mark.slow
@needs_terraform
def test_without_terraform_exit_2_says_exactly_what_to_run(made):
    case, env = made
    result = dynalint(case, {**env, "PATH": ""}, "tfplan")
    assert result.returncode == 2
    command = "terraform show -json tfplan > tfplan.json"
    assert result.stderr == (
        f"dynalint: error: tfplan: this is a binary plan file; run `{command}` and lint the JSON\n"
    )
    # and what it says to run works
    subprocess.run(["bash", "-c", command], cwd=case, env=env, check=True, timeout=300)
    from_json = json.loads(dynalint(case, env, "tfplan.json", "-f", "json").stdout)["findings"]
    from_binary = json.loads(dynalint(case, env, "tfplan", "-f", "json").stdout)["findings"]
    assert from_json and [f["fingerprint"] for f in from_json] == [f["fingerprint"] for f in from_binary]


@pytest.mark.slow
@needs_terraform
def test_binary_plan_from_another_directory_is_shown_where_it_was_made(made):
    # terraform needs the providers the plan's directory was initialised with: dynalint runs it there
    case, env = made
    result = dynalint(ROOT, env, str(case / "tfplan"), "-f", "json")
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["findings"]


def test_binary_plan_on_stdin_cannot_be_shown(tmp_path):
    # Only the zip signature matters here; a real plan would be read the same way.
    fake = tmp_path / "tfplan"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("tfplan", b"not a plan")
    result = subprocess.run(
        [sys.executable, "-m", "dynalint", "-", "--no-config"],
        input=fake.read_bytes(),
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert b"terraform show -json PLANFILE | dynalint -" in result.stderr and b"Traceback" not in result.stderr


@pytest.mark.slow
@needs_terraform
def test_a_zip_terraform_cannot_read_is_one_clear_line(tmp_path, made):
    # A corrupt plan file: real terraform never writes one, so it is made by hand.
    _, env = made
    broken = tmp_path / "tfplan"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("tfplan", b"garbage")
    result = dynalint(tmp_path, env, "tfplan")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("dynalint: error: tfplan: binary plan; `terraform show -json` failed: Error:")
    assert not set("│╷╵") & set(line)


# ---------------------------------------------------------------- what the plan's folder could run (issue 14)
def fake_terraform(folder: Path) -> Path:
    """A `terraform` that records that it ran: what a checkout (or a plan folder's providers) could hold."""
    script = folder / "terraform"
    script.write_text(f"#!/bin/sh\necho ran > {folder / 'terraform-ran'}\necho '{{}}'\n")
    script.chmod(0o755)
    return script


def zip_plan(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("tfplan", b"not a plan")
    return path


@pytest.mark.parametrize("name", ["plan.json", "tfplan.JSON", "infra.tfplan.json"])
def test_a_zip_named_json_is_never_handed_to_terraform(tmp_path, name):
    # Only the zip signature matters: a real plan named so would be refused the same way.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_terraform(bin_dir)
    zip_plan(tmp_path / name)
    result = subprocess.run(
        [sys.executable, "-m", "dynalint", name, "--no-config"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"},
    )
    assert result.returncode == 2 and not (bin_dir / "terraform-ran").exists()
    stem = name[: -len(".json")]
    assert result.stderr == (
        f"dynalint: error: {name}: a zip file (a binary plan?) named .json: dynalint hands only "
        "files you name as binary plans to terraform, which starts the provider plugins of the "
        f"plan's folder; if it is your plan, rename it and run `terraform show -json "
        f"{stem}.tfplan > {name}` where it was made\n"
    )


def test_terraform_from_a_relative_path_entry_is_not_run(tmp_path):
    fake_terraform(tmp_path)  # a `terraform` in the checkout, reached through PATH=".:..."
    zip_plan(tmp_path / "tfplan")
    result = subprocess.run(
        [sys.executable, "-m", "dynalint", "tfplan", "--no-config"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": f".{os.pathsep}/usr/bin{os.pathsep}/bin"},
    )
    assert result.returncode == 2 and not (tmp_path / "terraform-ran").exists()
    assert "found through a relative PATH entry" in result.stderr


def test_tf_cli_args_do_not_reach_terraform_show(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "terraform"
    script.write_text(f"#!/bin/sh\necho \"$TF_CLI_ARGS|$TF_CLI_ARGS_show|$*\" > {bin_dir / 'args'}\necho '{{}}'\n")
    script.chmod(0o755)
    zip_plan(tmp_path / "tfplan")
    subprocess.run(
        [sys.executable, "-m", "dynalint", "tfplan", "--no-config"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "TF_CLI_ARGS": "-input=false",
            "TF_CLI_ARGS_show": "-x",
        },
    )
    assert (bin_dir / "args").read_text() == "||-chdir=. show -json -no-color ./tfplan\n"

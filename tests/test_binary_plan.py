"""Binary plans (`terraform plan -out tfplan`): shown with terraform when it is on PATH, else exit 2
saying exactly what to run. The plan is made here by real terraform from tests/tf/durability."""
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import ROOT, TF_CASES, load_case, lint_model

sys.path.insert(0, str(ROOT / "scripts"))
from terraform_plans import PROVIDERS_TF, Terraform, find_mirror  # noqa: E402

needs_terraform = pytest.mark.skipif(shutil.which("terraform") is None or find_mirror() is None,
                                     reason="terraform or its provider mirror is not on this machine")


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
    return subprocess.run([sys.executable, "-m", "dynalint", *args, "--no-config"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


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
    assert result.stderr == (f"dynalint: error: tfplan: this is a binary plan file; run `{command}` "
                             "and lint the JSON\n")
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
    result = subprocess.run([sys.executable, "-m", "dynalint", "-", "--no-config"], input=fake.read_bytes(),
                            capture_output=True, cwd=tmp_path, timeout=60)
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

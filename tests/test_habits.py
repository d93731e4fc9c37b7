"""The project's own settings stay in step with each other (issue 16): the lowest versions CI installs are the
bounds pyproject.toml declares, the ruff that pre-commit runs is the one of the `lint` extra, this
repository's own hooks lint what they should, the CHANGELOG's newest version is dynalint's, and py.typed ships
with the package."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

import dynalint
from helpers import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]


def _requirements(lines) -> dict[str, Requirement]:
    return {(r := Requirement(line)).name.lower(): r for line in lines if not line.startswith("dynalint")}


def _lower_bound(requirement: Requirement) -> str:
    [bound] = [s.version for s in requirement.specifier if s.operator == ">="]
    return bound


def test_the_lowest_constraints_are_the_declared_lower_bounds():
    """.ci/lowest installs .ci/constraints-lowest.txt: each runtime dependency pinned at its `>=` bound, so that
    raising a bound without the file (or the reverse) fails here, not in a user's install."""
    pins = {}
    for line in (ROOT / ".ci" / "constraints-lowest.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.strip().lower()] = Version(version.strip())
    declared = _requirements(PROJECT["dependencies"])
    assert pins == {name: Version(_lower_bound(r)) for name, r in declared.items()}
    for name, requirement in declared.items():
        assert pins[name] in requirement.specifier, name


def test_pre_commit_runs_the_ruff_of_the_lint_extra():
    lint = _requirements(PROJECT["optional-dependencies"]["lint"])
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    for hook in ("ruff", "ruff-format"):
        [pin] = hooks[hook]["additional_dependencies"]
        name, _, version = pin.partition("==")
        assert name == "ruff" and Version(version) in lint["ruff"].specifier, (hook, pin, str(lint["ruff"]))
    assert "mypy" in lint and hooks["mypy"]["entry"].split()[0] == "mypy"


def test_the_dev_extra_holds_the_test_and_lint_extras():
    assert PROJECT["optional-dependencies"]["dev"] == ["dynalint[test,lint]"]


def test_the_changelog_names_this_version_first():
    text = (ROOT / "CHANGELOG.md").read_text()
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", text, re.M)
    assert versions and versions[0] == dynalint.__version__, (versions[:2], dynalint.__version__)
    assert versions == sorted(versions, key=Version, reverse=True)
    assert text.index("## [Unreleased]") < text.index(f"## [{versions[0]}]")
    for version in versions:  # each heading has its link at the bottom
        assert re.search(rf"^\[{re.escape(version)}\]: https://", text, re.M), version


def test_the_package_is_marked_typed():
    assert (ROOT / "dynalint" / "py.typed").is_file()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["dynalint"]


@pytest.mark.slow
def test_the_wheel_ships_py_typed_and_the_version(tmp_path):
    # Built from a copy: setuptools reuses a build/ folder, where a file deleted since would still be.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "tests"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        timeout=600,
    )
    [wheel] = tmp_path.glob("dynalint-*.whl")
    assert wheel.name.startswith(f"dynalint-{dynalint.__version__}-")
    names = zipfile.ZipFile(wheel).namelist()
    assert "dynalint/py.typed" in names and "dynalint/testing.py" in names


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed on this machine")
def test_the_repository_hooks_lint_the_good_examples(tmp_path):
    """This repository's dynalint hooks, run by pre-commit on every file: they select the good examples and
    nothing that is bad on purpose, and find them clean. (These hooks only: ruff-format would rewrite files.)"""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    env = {
        "PATH": os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]),
        "PRE_COMMIT_HOME": str(tmp_path / "home"),
        "HOME": str(tmp_path),
        "NO_COLOR": "1",
    }
    for hook, example in (
        ("dynalint", "rules/examples/DDB101/good/main.tf"),
        ("dynalint-plan", "sample_plans/good/plan.json"),
    ):
        selected = [name for name in listed if re.search(hooks[hook]["files"], name)]
        assert example in selected and all("/good/" in name for name in selected), selected
        run = subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", hook, "--all-files"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0 and "Passed" in run.stdout, run.stdout + run.stderr

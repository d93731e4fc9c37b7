"""The options of ``dynalint check`` and of the commands that list rules, declared in one place (dynalint.cli
applies them; this module prints nothing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from dynalint.report import FORMATS

LEVELS = ("error", "warning", "note", "never")

#: ``dynalint check``'s arguments and options, in the order ``--help`` shows them.
CHECK: list[Callable[[Any], Any]] = [
    click.argument("paths", nargs=-1, metavar="PATH..."),
    click.option(
        "-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format."
    ),
    click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE."),
    click.option("--select", multiple=True, metavar="IDS", help="Rule ids or prefixes to run (e.g. DDB1,DDB201)."),
    click.option("--ignore", multiple=True, metavar="IDS", help="Rule ids or prefixes not to run."),
    click.option(
        "--fail-on",
        type=click.Choice(LEVELS),
        default=None,
        help="Exit 1 when a finding is at or above this level.  [default: the config's fail_on, else error]",
    ),
    click.option(
        "--changed-only", is_flag=True, help="Only check resources the plan creates, updates, replaces or deletes."
    ),
    click.option(
        "--stdin-filename", default="-", metavar="NAME", help="Name of the input read from stdin, for locations."
    ),
    click.option(
        "--source-dir",
        type=click.Path(file_okay=False),
        metavar="DIR",
        help="Where the .tf files of a plan are, to locate findings in them  [default: the plan's directory, "
        "then the current one]",
    ),
    click.option(
        "--var-file",
        "var_files",
        multiple=True,
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Variable values for .tf input (after terraform.tfvars and *.auto.tfvars; repeatable).",
    ),
    click.option(
        "--allow-errored-plan",
        is_flag=True,
        help='Lint a plan terraform could not finish ("errored": true) instead of refusing it: what it '
        "holds is checked, what it misses is not.",
    ),
    click.option(
        "--show-suppressed",
        is_flag=True,
        help="Also show suppressed findings (dynalint:ignore comments, ignore entries of the config).",
    ),
    click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Settings file (default: .dynalint.yaml or pyproject.toml [tool.dynalint], searched upwards).",
    ),
    click.option("--no-config", is_flag=True, help="Use no settings file."),
    click.option(
        "--allow-config-code",
        is_flag=True,
        help="Run the Python rules in the settings file's rules_dirs (its YAML rules always load; see the "
        "README's security model).",
    ),
    click.option(
        "--rules-dir",
        "rules_dirs",
        multiple=True,
        type=click.Path(exists=True, file_okay=False),
        metavar="DIR",
        help="Also run the custom rules (*.py, *.yaml) in DIR (repeatable; see docs/custom-rules.md).",
    ),
    click.option(
        "--baseline",
        "baseline_file",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Report only findings not recorded in FILE (see --write-baseline).",
    ),
    click.option(
        "--write-baseline",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Record today's findings in FILE as accepted, then report only new ones.",
    ),
    click.option(
        "--no-color", is_flag=True, help="No colors in text output (also: the NO_COLOR environment variable)."
    ),
    click.option(
        "--fix",
        is_flag=True,
        help="Repair the .tf files for findings whose rule has a safe fix, then report what remains.",
    ),
    click.option(
        "--unsafe-fixes",
        is_flag=True,
        help="With --fix or --diff: also apply unsafe fixes (they replace a resource, cost money or change "
        "who has access; each rule's page says).",
    ),
    click.option(
        "--diff",
        is_flag=True,
        help="Print the fixes --fix would make as a unified diff and change nothing; exit 1 when there is one.",
    ),
    click.option(
        "--exit-non-zero-on-fix",
        is_flag=True,
        help="With --fix: exit 1 when a file was changed, even if no finding remains (for pre-commit).",
    ),
    click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary, notes or progress."),
    click.option("--statistics", is_flag=True, help="Print how many findings each rule has instead of the findings."),
    click.option(
        "--roots",
        is_flag=True,
        help="Take each PATH as a changed file and lint the Terraform roots (under the current directory) "
        "that contain it or call its module (the pre-commit hook).",
    ),
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=0),
        default=0,
        metavar="N",
        help="Check up to N inputs at once, each in a process of its own  [default: 0, one per processor]",
    ),
    click.option("--debug", is_flag=True, help="Show tracebacks and why rules stayed silent."),
]


def check_options(command: Callable) -> Callable:
    """``command`` with the arguments and options of CHECK (applied as a stack of decorators would be)."""
    for declare in reversed(CHECK):
        command = declare(command)
    return command


def rule_sources(command: Callable) -> Callable:
    """The options that say where custom rules come from, for commands that list or explain rules."""
    command = click.option(
        "--allow-config-code", is_flag=True, help="Load the Python rules in the settings file's rules_dirs."
    )(command)
    command = click.option("--no-config", is_flag=True, help="Use no settings file.")(command)
    command = click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Settings file whose rules_dirs to load.",
    )(command)
    return click.option(
        "--rules-dir",
        "rules_dirs",
        multiple=True,
        type=click.Path(exists=True, file_okay=False),
        metavar="DIR",
        help="Also list the custom rules in DIR (repeatable).",
    )(command)

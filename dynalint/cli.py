"""The command line: parse, call, print, exit. The only module that prints or exits.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it;
2 the input or the usage is wrong (one line on stderr, never a traceback).
"""
from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from pathlib import Path

import click

from dynalint import __version__
from dynalint.errors import InputError, RuleError

LEVELS = ("error", "warning", "note", "never")


class DefaultGroup(click.Group):
    """``dynalint PATH...`` means ``dynalint check PATH...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        elif not args:
            args = ["check"]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dynalint")
def main() -> None:
    """dynalint: a Terraform linter that knows DynamoDB.

    \b
    dynalint plan.json                      lint a `terraform show -json` plan or state
    terraform show -json tfplan | dynalint -
    dynalint rules                          list the rules;  dynalint explain DDB101
    """


@main.command()
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "sarif", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE.")
@click.option("--select", multiple=True, metavar="IDS", help="Rule ids or prefixes to run (e.g. DDB1,DDB201).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Rule ids or prefixes not to run.")
@click.option("--fail-on", type=click.Choice(LEVELS), default="error", show_default=True,
              help="Exit 1 when a finding is at or above this level.")
@click.option("--changed-only", is_flag=True, help="Only check resources the plan creates, updates, replaces or deletes.")
@click.option("--stdin-filename", default="-", metavar="NAME", help="Name of the input read from stdin, for locations.")
@click.option("--debug", is_flag=True, help="Show tracebacks and why rules stayed silent.")
def check(paths, fmt, output, select, ignore, fail_on, changed_only, stdin_filename, debug) -> None:
    """Lint Terraform plans or states (JSON of `terraform show -json`; `-` reads stdin)."""
    _setup_logging(debug)
    try:
        code = _check(paths, fmt, output, select, ignore, fail_on, changed_only, stdin_filename)
    except (InputError, RuleError) as exc:
        _fail(str(exc), debug)
    except OSError as exc:
        _fail(f"{exc.filename or 'output'}: {exc.strerror or exc}", debug)
    except Exception as exc:  # noqa: BLE001 - the user gets one line, --debug the traceback
        _fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", debug)
    sys.exit(code)


def _check(paths, fmt, output, select, ignore, fail_on, changed_only, stdin_filename) -> int:
    from dynalint import engine
    from dynalint.load import load_input
    from dynalint.report import Report, render

    if not paths:
        raise InputError("no input: give a plan or state JSON file, or - to read stdin (see dynalint --help)")
    registry = engine.builtin_registry()
    rules = engine.select(registry.sorted(), _split(select), _split(ignore))
    models = [_rename_stdin(load_input(p, locate=fmt != "text"), stdin_filename) for p in paths]
    findings = engine.run(models, rules, registry.links, only_changed=changed_only)
    report = Report(findings=findings, rules=rules, models=models, color=_color(output))
    text = render(fmt, report)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        if fmt != "text":
            from dynalint.report import summary_line

            click.echo(f"dynalint: {summary_line(report)} Report written to {output}.", err=True)
    else:
        click.echo(text, nl=False)
    return engine.exit_code(findings, fail_on)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def rules(fmt: str) -> None:
    """List every rule: id, slug, level and summary."""
    from dynalint import engine

    try:
        listed = engine.builtin_registry().sorted()
    except RuleError as exc:
        _fail(str(exc), False)
    if fmt == "json":
        rows = [{"id": r.id, "slug": r.slug, "level": str(r.level), "kind": r.kind, "applies": list(r.applies),
                 "security_severity": r.security_severity, "tags": list(r.tags), "summary": r.summary,
                 "options": r.options} for r in listed]
        click.echo(json.dumps({"rules": rows}, indent=2))
    elif fmt == "markdown":
        click.echo("| id | slug | level | summary |\n|---|---|---|---|")
        for r in listed:
            click.echo(f"| [{r.id}](docs/rules/{r.id}.md) | {r.slug} | {r.level} | {r.summary} |")
    else:
        width = max((len(r.slug) for r in listed), default=0)
        for r in listed:
            click.echo(f"{r.id}  {r.slug:<{width}}  {str(r.level):<7}  {r.summary}")


@main.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Print a rule's full documentation."""
    from dynalint import engine

    registry = engine.builtin_registry()
    found = registry.rules.get(rule_id.upper())
    if found is None:
        by_slug = [r for r in registry.rules.values() if r.slug == rule_id.lower()]
        found = by_slug[0] if by_slug else None
    if found is None:
        _fail(f"unknown rule {rule_id!r} (see `dynalint rules`)", False)
    options = ", ".join(f"{k}={v!r}" for k, v in found.options.items())
    click.echo(f"{found.id} {found.slug} ({found.level}{', options: ' + options if options else ''})\n")
    click.echo(found.summary + "\n")
    click.echo(found.help)


def _split(values) -> list[str]:
    return [part for value in values for part in value.split(",") if part.strip()]


def _rename_stdin(model, name: str):
    if model.input_file != "-" or name == "-":
        return model
    from dataclasses import replace

    locator = {a: replace(s, file=name) for a, s in (model.plan_locator or {}).items()}
    return replace(model, input_file=name, plan_locator=locator)


def _color(output: str | None) -> bool:
    if output or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _setup_logging(debug: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="dynalint: %(message)s", stream=sys.stderr)


def _fail(message: str, debug: bool) -> None:
    if debug:
        traceback.print_exc()
    click.echo(f"dynalint: error: {message}", err=True)
    sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()

"""The command line: parse, call, print, exit. The only module that prints or exits.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it;
2 the input or the usage is wrong (one line on stderr, never a traceback).
"""
from __future__ import annotations

import gc
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
FORMATS = ("text", "sarif", "json", "junit", "github", "markdown")


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
    dynalint infra/                         lint the .tf files of a directory (and its local modules)
    dynalint rules                          list the rules;  dynalint explain DDB101
    """


@main.command()
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE.")
@click.option("--select", multiple=True, metavar="IDS", help="Rule ids or prefixes to run (e.g. DDB1,DDB201).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Rule ids or prefixes not to run.")
@click.option("--fail-on", type=click.Choice(LEVELS), default=None,
              help="Exit 1 when a finding is at or above this level.  [default: the config's fail_on, else error]")
@click.option("--changed-only", is_flag=True, help="Only check resources the plan creates, updates, replaces or deletes.")
@click.option("--stdin-filename", default="-", metavar="NAME", help="Name of the input read from stdin, for locations.")
@click.option("--source-dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Where the .tf files of a plan are, to locate findings in them  [default: the plan's directory, "
                   "then the current one]")
@click.option("--var-file", "var_files", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Variable values for .tf input (after terraform.tfvars and *.auto.tfvars; repeatable).")
@click.option("--show-suppressed", is_flag=True,
              help="Also show suppressed findings (dynalint:ignore comments, ignore entries of the config).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Settings file (default: .dynalint.yaml or pyproject.toml [tool.dynalint], searched upwards).")
@click.option("--no-config", is_flag=True, help="Use no settings file.")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(exists=True, file_okay=False), metavar="DIR",
              help="Also run the custom rules (*.py, *.yaml) in DIR (repeatable; see docs/custom-rules.md).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report only findings not recorded in FILE (see --write-baseline).")
@click.option("--write-baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Record today's findings in FILE as accepted, then report only new ones.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary, notes or progress.")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule has instead of the findings.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, metavar="N",
              help="Check up to N inputs at once, each in a process of its own  [default: 0, one per processor]")
@click.option("--debug", is_flag=True, help="Show tracebacks and why rules stayed silent.")
def check(paths, fmt, output, select, ignore, fail_on, changed_only, stdin_filename, debug, **workflow) -> None:
    """Lint Terraform plans or states (JSON of `terraform show -json`; `-` reads stdin), or .tf directories."""
    _setup_logging(debug)
    collecting = gc.isenabled()
    try:
        # the report, with every model and finding, is kept to the end: see _end_process
        code, _report = _check(paths, fmt, output, select, ignore, fail_on, changed_only, stdin_filename, workflow)
    except (InputError, RuleError) as exc:
        _fail(str(exc), debug)
    except OSError as exc:
        _fail(f"{exc.filename or 'output'}: {exc.strerror or exc}", debug)
    except RecursionError:  # the loaders refuse deep nesting with the file's name; this is the net below them
        _fail("an input is nested too deeply for dynalint to read (run with --debug to see where)", debug)
    except Exception as exc:  # noqa: BLE001 - the user gets one line, --debug the traceback
        _fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", debug)
    finally:
        if collecting:  # _check turns the cyclic collector off; a caller in the same process (tests) gets it back
            gc.enable()
    if _ENDS_PROCESS:
        _end_process(code)
    sys.exit(code)


def _check(paths, fmt, output, select, ignore, fail_on, changed_only, stdin_filename, workflow) -> int:
    from dynalint import engine
    from dynalint.load import load_inputs
    from dynalint.report import Report, plural

    if not paths:
        raise InputError("no input: give a plan or state JSON file, a directory of .tf files, or - to read stdin "
                         "(see dynalint --help)")
    # A plan parses into millions of dicts and lists and none of them form cycles: the cyclic garbage
    # collector would walk them again and again for nothing (60% of the time of json.load on a large plan).
    gc.disable()
    registry, settings = _registry_and_settings(workflow)
    rules = settings.choose_rules(registry.sorted(), _split(select), _split(ignore))
    known = _read_baseline(workflow)
    progress = _Progress(_wants_progress(paths, workflow["quiet"]))
    jobs = _jobs(workflow["jobs"], paths)
    try:
        if jobs > 1:
            from dynalint import parallel

            work = parallel.Work(rules, registry.links, settings.run_options(), changed_only, list(registry.rules),
                                 fmt != "text", workflow["source_dir"], workflow["var_files"],
                                 prepare=lambda m: _prepared(m, stdin_filename, changed_only))
            models, findings = parallel.check_inputs(paths, work, jobs, progress=progress.show)
        else:
            models = [_prepared(m, stdin_filename, changed_only) for m in load_inputs(
                paths, locate=fmt != "text", source_dir=workflow["source_dir"], var_files=workflow["var_files"],
                progress=progress.show)]
            progress.show(f"checking {plural(sum(len(m.resources) for m in models), 'resource')}"
                          f" with {plural(len(rules), 'rule')}")
            findings = engine.run(models, rules, registry.links, settings.run_options(), only_changed=changed_only,
                                  known_ids=registry.rules)
    finally:
        progress.clear()
    findings = _baselined(settings.suppress(findings), known, workflow)
    color = _color(output)
    report = Report(findings=findings, rules=rules, models=models, color=color,
                    show_suppressed=workflow["show_suppressed"],
                    extra={"only_changed": changed_only})
    _emit(fmt, report, output, workflow)
    return engine.exit_code(findings, fail_on or settings.fail_on or "error"), report


def _prepared(model, stdin_filename: str, changed_only: bool):
    """A model as loaded, named as --stdin-filename says, with the --changed-only note where it applies."""
    model = _rename_stdin(model, stdin_filename)
    return _no_changes_note(model) if changed_only else model


def _jobs(asked: int, paths) -> int:
    """How many processes check the inputs: one unless two or more inputs can go to workers (plans and
    states from files, or .tf input) on a platform that can fork; at most ``asked`` (0: one per processor)."""
    if asked == 1 or len(paths) < 2:
        return 1
    from dynalint import parallel

    if not parallel.can_fork() or sum(1 for unit in parallel.units(paths) if parallel.poolable(unit)) < 2:
        return 1
    return asked or parallel.available_cores()


def _no_changes_note(model):
    """--changed-only narrows a plan; .tf and state input carry no changes, so all of it is checked."""
    if model.input_kind == "plan":
        return model
    from dataclasses import replace

    kind = ".tf input" if model.input_kind == "hcl" else "a state"
    note = f"{model.input_file}: --changed-only needs a plan; {kind} has no planned changes, so every resource is checked"
    return replace(model, warnings=model.warnings + (note,))


def _registry_and_settings(workflow):
    """Every rule (built-in, from installed packages, from --rules-dir and rules_dirs) and the settings."""
    from dynalint import config

    path = _config_path(workflow)
    registry = _registry(workflow, path)
    return registry, (config.load(path, registry.sorted()) if path else config.Config())


def _config_path(workflow) -> Path | None:
    from dynalint import config

    if workflow["no_config"]:
        if workflow["config_file"]:
            raise InputError("--config and --no-config do not go together")
        return None
    return Path(workflow["config_file"]) if workflow["config_file"] else config.find(Path.cwd())


def _registry(workflow, config_path: Path | None):
    from dynalint import config, custom

    return custom.registry([*(config.rules_dirs(config_path) if config_path else ()), *workflow["rules_dirs"]])


def _rule_sources(command):
    """The options that say where custom rules come from, for commands that list or explain rules."""
    command = click.option("--no-config", is_flag=True, help="Use no settings file.")(command)
    command = click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
                           help="Settings file whose rules_dirs to load.")(command)
    return click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
                        metavar="DIR", help="Also list the custom rules in DIR (repeatable).")(command)


def _read_baseline(workflow) -> frozenset[str] | None:
    """The fingerprints of --baseline FILE, read before the run so that a wrong file fails fast."""
    from dynalint import baseline

    if workflow["baseline_file"] and workflow["write_baseline"]:
        raise InputError("--baseline and --write-baseline do not go together: "
                         "--write-baseline FILE records today's findings in FILE and reports only new ones")
    return baseline.read(workflow["baseline_file"]) if workflow["baseline_file"] else None


def _baselined(findings, known: frozenset[str] | None, workflow):
    from dynalint import baseline
    from dynalint.report import plural

    if workflow["write_baseline"]:
        count = baseline.write(workflow["write_baseline"], findings)
        if not workflow["quiet"]:
            click.echo(f"dynalint: recorded {plural(count, 'finding')} in {workflow['write_baseline']}; "
                       "from now on only new findings are reported with --baseline.", err=True)
        known = frozenset(f.fingerprint for f in findings)
    return findings if known is None else baseline.apply(known, findings)


def _emit(fmt, report, output, workflow) -> None:
    """Print (or write) the report; --quiet keeps findings only, --statistics prints counts per rule."""
    from dynalint.report import render_pieces, statistics, summary_line

    quiet = workflow["quiet"]
    pieces = [_findings_only(report)] if quiet and fmt == "text" else render_pieces(fmt, report)
    # A lone surrogate (a \ud800 escape in the JSON: no tool writes one, a hand can) cannot be written as UTF-8:
    # it becomes "?" (errors="replace" where the report goes to a file, written in pieces). ASCII text (the usual
    # report) holds none, and is not copied twice to find out.
    text = None if output else "".join(pieces)
    if text is not None and not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    if not quiet and (fmt not in ("text", "json") or workflow["statistics"]):
        # text and JSON reports hold the input notes (an errored plan, an unknown format_version); stderr has them
        # for the other formats
        for note in (warning for model in report.models for warning in model.warnings):
            click.echo(f"dynalint: note: {note}", err=True)
    if output:
        with open(output, "w", encoding="utf-8", errors="replace") as stream:
            stream.writelines(pieces)
        if fmt != "text" and not quiet and not workflow["statistics"]:
            click.echo(f"dynalint: {summary_line(report)} Report written to {output}.", err=True)
    if workflow["statistics"]:
        click.echo(statistics(report, summary=not quiet), nl=False)
    elif not output:
        click.echo(text, nl=False, color=report.color)


def _findings_only(report) -> str:
    """The text report without input notes and without its last line, the summary."""
    from dataclasses import replace

    from dynalint.report import render

    bare = replace(report, models=[replace(m, warnings=()) for m in report.models])
    body = render("text", bare).rstrip("\n").rpartition("\n")[0].rstrip("\n")
    return body + "\n" if body else ""


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@_rule_sources
def rules(fmt: str, **sources) -> None:
    """List every rule (built-in and custom): id, slug, level and summary."""
    listed = _listed_registry(sources).sorted()
    if fmt == "json":
        rows = [{"id": r.id, "slug": r.slug, "level": str(r.level), "kind": r.kind, "applies": list(r.applies),
                 "security_severity": r.security_severity, "tags": list(r.tags), "summary": r.summary,
                 "options": r.options, "origin": r.origin} for r in listed]
        click.echo(json.dumps({"rules": rows}, indent=2))
    elif fmt == "markdown":
        click.echo("| id | slug | level | summary |\n|---|---|---|---|")
        for r in listed:
            shown_id = f"[{r.id}](docs/rules/{r.id}.md)" if r.builtin else r.id
            click.echo(f"| {shown_id} | {r.slug} | {r.level} | {r.summary} |")
    else:
        width = max((len(r.slug) for r in listed), default=0)
        for r in listed:
            click.echo(f"{r.id}  {r.slug:<{width}}  {str(r.level):<7}  {r.summary}")


@main.command()
@click.argument("rule_id")
@_rule_sources
def explain(rule_id: str, **sources) -> None:
    """Print a rule's full documentation."""
    registry = _listed_registry(sources)
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


def _listed_registry(sources):
    """The registry `rules` and `explain` show; a broken source is exit 2."""
    try:
        return _registry(sources, _config_path(sources))
    except (InputError, RuleError) as exc:
        _fail(str(exc), False)


@main.command()
@click.argument("what", type=click.Choice(["rule"]))
def schema(what: str) -> None:
    """Print a JSON Schema: `rule` for YAML rule files (see docs/custom-rules.md)."""
    from dynalint import yaml_rules

    click.echo(yaml_rules.schema_text(), nl=False)


@main.command()
@click.argument("directory", default="docs/rules", type=click.Path(file_okay=False))
@click.option("--check", "check_only", is_flag=True, help="Exit 1 when the pages are out of date; write nothing.")
def docs(directory: str, check_only: bool) -> None:
    """Write one documentation page per rule (default: docs/rules/)."""
    from dynalint import docs as pages
    from dynalint import engine

    rules_ = engine.builtin_registry().sorted()
    if check_only:
        out_of_date = pages.stale(rules_, Path(directory))
        if out_of_date:
            click.echo(f"dynalint: {len(out_of_date)} rule page(s) out of date in {directory}: "
                       f"{', '.join(out_of_date[:8])}; run `dynalint docs`", err=True)
            sys.exit(1)
        click.echo(f"{len(rules_)} rule pages up to date in {directory}")
        return
    changed = pages.write(rules_, Path(directory))
    click.echo(f"{len(rules_)} rule pages in {directory}; {len(changed)} written or removed")


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


# Progress is shown for several inputs, or for inputs of this many bytes or more.
PROGRESS_BYTES = 10 * 1024 * 1024


def _wants_progress(paths, quiet: bool) -> bool:
    """On a terminal only (stderr a TTY), and only where the wait is long enough to wonder."""
    if quiet or not sys.stderr.isatty():
        return False
    if len(paths) > 1:
        return True
    size = sum(os.path.getsize(p) for p in paths if p != "-" and os.path.isfile(p))
    return size >= PROGRESS_BYTES


class _Progress:
    """One status line on stderr, rewritten in place and erased when the work is done."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = False

    def show(self, text: str) -> None:
        if self.enabled:
            click.echo(f"\r\x1b[Kdynalint: {text} ...", err=True, nl=False)
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", err=True, nl=False)
            self.shown = False


def _setup_logging(debug: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="dynalint: %(message)s", stream=sys.stderr)


def _fail(message: str, debug: bool) -> None:
    if debug:
        traceback.print_exc()
    click.echo(f"dynalint: error: {_one_line(message)}", err=True)
    sys.exit(2)


def _one_line(text: str) -> str:
    """``text`` with line breaks, control characters and lone surrogates escaped (they may come from the input):
    an error is one line, and no line of it can pass for a CI workflow command."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


# Set by ``entry``: the process is the command line's own, not a caller's (tests invoke ``main`` in theirs).
_ENDS_PROCESS = False


def entry() -> None:
    """The ``dynalint`` console script and ``python -m dynalint``: ``main``, in a process it may end itself."""
    global _ENDS_PROCESS
    _ENDS_PROCESS = True
    main(prog_name="dynalint")


def _end_process(code: int) -> None:
    """End the process now, as a normal exit would but for the teardown: output flushed, atexit handlers run,
    then no object of the run freed one by one and no interpreter shutdown (the system takes the memory back
    at once; on a large plan that teardown took longer than writing the report). Where output cannot be
    flushed (a closed pipe), this returns and the process ends as usual, saying so as usual."""
    import atexit

    try:
        sys.stdout.flush()
        sys.stderr.flush()
        atexit._run_exitfuncs()  # logging's flush, and any a custom rule registered
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()

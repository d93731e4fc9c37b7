"""The command line: parse, call, print, exit. The only module that prints or exits.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it;
2 the input or the usage is wrong (one line on stderr, never a traceback).
"""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path

import click

from dynalint import __version__
from dynalint.cli_options import check_options, rule_sources
from dynalint.errors import InputError, RuleError


class DefaultGroup(click.Group):
    """``dynalint PATH...`` means ``dynalint check PATH...``; ``dynalint --help`` shows check's options,
    since linting is what a user came for. A first argument that names no command is a path: a folder
    called ``rules`` is linted with ``dynalint check rules``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        elif not args:
            args = ["check"]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] PATH...")
        formatter.write_usage(ctx.command_path, "COMMAND [ARGS]...", prefix="       ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        checks = [p.get_help_record(ctx) for p in self.commands["check"].params if isinstance(p, click.Option)]
        own = [p.get_help_record(ctx) for p in self.get_params(ctx)]
        with formatter.section("Options"):
            formatter.write_dl([record for record in checks + own if record])
        self.format_commands(ctx, formatter)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dynalint")
def main() -> None:
    """dynalint: a Terraform linter that knows DynamoDB.

    \b
    dynalint plan.json                  lint a `terraform show -json` plan or state
    terraform show -json tfplan | dynalint -
    dynalint infra/                     lint the .tf files of a folder (and its local modules)
    dynalint --fix infra/               repair what has a certain fix, then lint again (--diff: show it)
    dynalint rules                      list the rules
    dynalint explain DDB101             what a rule checks, why, and how to fix it

    Linting is the default command (check): its options are below.
    """


@main.command()
@check_options
def check(paths, fmt, output, select, ignore, fail_on, changed_only, stdin_filename, debug, **workflow) -> None:
    """Lint plans, states or .tf folders (the default command).

    PATH is a `terraform show -json` plan or state, a binary plan, a folder of .tf files, or - for stdin.
    """
    if debug:  # without it, logging is set up only where users' Python rules load (see _registry)
        _setup_logging(True)
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
        # _check turns the cyclic collector off; a caller in the same process (tests) gets it back. The command
        # line's own process does not: the collection that enabling starts would walk every object of the run
        # (tens of milliseconds on a large plan) just before the process ends.
        if collecting and not _ENDS_PROCESS:
            gc.enable()
    if _ENDS_PROCESS:
        _end_process(code)
    sys.exit(code)


def _check(paths, fmt, output, select, ignore, fail_on, changed_only, stdin_filename, workflow) -> tuple[int, object]:
    from dynalint import engine
    from dynalint.load import load_inputs
    from dynalint.report import Report, plural

    if workflow["roots"] and paths:
        paths = _roots(paths, workflow["quiet"])
        if not paths:
            return 0, None
    if not paths:
        raise InputError(
            "no input: give a plan or state JSON file, a directory of .tf files, or - to read stdin "
            "(see dynalint --help)"
        )
    # A plan parses into millions of dicts and lists and none of them form cycles: the cyclic garbage
    # collector would walk them again and again for nothing (60% of the time of json.load on a large plan).
    gc.disable()
    registry, settings = _registry_and_settings(workflow)
    rules = settings.choose_rules(registry.sorted(), _split(select), _split(ignore))
    known = _read_baseline(workflow)
    fixing = _fixing(workflow)
    # Fixing lints with every rule the configuration runs, --select or not: no fix may make another rule fire.
    checked = rules
    if fixing:
        wanted = {r.id for r in rules} | {r.id for r in settings.choose_rules(registry.sorted())}
        checked = [r for r in registry.sorted() if r.id in wanted]
    progress = _Progress(_wants_progress(paths, workflow["quiet"]))

    jobs = 1 if fixing else _jobs(workflow["jobs"], paths)  # fixing lints again after each pass: here

    def lint():
        try:
            if jobs > 1:
                from dynalint import parallel

                work = parallel.Work(
                    checked,
                    registry.links,
                    settings.run_options(),
                    changed_only,
                    list(registry.rules),
                    fmt != "text",
                    workflow["source_dir"],
                    workflow["var_files"],
                    prepare=lambda m: _prepared(m, stdin_filename, changed_only),
                    allow_errored=workflow["allow_errored_plan"],
                    whole_models={"markdown": "all", "sarif": "fixes"}.get(fmt, ""),
                )
                models, findings = parallel.check_inputs(paths, work, jobs, progress=progress.show)
            else:
                models = [
                    _prepared(m, stdin_filename, changed_only)
                    for m in load_inputs(
                        paths,
                        locate=fmt != "text",
                        source_dir=workflow["source_dir"],
                        var_files=workflow["var_files"],
                        progress=progress.show,
                        allow_errored=workflow["allow_errored_plan"],
                    )
                ]
                progress.show(
                    f"checking {plural(sum(len(m.resources) for m in models), 'resource')}"
                    f" with {plural(len(checked), 'rule')}"
                )
                findings = engine.run(
                    models,
                    checked,
                    registry.links,
                    settings.run_options(),
                    only_changed=changed_only,
                    known_ids=registry.rules,
                )
        finally:
            progress.clear()
        return models, settings.suppress(findings)

    extra = {"only_changed": changed_only}
    with _sharing_parses(fixing or fmt == "sarif"):
        if fixing:
            outcome = _fix(lint, known, paths, workflow, {r.id for r in rules})
            if workflow["diff"]:
                return (1 if outcome.diff else 0), None
            models, findings = outcome.models, outcome.findings
            findings += settings.unused_ignores(findings, models, rules, only_changed=changed_only)
        else:
            models, findings = lint()
            findings += settings.unused_ignores(findings, models, rules, only_changed=changed_only)
            findings = _baselined(findings, known, workflow)
        if fmt == "sarif" and any(f.fixable_in_tf and not f.suppressed for f in findings):
            from dynalint.fix.run import proposals  # the fixer: only where there is something it may fix

            extra["fixes"] = proposals(models, findings)
    color = _color(output, workflow["no_color"])
    report = Report(
        findings=findings,
        rules=rules,
        models=models,
        color=color,
        width=_width(output),
        show_suppressed=workflow["show_suppressed"],
        extra=extra,
    )
    _emit(fmt, report, output, workflow)
    _say_settings(fmt, settings, workflow)  # after the report: an input refused (exit 2) stays one line
    code = engine.exit_code(findings, fail_on or settings.fail_on or "error")
    if fixing and workflow["exit_non_zero_on_fix"] and outcome.changed:
        code = max(code, 1)
    return code, report


def _sharing_parses(wanted: bool):
    """Fixing and SARIF's fixes read the .tf files after the loader: let them reuse its parse trees."""
    import contextlib

    from dynalint.load.hcl.syntax import shared_parses

    return shared_parses() if wanted else contextlib.nullcontext()


def _fixing(workflow) -> bool:
    """Whether this run fixes (--fix, or --diff which shows the fixes); the options that go with it."""
    fixing = workflow["fix"] or workflow["diff"]
    if workflow["unsafe_fixes"] and not fixing:
        raise InputError("--unsafe-fixes goes with --fix or --diff")
    if workflow["exit_non_zero_on_fix"] and not workflow["fix"]:
        raise InputError("--exit-non-zero-on-fix goes with --fix")
    if fixing and workflow["write_baseline"]:
        raise InputError("--fix and --diff do not go with --write-baseline: fix first, then record what remains")
    return fixing


def _fix(lint, known, paths, workflow, selected):
    """Run the fixer on the findings of the ``selected`` rules; print the diff (--diff) or what it changed, and
    why what remains has no fix."""
    from dynalint import baseline
    from dynalint.fix import run as fixer

    def linted():
        models, findings = lint()
        return models, findings if known is None else baseline.apply(known, findings)

    roots = [p for p in paths if p != "-"] + ([workflow["source_dir"]] if workflow["source_dir"] else [])
    outcome = fixer.fix(
        linted,
        roots=roots,
        unsafe=workflow["unsafe_fixes"],
        write=not workflow["diff"],
        fixing=lambda finding: finding.rule_id in selected,
    )
    if workflow["diff"]:
        click.echo(outcome.diff, nl=False)
    if not workflow["quiet"]:
        from dynalint.report.escape import text

        for line in fixer.summary(outcome, diff=workflow["diff"]):
            click.echo(f"dynalint: {text(line)}", err=True)
    return outcome


def _roots(files, quiet: bool) -> list[str]:
    """--roots: the roots to lint for these changed files, said on stderr (a module's findings then name
    files the commit did not change)."""
    from dynalint.load.roots import roots_of

    roots = roots_of(files)
    if not quiet:
        shown = ", ".join(roots) if roots else "none (no .tf files beside the changed files)"
        click.echo(f"dynalint: Terraform roots that contain or call the changed files: {shown}", err=True)
    return roots


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
    note = (
        f"{model.input_file}: --changed-only needs a plan; {kind} has no planned changes, so every resource is checked"
    )
    return replace(model, warnings=model.warnings + (note,))


def _registry_and_settings(workflow):
    """Every rule (built-in, from installed packages, from --rules-dir and rules_dirs) and the settings."""
    from dynalint import config

    path = _config_path(workflow)
    registry = _registry(workflow, path, logging_for_code=True)
    return registry, (config.load(path, registry.sorted()) if path else config.Config())


def _config_path(workflow) -> Path | None:
    from dynalint import config

    if workflow["no_config"]:
        if workflow["config_file"]:
            raise InputError("--config and --no-config do not go together")
        return None
    return Path(workflow["config_file"]) if workflow["config_file"] else config.find(Path.cwd())


def _registry(workflow, config_path: Path | None, logging_for_code: bool = False):
    """Every rule: built-in, from installed packages, from the config's rules_dirs and --rules-dir. With
    ``logging_for_code`` (a check), logging is set up before users' Python rules load, since they may log: a run
    without them (and without --debug) has nothing to log, and does not import logging (3 ms of start-up)."""
    from dynalint import config, custom

    directories = tuple(config.rules_dirs(config_path)) if config_path else ()
    # directories only with a config_path
    named = (
        custom.ConfigRules(config_path, directories, workflow["allow_config_code"])
        if config_path and directories
        else None
    )
    entry_points = custom.may_declare_entry_points(custom.ENTRY_POINT_GROUP)
    if logging_for_code and (workflow["rules_dirs"] or entry_points or (named is not None and named.run_code)):
        _setup_logging(False)
    return custom.registry(workflow["rules_dirs"], entry_points=entry_points, config=named)


def _say_settings(fmt: str, settings, workflow) -> None:
    """Which settings file governs the run, on stderr, where a CI log keeps it: a reviewer sees whether the
    gate's settings came from the workflow (--config) or from the repository under review. Said for the
    formats made for GitHub (github, sarif), and for every format in a GitHub Actions job."""
    if workflow["quiet"] or (fmt not in ("github", "sarif") and os.environ.get("GITHUB_ACTIONS") != "true"):
        return
    from dynalint.report.escape import text

    if settings.path is None:
        why = "--no-config" if workflow["no_config"] else "no .dynalint.yaml or [tool.dynalint] found"
        click.echo(f"dynalint: settings: none ({why})", err=True)
        return
    how = "--config" if workflow["config_file"] else "found from the working directory"
    code = "; its Python rules run: --allow-config-code" if workflow["allow_config_code"] else ""
    click.echo(f"dynalint: settings: {text(settings.path)} ({how}{code})", err=True)


def _read_baseline(workflow) -> frozenset[str] | None:
    """The fingerprints of --baseline FILE, read before the run so that a wrong file fails fast."""
    from dynalint import baseline

    if workflow["baseline_file"] and workflow["write_baseline"]:
        raise InputError(
            "--baseline and --write-baseline do not go together: "
            "--write-baseline FILE records today's findings in FILE and reports only new ones"
        )
    return baseline.read(workflow["baseline_file"]) if workflow["baseline_file"] else None


def _baselined(findings, known: frozenset[str] | None, workflow):
    from dynalint import baseline
    from dynalint.report import plural
    from dynalint.report.escape import text

    if workflow["write_baseline"]:
        known = baseline.write(workflow["write_baseline"], findings)
        if not workflow["quiet"]:
            click.echo(
                f"dynalint: recorded {plural(len(known), 'finding')} in {text(workflow['write_baseline'])}; "
                "from now on only new findings are reported with --baseline.",
                err=True,
            )
    return findings if known is None else baseline.apply(known, findings)


def _emit(fmt, report, output, workflow) -> None:
    """Print (or write) the report; --quiet keeps findings only, --statistics prints counts per rule."""
    from dynalint.report import render_pieces, statistics, summary_line
    from dynalint.report.escape import text

    quiet = workflow["quiet"]
    pieces = [_findings_only(report, fmt)] if quiet and fmt in ("text", "concise") else render_pieces(fmt, report)
    # A lone surrogate (a \ud800 escape in the JSON: no tool writes one, a hand can) cannot be written as UTF-8:
    # it becomes "?" (errors="replace" where the report goes to a file, written in pieces). ASCII text (the usual
    # report) holds none, and is not copied twice to find out.
    rendered = None if output else "".join(pieces)
    if rendered is not None and not rendered.isascii():
        rendered = rendered.encode("utf-8", "replace").decode("utf-8")
    if not quiet and (fmt not in ("text", "json") or workflow["statistics"]):
        # text and JSON reports hold the input notes (an errored plan, an unknown format_version); stderr has them
        # for the other formats
        for note in (warning for model in report.models for warning in model.warnings):
            click.echo(f"dynalint: note: {text(note)}", err=True)
    if output:
        with open(output, "w", encoding="utf-8", errors="replace") as stream:
            stream.writelines(pieces)
        if fmt != "text" and not quiet and not workflow["statistics"]:
            click.echo(f"dynalint: {summary_line(report)} Report written to {text(output)}.", err=True)
    if workflow["statistics"]:
        click.echo(statistics(report, summary=not quiet), nl=False)
    elif not output:
        click.echo(rendered, nl=False, color=report.color)


def _findings_only(report, fmt: str) -> str:
    """The text or concise report without input notes and without its last line, the summary."""
    from dataclasses import replace

    from dynalint.report import render

    bare = replace(report, models=[replace(m, warnings=()) for m in report.models])
    body = render(fmt, bare).rstrip("\n").rpartition("\n")[0].rstrip("\n")
    return body + "\n" if body else ""


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@rule_sources
def rules(fmt: str, **sources) -> None:
    """List the rules, built-in and custom: id, slug, level, summary."""
    from dynalint.report.escape import json_document, markdown_text, text

    listed = _listed_registry(sources).sorted()
    if fmt == "json":
        rows = [
            {
                "id": r.id,
                "slug": r.slug,
                "level": str(r.level),
                "kind": r.kind,
                "applies": list(r.applies),
                "security_severity": r.security_severity,
                "tags": list(r.tags),
                "summary": r.summary,
                "options": r.options,
                "origin": r.origin,
                "fix": r.fix,
            }
            for r in listed
        ]
        click.echo(json_document(json.dumps({"rules": rows}, indent=2)))
    elif fmt == "markdown":
        click.echo("| id | slug | level | fix | summary |\n|---|---|---|---|---|")
        for r in listed:  # a custom rule's texts may come from the repository under review
            shown_id = f"[{r.id}](docs/rules/{r.id}.md)" if r.builtin else markdown_text(r.id)
            click.echo(
                f"| {shown_id} | {markdown_text(r.slug)} | {r.level} | {r.fix or ''} | {markdown_text(r.summary)} |"
            )
    else:
        width = max((len(r.slug) for r in listed), default=0)
        for r in listed:
            click.echo(f"{text(r.id)}  {text(r.slug):<{width}}  {str(r.level):<7}  {text(r.summary)}")


@main.command()
@click.argument("rule_id")
@rule_sources
def explain(rule_id: str, **sources) -> None:
    """Print a rule's documentation: what, why, how to fix."""
    registry = _listed_registry(sources)
    found = registry.rules.get(rule_id.upper())
    if found is None:
        by_slug = [r for r in registry.rules.values() if r.slug == rule_id.lower()]
        found = by_slug[0] if by_slug else None
    if found is None:
        _fail(f"unknown rule {rule_id!r} (see `dynalint rules`)", False)
    from dynalint.report.escape import block

    options = ", ".join(f"{k}={v!r}" for k, v in found.options.items())
    fix = f", fix: {found.fix}" if found.fix else ""
    # a custom rule's texts may come from the repository under review: no terminal sequence, no CI log command
    click.echo(block(f"{found.id} {found.slug} ({found.level}{fix}{', options: ' + options if options else ''})\n"))
    click.echo(block(found.summary + "\n"))
    click.echo(block(found.documentation))


def _listed_registry(sources):
    """The registry `rules` and `explain` show; a broken source is exit 2."""
    try:
        return _registry(sources, _config_path(sources))
    except (InputError, RuleError) as exc:
        _fail(str(exc), False)


@main.command()
@click.argument("what", type=click.Choice(["rule"]))
def schema(what: str) -> None:
    """Print the JSON Schema of YAML rule files (`rule`).

    See docs/custom-rules.md.
    """
    from dynalint import yaml_rules

    click.echo(yaml_rules.schema_text(), nl=False)


def _split(values) -> list[str]:
    return [part for value in values for part in value.split(",") if part.strip()]


def _rename_stdin(model, name: str):
    if model.input_file != "-" or name == "-":
        return model
    from dataclasses import replace

    locator = model.plan_locator.renamed(name) if model.plan_locator is not None else None
    return replace(model, input_file=name, plan_locator=locator)


def _color(output: str | None, no_color: bool = False) -> bool:
    if output or no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _width(output: str | None) -> int | None:
    """The terminal's width when the report goes to one (COLUMNS wins, as everywhere); None: no wrapping."""
    if output or not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


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

    def show(self, status: str) -> None:
        if self.enabled:
            from dynalint.report.escape import text

            click.echo(f"\r\x1b[Kdynalint: {text(status)} ...", err=True, nl=False)
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", err=True, nl=False)
            self.shown = False


def _setup_logging(debug: bool) -> None:
    from dynalint.cli_logging import set_up

    set_up(debug)


def _fail(message: str, debug: bool) -> None:
    from dynalint.report.escape import block, text

    if debug:  # the traceback quotes the message too: each of its lines made inert, as the message is
        import traceback

        click.echo(block(traceback.format_exc().rstrip("\n")), err=True)
    # the message may quote the input: one line, and no line of it can pass for a CI workflow command
    click.echo(f"dynalint: error: {text(message)}", err=True)
    sys.exit(2)


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

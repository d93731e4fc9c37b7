"""``dynalint --fix``: lint, apply the fixes that are certain, lint again, until nothing more changes.

A pass resolves the fix of every active finding (not suppressed, not in the
baseline) whose rule declares one, keeps those that may be applied (safe ones;
unsafe ones with ``--unsafe-fixes``), and applies at most one fix per spot:
a fix that touches what another already changes waits for the next pass,
which lints the edited texts again (a fix may also make a finding appear that
has its own fix: PITR on a table makes its replicas' PITR matter). Passes stop
when one applies nothing, at most ``MAX_PASSES``.

One block may stand for several resources (``count``, ``for_each``, a module
called several times): its fix is applied only when every instance it changes
has the same finding with the same fix, so that no instance is changed for
another's finding.

No fix may leave a finding where there was none (a rule firing on a resource
where it did not): the run lints with every rule the configuration runs, and
when one appears, the fixes to blame are left out and fixing starts again from
the files as they were (``fix``; past ``MAX_ATTEMPTS``, nothing is changed).
Nothing is written before the last pass (dynalint.fix.workspace).

``proposals`` gives the same edits, one fix at a time against the files as
they are, for SARIF's ``fixes``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from dynalint import address as addr
from dynalint.errors import InputError
from dynalint.fix import layout
from dynalint.fix.resolve import NoFix, Patch, Resolver
from dynalint.fix.source import FileRefused
from dynalint.fix.workspace import Workspace

MAX_PASSES = 10


@dataclass(frozen=True)
class TextEdit:
    """One replacement in a file: offsets into its text, and the same as 1-based lines and columns."""

    file: str
    start: int
    end: int
    text: str
    start_line: int
    start_column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Proposal:
    """A fix as reporters show it: what it does, whether it is safe, and its edits of the files as they are."""

    title: str
    safe: bool
    edits: tuple[TextEdit, ...]


@dataclass
class Outcome:
    """What a fixing run did, and what the last lint found."""

    models: list
    findings: list
    fixed: dict = field(default_factory=dict)  # fingerprint -> the finding, as first fixed
    changed: list = field(default_factory=list)  # files changed (written, or for --diff to be)
    diff: str = ""
    unsafe_left: list = field(default_factory=list)  # findings whose fix needs --unsafe-fixes
    no_fix: list = field(default_factory=list)  # (finding, reason) for findings whose rule fixes
    settled: bool = True
    gave_up: bool = False  # the fixes kept making findings appear: none was made


def fix(
    lint: Callable[[], tuple[list, list]],
    roots: Iterable[str] = (),
    unsafe: bool = False,
    write: bool = True,
    fixing: Callable[[Any], bool] | None = None,
) -> Outcome:
    """Run passes until nothing changes; write the files (``write``) or only compute the diff.

    ``lint`` lints every rule the run checks; ``fixing`` says which findings to fix and report (the
    command line's --select), default all. No fix may leave a finding where there was none (a rule,
    on a resource, that did not fire before, such as DDB102 on the replicas of a table whose PITR
    the fix turns on when the replicas cannot be fixed in turn): the fixes to blame are then left
    out, and the fixing starts again from the files as they were.
    """
    fixing = fixing or (lambda finding: True)
    banned: dict[tuple[str, str], str] = {}
    attempt: _Attempt | None = None
    for _ in range(MAX_ATTEMPTS):
        attempt = _attempt(lint, Workspace(roots), unsafe, fixing, banned)
        appeared = attempt.pairs[-1] - attempt.pairs[0]
        if not appeared:
            break
        blamed = _blame(attempt, appeared)
        if not blamed.keys() - banned.keys():
            attempt = None  # nothing more to blame: change nothing rather than leave a finding that was not there
            break
        banned.update(blamed)
    else:
        attempt = None
    gave_up = attempt is None
    if attempt is None:  # gave_up
        attempt = _attempt(lint, Workspace(roots), unsafe, fixing, banned, apply=False)
    workspace, models, findings, results = attempt.workspace, attempt.models, attempt.findings, attempt.results
    outcome = Outcome(
        models, [f for f in findings if fixing(f)], attempt.fixed, settled=attempt.settled, gave_up=gave_up
    )
    outcome.diff = workspace.diff()
    outcome.changed = [shown for shown, _, _ in workspace.changed()]
    if write:
        workspace.write()
    if outcome.changed:
        _plans_out_of_date(outcome)
    for finding in outcome.findings:
        result = results.get(finding.fingerprint)
        if isinstance(result, Patch) and not result.empty and not result.safe and not unsafe:
            outcome.unsafe_left.append(finding)
        elif isinstance(result, NoFix):
            outcome.no_fix.append((finding, result.reason))
    return outcome


#: How many times fixing starts again, each time without the fixes that made a finding appear; past it, no fix
#: is made at all.
MAX_ATTEMPTS = 8


@dataclass
class _Attempt:
    workspace: Workspace
    models: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    results: dict = field(default_factory=dict)
    fixed: dict = field(default_factory=dict)
    applied: list = field(default_factory=list)  # per pass: the findings whose fix it applied
    pairs: list = field(default_factory=list)  # per lint: the (rule, address) of the active findings
    settled: bool = False


def _attempt(
    lint: Callable, workspace: Workspace, unsafe: bool, fixing: Callable, banned: dict, apply: bool = True
) -> _Attempt:
    attempt = _Attempt(workspace)
    for number in range(MAX_PASSES + 1):
        with workspace.lent():
            models, findings = lint()
            attempt.pairs.append({(f.rule_id, f.address) for f in findings if _active(f)})
            results = resolve_all(models, [f for f in findings if fixing(f)], workspace, banned=banned)
            attempt.models, attempt.findings, attempt.results = models, findings, results
            accepted = _choose(findings, results, unsafe) if apply and number < MAX_PASSES else {}
            if not accepted:
                attempt.settled = number < MAX_PASSES
                return attempt
            texts = _apply(accepted, workspace)
        attempt.applied.append(list(accepted))
        for finding in accepted:
            attempt.fixed.setdefault(finding.fingerprint, finding)
        for shown, text in texts.items():
            workspace.edit(shown, text)
    return attempt


def _blame(attempt: _Attempt, appeared: set) -> dict[tuple[str, str], str]:
    """The fixes to leave out for the findings that appeared: those on the same resource, else those of the pass
    after which the finding first showed; each with the reason dynalint gives."""
    blamed: dict[tuple[str, str], str] = {}
    applied = [f for fixes in attempt.applied for f in fixes]
    for rule_id, address in sorted(appeared):
        why = f"fixing it would make {rule_id} appear on {address}, which has no fix dynalint can make"
        culprits = [f for f in applied if f.address == address]
        if not culprits:
            first = next(i for i, pairs in enumerate(attempt.pairs) if (rule_id, address) in pairs)
            culprits = attempt.applied[first - 1] if first > 0 else []
        for finding in culprits:
            blamed.setdefault((finding.rule_id, finding.address), why)
    return blamed


def _active(finding: Any) -> bool:
    return not finding.suppressed and finding.baseline_state != "unchanged"


def resolve_all(
    models: Sequence, findings: Sequence, workspace: Workspace, strict: bool = True, banned: dict | None = None
) -> dict[str, Patch | NoFix]:
    """The resolved fix of every active finding whose rule declares one, by fingerprint; instances checked.

    ``strict``: a file the fixer refuses stops everything (FileRefused); else its findings get no fix.
    ``banned``: (rule id, address) -> why its fix must not be applied.
    """
    resolvers = {m.input_file: Resolver(workspace, m) for m in models}
    by_file = {m.input_file: m for m in models}
    results: dict[str, Patch | NoFix] = {}
    for finding in findings:
        if finding.fix is None or not _active(finding):
            continue
        resolver = resolvers.get(finding.input_file)
        if resolver is None:
            continue
        if banned and (finding.rule_id, finding.address) in banned:
            results[finding.fingerprint] = NoFix(banned[(finding.rule_id, finding.address)])
            continue
        try:
            result = resolver.resolve(finding)
        except FileRefused as exc:
            if strict:
                raise
            result = NoFix(str(exc))
        if isinstance(result, Patch):
            try:
                for part in result.files:
                    _compose(workspace, part.shown, part.ops)
            except layout.LayoutError as exc:
                result = NoFix(f"the edit cannot be laid out ({exc})")
            except FileRefused as exc:
                if strict:
                    raise
                result = NoFix(str(exc))
        results[finding.fingerprint] = result
    _check_instances(findings, results, by_file)
    return results


def _by_block(resources: Sequence) -> dict[tuple[str, int], list]:
    """The resources located in a .tf file, by (file, line) of their block."""
    found: dict[tuple[str, int], list] = {}
    for r in resources:
        if r.source is not None and r.source.kind == "tf":
            found.setdefault((r.source.file, r.source.start_line), []).append(r)
    return found


def _check_instances(findings: Sequence, results: dict, models: dict) -> None:
    """A patch that changes what several instances share stands only when each of them has it too."""
    present: dict[tuple, set[str]] = {}
    for finding in findings:
        result = results.get(finding.fingerprint)
        if isinstance(result, Patch):
            present.setdefault((finding.input_file, finding.rule_id, result.files), set()).add(finding.address)
    sharing: dict[tuple, set[str]] = {}  # (input, file, line, reach) -> the instances a change there reaches
    blocks: dict[str, dict[tuple[str, int], list]] = {}  # input -> (file, line) -> the resources of that block
    for finding in findings:
        result = results.get(finding.fingerprint)
        if not isinstance(result, Patch) or result.empty:
            continue
        file, line, reach = result.scope
        required = sharing.get((finding.input_file, file, line, reach))
        if required is None:  # once per block: the findings of a block's thousand instances share the answer
            if finding.input_file not in blocks:  # once per input: a block per finding was the square of them
                blocks[finding.input_file] = _by_block(models[finding.input_file].resources)
            required = sharing[(finding.input_file, file, line, reach)] = {
                r.address
                for r in blocks[finding.input_file].get((file, line), ())
                if not r.deleted and addr.module_path(r.module)[: len(reach)] == reach
            }
        missing = required - present.get((finding.input_file, finding.rule_id, result.files), set())
        if missing:
            others = ", ".join(sorted(missing)[:3]) + (" ..." if len(missing) > 3 else "")
            results[finding.fingerprint] = NoFix(
                f"the change would also reach {others}, which "
                f"{'does' if len(missing) == 1 else 'do'} not have this finding "
                "with the same fix"
            )


def _choose(findings: Sequence, results: dict, unsafe: bool) -> dict:
    """The patches to apply in this pass (finding -> patch): allowed, and none touching another's spot."""
    accepted: dict[Any, Patch] = {}
    taken: dict[str, tuple[set, list, list]] = {}  # file -> (keys, ranges, points)
    chosen: set = set()
    for finding in findings:
        patch = results.get(finding.fingerprint)
        if not isinstance(patch, Patch) or patch.empty or (not patch.safe and not unsafe):
            continue
        if patch.files in chosen:
            accepted[finding] = patch
            continue
        if any(_conflicts(part, taken.get(part.shown)) for part in patch.files):
            continue
        for part in patch.files:
            keys, ranges, points = taken.setdefault(part.shown, (set(), [], []))
            keys.update(part.keys)
            for op in part.ops:
                if isinstance(op, layout.Insert):
                    points.append(op.at)
                else:
                    ranges.append((op.start, op.end))
        chosen.add(patch.files)
        accepted[finding] = patch
    return accepted


def _conflicts(part: Any, taken: tuple | None) -> bool:
    if taken is None:
        return False
    keys, ranges, points = taken
    if part.keys & keys:
        return True
    for op in part.ops:
        if isinstance(op, layout.Insert):
            if any(start < op.at < end for start, end in ranges):
                return True
            continue
        for start, end in ranges:
            if op.start < end and start < op.end or op.start == start == op.end == end:
                return True
        if any(op.start < point < op.end for point in points):
            return True
    return False


def _apply(accepted: dict, workspace: Workspace) -> dict[str, str]:
    """The new text of each file the accepted patches change (every patch's operations composed at once)."""
    per_file: dict[str, list] = {}
    seen: set = set()
    for patch in accepted.values():
        if patch.files in seen:
            continue
        seen.add(patch.files)
        for part in patch.files:
            per_file.setdefault(part.shown, []).extend(part.ops)
    texts = {}
    for shown, ops in per_file.items():
        file = workspace.file(shown)
        text = layout.apply(file.text, _compose(workspace, shown, ops))
        try:
            file.parse(shown, text)
        except InputError as exc:
            raise InputError(
                f"{shown}: a fix made text that does not parse, so nothing was written "
                f"(a dynalint bug; please report it): {exc}"
            ) from None
        texts[shown] = text
    return texts


def _compose(workspace: Workspace, shown: str, ops: Sequence) -> list[tuple[int, int, str]]:
    """Text edits for ``ops``, laid out block by block (operations on one top-level block together)."""
    file = workspace.file(shown)
    groups: dict[int, tuple[list, list]] = {}
    for op in ops:
        lines = file.lines_around(op.at if isinstance(op, layout.Insert) else op.start)
        groups.setdefault(id(lines), (lines, []))[1].append(op)
    edits = []
    for lines, group in groups.values():
        edits += layout.compose(file.text, lines, group, file.newline)
    return sorted(edits)


# ---------------------------------------------------------------------- for reports
def proposals(models: Sequence, findings: Sequence) -> dict[str, Proposal]:
    """Each active finding's fix as edits of the files as they are now (fingerprint -> Proposal).

    For SARIF's ``fixes``: nothing is written, and a file the fixer would refuse
    (unreadable, mixed line endings) gets no proposal rather than failing the report.
    """
    workspace = Workspace()
    out: dict[str, Proposal] = {}
    wanted = [f for f in findings if f.fixable_in_tf and not f.suppressed]
    if not wanted:
        return out
    results = resolve_all(models, wanted, workspace, strict=False)
    for finding in wanted:
        patch = results.get(finding.fingerprint)
        if not isinstance(patch, Patch) or patch.empty:
            continue
        try:
            edits = tuple(e for part in patch.files for e in _text_edits(workspace, part))
        except (FileRefused, layout.LayoutError):
            continue
        out[finding.fingerprint] = Proposal(patch.title, patch.safe, edits)
    return out


def _text_edits(workspace: Workspace, part: Any) -> list[TextEdit]:
    file = workspace.file(part.shown)
    out = []
    for start, end, text in _compose(workspace, part.shown, part.ops):
        start_line, start_column = file.position(start)
        end_line, end_column = file.position(end)
        out.append(TextEdit(part.shown, start, end, text, start_line, start_column, end_line, end_column))
    return out


def _plans_out_of_date(outcome: Outcome) -> None:
    """A plan still shows what its .tf files said: its fixed findings are left out, and it says to plan again."""
    plans = {m.input_file for m in outcome.models if m.input_kind == "plan"}
    if not plans:
        return
    outcome.findings = [f for f in outcome.findings if not (f.input_file in plans and f.fingerprint in outcome.fixed)]
    note = "its .tf files were fixed: run terraform plan again to lint the plan they make now"
    outcome.models = [
        replace(m, warnings=m.warnings + (f"{m.input_file}: {note}",)) if m.input_file in plans else m
        for m in outcome.models
    ]


def summary(outcome: Outcome, diff: bool = False, limit: int = 20) -> list[str]:
    """What the run did, in lines for people: fixed, left for --unsafe-fixes, and why the rest has no fix."""
    from dynalint.engine import scrub
    from dynalint.report import plural

    secrets = frozenset().union(*(m.secrets for m in outcome.models)) if outcome.models else frozenset()
    lines = []
    files = ", ".join(outcome.changed[:5]) + (" ..." if len(outcome.changed) > 5 else "")
    if outcome.fixed and outcome.changed:
        verb = "would fix" if diff else "fixed"
        lines.append(
            f"{verb} {plural(len(outcome.fixed), 'finding')} in {plural(len(outcome.changed), 'file')}: {files}"
        )
    else:
        lines.append("nothing to fix")
    if outcome.unsafe_left:
        shown = ", ".join(f"{f.rule_id} on {f.address}" for f in outcome.unsafe_left[:5])
        more = " ..." if len(outcome.unsafe_left) > 5 else ""
        count = len(outcome.unsafe_left)
        lines.append(f"{count} more {'fix needs' if count == 1 else 'fixes need'} --unsafe-fixes: {shown}{more}")
    for finding, reason in outcome.no_fix[:limit]:
        where = f" ({finding.source.file}:{finding.source.start_line})" if finding.source else ""
        lines.append(scrub(f"no fix for {finding.rule_id} on {finding.address}{where}: {reason}", secrets))
    if len(outcome.no_fix) > limit:
        lines.append(f"... and {len(outcome.no_fix) - limit} more findings without a fix")
    if outcome.gave_up:
        lines.append(
            "no fix was made: the fixes kept making other findings appear (please report this to "
            "dynalint, with the configuration)"
        )
    elif not outcome.settled:
        lines.append(f"the fixes did not settle after {MAX_PASSES} passes: run dynalint --fix again")
    return lines

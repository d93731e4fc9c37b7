"""Inline suppressions: ``# dynalint:ignore=DDB101,DDB103 reason`` in the .tf sources.

A comment (``#``, ``//`` or ``/* */``) whose text starts ``dynalint:ignore=``
followed by rule ids (comma-separated) and a reason suppresses those rules for
one resource block (every instance of it), when the comment is

- inside the block (any line from ``resource`` to its closing brace), or
- directly above it: on the line before ``resource``, or anywhere in the
  unbroken run of comment lines that ends there (a blank line breaks it).

A suppressed finding stays in the report with ``Suppression("inSource",
reason)``: SARIF writes it as a ``suppressions`` entry (code scanning shows it
dismissed), the other formats hide it unless ``--show-suppressed``. Only
dynalint's own comments count: ``#checkov:skip=`` or ``#trivy:ignore:``
suppress nothing here.

The comments are read with the ``.tf`` files (dynalint.load.hcl.ignore_comments)
and held by the resources they belong to (``Resource.ignores``).

Mistakes in the comments are findings themselves, of the rules below (notes,
selectable and ignorable like any rule): DL001 a comment without a reason
(it still suppresses), DL002 a rule id dynalint does not know (the known ids of
the comment still suppress), DL003 a comment on no resource block. DL004, an
``ignore`` entry of the config file that accepted nothing, is declared here with
them and found by dynalint.config, which owns those entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from dynalint import address as addr
from dynalint.model import Finding, Ignore, Model, Source, Suppression, fingerprint
from dynalint.rule import Rule, rule

NO_REASON = "(no reason given)"
TAGS = ("maintainability", "suppression")


# ---------------------------------------------------------------------- applying them
def apply_inline(
    models: Sequence[Model], findings: list[Finding], rules: Sequence[Rule], known_ids: Callable[[], Iterable[str]]
) -> list[Finding]:
    """Mark findings their resource's comments suppress; add the findings about the comments themselves.

    ``known_ids()`` gives every rule id dynalint knows (a comment may name one that did not run); it is
    asked only when a rule about the comments runs.
    """
    # by (input file, address): a finding's input_file may be None, and then no resource's matches
    ignores: dict[tuple[str | None, str], tuple[Ignore, ...]] = {
        (m.input_file, r.address): r.ignores for m in models for r in m.resources if r.ignores
    }
    firsts: dict[int, dict[str, Ignore]] = {}  # id(a resource's comments) -> rule id -> the first that names it
    out = []
    for finding in findings:
        own = ignores.get((finding.input_file, finding.address))  # most resources have no comment
        match = _first_naming(own, firsts).get(finding.rule_id) if own else None
        if match is not None and finding.suppression is None:
            finding = replace(finding, suppression=Suppression("inSource", match.reason or NO_REASON))
        out.append(finding)
    chosen = {r.id: r for r in rules if r.id in _OWN}
    if chosen:
        known = set(known_ids()) | {r.id for r in rules}
        for model in models:
            out.extend(_comment_findings(model, chosen, known))
    return out


def _first_naming(ignores: tuple[Ignore, ...], firsts: dict[int, dict[str, Ignore]]) -> dict[str, Ignore]:
    """Rule id -> the first of a resource's comments that names it, made once for the
    comments of a block, which its instances share: each finding tried every comment of its block, so a
    thousand instances and five thousand comments took seconds."""
    found = firsts.get(id(ignores))
    if found is None:
        found = firsts[id(ignores)] = {}
        for ignore in ignores:
            for rule_id in ignore.rule_ids:
                found.setdefault(rule_id, ignore)
    return found


def _comment_findings(model: Model, chosen: dict[str, Rule], known: set[str]) -> list[Finding]:
    owners: dict[tuple[str, int], tuple[Ignore, str, str]] = {}
    read: set[int] = set()  # the comments of a block, shared by its instances: the first instance owns them
    for resource in model.resources:
        if not resource.ignores or id(resource.ignores) in read:
            continue
        read.add(id(resource.ignores))
        owner = block_address(resource.address)
        for ignore in resource.ignores:
            owners.setdefault((ignore.file, ignore.line), (ignore, owner, resource.type))
    out = []
    for ignore, owner, type_ in owners.values():
        unknown = [i for i in ignore.rule_ids if i not in known]
        if "DL002" in chosen and (unknown or not ignore.rule_ids):
            named = f"rule id {', '.join(unknown)}, which dynalint does not know" if unknown else "no rule id"
            out.append(
                _finding(
                    chosen["DL002"],
                    model,
                    ignore,
                    owner,
                    type_,
                    f"The dynalint:ignore comment on {owner} names {named}: use ids listed by "
                    "`dynalint rules`, e.g. `# dynalint:ignore=DDB101 <reason>`.",
                )
            )
        if "DL001" in chosen and not ignore.reason and ignore.rule_ids:
            out.append(
                _finding(
                    chosen["DL001"],
                    model,
                    ignore,
                    owner,
                    type_,
                    f"The dynalint:ignore comment for {', '.join(ignore.rule_ids)} on {owner} gives no "
                    "reason: write why after the rule ids, e.g. "
                    f"`# dynalint:ignore={','.join(ignore.rule_ids)} <reason>`.",
                )
            )
    if "DL003" in chosen:
        for ignore in model.orphan_ignores:
            out.append(
                _finding(
                    chosen["DL003"],
                    model,
                    ignore,
                    ignore.file,
                    "",
                    f"The dynalint:ignore comment at {ignore.file}:{ignore.line} is on no resource "
                    "block, so it suppresses nothing: put it inside the resource block, or on the "
                    "line above it.",
                )
            )
    return out


def _finding(rule_: Rule, model: Model, ignore: Ignore, owner: str, type_: str, message: str) -> Finding:
    path = f"{','.join(ignore.rule_ids)} {ignore.reason}".strip()
    return Finding(
        rule_id=rule_.id,
        level=rule_.level,
        address=owner,
        message=message,
        resource_type=type_,
        path=path,
        fingerprint=fingerprint(rule_.id, owner, path),
        source=Source(ignore.file, ignore.line, kind="tf"),
        input_file=model.input_file,
    )


def block_address(address: str) -> str:
    """``module.a["x"].aws_t.n[0]`` -> ``module.a.aws_t.n``: the block, whatever its instance keys."""
    return ".".join(name for name, _ in addr.steps(address))


# ---------------------------------------------------------------------- the rules (metadata: findings come from above)
@rule(
    id="DL001",
    slug="suppression-without-reason",
    level="note",
    applies=[],
    security_severity=1.0,
    tags=TAGS,
    precision="very-high",
)
def suppression_without_reason(resource, ctx):
    """A `dynalint:ignore` comment gives no reason.

    ## What it checks
    A `# dynalint:ignore=ID` comment in a `.tf` file with nothing after the rule
    ids. The comment still suppresses the findings it names.

    ## Why it matters
    A suppression is an accepted risk. Without the reason, the next reviewer
    cannot tell a deliberate exception from a silenced warning, and code
    scanning shows the dismissed alert with an empty justification.

    ## Known limits
    Any text counts as a reason; dynalint does not judge it.

    ## References
    - [Terraform comment syntax](https://developer.hashicorp.com/terraform/language/syntax/configuration#comments)
    - [SARIF on GitHub](https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support)
    """
    return ()


@rule(
    id="DL002",
    slug="suppression-unknown-rule",
    level="note",
    applies=[],
    security_severity=1.0,
    tags=TAGS,
    precision="very-high",
)
def suppression_unknown_rule(resource, ctx):
    """A `dynalint:ignore` comment names a rule id dynalint does not know, or none.

    ## What it checks
    A `# dynalint:ignore=...` comment whose ids include one that is no dynalint
    rule (a typo, a rule of another tool, a prefix such as `DDB1`), or that
    names no id at all. The known ids of the comment still suppress.

    ## Why it matters
    A misspelt id suppresses nothing, so the finding it was meant for stays
    (or a later one is silenced by mistake when ids are reused). A comment
    with no id would silence everything, which dynalint does not allow.

    ## Known limits
    Ids are matched exactly (case-insensitive); prefixes are not expanded.

    ## References
    - [Terraform comment syntax](https://developer.hashicorp.com/terraform/language/syntax/configuration#comments)
    - [SARIF on GitHub](https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support)
    """
    return ()


@rule(
    id="DL003",
    slug="suppression-not-on-resource",
    level="note",
    applies=[],
    security_severity=1.0,
    tags=TAGS,
    precision="very-high",
)
def suppression_not_on_resource(resource, ctx):
    """A `dynalint:ignore` comment is on no resource block, so it suppresses nothing.

    ## What it checks
    A `# dynalint:ignore=...` comment that is neither inside a `resource` block
    nor directly above one (on the line before it, or in the unbroken run of
    comment lines ending there): above a `module`, `variable` or `data` block,
    or separated from the resource by a blank line.

    ## Why it matters
    The comment looks like an accepted exception but has no effect: the
    findings it was meant for are still reported, or worse, the author
    believes a risk is documented where it is not.

    ## Known limits
    Suppressions apply to resource blocks only; to accept findings for a whole
    module, use the `ignore` entries of `.dynalint.yaml` (an address glob with a
    reason).

    ## References
    - [Terraform comment syntax](https://developer.hashicorp.com/terraform/language/syntax/configuration#comments)
    - [SARIF on GitHub](https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support)
    """
    return ()


@rule(
    id="DL004",
    slug="config-ignore-unused",
    level="note",
    applies=[],
    security_severity=1.0,
    tags=TAGS,
    precision="very-high",
)
def config_ignore_unused(resource, ctx):
    """An `ignore` entry of the config file accepted no finding in this run.

    ## What it checks
    Each `ignore` entry of `.dynalint.yaml` (or `[tool.dynalint]`) whose rule
    ran: if it matched no finding, the note says whether its `address` glob
    matches no resource of the input at all (a wrong glob) or matches
    resources that no longer have the finding (a stale entry). The note points
    at the entry's line in the YAML file.

    ## Why it matters
    An entry whose glob misses, say `module.tenant.aws_dynamodb_table.t` for
    a table that lives in `module.tenants`, suppresses nothing while its
    author believes the exception is recorded; a stale one will silently
    accept the finding if it comes back. A module name in a glob matches all
    its instances: `module.tenant.*` covers `module.tenant["acme"].…` and
    `module.tenant[0].…`.

    ## Known limits
    Judged per run: an entry for a root that the run does not lint (one
    settings file shared by several roots, `--changed-only`, a pre-commit run
    on one root) matches nothing there. With `--changed-only` only entries
    that match no resource at all are reported. Entries whose rule did not
    run (`--select`, `ignore_rules`) are not judged. For these cases, or to
    keep entries for inputs linted elsewhere, add `DL004` to `ignore_rules`.

    ## Example
    A stale entry: the table has point-in-time recovery on now, so the entry
    accepts nothing, and would hide the finding if PITR were turned off again.

    ## Use instead
    The entry removed. For a glob that misses, write the module's name as it is
    declared: `module.sandboxes.*` covers every instance of `module "sandboxes"`.

    ## References
    - [Terraform resource addresses](https://developer.hashicorp.com/terraform/cli/state/resource-addressing)
    - [SARIF on GitHub](https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support)
    """
    return ()


_OWN = {"DL001", "DL002", "DL003"}

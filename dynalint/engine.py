"""The rule registry, rule selection, and the run that turns Models into Findings.

Rules come from the built-in pack (``dynalint.rules``); the registry reads each
area module's ``RULES`` (and the pack's ``LINKS`` for the graph). The engine
knows nothing about DynamoDB.
"""

from __future__ import annotations

import functools
import importlib
import json
import pkgutil
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload
from urllib.parse import quote, quote_plus

from dynalint import suppress
from dynalint.errors import InputError, RuleError, TooMuchWork
from dynalint.fix.declare import Fix
from dynalint.model import Finding, Level, Model, fingerprint, made
from dynalint.module_hints import with_module_hint
from dynalint.rule import Context, Issue, ResourceIndex, Rule
from dynalint.rule import rule as declare_rule  # DL000 below; `rule` is the loop variable of the run


@dataclass
class Registry:
    rules: dict[str, Rule] = field(default_factory=dict)
    links: list = field(default_factory=list)
    # The rule families (id prefixes) listed first, in this order; the others follow alphabetically. The rule
    # pack says which (its FAMILY_ORDER): the engine knows no family of its own.
    family_order: tuple[str, ...] = ()

    def add(self, rule: Rule) -> None:
        if rule.id in self.rules:
            other = self.rules[rule.id]
            raise RuleError(f"rule id {rule.id} is defined twice ({other.origin} and {rule.origin})")
        self.rules[rule.id] = rule

    def add_module(self, module: Any) -> None:
        for value in vars(module).values():
            if isinstance(value, Rule):
                self.add(value)
        self.links.extend(getattr(module, "LINKS", ()))

    def sorted(self) -> list[Rule]:
        """The rules by family (``family_order``, then the others alphabetically), then by number."""
        rank = {family: n for n, family in enumerate(self.family_order)}

        def key(rule_id: str) -> tuple[int, str, int]:
            head = rule_id.rstrip("0123456789")
            return (rank.get(head, len(rank)), head, int(rule_id[len(head) :] or 0))

        return [self.rules[k] for k in sorted(self.rules, key=key)]


def builtin_registry() -> Registry:
    """Every rule of the built-in pack: each module of dynalint.rules, in name order."""
    import dynalint.rules as pack

    registry = Registry(family_order=tuple(getattr(pack, "FAMILY_ORDER", ())))
    for info in sorted(pkgutil.iter_modules(pack.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            registry.add_module(importlib.import_module(f"{pack.__name__}.{info.name}"))
    registry.add_module(suppress)  # DL001-DL003: findings about inline suppression comments
    registry.add(rule_error)  # DL000: a rule that failed on a resource
    return registry


def select(rules: Sequence[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Rules chosen by id or prefix; the longest matching prefix decides, as in ruff.

    With no ``select`` every rule is chosen. A name that matches no rule is a
    usage error: a typo must not silently turn a check off. DL000 (a rule that
    failed) stays chosen whatever ``select`` says, unless ``ignore`` names it: a
    check that could not run must not pass in silence because another was selected.
    """
    chosen_by = [(s.strip().upper(), True) for s in select if s.strip()]
    dropped_by = [(s.strip().upper(), False) for s in ignore if s.strip()]
    ids = [r.id for r in rules]
    for prefix, _ in chosen_by + dropped_by:
        if prefix != "ALL" and not any(i.startswith(prefix) for i in ids):
            raise InputError(f"unknown rule id or prefix {prefix!r} (see `dynalint rules`)")
    if not chosen_by:
        chosen_by = [("", True)]
    out = []
    for r in rules:
        best, keep = -1, False
        for prefix, verdict in chosen_by + dropped_by:
            size = 0 if prefix == "ALL" else len(prefix)
            if (prefix == "ALL" or r.id.startswith(prefix)) and size >= best:
                best, keep = size, verdict
        if keep or (r.id == RULE_ERROR and not any(p == "ALL" or r.id.startswith(p) for p, _ in dropped_by)):
            out.append(r)
    return out


@dataclass(frozen=True)
class RunOptions:
    """Per-rule settings from the config file: option values and level overrides."""

    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    levels: dict[str, Level] = field(default_factory=dict)


def run(
    models: Iterable[Model],
    rules: Sequence[Rule],
    links: Sequence = (),
    settings: RunOptions | None = None,
    only_changed: bool = False,
    known_ids: Iterable[str] | None = None,
) -> list[Finding]:
    """Run the rules on every model; findings come back sorted and deduplicated.

    ``known_ids`` are every registered rule id, selected or not, so that a
    ``dynalint:ignore`` naming a rule that did not run is no unknown id.
    """
    return finish(check_models(list(models), rules, links, settings, only_changed, known_ids))


def check_models(
    models: Sequence[Model],
    rules: Sequence[Rule],
    links: Sequence = (),
    settings: RunOptions | None = None,
    only_changed: bool = False,
    known_ids: Iterable[str] | None = None,
) -> list[Finding]:
    """``run`` without its last step: the findings of these models with their inline suppressions, in no
    order. ``finish`` sorts those of every input of a command line at once (fingerprints are unique across
    inputs), so several processes may each check some of the inputs."""
    settings = settings or RunOptions()
    findings: list[Finding] = []
    error_rule = next((r for r in rules if r.id == RULE_ERROR), None)
    failed = None if error_rule is None else (error_rule, settings.levels.get(RULE_ERROR, error_rule.level))
    for model in models:
        # --changed-only narrows what is checked, not what the graph sees.
        index = ResourceIndex(model.resources, links)
        shown = _shown_by_kind(model.resources, only_changed)
        try:
            for rule in rules:
                options = {**rule.options, **settings.options.get(rule.id, {})}
                ctx = Context(index, options)
                level = settings.levels.get(rule.id, rule.level)
                for type_ in rule.applies:
                    _check(rule, shown[rule.kind].get(type_, ()), ctx, level, model, failed, findings)
        except TooMuchWork as exc:  # the graph, built on a rule's first question, or a rule refused the input
            # scrubbed as a finding is: the line may name a resource, and a for_each key may copy a secret
            raise InputError(f"{model.input_file}: {scrub(str(exc), model.secrets)}") from None
    known = (lambda: known_ids) if known_ids is not None else (lambda: builtin_registry().rules)
    return suppress.apply_inline(models, findings, rules, known)


def _shown_by_kind(resources: Sequence, only_changed: bool) -> dict[str, dict[str, list]]:
    """Per rule kind, the resources ``checks`` lets through, by type: sorted out once, not per rule."""
    change: dict[str, list] = {}
    other: dict[str, list] = {}
    for resource in resources:
        if _shown(resource, "change", only_changed):
            change.setdefault(resource.type, []).append(resource)
        if _shown(resource, "config", only_changed):
            other.setdefault(resource.type, []).append(resource)
    return {"change": change, "config": other, "graph": other}


def checks(rule: Rule, resource, only_changed: bool = False) -> bool:
    """Whether ``run`` shows this resource to this rule (reporters list what passed with it)."""
    return resource.type in rule.applies and _shown(resource, rule.kind, only_changed)


def _shown(resource, kind: str, only_changed: bool) -> bool:
    if only_changed and resource.change is not None and not resource.change.touches:
        return False  # input without plan changes (.tf, state) has nothing to narrow: all is checked
    if kind == "change":
        return resource.change is not None  # change rules see deletes too
    return not resource.deleted


def _check(
    rule: Rule,
    resources: Iterable,
    ctx: Context,
    level: Level,
    model: Model,
    failed: tuple[Rule, Level] | None,
    findings: list[Finding],
) -> None:
    """Add the rule's findings on each resource to ``findings``; where it raises on one, those it made so far
    and a DL000 finding (``failed``: the DL000 rule and its level, None when DL000 is ignored).

    One call per rule and resource type, not per resource: the tens of thousands of checks of a large plan
    each cost a call to the check and no more (most find nothing)."""
    check = rule.check
    for resource in resources:
        try:
            issues = check(resource, ctx)
            if issues is not None:  # a check may return None instead of yielding nothing
                for issue in issues:
                    findings.append(_finding(rule, resource, issue, level, model))
        except TooMuchWork:  # not this rule's failure: the input is refused (check_models)
            raise
        except Exception as exc:  # noqa: BLE001 - a check not done is reported, never skipped in silence
            import traceback

            trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            _debug("%s raised on %s:\n%s", rule.id, resource.address, scrub(trace.rstrip(), model.secrets))
            if failed is not None:
                issue = Issue(_failure(rule, resource, exc), path=rule.id)
                findings.append(_finding(failed[0], resource, issue, failed[1], model))


def _failure(rule: Rule, resource, exc: Exception) -> str:
    """DL000's message: which rule failed on which resource, how, and what to do about it."""
    detail = " ".join(str(exc).split())
    detail = "".join(c if c.isprintable() else repr(c)[1:-1] for c in detail)
    detail = f"{type(exc).__name__}: {detail[:200]}" if detail else type(exc).__name__
    fix = "a bug in dynalint: please report it" if rule.builtin else f"fix the rule (from {rule.origin})"
    return (
        f"Rule {rule.id} ({rule.slug}) failed on {resource.address} ({detail}), so this resource is not "
        f"checked for {rule.id}: {fix}; `--debug` prints the traceback."
    )


def _finding(rule: Rule, resource, issue: Issue, level: Level, model: Model) -> Finding:
    if issue.level is not None and level == rule.level:
        level = issue.level if isinstance(issue.level, Level) else Level.parse(issue.level)
    message = scrub(with_module_hint(issue.message, resource, issue.path), model.secrets)
    block = resource.source
    if block is None and model.plan_locator is not None:  # an empty locator has no block either
        block = model.plan_locator.get(resource.address)
    source = block
    if issue.path and block is not None and block.kind == "tf" and model.path_locator is not None:
        source = model.path_locator(resource.address, issue.path) or block
    # a path names policy statements by Sid and a for_each key may come from nonsensitive(): both may hold a
    # copy of a secret, and the fingerprint (in baselines) is a hash of them
    address, path = scrub(resource.address, model.secrets), scrub(issue.path, model.secrets)
    return made(  # Finding(...) without its __init__: a run makes thousands
        Finding,
        {
            "rule_id": rule.id,
            "level": level,
            "address": address,
            "message": message,
            "resource_type": resource.type,
            "path": path,
            "fingerprint": fingerprint(rule.id, address, path),
            "actions": resource.actions,
            "source": source,
            "input_file": model.input_file,
            "suppression": None,
            "baseline_state": None,
            "resource_source": block,
            "fix": _fix_of(rule, issue),
        },
    )


def _fix_of(rule: Rule, issue: Issue):
    """The issue's fix, where its rule declares fixes; never safer than the rule says (docs tell users so)."""
    fix = issue.fix
    if fix is None or rule.fix is None or not isinstance(fix, Fix):
        if fix is not None:
            _debug("%s: a fix dropped (declare fix= on the rule, and yield a dynalint.rule.Fix)", rule.id)
        return None
    if rule.fix == "unsafe" and fix.safe:
        return Fix(fix.title, *fix.changes, safe=False)
    return fix


def _debug(message: str, *args: Any) -> None:
    """A line of ``--debug`` (the command line sets logging up). logging is imported here, where a run has
    something to say: importing it costs about 3 ms of every run's start."""
    import logging

    logging.getLogger("dynalint").debug(message, *args)


@overload
def scrub(text: str, secrets: Iterable[str]) -> str: ...
@overload
def scrub(text: str | None, secrets: Iterable[str]) -> str | None: ...
def scrub(text: str | None, secrets: Iterable[str]) -> str | None:
    """Replace any sensitive string that found its way into a text, in any form a copy of it takes."""
    if not text or not secrets:
        return text
    pattern = _secret_pattern(secrets if isinstance(secrets, frozenset) else frozenset(secrets))
    return pattern.sub("(sensitive)", text) if pattern.search(text) else text


@functools.lru_cache(maxsize=8)  # one pattern per input, built once for all its findings
def _secret_pattern(secrets: frozenset[str]) -> re.Pattern:
    """One pattern for every form of every secret, the longest match first. The forms are merged into a
    prefix tree: an alternation of thousands of strings is tried one by one at each position of the text,
    a tree once per character."""
    forms = {form for secret in secrets for form in secret_forms(secret)}
    short = [form for form in forms if len(form) <= _TREE_MAX]
    long = sorted((form for form in forms if len(form) > _TREE_MAX), key=lambda f: (-len(f), f))
    return re.compile("|".join([*(re.escape(form) for form in long), *([_tree_pattern(short)] if short else [])]))


_TREE_MAX = 200  # longer forms (rare: a whole document marked sensitive) are listed as they are


def _tree_pattern(words: list[str]) -> str:
    """A regular expression matching any of ``words`` (longest first), as a prefix tree of characters."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True  # a word ends here

    def pattern(node: dict) -> str:
        branches = []
        for char in sorted(k for k in node if k):
            text, child = char, node[char]
            while len(child) == 1 and "" not in child:  # a chain of single characters: one literal
                ((char, child),) = child.items()
                text += char
            branches.append(re.escape(text) + pattern(child))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


def secret_forms(secret: str) -> set[str]:
    """The forms a copy of ``secret`` takes in another attribute: as it is; JSON-escaped, as Python and
    Terraform's ``jsonencode`` write it (once, or twice for a document inside a document); URL-encoded
    (``urlencode``, ``quote``); base64 (``base64encode``: standard and URL alphabets, with and without
    padding, and the part that is the secret's own when it is encoded after 1 or 2 other bytes, as in
    ``base64encode("user:${password}")``)."""
    import base64  # with struct and binascii: only a plan that holds sensitive values needs it

    forms = {secret}
    for escaped in (_json_escaped(secret, ascii_only) for ascii_only in (False, True)):
        forms |= {escaped, _go_html_escaped(escaped), _json_escaped(escaped, False)}
    forms |= {quote(secret, safe=""), quote_plus(secret, safe=""), quote(secret)}
    raw = secret.encode("utf-8", "replace")
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode()
        first, last = -(-offset // 3) * 4, (offset + len(raw)) // 3 * 4  # the groups of the secret's bytes alone
        core = encoded if offset == 0 else encoded[first:last]
        if len(core) >= 8 or offset == 0:
            forms |= {core, core.rstrip("="), core.translate(_URL_SAFE), core.translate(_URL_SAFE).rstrip("=")}
    return {form for form in forms if len(form) >= 4}


_URL_SAFE = str.maketrans("+/", "-_")


def _json_escaped(text: str, ascii_only: bool) -> str:
    return json.dumps(text, ensure_ascii=ascii_only)[1:-1]


def _go_html_escaped(escaped: str) -> str:
    """Go's encoding/json (Terraform's jsonencode) also escapes <, >, & and the line separators."""
    for char, code in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        escaped = escaped.replace(char, code)
    return escaped


def finish(findings: list[Finding]) -> list[Finding]:
    """Sort, drop exact repeats, and keep fingerprints unique (a second finding on one key gets #2)."""
    findings.sort(key=Finding.sort_key)
    out: list[Finding] = []
    seen_keys: dict[str, int] = {}
    last = None
    for f in findings:
        ident = (f.input_file, f.rule_id, f.address, f.path, f.message)
        if ident == last:
            continue
        last = ident
        count = seen_keys[f.fingerprint] = seen_keys.get(f.fingerprint, 0) + 1
        out.append(f if count == 1 else _renumbered(f, count))
    return out


def _renumbered(finding: Finding, count: int) -> Finding:
    """The finding with the fingerprint of its ``count``-th occurrence: ``replace(finding, fingerprint=...)`` at a
    fifth of the cost, the frozen instance's fields copied and no __init__ run again (several plans of one
    configuration renumber most of their findings: #2, #3, ...)."""
    state = finding.__dict__.copy()
    state["fingerprint"] = fingerprint(finding.rule_id, finding.address, f"{finding.path or ''}#{count}")
    return made(Finding, state)


def exit_code(findings: Iterable[Finding], fail_on: str) -> int:
    """1 when an active finding is at or above ``fail_on`` (error|warning|note|never), else 0."""
    if fail_on == "never":
        return 0
    threshold = Level.parse(fail_on)
    for f in findings:
        if not f.suppressed and f.baseline_state != "unchanged" and f.level >= threshold:
            return 1
    return 0


# ---------------------------------------------------------------------- DL000 (metadata: the findings come from _check)
RULE_ERROR = "DL000"


@declare_rule(
    id=RULE_ERROR,
    slug="rule-error",
    level="error",
    applies=[],
    security_severity=5.0,
    tags=("reliability", "security"),
    precision="very-high",
)
def rule_error(resource, ctx):
    """A rule failed on a resource, so the resource was not checked for it.

    ## What it checks
    Every rule, built-in or custom, on every resource it applies to. When a
    check raises an error instead of finishing (a value of a shape it does not
    expect, a bug), the findings it made before stay, and this finding says
    which rule failed on which resource and how. It is an error by default, so
    the run fails: a check that was not done is a check that did not pass.
    `--debug` prints the traceback on stderr.

    ## Why it matters
    dynalint is a gate in CI. A rule that stopped silently would let through
    exactly the table it could not read: a plan could open the gate by giving a
    resource a shape that makes a rule fail. Reporting the failure as a finding
    (as cfn-lint does with E0002) keeps the gate closed and shows what was not
    checked.

    ## Known limits
    `--select` does not turn DL000 off (a failed check must not pass because
    other rules were selected); `--ignore DL000`, `ignore_rules: [DL000]` or an
    inline `# dynalint:ignore=DL000 reason` does, and `rules: {DL000: {level:
    warning}}` lowers it. The message never holds a value the plan marks
    sensitive.

    ## Example
    A custom rule that reads `table.values["tags"]["Owner"]` raises `KeyError`
    on this table, which has no tags, and the table is not checked for it:
    ```hcl
    resource "aws_dynamodb_table" "scratch" {
      name         = "scratch"
      billing_mode = "PAY_PER_REQUEST"
      hash_key     = "pk"
      attribute {
        name = "pk"
        type = "S"
      }
    }
    ```

    ## Use instead
    A check that reads what may be absent or unknown with care:
    ```python
    tags = table.values.get("tags")
    if is_known(tags) and not (tags or {}).get("Owner"):
        yield Issue("Table ... has no Owner tag: add one.", path="tags.Owner")
    ```
    For a built-in rule, report the finding's message as a bug.

    ## References
    - [Writing custom rules](https://github.com/dynalint/dynalint/blob/main/docs/custom-rules.md)
    - [cfn-lint E0002, the same idea](https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/rules.md)
    """
    return ()

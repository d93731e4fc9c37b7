"""IAM policy documents as the access rules read them: statements, wildcards, principals.

A policy arrives as a JSON string (``aws_iam_policy.policy``, a resource
policy, a VPC endpoint policy). ``policy_statements`` turns it into
``Statement``s, or None when the text is not known at plan time or is not a
policy document: the rules stay silent then, since another tool (or AWS)
reports invalid JSON.

A policy unknown until apply as a whole may be known in part: .tf input
decodes ``jsonencode({...})`` and ``aws_iam_policy_document`` with an
``Unresolved`` for each piece known only after apply (``Resource =
aws_dynamodb_table.orders.arn``; ``Resource.partial_json``). A statement
names the elements that hold such a piece in ``unknown``, and every question
below answers no where the answer hangs on one: a rule stays silent on what
it cannot see, and judges what it can (the Action, the Principal).

Matching follows IAM: ``*`` matches any run of characters (``/`` and ``:``
included), ``?`` exactly one. Actions compare case-insensitively; resource
ARNs compare as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dynalint import address as addr
from dynalint.model import UNKNOWN, Resource, Unresolved, is_known
from dynalint.values import derived

PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
#: Resource types whose ``arn`` is an ARN of the service, for pieces of a policy known only by reference.
SERVICE_TYPES = {"dynamodb": ("aws_dynamodb_table", "aws_dynamodb_global_table", "aws_dynamodb_table_replica")}


@dataclass(frozen=True)
class Statement:
    """One policy statement. A field the statement leaves out is None; list fields are tuples."""

    index: int
    sid: str | None
    effect: str
    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...] | None
    not_resources: tuple[str, ...] | None
    principal: Any
    not_principal: Any
    condition: Any
    #: Elements ("Effect", "Action", "Resource", "Condition", ...) holding a piece known only after apply.
    unknown: frozenset[str] = frozenset()
    #: The Resource pieces known only after apply, with references as the module writes them.
    resource_pieces: tuple[Unresolved, ...] = ()
    #: The address of the module the policy is written in ("" for the root), to make references absolute.
    module: str = ""

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def key(self) -> str:
        """How a finding's path names the statement: its Sid, else its index in the list."""
        return self.sid if self.sid else str(self.index)

    @property
    def shown(self) -> str:
        """How a message names the statement: its Sid in quotes, else its position counted from 1."""
        return f"'{self.sid}'" if self.sid else f"#{self.index + 1}"


def policy_statements(resource: Resource, attribute: str = "policy") -> list[Statement] | None:
    """The statements of a resource's policy: its JSON text where known, else what the .tf source writes of it.

    Parsed once per resource and attribute, for every rule that reads them: the list is shared, read it.
    """
    return derived(resource, f"iam.statements.{attribute}", lambda r: _read_statements(r, attribute))


def _read_statements(resource: Resource, attribute: str) -> list[Statement] | None:
    value = resource.values.get(attribute)
    if value is UNKNOWN:
        value = resource.partial_json.get(attribute)
    return parse_policy(value, resource.module)


def parse_policy(document: Any, module: str = "") -> list[Statement] | None:
    """The statements of a policy: a JSON string, or a document decoded in part (its references written in
    ``module``); None when unknown, not JSON, or not a policy document."""
    if isinstance(document, str):
        if not document.strip():
            return None
        try:
            document = json.loads(document)
        except ValueError:
            return None
    if not isinstance(document, dict):
        return None
    raw = document.get("Statement")
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        return None
    return [s for s in (_statement(i, item, module) for i, item in enumerate(raw)) if s is not None]


_ELEMENTS = ("Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition")


def _statement(index: int, item: Any, module: str) -> Statement | None:
    if _opaque(item):
        return Statement(index, None, "", None, None, None, None, None, None, None, unknown=frozenset(_ELEMENTS))
    if not isinstance(item, dict) or not (_opaque(item.get("Effect")) or item.get("Effect") in ("Allow", "Deny")):
        return None
    sid = item.get("Sid")
    effect = item.get("Effect")
    return Statement(
        index=index,
        sid=sid if isinstance(sid, str) else None,
        effect=effect if isinstance(effect, str) else "",
        actions=_strings(item.get("Action")),
        not_actions=_strings(item.get("NotAction")),
        resources=_strings(item.get("Resource")),
        not_resources=_strings(item.get("NotResource")),
        principal=item.get("Principal"),
        not_principal=item.get("NotPrincipal"),
        condition=item.get("Condition"),
        unknown=frozenset(e for e in _ELEMENTS if _holds_opaque(item.get(e))),
        resource_pieces=tuple(_pieces(item.get("Resource"))),
        module=module,
    )


def _opaque(value: Any) -> bool:
    return isinstance(value, Unresolved) or not is_known(value)


def _holds_opaque(value: Any) -> bool:
    """Whether a piece of the value (a list item, a key or value of a map, at any depth) is not known."""
    stack = [value]
    while stack:
        v = stack.pop()
        if _opaque(v):
            return True
        if isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def _pieces(value: Any) -> list[Unresolved]:
    """The pieces of a Resource element known only after apply; UNKNOWN and SENSITIVE as pieces with no reference."""
    items = value if isinstance(value, list) else [value]
    return [v if isinstance(v, Unresolved) else Unresolved(()) for v in items if value is not None and _opaque(v)]


def referred_address(statement: Statement, piece: Unresolved) -> str | None:
    """The address of the resource whose ``arn`` a piece is (``module.m.aws_dynamodb_table.t``), if it is one.

    A module output is followed where it is one reference (``module.m.aws_dynamodb_table.t.arn``)."""
    reference = piece.target
    if reference is None or not reference.endswith(".arn") or reference.startswith(("var.", "local.")):
        return None
    return addr.join(statement.module, reference[: -len(".arn")]) if _resource_part(reference) else None


def is_stream_arn(piece: Unresolved) -> bool:
    """Whether a piece is a DynamoDB table's stream ARN (``aws_dynamodb_table.t.stream_arn``, also through a
    module output, with any text after it): it lies under ``table/NAME/stream/``, so it is never the ARN of a
    table or of an index."""
    reference = piece.target
    if reference is None:
        return False
    parts = _resource_part(reference).split(".")
    if parts[0] == "data":
        parts = parts[1:]
    return len(parts) == 3 and parts[0] == "aws_dynamodb_table" and parts[2] == "stream_arn"


def _resource_part(reference: str) -> str:
    """What follows the ``module.NAME.`` prefixes of a reference: ``aws_dynamodb_table.t.arn``."""
    while reference.startswith("module."):
        parts = reference.split(".", 2)
        if len(parts) < 3:
            return ""
        reference = parts[2]
    return reference if reference.count(".") >= 2 else ""


def _strings(value: Any) -> tuple[str, ...] | None:
    """An IAM element that is a string or a list of strings, as a tuple; None when absent."""
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


# ---------------------------------------------------------------- wildcards
def matches(pattern: str, text: str, fold_case: bool = False) -> bool:
    """Whether an IAM wildcard pattern (``*`` any run of characters, ``?`` any one) matches the whole text.

    The pieces between the stars are placed one after the other, each at its leftmost place after the one
    before: a piece has a fixed length, so that place leaves the most room for the rest, and each piece is
    looked for once. A regular expression of ``.*`` (what this was) tries every way to split the text, and a
    plan chooses both the pattern and the text: ``*a*a*a*?b`` against a long table name took hours. Case
    folds as ``lower()`` folds it (IAM's action names are ASCII)."""
    if fold_case:
        pattern, text = pattern.lower(), text.lower()
    pieces = pattern.split("*")
    if len(pieces) == 1:
        return len(text) == len(pattern) and _fits(pattern, text, 0)
    first, *middle, last = pieces
    end = len(text) - len(last)
    if end < len(first) or not _fits(first, text, 0) or not _fits(last, text, end):
        return False
    at = len(first)
    for piece in middle:
        at = _find(piece, text, at, end)
        if at < 0:
            return False
        at += len(piece)
    return True


def _fits(piece: str, text: str, at: int) -> bool:
    """Whether a piece (characters and ``?``) matches the text at ``at``, where the text is long enough."""
    if "?" not in piece:
        return text.startswith(piece, at)
    return all(p == "?" or p == c for p, c in zip(piece, text[at : at + len(piece)], strict=True))


def _find(piece: str, text: str, start: int, end: int) -> int:
    """Where a piece first matches within ``text[start:end]``; -1 where it does not."""
    if "?" not in piece:
        return text.find(piece, start, end)
    found = _piece_pattern(piece).search(text, start, end)
    return -1 if found is None else found.start()


@lru_cache(maxsize=1024)
def _piece_pattern(piece: str) -> re.Pattern:
    """A piece with ``?`` as a regular expression of characters and dots: no repetition, nothing to backtrack."""
    return re.compile("".join("." if c == "?" else re.escape(c) for c in piece), re.S)


def _states_after(pattern: str, prefix: str) -> set[int]:
    """Positions in ``pattern`` reachable after it has matched ``prefix`` (a small NFA run)."""
    states = _close({0}, pattern)
    for char in prefix:
        step = set()
        for j in states:
            if j < len(pattern):
                if pattern[j] == "*":
                    step.add(j)
                elif pattern[j] == "?" or pattern[j] == char:
                    step.add(j + 1)
        states = _close(step, pattern)
    return states


def _close(states: set[int], pattern: str) -> set[int]:
    """A ``*`` may match nothing: add the position after each reachable star."""
    out, todo = set(states), list(states)
    while todo:
        j = todo.pop()
        if j < len(pattern) and pattern[j] == "*" and j + 1 not in out:
            out.add(j + 1)
            todo.append(j + 1)
    return out


@lru_cache(maxsize=4096)  # policies repeat a few patterns ("dynamodb:*", "*") across thousands of statements
def covers_prefix(pattern: str, prefix: str, fold_case: bool = False) -> bool:
    """Whether the pattern matches every string that starts with ``prefix`` ("dyna*:*" covers "dynamodb:")."""
    if fold_case:
        pattern, prefix = pattern.lower(), prefix.lower()
    rest = [pattern[j:] for j in _states_after(pattern, prefix)]
    return any(r and set(r) == {"*"} for r in rest)


@lru_cache(maxsize=4096)
def meets_prefix(pattern: str, prefix: str, fold_case: bool = False) -> bool:
    """Whether the pattern matches some string that starts with ``prefix`` and goes on after it."""
    if fold_case:
        pattern, prefix = pattern.lower(), prefix.lower()
    return any(j < len(pattern) for j in _states_after(pattern, prefix))


# ---------------------------------------------------------------- actions
def allows_action(statement: Statement, action: str) -> bool:
    """Whether the statement's Action (or NotAction) takes in one action such as "dynamodb:Query"."""
    if statement.actions is not None:
        return any(matches(p, action, fold_case=True) for p in statement.actions)
    if statement.not_actions is not None and "NotAction" not in statement.unknown:
        return not any(matches(p, action, fold_case=True) for p in statement.not_actions)
    return False


def allows_every_action_of(statement: Statement, service: str) -> bool:
    """Whether the statement takes in every action of a service ("dynamodb:*", "*", or a NotAction that spares it)."""
    prefix = f"{service}:"
    if statement.actions is not None:
        return any(covers_prefix(p, prefix, fold_case=True) for p in statement.actions)
    if statement.not_actions is not None and "NotAction" not in statement.unknown:
        return not any(meets_prefix(p, prefix, fold_case=True) for p in statement.not_actions)
    return False


# ---------------------------------------------------------------- resources
def _arn_prefixes(service: str) -> list[str]:
    return [f"arn:{partition}:{service}:" for partition in PARTITIONS]


def resource_reaches_service(statement: Statement, service: str) -> bool:
    """Whether the statement's Resource can match some ARN of the service ("*", "arn:aws:dynamodb:...", or
    a piece known only after apply that refers to the ``arn`` of a resource of the service)."""
    if statement.resources is not None:
        return any(meets_prefix(p, prefix) for p in statement.resources for prefix in _arn_prefixes(service)) or any(
            _arn_of(r, service)
            for piece in statement.resource_pieces
            for r in (*piece.references, piece.followed or "")
        )
    if statement.not_resources is not None and "NotResource" not in statement.unknown:
        return not _covers_every_arn_of(statement.not_resources, service)
    return False


def resource_is_everything(statement: Statement, service: str) -> bool:
    """Resource "*" (or a NotResource that excludes none of the service's ARNs)."""
    if statement.resources is not None:
        return "*" in statement.resources
    if statement.not_resources is not None and "NotResource" not in statement.unknown:
        return not any(meets_prefix(p, prefix) for p in statement.not_resources for prefix in _arn_prefixes(service))
    return False


def _arn_of(reference: str, service: str) -> bool:
    """Whether a reference is the ARN of a resource of the service (``aws_dynamodb_table.t.arn``, also
    through module outputs followed: ``module.m.aws_dynamodb_table.t.arn``)."""
    parts = _resource_part(reference).split(".")
    if parts[0] == "data":
        parts = parts[1:]
    return len(parts) >= 3 and parts[-1] in ("arn", "stream_arn") and parts[0] in SERVICE_TYPES.get(service, ())


def _covers_every_arn_of(patterns: Iterable[str], service: str) -> bool:
    return any(covers_prefix(p, prefix) for p in patterns for prefix in _arn_prefixes(service))


# ---------------------------------------------------------------- principals
def is_anyone(principal: Any) -> bool:
    """Principal "*", {"AWS": "*"} or {"AWS": [..., "*"]}: every AWS account and anonymous callers."""
    if principal == "*":
        return True
    if isinstance(principal, dict):
        found = _strings(principal.get("AWS")) or ()
        return "*" in found
    return False


# Condition keys that make a statement to Principal "*" non-public, as DynamoDB's Block Public Access counts them.
TRUSTED_CONDITION_KEYS = frozenset(
    k.lower()
    for k in (
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:SourceAccount",
        "aws:SourceArn",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:UserId",
        "aws:PrincipalServiceName",
        "aws:PrincipalServiceNamesList",
        "aws:PrincipalIsAWSService",
        "aws:Ec2InstanceSourceVpc",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
    )
)


def narrows_principal(statement: Statement) -> bool:
    """Whether a Condition pins the caller down: a trusted key whose values hold no wildcard or variable.

    ``aws:PrincipalIsAWSService`` counts only when it is true. A condition on
    other keys (``aws:SecureTransport``, ``aws:UserAgent``) leaves the
    statement open to anyone.
    """
    if "Condition" in statement.unknown:
        return True  # a condition not known yet may well pin the caller down
    condition = statement.condition
    if not isinstance(condition, dict):
        return False
    for operator, tests in condition.items():
        if not isinstance(tests, dict) or not isinstance(operator, str) or "ifexists" in operator.lower():
            continue
        for key, values in tests.items():
            if isinstance(key, str) and key.lower() in TRUSTED_CONDITION_KEYS and _pinned(key, values):
                return True
    return False


def _pinned(key: str, values: Any) -> bool:
    items = values if isinstance(values, list) else [values]
    texts = [str(v).lower() if isinstance(v, bool) else str(v) for v in items]
    if not texts or any(any(c in t for c in "*?") or "${" in t for t in texts):
        return False
    return key.lower() != "aws:principalisawsservice" or texts == ["true"]

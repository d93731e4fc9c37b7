"""IAM policy documents as the access rules read them: statements, wildcards, principals.

A policy arrives as a JSON string (``aws_iam_policy.policy``, a resource
policy, a VPC endpoint policy). ``parse_policy`` turns it into ``Statement``s,
or None when the text is not known at plan time or is not a policy document:
the rules stay silent then, since another tool (or AWS) reports invalid JSON.

Matching follows IAM: ``*`` matches any run of characters (``/`` and ``:``
included), ``?`` exactly one. Actions compare case-insensitively; resource
ARNs compare as written.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping

from dynalint.model import is_known

PARTITIONS = ("aws", "aws-cn", "aws-us-gov")


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


def parse_policy(text: Any) -> list[Statement] | None:
    """The statements of a policy JSON string; None when unknown, not JSON, or not a policy document."""
    if not is_known(text) or not isinstance(text, str) or not text.strip():
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    if not isinstance(doc, Mapping):
        return None
    raw = doc.get("Statement")
    if isinstance(raw, Mapping):
        raw = [raw]
    if not isinstance(raw, list):
        return None
    return [s for s in (_statement(i, item) for i, item in enumerate(raw)) if s is not None]


def _statement(index: int, item: Any) -> Statement | None:
    if not isinstance(item, Mapping) or item.get("Effect") not in ("Allow", "Deny"):
        return None
    sid = item.get("Sid")
    return Statement(
        index=index, sid=sid if isinstance(sid, str) else None, effect=item["Effect"],
        actions=_strings(item.get("Action")), not_actions=_strings(item.get("NotAction")),
        resources=_strings(item.get("Resource")), not_resources=_strings(item.get("NotResource")),
        principal=item.get("Principal"), not_principal=item.get("NotPrincipal"), condition=item.get("Condition"),
    )


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
@lru_cache(maxsize=4096)
def _regex(pattern: str, fold_case: bool) -> re.Pattern:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.S | (re.I if fold_case else 0))


def matches(pattern: str, text: str, fold_case: bool = False) -> bool:
    """Whether an IAM wildcard pattern matches the whole text."""
    return _regex(pattern, fold_case).fullmatch(text) is not None


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


def covers_prefix(pattern: str, prefix: str, fold_case: bool = False) -> bool:
    """Whether the pattern matches every string that starts with ``prefix`` ("dyna*:*" covers "dynamodb:")."""
    if fold_case:
        pattern, prefix = pattern.lower(), prefix.lower()
    rest = [pattern[j:] for j in _states_after(pattern, prefix)]
    return any(r and set(r) == {"*"} for r in rest)


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
    if statement.not_actions is not None:
        return not any(matches(p, action, fold_case=True) for p in statement.not_actions)
    return False


def allows_every_action_of(statement: Statement, service: str) -> bool:
    """Whether the statement takes in every action of a service ("dynamodb:*", "*", or a NotAction that spares it)."""
    prefix = f"{service}:"
    if statement.actions is not None:
        return any(covers_prefix(p, prefix, fold_case=True) for p in statement.actions)
    if statement.not_actions is not None:
        return not any(meets_prefix(p, prefix, fold_case=True) for p in statement.not_actions)
    return False


# ---------------------------------------------------------------- resources
def _arn_prefixes(service: str) -> list[str]:
    return [f"arn:{partition}:{service}:" for partition in PARTITIONS]


def resource_reaches_service(statement: Statement, service: str) -> bool:
    """Whether the statement's Resource can match some ARN of the service ("*", "arn:aws:dynamodb:...")."""
    if statement.resources is not None:
        return any(meets_prefix(p, prefix) for p in statement.resources for prefix in _arn_prefixes(service))
    if statement.not_resources is not None:
        return not _covers_every_arn_of(statement.not_resources, service)
    return False


def resource_is_everything(statement: Statement, service: str) -> bool:
    """Resource "*" (or a NotResource that excludes none of the service's ARNs)."""
    if statement.resources is not None:
        return "*" in statement.resources
    if statement.not_resources is not None:
        return not any(meets_prefix(p, prefix) for p in statement.not_resources for prefix in _arn_prefixes(service))
    return False


def _covers_every_arn_of(patterns: Iterable[str], service: str) -> bool:
    return any(covers_prefix(p, prefix) for p in patterns for prefix in _arn_prefixes(service))


# ---------------------------------------------------------------- principals
def is_anyone(principal: Any) -> bool:
    """Principal "*", {"AWS": "*"} or {"AWS": [..., "*"]}: every AWS account and anonymous callers."""
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        found = _strings(principal.get("AWS")) or ()
        return "*" in found
    return False


# Condition keys that make a statement to Principal "*" non-public, as DynamoDB's Block Public Access counts them.
TRUSTED_CONDITION_KEYS = frozenset(k.lower() for k in (
    "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
    "aws:SourceAccount", "aws:SourceArn", "aws:SourceVpc", "aws:SourceVpce", "aws:UserId",
    "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList", "aws:PrincipalIsAWSService",
    "aws:Ec2InstanceSourceVpc", "aws:SourceOrgID", "aws:SourceOrgPaths"))


def narrows_principal(statement: Statement) -> bool:
    """Whether a Condition pins the caller down: a trusted key whose values hold no wildcard or variable.

    ``aws:PrincipalIsAWSService`` counts only when it is true. A condition on
    other keys (``aws:SecureTransport``, ``aws:UserAgent``) leaves the
    statement open to anyone.
    """
    condition = statement.condition
    if not isinstance(condition, Mapping):
        return False
    for operator, tests in condition.items():
        if not isinstance(tests, Mapping) or not isinstance(operator, str) or "ifexists" in operator.lower():
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

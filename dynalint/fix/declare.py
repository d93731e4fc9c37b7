"""How a rule says what repairs a finding: changes to the resource's configuration, not to text.

A rule knows nothing about files (docs/architecture.md), so its fix names what the
resource's block must say, and ``dynalint --fix`` (dynalint.fix.resolve) turns
that into minimal text edits of the ``.tf`` source::

    yield Issue("...", path="deletion_protection_enabled",
                fix=Fix("Set `deletion_protection_enabled = true`", Set("deletion_protection_enabled", True)))

A path is a dotted string (``"point_in_time_recovery.enabled"``) or a tuple of
steps. Every step but the last names a nested block: a block type (``str``:
the one block of that type, created when there is none) or a ``Block`` (the
one block of that type whose literal arguments equal the given ones; never
created). The last step names the argument (``Set``, ``Extend``) or the block
(``AddBlock``, ``RemoveBlock``).

What is never changed: a value written as an expression (a reference, a
function call, a conditional) other than ``var.NAME`` of a module, which is
followed to the module call when the call writes a literal; anything made by a
``dynamic`` block. Those findings are reported with "no fix" and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_NAME = re.compile(r"^[^\W\d][\w-]*$")
_REFERENCE = re.compile(r"^[^\W\d][\w-]*(\.[^\W\d][\w-]*)*$")


# init=False on the classes that write their own __init__ (it checks the arguments): else dataclass compiles one
# at every start, only to drop it (about 0.1 ms each).
@dataclass(frozen=True, init=False)
class Block:
    """A path step: the one nested block of ``type`` whose arguments equal ``match`` (literal values)."""

    type: str
    match: tuple[tuple[str, Any], ...] = ()

    def __init__(self, type: str, **match: Any) -> None:
        _check_name(type, "block type")
        for key, value in match.items():
            _check_name(key, "argument name")
            _check_value(value)
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "match", tuple(sorted(match.items())))

    def __str__(self) -> str:
        where = ", ".join(f"{k} = {render(v)}" for k, v in self.match)
        return f"{self.type}[{where}]" if where else self.type


@dataclass(frozen=True)
class Ref:
    """A value written without quotes, as a reference: ``Ref("read_capacity")`` in ``ignore_changes``."""

    text: str

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or not _REFERENCE.match(self.text):
            raise ValueError(f"Ref({self.text!r}): not a reference such as read_capacity or aws_kms_key.k.arn")


Step = str | Block


def _path(path: str | Iterable[Step]) -> tuple[Step, ...]:
    steps = tuple(path.split(".")) if isinstance(path, str) else tuple(path)
    if not steps:
        raise ValueError("a fix path names at least one argument or block")
    for step in steps:
        if not isinstance(step, Block):
            _check_name(step, "path step")
    return steps


def _check_name(name: Any, what: str) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"{what} {name!r} is not an HCL name")


def _check_value(value: Any) -> None:
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_value(item)
    elif isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise ValueError(f"{value!r} cannot be written in HCL")
    elif not isinstance(value, (bool, int, float, str, Ref)):
        raise ValueError(f"a fix writes booleans, numbers, strings, Ref()s and lists of them, not {value!r}")


@dataclass(frozen=True, init=False)
class Set:
    """Set the argument at ``path`` to ``value``: replace a literal, or add the argument (and its blocks)."""

    path: tuple[Step, ...]
    value: Any

    def __init__(self, path: str | Iterable[Step], value: Any) -> None:
        steps = _path(path)
        if isinstance(steps[-1], Block):
            raise ValueError("Set: the last step of the path names an argument, not a Block")
        _check_value(value)
        object.__setattr__(self, "path", steps)
        object.__setattr__(self, "value", tuple(value) if isinstance(value, list) else value)


@dataclass(frozen=True, init=False)
class Extend:
    """Add to the list argument at ``path`` the ``items`` it lacks (the argument is added when absent)."""

    path: tuple[Step, ...]
    items: tuple[Any, ...]

    def __init__(self, path: str | Iterable[Step], items: Iterable[Any]) -> None:
        steps = _path(path)
        if isinstance(steps[-1], Block):
            raise ValueError("Extend: the last step of the path names an argument, not a Block")
        items = tuple(items)
        if not items:
            raise ValueError("Extend: give at least one item")
        for item in items:
            if isinstance(item, (list, tuple)):
                raise ValueError("Extend: items are single values")
            _check_value(item)
        object.__setattr__(self, "path", steps)
        object.__setattr__(self, "items", items)


@dataclass(frozen=True, init=False)
class AddBlock:
    """Add a nested block of type ``path[-1]`` with the arguments of ``body`` (in their order)."""

    path: tuple[Step, ...]
    body: tuple[tuple[str, Any], ...]

    def __init__(self, path: str | Iterable[Step], body: dict[str, Any]) -> None:
        steps = _path(path)
        if isinstance(steps[-1], Block):
            raise ValueError("AddBlock: the last step of the path is the new block's type, not a Block")
        for key, value in body.items():
            _check_name(key, "argument name")
            _check_value(value)
        object.__setattr__(self, "path", steps)
        object.__setattr__(self, "body", tuple(body.items()))


@dataclass(frozen=True, init=False)
class RemoveBlock:
    """Remove the nested block at ``path`` (its last step a ``Block`` or a type with one block)."""

    path: tuple[Step, ...]

    def __init__(self, path: str | Iterable[Step]) -> None:
        object.__setattr__(self, "path", _path(path))


Change = Set | Extend | AddBlock | RemoveBlock


@dataclass(frozen=True, init=False)
class Fix:
    """A finding's repair: a short title (what it does, in the imperative), its changes, and whether it is safe.

    A fix is unsafe (``safe=False``) when it changes behaviour beyond the finding:
    it replaces a resource, costs money, or changes who can access what.
    ``dynalint --fix`` applies safe fixes; unsafe ones need ``--unsafe-fixes``.
    """

    title: str
    changes: tuple[Change, ...]
    safe: bool = True

    def __init__(self, title: str, *changes: Change, safe: bool = True) -> None:
        if not isinstance(title, str) or not title.strip():
            raise ValueError("Fix: give a title saying what the fix does")
        if not changes:
            raise ValueError("Fix: give at least one change (Set, Extend, AddBlock, RemoveBlock)")
        for change in changes:
            if not isinstance(change, (Set, Extend, AddBlock, RemoveBlock)):
                raise ValueError(f"Fix: {change!r} is not a Set, Extend, AddBlock or RemoveBlock")
        object.__setattr__(self, "title", title.strip())
        object.__setattr__(self, "changes", tuple(changes))
        object.__setattr__(self, "safe", bool(safe))


# ---------------------------------------------------------------------- values as HCL text
def render(value: Any) -> str:
    """A value as HCL writes it: ``true``, ``35``, ``"TLS"`` (escaped), ``[a, "b"]``, a Ref bare."""
    if isinstance(value, Ref):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e16 else str(int(value))
    if isinstance(value, str):
        return '"' + _escape(value) + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(render(v) for v in value) + "]"
    raise ValueError(f"cannot write {value!r} in HCL")


def _escape(text: str) -> str:
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    out = out.replace("\t", "\\t").replace("${", "$${").replace("%{", "%%{")
    return "".join(
        c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"
        for c in out
    )

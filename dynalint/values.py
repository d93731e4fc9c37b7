"""Reading resource values the way Terraform shapes them, for rule authors.

Blocks are lists of mappings (``point_in_time_recovery = [{"enabled": true}]``),
an unset attribute is ``None`` or missing, a value known only after apply is
``UNKNOWN``, a sensitive one ``SENSITIVE``. These helpers keep those answers
apart, so a rule can say "absent", "unknown" and "false" without guessing.
Values are plain dicts and lists (as JSON and the HCL loader make them); the
helpers test for ``dict`` rather than ``Mapping``, which costs several times as
much on the per-resource hot path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeGuard

from dynalint.configured import Constant, Match, is_configured
from dynalint.model import SENSITIVE, UNKNOWN, Resource, is_known

__all__ = [
    "UNKNOWN",
    "SENSITIVE",
    "is_known",
    "blocks",
    "block",
    "known_blocks",
    "dig",
    "label",
    "known_str",
    "bool_of",
    "is_off",
    "number_of",
    "is_number",
    "prior_values",
    "configured_blocks",
    "configured_constants",
    "is_configured",
    "Match",
    "tags_all",
    "derived",
]

#: The strings Terraform converts to a number: decimal notation, an optional sign and exponent ("5", "-1.5", "2e3").
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def derived(resource: Resource, key: str, build: Callable[[Resource], Any]) -> Any:
    """``build(resource)``, computed the first time any rule asks for ``key`` on this resource and then shared.

    For what several rules read of one resource (a table's indexes, a
    policy's statements). ``build`` must depend on the resource alone (not on
    options or other resources: those go through ``ctx.memo``), and the
    value it returns is shared: read it, do not change it. Name the key after
    the module that owns it (``"schema.indexes"``).
    """
    cache = resource._derived
    try:
        return cache[key]
    except KeyError:
        value = cache[key] = build(resource)
        return value


def blocks(values: Any, key: str) -> list | Any:
    """The list of nested blocks under ``key``: [] when absent, UNKNOWN/SENSITIVE when not known.

    A list with an element not known is not known as a whole; elements that are
    not mappings (a malformed plan) are left out.
    """
    if not isinstance(values, dict):
        return []
    value = values.get(key)
    if value is None:
        return []
    if value is UNKNOWN or value is SENSITIVE:  # is_known, inlined: rules call this tens of thousands of times
        return value
    if isinstance(value, dict):  # a single nested block written as an object
        return [value]
    if not isinstance(value, list):
        return []
    for b in value:
        if b is UNKNOWN or b is SENSITIVE:
            return b
    return [b for b in value if isinstance(b, dict)]


def known_blocks(values: Any, key: str) -> list:
    """The nested blocks under ``key``, [] when absent or not known: for a rule that judges what it can see."""
    found = blocks(values, key)
    return found if is_known(found) else []


def block(values: Any, key: str) -> Mapping | None | Any:
    """The first block under ``key``: None when absent, UNKNOWN/SENSITIVE when not known."""
    found = blocks(values, key)
    if not is_known(found):
        return found
    if not found:
        return None
    return found[0]


def dig(values: Any, *path: Any) -> Any:
    """Follow keys and list indexes; None when any step is absent, the sentinel when one is not known."""
    node = values
    for step in path:
        if not is_known(node):
            return node
        if isinstance(step, int):
            if not isinstance(node, list) or not -len(node) <= step < len(node):
                return None
            node = node[step]
        else:
            if not isinstance(node, dict):
                return None
            node = node.get(step)
        if node is None:
            return None
    return node


def bool_of(value: Any) -> bool | None | Any:
    """A boolean setting: True/False, None when absent, the sentinel when not known.

    Terraform plans hold booleans, but .tf input and hand-made plans may hold
    the strings "true"/"false".
    """
    if value is None or not is_known(value):
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def is_off(value: Any) -> bool:
    """Whether a boolean setting is known to be off: false, or left out (None: the AWS default is off).

    False when it is on or not known (a rule then has nothing to judge).
    """
    flag = bool_of(value)
    return flag is False or flag is None


def number_of(value: Any) -> int | float | None | Any:
    """A numeric setting: the number, None when absent, the sentinel when not known.

    Plans hold numbers; .tf input and hand-written plans may hold the strings
    Terraform converts to one ("5", "2e3"), read as floats. A value that is
    written but is no number (a boolean, "five", a list) cannot be judged:
    UNKNOWN, so that a rule stays silent instead of reading it as absent.
    """
    if value is None or value is UNKNOWN or value is SENSITIVE:
        return value
    if is_number(value):
        return value
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return float(value)
    return UNKNOWN


def is_number(value: Any) -> TypeGuard[int | float]:
    """Whether the value is a number (an int or a float; a boolean is not one)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def prior_values(resource: Resource) -> dict | None:
    """The values a resource has before the plan updates it in place; None for any other change (create,
    replace, delete, no-op) and outside plans, where a change rule has nothing to compare."""
    change = resource.change
    if change is None or not change.is_update or not isinstance(change.before, dict):
        return None
    return change.before


def known_str(value: Any) -> str | None:
    """The value when it is a known string, else None."""
    return value if isinstance(value, str) else None


def label(resource: Resource, key: str = "name") -> str:
    """How a message names a resource: its ``name`` value in quotes when known, else its address."""
    value = resource.values.get(key) if isinstance(resource.values, dict) else None
    if isinstance(value, str) and value:
        return f"'{value}'"
    return resource.address


def tags_all(resource: Resource) -> Mapping | Any:
    """The resource's tags with the provider's default_tags: ``tags_all`` where the input holds it
    (plans do), else ``tags`` merged over ``default_tags`` (.tf input); a sentinel where either is not known."""
    found = resource.values.get("tags_all")
    if isinstance(found, dict):
        return found
    tags = resource.values.get("tags")
    if not is_known(tags):
        return tags
    defaults = resource.default_tags
    if defaults is not None and not is_known(defaults):
        return defaults  # default_tags from an expression the plan does not resolve
    return {**(defaults or {}), **(tags if isinstance(tags, dict) else {})}


def configured_blocks(resource: Resource, block_key: str) -> list | None:
    """The ``block_key`` blocks as the configuration writes them (configured trees: leaves say what is set and
    to which constant), in source order; None when the input carries no configuration of them."""
    tree = resource.configured
    found = tree.get(block_key) if isinstance(tree, dict) else None
    return found if isinstance(found, list) else None


def configured_constants(resource: Resource, block_key: str, attr: str) -> list[Any]:
    """The constant values the configuration writes for ``attr`` in each ``block_key`` block, in source order.

    A block whose value is not a constant gives None. Unlike the planned
    values, this keeps blocks that a set collapses (two ``replica`` blocks
    with the same region). Empty when the input carries no configuration.
    """
    out = []
    for item in configured_blocks(resource, block_key) or ():
        leaf = item.get(attr) if isinstance(item, dict) else None
        out.append(leaf.value if isinstance(leaf, Constant) else None)
    return out

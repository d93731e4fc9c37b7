"""The configured tree: which attributes and blocks a resource's configuration sets (``Resource.configured``).

The loader builds it (dynalint.load.configuration) from a plan's ``configuration``
or from the ``.tf`` block: a mapping of attribute names to leaves, nested
blocks as lists of such mappings. A leaf is a ``Constant`` (the value is
written as a constant) or ``SET`` (an expression that is not a constant). Rules
ask it through ``is_configured`` (dynalint.values re-exports it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Constant:
    """A configured-tree leaf whose value the configuration writes as a constant."""

    value: Any


SET = True  # a configured-tree leaf set by an expression whose value is not a constant


@dataclass(frozen=True)
class Match:
    """A path step into a list of blocks that picks the block whose ``key`` is the constant ``value``."""

    key: str
    value: Any


def is_configured(tree: Any, path: tuple) -> bool:
    """Whether the configuration sets the value at ``path`` (keys, list indexes, ``Match`` steps).

    A ``Match`` step picks the block written with that constant name (a GSI by
    ``name``, a replica by ``region_name``). Otherwise blocks of one type are
    matched as a union: a key set in any ``replica`` block counts as set in
    every one (set-typed blocks have no stable order to match on).
    """
    node = tree
    for step in path:
        if _leaf(node):
            return True
        if isinstance(node, list):
            named = _named_block(node, step) if isinstance(step, Match) else None
            node = named if named is not None else _union(node)
            if isinstance(step, (int, Match)):
                continue
        if not isinstance(node, dict) or step not in node:
            return False
        node = node[step]
    return True


def _named_block(blocks: list, step: Match) -> dict | None:
    for block in blocks:
        leaf = block.get(step.key) if isinstance(block, dict) else None
        if isinstance(leaf, Constant) and leaf.value == step.value:
            return block
    return None


def _union(blocks: list) -> dict:
    merged: dict[str, Any] = {}
    for block in blocks:
        if isinstance(block, dict):
            for key, value in block.items():
                if key not in merged or not _leaf(merged[key]):
                    merged[key] = value if key not in merged else _merge(merged[key], value)
    return merged


def _leaf(node: Any) -> bool:
    return node is SET or isinstance(node, Constant)


def _merge(a: Any, b: Any) -> Any:
    if _leaf(a):
        return a
    if _leaf(b):
        return b
    if isinstance(a, list) and isinstance(b, list):
        return a + b
    return a

"""A resource block's ``lifecycle`` meta-block, read from its ``.tf`` source.

``terraform show -json`` does not write ``lifecycle`` into a plan's
``configuration``, so only ``.tf`` input, or a plan read beside its ``.tf``
files, carries it. Terraform takes ``lifecycle`` arguments as written (no
variables), so they are read from the syntax tree, not evaluated.

The result (``Resource.lifecycle``) is a dict: ``ignore_changes`` is ``"all"``
or a tuple of the attribute paths as written (``read_capacity``,
``tags["team"]``, a quoted ``"read_capacity"`` unquoted), ``UNKNOWN`` when an
entry is neither; ``prevent_destroy`` and ``create_before_destroy`` are kept
where they are ``true``/``false``. A block without ``lifecycle`` gives ``{}``.
"""

from __future__ import annotations

from typing import Any

from dynalint.load.hcl.module_tree import TfBlock
from dynalint.load.hcl.syntax import (
    _flatten,
    _literal_index,
    _trees,
    _unwrap,
    attribute_parts,
    block_parts,
    body_items,
    literal_string,
)
from dynalint.model import UNKNOWN

_FLAGS = ("prevent_destroy", "create_before_destroy")


def lifecycle_of(block: TfBlock) -> dict[str, Any]:
    """The ``lifecycle`` of a resource block (the last one wins, as in an override file's merge)."""
    out: dict[str, Any] = {}
    for item in body_items(block.body):
        if item.data != "block" or block_parts(item)[0] != "lifecycle":
            continue
        for inner in body_items(block_parts(item)[2]):
            if inner.data != "attribute":
                continue
            name, expr = attribute_parts(inner)
            if name == "ignore_changes":
                out[name] = _ignore_changes(expr)
            elif name in _FLAGS:
                keyword = _keyword(expr)
                if keyword in ("true", "false"):
                    out[name] = keyword == "true"
    return out


def _ignore_changes(expr: Any) -> Any:
    if _keyword(expr) == "all":
        return "all"
    node = _unwrap(expr)
    if getattr(node, "data", None) != "tuple":
        return UNKNOWN
    entries = []
    for element in _trees(node):
        text = literal_string(element) or _traversal_text(element)
        if not text:
            return UNKNOWN
        entries.append(text.strip())
    return tuple(entries)


def _traversal_text(expr: Any) -> str | None:
    """``tags["team"]`` / ``global_secondary_index`` as written; None for anything but a static traversal."""
    root, steps = _flatten(expr)
    if getattr(root, "data", None) != "identifier":
        return None
    text = str(root.children[0])
    for kind, value in steps:
        if kind == "attr":
            text += f".{value}"
        elif kind == "index":
            key = _literal_index(value)
            if key is None:
                return None
            text += f"[{key}]" if isinstance(key, int) else f'["{key}"]'
        else:
            return None
    return text


def _keyword(expr: Any) -> str | None:
    node = _unwrap(expr)
    if getattr(node, "data", None) == "identifier":
        return str(node.children[0])
    if getattr(node, "data", None) == "literal_value" or getattr(node, "data", None) == "keyword":
        return str(node.children[0])
    return None

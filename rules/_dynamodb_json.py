"""DynamoDB JSON: an item's attributes as typed values (``{"S": "x"}``, ``{"N": "1"}``, ``{"M": {...}}``), what
DynamoDB would reject in them, and the size and depth it counts.

The item of an ``aws_dynamodb_table_item`` is written this way. Problems name
attributes, never their values (the state holds the item in plain text, the
report must not).
"""

from __future__ import annotations

import json
import re
from typing import Any

ITEM_LIMIT_BYTES = 400 * 1024
MAX_DEPTH = 32
# What an N value holds: a decimal number as DynamoDB writes one, as a string.
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_SCALAR_TYPES = ("S", "N", "B", "BOOL", "NULL")
_TYPES = _SCALAR_TYPES + ("M", "L", "SS", "NS", "BS")


def read_item(text: str) -> tuple[dict | None, list[str]]:
    """The item's attributes (None when it is not a JSON object) and what DynamoDB would reject in them."""
    try:
        doc = json.loads(text)
    except ValueError:
        return None, ["the item is not valid JSON"]
    if not isinstance(doc, dict):
        return None, ["the item is not a JSON object of attributes"]
    problems = [p for name, value in doc.items() for p in _value_problems(name, value)]
    if problems:
        return doc, problems
    size = sum(len(name.encode()) + _value_size(value) for name, value in doc.items())
    if size > ITEM_LIMIT_BYTES:
        problems.append(f"it is about {size // 1024} KB, above the 400 KB item limit")
    depth = max((_depth(value) for value in doc.values()), default=0)
    if depth > MAX_DEPTH:
        problems.append(f"it nests maps and lists {depth} levels deep, above the limit of {MAX_DEPTH}")
    return doc, problems


def _value_problems(name: str, value: Any) -> list[str]:
    """What DynamoDB would reject in one typed value (attribute names only in the text, never values)."""
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in _TYPES:
        return [f"attribute '{name}' is not a typed DynamoDB value such as {{\"S\": ...}}"]
    kind, inner = next(iter(value.items()))
    checks = {
        "S": lambda: isinstance(inner, str),
        "N": lambda: is_n_value(inner),
        "B": lambda: _is_base64(inner),
        "BOOL": lambda: isinstance(inner, bool),
        "NULL": lambda: inner is True,
        "M": lambda: isinstance(inner, dict),
        "L": lambda: isinstance(inner, list),
        "SS": lambda: _is_set(inner, lambda v: isinstance(v, str)),
        "NS": lambda: _is_set(inner, is_n_value),
        "BS": lambda: _is_set(inner, _is_base64),
    }
    if not checks[kind]():
        return [f"attribute '{name}' is not a valid {kind} value{_kind_hint(kind)}"]
    if kind == "M":
        return [p for key, sub in inner.items() for p in _value_problems(f"{name}.{key}", sub)]
    if kind == "L":
        return [p for i, sub in enumerate(inner) for p in _value_problems(f"{name}[{i}]", sub)]
    return []


def _kind_hint(kind: str) -> str:
    return {
        "N": " (a number written as a string)",
        "NULL": " (it must be true)",
        "B": " (base64)",
        "SS": " (a non-empty set without duplicates)",
        "NS": " (a non-empty set of numbers without duplicates)",
        "BS": " (a non-empty set of base64 values without duplicates)",
    }.get(kind, "")


def is_n_value(value: Any) -> bool:
    """Whether a value is what an N holds: a number written as a string, of at most 38 significant digits."""
    if not isinstance(value, str) or not _NUMBER.match(value.strip()):
        return False
    return len(_significant_digits(value)) <= 38


def _is_base64(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        _binary(value, validate=True)
    except ValueError:  # binascii.Error is one
        return False
    return True


def _binary(text: str, validate: bool = False) -> bytes:
    """The bytes of a binary value (base64 text)."""
    import base64  # with struct: only an item that holds a binary value needs it

    return base64.b64decode(text, validate=validate)


def _is_set(value: Any, member) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(member(v) for v in value)
        and len({json.dumps(v) for v in value}) == len(value)
    )


def _value_size(value: dict) -> int:
    """Bytes DynamoDB counts for a typed value (the documented sizes; numbers approximated)."""
    kind, inner = next(iter(value.items()))
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return _number_size(inner)
    if kind == "B":
        return len(_binary(inner))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + _value_size(v) for k, v in inner.items())
    if kind == "L":
        return 3 + sum(1 + _value_size(v) for v in inner)
    if kind == "SS":
        return sum(len(v.encode()) for v in inner)
    if kind == "NS":
        return sum(_number_size(v) for v in inner)
    return sum(len(_binary(v)) for v in inner)


def _number_size(text: str) -> int:
    return (len(_significant_digits(text)) + 1) // 2 + 1


def _significant_digits(text: str) -> str:
    """The digits of a number written as a string, without its exponent, point, sign and outer zeros."""
    return re.sub(r"[eE].*$", "", text).replace(".", "").lstrip("+-").strip("0")


def _depth(value: dict) -> int:
    """How many maps and lists nest in a typed value (a scalar is 0, a map of scalars 1)."""
    kind, inner = next(iter(value.items()))
    if kind == "M":
        return 1 + max((_depth(v) for v in inner.values()), default=0)
    if kind == "L":
        return 1 + max((_depth(v) for v in inner), default=0)
    return 0

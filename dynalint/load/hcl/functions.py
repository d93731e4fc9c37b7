"""Terraform's built-in functions the evaluator knows (``FUNCTIONS``); what the result of some may reach
before it is built (``_GROWTH``, for the budget); those that look at unknown arguments themselves."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections.abc import Callable
from typing import Any

from dynalint.load.hcl.budget import MAX_INT_BITS, MAX_VALUE_CELLS, cells
from dynalint.load.hcl.conversions import (
    EvalError,
    Partial,
    _deep_opaque,
    _equal,
    _to_bool,
    _to_num,
    _to_set,
    _to_str,
    plain,
)
from dynalint.model import SENSITIVE


def _jsonencode(value: Any) -> str:
    """Terraform's jsonencode: compact, keys sorted, <, > and & escaped as Go's encoder does."""
    if _deep_opaque(value) is not None:
        raise EvalError("jsonencode of a value not known")
    text = json.dumps(plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _merge(*maps: Any) -> dict:
    out: dict = {}
    for m in maps:
        if m is None:
            continue
        if not isinstance(m, dict) or isinstance(m, Partial):
            raise EvalError("merge takes maps")
        out.update(m)
    return out


def _lookup_fn(mapping: Any, key: Any, *default: Any) -> Any:
    if isinstance(mapping, dict) and key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise EvalError("lookup: no such key")


def _format(spec: str, *args: Any) -> str:
    values = iter(args)

    def one(match: re.Match) -> str:
        verb = match.group(0)
        if verb == "%%":
            return "%"
        value, flags, letter = next(values), verb[:-1], verb[-1]
        if letter == "d":
            return (flags + "d") % int(_to_num(value))
        if letter in "fg":
            return (flags + letter) % _to_num(value)
        if letter == "q":
            text = json.dumps(_to_str(value), ensure_ascii=False)
        elif letter == "v" and not isinstance(value, (str, int, float, bool)):
            text = _jsonencode(value)
        else:
            text = _to_str(value)
        return (flags + "s") % text

    return re.sub(r"%%|%[-+ #0]*\d*(?:\.\d+)?[sdvqfgt]", one, spec)


def _flatten_list(value: Any) -> list:
    out = []
    for item in value:
        out.extend(_flatten_list(item) if isinstance(item, list) else [item])
    return out


def _coalesce(*args: Any) -> Any:
    for arg in args:
        if arg is not None and arg != "":
            return arg
    raise EvalError("coalesce: no non-null argument")


def _replace(text: str, search: str, replacement: str) -> str:
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        return re.sub(search[1:-1], re.sub(r"\$(\d+)", r"\\\1", replacement), text)
    return text.replace(search, replacement)


def _has(items: list, value: Any) -> bool:
    if not isinstance(items, list):
        raise EvalError("a set function takes sets")
    return any(_equal(value, item) for item in items)


def _one(items: list) -> Any:
    if len(items) > 1:
        raise EvalError("one: more than one element")
    return items[0] if items else None


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "jsonencode": _jsonencode,
    "jsondecode": lambda s: json.loads(s),
    "merge": _merge,
    "concat": lambda *lists: [x for lst in lists for x in lst],
    "lookup": _lookup_fn,
    "element": lambda lst, i: lst[int(_to_num(i)) % len(lst)],
    "length": lambda v: len(v),
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "contains": lambda lst, v: any(_equal(x, v) for x in lst),
    "tolist": lambda v: list(v),
    "toset": _to_set,
    "setintersection": lambda first, *others: _to_set([x for x in first if all(_has(o, x) for o in others)]),
    "setunion": lambda *sets: _to_set([x for s in sets for x in s]),
    "setsubtract": lambda a, b: _to_set([x for x in a if not _has(b, x)]),
    "tomap": lambda m: dict(m),
    "tostring": lambda v: None if v is None else _to_str(v),
    "tonumber": lambda v: None if v is None else _to_num(v),
    "tobool": lambda v: None if v is None else _to_bool(v),
    "lower": lambda s: s.lower(),
    "upper": lambda s: s.upper(),
    "title": lambda s: re.sub(r"\b\w", lambda m: m.group(0).upper(), s),
    "trimspace": lambda s: s.strip(),
    "trim": lambda s, chars: s.strip(chars),
    "trimprefix": lambda s, p: s[len(p) :] if s.startswith(p) else s,
    "trimsuffix": lambda s, p: s[: -len(p)] if p and s.endswith(p) else s,
    "replace": _replace,
    "format": _format,
    "join": lambda sep, *lists: sep.join(_to_str(x) for lst in lists for x in lst),
    "split": lambda sep, s: s.split(sep),
    "substr": lambda s, offset, length: s[offset:] if length == -1 else s[offset : offset + length],
    "startswith": lambda s, p: s.startswith(p),
    "endswith": lambda s, p: s.endswith(p),
    "strcontains": lambda s, p: p in s,
    "coalesce": _coalesce,
    "coalescelist": lambda *lists: next(lst for lst in lists if lst),
    "compact": lambda lst: [x for x in lst if x not in (None, "")],
    "distinct": lambda lst: [x for i, x in enumerate(lst) if not any(_equal(x, y) for y in lst[:i])],
    "flatten": _flatten_list,
    "reverse": lambda lst: list(reversed(lst)),
    "sort": lambda lst: sorted(_to_str(x) for x in lst),
    "slice": lambda lst, start, end: lst[int(start) : int(end)],
    "zipmap": lambda ks, vs: dict(zip(ks, vs, strict=False)),
    "one": _one,
    "range": lambda *a: list(range(*[int(_to_num(x)) for x in a])),
    "max": lambda *a: max(_to_num(x) for x in a),
    "min": lambda *a: min(_to_num(x) for x in a),
    "sum": lambda lst: sum(_to_num(x) for x in lst),
    "abs": lambda n: abs(_to_num(n)),
    "ceil": lambda n: math.ceil(_to_num(n)),
    "floor": lambda n: math.floor(_to_num(n)),
    "pow": lambda a, b: _to_num(a) ** _to_num(b),
    "base64encode": lambda s: base64.b64encode(s.encode()).decode(),
    "base64decode": lambda s: base64.b64decode(s).decode(),
    "sha256": lambda s: hashlib.sha256(s.encode()).hexdigest(),
    "md5": lambda s: hashlib.md5(s.encode()).hexdigest(),
    "nonsensitive": lambda v: v,
    "sensitive": lambda v: SENSITIVE,
}


def _replace_bound(text: Any, search: Any, replacement: Any) -> int:
    if not all(isinstance(a, str) for a in (text, search, replacement)):
        return 0
    regex = len(search) > 1 and search.startswith("/") and search.endswith("/")
    found = len(text) + 1 if regex or not search else text.count(search)
    return len(text) + found * len(replacement)


def _format_bound(spec: Any, *args: Any) -> int:
    """Each verb writes one argument, padded to its width: ``%99999999s`` asks for a huge string."""
    if not isinstance(spec, str):
        return 0
    widths = [int(w) for w in re.findall(r"%[-+ #0]*(\d+)", spec)]
    return len(spec) + sum(widths) + spec.count("%") * max((cells(a) for a in args), default=0)


def _range_bound(*args: Any) -> int:
    try:
        return len(range(*[int(_to_num(x)) for x in args]))
    except (TypeError, ValueError, OverflowError, EvalError):
        return 0


def _pow_bound(base: Any, exponent: Any) -> int:
    """``pow`` of integers computes every digit: past MAX_INT_BITS it is refused before it is computed."""
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0:
        return MAX_VALUE_CELLS + 1 if exponent * base.bit_length() > MAX_INT_BITS else 1
    return 0


def _join_bound(separator: Any, *lists: Any) -> int:
    items = cells(list(lists))
    return items + (len(separator) if isinstance(separator, str) else 0) * items


# What a function's result may reach, from its arguments, for those whose result can be far larger than them.
_GROWTH: dict[str, Callable[..., int]] = {
    "range": _range_bound,
    "replace": _replace_bound,
    "format": _format_bound,
    "join": _join_bound,
    "jsonencode": cells,  # a part used twice is written twice
    "pow": _pow_bound,
}
# Functions that look at unknown arguments themselves instead of being unknown as soon as one is.
_SEES_UNKNOWN = frozenset(
    {
        "length",
        "keys",
        "merge",
        "concat",
        "tolist",
        "tomap",
        "lookup",
        "element",
        "values",
        "flatten",
        "compact",
        "coalesce",
        "one",
        "slice",
        "reverse",
        "zipmap",
        "sensitive",
    }
)

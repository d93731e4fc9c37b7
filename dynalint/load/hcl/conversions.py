"""The values the evaluator computes, and Terraform's conversions between them.

A value is plain Python (str, int or float, bool, None, list, dict), a
sentinel (``UNKNOWN``, ``SENSITIVE``), or one of two views: ``Partial`` (a
resource instance as an expression sees it) and ``Outputs`` (a module
instance's outputs, evaluated on first use). An expression Terraform would
reject raises ``EvalError``: its value is unknown.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from dynalint.load.hcl.syntax import _argument_trees, _function_name, _literal_key, _trees, _unwrap
from dynalint.model import SENSITIVE, UNKNOWN, is_known

if TYPE_CHECKING:
    from dynalint.load.hcl.evaluator import Evaluator
    from dynalint.load.hcl.scopes import ModuleInstance


# ---------------------------------------------------------------------- values
class Partial(dict):
    """A resource instance as an expression sees it: attributes it does not configure are computed (unknown).

    ``partial_json`` holds the instance's documents known only in part (see ``Evaluator.partial_json``).
    """

    def __init__(self, values: Mapping[str, Any], partial_json: Mapping[str, Any] | None = None) -> None:
        super().__init__(values)
        self.partial_json = partial_json or {}


class Outputs:
    """A module instance's outputs, evaluated on first use."""

    def __init__(self, evaluator: Evaluator, instance: ModuleInstance) -> None:
        self.evaluator, self.instance = evaluator, instance

    def get(self, name: str) -> Any:
        return self.evaluator.output(self.instance, name)

    def materialize(self) -> dict:
        return {name: self.get(name) for name in sorted(self.instance.module.outputs)}


def plain(value: Any) -> Any:
    """A value as it goes into a Resource: whole resource objects unknown, whole numbers as int."""
    if isinstance(value, Partial):
        return UNKNOWN
    if isinstance(value, Outputs):
        return plain(value.materialize())
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _opaque(values: Iterable[Any]) -> Any:
    """UNKNOWN if any value is unknown, else SENSITIVE if any is sensitive, else None."""
    found = None
    for v in values:
        if v is UNKNOWN:
            return UNKNOWN
        if v is SENSITIVE:
            found = SENSITIVE
    return found


def _deep_opaque(value: Any) -> Any:
    stack, found = [value], None
    while stack:
        v = stack.pop()
        if v is UNKNOWN or isinstance(v, Partial):
            return UNKNOWN
        if v is SENSITIVE:
            found = SENSITIVE
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, Outputs):
            stack.append(v.materialize())
    return found


class EvalError(Exception):
    """An expression Terraform itself would reject (wrong type, missing key): its value is unknown."""


# ---------------------------------------------------------------------- conversions
def _count_number(value: Any) -> int | None:
    if isinstance(value, bool) or not is_known(value):
        return None
    try:
        number = _to_num(value)
    except (EvalError, ValueError, TypeError):
        return None
    return int(number) if float(number).is_integer() and number >= 0 else None


def _for_each_pairs(value: Any) -> list[tuple[Any, Any]] | None:
    """(each.key, each.value) of a known map or set of strings; None when the keys are not known."""
    if isinstance(value, Outputs):
        value = value.materialize()
    if isinstance(value, dict) and not isinstance(value, Partial):
        return sorted(value.items())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [(v, v) for v in sorted(set(value))]
    return None


def _iterate(value: Any) -> list[tuple[Any, Any]] | None:
    """(key, value) pairs to loop over: list index/element, map key/value; None when not known."""
    if isinstance(value, Outputs):
        value = value.materialize()
    if isinstance(value, Partial) or not is_known(value):
        return None
    if isinstance(value, dict):
        return sorted(value.items())
    if isinstance(value, list):
        return list(enumerate(value))
    return None


def _convert(value: Any, type_expr: Any, literal: Callable[[Any], Any]) -> Any:
    """A variable's value converted to its type constraint, as Terraform converts it.

    Primitives convert ("5" for a number, "true" for a bool); collections
    convert their elements; an object drops attributes its type does not name
    and fills each ``optional(type, default)`` attribute that is missing with
    its default (null without one). ``literal`` evaluates a default.
    """
    if value is None or not is_known(value) or type_expr is None:
        return value
    node = _unwrap(type_expr)
    kind = getattr(node, "data", None)
    try:
        if kind == "identifier":
            return _convert_primitive(value, str(node.children[0]))
        if kind == "function_call":
            return _convert_collection(value, node, literal)
    except (EvalError, ValueError, TypeError):
        return value
    return value


def _convert_primitive(value: Any, name: str) -> Any:
    if name == "number":
        return _to_num(value)
    if name == "bool":
        return _to_bool(value)
    if name == "string" and not isinstance(value, (dict, list)):
        return _to_str(value)
    return value


def _convert_collection(value: Any, node: Any, literal: Callable[[Any], Any]) -> Any:
    name = str(node.children[0].children[0])
    args = _argument_trees(node)
    if not args:
        return value
    if name in ("list", "set") and isinstance(value, list):
        items = [_convert(v, args[0], literal) for v in value]
        return _to_set(items) if name == "set" else items
    if name == "map" and isinstance(value, dict):
        return {k: _convert(v, args[0], literal) for k, v in value.items()}
    if name == "optional":
        return _convert(value, args[0], literal)
    if name == "object" and isinstance(value, dict):
        return _convert_object(value, _unwrap(args[0]), literal)
    if name == "tuple" and isinstance(value, list):
        types = _trees(_unwrap(args[0]))
        return [_convert(v, t, literal) for v, t in zip(value, types, strict=False)] + value[len(types) :]
    return value


def _convert_object(value: dict, spec: Any, literal: Callable[[Any], Any]) -> dict:
    if getattr(spec, "data", None) != "object":
        return value
    out = {}
    for elem in _trees(spec):
        key, attribute_type = _literal_key(elem.children[0]), elem.children[-1]
        if key is None:
            continue
        if key in value:
            out[key] = _convert(value[key], attribute_type, literal)
            continue
        optional = _unwrap(attribute_type)
        if getattr(optional, "data", None) == "function_call" and _function_name(optional) == "optional":
            arguments = _argument_trees(optional)
            default = literal(arguments[1]) if len(arguments) > 1 else None
            out[key] = _convert(default, arguments[0], literal)
    return out


def _is_false(expr: Any) -> bool:
    node = _unwrap(expr) if expr is not None else None
    return node is not None and getattr(node, "data", None) == "literal_value" and str(node.children[0]) == "false"


def _to_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    raise EvalError(f"cannot use {type(value).__name__} as a string")


def _to_num(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("a bool is not a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        text = value.strip()
        return int(text) if re.fullmatch(r"-?\d+", text) else float(text)
    raise EvalError(f"cannot use {type(value).__name__} as a number")


def _to_bool(value: Any) -> Any:
    if not is_known(value) or isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise EvalError("not a bool")


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def _binary_op(operator: str, a: Any, b: Any) -> Any:
    if operator == "==":
        return _equal(a, b)
    if operator == "!=":
        return not _equal(a, b)
    if operator in ("&&", "||"):
        return (_to_bool(a) and _to_bool(b)) if operator == "&&" else (_to_bool(a) or _to_bool(b))
    x, y = _decimal(_to_num(a)), _decimal(_to_num(b))
    operations: dict[str, Callable[[Any, Any], Any]] = {
        "+": lambda p, q: p + q,
        "-": lambda p, q: p - q,
        "*": lambda p, q: p * q,
        "/": lambda p, q: p / q,
        "%": lambda p, q: p % q,
        "<": lambda p, q: p < q,
        ">": lambda p, q: p > q,
        "<=": lambda p, q: p <= q,
        ">=": lambda p, q: p >= q,
    }
    result = operations[operator](x, y)
    if isinstance(result, decimal.Decimal):
        return int(result) if result == result.to_integral_value() else float(result)
    return result


def _decimal(number: int | float) -> decimal.Decimal:
    """Terraform's numbers are decimal (0.1 + 0.2 is 0.3); Decimal's % truncates like Go's, too."""
    return decimal.Decimal(repr(number)) if isinstance(number, float) else decimal.Decimal(number)


def _get_attr(value: Any, name: str) -> Any:
    if isinstance(value, Outputs):
        return value.get(name) if name in value.instance.module.outputs else UNKNOWN
    if isinstance(value, Partial):
        return value.get(name, UNKNOWN)
    if isinstance(value, dict):
        if name not in value:
            raise EvalError(f"no attribute {name!r}")
        return value[name]
    raise EvalError(f"cannot read .{name} of {type(value).__name__}")


def _get_index(value: Any, key: Any) -> Any:
    if isinstance(value, list):
        return value[int(_to_num(key))]
    if isinstance(value, dict):
        return _get_attr(value, _to_str(key))
    raise EvalError(f"cannot index {type(value).__name__}")


def _to_set(value: Any) -> list:
    unique: list[Any] = []
    for item in value:
        if not any(_equal(item, seen) for seen in unique):
            unique.append(item)
    if all(isinstance(v, str) for v in unique):
        return sorted(unique)
    return unique

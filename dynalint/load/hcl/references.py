"""What an expression refers to, read from its tree without evaluating it: references in the form a plan's
configuration writes them (``aws_kms_key.main.arn``), and whether an expression is a constant."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dynalint.load.hcl.syntax import _TRAVERSALS, _flatten, _for_names, _literal_index, _literal_key, _trees, _unwrap
from dynalint.load.hcl.templates import _string_parts

if TYPE_CHECKING:
    from dynalint.load.hcl.evaluator import Evaluator


def _reference_suffix(node: Any) -> str | None:
    """For ``x.y.arn`` "", for ``"${x.y.arn}/index/*"`` "/index/*"; None for any other expression."""
    node = _unwrap(node)
    kind = getattr(node, "data", None)
    if kind in _TRAVERSALS:
        return ""
    parts = _string_parts(node) if kind == "string" else None
    if not parts or parts[0][0] != "expr" or getattr(_unwrap(parts[0][1]), "data", None) not in _TRAVERSALS:
        return None
    if any(part[0] != "text" for part in parts[1:]):
        return None
    return "".join(part[1] for part in parts[1:])


def _collect_refs(node: Any, bound: frozenset, out: list[str], evaluator: Evaluator) -> None:
    """References in an expression, in Terraform's form: the traversal up to its first non-literal index."""
    kind = getattr(node, "data", None)
    if kind is None:
        return
    if kind in _TRAVERSALS:
        root, steps = _flatten(node)
        if getattr(root, "data", None) == "identifier":
            name = str(root.children[0])
            if name not in bound:
                text = _reference_text(name, steps)
                if text:
                    out.append(text)
        else:
            _collect_refs(root, bound, out, evaluator)
        _collect_step_refs(steps, bound, out, evaluator)
        return
    if kind == "object_elem":
        if _literal_key(node.children[0]) is None:
            _collect_refs(node.children[0], bound, out, evaluator)
        _collect_refs(node.children[-1], bound, out, evaluator)
        return
    if kind in ("for_tuple_expr", "for_object_expr"):
        intro = next(c for c in node.children if getattr(c, "data", None) == "for_intro")
        names = set(_for_names(intro))
        _collect_refs(_trees(intro)[-1], bound, out, evaluator)
        for child in _trees(node):
            if child.data != "for_intro":
                _collect_refs(child, bound | names, out, evaluator)
        return
    if kind in ("heredoc_template", "heredoc_template_trim"):
        for expr, expr_bound in _template_expressions(evaluator.heredoc_parts(node) or [], bound):
            _collect_refs(expr, expr_bound, out, evaluator)
        return
    for child in node.children:
        _collect_refs(child, bound, out, evaluator)


def _template_expressions(parts: list, bound: frozenset) -> Iterator[tuple[Any, frozenset]]:
    """Every expression of a template, with the names its ``%{ for }`` directives bind around it."""
    for part in parts:
        if part[0] == "expr":
            yield part[1], bound
        elif part[0] == "if":
            yield part[1], bound
            yield from _template_expressions(part[2] + part[3], bound)
        elif part[0] == "for":
            yield part[2], bound
            yield from _template_expressions(part[3], bound | frozenset(part[1]))


def _collect_step_refs(steps: list, bound: frozenset, out: list[str], evaluator: Evaluator) -> None:
    for step in steps:
        if step[0] == "index":
            _collect_refs(step[1], bound, out, evaluator)
        elif step[0] == "splat":
            _collect_step_refs(step[1], bound, out, evaluator)


def _reference_text(name: str, steps: list) -> str:
    text = name
    for step in steps:
        if step[0] == "attr":
            text += f".{step[1]}"
            continue
        literal = _literal_index(step[1]) if step[0] == "index" else None
        if literal is None:
            break
        text += f"[{json.dumps(literal)}]"
    return text if "." in text else ""


def _is_literal(node: Any) -> bool:
    """No reference, function call, for expression or template directive: Terraform writes it as a constant."""
    kind = getattr(node, "data", None)
    if kind is None:
        return True
    if kind in ("function_call", "for_tuple_expr", "for_object_expr", "identifier") + _TRAVERSALS:
        return False
    if kind in ("template_if_start", "template_for_start", "template_string"):
        return False
    if kind in ("heredoc_template", "heredoc_template_trim"):
        return "${" not in str(node.children[0]) and "%{" not in str(node.children[0])
    if kind == "object_elem":
        return (_literal_key(node.children[0]) is not None) and _is_literal(node.children[-1])
    return all(_is_literal(c) for c in node.children)

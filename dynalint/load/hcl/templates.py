"""Quoted strings and heredocs as templates: literal text, ``${...}`` interpolations and ``%{ if }`` /
``%{ for }`` directives, as the nested parts the evaluator renders (see ``_nest``)."""

from __future__ import annotations

import re
from typing import Any, cast

from dynalint.errors import InputError
from dynalint.load.hcl.syntax import _trees, _unescape, attribute_parts, body_items, parse_tf


def _string_parts(node: Any) -> list | None:
    """A quoted string as a template (see ``_template_tree``); None when its directives do not nest."""
    flat: list = []
    for part in node.children:
        if getattr(part, "data", None) != "string_part":
            continue
        content = part.children[0]
        kind = getattr(content, "type", None) or getattr(content, "data", None)
        if kind == "STRING_CHARS":
            flat.append(("text", _unescape(str(content))))
        elif kind in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
            flat.append(("text", str(content)[1:]))
        elif kind == "interpolation":
            flat.append(("expr", _trees(content)[0], False, False))
        else:
            flat.append(_directive_part(content))
    return _nest(_apply_strips(flat))


def _directive_part(node: Any) -> tuple:
    """A ``%{ ... }`` of a quoted string (python-hcl2 parses those) as a flat template part."""
    tokens = node.children
    strips = (getattr(tokens[1], "type", None) == "STRIP_MARKER", getattr(tokens[-2], "type", None) == "STRIP_MARKER")
    keyword = node.data.replace("template_", "").replace("_start", "")
    if keyword == "if":
        return ("if", _trees(node)[-1], *strips)
    if keyword == "for":
        trees = _trees(node)
        return ("for", ([str(t.children[0]) for t in trees[:-1]], trees[-1]), *strips)
    return (keyword, None, *strips)


def _apply_strips(flat: list) -> list:
    """A ``~`` strip marker removes the whitespace of the literal piece next to it."""
    flat = list(flat)
    for i, part in enumerate(flat):
        if part[0] == "text":
            continue
        if part[2] and i > 0 and flat[i - 1][0] == "text":
            flat[i - 1] = ("text", flat[i - 1][1].rstrip())
        if part[3] and i + 1 < len(flat) and flat[i + 1][0] == "text":
            flat[i + 1] = ("text", flat[i + 1][1].lstrip())
    return flat


def _nest(flat: list) -> list | None:
    """Flat template parts -> nested ones: ("text", s), ("expr", node), ("if", cond, then, else),
    ("for", names, collection, body); None when the directives do not nest."""
    root: list = []
    stack: list[tuple[str, list, list]] = []  # (kind, the part being built, where its body goes)
    current = root
    for part in flat:
        kind = part[0]
        if kind in ("text", "expr"):
            current.append(part[:2])
        elif kind in ("if", "for"):
            built = ["if", part[1], [], []] if kind == "if" else ["for", part[1][0], part[1][1], []]
            current.append(built)
            stack.append((kind, built, current))
            current = built[2] if kind == "if" else built[3]
        elif kind == "else" and stack and stack[-1][0] == "if" and current is stack[-1][1][2]:
            current = stack[-1][1][3]
        elif kind in ("endif", "endfor") and stack and stack[-1][0] == kind[3:]:
            current = stack.pop()[2]
        else:
            return None
    if stack:
        return None
    return _merge_text(_freeze(root))


def _freeze(parts: list) -> list:
    out = []
    for part in parts:
        if isinstance(part, list) and part[0] == "if":
            out.append(
                (
                    "if",
                    part[1],
                    _merge_text(_freeze(part[2]), keep_empty=True),
                    _merge_text(_freeze(part[3]), keep_empty=True),
                )
            )
        elif isinstance(part, list):
            out.append(("for", part[1], part[2], _merge_text(_freeze(part[3]), keep_empty=True)))
        else:
            out.append(part)
    return out


def _merge_text(parts: list, keep_empty: bool = False) -> list:
    merged: list = []
    for part in parts:
        if part[0] == "text" and merged and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + part[1])
        elif part != ("text", ""):
            merged.append(part)
    return merged if merged or keep_empty else [("text", "")]


_HEREDOC = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)\r?\n")


def _heredoc_body(token: str) -> str:
    """The text of a heredoc between its markers, final newline included (as Terraform reads it)."""
    # a HEREDOC_TEMPLATE(_TRIM) token: python-hcl2's grammar gives it this start
    start = cast(re.Match[str], _HEREDOC.match(token))
    marker = start.group(2)
    return re.sub(rf"[ \t]*{re.escape(marker)}\r?\n?\Z", "", token[start.end() :])


def _template_parts(text: str, trim: bool) -> list | None:
    """Heredoc text as a template: python-hcl2 gives a heredoc as one token, so its ``${...}`` and ``%{...}``
    are found here and their expressions parsed with the same grammar. None when the text is malformed.

    As in HCL, literal text is cut into one piece per line, a ``~`` strip
    marker trims only the piece next to it, and ``<<-`` then removes the
    smallest indentation of the lines (blank lines aside; a line whose first
    piece was trimmed to nothing, or that starts with ``${``, counts as 0).
    """
    flat: list = []
    buffer: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("$${", i) or text.startswith("%%{", i):
            buffer.append(text[i + 1 : i + 3])
            i += 3
        elif text.startswith("${", i) or text.startswith("%{", i):
            end = _closing_brace(text, i + 2)
            if end is None:
                return None
            part = _heredoc_part(text[i : i + 2], text[i + 2 : end])
            if part is None:
                return None
            flat.extend(_lines("".join(buffer)))
            buffer = []
            flat.append(part)
            i = end + 1
        else:
            buffer.append(text[i])
            i += 1
    flat.extend(_lines("".join(buffer)))
    flat = _apply_strips(flat)
    return _nest(_dedent(flat) if trim else flat)


def _lines(text: str) -> list[tuple]:
    """Literal text as HCL's heredoc tokens: one piece per line, each ending with its newline."""
    return [("text", line) for line in text.splitlines(keepends=True)] or [("text", "")]


def _dedent(flat: list) -> list:
    starts = [i for i in range(len(flat)) if i == 0 or (flat[i - 1][0] == "text" and flat[i - 1][1].endswith("\n"))]
    indents = []
    for i in starts:
        if flat[i][0] != "text":
            indents.append(0)
        elif flat[i][1].strip() or not flat[i][1].endswith("\n"):
            indents.append(len(flat[i][1]) - len(flat[i][1].lstrip(" ")))
    cut = min(indents, default=0)
    out = list(flat)
    for i in starts:
        if out[i][0] == "text":
            line = out[i][1]
            out[i] = ("text", line[min(cut, len(line) - len(line.lstrip(" "))) :])
    return out


_FOR_DIRECTIVE = re.compile(r"for\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\s+(.+)$", re.S)


def _heredoc_part(opener: str, content: str) -> tuple | None:
    strips = (content.startswith("~"), content.rstrip().endswith("~"))
    inner = content.strip().strip("~").strip()
    if opener == "${":
        expr = _parse_expression(inner)
        return None if expr is None else ("expr", expr, *strips)
    if inner in ("else", "endif", "endfor"):
        return (inner, None, *strips)
    if inner.startswith("if "):
        expr = _parse_expression(inner[3:])
        return None if expr is None else ("if", expr, *strips)
    match = _FOR_DIRECTIVE.match(inner)
    if match is None:
        return None
    expr = _parse_expression(match.group(3))
    if expr is None:
        return None
    return ("for", ([n for n in match.group(1, 2) if n], expr), *strips)


def _closing_brace(text: str, start: int) -> int | None:
    """The index of the ``}`` that closes an interpolation opened just before ``start``."""
    depth, i, quoted = 1, start, False
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\":
                i += 1
            elif char == '"':
                quoted = False
            elif text.startswith("${", i):
                end = _closing_brace(text, i + 2)
                if end is None:
                    return None
                i = end
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _parse_expression(text: str) -> Any:
    try:
        tree = parse_tf(f"x = {text}\n", "<template>")
    except InputError:
        return None
    attribute = next(body_items(tree.children[0]), None)
    return attribute_parts(attribute)[1] if attribute is not None else None

"""HCL text to python-hcl2's raw Lark tree, and how to read that tree.

The one module that uses python-hcl2's and lark's internals: python-hcl2's
parser (``hcl2.parses_to_tree``), its post-lexer and the text of its grammar
(``hcl2.lark``, for Unicode identifiers), ``hcl2.utils.process_escape_sequences``,
lark's trees and tokens. A new python-hcl2 release is checked here
(pyproject.toml declares the releases tested); everything else reads the tree
through the helpers below.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from dynalint.errors import InputError

# ---------------------------------------------------------------------- .tf files
# Parsing goes through python-hcl2's grammar (``hcl2.parses_to_tree``) and reads
# the raw Lark tree: its tokens carry line numbers, which python-hcl2's dict
# output drops (``with_meta`` is accepted but ignored in 8.x), and skipping the
# rule-object transform halves the parse time.

#: Lark token names as a person reads them, for syntax error messages.
_TOKEN_WORDS = {
    "$END": "end of file",
    "RBRACE": "'}'",
    "LBRACE": "'{'",
    "RSQB": "']'",
    "LSQB": "'['",
    "RPAR": "')'",
    "LPAR": "'('",
    "EQ": "'='",
    "COLON": "':'",
    "COMMA": "','",
    "DBLQUOTE": "'\"'",
    "NAME": "a name",
    "QMARK": "'?'",
    "DOT": "'.'",
    "NL_OR_COMMENT": "a new line",
    "INTERP_START": "'${'",
}
_EXPRESSION_START = {"DBLQUOTE", "INT_LITERAL", "FLOAT_LITERAL", "LBRACE", "LSQB", "LPAR", "HEREDOC_TEMPLATE"}
_OPERATORS = {"PLUS", "MINUS", "ASTERISK", "SLASH", "PERCENT", "DOUBLE_EQ", "NEQ", "DOUBLE_AMP", "DOUBLE_PIPE", "QMARK"}


#: Parse trees deeper than this (about 130 levels of nested brackets and blocks) are refused: the
#: steps after parsing walk the tree recursively.
MAX_TREE_DEPTH = 400


#: Parse trees by text, kept while ``shared_parses`` is active: ``dynalint --fix`` and SARIF's fixes read the
#: .tf files again after the loader, and must not parse them twice (no step mutates a tree).
_PARSED: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("dynalint_parsed", default=None)


@contextlib.contextmanager
def shared_parses() -> Iterator[None]:
    """Within this block, parsing a text that was parsed before returns the same tree."""
    token = _PARSED.set({})
    try:
        yield
    finally:
        _PARSED.reset(token)


def parse_tf(text: str, shown: str) -> Any:
    """The raw Lark tree of HCL text, or an InputError with file:line:column and the parser's message."""
    parsed = _PARSED.get()
    if parsed is None:
        return _parse_tf(text, shown)
    tree = parsed.get(text)
    if tree is None:
        tree = parsed[text] = _parse_tf(text, shown)
    return tree


def _parse_tf(text: str, shown: str) -> Any:
    import hcl2
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        try:
            tree = hcl2.parses_to_tree(text)
        except UnexpectedInput:
            parser = None if text.isascii() else _unicode_parser()
            if parser is None:
                raise
            tree = parser.parse(text + "\n")  # the newline python-hcl2 appends too
    except UnexpectedInput as exc:
        raise InputError(f"{shown}:{exc.line}:{exc.column}: HCL syntax error: {_syntax_message(exc)}") from None
    except (LarkError, RuntimeError, RecursionError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"{shown}: HCL syntax error: {first}") from None
    _refuse_deep_nesting(tree, shown)
    return tree


@cache
def _unicode_parser() -> Any | None:
    """python-hcl2's parser with HCL's own identifiers: any Unicode letter, then letters, digits, ``_``, ``-``.

    python-hcl2 8.x takes only ASCII names (``aws_kms_key.clé.arn`` is a syntax error to it, not to Terraform).
    Built only when a non-ASCII file fails the stock parser; Lark caches the tables in the temp directory.
    """
    import hcl2
    from hcl2.postlexer import PostLexer
    from lark import Lark

    folder = Path(hcl2.__file__).parent
    grammar = (folder / "hcl2.lark").read_text(encoding="utf-8")
    ascii_name = "NAME : /[a-zA-Z_][a-zA-Z0-9_-]*/"
    if ascii_name not in grammar:  # a python-hcl2 whose grammar changed: its own error stands
        return None
    return Lark(
        grammar.replace(ascii_name, r"NAME : /[^\W\d][\w-]*/"),
        parser="lalr",
        cache=True,
        propagate_positions=True,
        postlex=PostLexer(),
        import_paths=[str(folder)],
    )


def _refuse_deep_nesting(tree: Any, shown: str) -> None:
    """An InputError naming the line where the parse tree grows deeper than MAX_TREE_DEPTH (walked iteratively)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            line = getattr(node, "line", None) or getattr(getattr(node, "meta", None), "line", None)
            where = f"{shown}:{line}" if line else shown
            raise InputError(f"{where}: expressions nested too deeply for dynalint to read")
        stack.extend((child, depth + 1) for child in getattr(node, "children", ()))


def _syntax_message(exc: Any) -> str:
    token = getattr(exc, "token", None)
    if token is not None:
        got = _TOKEN_WORDS.get(token.type) if token.type == "$END" else None
        if got is None:
            text = str(token.value).strip()
            got = repr(text.split()[0][:20]) if text else _TOKEN_WORDS.get(token.type, token.type)
        found = f"unexpected {got}"
    elif getattr(exc, "char", None) is not None:
        found = f"unexpected character {exc.char!r}"
    else:
        found = "unexpected end of file"
    expected = set(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ())
    if {"STRING_CHARS", "DBLQUOTE"} <= expected:
        return f"{found}; a quoted string is not closed"
    if expected & _OPERATORS and "NL_OR_COMMENT" in expected:
        return f"{found}; expected an operator or the end of the line"
    if len(expected & _EXPRESSION_START) >= 3:
        return f"{found}; expected an expression"
    words = sorted(_TOKEN_WORDS.get(e, e) for e in expected)
    return f"{found}; expected {', '.join(words[:5])}{' ...' if len(words) > 5 else ''}" if words else found


def block_parts(block: Any) -> tuple[str, tuple[str, ...], Any]:
    """A Lark ``block`` tree -> (type, labels, body tree)."""
    names, body = [], None
    for child in block.children:
        data = getattr(child, "data", None)
        if data == "body":
            body = child
        elif data in ("identifier", "keyword", "literal_value", "string"):
            names.append(label_text(child))
    return names[0], tuple(names[1:]), body


def label_text(node: Any) -> str:
    """A block label or attribute name: an identifier's name, or a quoted label's text."""
    if node.data == "string":
        return "".join(str(part.children[0]) for part in node.children if getattr(part, "data", None) == "string_part")
    return str(node.children[0])


def _comments(tree: Any) -> list[tuple[int, str]]:
    """Every comment line of a file with its line number: ``# x`` / ``// x`` / each line of ``/* */``."""
    out = []
    for token in tree.scan_values(lambda v: getattr(v, "type", None) == "NL_OR_COMMENT"):
        text = str(token.value)
        if text.startswith("/*"):
            for offset, line in enumerate(text[2:].removesuffix("*/").split("\n")):
                out.append((token.line + offset, line.strip().lstrip("*").strip()))
        elif text.startswith("#") or text.startswith("//"):
            out.append((token.line, text.lstrip("#/").strip()))
    out.sort()
    return out


def body_items(body: Any) -> Iterator[Any]:
    """The attributes and blocks of a Lark ``body``, in source order."""
    for child in body.children if body is not None else ():
        if getattr(child, "data", None) in ("attribute", "block"):
            yield child


def new_body(items: list[Any], like: Any) -> Any:
    """A ``body`` tree holding ``items``, placed where ``like`` (a body) is: an override file's merge."""
    from lark import Tree

    return Tree("body", items, meta=like.meta)


def tokens(tree: Any) -> Iterator[Any]:
    """Every token of a tree (lark ``Token``: ``type``, ``value``, ``line``, ``start_pos``...), in tree order."""
    from lark import Token

    return tree.scan_values(lambda v: isinstance(v, Token))


def attribute_parts(attribute: Any) -> tuple[str, Any]:
    """A Lark ``attribute`` tree -> (name, expression tree)."""
    return label_text(attribute.children[0]), attribute.children[-1]


def literal_string(expr: Any) -> str | None:
    """The text of a plain quoted string expression (no interpolation), else None."""
    while getattr(expr, "data", None) == "expr_term" and len(expr.children) == 1:
        expr = expr.children[0]
    if getattr(expr, "data", None) != "string":
        return None
    parts = [p.children[0] for p in expr.children if getattr(p, "data", None) == "string_part"]
    if any(getattr(p, "type", None) != "STRING_CHARS" for p in parts):
        return None
    return "".join(str(p) for p in parts)


# ---------------------------------------------------------------------- what is not an argument
META_ARGUMENTS = frozenset({"count", "for_each", "provider", "depends_on"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
MODULE_ARGUMENTS = frozenset({"source", "version", "providers", "count", "for_each", "depends_on"})
SINGLE_BLOCKS = frozenset({"timeouts"})  # nesting "single" in the aws provider schema: an object, not a list


# ---------------------------------------------------------------------- tree helpers
def _function_name(call: Any) -> str:
    """A function call's name: ``jsonencode``, or ``provider::aws::arn_parse``."""
    return "::".join(str(c.children[0]) for c in call.children if getattr(c, "data", None) == "identifier")


def _arguments(call: Any) -> Any:
    """A function call's ``arguments`` tree (with its ELLIPSIS token, if any); None for no arguments."""
    return next((c for c in call.children if getattr(c, "data", None) == "arguments"), None)


def _argument_trees(call: Any) -> list:
    arguments = _arguments(call)
    return _trees(arguments) if arguments is not None else []


def _trees(node: Any) -> list:
    """The sub-trees of a node that carry meaning (tokens and comments left out)."""
    return [c for c in node.children if hasattr(c, "data") and c.data != "new_line_or_comment"]


def _inner(node: Any) -> Any:
    """The expression inside an ``expr_term`` (parentheses or not)."""
    return _trees(node)[0]


def _unwrap(node: Any) -> Any:
    while getattr(node, "data", None) == "expr_term" and len(_trees(node)) == 1 and len(node.children) == 1:
        node = node.children[0]
    return node


def _attributes(body: Any) -> list[tuple[str, Any]]:
    return [attribute_parts(i) for i in body_items(body) if i.data == "attribute"]


def _blocks(body: Any) -> list:
    return [i for i in body_items(body) if i.data == "block"]


def _has_meta(body: Any) -> bool:
    return any(name in ("count", "for_each") for name, _ in _attributes(body))


def _is_count(body: Any) -> bool:
    return any(name == "count" for name, _ in _attributes(body))


def _identifier_name(expr: Any) -> str | None:
    node = _unwrap(expr) if expr is not None else None
    return str(node.children[0]) if node is not None and getattr(node, "data", None) == "identifier" else None


def _identifier_or_string(expr: Any) -> str | None:
    return _identifier_name(expr) or (literal_string(expr) if expr is not None else None)


def _for_names(intro: Any) -> list[str]:
    """The names a ``for`` binds (``k, v``); the last sub-tree of the intro is the collection."""
    return [str(c.children[0]) for c in _trees(intro)[:-1] if c.data == "identifier"]


def _flatten(node: Any) -> tuple[Any, list]:
    """A traversal ``a.b["c"][*].d`` -> (root node, [("attr","b"), ("index", node), ("splat", [...])])."""
    steps: list = []
    node = _unwrap(node)
    while True:
        kind = getattr(node, "data", None)
        if kind == "get_attr_expr_term":
            steps.insert(0, ("attr", _get_attr_name(node.children[1])))
        elif kind == "index_expr_term":
            steps.insert(0, _index_step(node.children[1]))
        elif kind in ("attr_splat_expr_term", "full_splat_expr_term"):
            splat = node.children[1]
            inner = [_get_attr_step(c) for c in splat.children if hasattr(c, "data")]
            steps = [("splat", inner + steps)]
        else:
            return node, steps
        node = _unwrap(node.children[0])


def _get_attr_name(get_attr: Any) -> str:
    return str([c for c in get_attr.children if hasattr(c, "data")][0].children[0])


def _get_attr_step(node: Any) -> tuple:
    return ("attr", _get_attr_name(node)) if node.data == "get_attr" else _index_step(node)


def _index_step(node: Any) -> tuple:
    if node.data == "short_index":
        return ("index", _IntNode(str(node.children[-1])))
    return ("index", _trees(node)[0])


class _IntNode:
    """A ``.0`` short index, shaped like an ``int_lit`` tree."""

    data = "int_lit"

    def __init__(self, text: str) -> None:
        self.children = [text]


def _literal_key(key_node: Any) -> str | None:
    """An object key written as a bare name or a plain string is literal text; None for an expression key."""
    inner = key_node.children[0]
    if getattr(inner, "data", None) == "keyword":
        return str(inner.children[0])
    node = _unwrap(inner)
    if getattr(node, "data", None) == "identifier" and not (
        getattr(inner, "data", None) == "expr_term" and len(inner.children) > 1
    ):
        return str(node.children[0])
    text = literal_string(node)
    if text is not None:
        return _unescape(text)
    if getattr(node, "data", None) in ("int_lit", "float_lit"):
        return str(node.children[0])
    return None


def _unescape(text: str) -> str:
    from hcl2.utils import process_escape_sequences

    return process_escape_sequences(text)


# ---------------------------------------------------------------------- traversals and literals
_TRAVERSALS = ("get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term")


def _literal_index(node: Any) -> Any:
    node = _unwrap(node)
    kind = getattr(node, "data", None)
    if kind == "int_lit":
        return int(str(node.children[0]))
    text = literal_string(node) if kind == "string" else None
    return _unescape(text) if text is not None else None

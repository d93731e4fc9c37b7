"""One ``.tf`` file as the fixer reads it: its exact text, its parse tree with positions, its lines.

The text is what the file holds (decoded from UTF-8, a byte-order mark set
aside); every offset a fix computes indexes it. Blocks, arguments and values
are found in the raw Lark tree of python-hcl2 (see dynalint.load.hcl.syntax),
whose tokens carry their offsets: nothing is regenerated from the tree.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from dynalint.errors import InputError
from dynalint.fix import layout
from dynalint.load.hcl.syntax import block_parts, body_items, label_text, literal_string, parse_tf, tokens

_NOT_LITERAL = object()


class FileRefused(InputError):
    """A file the fixer must not edit: fixing stops, with this one line, and nothing is written."""


@dataclass
class SourceFile:
    """The text of a .tf file, parsed; ``shown`` is the path as locations print it."""

    shown: str
    text: str
    tree: Any = field(repr=False)

    @classmethod
    def parse(cls, shown: str, text: str) -> SourceFile:
        return cls(shown, text, parse_tf(text, shown))

    @cached_property
    def _regions(self) -> tuple[list[int], list[tuple[int, int, Any]]]:
        """The top-level blocks as regions of whole lines (start, end, tree), and their starts, in order.

        No fmt chain crosses a top-level block's first or last line, so each
        region is laid out on its own: a fix reads the lines of the blocks it
        edits only.
        """
        regions = []
        for child in self.tree.children[0].children:
            if getattr(child, "data", None) == "block":
                start, end = child.meta.start_pos, min(child.meta.end_pos, len(self.text))
                line_start = self.text.rfind("\n", 0, start) + 1
                line_end = self.text.find("\n", end)
                regions.append((line_start, len(self.text) if line_end == -1 else line_end, child))
        return [r[0] for r in regions], regions

    def _region_lines(self, index: int) -> list[layout.Line]:
        cache = self.__dict__.setdefault("_lines_cache", {})
        if index not in cache:
            start, end, block = self._regions[1][index]
            found = list(tokens(block))
            starts, between = self._between_blocks
            found += between[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
            found = sorted((t for t in found if t.start_pos < len(self.text)), key=lambda t: t.start_pos)
            cache[index] = layout.build_lines(self.text, found, start, end)
        return cache[index]

    @cached_property
    def _between_blocks(self) -> tuple[list[int], list[Any]]:
        """The tokens of the file's body between its items (new lines, comments), by start: a block's region
        takes those on its lines (a comment after the block on its last line). Sorted once per file: each
        region scanned them all, at the square of the blocks."""
        found = sorted(
            (
                t
                for child in self.tree.children[0].children
                if getattr(child, "data", None) == "new_line_or_comment"
                for t in child.children
            ),
            key=lambda t: t.start_pos,
        )
        return [t.start_pos for t in found], found

    @cached_property
    def _all_lines(self) -> list[layout.Line]:
        found = [t for t in tokens(self.tree) if t.start_pos < len(self.text)]
        return layout.build_lines(self.text, sorted(found, key=lambda t: t.start_pos))

    def lines_around(self, offset: int) -> list[layout.Line]:
        """The fmt lines of the top-level block holding ``offset`` (of the whole file outside blocks)."""
        starts, regions = self._regions
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and offset <= regions[index][1]:
            return self._region_lines(index)
        return self._all_lines

    @cached_property
    def newline(self) -> str:
        """The file's line break: CRLF or LF. A file that mixes them is refused (which would a new line use?)."""
        crlf = self.text.count("\r\n")
        lf = self.text.count("\n") - crlf
        if crlf and lf:
            raise FileRefused(
                f"{self.shown}: mixes CRLF and LF line endings; dynalint --fix does not edit it "
                "(make the line endings consistent first)"
            )
        return "\r\n" if crlf else "\n"

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        position = self.text.find("\n")
        while position != -1:
            starts.append(position + 1)
            position = self.text.find("\n", position + 1)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of an offset."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_at(self, offset: int) -> layout.Line:
        """The fmt line holding ``offset``."""
        lines = self.lines_around(offset)
        return lines[bisect.bisect_right(lines, offset, key=_start) - 1]

    def next_line_start(self, offset: int) -> int | None:
        """Where the fmt line after the one holding ``offset`` starts (None after the last)."""
        line = self.line_at(offset)
        return line.end + 1 if line.end < len(self.text) else None

    def indent_of(self, offset: int) -> str:
        line = self.line_at(offset)
        text = self.text[line.start : line.end]
        return text[: len(text) - len(text.lstrip(" \t"))]

    def only_thing_on_its_lines(self, start: int, end: int) -> bool:
        """Whether ``start:end`` begins its line (after indentation) and only a line break follows it."""
        first, last = self.line_at(start), self.line_at(max(start, end - 1))
        before = self.text[first.start : start]
        after = self.text[end : last.end]
        return before.strip(" \t") == "" and after.strip(" \t\r") == ""

    def comments_within(self, start: int, end: int) -> bool:
        return any(
            layout.is_comment(t) and start <= t.start_pos < end
            for line in self.lines_around(start)
            for t in line.tokens
        )

    # ------------------------------------------------------------------ blocks
    def top_blocks(self) -> Iterator[tuple[str, tuple[str, ...], Any]]:
        for child in self.tree.children[0].children:
            if getattr(child, "data", None) == "block":
                kind, labels, _ = block_parts(child)
                yield kind, labels, child

    @cached_property
    def _blocks(self) -> dict[tuple[str, tuple[str, ...]], list[Any]]:
        index: dict[tuple[str, tuple[str, ...]], list[Any]] = {}
        for kind, labels, block in self.top_blocks():
            index.setdefault((kind, labels), []).append(block)
        return index

    def first_adjacent(self, kind: str, then: str) -> tuple[Any, Any] | None:
        """The first two items next to each other in a body, the first a ``kind`` ("attribute", "block"), the
        second a ``then``: the file's body first, then each block's, in the parse tree's order. Looked for once
        per file and pair of kinds (a fix asks for each block it adds: walking the tree each time cost the
        square of the file's blocks)."""
        found = self._adjacent
        if (kind, then) not in found:
            found[(kind, then)] = next(
                (
                    (previous, following)
                    for written in (items(body) for body in self.tree.find_data("body"))
                    for previous, following in zip(written, written[1:], strict=False)
                    if previous.data == kind and following.data == then
                ),
                None,
            )
        return found[(kind, then)]

    @cached_property
    def _adjacent(self) -> dict[tuple[str, str], tuple[Any, Any] | None]:
        return {}

    def find_block(self, kind: str, labels: tuple[str, ...], line: int | None = None) -> Any | None:
        for block in self._blocks.get((kind, labels), ()):
            if line is None or block.meta.line == line:
                return block
        return None


# ---------------------------------------------------------------------- trees
def body_of(block: Any) -> Any:
    return next(c for c in block.children if getattr(c, "data", None) == "body")


def braces(block: Any) -> tuple[Any, Any]:
    tokens = [c for c in block.children if getattr(c, "type", None) in ("LBRACE", "RBRACE")]
    return tokens[0], tokens[-1]


def items(body: Any) -> list[Any]:
    return list(body_items(body))


def attribute(body: Any, name: str) -> Any | None:
    for item in body_items(body):
        if item.data == "attribute" and label_text(item.children[0]) == name:
            return item
    return None


def block_type(block: Any) -> str:
    return block_parts(block)[0]


def dynamic_type(block: Any) -> str | None:
    kind, labels, _ = block_parts(block)
    return labels[0] if kind == "dynamic" and labels else None


def expression(attribute_tree: Any) -> Any:
    return attribute_tree.children[-1]


def span(node: Any) -> tuple[int, int]:
    if hasattr(node, "start_pos"):
        return node.start_pos, node.end_pos
    return node.meta.start_pos, node.meta.end_pos


def literal(expr: Any) -> Any:
    """The value of a literal expression (bool, number, plain string, null as None, a tuple of them),
    else ``NOT_LITERAL``: references, calls, templates with interpolation, heredocs are not literals."""
    node = _unwrap(expr)
    data = getattr(node, "data", None)
    if data == "literal_value":
        word = str(node.children[0])
        return {"true": True, "false": False, "null": None}[word]
    if data in ("int_lit", "float_lit"):
        text = str(node.children[0])
        try:
            return int(text) if data == "int_lit" else float(text)
        except ValueError:
            return _NOT_LITERAL
    if data == "string":
        string = literal_string(node)
        if string is None or "\\" in string:
            return _NOT_LITERAL if string is None else _unescaped(string)
        return string
    if data == "unary_op" and str(node.children[0]) == "-":
        inner = literal(node.children[1])
        return -inner if isinstance(inner, (int, float)) and not isinstance(inner, bool) else _NOT_LITERAL
    if data == "tuple":
        values = tuple(literal(e) for e in tuple_elements(node))
        return _NOT_LITERAL if any(v is _NOT_LITERAL for v in values) else values
    return _NOT_LITERAL


def _unescaped(text: str) -> Any:
    import json

    try:
        return json.loads('"' + text + '"')
    except ValueError:
        return _NOT_LITERAL


def is_literal(value: Any) -> bool:
    return value is not _NOT_LITERAL


def _unwrap(expr: Any) -> Any:
    while getattr(expr, "data", None) == "expr_term" and len(expr.children) == 1:
        expr = expr.children[0]
    return expr


def tuple_elements(node: Any) -> list[Any]:
    """The element expressions of a ``tuple`` tree."""
    return [c for c in node.children if getattr(c, "data", None) not in (None, "new_line_or_comment")]


def as_tuple(expr: Any) -> Any | None:
    node = _unwrap(expr)
    return node if getattr(node, "data", None) == "tuple" else None


def reference_text(expr: Any) -> str | None:
    """``var.pitr`` / ``read_capacity`` / ``aws_t.n.arn`` as written, when the expression is a bare reference."""
    node = _unwrap(expr)
    names = []
    while getattr(node, "data", None) == "get_attr_expr_term":
        get_attr = node.children[1]
        names.append(str(get_attr.children[-1].children[0]))
        node = _unwrap(node.children[0])
    if getattr(node, "data", None) != "identifier":
        return None
    names.append(str(node.children[0]))
    return ".".join(reversed(names))


def variable_name(expr: Any) -> str | None:
    """``NAME`` when the expression is exactly ``var.NAME``."""
    text = reference_text(expr)
    if text and text.startswith("var.") and text.count(".") == 1:
        return text[4:]
    return None


def _start(line: layout.Line) -> int:
    return line.start

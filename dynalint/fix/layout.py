"""Lines as ``terraform fmt`` sees them, and the alignment it gives them; edits composed to keep it.

``terraform fmt`` (hclwrite's format.go) splits a file into lines and each line
into up to three cells: the lead (up to an ``=``), the assignment (from the
``=``, when the rest of the line opens no bracket it does not close) and a
trailing comment. Consecutive lines with an assignment form a chain whose
``=`` are aligned one column after the longest lead; consecutive lines with a
trailing comment align their comments the same way. A blank line, a
comment-only line, a block's ``{`` or ``}`` line ends a chain. A heredoc is
one line: its text holds no line break of the token stream.

``compose`` turns primitive operations (insert lines, replace a span within a
line, delete lines) into text edits, and adds the spacing edits that keep every
chain the operations touch aligned as fmt would align it. A line whose spacing
was not what fmt gives it (the input was not fmt-clean there) keeps its spacing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

OPENING = frozenset({"LBRACE", "LSQB", "LPAR", "INTERP_START", "DIRECTIVE_START"})
CLOSING = frozenset({"RBRACE", "RSQB", "RPAR"})
#: Tokens whose text may hold a line break that is not a line break of the token stream.
_OPAQUE = frozenset({"HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM", "STRING_CHARS", "TEMPLATE_STRING"})


@dataclass(frozen=True)
class Line:
    """One line as fmt sees it. Offsets index the file's text; widths are columns (grapheme clusters)."""

    start: int  # the line's first character
    end: int  # its line break (or the end of the text)
    lead_w: int  # columns before the spaces that precede ``=`` (or the comment, without ``=``)
    eq: int | None = None  # the ``=`` of the assignment cell
    eq_gap: int = 0  # where the spaces before ``=`` start
    tail_w: int = 0  # columns from ``=`` to the end of the assignment
    comment: int | None = None  # a trailing comment
    comment_gap: int = 0  # where the spaces before the comment start
    plain: bool = True  # indentation and gaps are spaces only (else never realigned)
    tokens: tuple[Any, ...] = field(default=(), repr=False)

    @property
    def eq_pad(self) -> int:
        return self.eq - self.eq_gap if self.eq is not None else 0

    @property
    def comment_pad(self) -> int:
        return self.comment - self.comment_gap if self.comment is not None else 0


def width(text: str) -> int:
    """Columns as hclwrite counts them (grapheme clusters), closely enough: combining marks and joiners add none."""
    if text.isascii():
        return len(text)
    return sum(1 for c in text if not (unicodedata.combining(c) or c in "\u200d\ufe0e\ufe0f"))


def is_comment(token: Any) -> bool:
    return token.type == "NL_OR_COMMENT" and str(token)[:1] in ("#", "/")


def build_lines(text: str, tokens: Sequence[Any], start: int = 0, end: int | None = None) -> list[Line]:
    """The lines of ``text[start:end]`` (whole lines), from its tokens (sorted by position, whitespace excluded
    as Lark leaves it)."""
    end = len(text) if end is None else end
    opaque = []
    for t in tokens:
        if t.type in _OPAQUE:  # a heredoc's last character is its line's break
            opaque.append((t.start_pos, t.end_pos - 1 if t.type.startswith("HEREDOC") else t.end_pos))
        elif t.type == "NL_OR_COMMENT" and str(t).startswith("/*"):
            opaque.append((t.start_pos, t.end_pos))
    breaks = []
    span = 0
    position = text.find("\n", start, end)
    while position != -1:
        while span < len(opaque) and opaque[span][1] <= position:
            span += 1
        if not (span < len(opaque) and opaque[span][0] <= position < opaque[span][1]):
            breaks.append(position)
        position = text.find("\n", position + 1, end)
    starts = [start] + [b + 1 for b in breaks]
    ends = breaks + [end]
    lines = []
    index = 0
    for line_start, line_end in zip(starts, ends, strict=False):
        while index < len(tokens) and tokens[index].start_pos < line_start:
            index += 1
        mine = []
        while index < len(tokens) and tokens[index].start_pos < line_end:
            mine.append(tokens[index])
            index += 1
        lines.append(_line(text, line_start, line_end, mine))
    return lines


def _line(text: str, start: int, end: int, tokens: list) -> Line:
    lead = [t for t in tokens if not (t.type == "NL_OR_COMMENT" and not is_comment(t))]
    comment = None
    if len(lead) > 1 and is_comment(lead[-1]):
        comment = lead.pop()
    eq_index = None
    for i, t in enumerate(lead):
        if i > 0 and t.type == "EQ":
            if sum(1 if x.type in OPENING else -1 if x.type in CLOSING else 0 for x in lead[i:]) == 0:
                eq_index = i
            break
    content_end = max((t.end_pos for t in lead), default=start)
    content_end = min(content_end, end) if not (lead and lead[-1].type.startswith("HEREDOC")) else content_end
    indent = text[start : lead[0].start_pos] if lead else ""
    plain = "\t" not in indent
    # Line's defaults (no ``=``, no comment) unless the line has them
    eq: int | None = None
    eq_gap = tail_w = comment_gap = 0
    comment_at: int | None = None
    if eq_index is not None:
        gap = lead[eq_index - 1].end_pos
        eq = lead[eq_index].end_pos - 1
        plain = plain and text[gap:eq].strip(" ") == ""
        lead_w, eq_gap, tail_w = width(text[start:gap]), gap, width(text[eq:content_end])
    else:
        lead_w = width(text[start:content_end])
    if comment is not None:
        plain = plain and text[content_end : comment.start_pos].strip(" ") == ""
        comment_at, comment_gap = comment.start_pos, content_end
    return Line(
        start=start,
        end=end,
        lead_w=lead_w,
        eq=eq,
        eq_gap=eq_gap,
        tail_w=tail_w,
        comment=comment_at,
        comment_gap=comment_gap,
        plain=plain,
        tokens=tuple(tokens),
    )


# ---------------------------------------------------------------------- alignment
@dataclass(frozen=True)
class Cells:
    """What alignment needs of a line: its lead width, whether it assigns, and its trailing comment."""

    lead_w: int
    assigns: bool
    tail_w: int = 0
    commented: bool = False


def eq_pads(cells: Sequence[Cells]) -> list[int]:
    """The spaces fmt puts before each line's ``=`` (0 for lines without one)."""
    out = [0] * len(cells)
    for chain in _chains([c.assigns for c in cells]):
        longest = max(cells[i].lead_w for i in chain)
        for i in chain:
            out[i] = longest - cells[i].lead_w + 1
    return out


def comment_pads(cells: Sequence[Cells], pads: Sequence[int]) -> list[int]:
    """The spaces fmt puts before each line's trailing comment, given the ``=`` padding ``pads``."""
    out = [0] * len(cells)
    widths = [c.lead_w + (pads[i] + c.tail_w if c.assigns else 0) for i, c in enumerate(cells)]
    for chain in _chains([c.commented for c in cells]):
        longest = max(widths[i] for i in chain)
        for i in chain:
            out[i] = longest - widths[i] + 1
    return out


def _chains(flags: Sequence[bool]) -> Iterable[list[int]]:
    chain: list[int] = []
    for i, flag in enumerate(flags):
        if flag:
            chain.append(i)
        elif chain:
            yield chain
            chain = []
    if chain:
        yield chain


# ---------------------------------------------------------------------- operations and their edits
@dataclass(frozen=True)
class NewLine:
    """A line to insert: an argument (``name = value``, aligned with its chain) or other text, after ``indent``."""

    indent: str
    name: str | None = None
    value: str = ""
    text: str = ""

    def render(self, pad: int) -> str:
        if self.name is None:
            return (self.indent + self.text) if self.text else ""
        return f"{self.indent}{self.name}{' ' * pad}= {self.value}"

    def cells(self) -> Cells:
        if self.name is None:
            return Cells(width(self.indent + self.text) if self.text else 0, False)
        return Cells(width(self.indent + self.name), True, width("= " + self.value))


@dataclass(frozen=True)
class Insert:
    """Insert whole lines at ``at``, the start of a line."""

    at: int
    lines: tuple[NewLine, ...]


@dataclass(frozen=True)
class Replace:
    """Replace ``start:end`` within one line by text without a line break."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Delete:
    """Delete whole lines: ``start`` and ``end`` are line starts (or the end of the text)."""

    start: int
    end: int


Op = Any  # Insert | Replace | Delete


class LayoutError(ValueError):
    """Operations that do not fall on line boundaries as the layout expects (a resolver bug, or odd input)."""


def compose(text: str, lines: Sequence[Line], ops: Sequence[Op], newline: str = "\n") -> list[tuple[int, int, str]]:
    """The text edits ``(start, end, replacement)`` for ``ops``, with the realignment fmt would make.

    Only the lines around the operations are laid out again: a chain ends at a
    line with neither an assignment nor a trailing comment, so the window from
    such a line before the first operation to such a line after the last holds
    every chain they can touch.
    """
    low, high = _window(lines, ops)
    window = lines[low:high]
    return _compose(text, window, ops, newline, {line.start: i for i, line in enumerate(window)})


def _window(lines: Sequence[Line], ops: Sequence[Op]) -> tuple[int, int]:
    touched = []
    for op in ops:
        if isinstance(op, Insert):
            touched.append(_line_index(lines, op.at))
        else:
            touched.append(_line_index(lines, op.start))
            touched.append(_line_index(lines, max(op.start, op.end - 1)))
    low = max(min(touched) - 1, 0)
    high = min(max(touched) + 1, len(lines) - 1)
    while low > 0 and _chained(lines[low]):
        low -= 1
    while high < len(lines) - 1 and _chained(lines[high]):
        high += 1
    return low, high + 1


def _chained(line: Line) -> bool:
    return line.eq is not None or line.comment is not None


def _compose(
    text: str, lines: Sequence[Line], ops: Sequence[Op], newline: str, by_start: dict
) -> list[tuple[int, int, str]]:
    inserted: dict[int, list[NewLine]] = {}
    deleted: set[int] = set()
    delete_end: dict[int, int] = {}
    lead_delta = [0] * len(lines)
    tail_delta = [0] * len(lines)
    edits: list[tuple[int, int, str]] = []
    for op in ops:
        if isinstance(op, Insert):
            if op.at not in by_start:
                raise LayoutError(f"insertion at {op.at} is not at the start of a line")
            inserted.setdefault(op.at, []).extend(op.lines)
        elif isinstance(op, Delete):
            first = by_start.get(op.start)
            last = len(lines) if op.end == len(text) else by_start.get(op.end)
            if first is None or last is None or last <= first:
                raise LayoutError(f"deletion {op.start}:{op.end} does not cover whole lines")
            deleted.update(range(first, last))
            delete_end[op.start] = op.end
        elif isinstance(op, Replace):
            i = _line_index(lines, op.start)
            line = lines[i]
            if op.end > line.end or "\n" in op.text:
                raise LayoutError(f"replacement {op.start}:{op.end} spans lines")
            delta = width(op.text) - width(text[op.start : op.end])
            if line.eq is not None and op.end <= line.eq_gap:
                lead_delta[i] += delta
            else:
                tail_delta[i] += delta
            edits.append((op.start, op.end, op.text))
        else:
            raise LayoutError(f"unknown operation {op!r}")
    old = [_cells(line) for line in lines]
    old_eq = eq_pads(old)
    old_comment = comment_pads(old, [line.eq_pad for line in lines])
    # The new sequence of lines: (old index, or the offset a new line is inserted at; its cells; the new line)
    sequence: list[tuple[int | None, int, Cells, NewLine | None]] = []
    for i, line in enumerate(lines):
        for new in inserted.get(line.start, ()):
            sequence.append((None, line.start, new.cells(), new))
        if i not in deleted:
            c = old[i]
            cells_i = Cells(c.lead_w + lead_delta[i], c.assigns, c.tail_w + tail_delta[i], c.commented)
            sequence.append((i, line.start, cells_i, None))
    cells = [c for _, _, c, _ in sequence]
    want_eq = eq_pads(cells)
    pads = []
    for k, (old_i, _, _, _) in enumerate(sequence):
        if old_i is not None and not (lines[old_i].plain and lines[old_i].eq_pad == old_eq[old_i]):
            pads.append(lines[old_i].eq_pad)
        else:
            pads.append(want_eq[k])
    want_comment = comment_pads(cells, pads)
    rendered: dict[int, list[str]] = {}
    for k, (old_i, at, _, new_line) in enumerate(sequence):
        if new_line is not None:
            rendered.setdefault(at, []).append(new_line.render(pads[k]) + newline)
            continue
        i = cast(int, old_i)  # an entry of sequence (built above) holds either an old line's index or a new line
        line = lines[i]
        if line.eq is not None and pads[k] != line.eq_pad:
            edits.append((line.eq_gap, line.eq, " " * pads[k]))
        if (
            line.comment is not None
            and line.plain
            and line.comment_pad == old_comment[i]
            and want_comment[k] != line.comment_pad
        ):
            edits.append((line.comment_gap, line.comment, " " * want_comment[k]))
    for start in sorted(set(rendered) | set(delete_end)):
        edits.append((start, delete_end.get(start, start), "".join(rendered.get(start, ()))))
    edits.sort(key=lambda e: (e[0], e[1]))
    for (_a_start, a_end, _), (b_start, _, _) in zip(edits, edits[1:], strict=False):
        if b_start < a_end:
            raise LayoutError("edits overlap")
    return edits


def _cells(line: Line) -> Cells:
    return Cells(line.lead_w, line.eq is not None, line.tail_w, line.comment is not None)


def _line_index(lines: Sequence[Line], offset: int) -> int:
    low, high = 0, len(lines) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if lines[middle].start <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def apply(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with non-overlapping edits applied."""
    out = []
    position = 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < position:
            raise LayoutError("edits overlap")
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position:])
    return "".join(out)

"""``# dynalint:ignore=ID reason`` comments in ``.tf`` files, and the resource blocks they belong to.

A comment (``#``, ``//`` or ``/* */``) whose text starts ``dynalint:ignore=``
followed by rule ids (comma-separated) and a reason belongs to one resource
block when it is inside the block or directly above it (see dynalint.suppress,
which applies them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from dynalint.model import Ignore

_DIRECTIVE = re.compile(r"dynalint:ignore(?P<rest>(?:[=\s].*)?)$", re.I | re.S)
_IDS = re.compile(r"=\s*(?P<ids>[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)")


def parse_comment(text: str, file: str, line: int) -> Ignore | None:
    """The Ignore a comment's text (delimiter stripped) holds, or None when it is no dynalint comment."""
    match = _DIRECTIVE.match(text.strip())
    if match is None:
        return None
    rest = match.group("rest").strip()
    ids: tuple[str, ...] = ()
    found = _IDS.match(rest)
    if found:
        ids = tuple(dict.fromkeys(i.strip().upper() for i in found.group("ids").split(",")))
        rest = rest[found.end() :]
    reason = rest.strip().lstrip("-–—:").strip()
    return Ignore(file, line, ids, reason)


def attach_ignores(
    files: Iterable[Any], resources: dict[str, Any], overrides: dict[tuple[str, int], str] | None = None
) -> tuple[dict[str, tuple[Ignore, ...]], tuple]:
    """The Ignores of each resource block of a module (by ``aws_t.n``), and those on no resource block.

    ``overrides`` maps the blocks of override files (by file and line) to the resource they change.
    """
    by_block = {(b.file, b.start_line): local for local, b in resources.items() if b.kind == "resource"}
    by_block.update(overrides or {})
    attached: dict[str, list[Ignore]] = {}
    orphans: list[Ignore] = []
    for tf_file in files:
        comment_lines = {line for line, _ in tf_file.comments}
        starts = {block.start_line: block for block in tf_file.blocks}
        for line, text in tf_file.comments:
            ignore = parse_comment(text, tf_file.path, line)
            if ignore is None:
                continue
            block = _block_at(tf_file.blocks, line) or _block_below(starts, comment_lines, line)
            local = by_block.get((block.file, block.start_line)) if block is not None else None
            if local is None:
                orphans.append(ignore)
            else:
                attached.setdefault(local, []).append(ignore)
    return {k: tuple(v) for k, v in attached.items()}, tuple(orphans)


def _block_at(blocks: Iterable[Any], line: int) -> Any:
    return next((b for b in blocks if b.start_line <= line <= b.end_line), None)


def _block_below(starts: dict[int, Any], comment_lines: set[int], line: int) -> Any:
    below = line + 1
    while below not in starts and below in comment_lines:
        below += 1
    return starts.get(below)

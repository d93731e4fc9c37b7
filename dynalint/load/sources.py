"""Where each resource appears in a plan or state JSON file.

Used as the physical location of a finding until the ``.tf`` source is known.
``terraform show -json`` writes one line, so the column matters as much as the
line: each resource's location is the ``"address"`` key of its entry in
``resource_changes`` (or, in a state, in ``values``).
"""
from __future__ import annotations

import json
import re

from dynalint.model import Source

_ADDRESS = re.compile(rb'"address"\s*:\s*"((?:[^"\\]|\\.)*)"')
_CHANGES = re.compile(rb'"resource_changes"\s*:')


def plan_locations(data: bytes, file: str) -> dict[str, Source]:
    """Map each address to its line and column in the file (1-based), in one pass over the bytes."""
    text = data
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:]
    if text[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(text) > 1 and (text[0] == 0 or text[1] == 0)):
        return {}  # UTF-16: columns in bytes mean nothing to an editor; the line stays 1
    start = 0
    changes = _CHANGES.search(text)
    if changes:
        start = changes.end()
    found: dict[str, Source] = {}
    line, line_start, scanned = 1, 0, 0
    for match in _ADDRESS.finditer(text, start):
        pos = match.start()
        newlines = text.count(b"\n", scanned, pos)
        if newlines:
            line += newlines
            line_start = text.rfind(b"\n", scanned, pos) + 1
        scanned = pos
        try:
            address = json.loads(b'"' + match.group(1) + b'"')
        except ValueError:
            continue
        if address not in found:
            column = len(text[line_start:pos].decode("utf-8", "replace")) + 1
            found[address] = Source(file=file, start_line=line, start_column=column, kind="plan")
    return found

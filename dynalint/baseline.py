"""Baselines: accept today's findings once, then report only new ones.

``dynalint plan.json --write-baseline .dynalint-baseline.json`` records the
findings of this run; ``dynalint plan.json --baseline .dynalint-baseline.json``
then marks each finding ``baseline_state = "unchanged"`` (recorded: hidden from
text, JSON findings still listed, ignored by the exit code, ``baselineState:
unchanged`` in SARIF) or ``"new"``.

The file is JSON, sorted so that it diffs well in review::

    {
      "version": 1,
      "tool": "dynalint",
      "findings": [
        {"fingerprint": "3f5c...", "rule_id": "DDB101",
         "address": "aws_dynamodb_table.orders", "path": "point_in_time_recovery"}
      ]
    }

Only ``fingerprint`` is matched: it is the engine's hash of rule id, resource
address and attribute path, so the baseline holds across runs, machines,
re-plans and edits elsewhere in the configuration. ``rule_id``, ``address``
and ``path`` are there for people reading the file. Messages are never stored
(a message may quote a value from the plan). Renaming a resource gives its
findings a new address, so they count as new. Suppressed findings are not
recorded: they are accepted already, each with its reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import cast

from dynalint import userfiles
from dynalint.errors import InputError
from dynalint.model import Finding

VERSION = 1
# A baseline of 100,000 findings is about 20 MB; a file larger than this is not one (a link to /dev/zero, say).
MAX_BYTES = 64 * 1024 * 1024


def entries(findings: Iterable[Finding]) -> list[dict]:
    """One entry per active finding, in a stable order (address, rule, path, fingerprint)."""
    rows = {
        f.fingerprint: {"fingerprint": f.fingerprint, "rule_id": f.rule_id, "address": f.address, "path": f.path}
        for f in findings
        if not f.suppressed
    }
    return sorted(rows.values(), key=lambda e: (e["address"], e["rule_id"], e["path"] or "", e["fingerprint"]))


def dumps(findings: Iterable[Finding]) -> str:
    """The baseline file's text."""
    return _document(entries(findings))


def write(path: str, findings: Iterable[Finding]) -> frozenset[str]:
    """Write the baseline file; returns the fingerprints it records (suppressed findings are not)."""
    rows = entries(findings)
    Path(path).write_text(_document(rows), encoding="utf-8")
    return frozenset(row["fingerprint"] for row in rows)


def _document(rows: list[dict]) -> str:
    return json.dumps({"version": VERSION, "tool": "dynalint", "findings": rows}, indent=2, ensure_ascii=False) + "\n"


def read(path: str) -> frozenset[str]:
    """The fingerprints a baseline file records."""
    if not Path(path).exists():
        raise InputError(f"{path}: baseline file not found (make one with --write-baseline {path})")
    text = userfiles.read_text(Path(path), path, InputError, "baseline", limit=MAX_BYTES)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: the baseline is not valid JSON: {exc.msg}") from None
    except (ValueError, RecursionError):  # a number of thousands of digits, or nesting past the parser's depth
        raise InputError(f"{path}: not a dynalint baseline (make one with --write-baseline)") from None
    if not isinstance(doc, dict) or doc.get("tool") != "dynalint" or not isinstance(doc.get("findings"), list):
        raise InputError(f"{path}: not a dynalint baseline (make one with --write-baseline)")
    if doc.get("version") != VERSION:
        raise InputError(
            f"{path}: baseline version {doc.get('version')!r} is not supported (expected {VERSION}); "
            "write it again with --write-baseline"
        )
    prints = [e.get("fingerprint") if isinstance(e, dict) else None for e in doc["findings"]]
    if not all(isinstance(p, str) and p for p in prints):
        raise InputError(f"{path}: every baseline entry needs a fingerprint; write it again with --write-baseline")
    return frozenset(cast("list[str]", prints))  # each a non-empty str: checked just above


def apply(known: frozenset[str], findings: Iterable[Finding]) -> list[Finding]:
    """Each finding marked "unchanged" when the baseline records it, else "new"."""
    return [replace(f, baseline_state="unchanged" if f.fingerprint in known else "new") for f in findings]

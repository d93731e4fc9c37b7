"""Bytes to a JSON document, whatever encoding the shell that wrote the file chose.

``terraform show -json > plan.json`` writes UTF-8 on Unix, UTF-16LE with a BOM
in Windows PowerShell 5, and UTF-8 with a BOM in some editors. We read bytes and
decode them ourselves so that all three load.

A plan repeats most of itself: ``planned_values`` and ``prior_state`` hold
again what ``resource_changes`` holds, and ``relevant_attributes`` and
``output_changes`` are of no use to a linter. ``parse_plan`` parses only the
sections dynalint reads, which halves the time and the memory of parsing a
large plan; when the document does not look exactly as terraform writes it,
it parses the whole document instead.
"""
from __future__ import annotations

import codecs
import json
import re
import sys
from typing import Any, Callable

from dynalint.errors import InputError

_SCAN = json.JSONDecoder().scan_once  # parses one JSON value at an index: (value, end)
_SPACE = re.compile(r"[ \t\n\r]*")
_CLOSE = re.compile(r"[ \t\n\r]*}[ \t\n\r]*\Z")


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 (with BOM, or BOM-less LE/BE)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
        encoding = "utf-8"
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    elif len(data) >= 2 and data[0] != 0 and data[1] == 0:
        encoding = "utf-16-le"
    elif len(data) >= 2 and data[0] == 0 and data[1] != 0:
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid {encoding.upper()} text (byte {exc.start}): "
            "is this a binary plan? Run `terraform show -json PLANFILE > plan.json` first"
        ) from None


def decode_input(data: bytes, name: str) -> str:
    """The text of an input file; an InputError when it is empty or not text."""
    if not data or data.isspace():  # isspace stops at the first other byte; strip() would copy the file
        raise InputError(f"{name}: the file is empty (expected the output of `terraform show -json`)")
    return decode_text(data, name)


def parse_text(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        # a string left open runs to the end of the file: cut short too
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise InputError(f"{name}: invalid JSON, the file ends early ({where}): is it truncated?") from None
        raise InputError(f"{name}: invalid JSON at {where}: {exc.msg}") from None
    except ValueError:  # Python reads integers of at most 4,300 digits (sys.get_int_max_str_digits)
        raise InputError(f"{name}: a number in the JSON has more than {sys.get_int_max_str_digits():,} digits, "
                         "more than dynalint reads") from None
    except RecursionError:
        raise InputError(f"{name}: JSON nested too deeply to be a Terraform plan") from None


def parse_plan(text: str, name: str) -> Any:
    """The sections of a plan dynalint reads, or the whole document where it is not a plan as terraform
    writes it (a state, an old plan without resource_changes, an edited file, malformed JSON)."""
    sections = _plan_sections(text)
    return sections if sections is not None else parse_text(text, name)


def _is_changes(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(e, dict) and "address" in e for e in value)


def _is_variables(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, dict) for v in value.values())


def _is_configuration(value: Any) -> bool:
    return isinstance(value, dict) and ("root_module" in value or "provider_config" in value)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_flag(value: Any) -> bool:
    return isinstance(value, bool)


def _plan_sections(text: str) -> dict | None:
    """Top-level keys found by their ``"key":`` marker, each value parsed where it starts and checked
    for the shape it must have; None when anything is off.

    Terraform writes the top level in a fixed order: format_version, terraform_version,
    variables, planned_values, resource_drift, resource_changes, output_changes,
    prior_state, configuration, relevant_attributes, checks, timestamp, applyable,
    complete, errored. A string value cannot hold the marker (its quotes would be
    escaped), but a nested object can have a key of the same name: ``resource_changes``
    anchors the search, keys before it are looked for before ``planned_values``, keys
    after it after its end, and every value must have its section's shape.
    """
    start = _SPACE.match(text).end()
    if text[start:start + 1] != "{" or not _CLOSE.search(text, max(0, len(text) - 64)):
        return None
    if not text.startswith('"format_version":', _SPACE.match(text, start + 1).end()):
        return None  # not terraform's order (keys sorted by `jq -S`, say): the windows below would miss sections
    anchor = text.find('"resource_changes":')
    if anchor < 0:
        return None
    doc: dict[str, Any] = {}
    changes = _value_after(text, anchor, "resource_changes", _is_changes)
    if changes is None:
        return None
    doc["resource_changes"], changes_end = changes
    if any(e.get("mode") == "data" and _dict(e.get("change")).get("after") is None for e in doc["resource_changes"]):
        return None  # an old plan whose data sources are only in planned_values: read everything
    head_end = text.find('"planned_values":', 0, anchor)
    head_end = anchor if head_end < 0 else head_end
    for key, shape in (("format_version", _is_text), ("terraform_version", _is_text), ("variables", _is_variables)):
        if not _take(doc, text, key, shape, 0, head_end):
            return None
    tail = changes_end
    for key, shape in (("configuration", _is_configuration), ("complete", _is_flag), ("errored", _is_flag)):
        found = _take(doc, text, key, shape, tail, len(text))
        if found is False:
            return None
        if found is not True:
            tail = found
    return doc


def _take(doc: dict, text: str, key: str, shape: Callable[[Any], bool], begin: int, end: int) -> int | bool:
    """Put ``key``'s value in ``doc`` if its marker is between ``begin`` and ``end``: the end of the
    value, ``True`` when the key is absent, ``False`` when a marker is there but no value fits."""
    marker = f'"{key}":'
    at = text.find(marker, begin, end)
    if at < 0:
        return True
    while at >= 0:
        found = _value_after(text, at, key, shape)
        if found is not None:
            doc[key], value_end = found
            return value_end
        at = text.find(marker, at + 1, end)
    return False


def _value_after(text: str, at: int, key: str, shape: Callable[[Any], bool]) -> tuple[Any, int] | None:
    """The value after the marker at ``at``, if it parses, has the shape, and a key or the end follows."""
    begin = _SPACE.match(text, at + len(key) + 3).end()
    try:
        value, end = _SCAN(text, begin)
    except (StopIteration, ValueError, RecursionError):
        return None
    after = _SPACE.match(text, end).end()
    if not shape(value) or text[after:after + 1] not in (",", "}"):
        return None
    return value, end


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}

"""Bytes to a JSON document, whatever encoding the shell that wrote the file chose.

``terraform show -json > plan.json`` writes UTF-8 on Unix, UTF-16LE with a BOM
in Windows PowerShell 5, and UTF-8 with a BOM in some editors. We read bytes and
decode them ourselves so that all three load.

The document is read once, whole, by the JSON parser: which part of it is the
plan's ``resource_changes`` or ``variables`` is decided by the parser, never by
searching the text, so no value inside the document (a variable, a tag, a
``terraform_data`` input holding a key named like a section) can change how the
rest is read. A top-level key written twice is refused: terraform writes each
once, and two readers (one taking the first copy, one the last) would see two
different plans.
"""
from __future__ import annotations

import codecs
import json
import re
from typing import Any

from dynalint.errors import InputError

_SCAN = json.JSONDecoder().scan_once  # the C parser: one JSON value at an index, (value, end)
_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace, exactly


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
    """The whole document, or an InputError that says where the JSON goes wrong."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        # a string left open runs to the end of the file: cut short too
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise InputError(f"{name}: invalid JSON, the file ends early ({where}): is it truncated?") from None
        raise InputError(f"{name}: invalid JSON at {where}: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{name}: JSON nested too deeply to be a Terraform plan") from None


class _Malformed(Exception):
    """The top level is not a well-formed object: parse_text says where, in its words."""


def parse_document(text: str, name: str) -> Any:
    """The document, read once by the JSON parser; a top-level key that appears twice is an InputError.

    The top-level object is walked key by key, each key and value parsed by the
    C parser where the previous one ended (so the walk sees exactly the keys the
    parser sees); a document that is not an object is parsed as it is, for the
    loader to say what it is instead.
    """
    at = _SPACE.match(text).end()
    if text[at:at + 1] != "{":
        return parse_text(text, name)
    doc: dict[str, Any] = {}
    try:
        at = _SPACE.match(text, at + 1).end()
        if text[at:at + 1] == "}":
            at += 1
        else:
            while True:
                if text[at:at + 1] != '"':
                    raise _Malformed
                key, at = _SCAN(text, at)
                at = _SPACE.match(text, at).end()
                if text[at:at + 1] != ":":
                    raise _Malformed
                value, at = _SCAN(text, _SPACE.match(text, at + 1).end())
                if key in doc:
                    shown = json.dumps(key, ensure_ascii=False)[:80]
                    raise InputError(f"{name}: the top-level key {shown} appears twice: terraform writes each key "
                                     "once, and readers disagree on which copy counts, so the plan is refused")
                doc[key] = value
                at = _SPACE.match(text, at).end()
                if text[at:at + 1] == ",":
                    at = _SPACE.match(text, at + 1).end()
                elif text[at:at + 1] == "}":
                    at += 1
                    break
                else:
                    raise _Malformed
        if _SPACE.match(text, at).end() != len(text):
            raise _Malformed
    except (_Malformed, StopIteration, ValueError):
        parse_text(text, name)  # raises the parser's own message, with line and column
        raise InputError(f"{name}: invalid JSON") from None  # pragma: no cover - parse_text raised above
    except RecursionError:
        raise InputError(f"{name}: JSON nested too deeply to be a Terraform plan") from None
    return doc

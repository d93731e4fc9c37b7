"""Bytes to a JSON document, whatever encoding the shell that wrote the file chose.

``terraform show -json > plan.json`` writes UTF-8 on Unix, UTF-16LE with a BOM
in Windows PowerShell 5, and UTF-8 with a BOM in some editors. We read bytes and
decode them ourselves so that all three load.
"""
from __future__ import annotations

import codecs
import json
from typing import Any

from dynalint.errors import InputError

try:  # optional speed-up: `pip install dynalint[fast]`
    import orjson as _orjson
except ImportError:  # pragma: no cover - depends on the environment
    _orjson = None


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


def parse_json(data: bytes, name: str) -> Any:
    """Parse JSON from bytes; one clear InputError on anything that is not JSON."""
    if not data or data.isspace():  # isspace stops at the first other byte; strip() would copy the file
        raise InputError(f"{name}: the file is empty (expected the output of `terraform show -json`)")
    if _orjson is not None and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _orjson.loads(data[3:] if data.startswith(codecs.BOM_UTF8) else data)
        except _orjson.JSONDecodeError:
            pass  # fall through: the standard parser gives the better message
    text = decode_text(data, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        if exc.pos >= len(text.rstrip()):
            raise InputError(f"{name}: invalid JSON, the file ends early ({where}): is it truncated?") from None
        raise InputError(f"{name}: invalid JSON at {where}: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{name}: JSON nested too deeply to be a Terraform plan") from None

"""Bytes to a JSON document, whatever encoding the shell that wrote the file chose.

``terraform show -json > plan.json`` writes UTF-8 on Unix, UTF-16LE with a BOM
in Windows PowerShell 5, and UTF-8 with a BOM in some editors. We read bytes and
decode them ourselves so that all three load.

The document is read once, whole, by a JSON parser: which part of it is the
plan's ``resource_changes`` or ``variables`` is decided by the parser, never by
searching the text, so no value inside the document (a variable, a tag, a
``terraform_data`` input holding a key named like a section) can change how the
rest is read. A top-level key written twice is refused: terraform writes each
once, and two readers (one taking the first copy, one the last) would see two
different plans. Below the top level a repeated key keeps its last copy, as
every JSON reader of plans does (Go's encoding/json, jq, Python, OPA).

``read_document`` is the fast reading (msgspec): the parser splits the top level
into its sections, the sections dynalint reads are decoded (``planned_values``
without the values it does not read, unless an old plan needs them), the others
are skipped without building a Python object. In ``resource_changes`` each entry
keeps the keys the loader reads, and its change's marks may stay ``Encoded`` (see
``_settle``). Whatever msgspec refuses (bad
JSON, a lone surrogate, NaN, nesting past its limit) is read again by
``parse_document``, the standard library's parser, which decides: it reads what
it can and gives its own message for the rest, so the fast reading changes the
speed, never the answer.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, AnyStr, Protocol, TypedDict, cast

import msgspec

from dynalint.errors import InputError


class _Scanning(Protocol):
    """A JSONDecoder as its __init__ makes it: with ``scan_once`` (which typeshed does not declare)."""

    scan_once: Callable[[str, int], tuple[Any, int]]


class _MatchesEverywhere(Protocol[AnyStr]):
    """A pattern that matches at every position, if only the empty string: its ``match`` is never None."""

    def match(self, string: AnyStr, pos: int = 0) -> re.Match[AnyStr]: ...


_SCAN = cast(_Scanning, json.JSONDecoder()).scan_once  # the C parser: one JSON value at an index, (value, end)
_SPACE = cast("_MatchesEverywhere[str]", re.compile(r"[ \t\n\r]*"))  # JSON's whitespace, exactly


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 (with BOM, or BOM-less LE/BE)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
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
    except ValueError:  # Python reads integers of at most 4,300 digits (sys.get_int_max_str_digits)
        raise InputError(
            f"{name}: a number in the JSON has more than {sys.get_int_max_str_digits():,} digits, "
            "more than dynalint reads"
        ) from None
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
    if text[at : at + 1] != "{":
        return parse_text(text, name)
    doc: dict[str, Any] = {}
    try:
        at = _SPACE.match(text, at + 1).end()
        if text[at : at + 1] == "}":
            at += 1
        else:
            while True:
                if text[at : at + 1] != '"':
                    raise _Malformed
                key, at = _SCAN(text, at)
                at = _SPACE.match(text, at).end()
                if text[at : at + 1] != ":":
                    raise _Malformed
                value, at = _SCAN(text, _SPACE.match(text, at + 1).end())
                if key in doc:
                    raise InputError(_repeated(name, key))
                doc[key] = value
                at = _SPACE.match(text, at).end()
                if text[at : at + 1] == ",":
                    at = _SPACE.match(text, at + 1).end()
                elif text[at : at + 1] == "}":
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


# ---------------------------------------------------------------------- the fast reading (msgspec)
class _Unread:
    """What a section dynalint does not read holds after ``read_document``: skipped, not decoded."""

    def __repr__(self) -> str:
        return "<a section dynalint does not read>"


UNREAD = _Unread()
# The sections the loader reads (dynalint.load.plan, .validate, .config, .sources); planned_values apart.
READ = frozenset(
    {
        "format_version",
        "terraform_version",
        "variables",
        "resource_changes",
        "configuration",
        "errored",
        "complete",
        "applyable",
        "values",
    }
)


class _PlannedResource(msgspec.Struct):
    """A resource of planned_values as the cross-checks read it; its values are skipped."""

    address: Any = msgspec.UNSET
    mode: Any = msgspec.UNSET
    type: Any = msgspec.UNSET
    name: Any = msgspec.UNSET
    index: Any = msgspec.UNSET


class _PlannedModule(msgspec.Struct):
    resources: list[_PlannedResource] | None | msgspec.UnsetType = msgspec.UNSET
    child_modules: list[_PlannedModule] | None | msgspec.UnsetType = msgspec.UNSET


class _Planned(msgspec.Struct):
    root_module: _PlannedModule | None | msgspec.UnsetType = msgspec.UNSET


_TOP = msgspec.json.Decoder(dict[str, msgspec.Raw])
_LIST = msgspec.json.Decoder(list[msgspec.Raw])
# Numbers as msgspec reads them: one it cannot hold as a float (1e400) is an error, so the standard library's
# reading decides (inf), as for everything msgspec refuses. (A float_hook would give the same answer, slower.)
_ANY = msgspec.json.Decoder(Any)
_PLANNED = msgspec.json.Decoder(_Planned)
_WS = cast("_MatchesEverywhere[bytes]", re.compile(rb"[ \t\n\r]*"))
_KEY = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')  # a JSON string (unrolled: no alternation tried per character)
# An entry that starts with its "address" key, as terraform writes it: the key, then the JSON string.
_ADDRESS_FIRST = re.compile(rb'\{[ \t\n\r]*("address")[ \t\n\r]*:[ \t\n\r]*("[^"\\]*(?:\\.[^"\\]*)*")')
_STRING = msgspec.json.Decoder(str)
_ENCODE = msgspec.json.encode


class _NotAsParsed(Exception):
    """The walk of the top level met something else than what msgspec parsed: the slow reading decides."""


@dataclass(frozen=True)
class Places:
    """Where the resource entries the loader reads are in the document's bytes (dynalint.load.sources
    turns them into lines and columns): found by following the parser, never by searching the text,
    so no value inside the document can move them."""

    text: bytes  # the document as UTF-8, without a byte order mark
    entries: tuple[tuple[int, str], ...]  # (offset of the entry's "address" key, or of the entry; its address)


def read_document(data: bytes, name: str) -> Any:
    """The document, with the sections dynalint does not read left ``UNREAD``; the same answer as
    ``parse_document(decode_input(data))`` (that reading decides wherever msgspec refuses)."""
    return read_located(data, name, locate=False)[0]


def read_located(
    data: bytes, name: str, locate: bool = True, defer: frozenset[str] = frozenset()
) -> tuple[Any, Places | None]:
    """``read_document``, and with ``locate`` the places of its resource entries (None where they
    cannot be given: a document that is not UTF-8, or whose structure msgspec cannot walk). The
    sections named in ``defer`` are left ``Encoded``, a copy of their text, for ``read_deferred``:
    decoded once the caller has let the file's bytes go, they are never held alongside them."""
    if not data or data.isspace():
        raise InputError(f"{name}: the file is empty (expected the output of `terraform show -json`)")
    buffer = top = starts = entries = None
    try:
        buffer = _utf8(data, name)
        top = _TOP.decode(buffer)
        starts = _keys_written_once(buffer, top)
        ascii_document = buffer.isascii()  # most plans are: no part of them then needs looking at for UTF-8
        doc = {}
        for key, raw in top.items():
            if key == "resource_changes":
                doc[key], entries = _entries(raw, ascii_document)
            elif key in defer:
                text = bytes(raw)
                if not text.isascii():  # ASCII is UTF-8; what read_deferred could not refuse with the file's
                    text.decode("utf-8")  # offset (a byte that is not UTF-8) is refused here
                doc[key] = Encoded(text)
            else:
                doc[key] = _section(key, raw)
        if "planned_values" in top and _planned_values_needed(doc):
            doc["planned_values"] = _ANY.decode(top["planned_values"])
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError, UnicodeError, _NotAsParsed):
        doc = parse_document(decode_input(data, name), name)
    if not locate or buffer is None or buffer is not data and not data.startswith(codecs.BOM_UTF8):
        return doc, None  # UTF-16: offsets in re-encoded bytes would point nowhere in the file
    return doc, _places(buffer, top, starts, doc, entries)


def _entries(raw: msgspec.Raw, ascii_document: bool) -> tuple[Any, list[msgspec.Raw] | None]:
    """resource_changes, and its raw entries (whose lengths place them).

    Each entry keeps the keys the loader reads (``_Entry``). Its change's marks, a third of what a large
    plan's changes hold once decoded, are decoded by the loader one resource at a time, and a no-op's
    before and after are one tree (``_settle``)."""
    doc = cast(list[dict[str, Any]], _CHANGES.decode(raw))  # plain dicts, whose trees _settle decodes in place
    for entry in doc:
        change = entry.get("change")
        if change is not None:
            _settle(change, ascii_document)
    return doc, _LIST.decode(raw)


class _Change(TypedDict, total=False):
    """A change as the loader reads it, its value trees left raw for ``_settle``."""

    actions: Any
    before: msgspec.Raw
    after: msgspec.Raw
    after_unknown: msgspec.Raw
    before_sensitive: msgspec.Raw
    after_sensitive: msgspec.Raw
    replace_paths: Any


class _Entry(TypedDict, total=False):
    """A resource_changes entry: the keys dynalint.load.validate and .plan read (others are skipped)."""

    address: Any
    mode: Any
    type: Any
    name: Any
    index: Any
    module_address: Any
    action_reason: Any
    deposed: Any
    previous_address: Any
    change: _Change


_CHANGES = msgspec.json.Decoder(list[_Entry])
_MARKS = ("after_unknown", "before_sensitive", "after_sensitive")
_NULL = msgspec.Raw(b"null")
_OBJECT = re.compile(rb"\{")
_TRUE = re.compile(rb"true")
# A text the parser can only read as written: ASCII, no escape, no number (the splitting parser checks the
# nesting and the escapes of what it skips, but not UTF-8 or the range of numbers: those are read at once).
_PLAIN = re.compile(rb"[0-9\\]")


class Encoded:
    """A JSON value kept as its text (UTF-8, split out by msgspec) until it is read: a change's marks,
    which dynalint.load.plan reads one resource at a time and drops, and a configuration block's
    expressions (``_configuration``), both only where the text cannot fail to decode; and the sections
    ``read_located(defer=...)`` leaves to ``read_deferred``."""

    __slots__ = ("text",)

    def __init__(self, text: bytes | msgspec.Raw) -> None:
        self.text = text

    def decode(self) -> Any:
        return _ANY.decode(self.text)


def decoded(value: Any) -> Any:
    """The value, an ``Encoded`` one decoded."""
    return value.decode() if isinstance(value, Encoded) else value


def read_deferred(doc: Any, name: str) -> None:
    """Decode, in place, the sections ``read_located`` deferred. Their nesting was checked by msgspec splitting
    them out, their UTF-8 by ``read_located``; what msgspec still refuses (a number it cannot hold) the
    standard library reads, with its own message for what it refuses too, as the slow reading would."""
    if not isinstance(doc, dict):
        return
    for key, value in doc.items():
        if isinstance(value, Encoded):
            try:
                doc[key] = _configuration(value.text) if key == "configuration" else value.decode()
            except (msgspec.DecodeError, msgspec.ValidationError):
                doc[key] = parse_text(bytes(value.text).decode("utf-8"), name)


class _Block(TypedDict, total=False):
    """A resource block of the configuration as the loader reads it (others keys are skipped)."""

    address: Any
    mode: Any
    type: Any
    name: Any
    provider_config_key: Any
    expressions: msgspec.Raw
    count_expression: Any
    for_each_expression: Any


class _Call(TypedDict, total=False):
    source: Any
    expressions: Any
    count_expression: Any
    for_each_expression: Any
    module: _Module


class _Module(TypedDict, total=False):
    resources: list[_Block]
    module_calls: dict[str, _Call]
    variables: Any
    outputs: Any


class _Configuration(TypedDict, total=False):
    provider_config: Any
    root_module: _Module


_CONFIGURATION = msgspec.json.Decoder(_Configuration)


def _configuration(text: bytes | msgspec.Raw) -> Any:
    """The configuration, each resource block's expressions kept ``Encoded`` (dynalint.load.configuration
    decodes them a block at a time, and keeps what it derives from them): they are most of it, and many
    small objects once decoded. Each is decoded here once and let go, which proves it decodes (splitting
    does not read numbers: 1e400 is refused only by decoding) for less than any search of its text would
    cost. A shape the types refuse (a null list, say) is decoded plainly, whole."""
    try:
        config = cast(dict[str, Any], _CONFIGURATION.decode(text))
    except msgspec.ValidationError:
        return _ANY.decode(text)
    stack = [config.get("root_module")]
    while stack:
        module = stack.pop()
        if module is None:
            continue
        for block in module.get("resources") or ():
            raw = block.get("expressions")
            if raw is not None:
                expressions = _ANY.decode(raw)
                block["expressions"] = Encoded(raw) if isinstance(expressions, dict) else expressions
        stack.extend(call.get("module") for call in (module.get("module_calls") or {}).values())
    return config


def _settle(change: dict[str, Any], ascii_document: bool) -> None:
    """Decode the value trees of a change, in place.

    ``before`` is the very object ``after`` is where the two texts are the same
    byte for byte, as are their sensitivity marks, and nothing is unknown (a
    no-op writes one resource twice): dynalint.load.plan then builds one tree
    for both. An ASCII mark object (``ascii_document``: the whole file is) without a
    ``true`` marks nothing: it reads as ``false``, which says so (its numbers are not
    read: none of them can mark). One with a ``true``
    stays ``Encoded`` where its text is plain (``_PLAIN``). Any other text is
    decoded here, where a failure hands the document to the slow reading.
    """
    after = change.get("after")
    before = change.get("before")
    if after is not None:
        change["after"] = None if after == _NULL else _ANY.decode(after)
    if before is not None:
        if before == _NULL:
            change["before"] = None
        elif (
            before == after
            and change.get("before_sensitive") == change.get("after_sensitive")
            and not _marks_something(change.get("after_unknown"))
        ):
            change["before"] = change["after"]
        else:
            change["before"] = _ANY.decode(before)
    for key in _MARKS:
        raw = change.get(key)
        if raw is None:
            continue
        if _OBJECT.match(raw) is None or not (ascii_document or bytes(raw).isascii()):
            change[key] = _ANY.decode(raw)
        elif _TRUE.search(raw) is None:
            change[key] = False
        else:
            text = bytes(raw)  # a copy: the file's bytes are let go before the loader reads it
            change[key] = Encoded(text) if _PLAIN.search(text) is None else _ANY.decode(text)


def _marks_something(raw: msgspec.Raw | None) -> bool:
    """Whether a mark may mark something: an object with a true in it."""
    return raw is not None and _OBJECT.match(raw) is not None and _TRUE.search(raw) is not None


def _utf8(data: bytes, name: str) -> bytes:
    """UTF-8 bytes of the document: as it is (less a BOM), or re-encoded from UTF-16."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :]
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or (len(data) >= 2 and (data[0] == 0) != (data[1] == 0)):
        return decode_text(data, name).encode("utf-8")  # an InputError here is the slow reading's too
    return data


def _section(key: str, raw: msgspec.Raw) -> Any:
    if key in READ:
        return _ANY.decode(raw)
    if key == "planned_values":
        return msgspec.to_builtins(_PLANNED.decode(raw))  # addresses and modes only; UNSET fields left out
    return UNREAD


def _planned_values_needed(doc: dict) -> bool:
    """Whether the loader reads the values of planned_values: a plan without resource changes (its data
    sources, if any), or an old one whose data sources have no "after" (terraform 0.12 and 0.13)."""
    changes = doc.get("resource_changes")
    if not isinstance(changes, list) or not changes:
        return True
    return any(
        isinstance(entry, dict)
        and entry.get("mode") == "data"
        and isinstance(entry.get("change"), dict)
        and entry["change"].get("after") is None
        for entry in changes
    )


def _keys_written_once(buffer: bytes, top: dict[str, msgspec.Raw]) -> dict[str, int]:
    """Where each top-level value starts; _NotAsParsed when a top-level key appears twice (exact, at the cost
    of a copy and a comparison of bytes).

    msgspec keeps the last copy of a key. Walking the keys in the order they are
    written, each value must be, byte for byte, the copy msgspec kept: a key written
    once always is, and a key written twice is either not (its first copy differs) or
    is met again (the same copy twice).
    """
    at = _WS.match(buffer).end()
    if buffer[at : at + 1] != b"{":
        raise _NotAsParsed
    return {key: value_at for key, (_, value_at) in _member_starts(buffer, at, top).items()}


# ---------------------------------------------------------------------- places of the resource entries
def _places(
    buffer: bytes, top: dict | None, starts: dict | None, doc: Any, entries: list[msgspec.Raw] | None
) -> Places | None:
    """The places of the entries the loader makes resources of: a plan's resource_changes, a state's
    values tree. Offsets come from walking the bytes with the lengths the parser gives each value."""
    if not isinstance(doc, dict):
        return None
    try:
        if top is None:  # the slow reading decided: msgspec may still walk the structure
            top = _TOP.decode(buffer)
        if starts is None:  # not walked yet, or the walk failed (then it fails again here: no places)
            starts = _keys_written_once(buffer, top)
        if any(k in doc for k in ("resource_changes", "planned_values", "configuration")):
            changes = doc.get("resource_changes")
            if not isinstance(changes, list) or "resource_changes" not in top:
                return Places(buffer, ())
            entries = entries if entries is not None else _LIST.decode(top["resource_changes"])
            found: list[tuple[int, str]] = []
            _list_places(buffer, starts["resource_changes"], entries, changes, found)
        else:
            found = []
            values = doc.get("values")
            if isinstance(values, dict) and "values" in top:
                _state_places(buffer, starts["values"], top["values"], values, found)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError, UnicodeError, _NotAsParsed, IndexError):
        return None
    found.sort()  # a state's modules are walked depth first: the file's order is the offsets'
    return Places(buffer, tuple(found))


def _list_places(buffer: bytes, at: int, raws: list, entries: list, found: list) -> None:
    """The place of each entry of the array at ``at`` (its elements ``raws``, as decoded ``entries``)."""
    if len(raws) != len(entries):
        raise _NotAsParsed
    for start, raw, entry in zip(_element_starts(buffer, at, raws), raws, entries, strict=False):
        address = entry.get("address") if isinstance(entry, dict) else None
        if not isinstance(address, str):
            continue
        try:  # as terraform writes it: the key first, then exactly a JSON string of the parsed address
            if buffer.startswith(b'{"address":', start) and buffer.startswith(_ENCODE(address), start + 11):
                found.append((start + 1, address))
                continue
        except UnicodeEncodeError:  # a lone surrogate, which the slow reading let through
            pass
        found.append((_address_key(buffer, start, raw, address), address))


def _element_starts(buffer: bytes, at: int, raws: list) -> list[int]:
    """Where each element of the array at ``at`` starts. Exact by construction: from the array's start,
    each element is as long as the parser says and the bytes between two are a comma and whitespace."""
    if buffer[at] != 0x5B:  # [
        raise _NotAsParsed
    at += 1
    if buffer[at] in b" \t\n\r":
        at = _WS.match(buffer, at).end()
    out = []
    for raw in raws:
        out.append(at)
        at += len(raw)
        if buffer[at] in b" \t\n\r":
            at = _WS.match(buffer, at).end()
        if buffer[at] == 0x2C:  # ,
            at += 1
            if buffer[at] in b" \t\n\r":
                at = _WS.match(buffer, at).end()
        elif buffer[at] != 0x5D:  # ]
            raise _NotAsParsed
    if buffer[at] != 0x5D:
        raise _NotAsParsed
    return out


def _address_key(buffer: bytes, at: int, raw: msgspec.Raw, address: str) -> int:
    """Where the entry at ``at`` writes its address: its "address" key, else (a key written twice, say) the
    entry's opening brace."""
    head = _ADDRESS_FIRST.match(buffer, at)
    if head is not None:  # terraform writes the address first
        text = head.group(2)
        try:
            same = (
                text[1:-1] == address.encode("utf-8", "surrogatepass")
                if b"\\" not in text
                else _STRING.decode(text) == address
            )
        except (msgspec.DecodeError, msgspec.ValidationError):  # a lone surrogate: the slow reading's address
            same = False
        if same:
            return head.start(1)
    try:
        return _member_starts(buffer, at, _TOP.decode(raw))["address"][0]
    except (_NotAsParsed, KeyError, msgspec.DecodeError, msgspec.ValidationError):
        return at


def _member_starts(buffer: bytes, at: int, members: dict[str, msgspec.Raw]) -> dict[str, tuple[int, int]]:
    """key -> (where the key starts, where its value starts) for the object at ``at`` whose members the parser
    read as ``members``; _NotAsParsed for a key written twice (see _keys_written_once) or a walk that meets
    something else than what the parser read."""
    out: dict[str, tuple[int, int]] = {}
    at = _WS.match(buffer, at + 1).end()
    if buffer[at : at + 1] == b"}":
        return out
    while True:
        found = _KEY.match(buffer, at)
        if found is None:
            raise _NotAsParsed
        key = json.loads(found.group())
        raw = members.get(key)
        at = _WS.match(buffer, found.end()).end()
        if raw is None or key in out or buffer[at : at + 1] != b":":
            raise _NotAsParsed
        at = _WS.match(buffer, at + 1).end()
        if not _written_at(buffer, at, raw):
            raise _NotAsParsed
        out[key] = (found.start(), at)
        at = _WS.match(buffer, at + len(raw)).end()
        if buffer[at : at + 1] == b"}":
            return out
        if buffer[at : at + 1] != b",":
            raise _NotAsParsed
        at = _WS.match(buffer, at + 1).end()


def _written_at(buffer: bytes, at: int, raw: msgspec.Raw, chunk: int = 1 << 16) -> bool:
    """Whether ``buffer`` holds ``raw``'s bytes at ``at``: compared a piece at a time, as a copy of a section
    whole would be as large as the section (megabytes, for resource_changes)."""
    view = memoryview(raw)
    return all(buffer.startswith(view[i : i + chunk].tobytes(), at + i) for i in range(0, len(view), chunk))


def _state_places(buffer: bytes, at: int, raw: msgspec.Raw, values: dict, found: list) -> None:
    """The resources of a state's module tree (values.root_module, its child modules), in the bytes' order."""
    members = _TOP.decode(raw)
    module = values.get("root_module")
    if not isinstance(module, dict) or "root_module" not in members:
        return
    stack = [(_member_starts(buffer, at, members)["root_module"][1], members["root_module"], module)]
    while stack:
        at, raw, module = stack.pop()
        members = _TOP.decode(raw)
        starts = _member_starts(buffer, at, members)
        for key in ("resources", "child_modules"):
            items = module.get(key)
            if not isinstance(items, list) or key not in members:
                continue
            raws = _LIST.decode(members[key])
            if key == "resources":
                _list_places(buffer, starts[key][1], raws, items, found)
            elif len(raws) == len(items):
                stack.extend(
                    (start, child_raw, child)
                    for start, child_raw, child in zip(
                        _element_starts(buffer, starts[key][1], raws), raws, items, strict=False
                    )
                    if isinstance(child, dict)
                )


def _repeated(name: str, key: str) -> str:
    shown = json.dumps(key, ensure_ascii=False)[:80]
    return (
        f"{name}: the top-level key {shown} appears twice: terraform writes each key once, and readers "
        "disagree on which copy counts, so the plan is refused"
    )

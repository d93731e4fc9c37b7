"""Untrusted text made inert for the place it lands in: one function per kind of output.

Everything a report shows that came from the input is untrusted: addresses (a ``for_each`` key
holds any character, backticks, ``<``, ``@``, line breaks and ESC included), names and tags
quoted in messages, file names from globs, suppression reasons, custom rules' texts. Every
reporter (and the command line, for stderr) passes such strings through these functions, and
only these:

``one_line``
    control and format characters (line breaks, ESC, bidirectional overrides, lone surrogates)
    written as visible escapes (``\\n``, ``\\x1b``, ``\\u202e``): one line, no terminal sequence.
``text``
    ``one_line``, and no CI log command: ``##[`` anywhere (GitHub's legacy workflow commands,
    which the runner reads anywhere in a line; Azure's ``##vso[``) becomes ``##\\[``, and a
    leading ``::`` (GitHub's workflow commands) ``\\::``. For the text format, stderr, JUnit
    and any one-line format.
``workflow_data``, ``workflow_property``
    the parts of a GitHub Actions workflow command (``::error file=F,title=T::DATA``), escaped
    as the runner unescapes them (actions/toolkit ``command.ts``).
``markdown_text``, ``markdown_code``
    GitHub-flavoured markdown (a pull-request comment): text with its punctuation escaped and
    mentions, issue references and autolinks broken; a code span whose fence no backtick inside
    can close. Neither can hold a line break, so no block (HTML, heading, list) can start.
``json_document``
    a JSON text (JSON and SARIF reports) whose strings hold no raw control or format character
    and no ``##[``: the same values, written with ``\\u`` escapes.
``uri_reference``
    a relative path as a URI reference (SARIF ``artifactLocation.uri``): ``%``, ``#``, ``?``,
    spaces and the like percent-encoded, so no file name can cut its path short.
``cap``
    a string cut to a size, saying how long it was: one oversized value cannot fill a report.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# GitHub's legacy workflow commands (`##[error]`, `##[stop-commands]`) are obeyed anywhere in a line;
# Azure Pipelines' `##vso[` and TeamCity's `##teamcity[` have the same shape.
_LOG_COMMAND = re.compile(r"##(\w*)\[")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7e]+")
# What opens something in GitHub-flavoured markdown in the middle of a line: escapes, code spans, emphasis,
# strikethrough, links and images, HTML and autolinks, entities, table cells, math.
_MARKDOWN_ACTIVE = re.compile(r"[\\`*_~\[\]<>&|$]")
# GitHub links @mentions, #references, e-mail addresses and www./http:// addresses in the rendered text, after
# markdown escapes are gone: a zero-width space (as an entity) breaks each (Dependabot does the same).
_LINKED = re.compile(r"[@#]|(?<=www)\.|(?<=:)//", re.I)
_UNLINK = "&#8203;"
_CODE_SPAN = re.compile(r"`([^`]+)`")
# RFC 3986 unreserved and sub-delimiter characters, ":", "@" and "/": kept as they are in a path.
_URI_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/")


def one_line(text: str) -> str:
    """``text`` with every character Python does not call printable written as its escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def text(value: str) -> str:
    """One line of plain text for a terminal or a CI log: ``one_line``, and no log command."""
    value = one_line(value)
    if "##" in value:
        value = _LOG_COMMAND.sub(r"##\1\\[", value)
    if value.lstrip(" ").startswith("::"):
        value = value.replace("::", "\\::", 1)
    return value


def block(value: str) -> str:
    """Several lines of plain text (a custom rule's help, say): each line as ``text`` makes it."""
    return "\n".join(text(line) for line in value.split("\n"))


def cap(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters, saying how long it was."""
    if len(value) <= limit:
        return value
    return f"{value[:limit]}… ({len(value):,} characters in all)"


# ---------------------------------------------------------------- GitHub Actions workflow commands
def workflow_data(value: str) -> str:
    """The message of a workflow command: as ``text`` makes it (line breaks and other control characters
    visible, no ``##[``, which the runner would obey if it ever read the line as a legacy command), then
    ``%`` escaped."""
    return text(value).replace("%", "%25")


def workflow_property(value: str) -> str:
    """A property value of a workflow command (``file=``, ``title=``): also ``:`` and ``,``."""
    return workflow_data(value).replace(":", "%3A").replace(",", "%2C")


# ---------------------------------------------------------------- markdown
def markdown_text(value: str, limit: int | None = None) -> str:
    """Inline markdown that renders as ``value`` reads: `code spans` stay code spans, all else is text.

    Outside code spans, every character that can open something in the middle of a line is
    backslash-escaped (CommonMark allows it for any ASCII punctuation), so no emphasis, link,
    image, HTML, entity, table cell or math can open; a zero-width space follows ``@`` and ``#``
    and breaks ``www.`` and ``://``, so GitHub links no mention, issue or address.
    """
    value = one_line(cap(value, limit) if limit else value)
    out: list[str] = []
    end = 0
    for span in _CODE_SPAN.finditer(value):
        out.append(_escape_punctuation(value[end : span.start()]))
        out.append(markdown_code(span.group(1)))
        end = span.end()
    out.append(_escape_punctuation(value[end:]))
    return "".join(out)


def markdown_code(value: str, limit: int | None = None) -> str:
    """A code span holding ``value`` literally (addresses, file names): GitHub renders nothing inside one.

    The fence is one backtick longer than the longest run inside; a space pads content that starts or
    ends with a backtick or a space. ``##[`` gets a zero-width space so that a log shows no command.
    """
    value = one_line(cap(value, limit) if limit else value)
    if "##" in value:
        value = _LOG_COMMAND.sub("#\u200b#\\1[", value)
    if not value:
        return "` `"
    fence = "`" * (max((len(run) for run in re.findall("`+", value)), default=0) + 1)
    if value[0] in "` " or value[-1] in "` ":
        value = f" {value} "
    return f"{fence}{value}{fence}"


def _escape_punctuation(value: str) -> str:
    value = _MARKDOWN_ACTIVE.sub(r"\\\g<0>", value)
    return _LINKED.sub(lambda m: _UNLINK + m.group(0) if m.group(0)[0] in "./" else m.group(0) + _UNLINK, value)


# ---------------------------------------------------------------- URIs
def uri_reference(path: str) -> str:
    """A POSIX path as a URI reference: ASCII outside RFC 3986's path characters percent-encoded (as UTF-8),
    printable non-ASCII kept (an IRI, as SARIF viewers show it)."""
    if all(c in _URI_SAFE for c in path):
        return path
    return "".join(
        c if c in _URI_SAFE or (c > "\x7f" and c.isprintable()) else quote(c, safe="", errors="replace") for c in path
    )


# ---------------------------------------------------------------- JSON
def json_document(document: str) -> str:
    """A JSON text with ``\\u`` escapes for DEL, C1 controls, format characters (bidirectional overrides,
    zero-width characters), line separators and ``[`` after ``##``: the same values, and nothing a
    terminal or a CI log would act on. ``json.dumps`` already escapes C0 controls."""
    if not document.isascii() and not document.isprintable():  # a printable run is kept: no run to look for
        document = _NON_ASCII_RUN.sub(_json_escapes, document)
    if "\x7f" in document:
        document = document.replace("\x7f", "\\u007f")
    if "##" in document:
        document = _LOG_COMMAND.sub(r"##\1\\u005b", document)
    return document


def _json_escapes(match: re.Match) -> str:
    run = match.group(0)
    if run.isprintable():
        return run
    return "".join(c if c.isprintable() else _json_escape(c) for c in run)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

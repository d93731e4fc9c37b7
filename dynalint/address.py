"""Terraform addresses: split ``module.a["x"].aws_t.n[0]`` into its parts."""

from __future__ import annotations

import functools
import re

# One step of an address: a name, optionally followed by an index [0] or ["key"].
# Terraform names may hold any Unicode letter: \w, not [A-Za-z0-9_].
_STEP = re.compile(r'([\w-]+)(\[(?:\d+|"(?:[^"\\]|\\.)*")\])?\.?')
_LAST_INDEX = re.compile(r'\[(?:\d+|"(?:[^"\\]|\\.)*")\]$')


def split(address: str) -> tuple[tuple[str, str], ...]:
    """``module.a["x"].aws_t.n[0]`` -> (("module",""),("a",'["x"]'),("aws_t",""),("n","[0]"))."""
    out = []
    pos = 0
    while pos < len(address):
        m = _STEP.match(address, pos)
        if not m or m.end() == pos:
            raise ValueError(f"not a Terraform address: {address!r}")
        out.append((m.group(1), m.group(2) or ""))
        pos = m.end()
    return tuple(out)


# Cached: a plan names the same module addresses and references many times over.
steps = functools.cache(split)


@functools.cache
def module_path(module_address: str) -> tuple[str, ...]:
    """``module.a["x"].module.b`` -> ("a", "b"): the module calls without instance keys."""
    if not module_address:
        return ()
    parts = steps(module_address)
    return tuple(name for i, (name, _) in enumerate(parts) if i % 2 == 1)


def strip_index(address: str) -> str:
    """``aws_t.n[0]`` -> ``aws_t.n``; keeps the module prefix as it is."""
    if address.endswith("]"):
        match = _LAST_INDEX.search(address)
        if match:
            return address[: match.start()]
    return address


def join(module_address: str, local: str) -> str:
    return f"{module_address}.{local}" if module_address else local


# Where a glob's name takes every instance: a module name after ``module.`` followed by ``.`` (a call
# is always followed by what it holds), or the pattern's last name after a dot (a resource's name).
_INSTANCE_NAME = re.compile(r"(?<![\w-])module\.[\w-]+(?=\.)|(?<=\.)[\w-]+$")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_ANY_INDEX = r'(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?'


@functools.lru_cache(maxsize=1024)
def glob(pattern: str) -> Glob:
    """A glob over addresses, matched against the whole address.

    ``*`` is any run of characters (dots and brackets included), ``?`` one
    character; everything else is literal, so ``t["a"]`` matches itself. A name
    written without an index stands for every instance of it, as with
    ``terraform -target``: ``module.tenant.*`` matches ``module.tenant.aws_t.n``,
    ``module.tenant["acme"].aws_t.n`` and ``module.tenant[0].aws_t.n``, and
    ``aws_t.n`` matches ``aws_t.n[0]``.
    """
    quoted = [m.span() for m in _QUOTED.finditer(pattern)]
    out, last = [""], 0
    head = min((i for i in (pattern.find("*"), pattern.find("?")) if i >= 0), default=len(pattern))
    for match in _INSTANCE_NAME.finditer(pattern):
        if pattern[match.end() : match.end() + 1] == "[" or any(a <= match.start() < b for a, b in quoted):
            continue
        _add_literal(out, pattern[last : match.end()])
        out[-1] += _ANY_INDEX
        last = match.end()
        head = min(head, last)
    _add_literal(out, pattern[last:])
    return Glob(out, pattern[:head])


def _add_literal(pieces: list[str], text: str) -> None:
    """Add ``text`` to the pieces (regular expressions): a star starts a new piece, ``?`` is any character."""
    for c in text:
        if c == "*":
            pieces.append("")
        else:
            pieces[-1] += "." if c == "?" else re.escape(c)


class Glob:
    """A glob as the pieces between its stars, each a regular expression without repetition but an index's.

    It matches in time that neither the glob nor the address can stretch (both may come from a pull request:
    a config's ``ignore``, a YAML rule's ``address``, a plan's addresses). One regular expression with a
    ``.*`` for each star tries every way to split the address among them: ``*a*a*a*b`` against a long
    address took hours. Here each piece matches at most one way where it starts (an index follows a name
    only where a ``.`` or the end does, and starts with ``[``), so the pieces are placed one after the other,
    each ending as early as it can after the one before, which leaves the most room for the rest.
    """

    def __init__(self, pieces: list[str], head: str = "") -> None:
        self.head = head  # what every address the glob matches starts with: the pattern up to its first wildcard
        self._first = re.compile(pieces[0], re.S)
        self._middle = [re.compile(piece, re.S) for piece in pieces[1:-1]]
        self._last = re.compile(f"(?:{pieces[-1]})\\Z", re.S) if len(pieces) > 1 else None

    def fullmatch(self, address: str) -> bool:
        """Whether the glob matches the whole address."""
        if self._last is None:
            return self._first.fullmatch(address) is not None
        first = self._first.match(address)
        if first is None:
            return False
        end = first.end()
        for piece in self._middle:
            end = _earliest_end(piece, address, end)
            if end < 0:
                return False
        return self._last.search(address, end) is not None


def _earliest_end(piece: re.Pattern, text: str, start: int) -> int:
    """The earliest end of a match of the piece starting at ``start`` or after; -1 where there is none."""
    best = -1
    found = piece.search(text, start)
    while found is not None and (best < 0 or found.start() < best):
        best = found.end() if best < 0 else min(best, found.end())
        found = piece.search(text, found.start() + 1)
    return best

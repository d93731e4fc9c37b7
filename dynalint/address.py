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
def glob(pattern: str) -> re.Pattern:
    """A glob over addresses, matched against the whole address.

    ``*`` is any run of characters (dots and brackets included), ``?`` one
    character; everything else is literal, so ``t["a"]`` matches itself. A name
    written without an index stands for every instance of it, as with
    ``terraform -target``: ``module.tenant.*`` matches ``module.tenant.aws_t.n``,
    ``module.tenant["acme"].aws_t.n`` and ``module.tenant[0].aws_t.n``, and
    ``aws_t.n`` matches ``aws_t.n[0]``.
    """
    quoted = [m.span() for m in _QUOTED.finditer(pattern)]
    out, last = [], 0
    for match in _INSTANCE_NAME.finditer(pattern):
        if pattern[match.end() : match.end() + 1] == "[" or any(a <= match.start() < b for a, b in quoted):
            continue
        out.append(_literal(pattern[last : match.end()]) + _ANY_INDEX)
        last = match.end()
    return re.compile("".join(out) + _literal(pattern[last:]), re.S)


def _literal(text: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)

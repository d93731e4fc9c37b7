"""Terraform addresses: split ``module.a["x"].aws_t.n[0]`` into its parts."""
from __future__ import annotations

import functools
import re

# One step of an address: a name, optionally followed by an index [0] or ["key"].
# Terraform names may hold any Unicode letter: \w, not [A-Za-z0-9_].
_STEP = re.compile(r'([\w-]+)(\[(?:\d+|"(?:[^"\\]|\\.)*")\])?\.?')
_LAST_INDEX = re.compile(r'\[(?:\d+|"(?:[^"\\]|\\.)*")\]$')


@functools.lru_cache(maxsize=None)
def steps(address: str) -> tuple[tuple[str, str], ...]:
    """``module.a["x"].aws_t.n[0]`` -> (("module",""),("a",'["x"]'),("aws_t",""),("n","[0]")).

    Cached: a plan names the same module and resource addresses many times over.
    """
    out = []
    pos = 0
    while pos < len(address):
        m = _STEP.match(address, pos)
        if not m or m.end() == pos:
            raise ValueError(f"not a Terraform address: {address!r}")
        out.append((m.group(1), m.group(2) or ""))
        pos = m.end()
    return tuple(out)


@functools.lru_cache(maxsize=None)
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
            return address[:match.start()]
    return address


def join(module_address: str, local: str) -> str:
    return f"{module_address}.{local}" if module_address else local


@functools.lru_cache(maxsize=1024)
def glob(pattern: str) -> re.Pattern:
    """A glob over addresses: ``*`` is any run of characters (dots included), ``?`` one character;
    everything else is literal, so ``t["a"]`` matches itself."""
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.S)

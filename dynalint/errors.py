"""Errors that reach the user as one line and exit code 2."""

import os
from pathlib import Path
from typing import Any


class InputError(Exception):
    """The input or the usage is wrong. The message is the whole line the user sees."""


class TooMuchWork(InputError):
    """An input asks a check for more work than dynalint does: time in the square of its size, where real
    inputs take time in proportion to it. The input is refused (exit 2) rather than hang the run or pass
    unchecked. Said without the input's name: the engine, which knows it, adds it."""


class RuleError(Exception):
    """A rule definition is wrong (bad metadata, clashing id)."""


def env_limit(name: str, default: int) -> int:
    """A bound the workflow may raise through the environment (``DYNALINT_MAX_BYTES``, ...), or ``default``
    when it is not set. Anything but a whole number is an InputError naming the variable: a typo must not
    become an internal error, nor a bound of nothing."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdecimal() or not text.isascii():
        raise InputError(f"{name}={text!r}: expected a whole number (the default is {default:,})")
    return int(text)


def shown_path(path: Path) -> str:
    """A path as messages show it: relative to the current directory when it is under it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def expected_types(expected: Any) -> str:
    """A JSON Schema ``type`` (a name or a list of names) in the words of ``described``: "a mapping or null"."""
    kinds: list[str] = expected if isinstance(expected, list) else [expected]
    return " or ".join(_TYPE_WORDS.get(k, k) for k in kinds)


def described(value: Any) -> str:
    """What a value is, for a message that says what was expected and what was given."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a string ({value!r})" if len(value) <= 40 else "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__

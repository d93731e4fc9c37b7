"""How rule messages show the values they talk about (``label`` in dynalint.values names the resource)."""

from __future__ import annotations

from typing import Any

from dynalint.model import is_known


def shown(value: Any) -> str:
    """A setting in a message: quoted, "nothing" when absent, and a value not known as the sentinel says it
    ("(known after apply)", "(sensitive)": never the hidden value)."""
    if value is None:
        return "nothing"
    if not is_known(value):
        return str(value)
    return f"'{value}'"


def shown_number(number: float | int) -> str:
    """A number in a message as it would be written: 5 rather than 5.0, and every digit (12345678, not 1.23457e+07)."""
    return str(int(number)) if float(number).is_integer() else str(number)

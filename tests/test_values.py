"""dynalint.values: the readers rules share answer "absent", "not known" and the value apart."""

import pytest

from dynalint.model import SENSITIVE, UNKNOWN, Change, Resource
from dynalint.values import is_number, is_off, known_blocks, number_of, prior_values


@pytest.mark.parametrize(
    "value, number",
    [
        (5, 5),
        (2.5, 2.5),
        (0, 0),
        ("5", 5.0),
        ("-1.5", -1.5),
        ("+5", 5.0),
        (".5", 0.5),
        ("2e3", 2000.0),
        (None, None),
        (UNKNOWN, UNKNOWN),
        (SENSITIVE, SENSITIVE),
        # written, but no number Terraform converts: cannot be judged
        (True, UNKNOWN),
        ("five", UNKNOWN),
        ("", UNKNOWN),
        (" 5", UNKNOWN),
        ("inf", UNKNOWN),
        ("1_000", UNKNOWN),
        ([5], UNKNOWN),
        ({"n": 5}, UNKNOWN),
    ],
)
def test_number_of(value, number):
    found = number_of(value)
    assert type(found) is type(number) and (found is number or found == number)


def test_is_number_takes_ints_and_floats_not_booleans_or_text():
    assert is_number(3) and is_number(0.5)
    assert not is_number(True) and not is_number("3") and not is_number(None) and not is_number(UNKNOWN)


@pytest.mark.parametrize(
    "value, off",
    [
        (False, True),
        ("false", True),
        (None, True),
        ("maybe", True),  # not a boolean reads as unset: off
        (True, False),
        ("true", False),
        (UNKNOWN, False),
        (SENSITIVE, False),
    ],
)
def test_is_off(value, off):
    assert is_off(value) is off


def test_known_blocks():
    assert known_blocks({"ttl": [{"enabled": True}, "junk"]}, "ttl") == [{"enabled": True}]
    assert known_blocks({"ttl": UNKNOWN}, "ttl") == [] and known_blocks({"ttl": [UNKNOWN]}, "ttl") == []
    assert known_blocks({}, "ttl") == [] and known_blocks(None, "ttl") == []


def _table(change: Change | None) -> Resource:
    return Resource(
        address="aws_dynamodb_table.t", type="aws_dynamodb_table", name="t", values={"name": "t"}, change=change
    )


def test_prior_values_only_of_an_update_in_place():
    before = {"name": "t", "billing_mode": "PROVISIONED"}
    assert prior_values(_table(Change(("update",), before))) is before
    for actions in (("create",), ("delete",), ("delete", "create"), ("no-op",)):
        assert prior_values(_table(Change(actions, before))) is None
    assert prior_values(_table(Change(("update",), UNKNOWN))) is None  # a malformed plan
    assert prior_values(_table(None)) is None  # state and .tf input carry no change

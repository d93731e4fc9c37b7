"""The test helpers themselves: a negative assertion cannot pass on an address the input does not have."""

import pytest

from helpers import by_address, flagged, lint_case

FOUND = lint_case("durability", ["DDB101"])


def test_asking_about_an_address_the_input_has():
    assert "aws_dynamodb_table.protected" not in flagged(FOUND, "DDB101")
    assert "aws_dynamodb_table.unprotected" in flagged(FOUND, "DDB101")
    assert "aws_dynamodb_table.protected" not in by_address(FOUND, "DDB101")
    assert flagged(FOUND, "DDB101") & {"aws_dynamodb_table.protected"} == set()


@pytest.mark.parametrize(
    "ask",
    [
        lambda: "aws_dynamodb_table.renamed" not in flagged(FOUND, "DDB101"),
        lambda: "aws_dynamodb_table.renamed" not in by_address(FOUND),
        lambda: by_address(FOUND, "DDB101").get("aws_dynamodb_table.renamed", []),
        lambda: flagged(FOUND, "DDB101") & {"aws_dynamodb_table.renamed"},
        lambda: {"aws_dynamodb_table.renamed"} & flagged(FOUND, "DDB101"),
    ],
)
def test_asking_about_an_address_the_input_lacks_fails(ask):
    with pytest.raises(AssertionError, match="'aws_dynamodb_table.renamed' is no resource of the linted input"):
        ask()


def test_a_filtered_list_cannot_be_checked_so_it_is_refused():
    with pytest.raises(TypeError, match="pass the Findings"):
        flagged([f for f in FOUND], "DDB101")

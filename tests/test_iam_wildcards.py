"""IAM wildcards (``*`` any run, ``?`` one character) match as the regular expression they stand for.

``dynalint.rules._iam.matches`` matches a pattern without ``?`` piece by piece; whatever is drawn, it agrees
with the regular expression it replaces, case folded or not, in ASCII and out of it (where case is folded
outside ASCII, the regular expression decides: ``re.I`` folds the Kelvin sign and the long s).
"""

from __future__ import annotations

from dynalint.rules import _iam
from hypothesis import example, given, settings
from hypothesis import strategies as st

# few letters, so that pieces recur and overlap; and the letters whose case re.I folds outside ASCII
LETTERS = st.sampled_from(["a", "ab", "aAb:\n", "ksKS\u212a\u017f\u0130\u0131i"])


@st.composite
def pattern_and_text(draw):
    letters = draw(LETTERS)
    pattern = draw(st.text(alphabet=letters + draw(st.sampled_from(["*", "*?"])), max_size=10))
    return pattern, draw(st.text(alphabet=letters, max_size=12))


@settings(max_examples=4000, deadline=None)
@given(pattern_and_text(), st.booleans())
@example(("a*a", "a"), False)  # the prefix and the suffix would overlap
@example(("aa*a*a", "aaa"), False)  # a middle piece would overlap the suffix
def test_matching_agrees_with_the_regular_expression(drawn, fold_case):
    pattern, text = drawn
    expected = _iam._regex(pattern, fold_case).fullmatch(text) is not None
    assert _iam.matches(pattern, text, fold_case) is expected


def test_pieces_between_stars_are_found_in_order_and_do_not_overlap():
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/by-date"
    assert _iam.matches("arn:aws:dynamodb:*:*:table/orders/index/*", arn)
    assert _iam.matches("arn:aws:dynamodb:*:table/*/index/*", arn)
    assert not _iam.matches("arn:aws:dynamodb:*:table/*/stream/*", arn)
    assert not _iam.matches("ab*ba", "aba")  # the prefix and the suffix share the middle a: no match
    assert _iam.matches("ab*ba", "abba")
    assert _iam.matches("a*a*a", "aaa") and not _iam.matches("a*a*a", "aa")
    assert _iam.matches("DynamoDB:Get*", "dynamodb:GetItem", fold_case=True)
    assert not _iam.matches("DynamoDB:Get*", "dynamodb:GetItem")
    assert _iam.matches("*", "") and _iam.matches("**", "x\ny")

"""IAM wildcards (``*`` any run of characters, ``?`` any one) match as the regular expression they stand for,
in time that no pattern or text a plan holds can stretch.

``dynalint.rules._iam.matches`` places the pieces between the stars one after the other; whatever is drawn, it
agrees with the regular expression (``*`` as ``.*``, ``?`` as ``.``), case folded (as ``lower()`` folds it) or
not. That regular expression is what it was: it backtracked for hours on a pattern such as ``*a*a*a*?b``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

from dynalint.rules import _iam
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpers import query_statement

# few letters, so that pieces recur and overlap; and letters whose lower case is not one ASCII letter
LETTERS = st.sampled_from(["a", "ab", "aAb:\n", "ksKS\u212a\u017f\u0130\u0131i"])


@st.composite
def pattern_and_text(draw):
    letters = draw(LETTERS)
    pattern = draw(st.text(alphabet=letters + draw(st.sampled_from(["*", "*?"])), max_size=10))
    return pattern, draw(st.text(alphabet=letters, max_size=12))


def _reference(pattern: str, text: str, fold_case: bool) -> bool:
    if fold_case:
        pattern, text = pattern.lower(), text.lower()
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(body, text, re.S) is not None


@settings(max_examples=1500, deadline=None)
@given(pattern_and_text(), st.booleans())
@example(("a*a", "a"), False)  # the prefix and the suffix would overlap
@example(("aa*a*a", "aaa"), False)  # a middle piece would overlap the suffix
@example(("a?*?a", "aaa"), False)  # pieces with ? at both ends
@example(("*a?a*", "aba"), False)
def test_matching_agrees_with_the_regular_expression(drawn, fold_case):
    pattern, text = drawn
    assert _iam.matches(pattern, text, fold_case) is _reference(pattern, text, fold_case)


def test_pieces_between_stars_are_found_in_order_and_do_not_overlap():
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/by-date"
    assert _iam.matches("arn:aws:dynamodb:*:*:table/orders/index/*", arn)
    assert _iam.matches("arn:aws:dynamodb:*:table/*/index/*", arn)
    assert _iam.matches("arn:aws:dynamodb:us-east-?:*:table/ord?rs/*", arn)
    assert not _iam.matches("arn:aws:dynamodb:*:table/*/stream/*", arn)
    assert not _iam.matches("ab*ba", "aba")  # the prefix and the suffix share the middle a: no match
    assert _iam.matches("ab*ba", "abba")
    assert _iam.matches("a*a*a", "aaa") and not _iam.matches("a*a*a", "aa")
    assert _iam.matches("DynamoDB:Get*", "dynamodb:GetItem", fold_case=True)
    assert not _iam.matches("DynamoDB:Get*", "dynamodb:GetItem")
    assert _iam.matches("*", "") and _iam.matches("**", "x\ny") and not _iam.matches("?", "")


def test_a_policy_crafted_to_backtrack_is_read_at_once(tmp_path):
    # a state a pull request could hold: a table with a long name and a policy whose Resource patterns, as
    # regular expressions of .*, take hours against its ARN (the run would never end: a hang, not a finding)
    name = "a" * 3000
    table = {
        "address": "aws_dynamodb_table.t",
        "mode": "managed",
        "type": "aws_dynamodb_table",
        "name": "t",
        "values": {
            "name": name,
            "arn": f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}",
            "billing_mode": "PAY_PER_REQUEST",
            "hash_key": "pk",
            "attribute": [{"name": "pk", "type": "S"}, {"name": "g", "type": "S"}],
            # an index: the rule that asks whether a policy reaches the table but not its indexes reads the table
            "global_secondary_index": [{"name": "by-g", "hash_key": "g", "projection_type": "ALL"}],
        },
    }
    patterns = ["arn:aws:dynamodb:*:*:table/*a*a*a*?b", "arn:aws:dynamodb:*:*:table/*a*a*a*a*a*a*b"]
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "dynamodb:Query", "Resource": patterns}],
    }
    policy = {
        "address": "aws_iam_policy.p",
        "mode": "managed",
        "type": "aws_iam_policy",
        "name": "p",
        "values": {"name": "p", "policy": json.dumps(document)},
    }
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"format_version": "1.0", "values": {"root_module": {"resources": [table, policy]}}}))
    done = subprocess.run(
        [sys.executable, "-m", "dynalint", str(state), "--no-config", "-f", "json"],
        capture_output=True,
        timeout=120,  # a hang detector: the run takes a fraction of a second
        cwd=tmp_path,
    )
    assert done.returncode in (0, 1), done.stderr
    assert any(f["address"] == "aws_dynamodb_table.t" for f in json.loads(done.stdout)["findings"])


# ---------------------------------------------------------------- DDB602's grants
# DDB602 tries a policy's Resource patterns on every table the policy may name. It splits each pattern once and
# looks the ones without a wildcard up by their last part; whatever is drawn, it answers what trying each
# pattern in turn answers (the definition below: the parts known must match, a part not known agrees).
ARN_PARTS = [
    st.sampled_from(["arn", "a*", "*"]),
    st.sampled_from(["aws", "aws-cn", "aws*"]),
    st.sampled_from(["dynamodb", "dyn*", "s3", "*"]),
    st.sampled_from(["us-east-1", "eu-west-1", "us-*", "*", ""]),
    st.sampled_from(["111122223333", "444455556666", "*", "1111????3333"]),
    st.builds(
        "".join,
        st.tuples(
            st.sampled_from(["table/", "tab*/", "*"]),
            st.sampled_from(["orders", "ord*", "o?ders", "invoices", "*"]),
            st.sampled_from(["", "/index/by_day", "/index/*", "/*", "*"]),
        ),
    ),
]
PATTERNS = st.one_of(
    st.tuples(*ARN_PARTS).map(":".join),
    st.sampled_from(["*", "arn:*", "arn:aws:dynamodb:*", "arn:aws:dynamodb:us-east-1:*:table/orders"]),
)


def _taken_by_each_pattern(arn, patterns, suffix: str) -> list[str]:
    """The patterns that take in the table's ARN plus ``suffix``, in order, each tried on its own."""
    taken = []
    for pattern in patterns:
        parts = pattern.split(":", 5)
        if len(parts) != 6:
            stand_in = (
                f"arn:{arn.partition or 'aws'}:dynamodb:{arn.region or 'us-east-1'}:"
                f"{arn.account or '000000000000'}:table/{arn.name}{suffix}"
            )
            if _iam.matches(pattern, stand_in):
                taken.append(pattern)
            continue
        known = ("arn", arn.partition, "dynamodb", arn.region, arn.account, f"table/{arn.name}{suffix}")
        if all(value is None or _iam.matches(part, value) for part, value in zip(parts, known, strict=True)):
            taken.append(pattern)
    return taken


@settings(max_examples=600, deadline=None)
@given(
    st.lists(PATTERNS, max_size=8),
    st.booleans(),
    st.sampled_from(["orders", "invoices", "ord"]),
    st.sampled_from([None, "aws"]),
    st.sampled_from([None, "us-east-1", "eu-west-1"]),
    st.sampled_from([None, "111122223333"]),
)
@example(  # an ARN without a wildcard before one with: the policy writes the first
    ["arn:aws:dynamodb:us-east-1:111122223333:table/orders", "arn:aws:dynamodb:*:*:table/orders"],
    False,
    "orders",
    "aws",
    "us-east-1",
    "111122223333",
)
def test_ddb602_grants_answer_as_each_pattern_tried_in_turn(patterns, negated, name, partition, region, account):
    from dynalint.rules import access

    statement = query_statement(
        resources=None if negated else tuple(patterns), not_resources=tuple(patterns) if negated else None
    )
    grant = access._Grant(statement)
    arn = access._TableArn(name, partition, region, account)
    tries = access._Tries(1)
    for suffix in ("", "/index/by_day", "/index/other"):
        taken = _taken_by_each_pattern(arn, patterns, suffix)
        assert grant.takes_in(arn, suffix, tries) is (not taken if negated else bool(taken))
    written = [p for p in _taken_by_each_pattern(arn, patterns, "") if p.startswith("arn:")]
    assert grant.written(arn, tries) == (None if negated or not written else written[0])

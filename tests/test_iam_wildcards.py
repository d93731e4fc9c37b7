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

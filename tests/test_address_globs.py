"""Address globs (a config's ``ignore``, a YAML rule's ``address``) match as the regular expression they stand
for, in time that neither the glob nor the address can stretch: both may come from a pull request.

``dynalint.address.Glob`` places the pieces between the stars one after the other; whatever is drawn, it
agrees with one regular expression of the whole glob (a star as ``.*``, what it was), which tried every way to
split a long address among the stars.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dynalint import address

PIECES = ["module", ".", "a", "b", "[0]", '["k"]', '"', "[", "]", "*", "?", "aws_t", "n", "\\"]


def _reference(pattern: str) -> re.Pattern:
    """The glob as one regular expression, star by star as ``.*`` (built as dynalint.address built it)."""
    quoted = [m.span() for m in address._QUOTED.finditer(pattern)]
    out, last = [], 0
    for match in address._INSTANCE_NAME.finditer(pattern):
        if pattern[match.end() : match.end() + 1] == "[" or any(a <= match.start() < b for a, b in quoted):
            continue
        out.append(_stars(pattern[last : match.end()]) + address._ANY_INDEX)
        last = match.end()
    return re.compile("".join(out) + _stars(pattern[last:]), re.S)


def _stars(text: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=9), st.lists(st.sampled_from(PIECES[:-3] + ["x"]), max_size=10))
@example(["module", ".", "a", ".", "*", "b"], ["module", ".", "a", '["k"]', ".", "b"])
# the first place a piece starts is not always the best: here it takes the quoted key, and the rest no longer fits
@example(
    ["*", "module", ".", "a", ".", "*", "x", '"', "]", ".", "n"], ["module", ".", "a", '["', "module.a.x", '"]', ".n"]
)
def test_globs_agree_with_the_regular_expression(glob_parts, address_parts):
    pattern, text = "".join(glob_parts), "".join(address_parts)
    glob, matched = address.glob(pattern), _reference(pattern).fullmatch(text) is not None
    assert glob.fullmatch(text) is matched
    assert not matched or text.startswith(glob.head)  # what the config's index of ignore entries relies on


@pytest.mark.parametrize(
    "pattern, suppressed",
    [("aws_dynamodb_table.*a*a*a*a*a*a*?b", False), ("aws_dynamodb_table.*a*a*a*a*a*a*?a", True)],
)
def test_an_ignore_entry_crafted_to_backtrack_is_read_at_once(tmp_path, pattern, suppressed):
    # a pull request's config and state: globs whose regular expression of .* takes hours against a long address
    name = "a" * 3000
    table = {
        "address": f"aws_dynamodb_table.{name}",
        "mode": "managed",
        "type": "aws_dynamodb_table",
        "name": name,
        "values": {"name": "t", "billing_mode": "PAY_PER_REQUEST", "hash_key": "pk"},
    }
    state = {"format_version": "1.0", "values": {"root_module": {"resources": [table]}}}
    (tmp_path / "state.json").write_text(json.dumps(state))
    (tmp_path / ".dynalint.yaml").write_text(
        f"ignore:\n  - rule: DDB101\n    address: '{pattern}'\n    reason: crafted\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "dynalint", "state.json", "-f", "json", "--show-suppressed"],
        capture_output=True,
        timeout=120,  # a hang detector: the run takes a fraction of a second
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr
    [pitr] = [f for f in json.loads(done.stdout)["findings"] if f["rule_id"] == "DDB101"]
    assert (pitr["suppression"] is not None) is suppressed

"""The decoder reads the whole document with the JSON parser: the same value as json.loads, and a
top-level key written twice refused (issue 13)."""
import json

import pytest

from dynalint.errors import InputError
from dynalint.load.decode import parse_document, parse_text
from helpers import SAMPLES, SHARED, TF_CASES

PLANS = sorted(TF_CASES.glob("**/plan.json")) + sorted(SAMPLES.glob("*/plan.json"))
CORPUS = sorted((SHARED / "corpus" / "plans").glob("*.json"))


def _text(path):
    data = path.read_bytes()
    return data.decode("utf-16") if data[:2] == b"\xff\xfe" else data.decode("utf-8-sig")


@pytest.mark.parametrize("path", PLANS + CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_document_is_what_json_loads_reads(path):
    text = _text(path)
    assert parse_document(text, "plan.json") == json.loads(text)


@pytest.mark.parametrize("text", [
    ' \n{ "a" : [1, {"b": 2}] ,\t"c":null }\r\n',  # whitespace wherever JSON allows it
    "{}", " { } ", '{"a":{}}', "[]", "5", '"x"', "null",
])
def test_any_layout_reads_as_json_loads_reads_it(text):
    assert parse_document(text, "plan.json") == json.loads(text)


@pytest.mark.parametrize("text", [
    '{"a": 1,}', '{"a" 1}', '{"a": 1 "b": 2}', '{"a": 1} x', '{"a": 1', '{a: 1}', '{"a": tru}', '{"a": 1}}',
    '{"format_version": "1.2", "planned_values": {',
])
def test_malformed_json_gets_the_parsers_own_message(text):
    with pytest.raises(InputError) as expected:
        parse_text(text, "plan.json")
    with pytest.raises(InputError) as got:
        parse_document(text, "plan.json")
    assert str(got.value) == str(expected.value)


@pytest.mark.parametrize("text", [
    '{"resource_changes": [], "format_version": "1.2", "resource_changes": [{"address": "aws_x.y"}]}',
    '{"resource_changes": [{"address": "aws_x.y"}], "resource_changes": []}',
    '{"a": 1, "a": 1}',  # the same value twice is still two copies
    '{"resource_changes": [], "resource_\\u0063hanges": []}',  # the parser's reading of a key counts, not its text
])
def test_a_top_level_key_written_twice_is_refused(text):
    with pytest.raises(InputError, match=r"^plan\.json: the top-level key \"(resource_changes|a)\" appears twice"):
        parse_document(text, "plan.json")


def test_a_key_named_like_a_section_inside_a_value_is_a_value():
    text = '{"variables": {"meta": {"value": {"resource_changes": []}}}, "resource_changes": [{"address": "a.b"}]}'
    assert parse_document(text, "plan.json")["resource_changes"] == [{"address": "a.b"}]


def test_nesting_past_the_parsers_limit_is_one_line():
    with pytest.raises(InputError, match="nested too deeply"):
        parse_document('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "plan.json")

"""The decoder reads the whole document with the JSON parser: the same value as json.loads, and a
top-level key written twice refused (issue 13)."""

import dataclasses
import json
import re

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


@pytest.mark.parametrize(
    "text",
    [
        ' \n{ "a" : [1, {"b": 2}] ,\t"c":null }\r\n',  # whitespace wherever JSON allows it
        "{}",
        " { } ",
        '{"a":{}}',
        "[]",
        "5",
        '"x"',
        "null",
    ],
)
def test_any_layout_reads_as_json_loads_reads_it(text):
    assert parse_document(text, "plan.json") == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1,}',
        '{"a" 1}',
        '{"a": 1 "b": 2}',
        '{"a": 1} x',
        '{"a": 1',
        "{a: 1}",
        '{"a": tru}',
        '{"a": 1}}',
        '{"format_version": "1.2", "planned_values": {',
    ],
)
def test_malformed_json_gets_the_parsers_own_message(text):
    with pytest.raises(InputError) as expected:
        parse_text(text, "plan.json")
    with pytest.raises(InputError) as got:
        parse_document(text, "plan.json")
    assert str(got.value) == str(expected.value)


@pytest.mark.parametrize(
    "text",
    [
        '{"resource_changes": [], "format_version": "1.2", "resource_changes": [{"address": "aws_x.y"}]}',
        '{"resource_changes": [{"address": "aws_x.y"}], "resource_changes": []}',
        '{"a": 1, "a": 1}',  # the same value twice is still two copies
        '{"resource_changes": [], "resource_\\u0063hanges": []}',  # the parser's reading of a key counts, not its text
    ],
)
def test_a_top_level_key_written_twice_is_refused(text):
    with pytest.raises(InputError, match=r"^plan\.json: the top-level key \"(resource_changes|a)\" appears twice"):
        parse_document(text, "plan.json")


def test_a_key_named_like_a_section_inside_a_value_is_a_value():
    text = '{"variables": {"meta": {"value": {"resource_changes": []}}}, "resource_changes": [{"address": "a.b"}]}'
    assert parse_document(text, "plan.json")["resource_changes"] == [{"address": "a.b"}]


def test_nesting_past_the_parsers_limit_is_one_line():
    with pytest.raises(InputError, match="nested too deeply"):
        parse_document('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "plan.json")


# ---------------------------------------------------------------------- the fast reading (msgspec)
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dynalint.load import decode, load_bytes  # noqa: E402
from dynalint.load.decode import READ, UNREAD, Encoded, decode_input, read_document  # noqa: E402
from dynalint.load.plan import load_document  # noqa: E402
from dynalint.model import SENSITIVE, UNKNOWN  # noqa: E402


def _slow(data: bytes):
    return parse_document(decode_input(data, "plan.json"), "plan.json")


def _without_values(planned):
    """planned_values as the fast reading keeps it when the loader does not read its values."""

    def module(m):
        out = {}
        if "resources" in m:
            out["resources"] = (
                None
                if m["resources"] is None
                else [{k: r[k] for k in ("address", "mode", "type", "name", "index") if k in r} for r in m["resources"]]
            )
        if "child_modules" in m:
            out["child_modules"] = None if m["child_modules"] is None else [module(c) for c in m["child_modules"]]
        return out

    if planned is None or "root_module" not in planned:
        return planned if planned is None else {}
    return {"root_module": None if planned["root_module"] is None else module(planned["root_module"])}


def _same_reading(data: bytes) -> None:
    """read_document gives what the standard library reads (the same error, or the same sections)."""
    try:
        slow = _slow(data)
    except InputError as exc:
        with pytest.raises(InputError) as fast_error:
            read_document(data, "plan.json")
        assert str(fast_error.value) == str(exc)
        return
    fast = read_document(data, "plan.json")
    if not isinstance(slow, dict):
        assert fast == slow
        return
    assert fast.keys() == slow.keys()
    for key, value in fast.items():
        if key == "resource_changes" and value != slow[key]:
            _entries_as_read(value, slow[key])
        elif key in READ:
            assert value == slow[key], key
        elif key == "planned_values" and value != slow[key]:
            assert value == _without_values(slow[key])
        else:
            assert value is UNREAD or value == slow[key]


def _marks_plan(marks: bytes) -> bytes:
    """A plan of one change whose three marks are ``marks``."""
    return (
        b'{"format_version": "1.2", "resource_changes": [{"address": "aws_s3_bucket.b", "mode": "managed", '
        b'"type": "aws_s3_bucket", "name": "b", "change": {"actions": ["update"], "before": {"k": 1}, '
        b'"after": {"k": 1}, "after_unknown": ' + marks + b', "before_sensitive": ' + marks + b", "
        b'"after_sensitive": ' + marks + b"}}]}"
    )


def _entries_as_read(fast: list, slow: list) -> None:
    """resource_changes as the fast reading gives it: each entry with the keys the loader reads, and
    each mark as written, or false where it marks nothing (it holds no true), or Encoded (its text)."""
    assert len(fast) == len(slow)
    for entry, written in zip(fast, slow, strict=True):
        keys = {k: v for k, v in written.items() if k in decode._Entry.__annotations__ and k != "change"}
        assert {k: v for k, v in entry.items() if k != "change"} == keys
        if "change" not in written:
            assert "change" not in entry
            continue
        change, written_change = entry["change"], written["change"]
        assert change.keys() == written_change.keys() & decode._Change.__annotations__.keys()
        for key, value in change.items():
            if key in decode._MARKS:
                if isinstance(value, Encoded):
                    value = value.decode()
                assert value == written_change[key] or (value is False and not _holds_true(written_change[key])), key
            else:
                assert value == written_change[key], key
        if change.get("before") is not None and change["before"] is change.get("after"):  # one tree for two
            assert written_change.get("before_sensitive") == written_change.get("after_sensitive")
            assert not _holds_true(written_change.get("after_unknown"))


def _holds_true(value) -> bool:
    if value is True:
        return True
    if isinstance(value, dict):
        return any(_holds_true(v) for v in value.values())
    return isinstance(value, list) and any(_holds_true(v) for v in value)


@pytest.mark.parametrize("path", PLANS + CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_fast_reading_reads_every_real_plan_as_the_parser_does(path):
    _same_reading(path.read_bytes())


@pytest.mark.parametrize("path", PLANS + CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_fast_reading_gives_the_model_the_parser_gives(path):
    """What the loader builds (load_bytes: the configuration read once the bytes are freed, each block's
    expressions read once; marks read late, or as false; one tree for a no-op's before and after) is what it
    builds from the standard library's reading."""
    data = path.read_bytes()
    try:
        slow = load_document(_slow(data), "plan.json")
    except InputError as exc:
        with pytest.raises(InputError, match=re.escape(str(exc))):
            load_bytes(data, "plan.json", locate=False)
        return
    fast = load_bytes(data, "plan.json", locate=False)
    assert len(fast.resources) == len(slow.resources) and len(fast.data_sources) == len(slow.data_sources)
    for mine, theirs in zip(fast.resources + fast.data_sources, slow.resources + slow.data_sources, strict=True):
        for field in dataclasses.fields(mine):  # a Resource is equal to itself only (the graph's nodes)
            assert getattr(mine, field.name) == getattr(theirs, field.name), (mine.address, field.name)
    assert dataclasses.replace(fast, resources=(), data_sources=()) == dataclasses.replace(
        slow, resources=(), data_sources=()
    )


def test_real_plans_take_the_fast_reading(monkeypatch):
    def slow(*_):
        raise AssertionError("the slow reading was used")

    monkeypatch.setattr(decode, "parse_document", slow)
    doc = read_document((SAMPLES / "bad" / "plan.json").read_bytes(), "plan.json")
    assert doc["prior_state"] is UNREAD and "values" not in doc["planned_values"]["root_module"]["resources"][0]
    corpus = read_document(
        (SHARED / "corpus" / "plans" / "reencoded__plan-tf1156-cmk-utf16le-bom.json").read_bytes(), "plan.json"
    )  # UTF-16: re-encoded, then read fast
    assert corpus["resource_changes"]


@pytest.mark.parametrize(
    "data",
    [
        b'{"format_version": "1.2", "terraform_version": "\\ud800"}',  # a lone surrogate: msgspec refuses
        b'{"format_version": "1.2", "variables": {"x": {"value": NaN}}}',  # not JSON, read by Python's parser
        b'{"format_version": "1.2", "variables": {"x": {"value": 1e400}}}',  # inf, as Python reads it
        b'{"format_version": "1.2", "variables": {"x": {"value": 123456789012345678901234567890}}}',
        b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"format_version": "1.2", "planned_values": {"outputs": "\xff\xfe\xfd"}}',  # not UTF-8
        b"\xef\xbb\xbf" + b'{"format_version": "1.0"}',
        '{"format_version": "1.0", "values": {}}'.encode("utf-16"),
        '{"format_version": "1.0", "values": {}}'.encode("utf-16-le"),
        '{"format_version": "1.0", "values": {}}'.encode("utf-16-be"),
        b'{"resource_changes": [], "format_version": "1.2", "resource_changes": [{"address": "aws_x.y"}]}',
        b'{"a": 1, "a": 1}',
        b'{"resource_changes": [], "resource_\\u0063hanges": []}',
        b' {\n"a" :\t1 , "b":{"a":1,"a":2}}\r\n',
        b"{}",
        b"[]",
        b"5",
        b"",
        b"  ",
        b'{"a": 1} x',
        b'{"a": 1,}',
        b'{"planned_values": {"root_module": {"resources": [{"address": 7, "values": {}}]}}, "resource_changes": [1]}',
        b'{"planned_values": {"root_module": {"resources": {}}}}',  # a shape the fast reading's types refuse
        # marks: not UTF-8, a number out of range, an escape, with and without a true (the fast reading
        # keeps a plain mark encoded, and reads one without a true as false)
        _marks_plan(b'{"k\xff": true}'),
        _marks_plan(b'{"k\xff": false}'),
        _marks_plan(b'{"k": [true, 1e400]}'),
        _marks_plan(b'{"k": [false, 1e400]}'),
        _marks_plan(b'{"\\u006b": true, "true": false}'),
        _marks_plan(b'{"k": true}'),
        _marks_plan(b'{"true": false}'),
        _marks_plan(b"[true]"),
        _marks_plan(b"true"),
        _marks_plan(b'"true"'),
    ],
)
def test_the_fast_reading_gives_the_parsers_answer_on_odd_documents(data):
    _same_reading(data)


_KEYS = st.sampled_from(
    [
        "format_version",
        "resource_changes",
        "variables",
        "planned_values",
        "values",
        "prior_state",
        "configuration",
        "errored",
        "root_module",
        "resources",
        "address",
        "mode",
        "x",
    ]
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.lists(st.tuples(_KEYS, _JSON), max_size=6),
    st.sampled_from([None, 1, "\t"]),
    st.integers(0, 5),
    st.binary(max_size=2),
)
def test_the_fast_reading_agrees_with_the_parser_on_any_object(pairs, indent, cut, noise):
    """Objects with repeated keys, any layout, sometimes cut short or with bytes put in."""
    body = ", ".join(f"{json.dumps(k)}: {json.dumps(v, indent=indent)}" for k, v in pairs)
    data = ("{" + body + "}").encode()
    if cut:
        data = data[: max(0, len(data) - cut)] + noise
    _same_reading(data)


def test_a_no_op_is_read_as_one_tree_for_before_and_after():
    """Where before and after are the same text, with the same sensitivity marks and nothing unknown, the
    fast reading decodes one tree for both, and the model holds it once; where the marks differ, two."""
    shared = read_document(_marks_plan(b"{}"), "plan.json")
    change = shared["resource_changes"][0]["change"]
    assert change["before"] is change["after"] == {"k": 1}
    resource = load_document(shared, "plan.json").resources[0]
    assert resource.change.before is resource.values
    marked = _marks_plan(b"{}").replace(b'"before_sensitive": {}', b'"before_sensitive": {"k": true}')
    change = read_document(marked, "plan.json")["resource_changes"][0]["change"]
    assert change["before"] is not change["after"] and change["before"] == change["after"]
    resource = load_document(read_document(marked, "plan.json"), "plan.json").resources[0]
    assert resource.change.before == {"k": SENSITIVE} and resource.values == {"k": 1}
    unknown = _marks_plan(b"{}").replace(b'"after_unknown": {}', b'"after_unknown": {"u": true}')
    change = read_document(unknown, "plan.json")["resource_changes"][0]["change"]
    assert change["before"] is not change["after"]


def test_one_object_for_before_and_after_is_marked_apart():
    """A document built in Python may hand the loader one object as before and after: where its marks differ,
    the loader copies it before writing what is unknown or sensitive into one of them."""
    tree = {"k": "a secret", "u": None}
    entry = {
        "address": "aws_s3_bucket.b",
        "mode": "managed",
        "type": "aws_s3_bucket",
        "name": "b",
        "change": {"actions": ["update"], "before": tree, "after": tree, "after_unknown": {"u": True}},
    }
    resource = load_document({"format_version": "1.2", "resource_changes": [entry]}, "plan.json").resources[0]
    assert resource.values == {"k": "a secret", "u": UNKNOWN} and resource.change.before == {"k": "a secret", "u": None}
    entry["change"] = {"actions": ["update"], "before": tree, "after": tree, "before_sensitive": {"k": True}}
    resource = load_document({"format_version": "1.2", "resource_changes": [entry]}, "plan.json").resources[0]
    assert resource.change.before["k"] is SENSITIVE and resource.values["k"] is SENSITIVE  # scrubbed: a known secret


def _configured_plan(constant: bytes) -> bytes:
    """A plan of one bucket whose configuration sets ``k`` to the constant ``constant`` (JSON text)."""
    return (
        b'{"format_version": "1.2", "resource_changes": [{"address": "aws_s3_bucket.b", "mode": "managed", '
        b'"type": "aws_s3_bucket", "name": "b", "change": {"actions": ["create"], "before": null, "after": {"k": 1}}}], '
        b'"configuration": {"root_module": {"resources": [{"address": "aws_s3_bucket.b", "mode": "managed", '
        b'"type": "aws_s3_bucket", "name": "b", "expressions": {"k": {"constant_value": ' + constant + b"}}}]}}}"
    )


@pytest.mark.parametrize(
    "constant",
    [
        b'"plain"',
        b"1e400",  # msgspec cannot hold it: the standard library reads inf
        b'"\\ud800"',  # a lone surrogate
        b"1" * 5000,  # more digits than Python reads
        b'"\xff"',  # not UTF-8
        b'"caf\xc3\xa9"',
    ],
)
def test_the_configuration_read_after_the_bytes_are_freed_reads_as_the_parser_does(constant):
    """The loader decodes the configuration once it has let the file's bytes go (load_bytes defers it): the
    same configuration, or the same refusal, as the standard library's reading of the whole file."""
    data = _configured_plan(constant)
    try:
        slow = load_document(_slow(data), "plan.json").resources[0].configured
    except InputError as exc:
        with pytest.raises(InputError) as fast_error:
            load_bytes(data, "plan.json")
        assert str(fast_error.value) == str(exc)
        return
    assert load_bytes(data, "plan.json").resources[0].configured == slow


def test_a_deferred_configuration_is_its_text_until_read():
    doc, _ = decode.read_located(_configured_plan(b"1e400"), "plan.json", defer=frozenset({"configuration"}))
    assert isinstance(doc["configuration"], Encoded)
    decode.read_deferred(doc, "plan.json")
    assert doc["configuration"]["root_module"]["resources"][0]["expressions"]["k"] == {"constant_value": float("inf")}


def test_loading_takes_each_change_into_the_model():
    """load_document takes resource_changes and each entry's change (their trees are the model's), and leaves the
    rest as it was."""
    doc = read_document(_marks_plan(b"{}"), "plan.json")
    entry = doc["resource_changes"][0]
    change = entry["change"]
    resource = load_document(doc, "plan.json").resources[0]
    assert "change" not in entry and entry["address"] == "aws_s3_bucket.b"
    assert set(doc) == {"format_version"}
    assert resource.values is change["after"] and resource.change.actions == ("update",)

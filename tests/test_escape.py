"""dynalint.report.escape: untrusted text made inert for each kind of output (issue 14).

The markdown checks render with cmarkgfm, GitHub's own markdown parser (cmark-gfm), with raw HTML
let through, so that what GitHub would render is what is checked.
"""

import json
import re
import xml.etree.ElementTree as ET

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from dynalint.report.escape import (
    block,
    cap,
    json_document,
    markdown_code,
    markdown_text,
    one_line,
    text,
    uri_reference,
    workflow_data,
    workflow_property,
)

HOSTILE = [
    "plain",
    "line\nbreak\r\nand\x00nul",
    "esc\x1b[31mred\x1b[0m\x07bell\x9bcsi",
    "::error file=a,line=1::forged",
    "  ::warning::indented",
    "mid ##[error]legacy and ##vso[task.setvariable variable=x]1 and ##[stop-commands]t",
    "bidi\u202egnp.exe\u2066x\u2069 zero\u200bwidth \u2028ls \u0085nel \ufeffbom",
    "tick` two`` three``` <img src=x onerror=alert(1)>",
    "`leading and trailing`",
    "<details open><summary>x</summary>",
    "[link](https://evil.example) ![img](https://evil.example/i.png) <https://evil.example> www.evil.example",
    "mail a@b.co, mention @octocat, team @org/team, issue #1, org/repo#2",
    "**bold** _it_ ~~del~~ | cell | $math$ &amp; &#64; \\`",
    "\ud800 lone surrogate",
    "",
]


def github_html(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def visible_text(html: str) -> str:
    """The text of rendered HTML outside code, pre and links, as GitHub's mention and reference filters see it."""
    html = re.sub(r"<(code|pre|a)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize("value", HOSTILE)
def test_one_line_and_text_leave_no_control_character_and_no_log_command(value):
    for shown in (one_line(value), text(value)):
        assert "\n" not in shown and all(c.isprintable() for c in shown), repr(shown)
    shown = text(value)
    assert not shown.lstrip().startswith("::") and not re.search(r"##\w*\[", shown)


def test_text_is_the_value_when_nothing_is_wrong():
    assert text('aws_dynamodb_table.orders["eu-west-1"]') == 'aws_dynamodb_table.orders["eu-west-1"]'
    assert one_line("a\nb\x1b") == "a\\nb\\x1b"
    assert text("::x") == "\\::x" and text("a ##[error]b") == "a ##\\[error]b"


def test_block_keeps_lines_and_escapes_each():
    assert block("# Title\n::error::x\n\x1b[2J") == "# Title\n\\::error::x\n\\x1b[2J"


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_text_renders_as_the_value_reads(value):
    html = github_html(f"x {markdown_text(value)} y\n")
    assert re.findall(r"<(/?\w+)", html) in (
        ["p", "/p"],
        ["p", "code", "/code", "/p"],
        ["p", "code", "/code", "code", "/code", "/p"],
    ), html
    words = visible_text(html)  # a zero-width space after @ and # and in www. and :// keeps GitHub from linking
    assert not re.search(r"@\w|#\d|www\.|://", words), words


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_code_is_one_code_span_holding_the_value(value):
    span = markdown_code(value)
    html = github_html(f"#### {span} tail\n")
    assert re.fullmatch(r"<h4><code>.*</code> tail</h4>\n", html, re.S), html
    code = re.search(r"<code>(.*)</code>", html, re.S).group(1)
    unescaped = code.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    assert unescaped.strip(" ").replace("\u200b", "") == one_line(value).strip(" ") or not value


def test_markdown_code_span_in_a_heading_carries_an_address_with_backticks():
    address = 'aws_dynamodb_table.t["a`` <img src=x onerror=alert(1)> ``b"]'
    html = github_html(f"#### {markdown_code(address)}\n")
    assert "<img" not in html and "&lt;img" in html


def test_markdown_escapes_are_cut_to_a_size():
    long = "x" * 5000
    assert len(markdown_text(long, 100)) < 200 and "5,000 characters in all" in markdown_text(long, 100)
    assert cap("abc", 3) == "abc" and cap("abcd", 3) == "abc… (4 characters in all)"


def test_markdown_text_keeps_code_spans_of_messages():
    html = github_html(markdown_text("Table 'x' has `point_in_time_recovery` off: add it.") + "\n")
    assert html == "<p>Table 'x' has <code>point_in_time_recovery</code> off: add it.</p>\n"


@pytest.mark.parametrize("value", HOSTILE)
def test_workflow_command_parts_stay_in_their_field(value):
    data, prop = workflow_data(value), workflow_property(value)
    assert "\n" not in data and "\r" not in data and all(c.isprintable() for c in data)
    assert ":" not in prop and "," not in prop and "\n" not in prop


@pytest.mark.parametrize("value", HOSTILE)
def test_json_document_is_the_same_values_without_active_characters(value):
    document = json_document(json.dumps({"v": value}, ensure_ascii=False, indent=2))
    assert json.loads(document) == {"v": value}
    assert all(c.isprintable() or c == "\n" for c in document) and not re.search(r"##\w*\[", document)


def test_json_document_writes_characters_outside_the_basic_plane_as_surrogate_pairs():
    assert json.loads(json_document('"\U000e0001x"')) == "\U000e0001x"
    assert json_document('"caf\u00e9"') == '"caf\u00e9"'


def test_uri_reference_keeps_a_path_whole():
    assert uri_reference("infra/main.tf") == "infra/main.tf"
    assert uri_reference("in fra/#x?.tf") == "in%20fra/%23x%3F.tf"
    assert uri_reference("café/x.tf") == "café/x.tf"
    assert uri_reference("a\nb%") == "a%0Ab%25"


def test_xml_of_text_is_well_formed_for_every_hostile_value():
    for value in HOSTILE:
        element = ET.Element("case", name=text(value))
        element.text = text(value)
        assert ET.fromstring(ET.tostring(element, encoding="unicode")).get("name") == text(value)

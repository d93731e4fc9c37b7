"""The layout engine of --fix (dynalint.fix.layout): operations composed into edits that keep `terraform fmt`'s
alignment. Each expected text is checked against real `terraform fmt` too (slow)."""

import shutil
import subprocess

import pytest

from dynalint.fix import layout
from dynalint.fix.layout import Delete, Insert, NewLine, Replace
from dynalint.fix.source import SourceFile

ALIGNED = """\
resource "x" "y" {
  a   = 1 # one
  bbb = 2 # two

  tags = {
    Team = "data"
  }
}
"""


def fixed(text: str, *ops) -> str:
    file = SourceFile.parse("t.tf", text)
    return layout.apply(text, layout.compose(text, file.lines_around(0), ops, file.newline))


def after(text: str, line: int) -> int:
    """The offset where line ``line`` (1-based) starts."""
    return sum(len(part) for part in text.splitlines(keepends=True)[: line - 1])


CASES = {
    # a longer name joins the chain: every `=` moves, and the comments with them
    "joins a chain": (
        ALIGNED,
        lambda t: [Insert(after(t, 4), (NewLine("  ", "cccccc", "3"),))],
        """\
resource "x" "y" {
  a      = 1 # one
  bbb    = 2 # two
  cccccc = 3

  tags = {
    Team = "data"
  }
}
""",
    ),
    # after a blank line: a chain of its own, the others untouched
    "starts a chain": (
        ALIGNED,
        lambda t: [Insert(after(t, 5), (NewLine("  ", "cccccc", "3"), NewLine("")))],
        """\
resource "x" "y" {
  a   = 1 # one
  bbb = 2 # two

  cccccc = 3

  tags = {
    Team = "data"
  }
}
""",
    ),
    # a longer value moves the comment of its chain
    "a value grows": (
        ALIGNED,
        lambda t: [Replace(t.index("1 #"), t.index("1 #") + 1, "1000")],
        """\
resource "x" "y" {
  a   = 1000 # one
  bbb = 2    # two

  tags = {
    Team = "data"
  }
}
""",
    ),
    # a block between two chains goes: they become one chain
    "chains merge": (
        """\
resource "x" "y" {
  a = 1
  b {
    c = 2
  }
  dddd = 3
}
""",
        lambda t: [Delete(after(t, 3), after(t, 6))],
        """\
resource "x" "y" {
  a    = 1
  dddd = 3
}
""",
    ),
    # a block into a chain splits it: each half is aligned on its own
    "a block splits a chain": (
        """\
resource "x" "y" {
  a       = 1
  bbbbbbb = 2
}
""",
        lambda t: [
            Insert(after(t, 3), (NewLine("  ", text="c {"), NewLine("    ", "d", "1"), NewLine("  ", text="}")))
        ],
        """\
resource "x" "y" {
  a = 1
  c {
    d = 1
  }
  bbbbbbb = 2
}
""",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_compose_aligns_as_fmt_does(name):
    text, ops, expected = CASES[name]
    assert fixed(text, *ops(text)) == expected


def test_a_chain_fmt_did_not_align_keeps_its_spacing():
    text = 'resource "x" "y" {\n  a = 1\n  bbb     = 2\n}\n'
    assert fixed(text, Insert(after(text, 4), (NewLine("  ", "cc", "3"),))) == (
        'resource "x" "y" {\n  a = 1\n  bbb     = 2\n  cc  = 3\n}\n'
    )


def test_a_heredoc_is_one_line_of_its_chain():
    text = 'resource "x" "y" {\n  a  = <<-EOT\n    b = 1\n  EOT\n  cc = 2\n}\n'
    file = SourceFile.parse("t.tf", text)
    heredoc = file.line_at(text.index("<<-EOT"))
    assert heredoc.eq is not None and text[heredoc.start : heredoc.end].endswith("EOT")
    assert fixed(text, Insert(after(text, 6), (NewLine("  ", "dddd", "3"),))) == (
        'resource "x" "y" {\n  a    = <<-EOT\n    b = 1\n  EOT\n  cc   = 2\n  dddd = 3\n}\n'
    )


def test_operations_off_line_boundaries_are_refused():
    text = ALIGNED
    with pytest.raises(layout.LayoutError):
        fixed(text, Insert(after(text, 2) + 3, (NewLine("  ", "c", "3"),)))
    with pytest.raises(layout.LayoutError):
        fixed(text, Replace(after(text, 2), after(text, 4), "x"))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed on this machine")
@pytest.mark.parametrize("name", sorted(CASES))
def test_expected_texts_are_what_fmt_makes(name, tmp_path):
    text, _, expected = CASES[name]
    for number, content in enumerate((text, expected)):
        (tmp_path / f"{number}.tf").write_text(content)
    result = subprocess.run(
        ["terraform", "fmt", "-check", "-diff", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout

"""Property tests of --fix over the test trees (tests/tf/*, tests/hcl/*), with generated variations: any subset of
the fixable rules, with or without unsafe fixes, CRLF line endings, `true` literals turned `false` (more to fix),
trailing comments on arguments (alignment the fix must keep), replica blocks written on one line.

Whatever is drawn, --fix never changes a byte outside the top-level blocks it edits (and edits only resource
and module blocks), never removes a comment, never makes a finding appear (a rule, on a resource, where it did
not fire), and a second --fix changes nothing. CI draws a few, repeatably; more with

    DYNALINT_FIX_EXAMPLES=500 python -m pytest tests/test_fix_property.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dynalint import engine
from dynalint.fix import layout, run
from dynalint.fix.source import SourceFile
from dynalint.load import load_inputs
from dynalint.load.hcl.syntax import tokens
from helpers import ROOT

REGISTRY = engine.builtin_registry()
RULES = REGISTRY.sorted()
FIXABLE = sorted(r.id for r in RULES if r.fix)
TREES = sorted(
    [p for p in (ROOT / "tests" / "tf").iterdir() if p.is_dir() and any(p.glob("*.tf"))]
    + [p for p in (ROOT / "tests" / "hcl").iterdir() if p.is_dir()]
)
EXAMPLES = int(os.environ.get("DYNALINT_FIX_EXAMPLES", "16"))
CI = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=EXAMPLES <= 100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_TRUE = re.compile(r"= true\b")
_SIMPLE_ARGUMENT = re.compile(r'^( +[a-z_]+ += (?:"[^"\\$%]*"|true|false|\d+))$', re.M)
_REPLICA = re.compile(r'(\n *)replica \{\n *(region_name = "[^"]*")\n *\}')


@st.composite
def variations(draw):
    tree = draw(st.sampled_from(TREES))
    return {
        "tree": tree,
        "rules": draw(st.sets(st.sampled_from(FIXABLE), min_size=1)),
        "unsafe": draw(st.booleans()),
        "crlf": draw(st.booleans()),
        "flips": draw(st.lists(st.integers(min_value=0, max_value=10_000), max_size=3)),
        "comments": draw(st.lists(st.integers(min_value=0, max_value=10_000), max_size=4)),
        "one_line_replicas": draw(st.booleans()),
    }


def make(variation: dict, where: Path) -> Path:
    """A copy of the tree with the variation applied (only the .tf sources: no plan, no prior state)."""
    work = where / variation["tree"].name
    shutil.copytree(variation["tree"], work, ignore=shutil.ignore_patterns("plan.json", "before", "*.tfstate"))
    files = sorted(work.rglob("*.tf"))
    sites = [(f, m.start()) for f in files for m in _TRUE.finditer(f.read_text())]
    for flip in variation["flips"]:
        if sites:
            file, at = sites[flip % len(sites)]
            text = file.read_text()
            if text[at : at + 6] == "= true":
                file.write_text(text[:at] + "= false" + text[at + 6 :])
                sites = [(f, m.start()) for f in files for m in _TRUE.finditer(f.read_text())]
    for number, pick in enumerate(variation["comments"]):
        sites = [(f, m.end()) for f in files for m in _SIMPLE_ARGUMENT.finditer(f.read_text())]
        if sites:
            file, at = sites[pick % len(sites)]
            text = file.read_text()
            file.write_text(text[:at] + f" # note {number}" + text[at:])
    if variation["one_line_replicas"]:
        for file in files:
            file.write_text(_REPLICA.sub(r"\1replica { \2 }", file.read_text()))
    if variation["crlf"]:
        for file in files:
            file.write_bytes(file.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    return work


def lint(work: Path) -> tuple[list, list]:
    models = load_inputs([str(work)])
    return models, engine.run(models, RULES, REGISTRY.links, known_ids=REGISTRY.rules)


def fix(work: Path, variation: dict) -> run.Outcome:
    return run.fix(
        lambda: lint(work),
        roots=[str(work)],
        unsafe=variation["unsafe"],
        fixing=lambda finding: finding.rule_id in variation["rules"],
    )


def snapshot(work: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(work.rglob("*.tf"))}


def pairs(findings) -> set[tuple[str, str]]:
    return {(f.rule_id, f.address) for f in findings if not f.suppressed}


def segments(path: Path, data: bytes) -> list[tuple]:
    """The file as the text between top-level blocks, and each block (kind, labels) with its text."""
    text = data.decode("utf-8-sig")
    file = SourceFile.parse(str(path), text)
    out, position = [], 0
    for kind, labels, block in file.top_blocks():
        start, end = block.meta.start_pos, block.meta.end_pos
        out.append(("between", text[position:start]))
        out.append((kind, labels, text[start:end]))
        position = end
    out.append(("between", text[position:]))
    return out


def comments(data: bytes) -> Counter:
    tree = SourceFile.parse("x", data.decode("utf-8-sig")).tree
    return Counter(str(t).strip() for t in tokens(tree) if layout.is_comment(t))


@CI
@given(variation=variations())
def test_fix_changes_only_the_blocks_it_fixes_and_adds_no_finding(variation, tmp_path_factory):
    work = make(variation, tmp_path_factory.mktemp("fix-property"))
    before_files = snapshot(work)
    _, before = lint(work)
    outcome = fix(work, variation)
    after_files = snapshot(work)
    assert set(after_files) == set(before_files)
    edited = 0
    for path, old in before_files.items():
        new = after_files[path]
        if new == old:
            continue
        assert set(outcome.changed) >= {str(path)}
        old_parts, new_parts = segments(path, old), segments(path, new)
        assert [p[:-1] for p in old_parts] == [p[:-1] for p in new_parts], f"{path}: blocks added or removed"
        for old_part, new_part in zip(old_parts, new_parts, strict=False):
            if old_part[0] == "between":
                assert old_part == new_part, f"{path}: text between blocks changed"
            elif old_part != new_part:
                edited += 1
                assert old_part[0] in ("resource", "module"), f"{path}: edited a {old_part[0]} block"
        assert not comments(old) - comments(new), f"{path}: a comment was removed"
        assert old.startswith(b"\xef\xbb\xbf") == new.startswith(b"\xef\xbb\xbf")
        assert (b"\r\n" in new) == variation["crlf"] or b"\n" not in new
    assert (edited > 0) == bool(outcome.changed)
    _, after = lint(work)
    assert pairs(after) <= pairs(before), f"findings appeared: {pairs(after) - pairs(before)}"
    again = fix(work, variation)
    assert again.changed == [] and snapshot(work) == after_files


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed on this machine")
@settings(CI, max_examples=max(8, EXAMPLES // 2))
@given(variation=variations())
def test_fix_keeps_fmt_clean_trees_fmt_clean(variation, tmp_path_factory):
    """What `terraform fmt` made, it accepts after the fix (real terraform fmt, no provider needed)."""
    work = make(variation, tmp_path_factory.mktemp("fix-fmt"))
    subprocess.run(["terraform", "fmt", "-recursive", str(work)], capture_output=True, check=True, timeout=120)
    fix(work, variation)
    result = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", "-diff", str(work)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout

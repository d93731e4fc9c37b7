"""docs/rules/ is generated from rule metadata: every rule has a complete, up-to-date page."""
import re

from dynalint import docs, engine
from helpers import ROOT

RULES = engine.builtin_registry().sorted()
SECTIONS = ("## What it checks", "## Why it matters", "## Known limits", "## Example", "## Use instead",
            "## References")


def test_pages_are_up_to_date():
    out_of_date = docs.stale(RULES, ROOT / "docs" / "rules")
    assert out_of_date == [], f"run `dynalint docs` to regenerate: {out_of_date}"


def test_every_rule_documents_every_section():
    for rule in RULES:
        missing = [s for s in SECTIONS if s not in rule.help]
        assert not missing, f"{rule.id} lacks {missing}"
        if rule.options:
            assert "## Options" in rule.help, f"{rule.id} has options but no Options section"
            for name in rule.options:
                assert f"`{name}`" in rule.help, f"{rule.id} does not document option {name}"
        assert re.search(r"\]\(https://", rule.help), f"{rule.id} has no reference link"
        assert "```hcl" in rule.help, f"{rule.id} has no HCL example"


def test_page_shows_metadata_and_help():
    rule = next(r for r in RULES if r.id == "DDB101")
    page = docs.rule_page(rule)
    assert page.splitlines()[2] == "# DDB101 pitr-disabled"
    assert "| level | `error` |" in page and rule.help.strip() in page


def test_write_then_nothing_is_stale(tmp_path):
    docs.write(RULES, tmp_path)
    assert docs.stale(RULES, tmp_path) == []
    (tmp_path / "DDB999.md").write_text(docs.GENERATED + "\nold rule\n")
    assert docs.stale(RULES, tmp_path) == ["DDB999.md"]
    assert "DDB999.md" in docs.write(RULES, tmp_path) and not (tmp_path / "DDB999.md").exists()


def test_each_page_says_whether_and_how_the_rule_fixes():
    for rule in RULES:
        page = docs.rule_page(rule)
        assert f"| fix | {docs.FIX_WORDS[rule.fix]} |" in page
        if rule.fix:
            fix = re.search(r"^## Fix\n(.*?)(?=^## |\Z)", rule.help, re.S | re.M)
            assert fix, f"{rule.id} fixes but has no Fix section"
            assert ("Unsafe" in fix.group(1)) == (rule.fix == "unsafe"), rule.id
            assert "dynalint --fix" in fix.group(1), rule.id
    index = docs.index_page(RULES)
    assert "| [DDB101](DDB101.md) | pitr-disabled | error | safe |" in index
    assert "| [DDB206](DDB206.md) | dax-encryption-at-rest-disabled | error | unsafe |" in index

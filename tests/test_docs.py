"""docs/rules/ is generated from rule metadata (scripts/rule_docs.py): every rule has a complete, up-to-date page."""

import json
import re
import subprocess
import sys

import pytest

from dynalint import docs, engine, rule_examples
from dynalint.errors import InputError
from helpers import ROOT

RULES = engine.builtin_registry().sorted()
SECTIONS = (
    "## What it checks",
    "## Why it matters",
    "## Known limits",
    "## Example",
    "## Use instead",
    "## References",
)


def test_pages_are_up_to_date():
    out_of_date = docs.stale(RULES, ROOT / "docs" / "rules")
    assert out_of_date == [], f"run `python scripts/rule_docs.py` to regenerate: {out_of_date}"


def test_the_sarif_help_stores_are_up_to_date():
    """SARIF's help of a built-in rule comes from a store (rule_examples.sarif_help): it must say what the rule's
    help and example files make of it."""
    stored = {}
    for directory in sorted({r.examples.parent for r in RULES if r.examples is not None}):
        stored.update(json.loads((directory / rule_examples.HELP_STORE).read_text(encoding="utf-8")))
    made = {r.id: rule_examples.documentation(r, complete=False) for r in RULES}
    stale = sorted(i for i in made.keys() | stored.keys() if made.get(i) != stored.get(i))
    assert stale == [], f"run `python scripts/rule_docs.py` to regenerate: {stale}"
    assert all(rule_examples.sarif_help(r) == made[r.id] for r in RULES)


def test_a_custom_rule_s_sarif_help_is_made_not_stored(tmp_path):
    from dataclasses import replace

    rule = next(r for r in RULES if r.examples is not None)
    (tmp_path / rule_examples.HELP_STORE).write_text(json.dumps({rule.id: "planted"}), encoding="utf-8")
    custom = replace(rule, origin="my_rules.py", examples=tmp_path / rule.id)
    assert rule_examples.sarif_help(custom) == rule_examples.documentation(custom, complete=False) != "planted"


def test_every_rule_documents_every_section():
    for rule in RULES:
        doc = rule.documentation  # the docstring, with the Example and Use instead of rules/examples/ID
        missing = [s for s in SECTIONS if s not in doc]
        assert not missing, f"{rule.id} lacks {missing}"
        assert [t for t in re.findall(r"^(## .+)$", doc, re.M) if t in SECTIONS] == list(SECTIONS), rule.id
        if rule.options:
            assert "## Options" in doc, f"{rule.id} has options but no Options section"
            for name in rule.options:
                assert f"`{name}`" in doc, f"{rule.id} does not document option {name}"
        assert re.search(r"\]\(https://", doc), f"{rule.id} has no reference link"
        assert "```hcl" in doc, f"{rule.id} has no HCL example"


def test_page_shows_metadata_and_help():
    rule = next(r for r in RULES if r.id == "DDB101")
    page = docs.rule_page(rule)
    assert page.splitlines()[2] == "# DDB101 pitr-disabled"
    assert "| level | `error` |" in page and rule.documentation.strip() in page


def test_write_then_nothing_is_stale(tmp_path):
    docs.write(RULES, tmp_path)
    assert docs.stale(RULES, tmp_path) == []
    (tmp_path / "DDB999.md").write_text(docs.GENERATED + "\nold rule\n")
    assert docs.stale(RULES, tmp_path) == ["DDB999.md"]
    assert "DDB999.md" in docs.write(RULES, tmp_path) and not (tmp_path / "DDB999.md").exists()


def test_a_file_the_generator_did_not_write_is_never_overwritten(tmp_path):
    (tmp_path / "README.md").write_text("# Our own rules page\n")
    with pytest.raises(InputError, match="README.md not written by the rule page generator"):
        docs.write(RULES, tmp_path)
    assert (tmp_path / "README.md").read_text() == "# Our own rules page\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]  # nothing written at all
    (tmp_path / "notes.md").write_text("kept\n")  # not a page: neither overwritten nor removed
    (tmp_path / "README.md").unlink()
    docs.write(RULES, tmp_path)
    assert (tmp_path / "notes.md").read_text() == "kept\n"


def test_the_script_writes_checks_and_refuses(tmp_path):
    script = [sys.executable, str(ROOT / "scripts" / "rule_docs.py")]
    committed = subprocess.run([*script, "--check"], capture_output=True, text=True, timeout=120)
    assert committed.returncode == 0, committed.stderr
    out = tmp_path / "pages"
    assert subprocess.run([*script, "--check", "--output", str(out)], capture_output=True, timeout=120).returncode == 1
    written = subprocess.run([*script, "--output", str(out)], capture_output=True, text=True, timeout=120)
    assert written.returncode == 0 and (out / "DDB101.md").read_text() == docs.rule_page(
        next(r for r in RULES if r.id == "DDB101")
    )
    (out / "DDB101.md").write_text("hand-written\n")
    refused = subprocess.run([*script, "--output", str(out)], capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "DDB101.md not written by the rule page generator" in refused.stderr


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    [command] = [line for line in readme.splitlines() if line.startswith("python3 -m venv") and "pytest" in line]
    assert "python -m pytest -m slow" in command  # the slow end-to-end tests are part of it
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci.count(command) == 1


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

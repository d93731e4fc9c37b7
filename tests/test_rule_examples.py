"""Every rule's examples run: the bad one gets exactly the findings its expected.yaml lists, at those
lines; the good one gets nothing; the documentation shows them (dynalint.rule_examples)."""

import re
import shutil
import sys
from pathlib import Path

import pytest

from dynalint import engine, example_checks, rule_examples
from dynalint.rule import rule
from helpers import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REGISTRY = engine.builtin_registry()
RULES = REGISTRY.sorted()
EXAMPLES = {r.id: rule_examples.load(r) for r in RULES}
SHOWN = [r for r in RULES if EXAMPLES[r.id] is not None]  # the others say why not (rule_examples.no_example)
PLANNED = [r for r in RULES if EXAMPLES[r.id] is not None and EXAMPLES[r.id].planned]


def _examples(rule_id: str) -> rule_examples.Examples:
    examples = EXAMPLES[rule_id]
    assert examples is not None, f"{rule_id} has no examples in {REGISTRY.rules[rule_id].examples}"
    return examples


def test_every_rule_has_examples_and_every_example_a_rule():
    assert [r.id for r in RULES if EXAMPLES[r.id] is None and not rule_examples.no_example(r)] == []
    assert [r.id for r in RULES if rule_examples.no_example(r)] == ["DL000"]  # a rule with a bug: none to show
    bases = {r.examples.parent for r in RULES}  # rules/examples, dynalint/examples
    orphans = [d.name for base in bases for d in base.iterdir() if d.is_dir() and d.name not in REGISTRY.rules]
    assert orphans == [], "examples of rules that do not exist (renamed?)"


@pytest.mark.parametrize("rule_id", [r.id for r in SHOWN])
def test_bad_example_gets_exactly_the_expected_findings(rule_id):
    examples = _examples(rule_id)
    problems = example_checks.compare(examples, example_checks.lint(examples, "bad", REGISTRY))
    assert problems == [], f"{rule_id}: {problems} (python scripts/rule_examples.py --update {rule_id} rewrites lines)"


@pytest.mark.parametrize("rule_id", [r.id for r in SHOWN])
def test_good_example_gets_nothing(rule_id):
    found = example_checks.lint(_examples(rule_id), "good", REGISTRY)
    assert [(f.rule_id, f.address, f.message) for f in found] == []


@pytest.mark.parametrize("rule_id", [r.id for r in PLANNED])
@pytest.mark.parametrize("side", ["before", "bad", "good"])
def test_planned_example_configurations_are_well_configured(rule_id, side):
    """A change rule's examples show a well-configured table: only the change is wrong. Linted as .tf
    (no plan, so no change), before/ and good/ get nothing, and bad/ only what its expected.yaml
    lists for rules that are not about changes (PITR turned off is also PITR off)."""
    examples = _examples(rule_id)
    found = engine.run(_tf(examples.side(side)), RULES, REGISTRY.links, known_ids=REGISTRY.rules)
    wanted = {(e.rule, e.address, e.path) for e in examples.expected if REGISTRY.rules[e.rule].kind != "change"}
    assert {(f.rule_id, f.address, f.path) for f in found if not f.suppressed} == (wanted if side == "bad" else set())


@pytest.mark.parametrize("rule_id", [r.id for r in PLANNED])
@pytest.mark.parametrize("side", ["bad", "good"])
def test_plans_were_made_of_the_examples(rule_id, side):
    """bad/plan.json and good/plan.json are the plans of today's files (scripts/terraform_plans.py
    records what it planned in plan.sha256)."""
    assert example_checks.stale_plan(_examples(rule_id), side) is None


def test_a_changed_example_makes_its_plan_stale(tmp_path):
    _write(tmp_path, {"before/main.tf": "a", "bad/main.tf": "b", "good/main.tf": "c"})
    examples = rule_examples.Examples("X1", tmp_path, bad="b", good="c", before="a")
    (tmp_path / "bad" / "plan.sha256").write_text(example_checks.plan_digests(tmp_path / "bad"))
    assert example_checks.stale_plan(examples, "bad") is None
    assert "run python scripts/terraform_plans.py" in example_checks.stale_plan(examples, "good")  # none recorded
    (tmp_path / "before" / "main.tf").write_text("a2")
    assert "bad/plan.json was not made of today's" in example_checks.stale_plan(examples, "bad")


def _tf(directory: Path):
    from dynalint.load import load_inputs

    return load_inputs([str(directory)])


def test_change_rules_are_shown_with_a_plan():
    """A rule about before and after can only be shown by a plan of a change: its examples have before/."""
    assert [r.id for r in RULES if r.kind == "change"] == [r.id for r in PLANNED if r.kind == "change"]


@pytest.mark.parametrize("rule_id", [r.id for r in SHOWN])
def test_docstring_leaves_the_code_to_the_example_files(rule_id):
    """One source: the Example and Use instead sections of the docstring hold prose only, and the
    documentation shows the files."""
    rule_ = REGISTRY.rules[rule_id]
    for title in ("Example", "Use instead"):
        assert "```" not in rule_examples._prose(rule_examples._sections(rule_.help), title, keep_code=True)
    examples = _examples(rule_id)
    doc = rule_.documentation
    assert examples.bad.strip() in doc if not examples.planned else examples.before.strip() in doc
    assert "```diff\n--- " in doc


def test_every_example_file_is_package_data():
    """What `pip install .` ships: every .tf and expected.yaml of the examples matches a package-data
    glob (plans and their digests are for the tests only)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = {package: ROOT / directory for package, directory in config["package-dir"].items()}
    for package, globs in config["package-data"].items():
        base = packages.get(package, ROOT / package.replace(".", "/"))
        shipped = {p for g in globs for p in base.glob(g)}
        for path in (base / "examples").rglob("*"):
            if path.is_file() and path.name not in ("plan.json", rule_examples.PLAN_DIGESTS):
                assert path in shipped, f"{path.relative_to(ROOT)} is not package data"


# ---------------------------------------------------------------- the machinery, on a rule of its own
@rule(id="XMPL001", slug="example-rule", level="note", applies=["aws_dynamodb_table"])
def _example_rule(table, ctx):
    """A docstring rule.

    ## What it checks
    Something.

    ## Example
    Prose about the example stays.

    ## Options
    `x`: nothing.

    ## References
    - [a](https://example.com)
    """


def _write(directory: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text)


def test_documentation_puts_the_files_before_options_and_keeps_prose(tmp_path):
    from dataclasses import replace

    _write(
        tmp_path,
        {
            "bad/main.tf": 'resource "a" "b" {\n  x = 1\n}\n',
            "good/main.tf": 'resource "a" "b" {\n  x = 2\n}\n',
            "expected.yaml": "findings:\n- {rule: XMPL001, address: a.b, line: 1}\n"
            "- {rule: DDB101, address: a.b, line: 1, because: it is a table}\n",
        },
    )
    doc = replace(_example_rule, examples=tmp_path).documentation
    titles = re.findall(r"^## (.+)$", doc, re.M)
    assert titles == ["What it checks", "Example", "Use instead", "Options", "References"]
    example = doc.split("## Example\n")[1].split("## Use instead")[0]
    assert example.startswith('Prose about the example stays.\n\n```hcl\nresource "a" "b" {\n  x = 1\n}\n```')
    assert "dynalint also reports DDB101 on `a.b`: it is a table." in example
    fix = doc.split("## Use instead\n")[1].split("## Options")[0]
    assert "-  x = 1\n+  x = 2\n" in fix and "In full (`good/main.tf`):\n\n```hcl\nresource" in fix
    assert rule_examples.how_to_fix(replace(_example_rule, examples=tmp_path)).startswith("```diff\n--- bad/main.tf")


def test_a_rule_without_example_files_keeps_its_help(tmp_path):
    from dataclasses import replace

    assert replace(_example_rule, examples=tmp_path).documentation == _example_rule.help
    assert _example_rule.examples == Path(__file__).parent / "examples" / "XMPL001"  # beside its module


def test_diff_shows_an_added_block_whole():
    old = "r {\n  a {\n    x = 1\n  }\n\n  c {\n    z = 3\n  }\n}\n"
    new = "r {\n  a {\n    x = 1\n  }\n\n  b {\n    y = 2\n  }\n\n  c {\n    z = 3\n  }\n}\n"
    added = [line for line in rule_examples._diff(old, new, "bad", "good").splitlines() if line.startswith("+")]
    assert added == ["+++ good/main.tf", "+  b {", "+    y = 2", "+  }", "+"]
    removed = [line for line in rule_examples._diff(new, old, "good", "bad").splitlines() if line.startswith("-")]
    assert removed == ["--- good/main.tf", "-  b {", "-    y = 2", "-  }", "-"]
    # No blank line to go by: the braces decide. difflib matches the long common tail from the new
    # block's last lines on (`m = "W"`, `min = 5`, `}`), which splits the block across the old one.
    tail = '}\n\nresource "r" "x" {\n  a = 1\n  b = 2\n  c = 3\n}\n'
    old = 'm = {\n  tw = {\n    id = "t"\n    m  = "W"\n  }\n' + tail
    new = 'm = {\n  tw = {\n    id = "t"\n    m  = "W"\n  }\n  iw = {\n    id = "i"\n    m  = "W"\n  }\n' + tail
    added = [line for line in rule_examples._diff(old, new, "bad", "good").splitlines() if line.startswith("+")]
    assert added == ["+++ good/main.tf", "+  iw = {", '+    id = "i"', '+    m  = "W"', "+  }"]


def test_compare_names_every_difference(tmp_path):
    from dynalint.model import Finding, Level, Source

    _write(
        tmp_path,
        {
            "bad/main.tf": "",
            "good/main.tf": "",
            "expected.yaml": "findings:\n- {rule: XMPL001, address: a.b, line: 3}\n"
            "- {rule: DDB101, address: a.c, line: 9}\n"
            "- {rule: DDB103, address: a.d, line: 9, because: why}\n",
        },
    )
    examples = rule_examples.load(type("R", (), {"id": "XMPL001", "examples": tmp_path})())

    def finding(rule_id, address, line):
        return Finding(
            rule_id=rule_id,
            level=Level.NOTE,
            address=address,
            message="m",
            resource_type="a",
            source=Source("bad/main.tf", line),
        )

    problems = example_checks.compare(
        examples, [finding("XMPL001", "a.b", 4), finding("DDB201", "a.b", 1), finding("DDB101", "a.c", 9)]
    )
    assert problems == [
        "DDB101 on a.c: a finding of another rule needs `because:`",
        "unexpected DDB201 on a.b at line 1",
        "XMPL001 on a.b at line 4: expected.yaml says line 3",
        "missing DDB103 on a.d at line 9",
    ]
    text = example_checks.expected_text(examples, [finding("XMPL001", "a.b", 4), finding("DDB103", "a.d", 9)])
    (tmp_path / "expected.yaml").write_text(text)
    assert rule_examples.read_expected(tmp_path / "expected.yaml") == (
        rule_examples.Expected("XMPL001", "a.b", 4),
        rule_examples.Expected("DDB103", "a.d", 9, because="why"),
    )
    # a finding whose attribute path changed keeps its reason
    moved = Finding(
        rule_id="DDB103",
        level=Level.NOTE,
        address="a.d",
        message="m",
        resource_type="a",
        path="deletion_protection_enabled",
        source=Source("bad/main.tf", 10),
    )
    text = example_checks.expected_text(
        rule_examples.load(type("R", (), {"id": "XMPL001", "examples": tmp_path})()),
        [finding("XMPL001", "a.b", 4), moved],
    )
    assert "  path: deletion_protection_enabled\n  line: 10\n  because: why\n" in text


def test_custom_rules_show_their_examples(tmp_path):
    """A custom rule's examples sit beside its module or YAML file: explain shows them (docs/custom-rules.md)."""
    from click.testing import CliRunner

    from dynalint.cli import main

    (tmp_path / "tables.py").write_text(
        "from dynalint.rule import Issue, rule\n\n"
        "@rule(id='ACME001', slug='acme', level='note', applies=['aws_dynamodb_table'])\n"
        "def acme(table, ctx):\n    '''A house rule.\n\n    ## What it checks\n    Tables.\n    '''\n"
    )
    (tmp_path / "house.yaml").write_text(
        "rules:\n  - id: ACME002\n    level: note\n    summary: s\n    message: m\n"
        "    resource_types: [aws_dynamodb_table]\n    require: {attribute: name, exists: true}\n"
    )
    for rule_id in ("ACME001", "ACME002"):
        _write(
            tmp_path / "examples" / rule_id,
            {
                "bad/main.tf": f'resource "a" "{rule_id}" {{\n  x = 1\n}}\n',
                "good/main.tf": f'resource "a" "{rule_id}" {{\n  x = 2\n}}\n',
            },
        )
        shown = CliRunner().invoke(main, ["explain", rule_id, "--rules-dir", str(tmp_path), "--no-config"])
        assert shown.exit_code == 0, shown.output
        assert f'## Example\n```hcl\nresource "a" "{rule_id}" {{\n  x = 1\n}}\n```' in shown.output
        assert "-  x = 1\n+  x = 2\n" in shown.output


# ---------------------------------------------------------------- with real terraform
# What terraform itself refuses to plan: dynalint says why before any plan is made.
TERRAFORM_REFUSES = {"DDB301", "DDB302", "DDB303", "DDB404"}
# Where the plan of a new configuration knows less than its .tf: dynalint stays silent on what the
# plan knows only after apply.
PLAN_KNOWS_LESS = {
    "DDB602": "the policy names the new table's ARN by reference: the plan leaves the whole "
    "document unknown, where the .tf shows which table it names"
}


@pytest.mark.slow
def test_examples_are_configurations_terraform_plans(tmp_path):
    """A user can paste them: real terraform plans every good example and every bad one it accepts,
    all in one root module (one module each), and dynalint finds in that plan what it finds in the
    .tf: nothing in a good example, the rules of expected.yaml in a bad one (those that need no
    change). In one account and region a table's name is unique, so each copy's table gets its own;
    DDB505's examples bring their own provider block and are left out, and so are DL004's, whose finding
    comes from the settings file beside its main.tf; DL000 has none."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from terraform_plans import PROVIDERS_TF, Terraform, find_mirror

    if shutil.which("terraform") is None or find_mirror() is None:
        pytest.skip("terraform or its provider mirror is not on this machine")
    terraform = Terraform(find_mirror(), tmp_path)
    for side in rule_examples.SIDES:
        root = tmp_path / side
        wanted: dict[str, set[str]] = {}
        calls = []
        for rule_ in SHOWN:  # DL000 has none (rule_examples.no_example)
            examples = _examples(rule_.id)
            text = (examples.side(side) / "main.tf").read_text()
            settings = (examples.side(side) / ".dynalint.yaml").exists()  # the plan is linted without them
            if re.search(r"^provider ", text, re.M) or settings or (side == "bad" and rule_.id in TERRAFORM_REFUSES):
                continue
            if side == "bad" and examples.bad_settings is not None:
                continue  # its finding is about the settings file beside it (DL004), which a plan does not carry

            module = root / "examples" / rule_.id
            module.mkdir(parents=True)
            unique = f'\\1"orders-{rule_.id.lower()}"'
            (module / "main.tf").write_text(re.sub(r'^(  name +=) "orders"$', unique, text, flags=re.M))
            calls.append(f'module "{rule_.id}" {{\n  source = "./examples/{rule_.id}"\n}}\n')
            wanted[rule_.id] = (
                {e.rule for e in examples.expected if REGISTRY.rules[e.rule].kind != "change"}
                if side == "bad"
                else set()
            )
        (root / "main.tf").write_text("".join(calls))
        shutil.copy(PROVIDERS_TF, root / "providers.tf")
        terraform.plan(root)
        (root / "plan.json").write_text(terraform.run(root, "show", "-json", "tfplan"))
        found: dict[str, set[str]] = {rule_id: set() for rule_id in wanted}
        for f in engine.run(_tf(root / "plan.json"), RULES, REGISTRY.links, known_ids=REGISTRY.rules):
            if not f.suppressed:
                # a resource of module.ID, or (DL003) a comment in examples/ID/main.tf
                module = re.match(r"module\.(\w+)\.", f.address) or re.search(r"examples/(\w+)/main\.tf$", f.address)
                found[module.group(1)].add(f.rule_id)
        for rule_id in PLAN_KNOWS_LESS:
            found.pop(rule_id, None), wanted.pop(rule_id, None)
        assert found == wanted, side

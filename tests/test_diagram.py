"""The Mermaid diagram of the PR comment (dynalint.report.diagram), and docs/pr-comment.md made from it."""

import json
import os
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from dynalint import engine
from dynalint.cli import main
from dynalint.load import load_inputs
from dynalint.report import Report, render
from dynalint.report.diagram import MAX_NODES, mermaid_text
from helpers import ROOT

PR_COMMENT = ROOT / "docs" / "pr-comment.md"
MIXED = "sample_plans/mixed/plan.json"
HOSTILE = [
    'x"]\nclick t0 callback "alert(1)"\n%%{init: {"securityLevel": "loose"}}%%',
    "<img src=x onerror=alert(1)>",
    "```\n# a heading",
    "a; style t0 fill:#f00",
    "é#quot;[]{}|&",
]


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def markdown_of(target, select=()):
    models = load_inputs([str(target)])
    registry = engine.builtin_registry()
    rules = engine.select(registry.sorted(), list(select))
    findings = engine.run(models, rules, registry.links)
    return render("markdown", Report(findings=findings, rules=rules, models=models))


def mermaid_block(markdown):
    match = re.search(r"^```mermaid\n(.*?)^```$", markdown, re.S | re.M)
    assert match, "no mermaid block"
    return match.group(1)


# One line of the diagrams we write: a node with a quoted label, an edge, a class definition or assignment.
_LABEL = r"(?:[A-Za-z0-9 _.,/()=+-]|#\d+;|<br/>)*"
_LINE = re.compile(
    r"^(flowchart LR"
    rf'|  [a-z0-9]+(?:\[\("{_LABEL}"\)\]|\["{_LABEL}"\]|\("{_LABEL}"\)|\(\["{_LABEL}"\]\)|\[\["{_LABEL}"\]\])'
    r"|  [a-z0-9]+ (?:---|-->|-\. [a-z]+ \.->) [a-z0-9]+"
    r"|  classDef [a-z]+ [a-z0-9:#,;\- ]+"
    r"|  class [a-z0-9,]+ [a-z]+)$"
)


def assert_inert(diagram):
    for line in diagram.splitlines():
        assert _LINE.match(line), f"not a line the diagram writes: {line!r}"


def test_the_pr_comment_draws_the_tables_the_plan_touches_above_the_findings():
    markdown = markdown_of(MIXED)
    assert markdown.index("```mermaid") < markdown.index("#### ")
    diagram = mermaid_block(markdown)
    assert_inert(diagram)
    tables = re.findall(r'^  (t\d+)\[\("([^"]*)"\)\]', diagram, re.M)
    labels = {label.split("<br/>")[0]: (node, label) for node, label in tables}
    # orders is unchanged and so are its alarms: not drawn; feature_flags is new, users replaced, carts new
    assert set(labels) == {"team-feature-flags", "team-users", "team-carts"}
    node, users = labels["team-users"]
    assert users.endswith("<br/>replaced<br/>1 error, 1 warning")  # DDB105 and DDB411
    assert re.search(rf"^  class [a-z0-9,]*\b{node}\b[a-z0-9,]* error$", diagram, re.M)
    assert f"  {node}a -. scales .-> {node}" in diagram and f"  {node}m -. watches .-> {node}" in diagram


def test_indexes_stream_consumers_autoscaling_and_alarms_are_parts_of_their_table():
    diagram = mermaid_block(markdown_of("sample_plans/good/plan.json"))
    assert_inert(diagram)
    assert '("GSI by-customer")' in diagram
    assert '(["stream NEW_AND_OLD_IMAGES"])' in diagram
    assert '["Lambda prod-orders-projector"]' in diagram
    assert '["autoscaling<br/>by-customer read, by-customer write, read, write"]' in diagram
    stream = re.search(r"^  (t\d+s)\(\[", diagram, re.M).group(1)
    assert re.search(rf"^  {stream} --> {stream[:-1]}c0$", diagram, re.M)


def test_findings_on_a_part_mark_that_part():
    diagram = mermaid_block(markdown_of("sample_plans/bad/plan.json"))
    assert '("GSI by-status<br/>1 warning, 1 note")' in diagram  # DDB310 and DDB311 on that index
    assert '(["stream NEW_IMAGE<br/>2 errors"])' in diagram  # DDB502 and DDB503 on the ledger's stream


def test_mermaid_text_leaves_no_character_that_means_something_to_mermaid_or_html():
    for text in HOSTILE:
        escaped = mermaid_text(text, 500)
        assert re.fullmatch(r"(?:[A-Za-z0-9 _.,/()=+-]|#\d+;)*", escaped), escaped
        assert re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), escaped) == text
    assert mermaid_text("x" * 100, 10) == "xxxxxxx..."


def hostile_tree(tmp_path):
    """Tables whose names, indexes, regions and functions are what a pull request could write."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    blocks = []
    for number, text in enumerate(HOSTILE):
        name = json.dumps(text)
        blocks.append(f"""resource "aws_dynamodb_table" "t{number}" {{
  name             = {name}
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = {name}
  attribute {{
    name = "pk"
    type = "S"
  }}
  global_secondary_index {{
    name            = {name}
    hash_key        = "pk"
    projection_type = "ALL"
  }}
  replica {{
    region_name = {name}
  }}
}}

resource "aws_lambda_event_source_mapping" "c{number}" {{
  event_source_arn  = aws_dynamodb_table.t{number}.stream_arn
  function_name     = {name}
  starting_position = "LATEST"
}}
""")
    (tmp_path / "main.tf").write_text("\n".join(blocks))
    return tmp_path


def test_untrusted_names_cannot_break_out_of_their_labels(tmp_path):
    markdown = markdown_of(hostile_tree(tmp_path))
    diagram = mermaid_block(markdown)
    assert_inert(diagram)
    assert diagram.count('[("') == len(HOSTILE)  # every table drawn, none split into statements
    assert "<img" not in diagram and "%%" not in diagram and "`" not in diagram
    assert f"*{len(HOSTILE)} tables in the input, with their indexes" in markdown  # .tf input: no plan


def big_tree(tmp_path, count=200):
    tmp_path.mkdir(parents=True, exist_ok=True)
    blocks = [
        f"""module "tenant" {{
  source   = "./tenant"
  for_each = toset([{", ".join(f'"{i:03d}"' for i in range(count))}])
  name     = "tenant-${{each.key}}"
}}
"""
    ]
    (tmp_path / "tenant").mkdir()
    (tmp_path / "tenant" / "main.tf").write_text("""variable "name" {
  type = string
}

resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  global_secondary_index {
    name            = "by-a"
    hash_key        = "pk"
    projection_type = "KEYS_ONLY"
  }
  global_secondary_index {
    name            = "by-b"
    hash_key        = "pk"
    projection_type = "KEYS_ONLY"
  }
}
""")
    blocks.append("""resource "aws_dynamodb_table" "root" {
  name         = "root"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
""")
    (tmp_path / "main.tf").write_text("\n".join(blocks))
    return tmp_path


def test_two_hundred_tables_are_bounded_and_say_what_was_left_out(tmp_path):
    markdown = markdown_of(big_tree(tmp_path), select=["DDB101"])
    diagram = mermaid_block(markdown)
    assert_inert(diagram)
    nodes = [line for line in diagram.splitlines() if re.match(r"^  [a-z0-9]+[\[(]", line)]
    assert len(nodes) <= MAX_NODES and len(diagram) < 20_000
    assert diagram.count('[("') == 10  # the ten with the most severe findings, drawn in full
    assert '[["module.tenant<br/>191 more tables<br/>191 errors"]]' in diagram
    assert "191 more tables are counted by module and action" in markdown


# ---------------------------------------------------------------- docs/pr-comment.md
def pr_comment():
    result = CliRunner().invoke(main, [MIXED, "-f", "markdown"])
    assert result.exit_code == 1, result.output
    return result.output


def test_the_sample_pr_comment_is_up_to_date():
    assert PR_COMMENT.read_text() == pr_comment(), (
        "docs/pr-comment.md is stale: regenerate it with `dynalint sample_plans/mixed/plan.json -f markdown "
        "-o docs/pr-comment.md` from the repository root"
    )


# ---------------------------------------------------------------- a real Mermaid parser
def mermaid_cli():
    """The Mermaid CLI (mmdc) and a Chromium for it, or a reason to skip."""
    mmdc = (
        os.environ.get("MERMAID_CLI")
        or next((str(p) for p in [ROOT / ".mermaid" / "node_modules" / ".bin" / "mmdc"] if p.exists()), None)
        or shutil.which("mmdc")
    )
    chromium = (
        os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not mmdc or not chromium or not shutil.which("node"):
        if os.environ.get("DYNALINT_TEST_REQUIRE_MERMAID"):  # CI (.ci/run) installs them: a skip would hide a failure
            pytest.fail("DYNALINT_TEST_REQUIRE_MERMAID is set but node, mmdc or chromium is missing (see .ci/mermaid)")
        pytest.skip(
            "the Mermaid CLI test needs node, mmdc and chromium: `apt-get install -y chromium` and "
            "`PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix .mermaid @mermaid-js/mermaid-cli@11.17.0` "
            "(or set MERMAID_CLI and PUPPETEER_EXECUTABLE_PATH)"
        )
    return mmdc, chromium


def render_svg(diagram, tmp_path, name):
    mmdc, chromium = mermaid_cli()
    config = tmp_path / "puppeteer.json"
    config.write_text(
        json.dumps(
            {
                "executablePath": chromium,
                "args": [
                    "--no-sandbox",
                    "--headless",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            }
        )
    )
    source, svg = tmp_path / f"{name}.mmd", tmp_path / f"{name}.svg"
    source.write_text(diagram)
    # securityLevel strict, as GitHub renders it
    (tmp_path / "mermaid.json").write_text(json.dumps({"securityLevel": "strict"}))
    result = subprocess.run(
        [mmdc, "-p", str(config), "-c", str(tmp_path / "mermaid.json"), "-i", str(source), "-o", str(svg)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0 and svg.exists(), f"Mermaid cannot draw {name}: {result.stderr[-2000:]}"
    return svg.read_text()


@pytest.mark.slow
def test_mermaid_draws_the_sample_the_hostile_and_the_large_diagrams(tmp_path):
    sample = render_svg(mermaid_block(pr_comment()), tmp_path, "sample")
    assert "team-feature-flags" in sample and "replaced" in sample
    hostile = render_svg(mermaid_block(markdown_of(hostile_tree(tmp_path / "hostile"))), tmp_path, "hostile")
    assert "<img" not in hostile and "onerror" not in hostile.replace("onerror=alert(1)&gt;", "")
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile  # shown as text
    large = render_svg(mermaid_block(markdown_of(big_tree(tmp_path / "large"), ["DDB101"])), tmp_path, "large")
    assert "191 more tables" in large

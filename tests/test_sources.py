"""The .tf source map of plans (dynalint.load.sources): which .tf block declares each planned resource."""

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from dynalint.cli import main
from dynalint.load import load_inputs
from helpers import ROOT

APP = ROOT / "tests" / "hcl" / "app"


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def sources(model):
    return {r.address: r.source for r in model.resources}


def header_line(path, kind, name):
    lines = path.read_text().splitlines()
    return lines.index(f'resource "{kind}" "{name}" {{') + 1


TF_READER = ("dynalint.load.tf_sources", "dynalint.load.hcl.module_tree", "dynalint.load.hcl.lifecycle")


@pytest.mark.parametrize("beside_its_tf", [False, True])
def test_the_tf_reader_is_imported_only_for_a_plan_with_tf_files_beside_it(tmp_path, beside_its_tf):
    """A plan alone has no .tf files to read: the command line does not import the reader (module trees, the
    parser's helpers; milliseconds of every run's start) to find that out."""
    plan = ROOT / "sample_plans/mixed/plan.json"
    if not beside_its_tf:
        plan = shutil.copyfile(plan, tmp_path / "plan.json")
    code = (
        "import sys\n"
        "from dynalint.cli import main\n"
        "try:\n"
        f"    main([{str(plan)!r}, '-f', 'sarif', '-o', {str(tmp_path / 'out.sarif')!r}, '--no-config'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(*(name in sys.modules for name in {TF_READER!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.stdout.split() == [str(beside_its_tf)] * len(TF_READER), out.stderr
    assert json.loads((tmp_path / "out.sarif").read_text())["runs"][0]["results"]


def test_module_instances_are_found_through_the_plans_module_calls():
    [model] = load_inputs(["sample_plans/mixed/plan.json"])
    module_file = ROOT / "sample_plans/mixed/modules/table/main.tf"
    source = sources(model)['module.tables["users"].aws_dynamodb_table.this']
    assert (source.file, source.kind) == ("sample_plans/mixed/modules/table/main.tf", "tf")
    assert source.start_line == header_line(module_file, "aws_dynamodb_table", "this")
    assert source.end_line > source.start_line
    assert all(s.kind == "tf" for s in sources(model).values())


def test_the_plans_module_source_wins_over_an_edited_tf(tmp_path):
    shutil.copytree(APP, tmp_path / "app")
    main_tf = tmp_path / "app" / "main.tf"
    main_tf.write_text(main_tf.read_text().replace('"./modules/table"', '"./modules/renamed"'))
    [model] = load_inputs([str(tmp_path / "app" / "plan.json")])
    source = sources(model)['module.tables["orders"].aws_dynamodb_table.this']
    assert source.file == f"{tmp_path}/app/modules/table/main.tf"


def test_blocks_not_found_stay_located_in_the_plan_file(tmp_path):
    for name in ("main.tf", "variables.tf", "plan.json"):
        shutil.copy(APP / name, tmp_path / name)  # no modules/ directory: the module's blocks are not there
    [model] = load_inputs([str(tmp_path / "plan.json")])
    found = sources(model)
    assert found["aws_dynamodb_table.events"].kind == "tf"
    address = 'module.tables["orders"].aws_dynamodb_table.this'
    assert found[address] is None  # the engine then uses the resource's place in the plan file
    in_plan = model.plan_locator[address]
    assert in_plan.kind == "plan" and in_plan.file == f"{tmp_path}/plan.json"
    assert in_plan.start_column  # terraform show -json writes one line: the column finds the address


def test_a_tf_syntax_error_beside_a_plan_is_a_warning_not_an_error(tmp_path):
    shutil.copy(APP / "plan.json", tmp_path / "plan.json")
    (tmp_path / "main.tf").write_text('resource "aws_dynamodb_table" "events" {\n  name = \n}\n')
    result = CliRunner().invoke(main, [str(tmp_path / "plan.json"), "-f", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert any("HCL syntax error" in w and "main.tf:2" in w for w in doc["inputs"][0]["warnings"])
    assert {f["location"]["kind"] for f in doc["findings"]} == {"plan"}


def test_source_dir_that_declares_none_of_the_plans_resources(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_sqs_queue" "other" {\n  name = "x"\n}\n')
    [model] = load_inputs([str(APP / "plan.json")], source_dir=str(tmp_path))
    assert set(sources(model).values()) == {None}
    assert any("declares a resource" in w for w in model.warnings)


def test_a_plan_from_stdin_is_located_in_the_current_directory(monkeypatch):
    monkeypatch.chdir(APP)
    result = CliRunner().invoke(main, ["-", "-f", "json", "--select", "DDB102"], input=(APP / "plan.json").read_bytes())
    [finding] = json.loads(result.output)["findings"]
    assert finding["location"]["file"] == "main.tf"
    assert finding["resource_location"]["line"] == header_line(APP / "main.tf", "aws_dynamodb_table", "events")
    # the finding is about the eu-west-1 replica, which a dynamic block makes: that block is the place
    replica = (APP / "main.tf").read_text().splitlines().index('  dynamic "replica" {') + 1
    assert (finding["location"]["line"], finding["location"]["path"]) == (replica, "replica.eu-west-1")


def test_suppressions_reach_plan_findings_through_the_source_map():
    [model] = load_inputs([str(APP.relative_to(ROOT) / "plan.json")])
    audit = next(r for r in model.resources if r.address == "aws_dynamodb_table.audit[0]")
    assert [(i.rule_ids, i.reason) for i in audit.ignores] == [
        (("DDB101", "DDB103"), "the audit log is re-exported nightly to S3")
    ]
    assert [i.line for i in model.orphan_ignores] == [32]


def test_state_input_keeps_its_own_locations():
    [model] = load_inputs(["tests/tf/durability/plan.json"])
    assert all(r.source is not None for r in model.resources)  # a plan next to its main.tf
    state = {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_dynamodb_table.unprotected",
                        "mode": "managed",
                        "type": "aws_dynamodb_table",
                        "name": "unprotected",
                        "values": {"name": "unprotected"},
                    }
                ]
            }
        },
    }
    path = ROOT / "tests" / "tf" / "durability"
    result = CliRunner().invoke(
        main, ["-", "-f", "json", "--source-dir", str(path.relative_to(ROOT))], input=json.dumps(state)
    )
    # a state has no configuration to tell which block is which module's: it stays located in the input
    assert {f["location"]["kind"] for f in json.loads(result.output)["findings"]} == {"plan"}


def test_the_candidate_declaring_most_of_the_plan_wins(tmp_path, monkeypatch):
    shutil.copytree(APP, tmp_path / "app")
    (tmp_path / "plans").mkdir()
    shutil.copy(APP / "plan.json", tmp_path / "plans" / "plan.json")
    # beside the plan: an unrelated configuration that happens to declare one of its addresses
    (tmp_path / "plans" / "main.tf").write_text('resource "aws_sqs_queue" "marker" {\n  name = "other"\n}\n')
    monkeypatch.chdir(tmp_path / "app")
    [model] = load_inputs([str(tmp_path / "plans" / "plan.json")])
    assert sources(model)["aws_sqs_queue.marker"].file == "main.tf"
    assert sources(model)['module.tables["orders"].aws_dynamodb_table.this'].file == "modules/table/main.tf"

"""The resource graph: neighbour queries from plain maps, the networkx view only on first use."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import networkx as nx

from dynalint import engine
from dynalint.rule import Context, Issue, ResourceIndex, rule
from helpers import _REGISTRY, ROOT, case_plan, load_case

MODEL = load_case("encryption")


def _index() -> ResourceIndex:
    return ResourceIndex(MODEL.resources, _REGISTRY.links)


def test_related_and_the_networkx_view_hold_the_same_edges():
    index = _index()
    graph = Context(index, {}).graph
    assert isinstance(graph, nx.DiGraph)
    assert graph is Context(index, {}).graph  # built once per input, shared by every rule
    live = {r.address: r for r in MODEL.resources if not r.deleted}
    assert set(graph.nodes) == set(live)
    assert graph.number_of_edges() > 0
    for address, resource in live.items():
        out = [r.address for r in index.graph.related(resource, direction="out")]
        into = [r.address for r in index.graph.related(resource, direction="in")]
        assert out == sorted(graph.successors(address))
        assert into == sorted(graph.predecessors(address))
        for target in out:
            via = graph.edges[address, target]["via"]
            assert via and all(index.graph.related(resource, via=v, direction="out") for v in via)


def test_related_filters_by_type_and_by_via_prefix():
    index = _index()
    graph = index.graph.nx
    # an edge whose via is a dotted path is found by its first step as well, and not by another attribute
    source, target, via = next((s, t, v) for s, t, d in graph.edges(data=True) for v in sorted(d["via"]) if "." in v)
    resource, other = index.by_address[source], index.by_address[target]
    head = via.split(".")[0]
    assert other in index.graph.related(resource, type=other.type, via=head, direction="out")
    assert other not in index.graph.related(resource, type=other.type, via=head + "_not", direction="out")
    assert other not in index.graph.related(resource, type="aws_no_such_type", direction="out")
    assert resource in index.graph.related(other, type=resource.type, via=via, direction="in")
    assert resource in index.graph.related(other, type=resource.type, via=via)  # "both" holds "in"


@rule(id="NET001", slug="graph-reach", level="note", applies=["aws_kms_key"], kind="graph")
def _graph_reach(key, ctx):
    """Counts what reaches a key through any path."""
    yield Issue(f"{len(nx.ancestors(ctx.graph, key.address))} resources reach {key.address}")


def test_a_rule_may_ask_the_networkx_graph():
    found = engine.run([MODEL], [_graph_reach], _REGISTRY.links)
    graph = _index().graph.nx
    assert found and all(
        f.message == f"{len(nx.ancestors(graph, f.address))} resources reach {f.address}" for f in found
    )
    assert any(not f.message.startswith("0 ") for f in found)


_IMPORTED = textwrap.dedent("""
    import sys
    from click.testing import CliRunner
    from dynalint.cli import main
    result = CliRunner().invoke(main, ["--no-config", *sys.argv[1:]])
    assert result.exit_code in (0, 1), result.output
    print("networkx" in sys.modules)
""")


def _networkx_imported(*args: str) -> bool:
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORTED, *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip() == "True"


def test_rules_that_ask_only_for_neighbours_do_not_import_networkx(tmp_path):
    plan = str(case_plan("encryption"))
    assert not _networkx_imported(plan, "-f", "sarif")  # every built-in rule, DDB203 among them (a graph rule)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "size.py").write_text(
        textwrap.dedent('''
        from dynalint.rule import Issue, rule

        @rule(id="NET002", slug="graph-size", level="note", applies=["aws_kms_key"], kind="graph")
        def size(key, ctx):
            """Counts the edges of the graph."""
            yield Issue(f"{ctx.graph.number_of_edges()} edges")
    ''')
    )
    assert _networkx_imported(plan, "--rules-dir", str(rules), "-f", "json")


def test_a_constant_holding_a_references_key_names_no_resource():
    # tests/tf/constant_refs: constants that hold {"references": [...]} (a terraform_data input, a module
    # input whose other field a table reads) are values, not expressions: no edge comes of them.
    model = load_case("constant_refs")
    index = ResourceIndex(model.resources, _REGISTRY.links)
    key = index.by_address["aws_kms_key.rotating"]
    assert index.by_address["terraform_data.note"].references == ()
    assert index.by_address["module.constant.aws_dynamodb_table.t"].references == ()
    naming_the_key = index.graph.related(key, direction="in")
    assert [r.address for r in naming_the_key] == ["module.keyed.aws_dynamodb_table.t"]  # the twin, by reference
    assert ("server_side_encryption.kms_key_arn", "aws_kms_key.rotating") in naming_the_key[0].references


def test_two_resources_of_one_address_are_each_asked_for_their_own_keys():
    # A hand-built shape terraform never writes (two live entries with one address): the link's key function
    # is asked of each, so the alarm naming the second table's name is still tied to that address.
    from dynalint.graph import Graph, Link
    from dynalint.model import Resource

    first = Resource("aws_dynamodb_table.t", "aws_dynamodb_table", "t", {"name": "orders"})
    second = Resource("aws_dynamodb_table.t", "aws_dynamodb_table", "t", {"name": "payments"})
    alarm = Resource("aws_cloudwatch_metric_alarm.a", "aws_cloudwatch_metric_alarm", "a", {"table": "payments"})
    link = Link(
        "aws_cloudwatch_metric_alarm",
        "aws_dynamodb_table",
        "dimensions.TableName",
        lambda r: [r.values["table"]],
        lambda r: [r.values["name"]],
    )
    graph = Graph([first, second, alarm], [link])
    assert [r.address for r in graph.related(alarm, direction="out")] == ["aws_dynamodb_table.t"]


def _iterated(with_tf: bool):
    """tests/tf/iterated_refs: for_each targets referring to a for_each of tables (see its main.tf)."""
    from dynalint.load import load_inputs

    return [load_inputs([str(case_plan("iterated_refs"))])[0]] if with_tf else [load_case("iterated_refs")]


def test_an_instance_made_of_an_iterated_resource_or_module_names_the_one_of_its_key():
    for with_tf in (False, True):
        [model] = _iterated(with_tf)
        targets = {r.address: r.references for r in model.resources if r.type == "aws_appautoscaling_target"}
        for kind in ("moduled", *(("direct",) if with_tf else ())):  # "each.value" names nothing in a plan alone
            for key in ("orders", "events"):
                table = f'module.tables["{key}"].aws_dynamodb_table.this' if kind == "moduled" else None
                table = table or f'aws_dynamodb_table.direct["{key}"]'
                assert targets[f'aws_appautoscaling_target.{kind}["{key}"]'] == (("resource_id", table),)
        found = engine.run([model], [r for r in _REGISTRY.sorted() if r.id == "DDB403"], _REGISTRY.links)
        # the on-demand table is scaled by the target of its own entry, not by the provisioned one's
        assert {f.address for f in found} == {
            'aws_appautoscaling_target.direct["events"]',
            'aws_appautoscaling_target.moduled["events"]',
        }

"""A Mermaid diagram of the DynamoDB tables a plan touches, for the pull-request comment (report/markdown.py).

GitHub draws a ```` ```mermaid ```` block in a comment. Each table the plan
creates, changes, replaces or destroys (every table, for ``.tf`` and state
input) is a node, with its indexes, its stream and the Lambda event source
mappings that consume it, its replicas, its autoscaling and its alarms; each
node says how many findings it has and is coloured by the worst. A table's
findings go to the part their attribute path names (``global_secondary_index.by_email``
to that index, ``replica.eu-west-1`` to that replica, ``stream_*`` to the stream).

Bounded: the ``MAX_TABLES`` tables with the worst findings are drawn in full,
at most ``MAX_PARTS`` parts of a kind each and ``MAX_NODES`` nodes in all; the other tables are drawn as one
node per module call and action, at most ``MAX_GROUPS``; a line under the
diagram says what was left out. Every string from the input (addresses, names,
regions, function names) goes through ``mermaid_text``, which leaves letters,
digits and a few inert signs and writes everything else as a Mermaid entity
code: no input can close a label, start a statement (``click``, ``%%{init}``,
a ``style``), inject HTML or end the code fence.

This is the one reporter that knows DynamoDB's resource types; it draws
relations with the rule pack's graph links (the same edges the rules see).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from dynalint.model import Finding, Level, Model, Resource
from dynalint.report.base import Report, plural

MAX_TABLES = 10
MAX_PARTS = 4
MAX_GROUPS = 8
#: Nodes drawn at most (tables past it are counted in groups): GitHub's Mermaid refuses diagrams of more than
#: 50,000 characters or 500 edges, and a comment holds 65,536 characters in all.
MAX_NODES = 80
MAX_LABEL = 60
TABLE = "aws_dynamodb_table"
TARGET = "aws_appautoscaling_target"
SCALERS = ("aws_appautoscaling_policy", "aws_appautoscaling_scheduled_action")
ALARM = "aws_cloudwatch_metric_alarm"
CONSUMER = "aws_lambda_event_source_mapping"
REPLICA = "aws_dynamodb_table_replica"
INDEXES = ("global_secondary_index", "local_secondary_index")
_ACTIONS = {
    ("create",): "new",
    ("update",): "changed",
    ("delete",): "destroyed",
    ("delete", "create"): "replaced",
    ("create", "delete"): "replaced",
    ("no-op",): "unchanged",
    ("read",): "unchanged",
}
_STYLES = {
    "error": "fill:#ffebe9,stroke:#cf222e,color:#1f2328",
    "warning": "fill:#fff8c5,stroke:#9a6700,color:#1f2328",
    "note": "fill:#ddf4ff,stroke:#0969da,color:#1f2328",
    "clean": "fill:#dafbe1,stroke:#1a7f37,color:#1f2328",
    "destroyed": "stroke-dasharray:6 4",
}
_PARTS = frozenset({TARGET, *SCALERS, ALARM, CONSUMER, REPLICA})
_SAFE = re.compile(r"[A-Za-z0-9 _.,/()=+-]")


def mermaid_text(text: str, limit: int = MAX_LABEL) -> str:
    """Untrusted text made inert inside a quoted Mermaid label: cut to ``limit`` characters, then every
    character but letters, digits, space and ``_.,/()=+-`` written as an entity code (``#34;``)."""
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return "".join(c if _SAFE.fullmatch(c) else f"#{ord(c)};" for c in text)


@dataclass
class _Node:
    id: str
    label: list[str]  # lines, already escaped
    findings: list[Finding] = field(default_factory=list)
    shape: str = "box"
    destroyed: bool = False

    def render(self) -> str:
        counts = _counts(self.findings)
        text = "<br/>".join(self.label + ([counts] if counts else []))
        opening, closing = {
            "box": ('["', '"]'),
            "table": ('[("', '")]'),
            "round": ('("', '")'),
            "stadium": ('(["', '"])'),
            "group": ('[["', '"]]'),
        }[self.shape]
        return f"  {self.id}{opening}{text}{closing}"

    @property
    def level(self) -> str:
        return str(max(f.level for f in self.findings)) if self.findings else "clean"


def diagram(report: Report) -> list[str]:
    """The markdown lines of the diagram (a fenced mermaid block and a line on what it leaves out), or []."""
    from dynalint.graph import TooConnected

    links = _links()
    tables: list[tuple[object, Resource]] = []
    for model in report.models:
        try:
            graph = _graph(model, links)
        except TooConnected:  # its pairs past the graph's budget (drawn with its destroyed resources, which the
            continue  # rules' graph leaves out, or linted with rules that never asked the graph): not drawn
        tables += [(graph, r) for r in _tables(model, graph)]
    if not tables:
        return []
    findings = _by_address(report.findings)
    tables.sort(key=lambda entry: _importance(entry[1], findings))
    nodes: list[_Node] = []
    edges: list[str] = []
    drawn = 0
    for graph, table in tables[:MAX_TABLES]:
        before = (len(nodes), len(edges))
        _draw_table(f"t{drawn}", graph, table, findings, nodes, edges)
        if len(nodes) > MAX_NODES - MAX_GROUPS:
            del nodes[before[0] :], edges[before[1] :]  # this table and the rest are counted, not drawn
            break
        drawn += 1
    groups = _groups(tables[drawn:])
    for number, (title, members) in enumerate(groups):
        group = _Node(f"g{number}", [mermaid_text(title), plural(len(members), "more table")], shape="group")
        group.findings = [f for _graph, table in members for f in findings.get(table.address, ())]
        group.destroyed = all(table.deleted for _graph, table in members)
        nodes.append(group)
    lines = ["```mermaid", "flowchart LR"]
    lines += [node.render() for node in nodes]
    lines += edges
    for name, style in _STYLES.items():
        lines.append(f"  classDef {name} {style}")
    by_class: dict[str, list[str]] = {}
    for node in nodes:
        by_class.setdefault(node.level, []).append(node.id)
        if node.destroyed:
            by_class.setdefault("destroyed", []).append(node.id)
    lines += [f"  class {','.join(ids)} {name}" for name, ids in by_class.items()]
    planned = any(r.change is not None for model in report.models for r in model.resources)
    lines += ["```", "", _caption(drawn, groups, planned), ""]
    return lines


# ---------------------------------------------------------------- what is drawn
def _tables(model: Model, graph) -> list[Resource]:
    """The tables a plan touches (or whose autoscaling, alarms or consumers it touches); every table of an
    input without changes (.tf, state)."""
    tables = [r for r in model.resources if r.type == TABLE and r.mode == "managed"]
    if all(r.change is None for r in model.resources):
        return tables
    touched = {r.address for r in model.resources if r.change is not None and r.change.touches}
    out = []
    for table in tables:
        related = {r.address for r in graph.related(_drawable(table), direction="in") if r.type in _PARTS}
        if table.address in touched or related & touched:
            out.append(table)
    return out


def _draw_table(
    prefix: str, graph, table: Resource, findings: dict[str, list[Finding]], nodes: list[_Node], edges: list[str]
) -> None:
    drawn = _drawable(table)
    values = drawn.values
    own = list(findings.get(table.address, ()))
    name = values.get("name")
    title = [mermaid_text(name)] if isinstance(name, str) and name else []
    title.append(mermaid_text(table.address, 90))
    action = _ACTIONS.get(table.actions, ", ".join(table.actions)) if table.actions else ""
    node = _Node(prefix, title + ([mermaid_text(action)] if action else []), shape="table", destroyed=table.deleted)
    nodes.append(node)

    def part(kind: str, items: list[tuple[str, list[Finding]]], shape: str, edge: str, source: str = prefix) -> None:
        for number, (label, found) in enumerate(items[:MAX_PARTS]):
            nodes.append(_Node(f"{prefix}{kind}{number}", [label], found, shape, table.deleted))
            edges.append(f"  {source} {edge} {prefix}{kind}{number}")
        if len(items) > MAX_PARTS:
            rest = items[MAX_PARTS:]
            nodes.append(
                _Node(
                    f"{prefix}{kind}x", [f"+{len(rest)} more"], [f for _, fs in rest for f in fs], shape, table.deleted
                )
            )
            edges.append(f"  {source} {edge} {prefix}{kind}x")

    indexes = []
    for kind in INDEXES:
        for block in _blocks(values, kind):
            index = block.get("name")
            if isinstance(index, str):
                word = "GSI" if kind == INDEXES[0] else "LSI"
                indexes.append((f"{word} {mermaid_text(index)}", _take(own, f"{kind}.{index}")))
    part("i", indexes, "round", "---")
    if values.get("stream_enabled") is True:
        view = values.get("stream_view_type")
        label = "stream" + (f" {mermaid_text(view)}" if isinstance(view, str) else "")
        stream = _Node(
            f"{prefix}s",
            [label],
            _take(own, "stream_enabled") + _take(own, "stream_view_type"),
            "stadium",
            table.deleted,
        )
        nodes.append(stream)
        edges.append(f"  {prefix} --> {prefix}s")
        consumers = [
            ("Lambda " + mermaid_text(_function(r)), findings.get(r.address, []))
            for r in graph.related(drawn, CONSUMER, direction="in")
        ]
        part("c", consumers, "box", "-->", f"{prefix}s")
    replicas = [
        (f"replica {mermaid_text(region)}", _take(own, f"replica.{region}"))
        for block in _blocks(values, "replica")
        if isinstance(region := block.get("region_name"), str)
    ]
    replicas += [
        (f"replica {mermaid_text(r.region or r.address)}", findings.get(r.address, []))
        for r in graph.related(drawn, REPLICA, direction="in")
    ]
    part("r", replicas, "box", "---")
    scaling = _autoscaling(drawn, graph)
    if scaling:
        found = [f for r in scaling for f in findings.get(r.address, [])]
        dimensions = sorted({_dimension(r) for r in scaling if r.type == TARGET} - {""})
        lines = ["autoscaling"] + ([mermaid_text(", ".join(dimensions))] if dimensions else [])
        nodes.append(_Node(f"{prefix}a", lines, found, "box", table.deleted))
        edges.append(f"  {prefix}a -. scales .-> {prefix}")
    alarms = graph.related(drawn, ALARM, direction="in")
    if alarms:
        found = [f for r in alarms for f in findings.get(r.address, [])]
        nodes.append(_Node(f"{prefix}m", [plural(len(alarms), "alarm")], found, "box", table.deleted))
        edges.append(f"  {prefix}m -. watches .-> {prefix}")
    node.findings = own


def _autoscaling(table: Resource, graph) -> list[Resource]:
    targets = graph.related(table, TARGET, direction="in")
    found = {r.address: r for r in targets}
    for scaler in SCALERS:
        found.update((r.address, r) for r in graph.related(table, scaler, direction="in"))
        for target in targets:
            found.update((r.address, r) for r in graph.related(target, scaler, direction="in"))
    return [found[a] for a in sorted(found)]


def _dimension(target: Resource) -> str:
    """``dynamodb:index:ReadCapacityUnits`` of ``table/t/index/by_x`` -> "by_x read"; table dimensions: "read"."""
    dimension = target.values.get("scalable_dimension")
    if not isinstance(dimension, str) or not dimension.startswith("dynamodb:"):
        return ""
    unit = "read" if "Read" in dimension else "write" if "Write" in dimension else dimension
    resource_id = target.values.get("resource_id")
    if ":index:" in dimension and isinstance(resource_id, str) and "/index/" in resource_id:
        return f"{resource_id.rsplit('/index/', 1)[1]} {unit}"
    return unit


def _function(mapping: Resource) -> str:
    name = mapping.values.get("function_name")
    if isinstance(name, str) and name:
        return name.rsplit(":function:", 1)[-1]
    return mapping.address


def _take(findings: list[Finding], prefix: str) -> list[Finding]:
    """Remove and return the findings whose path is ``prefix`` or under it (a part of the table takes them)."""
    taken = [f for f in findings if f.path and (f.path == prefix or f.path.startswith(prefix + "."))]
    for f in taken:
        findings.remove(f)
    return taken


def _blocks(values, key: str) -> list[dict]:
    found = values.get(key) if hasattr(values, "get") else None
    return [b for b in found if isinstance(b, dict)] if isinstance(found, list) else []


# ---------------------------------------------------------------- order, groups, caption
def _by_address(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        if not f.suppressed and f.baseline_state != "unchanged":
            out.setdefault(f.address, []).append(f)
    return out


def _importance(table: Resource, findings: dict[str, list[Finding]]) -> tuple:
    """Tables with the worst findings first, then the most findings, destroyed and replaced ones, by address."""
    found = findings.get(table.address, [])
    worst = max((f.level for f in found), default=Level.NOTE - 1)
    risky = "delete" in table.actions
    return (-worst, -len(found), not risky, table.address)


def _groups(rest: list[tuple[object, Resource]]) -> list[tuple[str, list]]:
    """The tables not drawn in full, by module call and action; at most MAX_GROUPS, the last takes the rest."""
    grouped: dict[str, list] = {}
    for graph, table in rest:
        module = table.module.split(".")[1].split("[")[0] if table.module.startswith("module.") else ""
        action = _ACTIONS.get(table.actions, ", ".join(table.actions)) if table.actions else ""
        title = f"module.{module}" if module else "root module"
        grouped.setdefault(f"{title} ({action})" if action else title, []).append((graph, table))
    keys = sorted(grouped, key=lambda k: (-len(grouped[k]), k))
    if len(keys) > MAX_GROUPS:
        kept, others = keys[: MAX_GROUPS - 1], keys[MAX_GROUPS - 1 :]
        return [(k, grouped[k]) for k in kept] + [("other modules", [e for k in others for e in grouped[k]])]
    return [(k, grouped[k]) for k in keys]


def _caption(shown: int, groups: list, planned: bool) -> str:
    if not groups:
        return f"*{plural(shown, 'table')} {'the plan touches' if planned else 'in the input'}, with {_parts_words()}.*"
    left = sum(len(members) for _, members in groups)
    return (
        f"*The {plural(shown, 'table')} with the most severe findings are drawn with {_parts_words()}; "
        f"{plural(left, 'more table')} are counted by module and action, without their parts.*"
    )


def _parts_words() -> str:
    return (
        f"their indexes, stream consumers, replicas, autoscaling and alarms (at most {MAX_PARTS} of a kind); "
        "the colour is the worst finding: red error, yellow warning, blue note, green none"
    )


def _counts(findings: list[Finding]) -> str:
    if not findings:
        return ""
    counts = {level: sum(1 for f in findings if f.level == level) for level in sorted(Level, reverse=True)}
    return ", ".join(plural(n, str(level)) for level, n in counts.items() if n)


# ---------------------------------------------------------------- the graph
def _links() -> Sequence:
    from dynalint.engine import builtin_registry

    return builtin_registry().links


def _graph(model: Model, links: Sequence):
    """The resource graph of a model, destroyed resources included (drawn with their values before the plan)."""
    from dynalint.graph import Graph

    return Graph([_drawable(r) for r in model.resources], links)


def _drawable(resource: Resource) -> Resource:
    """A destroyed resource as it was (its ``before`` values), so that the graph keeps it and its links."""
    # resource.deleted, with resource.change narrowed
    if resource.change is not None and resource.change.is_delete and isinstance(resource.change.before, dict):
        return replace(resource, values=resource.change.before, change=None)
    return resource

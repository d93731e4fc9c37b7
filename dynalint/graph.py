"""The resource graph: which resources are tied to which, and the queries rules ask of it.

Nodes are resource addresses (resources the plan deletes are left out: they
will not exist after apply). An edge ``a -> b`` says that ``a`` names ``b``:
through a reference in its configuration (``aws_kms_key.main.arn``), or through
a literal value that a ``Link`` recognises (an autoscaling target's
``resource_id = "table/orders"`` names the table called "orders"). Each edge
keeps the attribute paths of ``a`` that name ``b`` (``via``).

The engine knows no resource type: the rule pack registers its Links.
Neighbour queries (``related``) read plain adjacency maps; the networkx view
(``Graph.nx``, ``ctx.graph`` in a rule) is built the first time it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dynalint.errors import TooMuchWork, env_limit
from dynalint.model import Resource


@dataclass(frozen=True)
class Link:
    """A literal match: ``source_keys(src)`` yields keys; a target whose ``target_keys`` share one is named.

    ``via`` is the attribute path of the source that holds the name, as in a
    reference edge, so a rule asks the same question whatever made the edge.
    """

    source_type: str
    target_type: str
    via: str
    source_keys: Callable[[Resource], Iterable[str]]
    target_keys: Callable[[Resource], Iterable[str]]


class Graph:
    """The edges, kept as plain adjacency maps; the networkx view is built only when asked for (``nx``).

    Rules ask for neighbours (``related``), which the maps answer without
    networkx: a run whose rules need nothing more does not pay its import.
    """

    def __init__(self, resources: Iterable[Resource], links: Iterable[Link] = ()) -> None:
        live = [r for r in resources if not r.deleted]
        by_address = self._by_address = {r.address: r for r in live}
        by_type: dict[str, list[Resource]] = {}
        for r in live:
            by_type.setdefault(r.type, []).append(r)
        # Several links share a key function (a table's name ties it to alarms, autoscaling, ...): each
        # function is asked once per resource, and the targets' index is built once per (type, function).
        keys: dict[Callable, dict[int, list[str]]] = {}
        indexes: dict[tuple[str, Callable], dict[str, list[str]]] = {}
        matched = []  # (link, its sources, each source's keys, the targets by key)
        for link in links:
            sources = by_type.get(link.source_type)
            targets = by_type.get(link.target_type)
            if not sources or not targets:
                continue
            named = indexes.get((link.target_type, link.target_keys))
            if named is None:
                named = indexes[(link.target_type, link.target_keys)] = {}
                for t, found in zip(targets, _keys_once(keys, link.target_keys, targets), strict=True):
                    for key in found:
                        named.setdefault(key, []).append(t.address)
            matched.append((link, sources, _keys_once(keys, link.source_keys, sources), named))
        _check_pairs(live, by_address, matched)
        edges: dict[tuple[str, str], set[str]] = {}
        for r in live:
            source = r.address
            for via, target in r.references:
                if target in by_address and target != source:
                    edges.setdefault((source, target), set()).add(via)
        for link, sources, source_keys, named in matched:
            for s, found in zip(sources, source_keys, strict=True):
                for key in found:
                    for target in named.get(key, ()):
                        if target != s.address:
                            edges.setdefault((s.address, target), set()).add(link.via)
        self._edges = edges
        # node -> [(neighbour, its resource, the via paths of the edge)], by neighbour address
        out: dict[str, list[tuple[str, Resource, set[str]]]] = {}
        into: dict[str, list[tuple[str, Resource, set[str]]]] = {}
        for (source, target), vias in sorted(edges.items()):
            out.setdefault(source, []).append((target, by_address[target], vias))
            into.setdefault(target, []).append((source, by_address[source], vias))
        self._out, self._in = out, into
        self._nx = None

    @property
    def nx(self):
        """The graph as a networkx ``DiGraph``: nodes are addresses, each edge has a ``via`` set.

        Built on first use (importing networkx takes longer than a small run).
        It is shared: read it, do not change it.
        """
        if self._nx is None:
            import networkx as nx

            graph = nx.DiGraph()
            graph.add_nodes_from(self._by_address)
            graph.add_edges_from((source, target, {"via": via}) for (source, target), via in self._edges.items())
            self._nx = graph
        return self._nx

    def related(
        self, resource: Resource, type: str | None = None, via: str | None = None, direction: str = "both"
    ) -> list[Resource]:
        """Resources tied to ``resource``, optionally of one type and through one attribute.

        ``direction``: "out" (resources this one names), "in" (resources that
        name this one) or "both". ``via`` matches the attribute path on the side
        that names the other (a prefix: "replica" matches "replica.kms_key_arn").
        Sorted by address.
        """
        node = resource.address
        if node not in self._by_address:
            return []
        if direction == "out" or direction == "in":  # one side: each neighbour once, in address order already
            side = (self._out if direction == "out" else self._in).get(node, ())
            return [
                other
                for _, other, paths in side
                if (type is None or other.type == type) and (via is None or _through(paths, via))
            ]
        if direction != "both":
            return []
        found: dict[str, Resource] = {}
        for side in (self._out.get(node, ()), self._in.get(node, ())):
            for address, other, paths in side:
                if (type is None or other.type == type) and (via is None or _through(paths, via)):
                    found[address] = other
        return [found[a] for a in sorted(found)]


class TooConnected(TooMuchWork):
    """The input ties more pairs of resources than ``_check_pairs`` allows."""


# How many pairs of resources an input may tie, by references and literal names together: a floor, and so many
# per resource. Real infrastructure ties about one pair per resource (the plans of bench/ and of the corpus: at
# most 1.3); a table name used in many regions, a few dozen. Pairs can grow with the square of the input: a
# literal name shared by n sources and m targets ties n x m, and a reference through a function of a whole map
# (``values(aws_dynamodb_table.t)[count.index]``) names every instance of it. 1,000 tables of one name and
# 1,000 alarms on it tie a million pairs: 5 s and 570 MB, four times that for twice the resources.
PAIRS_FLOOR = 100_000
PAIRS_PER_RESOURCE = env_limit("DYNALINT_PAIRS_PER_RESOURCE", 50)  # the workflow may raise it


def _check_pairs(live: list[Resource], by_address: dict[str, Resource], matched: list) -> None:
    """Refuse, before any edge is made, an input that ties more pairs than the budget: the graph, and the rules
    that walk it, would take time and memory in the square of its size. Refusing fails the gate closed (exit 2),
    where dropping edges would change what the rules see. Counted cheaply first (a resource's references, at
    least the pairs they tie), exactly when that count is over."""
    budget = PAIRS_FLOOR + PAIRS_PER_RESOURCE * len(live)
    by_name = 0
    for _link, _sources, source_keys, named in matched:
        for found in source_keys:
            for key in found:
                targets = named.get(key)
                if targets is not None:
                    by_name += len(targets)
    if by_name + sum([len(r.references) for r in live]) <= budget:
        return
    widest: dict[str, int] = {}  # resource type -> the most resources one of its resources names by reference
    by_reference = 0
    for r in live:
        count = len({t for _via, t in r.references if t in by_address and t != r.address})
        by_reference += count
        widest[r.type] = max(widest.get(r.type, 0), count)
    if by_name + by_reference <= budget:
        return
    raise TooConnected(
        f"its resources are tied in {by_name + by_reference:,} pairs, more than dynalint checks in an input of "
        f"{len(live):,} resources ({budget:,}: DYNALINT_PAIRS_PER_RESOURCE raises it; real infrastructure ties "
        "about one pair per resource): "
        + (_widest_name(matched) if by_name >= by_reference else _widest_reference(widest))
    )


def _widest_name(matched: list) -> str:
    """What ties the most pairs through one literal name, and what to do about it."""
    most, sources, targets, link = 0, 0, 0, None
    for candidate, _sources, source_keys, named in matched:
        per_key: dict[str, int] = {}
        for found in source_keys:
            for key in found:
                if key in named:
                    per_key[key] = per_key.get(key, 0) + 1
        for key, count in per_key.items():
            if count * len(named[key]) > most:
                most, sources, targets, link = count * len(named[key]), count, len(named[key]), candidate
    if link is None:  # not reached: called only when names tie most of the pairs
        return "give each resource a name of its own"
    return (
        f"{sources:,} {link.source_type} and {targets:,} {link.target_type} name one another through one value "
        f"of {link.via} (AWS refuses two tables of one name in one region and account): give each resource a name "
        "of its own"
    )


def _widest_reference(widest: dict[str, int]) -> str:
    """What names the most resources by reference, and what to do about it."""
    type_ = max(widest, key=lambda t: widest[t])
    return (
        f"one {type_} names {widest[type_]:,} resources through its references (a function of a whole map, such as "
        "values(...)[count.index], names every instance of it): name the one instance it uses"
    )


def _through(paths: set[str], via: str) -> bool:
    """Whether one of an edge's attribute paths is ``via`` or lies under it."""
    under = via + "."
    return via in paths or any(v.startswith(under) for v in paths)


def _keys_once(
    cache: dict[Callable, dict[int, list[str]]], fn: Callable[[Resource], Iterable[str]], resources: list[Resource]
) -> list[list[str]]:
    """``_safe_keys`` of each resource, asked once per key function and resource. Keyed by the resource object,
    not its address: a crafted plan may give two resources one address, and each must still be asked for its
    own keys."""
    known = cache.setdefault(fn, {})
    out = []
    for resource in resources:
        found = known.get(id(resource))
        if found is None:
            found = known[id(resource)] = _safe_keys(fn, resource)
        out.append(found)
    return out


def _safe_keys(fn: Callable[[Resource], Iterable[str]], resource: Resource) -> list[str]:
    """A link's key function on a resource of odd shape names nothing rather than failing."""
    try:
        return [k for k in fn(resource) if isinstance(k, str) and k]
    except (AttributeError, TypeError, ValueError, KeyError, IndexError):
        return []

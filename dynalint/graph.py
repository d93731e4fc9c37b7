"""The resource graph: which resources are tied to which, and the queries rules ask of it.

Nodes are resource addresses (resources the plan deletes are left out: they
will not exist after apply). An edge ``a -> b`` says that ``a`` names ``b``:
through a reference in its configuration (``aws_kms_key.main.arn``), or through
a literal value that a ``Link`` recognises (an autoscaling target's
``resource_id = "table/orders"`` names the table called "orders"). Each edge
keeps the attribute paths of ``a`` that name ``b`` (``via``).

The engine knows no resource type: the rule pack registers its Links.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

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
    def __init__(self, resources: Iterable[Resource], links: Iterable[Link] = ()) -> None:
        import networkx as nx  # only the runs that need the graph pay for the import

        live = [r for r in resources if not r.deleted]
        self._by_address = {r.address: r for r in live}
        by_type: dict[str, list[Resource]] = {}
        for r in live:
            by_type.setdefault(r.type, []).append(r)
        edges: dict[tuple[str, str], set[str]] = {}  # collected first, then added to networkx at once
        for r in live:
            for via, target in r.references:
                if target in self._by_address and target != r.address:
                    edges.setdefault((r.address, target), set()).add(via)
        for link in links:
            sources = by_type.get(link.source_type)
            targets = by_type.get(link.target_type)
            if not sources or not targets:
                continue
            named: dict[str, list[str]] = {}
            for t in targets:
                for key in _safe_keys(link.target_keys, t):
                    named.setdefault(key, []).append(t.address)
            for s in sources:
                for key in _safe_keys(link.source_keys, s):
                    for target in named.get(key, ()):
                        if target != s.address:
                            edges.setdefault((s.address, target), set()).add(link.via)
        self._g = nx.DiGraph()
        self._g.add_nodes_from(self._by_address)
        self._g.add_edges_from((source, target, {"via": via}) for (source, target), via in edges.items())

    def related(self, resource: Resource, type: str | None = None, via: str | None = None,
                direction: str = "both") -> list[Resource]:
        """Resources tied to ``resource``, optionally of one type and through one attribute.

        ``direction``: "out" (resources this one names), "in" (resources that
        name this one) or "both". ``via`` matches the attribute path on the side
        that names the other (a prefix: "replica" matches "replica.kms_key_arn").
        """
        node = resource.address
        if node not in self._g:
            return []
        found: dict[str, Resource] = {}
        if direction in ("out", "both"):
            for target, data in self._g.succ[node].items():
                self._add(found, target, type, via, data)
        if direction in ("in", "both"):
            for source, data in self._g.pred[node].items():
                self._add(found, source, type, via, data)
        return [found[a] for a in sorted(found)]

    def _add(self, found: dict, address: str, type: str | None, via: str | None, data: dict) -> None:
        other = self._by_address[address]
        if type is not None and other.type != type:
            return
        if via is not None and not any(v == via or v.startswith(via + ".") for v in data["via"]):
            return
        found[address] = other


def _safe_keys(fn: Callable[[Resource], Iterable[str]], resource: Resource) -> list[str]:
    """A link's key function on a resource of odd shape names nothing rather than failing."""
    try:
        return [k for k in fn(resource) if isinstance(k, str) and k]
    except (AttributeError, TypeError, ValueError, KeyError, IndexError):
        return []

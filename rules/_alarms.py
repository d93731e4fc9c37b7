"""CloudWatch metric alarms: the metrics an alarm watches, its own and those of its ``metric_query`` blocks."""

from __future__ import annotations

from typing import Any

from dynalint.model import UNKNOWN, Resource, is_known
from dynalint.values import blocks, derived


def alarm_metrics(alarm: Resource) -> list[tuple[Any, Any, Any]]:
    """(namespace, metric_name, dimensions) of the alarm's metric and of each metric in its metric_query blocks;
    (UNKNOWN, UNKNOWN, UNKNOWN) for blocks not known. Read once per alarm: the list is shared, read it."""
    return derived(alarm, "alarms.metrics", _read_metrics)


def _read_metrics(alarm: Resource) -> list[tuple[Any, Any, Any]]:
    values = alarm.values
    found = []
    if values.get("metric_name") is not None or values.get("namespace") is not None:
        found.append((values.get("namespace"), values.get("metric_name"), values.get("dimensions")))
    queries = blocks(values, "metric_query")
    if not is_known(queries):
        return found + [(UNKNOWN, UNKNOWN, UNKNOWN)]
    for query in queries:
        metrics = blocks(query, "metric")
        if not is_known(metrics):
            found.append((UNKNOWN, UNKNOWN, UNKNOWN))
            continue
        found += [(m.get("namespace"), m.get("metric_name"), m.get("dimensions")) for m in metrics]
    return found

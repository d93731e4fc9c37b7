"""Reporters: findings to text in one format. Each module has ``render(report) -> str``; the ``Report``
they all take and what several of them write (counts, the summary line, URIs) are in dynalint.report.base."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from dynalint.report.base import (
    DOCS_URI,
    INFORMATION_URI,
    Report,
    artifact_uri,
    checked_resources,
    help_uri,
    plural,
    statistics,
    summary_line,
)

__all__ = [
    "FORMATS",
    "render",
    "render_pieces",
    "Report",
    "INFORMATION_URI",
    "DOCS_URI",
    "artifact_uri",
    "help_uri",
    "plural",
    "summary_line",
    "statistics",
    "checked_resources",
]

#: Every output format: a module of this package each; the command line offers them in this order.
FORMATS = ("text", "concise", "sarif", "json", "junit", "github", "markdown")


def render(fmt: str, report: Report) -> str:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    module = importlib.import_module(f"dynalint.report.{fmt}")
    return module.render(report)


def render_pieces(fmt: str, report: Report) -> Iterable[str]:
    """``render(fmt, report)`` in pieces, for a writer: SARIF comes in batches of results, so that writing a
    large plan's report to a file never holds it whole; the other formats come whole."""
    if fmt == "sarif":
        from dynalint.report import sarif

        return sarif.pieces(report)
    return [render(fmt, report)]

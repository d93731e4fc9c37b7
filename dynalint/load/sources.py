"""Where each resource is: in the plan or state JSON file, and in the ``.tf`` files that declare it.

Plan locations are the fallback: ``terraform show -json`` writes one line, so
the column matters as much as the line, and each resource's location is the
``"address"`` key of its entry in ``resource_changes`` (or, in a state, in
``values``). The ``.tf`` source map (dynalint.load.tf_sources) reads the module tree
(dynalint.load.hcl.module_tree) and maps each resource block, module-aware, to its file
and lines, with the ``# dynalint:ignore=...`` comments that belong to it (see dynalint.suppress).
For plan input it is found from ``--source-dir`` (default: the plan file's
directory, then the current directory) and the plan's ``module_calls``; a plan with no
``.tf`` file there never imports the ``.tf`` reader.
"""

from __future__ import annotations

import os
from collections import abc
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from dynalint.load.decode import Places
from dynalint.load.hcl.paths import display_path, tf_files
from dynalint.model import Model, Source


class PlanLocations(abc.Mapping):
    """address -> its Source in the plan or state file, made when asked for (a report asks for few)."""

    def __init__(self, file: str, places: dict[str, tuple[int, int]]) -> None:
        self.file = file
        self._places = places  # address -> (line, column)
        self._made: dict[str, Source] = {}

    def __getitem__(self, address: str) -> Source:
        source = self._made.get(address)
        if source is None:
            line, column = self._places[address]
            source = self._made[address] = Source(file=self.file, start_line=line, start_column=column, kind="plan")
        return source

    def get(self, address: str, default: Any = None) -> Any:
        return self[address] if address in self._places else default

    def __contains__(self, address: object) -> bool:
        return address in self._places

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)

    def renamed(self, file: str) -> PlanLocations:
        """The same places in a file of another name (stdin named by --stdin-filename)."""
        return PlanLocations(file, self._places)


def plan_locations(places: Places | None, file: str) -> PlanLocations:
    """Each resource entry's address -> its line and column in the file (1-based), from where the parser
    found the entries (dynalint.load.decode.Places): the entry's ``"address"`` key. An address met twice
    (a deposed object beside the current one) is where it is first. None (a UTF-16 file, whose columns in
    bytes mean nothing to an editor) locates nothing."""
    found: dict[str, tuple[int, int]] = {}
    if places is None:
        return PlanLocations(file, found)
    text = places.text
    line, column, scanned = 1, 1, 0
    # In ASCII text a character is a byte: columns need no decoding (the usual case).
    characters = (lambda _text, begin, end: end - begin) if text.isascii() else _characters
    for pos, address in places.entries:  # in the order of the file
        if address in found:
            continue
        newlines = text.count(b"\n", scanned, pos) if text.find(b"\n", scanned, pos) >= 0 else 0  # find: memchr
        if newlines:
            line += newlines
            line_start = text.rfind(b"\n", scanned, pos) + 1
            column = 1 + characters(text, line_start, pos)
        else:
            # terraform writes the plan on one line: count only what lies since the last address,
            # or a plan of many resources takes quadratic time.
            column += characters(text, scanned, pos)
        scanned = pos
        found[address] = (line, column)
    return PlanLocations(file, found)


def _characters(text: bytes, start: int, end: int) -> int:
    """How many characters the UTF-8 bytes ``text[start:end]`` hold (both ends are ASCII boundaries)."""
    return len(text[start:end].decode("utf-8", "replace"))


# ---------------------------------------------------------------------- plans: their .tf sources
def attach_tf_sources(model: Model, doc: Any, source_dir: str | None = None) -> Model:
    """Point each resource of a plan at the .tf block that declares it, with its inline suppressions, and
    read there what the plan cannot say: the policies it knows only after apply, in part
    (``Resource.partial_json``), and what its dynamic blocks and for_each elements hold and refer to
    (see dynalint.load.hcl.loader.complete_plan_from_tf).

    Candidates: ``source_dir`` if given, else the plan file's directory, then
    the current directory; the one whose module tree declares most of the
    plan's resources is used (the first, on a tie). Where a resource's block is
    not found (a registry module, a stale tree), its location stays in the plan
    file.
    """
    if model.input_kind != "plan" or not model.resources:
        return model
    candidates = _candidates(model.input_file, source_dir)
    best, warnings = None, list(model.warnings)
    if candidates:
        # the .tf reader (module trees, lifecycle, the parser's helpers): only for a plan with .tf files beside it
        from dynalint.load import tf_sources

        best, warnings = tf_sources.best_tree(model, doc, candidates)
        if best is not None:
            return tf_sources.attach_tree(model, doc, best, warnings)
    if source_dir is not None:
        warnings.append(
            f"{source_dir}: no .tf file there declares a resource of {model.input_file}; "
            "locations stay in the plan file"
        )
    return replace(model, warnings=tuple(warnings))


def _candidates(input_file: str, source_dir: str | None) -> list[tuple[Path, str]]:
    if source_dir is not None:
        return [(Path(source_dir), display_path("", source_dir))]
    out = []
    if input_file != "-":
        parent = os.path.dirname(input_file)
        out.append((Path(parent or "."), display_path("", parent) if parent else ""))
    if not out or os.path.realpath(out[0][0]) != os.path.realpath("."):
        out.append((Path("."), ""))
    return [(d, s if s != "." else "") for d, s in out if tf_files(d)]

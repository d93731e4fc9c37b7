"""The Terraform roots that changed files belong to (``dynalint --roots FILE...``, the pre-commit hook).

A module is linted as part of the root that calls it: the root's provider
``default_tags``, the values it passes in and the resources beside it change
the findings. A root is a directory with ``.tf`` files that no other directory
under the search top (the current directory: pre-commit runs hooks at the top
of the repository) calls as a local module; a changed file maps to the roots
that contain its directory or call it, through any chain of local modules.

Only local module sources (``./``, ``../``) are followed, as when linting a
root: a registry or git source is not a directory of this repository. Hidden
directories (``.terraform``, ``.git``) are not searched and links are not
followed. Every ``.tf`` file that may call a module is parsed: a syntax error
anywhere under the top is an InputError (a file that cannot be read might be
the caller of the changed module). An ``override.tf`` that changes a call's
``source`` adds a caller; the original source is kept as one too, so that a
root is linted rather than missed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from dynalint.load.hcl.module_tree import LOCAL_SOURCE, call_source, parse_tf_file, read_tf_text
from dynalint.load.hcl.paths import display_path, tf_files


def roots_of(files: Sequence[str], top: str = ".") -> list[str]:
    """The roots that contain or call the directories of ``files``, as paths relative to ``top`` ("."
    for ``top`` itself), in name order. Callers are searched under ``top``. A file whose directory
    holds no ``.tf`` file belongs to no root; a directory that only a module cycle calls stands for
    itself (loading it then reports the cycle)."""
    top_path = Path(top)
    directories = _tf_directories(top_path)
    changed = []
    for file in files:
        directory = Path(file) if Path(file).is_dir() else Path(file).parent
        if tf_files(directory):
            changed.append(os.path.realpath(directory))
            directories.setdefault(changed[-1], directory)
    callers = _callers(directories)
    found = {root for real in changed for root in _roots_above(real, callers) or [real]}
    return sorted(_shown(directories[root], top_path) for root in found)


def _tf_directories(top: Path) -> dict[str, Path]:
    """Every directory under ``top`` (itself included) holding .tf files, by real path; hidden ones skipped."""
    out: dict[str, Path] = {}
    for directory, subdirectories, _files in os.walk(top, followlinks=False):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        if tf_files(Path(directory)):
            out.setdefault(os.path.realpath(directory), Path(directory))
    return out


def _callers(directories: dict[str, Path]) -> dict[str, set[str]]:
    """For each directory (by real path), the directories that call it as a local module. A called
    directory the search did not meet (a hidden one) joins ``directories``, and its calls are read too."""
    out: dict[str, set[str]] = {}
    pending = list(directories)
    while pending:
        real = pending.pop()
        for callee, path in _local_calls(directories[real]):
            if callee == real:
                continue
            if callee not in directories:
                if not tf_files(path):
                    continue
                directories[callee] = path
                pending.append(callee)
            out.setdefault(callee, set()).add(real)
    return out


def _local_calls(directory: Path) -> Iterator[tuple[str, Path]]:
    """The directories a module's ``module`` blocks name as local sources: (real path, path)."""
    for path in tf_files(directory):
        shown = display_path("", str(path))
        if "module" not in read_tf_text(path, shown):  # a module block cannot be written without its keyword
            continue
        for block in parse_tf_file(path, shown).blocks:
            source = call_source(block) if block.kind == "module" else None
            if source is not None and source.startswith(LOCAL_SOURCE):
                yield os.path.realpath(directory / source), directory / source


def _roots_above(start: str, callers: dict[str, set[str]]) -> list[str]:
    """The directories without callers reached from ``start`` by following callers (``start`` itself
    when nothing calls it; none when only a cycle does)."""
    seen, stack, roots = {start}, [start], []
    while stack:
        current = stack.pop()
        above = callers.get(current, set())
        if not above:
            roots.append(current)
        for caller in above - seen:
            seen.add(caller)
            stack.append(caller)
    return roots


def _shown(directory: Path, top: Path) -> str:
    try:
        return display_path("", os.path.relpath(directory, top))
    except ValueError:  # another drive (Windows)
        return str(directory)

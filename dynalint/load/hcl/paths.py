"""Where ``.tf`` files are: the ones Terraform reads in a directory, and paths as locations show them.

Apart from module_tree (the reader and the parser's helpers) so that a plan run can look for ``.tf`` files
beside the plan without importing them: a plan alone has none.
"""

from __future__ import annotations

import os
from pathlib import Path


def tf_files(directory: Path) -> list[Path]:
    """The ``*.tf`` files Terraform reads in a directory, in name order (dot-files excluded)."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return []
    return [Path(e.path) for e in entries if e.name.endswith(".tf") and not e.name.startswith(".") and _is_file(e)]


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:  # a symlink loop: not a file we can read
        return False


def display_path(base: str, name: str) -> str:
    """``base/name`` normalised (``a/./b/../c`` -> ``a/c``), as locations show it."""
    joined = os.path.normpath(os.path.join(base, name)) if base else os.path.normpath(name)
    return joined.replace(os.sep, "/")

"""The ``.tf`` files of a root module and of the local modules it calls, read and indexed.

Each file is read within bounds (size, UTF-8) and parsed (dynalint.load.hcl.syntax);
a module directory's blocks are indexed by what they declare (``ModuleDir``),
duplicate declarations refused as Terraform refuses them, and override files
(``override.tf``, ``*_override.tf``) merged into the blocks they override.
``module_tree`` follows local module calls (``./``, ``../``) from a root.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from dynalint import address as addr
from dynalint.errors import InputError, env_limit
from dynalint.load.hcl.ignore_comments import attach_ignores
from dynalint.load.hcl.paths import display_path, tf_files
from dynalint.load.hcl.syntax import (
    _attributes,
    _comments,
    attribute_parts,
    block_parts,
    body_items,
    label_text,
    literal_string,
    new_body,
    parse_tf,
)
from dynalint.model import Source


@dataclass(frozen=True)
class TfBlock:
    """A top-level block of a .tf file: ``resource "aws_t" "n" { ... }``, with its raw Lark body."""

    kind: str
    labels: tuple[str, ...]
    body: Any = field(repr=False)
    file: str
    start_line: int
    end_line: int

    @property
    def source(self) -> Source:
        return Source(file=self.file, start_line=self.start_line, end_line=self.end_line, kind="tf")


@dataclass(frozen=True)
class TfFile:
    """One parsed .tf file: its top-level blocks and its comments as (line, text) pairs."""

    path: str
    blocks: tuple[TfBlock, ...]
    comments: tuple[tuple[int, str], ...]


#: A .tf or .tfvars file above this size is refused: parsing takes about 100 MB of memory and
#: 10 seconds per megabyte of HCL, and hand-written files are far smaller.
MAX_TF_BYTES = env_limit("DYNALINT_MAX_TF_BYTES", 8 * 1024 * 1024)


#: While ``dynalint --fix`` works, the texts it has edited in memory (real path -> text): the loader reads them
#: instead of the files, which are written once the fixing is done (see dynalint.fix.workspace).
EDITED: contextvars.ContextVar[Mapping[str, str] | None] = contextvars.ContextVar("dynalint_edited", default=None)


def read_tf_text(path: Path, shown: str) -> str:
    edited = EDITED.get()
    if edited:
        text = edited.get(os.path.realpath(path))
        if text is not None:
            return text
    try:
        size = path.stat().st_size
        if size > MAX_TF_BYTES:
            raise InputError(
                f"{shown}: {size / 2**20:.1f} MB is larger than dynalint reads in a .tf file "
                f"({MAX_TF_BYTES / 2**20:.1f} MB; set DYNALINT_MAX_TF_BYTES to raise it)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{shown}: not UTF-8 text (byte {exc.start}); Terraform reads .tf files as UTF-8") from None


def parse_tf_file(path: Path, shown: str) -> TfFile:
    """Parse one .tf file into its top-level blocks (with lines) and its comments."""
    tree = parse_tf(read_tf_text(path, shown), shown)
    _refuse_redefined_attributes(tree, shown)
    body = tree.children[0]
    blocks = []
    for child in body.children:
        if getattr(child, "data", None) == "block":
            kind, labels, block_body = block_parts(child)
            blocks.append(TfBlock(kind, labels, block_body, shown, child.meta.line, child.meta.end_line))
    return TfFile(shown, tuple(blocks), tuple(_comments(tree)))


def _refuse_redefined_attributes(tree: Any, shown: str) -> None:
    """An attribute written twice in one body is an error in Terraform (python-hcl2 keeps the last)."""
    for body in tree.iter_subtrees():
        if body.data != "body":
            continue
        seen: dict[str, int] = {}
        for item in body.children:
            if getattr(item, "data", None) == "attribute":
                name = label_text(item.children[0])
                if name in seen:
                    raise InputError(
                        f'{shown}:{item.meta.line}: attribute "{name}" is defined twice in this '
                        f"block (first at line {seen[name]})"
                    )
                seen[name] = item.meta.line


# ---------------------------------------------------------------------- module directories
LOCAL_SOURCE = ("./", "../", ".\\", "..\\")
MAX_MODULE_DEPTH = 32


@dataclass
class ModuleDir:
    """The .tf files of one module directory, indexed by what they declare.

    ``resources`` holds managed resources as ``aws_t.n`` and data sources as
    ``data.aws_t.n``; ``ignores`` the inline suppressions of each resource,
    ``orphan_ignores`` those that sit on no resource; ``override_items`` the
    file of each attribute and block an override file merged into a block
    (by ``id`` of its tree: merged bodies mix the trees of two files).
    """

    directory: Path
    shown: str
    files: tuple[TfFile, ...] = ()
    resources: dict[str, TfBlock] = field(default_factory=dict)
    calls: dict[str, TfBlock] = field(default_factory=dict)
    variables: dict[str, TfBlock] = field(default_factory=dict)
    outputs: dict[str, TfBlock] = field(default_factory=dict)
    locals: list[TfBlock] = field(default_factory=list)
    providers: list[TfBlock] = field(default_factory=list)
    ignores: dict[str, tuple] = field(default_factory=dict)
    orphan_ignores: tuple = ()
    warnings: list[str] = field(default_factory=list)
    override_items: dict[int, str] = field(default_factory=dict)

    @cached_property
    def local_expressions(self) -> dict[str, Any]:
        """Each local value's expression, by name: made once the directory is read (``read_module_dir`` settles
        ``locals``), not at each reference (that cost the number of locals times the references to them)."""
        return {name: expr for block in self.locals for name, expr in _attributes(block.body)}


def read_module_dir(directory: Path, shown: str) -> ModuleDir:
    """Parse every .tf file of a directory; duplicate declarations are errors, as in Terraform."""
    module = ModuleDir(directory, shown)
    files = []
    paths = tf_files(directory)
    overridden: dict[tuple[str, int], str] = {}  # override blocks -> the resource they change
    for path in [p for p in paths if not _is_override(p.name)] + [p for p in paths if _is_override(p.name)]:
        parsed = parse_tf_file(path, display_path(shown, path.name))
        files.append(parsed)
        for block in parsed.blocks:
            if _is_override(path.name):
                _override_block(module, block, overridden)
            else:
                _index_block(module, block)
    module.files = tuple(files)
    _refuse_duplicate_locals(module)
    if any(e.endswith(".tf.json") for e in _names(directory)):
        module.warnings.append(f"{shown or '.'}: *.tf.json files are not read (only HCL syntax)")
    module.ignores, module.orphan_ignores = attach_ignores(files, module.resources, overridden)
    return module


def _is_override(name: str) -> bool:
    return name == "override.tf" or name.endswith("_override.tf")


def _override_block(module: ModuleDir, block: TfBlock, overridden: dict[tuple[str, int], str]) -> None:
    """Merge a block of an override file into the block it overrides, as Terraform does: its arguments
    replace the original's, its nested blocks replace all nested blocks of their type."""
    kind, labels = block.kind, block.labels
    index, key = None, None
    if kind == "resource" and len(labels) == 2:
        index, key = module.resources, f"{labels[0]}.{labels[1]}"
    elif kind == "data" and len(labels) == 2:
        index, key = module.resources, f"data.{labels[0]}.{labels[1]}"
    elif kind in ("module", "variable", "output") and len(labels) == 1:
        index, key = {"module": module.calls, "variable": module.variables, "output": module.outputs}[kind], labels[0]
    if kind == "locals":
        names = {label_text(i.children[0]) for i in body_items(block.body) if i.data == "attribute"}
        module.locals = [replace(b, body=_without(b.body, names, set())) for b in module.locals] + [block]
    elif index is not None and key in index:
        index[key] = replace(index[key], body=_merged_body(index[key].body, block.body))
        module.override_items.update((id(item), block.file) for item in body_items(block.body))
        if kind == "resource":
            overridden[(block.file, block.start_line)] = key
    elif index is not None or kind == "provider":
        _index_block(module, block)


def _merged_body(base: Any, override: Any) -> Any:
    attributes = {label_text(i.children[0]) for i in body_items(override) if i.data == "attribute"}
    blocks = {_nested_type(i) for i in body_items(override) if i.data == "block"}
    merged = _without(base, attributes, blocks)
    merged.children.extend(body_items(override))
    return merged


def _without(body: Any, attributes: set[str], blocks: set[str]) -> Any:
    kept = [
        i
        for i in body_items(body)
        if not (i.data == "attribute" and label_text(i.children[0]) in attributes)
        and not (i.data == "block" and _nested_type(i) in blocks)
    ]
    return new_body(kept, body)


def _nested_type(block: Any) -> str:
    """A nested block's type; a ``dynamic "replica"`` block is of type replica."""
    kind, labels, _ = block_parts(block)
    return labels[0] if kind == "dynamic" and labels else kind


def _refuse_duplicate_locals(module: ModuleDir) -> None:
    first: dict[str, str] = {}
    for block in module.locals:
        for item in body_items(block.body):
            if item.data == "attribute":
                name = label_text(item.children[0])
                where = f"{block.file}:{item.meta.line}"
                if name in first:
                    raise InputError(f'{where}: local value "{name}" is defined twice (first at {first[name]})')
                first[name] = where


def _names(directory: Path) -> list[str]:
    try:
        return os.listdir(directory)
    except OSError:
        return []


def _index_block(module: ModuleDir, block: TfBlock) -> None:
    kind, labels = block.kind, block.labels
    if kind in ("resource", "data") and len(labels) == 2:
        key = f"{labels[0]}.{labels[1]}" if kind == "resource" else f"data.{labels[0]}.{labels[1]}"
        _declare(module.resources, key, block, f'{kind} "{labels[0]}" "{labels[1]}"')
    elif kind == "module" and len(labels) == 1:
        _declare(module.calls, labels[0], block, f'module "{labels[0]}"')
    elif kind == "variable" and len(labels) == 1:
        _declare(module.variables, labels[0], block, f'variable "{labels[0]}"')
    elif kind == "output" and len(labels) == 1:
        _declare(module.outputs, labels[0], block, f'output "{labels[0]}"')
    elif kind == "locals":
        module.locals.append(block)
    elif kind == "provider" and labels:
        module.providers.append(block)


def _declare(index: dict[str, TfBlock], key: str, block: TfBlock, what: str) -> None:
    first = index.get(key)
    if first is not None:
        raise InputError(
            f"{block.file}:{block.start_line}: duplicate {what} (first declared at {first.file}:{first.start_line})"
        )
    index[key] = block


def module_tree(
    root: Path,
    shown: str,
    call_sources: Mapping[tuple[str, ...], str] | None = None,
    strict: bool = True,
    cache: dict[str, ModuleDir] | None = None,
) -> dict[tuple[str, ...], ModuleDir]:
    """The root module and every local child module it calls (recursively), by module path.

    A call's source comes from ``call_sources`` (a plan's ``module_calls``) where
    given, else from the ``module`` block. Only local sources (``./``, ``../``)
    are followed: registry and git modules are not in the repository. A module
    that calls a directory it is itself inside of is a cycle (an InputError, as
    Terraform would refuse it). ``strict`` makes a missing local module
    directory an error; else it is left out. ``cache`` (real path -> ModuleDir)
    lets several roots share the modules they call.
    """
    cache = {} if cache is None else cache
    tree: dict[tuple[str, ...], ModuleDir] = {}
    # (module path, its directory, the directory as shown, the real paths of it and the modules calling it)
    stack: list[tuple[tuple[str, ...], Path, str, tuple[str, ...]]] = [((), root, shown, (_real(root),))]
    while stack:
        path, directory, where, ancestors = stack.pop()
        real = _real(directory)
        if real not in cache:
            cache[real] = read_module_dir(directory, where)
        module = tree[path] = cache[real]
        for name, call in sorted(module.calls.items(), reverse=True):
            source = (call_sources or {}).get(path + (name,)) or call_source(call)
            if not source or not source.startswith(LOCAL_SOURCE):
                continue
            child = directory / source
            child_real = _real(child)
            if child_real in ancestors or len(ancestors) >= MAX_MODULE_DEPTH:
                raise InputError(
                    f'{call.file}:{call.start_line}: module "{name}" (source {source!r}) calls a '
                    "module that calls it back: a module cycle"
                )
            if not child.is_dir() or not tf_files(child):
                if strict:
                    raise InputError(f'{call.file}:{call.start_line}: module "{name}": no .tf files in {source!r}')
                continue
            stack.append((path + (name,), child, display_path(where, source), ancestors + (child_real,)))
    return tree


def call_source(call: TfBlock) -> str | None:
    """A module block's ``source``, when it is a plain string (Terraform allows no other)."""
    for item in body_items(call.body):
        if item.data == "attribute":
            name, expr = attribute_parts(item)
            if name == "source":
                return literal_string(expr)
    return None


def _real(path: Path) -> str:
    return os.path.realpath(path)


def split_address(address: str) -> tuple[str, str]:
    """``module.a["x"].aws_t.n[0]`` -> ('module.a["x"]', "aws_t.n"): module instance and block address."""
    parts = addr.steps(address)
    cut = 0
    while cut + 1 < len(parts) and parts[cut][0] == "module":
        cut += 2
    module_address = ".".join(f"{n}{i}" for n, i in parts[:cut])
    local = ".".join(n for n, _ in parts[cut:])
    return module_address, local


def _locals(module: ModuleDir) -> dict[str, Any]:
    return module.local_expressions

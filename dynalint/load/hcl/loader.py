"""``.tf`` input to Models (``load_tf_inputs``), and what a plan read beside its tree takes from the source
(``complete_plan_from_tf``). What .tf input gives is described in the package's docstring."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from dynalint import address as addr
from dynalint.errors import InputError
from dynalint.load.configuration import Configuration, References
from dynalint.load.hcl.documents import PARTIAL_DOCUMENTS
from dynalint.load.hcl.evaluator import Evaluator
from dynalint.load.hcl.lifecycle import lifecycle_of
from dynalint.load.hcl.locate import PathLocator
from dynalint.load.hcl.module_tree import ModuleDir, module_tree, split_address
from dynalint.load.hcl.paths import display_path, tf_files
from dynalint.load.hcl.syntax import _attributes, _blocks, block_parts, literal_string
from dynalint.load.hcl.tfvars import root_inputs

# the plan loader's own steps, shared on purpose
from dynalint.load.plan import build_resources, reference_resolver, resolve_scoped, settle_unknown_from_source
from dynalint.model import UNKNOWN, Model, Resource


def load_tf_inputs(paths: Sequence[str], var_files: Iterable[str] = ()) -> list[Model]:
    """One Model per Terraform root module named by ``paths`` (directories and .tf files).

    ``.tf`` files stand for their directory (pre-commit passes the changed
    files); a directory without .tf files is searched for root modules below
    it. A directory that another named root calls as a local module is linted
    as part of that root, not again on its own.
    """
    roots = _root_dirs(paths)
    cache: dict[str, ModuleDir] = {}
    trees = [(root, shown, module_tree(root, shown, cache=cache)) for root, shown in roots]
    called = {os.path.realpath(m.directory) for _, _, tree in trees for path, m in tree.items() if path}
    return [
        load_hcl(root, shown, var_files, tree) for root, shown, tree in trees if os.path.realpath(root) not in called
    ]


def _root_dirs(paths: Sequence[str]) -> list[tuple[Path, str]]:
    out: dict[str, tuple[Path, str]] = {}
    for path in paths:
        given = Path(path)
        if not given.exists():
            what = "a symbolic link to nothing, or a link loop" if given.is_symlink() else "no such file or directory"
            raise InputError(f"{path}: {what}")
        directory = given if given.is_dir() else given.parent
        shown = display_path("", str(directory)) if str(directory) not in ("", ".") else ""
        found = [(directory, shown)] if tf_files(directory) else _roots_below(directory, shown)
        if not found:
            raise InputError(f"{path}: no .tf files in this directory or below it")
        for root, where in found:
            out.setdefault(os.path.realpath(root), (root, where))
    return list(out.values())


def _roots_below(top: Path, shown: str) -> list[tuple[Path, str]]:
    """Directories under ``top`` holding .tf files (hidden ones such as .terraform skipped; links not followed)."""
    found = []
    for directory, subdirectories, _files in os.walk(top, followlinks=False):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        if directory != str(top) and tf_files(Path(directory)):
            relative = os.path.relpath(directory, top)
            found.append((Path(directory), display_path(shown, relative)))
    return found


def load_hcl(
    root: Path, shown: str, var_files: Iterable[str] = (), tree: dict[tuple[str, ...], ModuleDir] | None = None
) -> Model:
    """Read the module tree under ``root`` and build its Model (an InputError on a syntax error)."""
    tree = tree if tree is not None else module_tree(root, shown)
    inputs, warnings = root_inputs(root, shown, tree[()], var_files)
    evaluator = Evaluator(tree, inputs)
    raw, expressions = evaluator.build()
    config = Configuration(expressions, {k: {"value": v} for k, v in evaluator.root_values().items()})
    raw = [entry._replace(configured=config.configured(entry.module_path, entry.local)) for entry in raw]
    resources, data = build_resources(raw, config, evaluator.iterator_facts)
    resources = [_from_tf(r, evaluator) for r in resources]
    modules = _unique(tree.values())
    warnings += [w for m in modules for w in m.warnings] + _remote_modules(tree) + evaluator.trace_warnings()
    return Model(
        resources=tuple(resources),
        data_sources=tuple(_from_tf(r, evaluator) for r in data),
        input_file=shown or ".",
        input_kind="hcl",
        warnings=tuple(warnings),
        secrets=frozenset(evaluator.secrets),
        orphan_ignores=tuple(i for m in modules for i in m.orphan_ignores),
        path_locator=PathLocator(tree, lambda: evaluator),
    )


def complete_plan_from_tf(
    resources: tuple[Resource, ...], tree: dict[tuple[str, ...], ModuleDir], doc: Any
) -> tuple[tuple[Resource, ...], frozenset[str], list[str]]:
    """What a plan cannot say about its resources, read from the .tf tree the plan was made of.

    - policies known only after apply, decoded in part (``partial_json``);
    - blocks written by ``dynamic`` blocks, which the plan's configuration
      leaves out: a value the plan shows unknown there that the source leaves
      unset is absent (see plan.settle_unknown_from_source), and so are
      the ``try(each.value.x, null)`` of a resource made with ``for_each``;
    - what iterators' elements refer to (``each.value.x`` of a resource made
      with ``for_each``, a dynamic block's iterator), as references (see
      ReferenceTracer).

    Only the blocks of those resources (and what they refer to) are evaluated,
    with the plan's own variable values. Returns the resources, the secrets met
    on the way (values of variables declared sensitive), for scrubbing, and warnings.
    """
    partial = {r.address for r in resources if any(r.values.get(name) is UNKNOWN for name in PARTIAL_DOCUMENTS)}
    iterated = {r.address for r in resources if _uses_iterators(tree, r.address)}
    if not (partial or iterated) or () not in tree:
        return resources, frozenset(), []
    given = doc.get("variables") if isinstance(doc, dict) else None
    given = given if isinstance(given, dict) else {}
    evaluator = plan_evaluator(tree, given)
    found = evaluator.instances_of(partial | iterated)
    refs = (
        reference_resolver(
            Configuration(_mapping(doc.get("configuration")), given), [(r.address, r.module) for r in resources]
        )
        if iterated
        else None
    )
    out = []
    for resource in resources:
        instance = found.get(resource.address)
        if instance is not None and resource.address in partial and instance.partial_json:
            resource = replace(resource, partial_json=instance.partial_json)
        if instance is not None and resource.address in iterated:
            resource = settle_unknown_from_source(resource, instance.values)
            resource = replace(resource, module_settings=resource.module_settings + tuple(instance.module_settings))
            if instance.iterator_references:
                resource = replace(
                    resource,
                    references=tuple(
                        # refs is made when iterated holds an address, as it does here
                        resolve_scoped(
                            cast(References, refs), instance.iterator_references, resource.address, resource.references
                        )
                    ),
                )
        out.append(resource)
    return tuple(out), frozenset(evaluator.secrets), evaluator.trace_warnings()


def _uses_iterators(tree: dict[tuple[str, ...], ModuleDir], address: str) -> bool:
    """Whether the .tf block of a resource has ``for_each`` or a ``dynamic`` block (what a plan's
    configuration cannot follow)."""
    try:
        module_address, local = split_address(address)
    except ValueError:
        return False
    module = tree.get(addr.module_path(module_address))
    block = module.resources.get(local) if module else None
    if block is None:
        return False
    if any(name == "for_each" for name, _ in _attributes(block.body)):
        return True
    stack = [block.body]
    while stack:
        for item in _blocks(stack.pop()):
            kind, _labels, body = block_parts(item)
            if kind == "dynamic":
                return True
            stack.append(body)
    return False


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def plan_evaluator(tree: dict[tuple[str, ...], ModuleDir], variables: Any) -> Evaluator:
    """An Evaluator of the .tf tree a plan was made of, fed with the plan's own ``variables`` values."""
    given = variables if isinstance(variables, dict) else {}
    return Evaluator(tree, {name: v["value"] for name, v in given.items() if isinstance(v, dict) and "value" in v})


def _remote_modules(tree: dict[tuple[str, ...], ModuleDir]) -> list[str]:
    """A note for each module call whose source is not a local directory: its resources are not linted."""
    out = []
    for path, module in sorted(tree.items()):
        for name, call in sorted(module.calls.items()):
            if path + (name,) not in tree:
                source = literal_string(dict(_attributes(call.body)).get("source")) or "(not a literal)"
                out.append(
                    f'{call.file}:{call.start_line}: module "{name}" comes from {source}, which is not in '
                    "this tree: its resources are not linted (lint a plan to check them)"
                )
    return out


def _from_tf(resource: Any, evaluator: Evaluator) -> Any:
    """What only the .tf source gives a resource: its block's lines, ignore comments, documents known in part,
    its lifecycle."""
    module, local = evaluator.block_of[resource.address]
    block = module.resources[local]
    return replace(
        resource,
        source=block.source,
        ignores=module.ignores.get(local, ()),
        partial_json=evaluator.partial.get(resource.address, {}),
        lifecycle=lifecycle_of(block),
    )


def _unique(modules: Iterable[ModuleDir]) -> list[ModuleDir]:
    seen: dict[int, ModuleDir] = {}
    for m in modules:
        seen.setdefault(id(m), m)
    return list(seen.values())

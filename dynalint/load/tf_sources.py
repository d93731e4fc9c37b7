"""A plan's ``.tf`` sources: the module tree beside the plan that declares its resources, and each resource
pointed at its block there (dynalint.load.sources finds the candidates and comes here only where one holds
``.tf`` files: a plan alone never imports the ``.tf`` reader).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from dynalint import address as addr
from dynalint.errors import InputError
from dynalint.load.hcl.lifecycle import lifecycle_of  # the plan's configuration does not carry lifecycle
from dynalint.load.hcl.module_tree import ModuleDir, module_tree, split_address
from dynalint.model import Model

Tree = dict[tuple[str, ...], ModuleDir]


def best_tree(model: Model, doc: Any, candidates: list[tuple[Path, str]]) -> tuple[Tree | None, list[str]]:
    """The module tree of the candidate directory that declares most of the plan's resources (the first, on
    a tie), or None; the model's warnings, with why a candidate could not be read."""
    calls = plan_call_sources(doc)
    warnings = list(model.warnings)
    best, best_count = None, 0
    for directory, shown in candidates:
        try:
            tree = module_tree(directory, shown, calls, strict=False)
        except InputError as exc:
            warnings.append(f"{exc} (the plan's findings stay located in the plan file)")
            continue
        count = sum(1 for r in model.resources if _block_of(tree, r.address))
        if count > best_count:
            best, best_count = tree, count
        if count == len(model.resources):
            break  # every resource found: no need to read the next candidate
    return best, warnings


def attach_tree(model: Model, doc: Any, best: Tree, warnings: list[str]) -> Model:
    """The plan's model with its resources pointed at their blocks in ``best``, and what the plan cannot say
    read from the source."""
    # the .tf evaluator: only once a tree declares some of the plan's resources
    from dynalint.load.hcl.loader import complete_plan_from_tf, plan_evaluator
    from dynalint.load.hcl.locate import PathLocator

    variables = doc.get("variables") if isinstance(doc, dict) else None
    resources, secrets, more = complete_plan_from_tf(tuple(_located(best, r) for r in model.resources), best, doc)
    modules = _unique_modules(best)
    warnings += [w for m in modules for w in m.warnings] + more
    return replace(
        model,
        resources=resources,
        orphan_ignores=tuple(i for m in modules for i in m.orphan_ignores),
        warnings=tuple(warnings),
        secrets=model.secrets | secrets,
        path_locator=PathLocator(best, lambda: plan_evaluator(best, variables)),
    )


def plan_call_sources(doc: Any) -> dict[tuple[str, ...], str]:
    """Module path -> the ``source`` of its call, from a plan's ``configuration.module_calls``."""
    out: dict[tuple[str, ...], str] = {}
    config = doc.get("configuration") if isinstance(doc, dict) else None
    stack: list[tuple[tuple[str, ...], Any]] = [((), config.get("root_module") if isinstance(config, dict) else None)]
    while stack:
        path, module = stack.pop()
        calls = module.get("module_calls") if isinstance(module, dict) else None
        for name, call in (calls or {}).items() if isinstance(calls, dict) else ():
            if isinstance(call, dict):
                if isinstance(call.get("source"), str):
                    out[path + (name,)] = call["source"]
                stack.append((path + (name,), call.get("module")))
    return out


def _block_of(tree: Tree, address: str) -> tuple[ModuleDir, str] | None:
    try:
        module_address, local = split_address(address)
    except ValueError:
        return None
    module = tree.get(addr.module_path(module_address))
    if module is None or local not in module.resources:
        return None
    return module, local


def _located(tree: Tree, resource: Any) -> Any:
    found = _block_of(tree, resource.address)
    if found is None:
        return resource
    module, local = found
    block = module.resources[local]
    return replace(resource, source=block.source, ignores=module.ignores.get(local, ()), lifecycle=lifecycle_of(block))


def _unique_modules(tree: Tree) -> list[ModuleDir]:
    seen: dict[int, ModuleDir] = {}
    for module in tree.values():
        seen.setdefault(id(module), module)
    return list(seen.values())

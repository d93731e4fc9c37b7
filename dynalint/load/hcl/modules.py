"""What the names of a module instance stand for (ModuleNames, part of the Evaluator): the instances of
module calls and of resource blocks (``count``, ``for_each``), variables, locals, module outputs, resources'
attributes, ``path`` and ``terraform``."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from dynalint import address as addr
from dynalint.load.hcl.budget import ITERATION_CELLS
from dynalint.load.hcl.conversions import Outputs, Partial, _convert, _count_number, _for_each_pairs, _is_false
from dynalint.load.hcl.documents import COMPUTED_DATA, _computed
from dynalint.load.hcl.module_tree import ModuleDir, TfBlock, _locals
from dynalint.load.hcl.scopes import Instance, ModuleInstance, Origin, Scope, _index_text, call_scope
from dynalint.load.hcl.syntax import _attributes, _has_meta, _is_count
from dynalint.load.hcl.tracer import ReferenceTracer
from dynalint.load.plan import collect_secrets
from dynalint.model import SENSITIVE, UNKNOWN

if TYPE_CHECKING:
    from dynalint.load.hcl.budget import Budget
    from dynalint.load.hcl.evaluator import Evaluator

_MISSING = object()


class ModuleNames:
    """Part of the Evaluator (dynalint.load.hcl.evaluator): the instances of a module's calls and
    resource blocks, and what ``var.``, ``local.``, ``module.``, resource and ``data.`` references stand for
    in a module instance."""

    if TYPE_CHECKING:  # what this part uses of the Evaluator's others (the Evaluator sets or defines them)
        tree: dict[tuple[str, ...], ModuleDir]
        inputs: dict[str, Any]
        secrets: set[str]
        budget: Budget
        _busy: set[tuple[int, str]]

        def ev(self, node: Any, scope: Scope) -> Any: ...
        def body_values(self, body: Any, scope: Scope, top: bool = False, leaf: Callable | None = None) -> dict: ...
        def partial_json(self, block: TfBlock, values: dict, scope: Scope) -> dict: ...

    # ------------------------------------------------------------ instances
    def instances(self, module: ModuleInstance, local: str) -> list[Instance]:
        key = ("resource", local)
        if key in module.cache:
            return module.cache[key]
        busy = (id(module), local)
        if busy in self._busy:
            return []  # a resource that reaches itself: Terraform refuses the cycle
        self._busy.add(busy)
        try:
            block = module.module.resources[local]
            scope = Scope(module, {})
            found = []
            tracer = ReferenceTracer(cast("Evaluator", self))  # one per block: its instances share what it read
            for index, names, origins in self._expand(block.body, scope):
                address = addr.join(module.address, local + _index_text(index))
                bound = Scope(module, names, origins)
                values = self.body_values(block.body, bound, top=True)
                if block.kind == "data" and block.labels[0] in COMPUTED_DATA:
                    values.update(_computed(block.labels[0], values))
                references, settings = tracer.iterator_facts(block.body, bound)
                found.append(
                    Instance(address, index, values, self.partial_json(block, values, bound), references, settings)
                )
            module.cache[key] = found
            return found
        finally:
            self._busy.discard(busy)

    def _expand(self, body: Any, scope: Scope) -> list[tuple[Any, dict, dict]]:
        """(index, names, origins) for each instance of a block with ``count`` / ``for_each``, or [(None, {}, {})].

        ``origins`` locates ``each.value`` in the ``for_each`` expression (see Origin).
        """
        meta = {name: expr for name, expr in _attributes(body) if name in ("count", "for_each")}
        if "count" in meta:
            count = self.ev(meta["count"], scope)
            number = _count_number(count)
            if number is None:
                return [(None, {"count": {"index": UNKNOWN}}, {})]
            self.budget.spend(meta["count"], ITERATION_CELLS * number, "makes instances")  # before they are made
            return [(i, {"count": {"index": i}}, {}) for i in range(number)]
        if "for_each" in meta:
            pairs = _for_each_pairs(self.ev(meta["for_each"], scope))
            if pairs is None:
                return [(None, {"each": {"key": UNKNOWN, "value": UNKNOWN}}, {})]
            self.budget.spend(meta["for_each"], ITERATION_CELLS * len(pairs), "makes instances")
            return [
                (k, {"each": {"key": k, "value": v}}, {"each": Origin(meta["for_each"], scope, k)}) for k, v in pairs
            ]
        return [(None, {}, {})]

    def children(self, module: ModuleInstance, name: str) -> list[ModuleInstance]:
        """The instances of a module call whose source is a local directory in the tree."""
        key = ("module", name)
        if key in module.cache:
            return module.cache[key]
        module.cache[key] = []  # a call that reaches itself through its own arguments sees no instances
        path = module.path + (name,)
        child_module = self.tree.get(path)
        if child_module is None:
            return []
        call = module.module.calls[name]
        found = []
        for index, names, origins in self._expand(call.body, Scope(module, {})):
            address = addr.join(module.address, f"module.{name}{_index_text(index)}")
            found.append(ModuleInstance(address, path, child_module, module, call, index, names, origins))
        module.cache[key] = found
        return found

    # ------------------------------------------------------------ names
    def variable(self, module: ModuleInstance, name: str) -> Any:
        key = ("var", name)
        if key not in module.cache:
            module.cache[key] = UNKNOWN
            module.cache[key] = self._variable(module, name)
        return module.cache[key]

    def _variable(self, module: ModuleInstance, name: str) -> Any:
        decl = module.module.variables.get(name)
        if decl is None:
            return UNKNOWN
        settings = dict(_attributes(decl.body))
        value = _MISSING
        if module.parent is None:
            value = self.inputs.get(name, _MISSING)
        elif module.call is not None:
            given = dict(_attributes(module.call.body)).get(name)
            if given is not None:
                value = self.ev(given, call_scope(module))
        if (value is _MISSING or (value is None and _is_false(settings.get("nullable")))) and "default" in settings:
            value = self.ev(settings["default"], Scope(None, {}))
        if value is _MISSING:
            return UNKNOWN
        value = _convert(value, settings.get("type"), lambda expr: self.ev(expr, Scope(None, {})))
        if "sensitive" in settings and self.ev(settings["sensitive"], Scope(None, {})) is True:
            self._remember_secret(value)
            return UNKNOWN if value is UNKNOWN else SENSITIVE
        return value

    def _remember_secret(self, value: Any) -> None:
        collect_secrets(value, self.secrets)

    def local(self, module: ModuleInstance, name: str) -> Any:
        key = ("local", name)
        if key not in module.cache:
            expr = _locals(module.module).get(name)
            module.cache[key] = UNKNOWN  # a local that refers to itself is unknown
            module.cache[key] = UNKNOWN if expr is None else self.ev(expr, Scope(module, {}))
        return module.cache[key]

    def output(self, module: ModuleInstance, name: str) -> Any:
        key = ("output", name)
        if key not in module.cache:
            block = module.module.outputs.get(name)
            expr = dict(_attributes(block.body)).get("value") if block else None
            module.cache[key] = UNKNOWN
            module.cache[key] = UNKNOWN if expr is None else self.ev(expr, Scope(module, {}))
        return module.cache[key]

    def _lookup(self, name: str, steps: list, scope: Scope) -> tuple[Any, list]:
        """The value a traversal's first name (and the steps it needs) stands for, and the steps left."""
        if name in scope.names:
            return scope.names[name], steps
        module = scope.module
        if name in ("count", "each", "self") or module is None:
            return UNKNOWN, []
        if name == "path":
            return {"module": self._path_module(module), "root": ".", "cwd": os.getcwd()}, steps
        if name == "terraform":
            return {"workspace": "default"}, steps
        if not steps or steps[0][0] != "attr":
            return UNKNOWN, []
        first, rest = steps[0][1], steps[1:]
        if name == "var":
            return self.variable(module, first), rest
        if name == "local":
            return self.local(module, first), rest
        if name == "module":
            return self._module_value(module, first, rest, scope)
        if name == "data":
            if not rest or rest[0][0] != "attr":
                return UNKNOWN, []
            return self._resource_value(module, f"data.{first}.{rest[0][1]}"), rest[1:]
        return self._resource_value(module, f"{name}.{first}"), rest

    def _path_module(self, module: ModuleInstance) -> str:
        """``path.module`` as Terraform gives it when run in the root module: "." or "modules/x"."""
        relative = os.path.relpath(module.module.directory, self.tree[()].directory)
        return relative.replace(os.sep, "/")

    def _module_value(self, module: ModuleInstance, name: str, rest: list, scope: Scope) -> tuple[Any, list]:
        if name not in module.module.calls or module.path + (name,) not in self.tree:
            return UNKNOWN, []
        instances = self.children(module, name)
        evaluator = cast("Evaluator", self)  # ModuleNames is a part of the Evaluator only
        body = module.module.calls[name].body
        if not _has_meta(body):
            return (Outputs(evaluator, instances[0]), rest) if instances else (UNKNOWN, [])
        if len(instances) == 1 and instances[0].index is None:
            return UNKNOWN, []  # count/for_each not known
        if _is_count(body):
            return [Outputs(evaluator, i) for i in instances], rest
        return {i.index: Outputs(evaluator, i) for i in instances}, rest

    def _resource_value(self, module: ModuleInstance, local: str) -> Any:
        """A resource block as an expression sees it: its instance, or its instances by index. Made once the
        block's instances are known (each of a thousand targets naming ``aws_dynamodb_table.t[each.key]`` made
        the thousand instances again); a block that reads itself while it is expanded sees none."""
        key = ("resource value", local)
        if key in module.cache:
            return module.cache[key]
        block = module.module.resources.get(local)
        if block is None:
            return UNKNOWN
        found = self.instances(module, local)
        value: Any
        if not _has_meta(block.body):
            value = Partial(found[0].values, found[0].partial_json) if found else UNKNOWN
        elif len(found) == 1 and found[0].index is None:
            value = UNKNOWN  # count/for_each not known
        elif _is_count(block.body):
            value = [Partial(i.values, i.partial_json) for i in found]
        else:
            value = {i.index: Partial(i.values, i.partial_json) for i in found}
        if ("resource", local) in module.cache:  # the instances are complete
            module.cache[key] = value
        return value

"""The plan's ``configuration`` section: what each resource block sets, and what it refers to.

Terraform writes the configuration once per module *call* (not per instance),
with each attribute as an expression: ``{"constant_value": ...}`` or
``{"references": [...]}``, and nested blocks as lists of such mappings. From it
we derive, per resource block:

- the *configured tree*: which attributes and blocks the configuration sets.
  An attribute set to a constant null, or to a variable that resolves to null,
  counts as not set (the provider then applies the AWS default).
- the references, each with the attribute path that holds it, resolved to full
  resource addresses (module instance prefixes included) by ``References``.

Dynamic blocks do not appear in the configuration JSON; a block the plan shows
with known content is taken as set whatever the configuration says.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from dynalint import address as addr
from dynalint.configured import SET, Constant
from dynalint.load.decode import decoded
from dynalint.model import UNKNOWN, ModuleSetting

_MISSING = object()
# Reference prefixes that never name a resource.
_NON_RESOURCE = ("local", "each", "count", "path", "terraform", "self")


@dataclass
class ModuleConfig:
    """One module (root or called), keyed by its call path: () for root, ("svc",) for module.svc."""

    path: tuple[str, ...]
    resources: dict[str, dict] = field(default_factory=dict)  # "aws_t.n" / "data.aws_t.n" -> block
    calls: dict[str, dict] = field(default_factory=dict)  # call name -> module_call mapping
    variables: dict[str, dict] = field(default_factory=dict)
    outputs: dict[str, dict] = field(default_factory=dict)


class Configuration:
    """The ``configuration`` section read once: module configs by path, provider regions, root variable values."""

    def __init__(self, doc: dict, variables: dict | None) -> None:
        self.modules: dict[tuple[str, ...], ModuleConfig] = {}
        self.root_values = {k: v.get("value", _MISSING) for k, v in _mapping(variables).items() if isinstance(v, dict)}
        self.providers = _mapping(doc.get("provider_config"))
        root = doc.get("root_module")
        if isinstance(root, dict):
            self._index(root, ())
        self._trees: dict[tuple, dict | None] = {}
        self._constants: dict[tuple[type, Any], Constant] = {}
        self._refs: dict[tuple, list] = {}
        self._settings: dict[tuple, tuple] = {}

    def _index(self, module: dict, path: tuple[str, ...]) -> None:
        mc = ModuleConfig(path)
        resources = module.get("resources")
        for res in resources if isinstance(resources, list) else ():
            if isinstance(res, dict) and isinstance(res.get("address"), str):
                mc.resources[res["address"]] = res
        for name, call in _mapping(module.get("module_calls")).items():
            if isinstance(call, dict):
                mc.calls[name] = call
                child = call.get("module")
                if isinstance(child, dict):
                    self._index(child, path + (name,))
        mc.variables = _mapping(module.get("variables"))
        mc.outputs = _mapping(module.get("outputs"))
        self.modules[path] = mc

    def resource(self, module_path: tuple[str, ...], local_address: str) -> dict | None:
        mc = self.modules.get(module_path)
        return mc.resources.get(local_address) if mc else None

    # ------------------------------------------------------------ configured tree
    def configured(self, module_path: tuple[str, ...], local_address: str) -> dict | None:
        key = (module_path, local_address)
        if key not in self._trees:
            self._derive(key)
        return self._trees[key]

    def _derive(self, key: tuple[tuple[str, ...], str]) -> None:
        """What a resource block's expressions say, derived at once: its configured tree, references and
        module settings. A plan's expressions come ``Encoded`` (dynalint.load.decode): each block's are
        decoded here, once, and let go."""
        module_path, local_address = key
        block = self.resource(module_path, local_address)
        exprs = decoded(block.get("expressions")) if block else None
        if not isinstance(exprs, dict):
            self._trees[key], self._refs[key], self._settings[key] = None, [], ()
            return
        self._trees[key] = self._tree(exprs, module_path)
        self._refs[key] = _walk_refs(exprs, "")
        self._settings[key] = self._settings_of(exprs, module_path) if module_path else ()

    def _tree(self, exprs: dict, module_path: tuple[str, ...]) -> dict:
        out: dict[str, Any] = {}
        for key, expr in exprs.items():
            if isinstance(expr, list):
                out[key] = [self._tree(b, module_path) for b in expr if isinstance(b, dict)]
            elif isinstance(expr, dict):
                if "constant_value" in expr:
                    if expr["constant_value"] is not None:
                        out[key] = self._constant(expr["constant_value"])
                elif "references" in expr:
                    if self._null_reference(expr, module_path) is not True:
                        out[key] = SET
                elif expr and all(isinstance(v, (dict, list)) for v in expr.values()):
                    out[key] = self._tree(expr, module_path)  # a single nested block
                else:
                    out[key] = SET  # an expression without references, e.g. a function call
        return out

    def _constant(self, value: Any) -> Constant:
        """One Constant for each scalar value (a plan writes the same few thousands of times over)."""
        if not isinstance(value, (str, int, float)):  # bool is an int
            return Constant(value)
        key = (type(value), value)  # True and 1 are equal, and not the same constant
        found = self._constants.get(key)
        if found is None:
            found = self._constants[key] = Constant(value)
        return found

    def _null_reference(self, expr: dict, module_path: tuple[str, ...]) -> bool | None:
        """True when ``expr`` is exactly one variable that resolves to null; None when unknown."""
        name = _one_variable(expr)
        if name is None:
            return None
        value = self.variable_value(module_path, name)
        return None if value is _MISSING else value is None

    def variable_value(self, module_path: tuple[str, ...], name: str, depth: int = 0) -> Any:
        """The constant value of ``var.name`` in a module, or _MISSING when it is not a constant."""
        if depth > 50:
            return _MISSING
        if not module_path:
            return self.root_values.get(name, _MISSING)
        parent = self.modules.get(module_path[:-1])
        call = parent.calls.get(module_path[-1]) if parent else None
        if call is None:
            return _MISSING
        expr = (call.get("expressions") or {}).get(name)
        if expr is None:
            mc = self.modules.get(module_path)
            var = (mc.variables.get(name) if mc else None) or {}
            return var.get("default", _MISSING) if isinstance(var, dict) else _MISSING
        if not isinstance(expr, dict):
            return _MISSING
        if "constant_value" in expr:
            return expr["constant_value"]
        outer = _one_variable(expr)
        return _MISSING if outer is None else self.variable_value(module_path[:-1], outer, depth + 1)

    # ------------------------------------------------------------ module inputs
    def module_settings(self, module_path: tuple[str, ...], local: str) -> tuple[ModuleSetting, ...]:
        """How a resource block inside a module sets each attribute it writes: from which inputs of the module
        call written in the root module, or by itself (see ModuleSetting). Empty in the root module."""
        key = (module_path, local)
        if key not in self._settings:
            self._derive(key)
        return self._settings[key]

    def _settings_of(self, exprs: dict, module_path: tuple[str, ...]) -> tuple[ModuleSetting, ...]:
        out = []
        for path, expr in _walk_leaves(exprs, ""):
            inputs, fixed = self._inputs_of(expr, module_path, 0)
            if inputs or fixed:
                out.append(ModuleSetting(path, tuple(sorted(inputs)), fixed and not inputs))
        return tuple(out)

    def _inputs_of(self, expr: dict, module_path: tuple[str, ...], depth: int) -> tuple[set[str], bool]:
        """(inputs of the module call written in the root module, whether a constant sets it) for one
        expression; an inner module's variable is followed into the outer module's call."""
        if "constant_value" in expr:
            return set(), True
        refs = expr.get("references")
        if not isinstance(refs, list) or not refs:
            return set(), False  # neither a constant nor references (.tf: one that reads an iterator): no answer
        names = {r[4:].split(".")[0].split("[")[0] for r in refs if isinstance(r, str) and r.startswith("var.")}
        if not names or len(module_path) == 1 or depth > 50:
            return names, False
        parent = self.modules.get(module_path[:-1])
        call = parent.calls.get(module_path[-1]) if parent else None
        inputs: set[str] = set()
        fixed = False
        for name in names:
            given = ((call or {}).get("expressions") or {}).get(name)
            if not isinstance(given, dict):
                fixed = True  # the inner module's default: the outer module does not pass it
                continue
            more, constant = self._inputs_of(given, module_path[:-1], depth + 1)
            inputs |= more
            fixed = fixed or constant
        return inputs, fixed

    # ------------------------------------------------------------ provider settings
    def _provider_expressions(self, module_path: tuple[str, ...], local_address: str) -> dict:
        block = self.resource(module_path, local_address) or {}
        key = block.get("provider_config_key")
        key = key if isinstance(key, str) and key else "aws"
        provider = self.providers.get(key)
        if provider is None and ":" in key:  # older plans write "module.x:aws"
            provider = self.providers.get(key.rsplit(":", 1)[1])
        expressions = provider.get("expressions") if isinstance(provider, dict) else None
        return expressions if isinstance(expressions, dict) else {}

    def default_tags(self, module_path: tuple[str, ...], local_address: str) -> Any:
        """The provider's ``default_tags { tags = {...} }``: a dict, None when there are none, or
        UNKNOWN when the configuration writes them with an expression that is not a constant."""
        blocks = self._provider_expressions(module_path, local_address).get("default_tags")
        if not isinstance(blocks, list) or not blocks or not isinstance(blocks[0], dict):
            return None
        tags = blocks[0].get("tags")
        if not isinstance(tags, dict):
            return None
        # Only a constant counts: `merge(var.tags, {...})` and `var.tags` look alike in the plan JSON.
        value = tags.get("constant_value", _MISSING)
        if value is None:
            return None
        return value if isinstance(value, dict) else UNKNOWN

    def region(self, module_path: tuple[str, ...], local_address: str) -> str | None:
        expr = self._provider_expressions(module_path, local_address).get("region")
        if not isinstance(expr, dict):
            return None
        if isinstance(expr.get("constant_value"), str):
            return expr["constant_value"]
        name = _one_variable(expr)
        value = None if name is None else self.variable_value((), name)
        return value if isinstance(value, str) else None

    # ------------------------------------------------------------ references
    def raw_references(self, module_path: tuple[str, ...], local_address: str) -> list[tuple[str, list[str]]]:
        """(attribute path, reference strings) for each expression of a resource block (walked once per block)."""
        key = (module_path, local_address)
        if key not in self._refs:
            self._derive(key)
        return self._refs[key]


def _one_variable(expr: dict) -> str | None:
    """``x`` when the expression refers to exactly one thing, ``var.x`` (or a part of it)."""
    refs = expr.get("references")
    if not isinstance(refs, list) or len(refs) != 1 or not isinstance(refs[0], str) or not refs[0].startswith("var."):
        return None
    return refs[0][4:].split(".")[0]


def _walk_leaves(exprs: Any, prefix: str) -> Iterator[tuple[str, dict]]:
    """(attribute path, expression) for each attribute of a block's expressions, nested blocks walked."""
    for key, value in exprs.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, list):
            for block in value:
                if isinstance(block, dict):
                    yield from _walk_leaves(block, path)
        elif isinstance(value, dict):
            if not value or "constant_value" in value or "references" in value:
                yield path, value
            elif all(isinstance(v, (dict, list)) for v in value.values()):
                yield from _walk_leaves(value, path)  # a single nested block


def _walk_refs(exprs: Any, prefix: str) -> list[tuple[str, list[str]]]:
    """(attribute path, reference strings) of each expression in an expressions tree (nested blocks walked),
    in the order written.

    A ``constant_value`` is a value, whatever it holds: an object in it with a
    ``references`` key (a module input, a ``terraform_data`` input) names nothing.
    """
    out: list[tuple[str, list[str]]] = []
    _refs_into(exprs, prefix, out)
    return out


def _refs_into(exprs: Any, prefix: str, out: list) -> None:
    if isinstance(exprs, list):
        for item in exprs:
            _refs_into(item, prefix, out)
        return
    if not isinstance(exprs, dict) or "constant_value" in exprs:
        return
    refs = exprs.get("references")
    if isinstance(refs, list):
        out.append((prefix, [r for r in refs if isinstance(r, str)]))
        return
    for key, value in exprs.items():
        if isinstance(value, dict):
            if "constant_value" in value:  # the usual leaf, decided here rather than in a call
                continue
            refs = value.get("references")
            if isinstance(refs, list):
                out.append((f"{prefix}.{key}" if prefix else key, [r for r in refs if isinstance(r, str)]))
                continue
        elif not isinstance(value, list):
            continue
        _refs_into(value, f"{prefix}.{key}" if prefix else key, out)


def _mapping(value: Any) -> dict:
    """``value`` where it is a JSON object; an empty one where a malformed plan has anything else."""
    return value if isinstance(value, dict) else {}


class References:
    """Resolves reference strings to full resource addresses, following variables and module outputs."""

    def __init__(
        self, config: Configuration, instances: dict[str, list[str]], module_instances: dict[str, dict[str, None]]
    ):
        self.config = config
        self.instances = instances  # "module.a[\"x\"].aws_t.n" (no own index) -> instance addresses
        # "module.a" under a parent instance -> its instance prefixes, in order (a dict: one is looked up at once)
        self.module_instances = module_instances
        # What a variable or a module output of one module instance resolves to: every resource of the
        # instance that refers to it shares one answer (per own index, for a module output: _through_output).
        self._shared: dict[tuple, list[str]] = {}
        # What a reference resolves to, asked by a resource: the resources of a module instance ask the same
        # few again and again (a table's name, its key). Its answers are read, never changed.
        self._asked: dict[tuple[str, Any, str], list[str]] = {}

    def resolve(self, module_address: str, own_index: Any, ref: str, depth: int = 0) -> list[str]:
        if depth == 0:
            key = (module_address, own_index, ref)
            found = self._asked.get(key)
            if found is None:
                found = self._asked[key] = self._resolve(module_address, own_index, ref, 0)
            return found
        return self._resolve(module_address, own_index, ref, depth)

    def _resolve(self, module_address: str, own_index: Any, ref: str, depth: int) -> list[str]:
        if depth > 20:
            return []
        try:
            parts = addr.steps(ref)
        except ValueError:
            return []
        if not parts or parts[0][0] in _NON_RESOURCE:
            return []
        head = parts[0][0]
        if head in ("var", "module"):
            key = (module_address, ref, own_index if head == "module" else None)  # see _through_output
            if key not in self._shared:
                self._shared[key] = (
                    self._through_variable(module_address, parts[1][0] if len(parts) > 1 else "", own_index, depth)
                    if head == "var"
                    else self._through_output(module_address, parts, own_index, depth)
                )
            return self._shared[key]
        if head == "data":
            if len(parts) < 3:
                return []
            base = addr.join(module_address, f"data.{parts[1][0]}.{parts[2][0]}")
            return self._pick(base, parts[2][1], own_index)
        if len(parts) < 2:
            return []
        base = addr.join(module_address, f"{parts[0][0]}.{parts[1][0]}")
        return self._pick(base, parts[1][1], own_index)

    def _pick(self, base: str, index: str, own_index: Any) -> list[str]:
        found = self.instances.get(base)
        if not found:
            return []
        if index:
            want = base + index
            return [a for a in found if a == want]
        if len(found) > 1 and own_index is not None:
            # x[count.index] / x[each.key]: the instance with the referrer's own index
            same = base + _index_text(own_index)
            if same in found:
                return [same]
        return list(found)

    def _through_variable(self, module_address: str, name: str, own_index: Any, depth: int) -> list[str]:
        if not module_address or not name:
            return []
        parent, call, call_index = _split_last_module(module_address)
        parent_path = addr.module_path(parent)
        mc = self.config.modules.get(parent_path)
        module_call = mc.calls.get(call) if mc else None
        expr = ((module_call or {}).get("expressions") or {}).get(name)
        out: list[str] = []
        for _, refs in _walk_refs(expr, ""):
            for ref in refs:
                out.extend(self.resolve(parent, call_index, ref, depth + 1))
        return out

    def _through_output(
        self, module_address: str, parts: tuple[tuple[str, str], ...], own_index: Any, depth: int
    ) -> list[str]:
        if len(parts) < 2:
            return []
        call, call_index = parts[1]
        instances = self.module_instances.get(addr.join(module_address, f"module.{call}"), {})
        prefixes: Iterable[str] = instances
        if call_index:
            wanted = addr.join(module_address, f"module.{call}{call_index}")
            prefixes = [wanted] if wanted in instances else []
        elif len(instances) > 1 and own_index is not None:
            # module.x[each.key].out, which a plan writes as "module.x": the instance with the referrer's own
            # index, as _pick does for a resource (else each of a thousand instances named a thousand tables)
            same = addr.join(module_address, f"module.{call}{_index_text(own_index)}")
            if same in instances:
                prefixes = [same]
        child_path = addr.module_path(module_address) + (call,)
        mc = self.config.modules.get(child_path)
        if mc is None:
            return []
        outputs = [parts[2][0]] if len(parts) > 2 else list(mc.outputs)
        out: list[str] = []
        for prefix in prefixes:
            for output in outputs:
                expr = (mc.outputs.get(output) or {}).get("expression")
                for _, refs in _walk_refs(expr, ""):
                    for ref in refs:
                        out.extend(self.resolve(prefix, None, ref, depth + 1))
        return out


def _split_last_module(module_address: str) -> tuple[str, str, Any]:
    """``module.a["x"].module.b[0]`` -> ('module.a["x"]', "b", 0)."""
    parts = addr.steps(module_address)
    parent = ".".join(f"{n}{i}" for n, i in parts[:-2])
    name, index = parts[-1]
    return parent, name, _parse_index(index)


def _parse_index(text: str) -> Any:
    if not text:
        return None
    inner = text[1:-1]
    return json.loads(inner) if inner.startswith('"') else int(inner)


def _index_text(index: Any) -> str:
    if isinstance(index, int):
        return f"[{index}]"
    return f"[{json.dumps(index, ensure_ascii=False)}]"

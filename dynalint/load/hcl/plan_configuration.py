"""The ``configuration`` a plan would carry, written from the source (ConfigurationWriter, part of the
Evaluator): each resource block's expressions as ``constant_value`` or ``references``, module calls, outputs,
variables' defaults, and the provider configuration each resource uses (``provider = aws.west``, module
``providers`` maps). dynalint.load.configuration then reads ``.tf`` input as it reads a plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from dynalint.load.hcl.conversions import _deep_opaque, plain
from dynalint.load.hcl.module_tree import ModuleDir, TfBlock, _locals
from dynalint.load.hcl.references import _collect_refs, _is_literal
from dynalint.load.hcl.scopes import ModuleInstance, Scope
from dynalint.load.hcl.syntax import (
    META_ARGUMENTS,
    META_BLOCKS,
    MODULE_ARGUMENTS,
    _attributes,
    _blocks,
    _flatten,
    _identifier_name,
    _identifier_or_string,
    _trees,
    _unwrap,
    attribute_parts,
    block_parts,
    body_items,
    literal_string,
)

if TYPE_CHECKING:
    from dynalint.load.hcl.evaluator import Evaluator


def _provider_ref(expr: Any) -> tuple[str, str | None] | None:
    """``aws.west`` -> ("aws", "west"); ``aws`` -> ("aws", None)."""
    if expr is None:
        return None
    node = _unwrap(expr)
    if getattr(node, "data", None) == "identifier":
        return str(node.children[0]), None
    root, steps = _flatten(node)
    if getattr(root, "data", None) == "identifier" and len(steps) == 1 and steps[0][0] == "attr":
        return str(root.children[0]), steps[0][1]
    return None


def _providers_map(expr: Any) -> dict[str, tuple[str, str | None]]:
    """A module call's ``providers = { aws = aws.west, aws.east = aws }`` as child name -> parent provider."""
    node = _unwrap(expr) if expr is not None else None
    if getattr(node, "data", None) != "object":
        return {}
    out = {}
    for elem in _trees(node):
        key_ref = _provider_ref(elem.children[0].children[0]) if elem.children[0].children else None
        value_ref = _provider_ref(elem.children[-1])
        if key_ref and value_ref:
            out[f"{key_ref[0]}.{key_ref[1]}" if key_ref[1] else key_ref[0]] = value_ref
    return out


class ConfigurationWriter:
    """Part of the Evaluator (dynalint.load.hcl.evaluator): the module tree as a plan's ``configuration``
    section writes it, and the references of an expression, locals followed."""

    if TYPE_CHECKING:  # what this part uses of the Evaluator's others (the Evaluator sets or defines them)
        tree: dict[tuple[str, ...], ModuleDir]
        root: ModuleInstance | None
        _local_refs: dict[tuple[int, str], list[str]]
        _providers: dict[str, dict]

        def ev(self, node: Any, scope: Scope) -> Any: ...
        def children(self, module: ModuleInstance, name: str) -> list[ModuleInstance]: ...

    # ------------------------------------------------------------ configuration document
    def _module_document(self, path: tuple[str, ...]) -> dict:
        """The module as a plan's ``configuration`` shows it: resources' expressions, calls, outputs."""
        module = self.tree[path]
        resources = []
        for local, block in module.resources.items():
            resources.append(
                {
                    "address": local,
                    "mode": "data" if block.kind == "data" else "managed",
                    "type": block.labels[0],
                    "name": block.labels[1],
                    "provider_config_key": self._provider_key(path, block),
                    "expressions": self.body_expressions(block.body, module, frozenset(), top=True),
                }
            )
        calls = {}
        for name, call in module.calls.items():
            entry = {
                "source": literal_string(dict(_attributes(call.body)).get("source")) or "",
                "expressions": {
                    n: self.expression(e, module, frozenset())
                    for n, e in _attributes(call.body)
                    if n not in MODULE_ARGUMENTS
                },
            }
            if path + (name,) in self.tree:
                entry["module"] = self._module_document(path + (name,))
            calls[name] = entry
        outputs = {}
        for name, block in module.outputs.items():
            value = dict(_attributes(block.body)).get("value")
            outputs[name] = {"expression": self.expression(value, module, frozenset()) if value else {}}
        variables = {}
        for name, block in module.variables.items():
            default = dict(_attributes(block.body)).get("default")
            variables[name] = {"default": plain(self.ev(default, Scope(None, {})))} if default is not None else {}
        return {"resources": resources, "module_calls": calls, "outputs": outputs, "variables": variables}

    def body_expressions(self, body: Any, module: ModuleDir, bound: frozenset, top: bool = False) -> dict:
        out: dict[str, Any] = {}
        for item in body_items(body):
            if item.data == "attribute":
                name, expr = attribute_parts(item)
                if not (top and name in META_ARGUMENTS):
                    out[name] = self.expression(expr, module, bound)
                continue
            kind, labels, block_body = block_parts(item)
            if top and kind in META_BLOCKS:
                continue
            if kind == "dynamic" and labels:
                settings = dict(_attributes(block_body))
                iterator = _identifier_name(settings.get("iterator")) or labels[0]
                for content in _blocks(block_body):
                    kind_, _, content_body = block_parts(content)
                    if kind_ == "content":
                        out.setdefault(labels[0], []).append(
                            self.body_expressions(content_body, module, bound | {iterator})
                        )
            else:
                out.setdefault(kind, []).append(self.body_expressions(block_body, module, bound))
        return out

    def expression(self, expr: Any, module: ModuleDir, bound: frozenset) -> dict:
        """``{"constant_value": v}`` for a literal, ``{"references": [...]}`` for what it refers to, else {}."""
        refs = self.references(expr, module, bound)
        if refs:
            return {"references": refs}
        if _is_literal(expr):
            value = self.ev(expr, Scope(None, {}))
            if _deep_opaque(value) is None:
                return {"constant_value": plain(value)}
        return {}

    def references(self, expr: Any, module: ModuleDir, bound: frozenset) -> list[str]:
        """What an expression refers to, as a plan writes it (``aws_kms_key.main.arn``), locals followed."""
        found: list[str] = []
        evaluator = cast("Evaluator", self)  # ConfigurationWriter is a part of the Evaluator only
        _collect_refs(expr, bound, found, evaluator)
        out: list[str] = []
        for ref in found:
            out.append(ref)
            if ref.startswith("local."):
                out.extend(self._local_references(module, ref.split(".")[1].split("[")[0]))
        return list(dict.fromkeys(out))

    def _local_references(self, module: ModuleDir, name: str) -> list[str]:
        key = (id(module), name)
        if key not in self._local_refs:
            self._local_refs[key] = []
            expr = _locals(module).get(name)
            if expr is not None:
                self._local_refs[key] = self.references(expr, module, frozenset())
        return self._local_refs[key]

    # ------------------------------------------------------------ providers
    def _provider_key(self, path: tuple[str, ...], block: TfBlock) -> str:
        """The provider configuration a resource uses, as a key into the document's ``provider_config``."""
        settings = dict(_attributes(block.body))
        local_name, alias = block.labels[0].split("_")[0], None
        chosen = _provider_ref(settings.get("provider"))
        if chosen is not None:
            local_name, alias = chosen
        found = self._find_provider(path, local_name, alias)
        if found is None:
            return "(no provider block)"
        owner, provider = found
        name = provider.labels[0]
        found_alias = _identifier_or_string(dict(_attributes(provider.body)).get("alias"))
        key = ":".join(filter(None, [".".join(owner), name + (f".{found_alias}" if found_alias else "")]))
        if key not in self._providers:
            self._providers[key] = {"name": name, "expressions": self._provider_expressions(owner, provider)}
        return key

    def _find_provider(self, path: tuple[str, ...], name: str, alias: str | None) -> tuple | None:
        """Follow ``providers = {...}`` maps and default-provider inheritance up to the block that configures it."""
        while True:
            module = self.tree[path]
            for block in module.providers:
                block_alias = _identifier_or_string(dict(_attributes(block.body)).get("alias"))
                if block.labels[0] == name and block_alias == alias:
                    return path, block
            if not path:
                return None
            parent = self.tree[path[:-1]]
            mapping = dict(_attributes(parent.calls[path[-1]].body)).get("providers")
            passed = _providers_map(mapping).get(f"{name}.{alias}" if alias else name)
            if passed is not None:
                name, alias = passed
            elif alias is not None:
                return None
            path = path[:-1]

    def _provider_expressions(self, path: tuple[str, ...], block: TfBlock) -> dict:
        instance = self._first_instance(path)
        scope = Scope(instance, {})
        out: dict[str, Any] = {}
        settings = dict(_attributes(block.body))
        if "region" in settings:
            region = plain(self.ev(settings["region"], scope))
            if isinstance(region, str):
                out["region"] = {"constant_value": region}
        for nested in _blocks(block.body):
            kind, _, body = block_parts(nested)
            tags_expr = dict(_attributes(body)).get("tags") if kind == "default_tags" else None
            if tags_expr is not None:
                # Known keys count even where a value is not known (a tag read from a data source); tags not
                # known at all are written as an expression, which Configuration.default_tags reads as UNKNOWN.
                tags = plain(self.ev(tags_expr, scope))
                if isinstance(tags, dict):
                    out["default_tags"] = [{"tags": {"constant_value": tags}}]
                elif tags is not None:
                    out["default_tags"] = [{"tags": {}}]
        return out

    def _first_instance(self, path: tuple[str, ...]) -> ModuleInstance | None:
        instance = self.root
        for name in path:
            found = self.children(instance, name) if instance else []
            instance = found[0] if found else None
        return instance

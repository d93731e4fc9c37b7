"""ReferenceTracer: what the element an iterator stands for refers to, followed through the source to the
one entry an instance was made of (see the class)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from dynalint.load.hcl.budget import TRACE_BUDGET
from dynalint.load.hcl.conversions import EvalError, _iterate, _to_bool, _to_str
from dynalint.load.hcl.module_tree import _locals
from dynalint.load.hcl.references import _is_literal, _template_expressions
from dynalint.load.hcl.scopes import ModuleInstance, Origin, Scope, _index_text, call_scope
from dynalint.load.hcl.syntax import (
    _TRAVERSALS,
    META_ARGUMENTS,
    META_BLOCKS,
    _argument_trees,
    _attributes,
    _blocks,
    _flatten,
    _for_names,
    _function_name,
    _has_meta,
    _identifier_name,
    _inner,
    _literal_index,
    _literal_key,
    _trees,
    _unwrap,
    attribute_parts,
    block_parts,
    body_items,
)
from dynalint.load.hcl.templates import _string_parts
from dynalint.model import UNKNOWN, ModuleSetting, is_known

if TYPE_CHECKING:
    from dynalint.load.hcl.evaluator import Evaluator


_ABSENT = object()  # a key the traced value does not hold: lookup's default or try's next argument applies
_CONSTANT = object()  # (input mode) a value the module writes itself
_OPAQUE = object()  # (input mode) a part of the value the tracer could not follow
MAX_TRACE_DEPTH = 64


class _ForScan:
    """The elements of a ``for`` expression read so far, in a scope (kept alive with the node: their ids key
    the scan): a tuple's kept elements in order, an object's first element of each result key, whether a
    condition or result key not known stopped the reading there."""

    def __init__(self, node: Any, scope: Scope, collection: Any, pairs: list | None) -> None:
        self.node, self.scope, self.collection, self.pairs = node, scope, collection, pairs
        self.read = 0
        self.kept: list[Scope] = []
        self.by_key: dict[str, Scope] = {}
        self.unknown = False


class _OutOfSteps(Exception):
    """The load's TRACE_BUDGET is spent."""


@dataclass(frozen=True)
class _Input:
    """(input mode) an input of the module the root module calls: ``replica_regions[0].kms_key_arn``."""

    text: str


def _input_text(name: str, steps: list, key: Callable[[tuple], Any]) -> str:
    text = name
    for step in steps:
        value = key(step)
        if isinstance(value, bool) or value is None:
            break
        if isinstance(value, int):
            text += f"[{value}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", value):
            text += f".{value}"
        else:
            text += f"[{json.dumps(value, ensure_ascii=False)}]"
    return text


class ReferenceTracer:
    """What the element an iterator stands for refers to, read from the source.

    A plan's configuration writes ``try(each.value.event_source_arn, null)`` as
    a reference to ``each.value`` (which names nothing) and leaves ``dynamic``
    blocks out altogether. Here such an expression is followed into the
    ``for_each`` expression (``{ for k, v in var.event_source_mapping : k => v }``),
    into the argument of the module call (``event_source_mapping = { dynamodb =
    {...} }``), to the one entry this instance was made of and to what is
    written there (``aws_dynamodb_table.this.stream_arn``, in the calling
    module), through as many modules as there are. Object and tuple
    constructors, ``var.``, ``local.``, module outputs, ``lookup``, ``try``,
    ``coalesce``, ``merge``, conditionals and ``for`` expressions are followed.
    Where the structure cannot be followed (a key known only after apply, a
    function that reshapes the map), an iterator's element names nothing, as
    before: never every entry of the map, which would tie a queue's mapping
    to the table of another entry.
    """

    def __init__(self, evaluator: Evaluator) -> None:
        self.ev = evaluator
        self._input_mode = False  # set by inputs(): stop at the inputs of the module the root module calls
        self._scans: dict[tuple[int, int], _ForScan] = {}  # (for expression, scope or module) ids: see _scan

    def iterator_facts(self, body: Any, scope: Scope) -> tuple[list[tuple[str, str, str]], list[ModuleSetting]]:
        """What a block body's iterators (``each``, ``dynamic`` blocks' iterators) decide, read from the source:
        (attribute path, module instance address, reference) for each reference they lead to, and, for a
        resource inside a module, the module inputs (or constants) that set what they write (ModuleSetting).

        References carry attribute paths as a plan's configuration writes them (``replica.kms_key_arn``);
        settings key the blocks a dynamic block writes by name or region (``replica.us-west-2.kms_key_arn``),
        as findings do.
        """
        references: list[tuple[str, str, str]] = []
        settings: list[ModuleSetting] = []
        in_module = scope.module is not None and scope.module.parent is not None
        self._walk(body, scope, ("", ""), True, False, references, settings if in_module else None)
        return references, settings

    def _walk(
        self,
        body: Any,
        scope: Scope,
        prefixes: tuple[str, str],
        top: bool,
        in_dynamic: bool,
        references: list,
        settings: list | None,
    ) -> None:
        for item in body_items(body):
            if item.data == "attribute":
                name, expr = attribute_parts(item)
                if top and name in META_ARGUMENTS:
                    continue
                iterated = _mentions(expr, scope.origins)
                if iterated:
                    path = _join(prefixes[0], name)
                    references.extend((path, module, ref) for module, ref in self.references(expr, scope))
                if settings is not None and (iterated or in_dynamic):
                    self._setting(_join(prefixes[1], name), expr, scope, settings)
                continue
            kind, labels, block_body = block_parts(item)
            if top and kind in META_BLOCKS:
                continue
            if kind == "dynamic" and labels:
                self._dynamic(labels[0], block_body, scope, prefixes, references, settings)
            else:
                self._walk(
                    block_body,
                    scope,
                    (_join(prefixes[0], kind), _join(prefixes[1], kind)),
                    False,
                    in_dynamic,
                    references,
                    settings,
                )

    def _dynamic(
        self, kind: str, body: Any, scope: Scope, prefixes: tuple[str, str], references: list, settings: list | None
    ) -> None:
        meta = dict(_attributes(body))
        content = next((b for b in _blocks(body) if block_parts(b)[0] == "content"), None)
        if content is None or "for_each" not in meta:
            return
        block_paths = (_join(prefixes[0], kind), _join(prefixes[1], kind))
        if settings is not None:
            self._setting(block_paths[1], meta["for_each"], scope, settings, inputs_only=True)
        pairs = _iterate(self.ev.ev(meta["for_each"], scope))
        if pairs is None:
            return
        iterator = _identifier_name(meta.get("iterator")) or kind
        content_body = block_parts(content)[2]
        content_attributes = dict(_attributes(content_body))
        for key, value in pairs:
            element = scope.bind_element(iterator, {"key": key, "value": value}, Origin(meta["for_each"], scope, key))
            name = next(
                (
                    self.ev.ev(content_attributes[k], element)
                    for k in ("name", "region_name")
                    if k in content_attributes
                ),
                None,
            )
            keyed = _join(block_paths[1], name) if isinstance(name, str) else block_paths[1]
            self._walk(content_body, element, (block_paths[0], keyed), False, True, references, settings)

    def _setting(self, path: str, expr: Any, scope: Scope, settings: list, inputs_only: bool = False) -> None:
        found = self.inputs(expr, scope)
        if found is None:
            return
        inputs, fixed = found
        if inputs or (fixed and not inputs_only):
            settings.append(ModuleSetting(path, tuple(sorted(inputs)), fixed and not inputs))

    def inputs(self, node: Any, scope: Scope) -> tuple[set[str], bool] | None:
        """(inputs of the module call written in the root module, whether a constant sets it) for the value of
        ``node`` in a module; None when the expression cannot be followed."""
        self._input_mode = True
        try:
            found = self._guarded(node, scope, [], 0)
        finally:
            self._input_mode = False
        if not isinstance(found, list):
            return None
        inputs = {item.text for item in found if isinstance(item, _Input)}
        return inputs, any(item is _CONSTANT for item in found) and not any(item is _OPAQUE for item in found)

    def references(self, node: Any, scope: Scope) -> list[tuple[str, str]]:
        """(module instance address, reference) pairs for what the value of ``node`` comes from."""
        found = self._guarded(node, scope, [], 0)
        return list(dict.fromkeys(found)) if isinstance(found, list) else []

    def _guarded(self, node: Any, scope: Scope, steps: list, depth: int) -> Any:
        if self.ev.trace_steps >= TRACE_BUDGET:
            return None
        try:
            return self._trace(node, scope, steps, depth)
        except (EvalError, TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError, _OutOfSteps):
            return None

    def _trace(self, node: Any, scope: Scope, steps: list, depth: int) -> Any:
        """The references of ``node`` followed by ``steps``: a list, _ABSENT (no such key), or None (cannot tell)."""
        if depth > MAX_TRACE_DEPTH:
            return None
        self.ev.trace_steps += 1
        if self.ev.trace_steps >= TRACE_BUDGET:
            raise _OutOfSteps
        node = _unwrap(node)
        kind = getattr(node, "data", None)
        if kind == "expr_term":  # parentheses
            return self._trace(_inner(node), scope, steps, depth + 1)
        if kind == "identifier":
            return self._name(str(node.children[0]), steps, scope, depth + 1)
        if kind in _TRAVERSALS:
            root, more = _flatten(node)
            if getattr(root, "data", None) == "identifier":
                return self._name(str(root.children[0]), more + steps, scope, depth + 1)
            return self._trace(root, scope, more + steps, depth + 1)
        if kind == "object":
            return self._object(node, scope, steps, depth)
        if kind == "tuple":
            items = _trees(node)
            if not steps:
                return self._union(items, scope, [], depth)
            index = self._key(steps[0], scope)
            if isinstance(index, bool) or not isinstance(index, int):
                return None
            return self._trace(items[index], scope, steps[1:], depth + 1) if 0 <= index < len(items) else _ABSENT
        if kind == "function_call":
            return self._function(node, scope, steps, depth)
        if kind == "conditional":
            condition, if_true, if_false = _trees(node)
            test = _to_bool(self.ev.ev(condition, scope))
            if test is True or test is False:
                found = self._trace(if_true if test else if_false, scope, steps, depth + 1)
                if self._input_mode and not steps and isinstance(found, list):  # the inputs deciding it count too
                    decided = self._trace(condition, scope, [], depth + 1)
                    found = (
                        found + [i for i in decided if isinstance(i, _Input)] if isinstance(decided, list) else found
                    )
                return found
            return self._union([if_true, if_false], scope, steps, depth)
        if kind in ("for_tuple_expr", "for_object_expr"):
            return self._for(node, scope, steps, depth)
        if kind == "string":
            parts = _string_parts(node)
            if parts and len(parts) == 1 and parts[0][0] == "expr":
                return self._trace(parts[0][1], scope, steps, depth + 1)
        if kind in ("literal_value", "int_lit", "float_lit", "string", "heredoc_template", "heredoc_template_trim"):
            if steps:
                return _ABSENT  # a primitive has no attributes: try() moves on
            if self._input_mode and _is_literal(node):
                return [_CONSTANT]
        if steps:
            return None
        return self._parts(node, scope, depth)

    def _name(self, name: str, steps: list, scope: Scope, depth: int) -> Any:
        origin = scope.origins.get(name)
        if origin is not None:
            if origin.through_value:
                if not steps or steps[0] != ("attr", "value"):
                    return []  # each.key, or the iterator object itself: names nothing
                steps = steps[1:]
            return self._trace(origin.node, origin.scope, [("key", origin.key)] + steps, depth + 1)
        module = scope.module
        if name in scope.names or module is None or not steps or steps[0][0] != "attr":
            return []
        first, rest = steps[0][1], steps[1:]
        if name == "var":
            if module.parent is None or module.call is None:
                return []  # a root variable's value comes from tfvars: it names no resource
            if self._input_mode and module.parent.parent is None:
                return [_Input(_input_text(first, rest, lambda step: self._key(step, scope)))]
            if not rest and not self._input_mode:
                return [(module.address, f"var.{first}")]  # References follows it into the call's argument
            given = dict(_attributes(module.call.body)).get(first)
            if given is None:
                return [_CONSTANT] if self._input_mode else []  # the variable's default
            return self._trace(given, call_scope(module), rest, depth + 1)
        if name == "local":
            expr = _locals(module.module).get(first)
            return [] if expr is None else self._trace(expr, Scope(module, {}), rest, depth + 1)
        if name == "module":
            return self._output(module, first, rest, scope, depth)
        if name in ("count", "each", "self", "path", "terraform"):
            return []
        text = self._reference_text(name, steps, scope)
        return [(module.address, text)] if text else []

    def _output(self, module: ModuleInstance, call: str, steps: list, scope: Scope, depth: int) -> Any:
        """``module.<call>...``: into the output's expression in the child instance, or left to References."""
        as_text = [(module.address, self._reference_text("module", [("attr", call)] + steps, scope))]
        if call not in module.module.calls or module.path + (call,) not in self.ev.tree:
            return as_text
        children = self.ev.children(module, call)
        if _has_meta(module.module.calls[call].body):
            index = self._key(steps[0], scope) if steps and steps[0][0] != "attr" else None
            children = [c for c in children if index is not None and c.index == index]
            steps = steps[1:]
        if len(children) != 1 or not steps or steps[0][0] != "attr":
            return as_text
        child = children[0]
        block = child.module.outputs.get(steps[0][1])
        expr = dict(_attributes(block.body)).get("value") if block else None
        if expr is None:
            return []
        found = self._trace(expr, Scope(child, {}), steps[1:], depth + 1)
        return as_text if found is None and len(steps) == 1 else found

    def _object(self, node: Any, scope: Scope, steps: list, depth: int) -> Any:
        elements = _trees(node)
        if not steps:
            return self._union([e.children[-1] for e in elements], scope, [], depth)
        key = self._key(steps[0], scope)
        if key is None:
            return None
        for element in elements:
            name = _literal_key(element.children[0])
            if name is None:
                value = self.ev.ev(element.children[0].children[0], scope)
                if not is_known(value):
                    return None
                name = _to_str(value)
            if name == _to_str(key):
                return self._trace(element.children[-1], scope, steps[1:], depth + 1)
        return _ABSENT

    def _function(self, node: Any, scope: Scope, steps: list, depth: int) -> Any:
        name, args = _function_name(node), _argument_trees(node)
        if name == "lookup" and len(args) >= 2:
            key = self.ev.ev(args[1], scope)
            if not isinstance(key, str):
                return None if steps else self._union(args[::2], scope, [], depth)
            found = self._trace(args[0], scope, [("key", key)] + steps, depth + 1)
            if found is _ABSENT and len(args) > 2:
                return self._trace(args[2], scope, steps, depth + 1)
            return found
        if name in ("try", "coalesce", "merge"):  # the value is one of the arguments' (or a key of one)
            return self._union(args, scope, steps, depth)
        if steps:
            return None
        return self._union(args, scope, [], depth)

    def _for(self, node: Any, scope: Scope, steps: list, depth: int) -> Any:
        intro = next(c for c in node.children if getattr(c, "data", None) == "for_intro")
        names, collection = _for_names(intro), _trees(intro)[-1]
        parts = [c for c in _trees(node) if c.data not in ("for_intro", "for_cond")]
        condition = next((c for c in node.children if getattr(c, "data", None) == "for_cond"), None)
        if not steps:  # the whole result: the collection's references and those the element expressions add
            unbound = scope.bind(**{n: UNKNOWN for n in names})
            return self._union([collection], scope, [], depth) + self._union(parts, unbound, [], depth)
        key = self._key(steps[0], scope)
        scan = self._scan(node, scope, collection)
        if key is None or scan.pairs is None or any(getattr(t, "type", None) == "ELLIPSIS" for t in node.children):
            return None
        is_object = node.data == "for_object_expr"
        wanted = _to_str(key) if is_object else key
        while True:  # the elements read so far, then on through the collection until the key is found
            if is_object and wanted in scan.by_key:
                return self._trace(parts[1], scan.by_key[wanted], steps[1:], depth + 1)
            if not is_object and isinstance(key, int) and 0 <= key < len(scan.kept):
                return self._trace(parts[0], scan.kept[key], steps[1:], depth + 1)
            if scan.unknown:
                return None
            if scan.read == len(scan.pairs):
                return _ABSENT
            self._read_element(scan, names, parts, condition, is_object)

    def _scan(self, node: Any, scope: Scope, collection: Any) -> _ForScan:
        """How far the elements of a ``for`` expression in a scope have been read. Each instance of
        ``for_each = local.tables`` looks up its own element of ``{ for ... }``: read from the start each time,
        that cost the square of the instances. A scope that binds nothing is the module's: one scan for all."""
        plain = not scope.names and not scope.origins and scope.module is not None
        key = (id(node), id(scope.module) if plain else id(scope))
        scan = self._scans.get(key)
        if scan is None:
            scan = self._scans[key] = _ForScan(node, scope, collection, _iterate(self.ev.ev(collection, scope)))
        return scan

    def _read_element(self, scan: _ForScan, names: list, parts: list, condition: Any, is_object: bool) -> None:
        """Read the next element: kept (a tuple's) or by its result key (an object's, the first of a key),
        skipped by the condition, or the end of what can be told (a condition or key not known)."""
        item_key, item = cast(list, scan.pairs)[scan.read]  # _for reads only a collection it can iterate
        origin = Origin(scan.collection, scan.scope, item_key, through_value=False)
        element = scan.scope.bind(**{names[0]: item_key}) if len(names) > 1 else scan.scope
        element = element.bind_element(names[-1], item, origin)
        if condition is not None:
            keep = _to_bool(self.ev.ev(_trees(condition)[-1], element))
            if not is_known(keep):
                scan.unknown = True
                return
            if not keep:
                scan.read += 1
                return
        if is_object:
            result_key = self.ev.ev(parts[0], element)
            if not is_known(result_key):
                scan.unknown = True
                return
            scan.by_key.setdefault(_to_str(result_key), element)
        else:
            scan.kept.append(element)
        scan.read += 1

    def _union(self, nodes: list, scope: Scope, steps: list, depth: int) -> Any:
        """The references of whichever of ``nodes`` the value comes from; _ABSENT when none holds ``steps``."""
        out: list = []
        absent = bool(nodes)
        for node in nodes:
            found = self._trace(node, scope, steps, depth + 1)
            if found is not _ABSENT:
                absent = False
            if isinstance(found, list):
                out.extend(found)
            elif found is None and self._input_mode:
                out.append(_OPAQUE)
        return _ABSENT if absent else out

    def _parts(self, node: Any, scope: Scope, depth: int) -> list:
        """The references of a value made of its parts (operators, templates): each part traced."""
        out: list = []
        if getattr(node, "data", None) in ("heredoc_template", "heredoc_template_trim"):
            for expr, _names in _template_expressions(self.ev.heredoc_parts(node) or [], frozenset()):
                found = self._trace(expr, scope, [], depth + 1)
                out.extend(found if isinstance(found, list) else [])
            return out
        for child in getattr(node, "children", ()):
            kind = getattr(child, "data", None)
            if kind is None:
                continue
            found = (
                self._trace(child, scope, [], depth + 1) if kind in _TRACED else self._parts(child, scope, depth + 1)
            )
            out.extend(found if isinstance(found, list) else [_OPAQUE] if found is None and self._input_mode else [])
        return out

    def _key(self, step: tuple, scope: Scope) -> Any:
        """The key a step picks (an attribute name, a literal or evaluated index); None when not known."""
        if step[0] in ("attr", "key"):
            return step[1]
        if step[0] != "index":
            return None
        literal = _literal_index(step[1])
        value = literal if literal is not None else self.ev.ev(step[1], scope)
        return value if is_known(value) and isinstance(value, (str, int)) else None

    def _reference_text(self, name: str, steps: list, scope: Scope) -> str:
        """A reference as Terraform writes it, with the indexes the iterator's scope decides written out."""
        known = []
        for step in steps:
            if step[0] in ("index", "key"):  # "key": the entry of a for_each collection this instance was made of
                key = self._key(step, scope)
                if key is None:
                    break
                known.append(("key", key))
            elif step[0] == "attr":
                known.append(step)
            else:
                break
        text = name
        for step in known:
            text += f".{step[1]}" if step[0] == "attr" else _index_text(step[1])  # as instance addresses write it
        return text if "." in text else ""


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _mentions(expr: Any, names: Mapping[str, Any]) -> bool:
    """Whether an expression uses one of ``names`` (an iterator with an Origin)."""
    if not names or not hasattr(expr, "iter_subtrees"):
        return False
    return any(str(node.children[0]) in names for node in expr.iter_subtrees() if node.data == "identifier")


#: Expression kinds ReferenceTracer follows as a whole (the others are made of parts).
_TRACED = frozenset(_TRAVERSALS) | {
    "identifier",
    "object",
    "tuple",
    "function_call",
    "conditional",
    "for_tuple_expr",
    "for_object_expr",
    "expr_term",
    "string",
}

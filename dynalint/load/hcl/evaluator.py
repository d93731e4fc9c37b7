"""The Evaluator: the values of a module tree's expressions, as Terraform would compute them at plan time.

Values are computed lazily, with a guard against reference cycles, and within
the budget (``self.budget``, dynalint.load.hcl.budget). What names stand for is in
dynalint.load.hcl.modules, the configuration document it writes in
dynalint.load.hcl.plan_configuration, documents known in part in
dynalint.load.hcl.documents (the Evaluator's other parts); each kind of
expression has its handler below (``_HANDLERS``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from dynalint import address as addr
from dynalint.load.hcl.budget import ITERATION_CELLS, MAX_VALUE_CELLS, TRACE_BUDGET, Budget, cells
from dynalint.load.hcl.conversions import (
    EvalError,
    Outputs,
    _binary_op,
    _get_attr,
    _get_index,
    _iterate,
    _opaque,
    _to_bool,
    _to_num,
    _to_str,
    plain,
)
from dynalint.load.hcl.documents import DocumentDrafts
from dynalint.load.hcl.functions import _GROWTH, _SEES_UNKNOWN, FUNCTIONS
from dynalint.load.hcl.module_tree import MAX_TF_BYTES, ModuleDir
from dynalint.load.hcl.modules import ModuleNames
from dynalint.load.hcl.plan_configuration import ConfigurationWriter
from dynalint.load.hcl.scopes import Instance, ModuleInstance, Scope
from dynalint.load.hcl.syntax import (
    _TRAVERSALS,
    META_ARGUMENTS,
    META_BLOCKS,
    SINGLE_BLOCKS,
    _argument_trees,
    _arguments,
    _attributes,
    _blocks,
    _flatten,
    _for_names,
    _function_name,
    _identifier_name,
    _inner,
    _literal_key,
    _trees,
    attribute_parts,
    block_parts,
    body_items,
)
from dynalint.load.hcl.templates import _heredoc_body, _string_parts, _template_parts
from dynalint.load.plan import RawResource
from dynalint.model import SENSITIVE, UNKNOWN, is_known


class Evaluator(ModuleNames, ConfigurationWriter, DocumentDrafts):
    """Evaluates expressions of one module tree, lazily and with a guard against reference cycles."""

    def __init__(self, tree: dict[tuple[str, ...], ModuleDir], inputs: dict[str, Any]) -> None:
        self.tree = tree
        self.inputs = inputs
        self.secrets: set[str] = set()
        self.block_of: dict[str, tuple[ModuleDir, str]] = {}
        self.partial: dict[str, dict] = {}  # address -> Instance.partial_json, for the Resources
        self.iterator_facts: dict[str, tuple[list, list]] = {}  # address -> (iterator_references, module_settings)
        self.trace_steps = 0  # taken by ReferenceTracer, against TRACE_BUDGET
        self.root = ModuleInstance("", (), tree[()]) if () in tree else None
        self._busy: set[tuple[int, str]] = set()
        self._templates: dict[str, Any] = {}
        self._local_refs: dict[tuple[int, str], list[str]] = {}
        self._providers: dict[str, dict] = {}
        self.budget = Budget(tree)

    # ------------------------------------------------------------ the walk
    def build(self) -> tuple[list[RawResource], dict]:
        """Every resource instance for the plan loader's ``build_resources``, and the configuration document
        they refer to."""
        raw: list[RawResource] = []
        # the loader builds from a module_tree(), which always holds the root module ()
        stack = [cast(ModuleInstance, self.root)]
        while stack:
            instance = stack.pop()
            for local in instance.module.resources:
                for item in self.instances(instance, local):
                    self.block_of[item.address] = (instance.module, local)
                    if item.partial_json:
                        self.partial[item.address] = item.partial_json
                    if item.iterator_references or item.module_settings:
                        self.iterator_facts[item.address] = (item.iterator_references, item.module_settings)
                    raw.append(self._raw(instance, local, item))
            for name in sorted(instance.module.calls, reverse=True):
                stack.extend(reversed(self.children(instance, name)))
        document = {"root_module": self._module_document(()), "provider_config": self._providers}
        return raw, document

    def trace_warnings(self) -> list[str]:
        """A warning when ReferenceTracer ran out of steps: what some iterators refer to was not followed."""
        if self.trace_steps < TRACE_BUDGET:
            return []
        root = self.tree[()].shown if () in self.tree else "."
        return [
            f"{root or '.'}: the references of for_each and dynamic block elements were followed for "
            f"{TRACE_BUDGET} steps and no further: some of them are not tied to what they name"
        ]

    def instances_of(self, addresses: set[str]) -> dict[str, Instance]:
        """The resource instances at these addresses, evaluating their blocks only (and what they refer to)."""
        blocks = {addr.strip_index(a) for a in addresses}
        out: dict[str, Instance] = {}
        stack = [self.root] if self.root else []
        while stack:
            instance = stack.pop()
            for local in instance.module.resources:
                if addr.join(instance.address, local) not in blocks:
                    continue
                for item in self.instances(instance, local):
                    if item.address in addresses:
                        out[item.address] = item
            for name in instance.module.calls:
                stack.extend(
                    child
                    for child in self.children(instance, name)
                    if any(block.startswith(child.address + ".") for block in blocks)
                )
        return out

    def _raw(self, instance: ModuleInstance, local: str, item: Instance) -> RawResource:
        block = instance.module.resources[local]
        data = block.kind == "data"
        entry = {
            "address": item.address,
            "mode": "data" if data else "managed",
            "type": block.labels[0],
            "name": block.labels[1],
        }
        if item.index is not None:
            entry["index"] = item.index
        return RawResource(entry, item.values, None, instance.address, instance.path, local, None)

    def root_values(self) -> dict[str, Any]:
        """Root variables whose value is known, for ``Configuration`` (a variable that is null counts as unset)."""
        out = {}
        root = self.root
        if root is not None:
            for name in root.module.variables:
                value = self.variable(root, name)
                if is_known(value):
                    out[name] = plain(value)
        return out

    # ------------------------------------------------------------ bodies
    def body_values(self, body: Any, scope: Scope, top: bool = False, leaf: Callable | None = None) -> dict:
        """A block body as plan JSON shows it: attributes, nested blocks as lists, dynamic blocks expanded.

        ``leaf(expr, scope)`` gives an attribute's value (default: ``plain(self.ev(expr, scope))``).
        """
        leaf = leaf or self._plain_value
        out: dict[str, Any] = {}
        for item in body_items(body):
            if item.data == "attribute":
                name, expr = attribute_parts(item)
                if not (top and name in META_ARGUMENTS):
                    out[name] = leaf(expr, scope)
                continue
            kind, labels, block_body = block_parts(item)
            if top and kind in META_BLOCKS:
                continue
            if kind == "dynamic" and labels:
                self._dynamic(out, labels[0], block_body, scope, leaf)
            elif top and kind in SINGLE_BLOCKS:
                out[kind] = self.body_values(block_body, scope, leaf=leaf)
            elif out.get(kind) is not UNKNOWN:
                out.setdefault(kind, []).append(self.body_values(block_body, scope, leaf=leaf))
        return out

    def _plain_value(self, expr: Any, scope: Scope) -> Any:
        return plain(self.ev(expr, scope))

    def _dynamic(self, out: dict, kind: str, body: Any, scope: Scope, leaf: Callable) -> None:
        settings = dict(_attributes(body))
        content = next((b for b in _blocks(body) if block_parts(b)[0] == "content"), None)
        iterator = _identifier_name(settings.get("iterator")) or kind
        pairs = _iterate(self.ev(settings["for_each"], scope)) if "for_each" in settings else None
        if pairs is None or content is None or out.get(kind) is UNKNOWN:
            out[kind] = UNKNOWN
            return
        content_body = block_parts(content)[2]
        blocks = out.setdefault(kind, [])
        for key, value in pairs:
            blocks.append(
                self.body_values(content_body, scope.bind(**{iterator: {"key": key, "value": value}}), leaf=leaf)
            )

    # ------------------------------------------------------------ expressions
    def ev(self, node: Any, scope: Scope) -> Any:
        """The value of an expression: Python values, or UNKNOWN / SENSITIVE.

        Every value leaves here within MAX_VALUE_CELLS as written out: ``[local.a, local.a]`` shares ``a``
        and costs nothing to build, but what reads it (a rule, ``plain``) would write it out.
        """
        try:
            value = self._ev(node, scope)
        except (
            EvalError,
            TypeError,
            ValueError,
            KeyError,
            IndexError,
            AttributeError,
            ZeroDivisionError,
            OverflowError,
            RecursionError,
        ):
            return UNKNOWN
        if isinstance(value, (list, dict)) and cells(value) > MAX_VALUE_CELLS:
            self.budget.spend(node, MAX_VALUE_CELLS + 1)
        return value

    def _ev(self, node: Any, scope: Scope) -> Any:
        kind = getattr(node, "data", None)
        handler = _HANDLERS.get(kind) if kind is not None else None  # None: not a node, no handler
        if handler is None:
            raise EvalError(f"unsupported expression {kind}")
        return handler(self, node, scope)

    def _expr_term(self, node: Any, scope: Scope) -> Any:
        return self._ev(_inner(node), scope)

    def _string(self, node: Any, scope: Scope) -> Any:
        return self._template(_string_parts(node), scope, node)

    def _heredoc(self, node: Any, scope: Scope) -> Any:
        parts = self.heredoc_parts(node)
        if parts is None:
            return UNKNOWN
        return self._template(parts, scope, node)

    def heredoc_parts(self, node: Any) -> list | None:
        text = str(node.children[0])
        if text not in self._templates:
            self._templates[text] = _template_parts(_heredoc_body(text), node.data == "heredoc_template_trim")
        return self._templates[text]

    def _template(self, parts: list | None, scope: Scope, node: Any = None) -> Any:
        """A template's value: one interpolation alone keeps its type; otherwise the parts as one string."""
        if parts is None:
            return UNKNOWN  # a template Terraform would reject (an %{ if } without %{ endif }, ...)
        if len(parts) == 1 and parts[0][0] == "expr":
            return self._ev(parts[0][1], scope)
        values = self._render(parts, scope)
        opaque = _opaque(values)
        if opaque is not None:
            return opaque
        texts = [_to_str(v) for v in values]
        size = sum(map(len, texts))
        if size > 4096:  # counted before it is joined; short strings are bounded by the source and the iterations
            self.budget.spend(node, size)
        return "".join(texts)

    def _render(self, parts: list, scope: Scope) -> list:
        """The pieces of a template, ``%{ if }`` and ``%{ for }`` directives applied."""
        out: list = []
        for part in parts:
            if part[0] == "text":
                out.append(part[1])
            elif part[0] == "expr":
                out.append(self._ev(part[1], scope))
            elif part[0] == "if":
                test = _to_bool(self._ev(part[1], scope))
                if not is_known(test):
                    return [test]
                out.extend(self._render(part[2] if test else part[3], scope))
            else:
                names, collection, body = part[1], self._ev(part[2], scope), part[3]
                pairs = _iterate(collection)
                if pairs is None:
                    return [UNKNOWN if collection is not SENSITIVE else SENSITIVE]
                for key, value in pairs:
                    self.budget.spend(part[2], ITERATION_CELLS, "iterates")
                    bound = {names[-1]: value} if len(names) == 1 else {names[0]: key, names[1]: value}
                    out.extend(self._render(body, scope.bind(**bound)))
        return out

    def _tuple(self, node: Any, scope: Scope) -> Any:
        return [self._ev(e, scope) for e in _trees(node)]

    def _object(self, node: Any, scope: Scope) -> Any:
        out = {}
        for elem in _trees(node):
            key_node, value_node = elem.children[0], elem.children[-1]
            key = _literal_key(key_node)
            if key is None:
                key = self._ev(key_node.children[0], scope)
                if not is_known(key):
                    return key
                key = _to_str(key)
            out[key] = self._ev(value_node, scope)
        return out

    def _literal(self, node: Any, scope: Scope) -> Any:
        token = str(node.children[0])
        return {"true": True, "false": False, "null": None}[token]

    def _int(self, node: Any, scope: Scope) -> Any:
        return int(str(node.children[0]))

    def _float(self, node: Any, scope: Scope) -> Any:
        return float(str(node.children[0]))

    def _conditional(self, node: Any, scope: Scope) -> Any:
        condition, if_true, if_false = _trees(node)
        test = _to_bool(self._ev(condition, scope))
        if not is_known(test):
            return test
        return self._ev(if_true if test else if_false, scope)

    def _unary(self, node: Any, scope: Scope) -> Any:
        operator = str(node.children[0]).strip()
        value = self._ev(node.children[-1], scope)
        if not is_known(value):
            return value
        return (not _to_bool(value)) if operator == "!" else -_to_num(value)

    def _binary(self, node: Any, scope: Scope) -> Any:
        left, term = _trees(node)[:2]
        operator_node, right = _trees(term)
        operator = str(operator_node.children[0]).strip()
        a = self._ev(left, scope)
        if operator in ("&&", "||") and is_known(a):
            decided = _to_bool(a)
            if decided is (operator == "||"):
                return decided
        b = self._ev(right, scope)
        opaque = _opaque([a, b])
        if opaque is not None:
            return opaque
        return self.budget.built(node, _binary_op(operator, a, b))

    def _traversal(self, node: Any, scope: Scope) -> Any:
        root, steps = _flatten(node)
        if getattr(root, "data", None) == "identifier":
            value, rest = self._lookup(str(root.children[0]), steps, scope)
        else:
            value, rest = self._ev(root, scope), steps
        return self._apply(value, rest, scope)

    def _apply(self, value: Any, steps: list, scope: Scope) -> Any:
        for _position, step in enumerate(steps):
            if value is UNKNOWN or value is SENSITIVE:
                return value
            if step[0] == "splat":
                items = [] if value is None else value if isinstance(value, list) else [value]
                return [self._apply(v, step[1], scope) for v in items]
            if step[0] == "attr":
                value = _get_attr(value, step[1])
            else:
                key = self._ev(step[1], scope)
                if not is_known(key):
                    return key
                value = _get_index(value, key)
        return value

    def _identifier(self, node: Any, scope: Scope) -> Any:
        value, _ = self._lookup(str(node.children[0]), [], scope)
        return value

    def _function(self, node: Any, scope: Scope) -> Any:
        name = _function_name(node)
        if name in ("try", "can"):
            return self._try(node, scope) if name == "try" else self._can(node, scope)
        arguments = _arguments(node)
        args = [self._ev(a, scope) for a in _argument_trees(node)]
        if arguments is not None and any(getattr(t, "type", None) == "ELLIPSIS" for t in arguments.children):
            if not args or not isinstance(args[-1], list):
                return UNKNOWN
            args = args[:-1] + args[-1]
        if name in ("file", "fileexists"):
            return self._file(name, args)
        function = FUNCTIONS.get(name)
        if function is None:
            return UNKNOWN
        args = [a.materialize() if isinstance(a, Outputs) else a for a in args]
        if name not in _SEES_UNKNOWN:
            opaque = _opaque(args)
            if opaque is not None:
                return opaque
        grows = _GROWTH.get(name)
        if grows is not None and grows(*args) > MAX_VALUE_CELLS:  # what the result may reach, before it is built
            self.budget.spend(node, MAX_VALUE_CELLS + 1)
        return self.budget.built(node, function(*args))

    def _try(self, node: Any, scope: Scope) -> Any:
        """``try(a, b)``: the first argument that evaluates without an error; unknown stays unknown."""
        for argument in _argument_trees(node):
            try:
                value = self._ev(argument, scope)
            except (EvalError, TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError):
                continue
            return value
        return UNKNOWN

    def _can(self, node: Any, scope: Scope) -> Any:
        try:
            value = self._ev(_argument_trees(node)[0], scope)
        except (EvalError, TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError):
            return False
        return True if value is not UNKNOWN else UNKNOWN

    def _file(self, name: str, args: list) -> Any:
        """``file()`` reads a file (a policy kept as JSON) under the root module or the current directory only."""
        if len(args) != 1 or not isinstance(args[0], str) or () not in self.tree:
            return UNKNOWN
        base = os.path.realpath(self.tree[()].directory)
        path = Path(os.path.realpath(os.path.join(base, args[0])))
        if not any(_inside(str(path), allowed) for allowed in (base, os.path.realpath("."))):
            return UNKNOWN
        if name == "fileexists":
            return path.is_file()
        try:
            if not path.is_file() or path.stat().st_size > MAX_TF_BYTES:  # a pipe would block, a huge file swap
                return UNKNOWN
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return UNKNOWN

    def _for(self, node: Any, scope: Scope) -> Any:
        intro = next(c for c in node.children if getattr(c, "data", None) == "for_intro")
        names = _for_names(intro)
        collection = self._ev(_trees(intro)[-1], scope)
        pairs = _iterate(collection)
        if pairs is None:
            return UNKNOWN if collection is not SENSITIVE else SENSITIVE
        parts = [c for c in _trees(node) if c.data not in ("for_intro", "for_cond")]
        condition = next((c for c in node.children if getattr(c, "data", None) == "for_cond"), None)
        grouping = any(getattr(t, "type", None) == "ELLIPSIS" for t in node.children)
        is_object = node.data == "for_object_expr"
        out: Any = {} if is_object else []
        for key, value in pairs:
            self.budget.spend(node, ITERATION_CELLS, "iterates")
            bound = {names[-1]: value} if len(names) == 1 else {names[0]: key, names[1]: value}
            inner = scope.bind(**bound)
            if condition is not None:
                keep = _to_bool(self._ev(_trees(condition)[-1], inner))
                if not is_known(keep):
                    return keep
                if not keep:
                    continue
            if not is_object:
                out.append(self._ev(parts[0], inner))
                continue
            item_key = self._ev(parts[0], inner)
            if not is_known(item_key):
                return item_key
            item_key = _to_str(item_key)
            item = self._ev(parts[1], inner)
            if grouping:
                out.setdefault(item_key, []).append(item)
            elif item_key in out:
                raise EvalError(f"duplicate key {item_key!r} in a for expression")
            else:
                out[item_key] = item
        return self.budget.built(node, out)


def _inside(path: str, directory: str) -> bool:
    try:
        return os.path.commonpath([path, directory]) == directory
    except ValueError:
        return False


_HANDLERS: dict[str, Callable[[Evaluator, Any, Scope], Any]] = {
    "expr_term": Evaluator._expr_term,
    "string": Evaluator._string,
    "heredoc_template": Evaluator._heredoc,
    "heredoc_template_trim": Evaluator._heredoc,
    "tuple": Evaluator._tuple,
    "object": Evaluator._object,
    "literal_value": Evaluator._literal,
    "int_lit": Evaluator._int,
    "float_lit": Evaluator._float,
    "conditional": Evaluator._conditional,
    "unary_op": Evaluator._unary,
    "binary_op": Evaluator._binary,
    "identifier": Evaluator._identifier,
    "function_call": Evaluator._function,
    "for_tuple_expr": Evaluator._for,
    "for_object_expr": Evaluator._for,
    **{kind: Evaluator._traversal for kind in _TRAVERSALS},
}

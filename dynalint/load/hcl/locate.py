"""Where in the ``.tf`` files a finding's attribute path is written: the line and column of the attribute or
nested block a finding is about.

A finding's ``path`` names an attribute of its resource, dotted, with a block
key where a block type repeats: ``read_capacity``,
``global_secondary_index.byEmail.projection_type``, ``replica.eu-west-1``,
``attribute.region``, ``policy.Statement.AllowRead.Principal``. The path is
walked through the resource block's source:

- an attribute is found by name; a nested block by type, and among several by
  its key: a block whose ``name`` / ``region_name`` (then any attribute)
  evaluates to the key, or the block at that position. Keys are evaluated in
  the instance's scope (``each.key``, ``count.index``, variables), so
  ``for_each``/``count`` instances and computed names find their block.
- a ``dynamic "replica"`` block stands for the blocks it makes: the walk goes
  on in its ``content`` (every block it makes is written there).
- an attribute whose value is an object (``jsonencode({...})``, a map, a list
  of objects such as a policy's statements) is walked on by key, by ``Sid`` /
  ``name``, or by position.
- a value that comes from outside the block is followed to where it is
  written for this instance: ``var.x`` in a module to the argument of the
  module call (through every level of modules), ``each.value.x`` to the
  element of a ``for_each`` object written in the same block. A module's
  default, a ``local`` or a ``.tfvars`` file is not followed: the attribute
  stays the place to look.

A multi-line value (a policy, a map) is located at its first line: the
attribute's name, or the key of the object element. SARIF regions stay one
line (code scanning annotates a pull request only where the whole region is
in its diff).

The walk stops at the deepest part of the path the source writes: a finding
about a missing attribute points at the block that should hold it (the
resource block itself when that is the block). The location keeps
``path``: the part of the finding's path it is the place of (None for the
resource block).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from dynalint import address as addr
from dynalint.load.hcl.evaluator import Evaluator
from dynalint.load.hcl.module_tree import ModuleDir, TfBlock, split_address
from dynalint.load.hcl.scopes import ModuleInstance, Scope, _index_text
from dynalint.load.hcl.syntax import (
    _flatten,
    _function_name,
    _literal_key,
    _trees,
    _unwrap,
    attribute_parts,
    block_parts,
    body_items,
)
from dynalint.model import Source

#: Attributes that name a block among its siblings, tried first when a path step is a block key.
KEY_ATTRIBUTES = ("name", "region_name", "Sid", "sid")
#: Functions whose one argument is the value a path walks on.
_TRANSPARENT = frozenset({"jsonencode", "yamlencode", "tolist", "toset", "tomap"})
#: JSON policy keys and the blocks and arguments of an ``aws_iam_policy_document`` that write them.
_DOCUMENT_NAMES = {
    "Statement": "statement",
    "Sid": "sid",
    "Effect": "effect",
    "Action": "actions",
    "NotAction": "not_actions",
    "Resource": "resources",
    "NotResource": "not_resources",
    "Principal": "principals",
    "NotPrincipal": "not_principals",
    "Condition": "condition",
}
#: Modules followed upwards at most (a module tree is at most 32 deep; see dynalint.load.hcl.module_tree).
_MAX_FOLLOW = 64


@dataclass(frozen=True)
class _Spot:
    """Where the walk stands: a Lark node, the file it is in, the scope its expressions are evaluated in."""

    node: Any
    file: str
    scope: Scope
    path: str | None


class PathLocator:
    """``(address, path) -> Source`` for the resources of one module tree; built lazily, cached.

    ``evaluator`` makes the Evaluator the keys are read with: for ``.tf`` input
    the one that built the model, for a plan one fed with the plan's variables.
    """

    def __init__(self, tree: dict[tuple[str, ...], ModuleDir], evaluator: Callable[[], Evaluator]) -> None:
        self._tree = tree
        self._make_evaluator = evaluator
        self._evaluator: Evaluator | None = None
        self._cache: dict[tuple[str, str], Source | None] = {}
        self._instances: dict[str, tuple[TfBlock, Scope] | None] = {}
        self._expanded: dict[tuple[str, str], dict[str, dict]] = {}
        self._strings_of: dict[tuple[int, int], tuple[Scope, dict[str, str]]] = {}  # (body, scope) ids
        self._choices: dict[tuple[int, int], tuple] = {}  # (blocks, scope) ids -> _Choices, the two kept alive
        self._bodies: dict[int, tuple[Any, dict[str, Any], dict[str, list[Any]]]] = {}
        self._files = {key: file for module in tree.values() for key, file in module.override_items.items()}

    def __call__(self, address: str, path: str) -> Source | None:
        key = (address, path)
        if key not in self._cache:
            try:
                self._cache[key] = self._locate(address, path)
            except (RecursionError, ValueError, TypeError, AttributeError, IndexError, KeyError):
                self._cache[key] = None  # a shape the walk does not know: the resource block stays the place
        return self._cache[key]

    @property
    def evaluator(self) -> Evaluator:
        if self._evaluator is None:
            self._evaluator = self._make_evaluator()
        return self._evaluator

    # ------------------------------------------------------------ the resource instance
    def _locate(self, address: str, path: str) -> Source | None:
        if address not in self._instances:  # a resource often has several findings
            found = self._instance(address)
            self._instances[address] = None if found is None else (found[1], Scope(found[0], found[2]))
        entry = self._instances[address]
        if entry is None:
            return None
        block, scope = entry
        spot = self._walk(block.body, path.split("."), _Spot(None, block.file, scope, None), block)
        if spot.node is None:
            return None
        meta = spot.node.meta
        return Source(
            file=spot.file,
            start_line=meta.line,
            end_line=meta.end_line,
            start_column=meta.column,
            kind="tf",
            path=spot.path,
        )

    def _instance(self, address: str) -> tuple[ModuleInstance, TfBlock, dict] | None:
        """The module instance, the resource block and the names (``each``/``count``) of one instance."""
        evaluator = self.evaluator
        if evaluator.root is None:
            return None
        module_address, local = split_address(address)
        instance = evaluator.root
        parts = addr.steps(module_address) if module_address else ()
        for i in range(1, len(parts), 2):
            name, index = parts[i]
            children = evaluator.children(instance, name)
            wanted = addr.join(instance.address, f"module.{name}{index}")
            found = next((c for c in children if c.address == wanted), None) or _unknown_instance(children)
            if found is None:
                return None
            instance = found
        block = instance.module.resources.get(local)
        if block is None:
            return None
        names = self._expansions(instance, local, block).get(address)
        return instance, block, names or {"count": {"index": None}, "each": {"key": None, "value": None}}

    def _expansions(self, instance: ModuleInstance, local: str, block: TfBlock) -> dict[str, dict]:
        """Each instance address of a resource block -> its names (``each``/``count``): the block's
        ``for_each`` or ``count`` evaluated once, not once per instance located (a for_each over a thousand
        tables would be evaluated a thousand times)."""
        key = (instance.address, local)
        found = self._expanded.get(key)
        if found is None:
            found = self._expanded[key] = {}
            for index, names, _origins in self.evaluator._expand(block.body, Scope(instance, {})):
                found.setdefault(addr.join(instance.address, local + _index_text(index)), names)
        return found

    # ------------------------------------------------------------ the walk
    def _walk(self, body: Any, steps: list[str], spot: _Spot, owner: Any) -> _Spot:
        """Follow ``steps`` down from a block body; the deepest spot the source writes."""
        done: list[str] = []
        while steps:
            name = steps[0]
            item = self._item(body, name)
            if item is not None and item.data == "attribute":
                spot = self._at(item, spot, done + [name])
                return self._value(attribute_parts(item)[1], steps[1:], spot, done + [name], owner)
            blocks = self._blocks(body, name)
            if not blocks:
                return spot
            chosen, used = self._choose(blocks, steps[1:], spot)
            if chosen is None:
                return spot
            node, inner, scope = chosen
            done = done + steps[: 1 + used]
            spot = replace(self._at(node, spot, done), scope=scope)
            body, steps = inner, steps[1 + used :]
        return spot

    def _item(self, body: Any, name: str) -> Any:
        """The attribute ``name`` of a body, or None."""
        return self._indexed(body)[1].get(name)

    def _blocks(self, body: Any, kind: str) -> list[Any]:
        """The nested blocks of a type (``dynamic "kind"`` blocks included), in source order."""
        return self._indexed(body)[2].get(kind, [])

    def _indexed(self, body: Any) -> tuple[Any, dict[str, Any], dict[str, list[Any]]]:
        """A body's attributes by name and blocks by type, read once per body (a resource has many findings)."""
        if id(body) not in self._bodies:
            attributes: dict[str, Any] = {}
            blocks: dict[str, list[Any]] = {}
            for item in body_items(body):
                if item.data == "attribute":
                    attributes.setdefault(attribute_parts(item)[0], item)
                else:
                    kind, labels, _ = block_parts(item)
                    blocks.setdefault(labels[0] if kind == "dynamic" and labels else kind, []).append(item)
            self._bodies[id(body)] = (body, attributes, blocks)  # the body is kept alive with its id
        return self._bodies[id(body)]

    def _at(self, node: Any, spot: _Spot, done: list[str] | str | None) -> _Spot:
        """The spot of ``node`` (in an override file where it was merged from one), for the path ``done``."""
        path = ".".join(done) if isinstance(done, list) else done
        return _Spot(node, self._files.get(id(node), spot.file), spot.scope, path)

    def _choose(self, blocks: list[Any], rest: list[str], spot: _Spot) -> tuple[tuple | None, int]:
        """The block a path step names, and how many of the next steps its key took: ((node, body, scope), n).

        A single block is taken as it is when the next step names something in it (or nothing follows).
        """
        candidates, by_key, by_value = self._choices_of(blocks, spot.scope)
        if len(candidates) == 1 and (not rest or self._names_inside(candidates[0][1], rest[0])):
            node, body, scope, _values = candidates[0]
            return (node, body, scope), 0
        for size in range(len(rest), 0, -1):  # a key may hold dots: "by.email"
            key = ".".join(rest[:size])
            first = by_key.get(key, by_value.get(key))
            if first is not None:
                node, body, scope, _values = candidates[first]
                return (node, body, scope), size
        if rest and rest[0].isdigit():
            position = int(rest[0])
            static = [c for c in candidates if not c[3].get("__dynamic__")]
            if len(static) == len(candidates) and position < len(static):
                node, body, scope, _values = static[position]
                return (node, body, scope), 1
        dynamic = [c for c in candidates if c[3].get("__dynamic__")]
        if len(dynamic) == 1:  # a key no written block has: the one dynamic block makes it
            node, body, scope, _values = dynamic[0]
            return (node, body, scope), 1 if rest and not self._names_inside(body, rest[0]) else 0
        if len(candidates) == 1 and not any(k in candidates[0][3] for k in KEY_ATTRIBUTES):
            node, body, scope, _values = candidates[0]  # its key is not known here: it is the one block there is
            return (node, body, scope), 0
        return None, 0

    def _choices_of(self, blocks: list[Any], scope: Scope) -> tuple[list[tuple], dict[str, int], dict[str, int]]:
        """The candidates of blocks of one type in a scope, with the first of them that each string names: by a
        key attribute (``name``, ``region_name``, ``Sid``), and by any attribute. Made once per list of blocks
        and scope: a table's findings on its GSIs each chose among all of them, at the square of their number."""
        key = (id(blocks), id(scope))
        if key not in self._choices:
            candidates = [self._candidate(b, scope) for b in blocks]
            by_key: dict[str, int] = {}
            by_value: dict[str, int] = {}
            for index, (_node, _body, _scope, values) in enumerate(candidates):
                for name in KEY_ATTRIBUTES:
                    if isinstance(values.get(name), str):
                        by_key.setdefault(values[name], index)
                for value in values.values():
                    if isinstance(value, str):
                        by_value.setdefault(value, index)
            self._choices[key] = (blocks, scope, candidates, by_key, by_value)
        return self._choices[key][2:]

    def _candidate(self, block: Any, scope: Scope) -> tuple[Any, Any, Scope, dict]:
        """(node, the body the walk goes on in, its scope, its attributes' string values) of one block."""
        kind, labels, body = block_parts(block)
        if kind != "dynamic":
            return block, body, scope, self._strings(body, scope)
        content = next((b for b in body_items(body) if b.data == "block" and block_parts(b)[0] == "content"), None)
        inner = block_parts(content)[2] if content is not None else body
        iterator = labels[0] if labels else "each"
        for name, expr in (attribute_parts(i) for i in body_items(body) if i.data == "attribute"):
            if name == "iterator":
                iterator = (
                    str(_unwrap(expr).children[0]) if getattr(_unwrap(expr), "data", None) == "identifier" else iterator
                )
        unknown = scope.bind(**{iterator: {"key": None, "value": None}})
        return block, inner, unknown, {"__dynamic__": True}

    def _strings(self, body: Any, scope: Scope) -> dict[str, str]:
        """The attributes of a block body whose values are strings (what a path's block key can be)."""
        key = (id(body), id(scope))
        if key not in self._strings_of:
            out = {}
            for item in body_items(body):
                if item.data == "attribute":
                    name, expr = attribute_parts(item)
                    value = self.evaluator.ev(expr, scope)
                    if isinstance(value, str):
                        out[name] = value
            self._strings_of[key] = (scope, out)  # the scope is kept alive, so that its id is not reused
        return self._strings_of[key][1]

    def _names_inside(self, body: Any, name: str) -> bool:
        return self._item(body, name) is not None or bool(self._blocks(body, name))

    # ------------------------------------------------------------ values: objects, lists, where they come from
    def _value(self, expr: Any, steps: list[str], spot: _Spot, done: list[str], owner: Any) -> _Spot:
        """Walk on inside an attribute's value, or follow it to where it is written for this instance.

        ``steps`` ends with what is left of the finding's path; steps a followed
        reference adds in front (``var.capacity.read``: "read") are not part of it.
        """
        own = len(steps)  # how many of ``steps`` (the last ones) belong to the finding's path
        for _ in range(_MAX_FOLLOW):
            node = _unwrap(expr)
            kind = getattr(node, "data", None)
            if kind == "function_call" and _function_name(node) in _TRANSPARENT and len(_trees_of_call(node)) == 1:
                expr = _trees_of_call(node)[0]
                continue
            found = None
            if steps and kind == "object":
                found = self._object_element(node, steps, spot)
            elif steps and kind == "tuple":
                element = self._tuple_element(node, steps[0], spot)
                found = (element, 1) if element is not None else None
            if found is not None:
                element, used = found
                taken = max(0, used - (len(steps) - own))
                done, own = done + steps[len(steps) - own :][:taken], own - taken
                spot = self._at(element, spot, done)
                expr, steps = element.children[-1] if element.data == "object_elem" else element, steps[used:]
                continue
            if steps and kind in ("object", "tuple"):
                return spot
            document = self._policy_document(node, spot, steps, own)
            if document is not None:
                return document
            followed = self._follow(node, spot, owner)
            if followed is None:
                return spot
            expr, more, spot, owner = followed
            steps = more + steps
        return spot

    def _policy_document(self, node: Any, spot: _Spot, steps: list[str], own: int) -> _Spot | None:
        """``data.aws_iam_policy_document.x.json``: the walk goes on in that block, JSON keys read as its
        block and argument names (``Statement.<Sid>.Principal`` -> the ``statement`` whose ``sid`` is it,
        its ``principals``)."""
        root, refs = _flatten(node)
        if (
            getattr(root, "data", None) != "identifier"
            or str(root.children[0]) != "data"
            or len(refs) != 3
            or any(r[0] != "attr" for r in refs)
            or refs[0][1] != "aws_iam_policy_document"
            or refs[2][1] != "json"
            or spot.scope.module is None
            or len(steps) != own
        ):
            return None
        block = spot.scope.module.module.resources.get(f"data.aws_iam_policy_document.{refs[1][1]}")
        if block is None:
            return None
        translated = [_DOCUMENT_NAMES.get(step, step) for step in steps]
        inner = self._walk(block.body, translated, _Spot(None, block.file, Scope(spot.scope.module, {}), None), block)
        if inner.node is None:
            return None
        prefix = f"{spot.path}." if spot.path else ""
        written = steps[: len(inner.path.split("."))] if inner.path else []
        return replace(inner, path=prefix + ".".join(written) if written else spot.path)

    def _object_element(self, node: Any, steps: list[str], spot: _Spot) -> tuple[Any, int] | None:
        elements = [e for e in _trees(node) if e.data == "object_elem"]
        for size in range(len(steps), 0, -1):
            key = ".".join(steps[:size])
            for element in elements:
                written = _literal_key(element.children[0])
                if written is None:
                    value = self.evaluator.ev(element.children[0].children[0], spot.scope)
                    written = value if isinstance(value, str) else None
                if written == key:
                    return element, size
        return None

    def _tuple_element(self, node: Any, key: str, spot: _Spot) -> Any:
        elements = _trees(node)
        for element in elements:
            inner = _unwrap(element)
            if getattr(inner, "data", None) == "object":
                value = self.evaluator.ev(inner, spot.scope)
                if isinstance(value, dict) and any(value.get(k) == key for k in KEY_ATTRIBUTES):
                    return element
        if key.isdigit() and int(key) < len(elements):
            return elements[int(key)]
        return None

    def _follow(self, node: Any, spot: _Spot, owner: Any) -> tuple[Any, list[str], _Spot, Any] | None:
        """``var.x.y`` -> the module call's ``x`` argument and ["y"]; ``each.value.x`` -> the for_each element."""
        root, steps = _flatten(node)
        if getattr(root, "data", None) != "identifier" or not steps or any(s[0] != "attr" for s in steps):
            return None
        name, names = str(root.children[0]), [s[1] for s in steps]
        module = spot.scope.module
        if name == "var" and module is not None and module.call is not None and module.parent is not None:
            argument = self._item(module.call.body, names[0])
            if argument is None:
                return None
            parent = _Spot(None, module.call.file, Scope(module.parent, module.call_names), spot.path)
            return attribute_parts(argument)[1], names[1:], self._at(argument, parent, spot.path), module.call
        if name == "each" and names[0] == "value" and owner is not None:
            key = spot.scope.names.get("each", {}).get("key")
            for_each = self._item(_body_of(owner), "for_each")
            if not isinstance(key, str) or for_each is None:
                return None
            collection = _unwrap(attribute_parts(for_each)[1])
            if getattr(collection, "data", None) != "object":
                return None
            found = self._object_element(collection, [key], spot)
            if found is None:
                return None
            element = found[0]
            return element.children[-1], names[1:], self._at(element, spot, spot.path), None
        return None


def _body_of(owner: Any) -> Any:
    return owner.body if isinstance(owner, TfBlock) else owner


def _trees_of_call(call: Any) -> list:
    arguments = next((c for c in call.children if getattr(c, "data", None) == "arguments"), None)
    return _trees(arguments) if arguments is not None else []


def _unknown_instance(children: list[ModuleInstance]) -> ModuleInstance | None:
    """A module instance the source cannot tell (count/for_each not known): the one unexpanded instance."""
    return children[0] if len(children) == 1 and children[0].index is None else None

"""``.tf`` directories to a Model: the Resources the plan loader builds, made from source.

A root module is a directory's ``*.tf`` files; local child modules (``source``
starting ``./`` or ``../``) are read recursively. Each resource block becomes
one Resource per instance, as a plan would show it:

- values: literal values as values; ``var.x`` from ``--var-file`` files, then
  ``*.auto.tfvars``, ``terraform.tfvars`` and the variable's ``default`` (the
  order Terraform applies them, later wins); literal locals; module inputs and
  outputs; arguments of other resources written in the configuration (their
  computed attributes, ``arn``, ``id``, ... are unknown); pure functions
  (``jsonencode``, ``merge``, ``format``, ``file``, ...), templates with their
  ``%{ if }``/``%{ for }`` directives, heredocs, and the ``json`` of an
  ``aws_iam_policy_document`` (which Terraform reads at plan time).
  Everything else is ``UNKNOWN``. An attribute the block leaves out is absent
  (the AWS default), as in a plan.
- blocks are lists of objects (``timeouts`` one object), as in plan JSON;
  ``dynamic`` blocks are expanded where their ``for_each`` is known, else the
  block type is ``UNKNOWN``.
- what an iterator's element refers to (``each.value.x``, a dynamic block's
  ``replica.value``): followed into the ``for_each`` expression and the module
  arguments to the one entry the instance was made of (ReferenceTracer), for
  the references and for the module inputs findings name (ModuleSetting);
  also for a plan read beside its tree (complete_plan_from_tf).
- ``count``/``for_each`` (on resources and module calls): a known count N gives
  ``x[0]``..``x[N-1]``, a known map or set ``x["k"]``. Where it is not known
  from the source (a plan would refuse it too), the block is linted once, at
  its address without an index, with ``count.index``/``each.*`` unknown.
- ``configured`` trees and references come from the same code as for plans
  (``dynalint.load.config``) fed with the expressions Terraform would write in
  the plan's ``configuration``; one addition: references made through locals
  are followed (a plan's configuration does not record them).
- the provider's ``region`` and ``default_tags`` where they are known, through
  ``provider = aws.west`` aliases and module ``providers`` maps.
- variables declared ``sensitive`` read as ``SENSITIVE``.
- ``partial_json``: a ``policy`` that is ``UNKNOWN`` as a whole (``jsonencode``
  or an ``aws_iam_policy_document`` around a new table's ARN) decoded as far
  as the source writes it, for the access rules.

Override files (``override.tf``, ``*_override.tf``) are merged into the blocks
they override (see dynalint.load.sources). Not read: ``*.tf.json`` files, the
results of other data sources, ``TF_VAR_*`` environment variables (CI secrets live
there); numbers written as strings stay strings where no variable type says
otherwise (a plan converts them with the provider's schema).
"""
from __future__ import annotations

import base64
import decimal
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from dynalint import address as addr
from dynalint.errors import InputError
from dynalint.load import sources as src
from dynalint.load.config import Configuration
# the plan loader's own steps, shared on purpose
from dynalint.load.plan import (build_resources, collect_secrets, reference_resolver, resolve_scoped,
                                settle_unknown_from_source)
from dynalint.model import SENSITIVE, UNKNOWN, Model, ModuleSetting, Resource, Unresolved, is_known

META_ARGUMENTS = frozenset({"count", "for_each", "provider", "depends_on"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
MODULE_ARGUMENTS = frozenset({"source", "version", "providers", "count", "for_each", "depends_on"})
#: Attributes that hold a JSON document the access rules can judge when it is known only in part.
PARTIAL_DOCUMENTS = frozenset({"policy"})
SINGLE_BLOCKS = frozenset({"timeouts"})  # nesting "single" in the aws provider schema: an object, not a list
_MISSING = object()


def load_tf_inputs(paths: Sequence[str], var_files: Iterable[str] = ()) -> list[Model]:
    """One Model per Terraform root module named by ``paths`` (directories and .tf files).

    ``.tf`` files stand for their directory (pre-commit passes the changed
    files); a directory without .tf files is searched for root modules below
    it. A directory that another named root calls as a local module is linted
    as part of that root, not again on its own.
    """
    roots = _root_dirs(paths)
    cache: dict[str, src.ModuleDir] = {}
    trees = [(root, shown, src.module_tree(root, shown, cache=cache)) for root, shown in roots]
    called = {os.path.realpath(m.directory) for _, _, tree in trees for path, m in tree.items() if path}
    return [load_hcl(root, shown, var_files, tree) for root, shown, tree in trees
            if os.path.realpath(root) not in called]


def _root_dirs(paths: Sequence[str]) -> list[tuple[Path, str]]:
    out: dict[str, tuple[Path, str]] = {}
    for path in paths:
        given = Path(path)
        if not given.exists():
            what = "a symbolic link to nothing, or a link loop" if given.is_symlink() else "no such file or directory"
            raise InputError(f"{path}: {what}")
        directory = given if given.is_dir() else given.parent
        shown = src.display_path("", str(directory)) if str(directory) not in ("", ".") else ""
        found = [(directory, shown)] if src.tf_files(directory) else _roots_below(directory, shown)
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
        if directory != str(top) and src.tf_files(Path(directory)):
            relative = os.path.relpath(directory, top)
            found.append((Path(directory), src.display_path(shown, relative)))
    return found


def load_hcl(root: Path, shown: str, var_files: Iterable[str] = (),
             tree: dict[tuple[str, ...], src.ModuleDir] | None = None) -> Model:
    """Read the module tree under ``root`` and build its Model (an InputError on a syntax error)."""
    from dynalint.load.locate import PathLocator  # it reads keys with this module's Evaluator

    tree = tree if tree is not None else src.module_tree(root, shown)
    inputs, warnings = root_inputs(root, shown, tree[()], var_files)
    evaluator = Evaluator(tree, inputs)
    raw, expressions = evaluator.build()
    config = Configuration(expressions, {k: {"value": v} for k, v in evaluator.root_values().items()})
    raw = [(*entry[:-1], config.configured(entry[4], entry[5])) for entry in raw]
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


def complete_plan_from_tf(resources: tuple[Resource, ...], tree: dict[tuple[str, ...], src.ModuleDir],
                          doc: Any) -> tuple[tuple[Resource, ...], frozenset[str], list[str]]:
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
    refs = reference_resolver(Configuration(_mapping(doc.get("configuration")), given),
                              [(r.address, r.module) for r in resources]) if iterated else None
    out = []
    for resource in resources:
        instance = found.get(resource.address)
        if instance is not None and resource.address in partial and instance.partial_json:
            resource = replace(resource, partial_json=instance.partial_json)
        if instance is not None and resource.address in iterated:
            resource = settle_unknown_from_source(resource, instance.values)
            resource = replace(resource, module_settings=resource.module_settings + tuple(instance.module_settings))
            if instance.iterator_references:
                resource = replace(resource, references=tuple(resolve_scoped(
                    refs, instance.iterator_references, resource.address, resource.references)))
        out.append(resource)
    return tuple(out), frozenset(evaluator.secrets), evaluator.trace_warnings()


def _uses_iterators(tree: dict[tuple[str, ...], src.ModuleDir], address: str) -> bool:
    """Whether the .tf block of a resource has ``for_each`` or a ``dynamic`` block (what a plan's
    configuration cannot follow)."""
    try:
        module_address, local = src.split_address(address)
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
            kind, _labels, body = src.block_parts(item)
            if kind == "dynamic":
                return True
            stack.append(body)
    return False


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def plan_evaluator(tree: dict[tuple[str, ...], src.ModuleDir], variables: Any) -> "Evaluator":
    """An Evaluator of the .tf tree a plan was made of, fed with the plan's own ``variables`` values."""
    given = variables if isinstance(variables, dict) else {}
    return Evaluator(tree, {name: v["value"] for name, v in given.items() if isinstance(v, dict) and "value" in v})


def _remote_modules(tree: dict[tuple[str, ...], src.ModuleDir]) -> list[str]:
    """A note for each module call whose source is not a local directory: its resources are not linted."""
    out = []
    for path, module in sorted(tree.items()):
        for name, call in sorted(module.calls.items()):
            if path + (name,) not in tree:
                source = src.literal_string(dict(_attributes(call.body)).get("source")) or "(not a literal)"
                out.append(f"{call.file}:{call.start_line}: module \"{name}\" comes from {source}, which is not in "
                           "this tree: its resources are not linted (lint a plan to check them)")
    return out


def _from_tf(resource: Any, evaluator: "Evaluator") -> Any:
    """What only the .tf source gives a resource: its block's lines, ignore comments, documents known in part,
    its lifecycle."""
    from dynalint.load.lifecycle import lifecycle_of  # it reads the syntax tree with this module's helpers

    module, local = evaluator.block_of[resource.address]
    block = module.resources[local]
    return replace(resource, source=block.source, ignores=module.ignores.get(local, ()),
                   partial_json=evaluator.partial.get(resource.address, {}), lifecycle=lifecycle_of(block))


def _unique(modules: Iterable[src.ModuleDir]) -> list[src.ModuleDir]:
    seen: dict[int, src.ModuleDir] = {}
    for m in modules:
        seen.setdefault(id(m), m)
    return list(seen.values())


# ---------------------------------------------------------------------- root variable values
def root_inputs(root: Path, shown: str, module: src.ModuleDir, var_files: Iterable[str]) -> tuple[dict, list[str]]:
    """Root variable values from tfvars files, in Terraform's order (later files win)."""
    files = [root / "terraform.tfvars", root / "terraform.tfvars.json"]
    files += sorted(p for p in _listdir(root) if p.name.endswith((".auto.tfvars", ".auto.tfvars.json")))
    files = [p for p in files if p.is_file()] + [Path(f) for f in var_files]
    values: dict[str, Any] = {}
    for path in files:
        where = src.display_path(shown, path.name) if path.parent == root else str(path)
        values.update(_read_tfvars(path, where))
    warnings = []
    missing = sorted(n for n, b in module.variables.items() if n not in values and not _has_default(b))
    if missing:
        names = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        warnings.append(f"{shown or '.'}: no value for variable(s) {names} (no default, not in a .tfvars file): "
                        "what depends on them counts as unknown; give values with --var-file")
    return values, warnings


def _listdir(directory: Path) -> list[Path]:
    try:
        return [directory / name for name in os.listdir(directory)]
    except OSError:
        return []


def _has_default(variable: src.TfBlock) -> bool:
    return any(item.data == "attribute" and src.attribute_parts(item)[0] == "default"
               for item in src.body_items(variable.body))


def _read_tfvars(path: Path, shown: str) -> dict[str, Any]:
    if not path.is_file():
        raise InputError(f"{shown}: no such variables file")
    text = src.read_tf_text(path, shown)
    if path.name.endswith(".json"):
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise InputError(f"{shown}: not valid JSON: {exc}") from None
        if not isinstance(doc, dict):
            raise InputError(f"{shown}: a .tfvars.json file holds one JSON object")
        return doc
    body = src.parse_tf(text, shown).children[0]
    literal = Evaluator({}, {})
    values = {}
    for item in src.body_items(body):
        if item.data == "attribute":
            name, expr = src.attribute_parts(item)
            try:
                values[name] = plain(literal.ev(expr, Scope(None, {})))
            except TooLarge as exc:
                raise TooLarge(shown, exc.line, exc.what) from None
    return values


# ---------------------------------------------------------------------- values
class Partial(dict):
    """A resource instance as an expression sees it: attributes it does not configure are computed (unknown).

    ``partial_json`` holds the instance's documents known only in part (see ``Evaluator.partial_json``).
    """

    def __init__(self, values: Mapping[str, Any], partial_json: Mapping[str, Any] | None = None) -> None:
        super().__init__(values)
        self.partial_json = partial_json or {}


class Outputs:
    """A module instance's outputs, evaluated on first use."""

    def __init__(self, evaluator: "Evaluator", instance: "ModuleInstance") -> None:
        self.evaluator, self.instance = evaluator, instance

    def get(self, name: str) -> Any:
        return self.evaluator.output(self.instance, name)

    def materialize(self) -> dict:
        return {name: self.get(name) for name in sorted(self.instance.module.outputs)}


def plain(value: Any) -> Any:
    """A value as it goes into a Resource: whole resource objects unknown, whole numbers as int."""
    if isinstance(value, Partial):
        return UNKNOWN
    if isinstance(value, Outputs):
        return plain(value.materialize())
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _opaque(values: Iterable[Any]) -> Any:
    """UNKNOWN if any value is unknown, else SENSITIVE if any is sensitive, else None."""
    found = None
    for v in values:
        if v is UNKNOWN:
            return UNKNOWN
        if v is SENSITIVE:
            found = SENSITIVE
    return found


def _deep_opaque(value: Any) -> Any:
    stack, found = [value], None
    while stack:
        v = stack.pop()
        if v is UNKNOWN or isinstance(v, Partial):
            return UNKNOWN
        if v is SENSITIVE:
            found = SENSITIVE
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, Outputs):
            stack.append(v.materialize())
    return found


class EvalError(Exception):
    """An expression Terraform itself would reject (wrong type, missing key): its value is unknown."""


# The evaluation budget (issue 14): a kilobyte of .tf can double a list forty times. A value built by an
# expression holds at most MAX_VALUE_CELLS characters and elements (a part used twice counts twice, as it would
# once written out), a number at most MAX_INT_BITS bits, and one evaluation spends at most MAX_WORK_CELLS on
# what it builds and iterates (an iteration of a `for`, or an instance, costs ITERATION_CELLS: about 6 µs,
# where a cell built costs well under one). A large real configuration (thousands of instances, each with a
# policy document) spends a few tens of millions. Past a bound the input is refused (exit 2 with file:line).
MAX_VALUE_CELLS = 4 * 1024 * 1024
MAX_WORK_CELLS = 128 * 1024 * 1024
ITERATION_CELLS = 64
MAX_INT_BITS = 64 * 1024


class TooLarge(InputError):
    """An expression that builds more than the evaluation budget allows; the message names its file and line."""

    def __init__(self, where: str, line: int | None, what: str) -> None:
        self.line, self.what = line, what
        place = ":".join(str(p) for p in (where, line) if p)
        super().__init__(f"{place + ': ' if place else ''}this expression {what}: too large for dynalint to "
                         "evaluate")


def cells(value: Any, limit: int = MAX_VALUE_CELLS) -> int:
    """The characters and elements of a value as written out: a part used twice counts twice, yet is walked
    once. Stops counting past ``limit``."""
    if isinstance(value, str):
        return len(value)
    if not isinstance(value, (list, dict)):
        return 1
    sizes: dict[int, int] = {}
    stack = [value]
    while stack:
        node = stack[-1]
        if id(node) in sizes:
            stack.pop()
            continue
        children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
        pending = [c for c in children if isinstance(c, (list, dict)) and id(c) not in sizes]
        if pending:  # sized first; this node is looked at again after them
            stack.extend(pending)
            continue
        total = len(node)
        for child in children:
            if isinstance(child, str):
                total += len(child)
            elif isinstance(child, (list, dict)):
                total += sizes[id(child)]
            else:
                total += 1
        sizes[id(node)] = total
        stack.pop()
        if total > limit:
            return total
    return sizes[id(value)]


# ---------------------------------------------------------------------- module instances and scopes
@dataclass(eq=False)
class ModuleInstance:
    address: str
    path: tuple[str, ...]
    module: src.ModuleDir
    parent: "ModuleInstance | None" = None
    call: src.TfBlock | None = None
    index: Any = None
    call_names: dict = field(default_factory=dict)  # count/each of this instance, seen by the call's arguments
    call_origins: dict = field(default_factory=dict)  # where its each.value comes from (see Origin)
    cache: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Origin:
    """Where the element an iterator stands for is written: ``node[key]``, ``node`` evaluated in ``scope``.

    ``each`` of a resource or module call with ``for_each``, the iterator of a
    ``dynamic`` block (both reached through ``.value``) and the value variable
    of a ``for`` expression (reached directly) have one. It lets the references
    of ``try(each.value.event_source_arn, null)`` be those of the one entry of
    the ``for_each`` map this instance was made of (see ReferenceTracer).
    """

    node: Any
    scope: "Scope"
    key: Any
    through_value: bool = True


@dataclass(frozen=True)
class Scope:
    """Where an expression is evaluated: a module instance, the names bound around it, and where the
    elements bound to iterator names come from (``origins``, for references; see Origin)."""

    module: ModuleInstance | None
    names: Mapping[str, Any]
    origins: Mapping[str, Origin] = field(default_factory=dict)

    def bind(self, **names: Any) -> "Scope":
        origins = {k: v for k, v in self.origins.items() if k not in names} if self.origins else self.origins
        return Scope(self.module, {**self.names, **names}, origins)

    def bind_element(self, name: str, value: Any, origin: Origin | None) -> "Scope":
        """``name`` bound to ``value``, the element ``origin`` locates (None: an element of unknown origin)."""
        origins = {k: v for k, v in self.origins.items() if k != name}
        if origin is not None:
            origins[name] = origin
        return Scope(self.module, {**self.names, name: value}, origins)


@dataclass
class Instance:
    address: str
    index: Any
    values: dict
    partial_json: dict = field(default_factory=dict)
    # (attribute path, module instance address, reference) for what its iterators' elements refer to
    iterator_references: list = field(default_factory=list)
    # inside a module: which module inputs set what its iterators write (see ReferenceTracer.iterator_facts)
    module_settings: list = field(default_factory=list)


def call_scope(module: ModuleInstance) -> Scope:
    """Where the arguments of the call that made a module instance are evaluated: its parent, with its
    count/each bound."""
    return Scope(module.parent, module.call_names, module.call_origins)


class Evaluator:
    """Evaluates expressions of one module tree, lazily and with a guard against reference cycles."""

    def __init__(self, tree: dict[tuple[str, ...], src.ModuleDir], inputs: dict[str, Any]) -> None:
        self.tree = tree
        self.inputs = inputs
        self.secrets: set[str] = set()
        self.block_of: dict[str, tuple[src.ModuleDir, str]] = {}
        self.partial: dict[str, dict] = {}  # address -> Instance.partial_json, for the Resources
        self.iterator_facts: dict[str, tuple[list, list]] = {}  # address -> (iterator_references, module_settings)
        self.trace_steps = 0  # taken by ReferenceTracer, against TRACE_BUDGET
        self.root = ModuleInstance("", (), tree[()]) if () in tree else None
        self._busy: set[tuple[int, str]] = set()
        self._templates: dict[str, Any] = {}
        self._local_refs: dict[tuple[int, str], list[str]] = {}
        self._providers: dict[str, dict] = {}
        self._work = 0  # characters, elements and iterations built so far (MAX_WORK_CELLS)

    # ------------------------------------------------------------ the walk
    def build(self) -> tuple[list, dict]:
        """Raw entries for the plan loader's ``_finish``, and the configuration document they refer to."""
        raw: list = []
        stack = [self.root]
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
        return [f"{root or '.'}: the references of for_each and dynamic block elements were followed for "
                f"{TRACE_BUDGET} steps and no further: some of them are not tied to what they name"]

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
                stack.extend(child for child in self.children(instance, name)
                             if any(block.startswith(child.address + ".") for block in blocks))
        return out

    def _raw(self, instance: ModuleInstance, local: str, item: Instance) -> tuple:
        block = instance.module.resources[local]
        data = block.kind == "data"
        entry = {"address": item.address, "mode": "data" if data else "managed", "type": block.labels[0],
                 "name": block.labels[1]}
        if item.index is not None:
            entry["index"] = item.index
        return (entry, item.values, None, instance.address, instance.path, local, None)

    def root_values(self) -> dict[str, Any]:
        """Root variables whose value is known, for ``Configuration`` (a variable that is null counts as unset)."""
        out = {}
        for name in self.root.module.variables if self.root else ():
            value = self.variable(self.root, name)
            if is_known(value):
                out[name] = plain(value)
        return out

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
            for index, names, origins in self._expand(block.body, scope):
                address = addr.join(module.address, local + _index_text(index))
                bound = Scope(module, names, origins)
                values = self.body_values(block.body, bound, top=True)
                if block.kind == "data" and block.labels[0] in COMPUTED_DATA:
                    values.update(_computed(block.labels[0], values))
                references, settings = ReferenceTracer(self).iterator_facts(block.body, bound)
                found.append(Instance(address, index, values, self.partial_json(block, values, bound),
                                      references, settings))
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
            self._spend(meta["count"], ITERATION_CELLS * number, "makes instances")  # before they are made
            return [(i, {"count": {"index": i}}, {}) for i in range(number)]
        if "for_each" in meta:
            pairs = _for_each_pairs(self.ev(meta["for_each"], scope))
            if pairs is None:
                return [(None, {"each": {"key": UNKNOWN, "value": UNKNOWN}}, {})]
            self._spend(meta["for_each"], ITERATION_CELLS * len(pairs), "makes instances")
            return [(k, {"each": {"key": k, "value": v}}, {"each": Origin(meta["for_each"], scope, k)})
                    for k, v in pairs]
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
        body = module.module.calls[name].body
        if not _has_meta(body):
            return (Outputs(self, instances[0]), rest) if instances else (UNKNOWN, [])
        if len(instances) == 1 and instances[0].index is None:
            return UNKNOWN, []  # count/for_each not known
        if _is_count(body):
            return [Outputs(self, i) for i in instances], rest
        return {i.index: Outputs(self, i) for i in instances}, rest

    def _resource_value(self, module: ModuleInstance, local: str) -> Any:
        block = module.module.resources.get(local)
        if block is None:
            return UNKNOWN
        found = self.instances(module, local)
        if not _has_meta(block.body):
            return Partial(found[0].values, found[0].partial_json) if found else UNKNOWN
        if len(found) == 1 and found[0].index is None:
            return UNKNOWN  # count/for_each not known
        if _is_count(block.body):
            return [Partial(i.values, i.partial_json) for i in found]
        return {i.index: Partial(i.values, i.partial_json) for i in found}

    # ------------------------------------------------------------ bodies
    def body_values(self, body: Any, scope: Scope, top: bool = False, leaf: Callable | None = None) -> dict:
        """A block body as plan JSON shows it: attributes, nested blocks as lists, dynamic blocks expanded.

        ``leaf(expr, scope)`` gives an attribute's value (default: ``plain(self.ev(expr, scope))``).
        """
        leaf = leaf or self._plain_value
        out: dict[str, Any] = {}
        for item in src.body_items(body):
            if item.data == "attribute":
                name, expr = src.attribute_parts(item)
                if not (top and name in META_ARGUMENTS):
                    out[name] = leaf(expr, scope)
                continue
            kind, labels, block_body = src.block_parts(item)
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
        content = next((b for b in _blocks(body) if src.block_parts(b)[0] == "content"), None)
        iterator = _identifier_name(settings.get("iterator")) or kind
        pairs = _iterate(self.ev(settings["for_each"], scope)) if "for_each" in settings else None
        if pairs is None or content is None or out.get(kind) is UNKNOWN:
            out[kind] = UNKNOWN
            return
        content_body = src.block_parts(content)[2]
        blocks = out.setdefault(kind, [])
        for key, value in pairs:
            blocks.append(self.body_values(content_body, scope.bind(**{iterator: {"key": key, "value": value}}),
                                           leaf=leaf))

    # ------------------------------------------------------------ documents known in part
    def partial_json(self, block: src.TfBlock, values: dict, scope: Scope) -> dict:
        """The policies of a resource instance that are UNKNOWN as a whole but written in part, decoded.

        ``jsonencode({... Resource = aws_dynamodb_table.orders.arn ...})`` is unknown
        until apply, yet its actions, principals and conditions are plain: the access
        rules judge those. Each piece known only after apply is an ``Unresolved``.
        An ``aws_iam_policy_document`` with such pieces gives its ``json`` this way.
        """
        if block.kind == "data":
            if block.labels[0] != "aws_iam_policy_document" or "json" in values:
                return {}
            document = _partial_policy_document(self.body_values(block.body, scope, top=True, leaf=self.draft))
            return {"json": document, "minified_json": document} if document else {}
        out = {}
        for name, expr in _attributes(block.body):
            if name in PARTIAL_DOCUMENTS and values.get(name) is UNKNOWN:
                document = self._document_draft(expr, scope)
                if isinstance(document, dict):
                    out[name] = document
        return out

    def _document_draft(self, expr: Any, scope: Scope) -> Any:
        """The document ``jsonencode(...)`` would give, or the one a reference (``data.x.json``) points at."""
        node = _unwrap(expr)
        kind = getattr(node, "data", None)
        if kind == "function_call":
            args = _argument_trees(node)
            return self.draft(args[0], scope) if _function_name(node) == "jsonencode" and len(args) == 1 else None
        if kind not in _TRAVERSALS:
            return None
        root, steps = _flatten(node)
        if getattr(root, "data", None) != "identifier" or not steps or steps[-1][0] != "attr":
            return None
        try:
            holder, rest = self._lookup(str(root.children[0]), steps[:-1], scope)
            holder = self._apply(holder, rest, scope)
        except (EvalError, TypeError, ValueError, KeyError, IndexError, AttributeError):
            return None
        return holder.partial_json.get(steps[-1][1]) if isinstance(holder, Partial) else None

    def draft(self, node: Any, scope: Scope) -> Any:
        """An expression's value with object and list constructors walked: what is known is plain, and each
        piece known only after apply is an ``Unresolved`` naming what its expression refers to."""
        node = _unwrap(node)
        kind = getattr(node, "data", None)
        if kind == "tuple":
            return [self.draft(e, scope) for e in _trees(node)]
        if kind == "object" and all(_literal_key(e.children[0]) is not None for e in _trees(node)):
            return {_literal_key(e.children[0]): self.draft(e.children[-1], scope) for e in _trees(node)}
        value = self.ev(node, scope)
        if _deep_opaque(value) is not UNKNOWN:
            return plain(value)
        module = scope.module.module if scope.module else self.tree[()]
        references = self.references(node, module, frozenset(scope.names))
        suffix = _reference_suffix(node)
        followed = None
        if suffix is not None and references and scope.module is not None:
            followed = self._output_reference(scope.module, references[0])
        return Unresolved(tuple(references), suffix, followed)

    def _output_reference(self, instance: ModuleInstance, reference: str) -> str | None:
        """``module.m.table_arn`` -> ``module.m.aws_dynamodb_table.this.arn`` where the output is that one
        reference (followed through nested modules); None otherwise, or when the call has count/for_each."""
        parts = reference.split(".")
        if len(parts) != 3 or parts[0] != "module" or parts[1] not in instance.module.calls:
            return None
        children = self.children(instance, parts[1])
        if len(children) != 1 or children[0].index is not None:
            return None
        child = children[0]
        block = child.module.outputs.get(parts[2])
        expr = dict(_attributes(block.body)).get("value") if block else None
        if expr is None or _reference_suffix(expr) != "":
            return None
        inner = self.references(expr, child.module, frozenset())
        if not inner:
            return None
        return f"module.{parts[1]}.{self._output_reference(child, inner[0]) or inner[0]}"

    # ------------------------------------------------------------ the budget
    def _spend(self, node: Any, amount: int, what: str = "builds") -> None:
        """Count ``amount`` cells built (or iterations, ``what="iterates"``) against the budget."""
        self._work += amount
        if what == "builds" and amount > MAX_VALUE_CELLS:
            problem = (f"builds a value of more than {MAX_VALUE_CELLS:,} characters and elements (or a number of "
                       f"more than {MAX_INT_BITS:,} bits)")
        elif self._work > MAX_WORK_CELLS:
            problem = (f"{what} past the budget of the whole configuration ({MAX_WORK_CELLS:,} characters and "
                       f"elements built, an iteration counting {ITERATION_CELLS})")
        else:
            return
        raise TooLarge(self._file_of(node), getattr(getattr(node, "meta", None), "line", None), problem)

    def _built(self, node: Any, value: Any) -> Any:
        """``value``, counted against the budget."""
        too_long = isinstance(value, int) and value.bit_length() > MAX_INT_BITS
        self._spend(node, MAX_VALUE_CELLS + 1 if too_long else cells(value))
        return value

    def _file_of(self, node: Any) -> str:
        """The .tf file that holds an expression (looked for only when the budget is exceeded)."""
        for module in self.tree.values():
            for file in module.files:
                for block in file.blocks:
                    if any(part is node for part in getattr(block.body, "iter_subtrees", lambda: ())()):
                        return block.file
        return ""

    # ------------------------------------------------------------ expressions
    def ev(self, node: Any, scope: Scope) -> Any:
        """The value of an expression: Python values, or UNKNOWN / SENSITIVE.

        Every value leaves here within MAX_VALUE_CELLS as written out: ``[local.a, local.a]`` shares ``a``
        and costs nothing to build, but what reads it (a rule, ``plain``) would write it out.
        """
        try:
            value = self._ev(node, scope)
        except (EvalError, TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError,
                OverflowError, RecursionError):
            return UNKNOWN
        if isinstance(value, (list, dict)) and cells(value) > MAX_VALUE_CELLS:
            self._spend(node, MAX_VALUE_CELLS + 1)
        return value

    def _ev(self, node: Any, scope: Scope) -> Any:
        kind = getattr(node, "data", None)
        handler = _HANDLERS.get(kind)
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
            self._spend(node, size)
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
                    self._spend(part[2], ITERATION_CELLS, "iterates")
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
        return self._built(node, _binary_op(operator, a, b))

    def _traversal(self, node: Any, scope: Scope) -> Any:
        root, steps = _flatten(node)
        if getattr(root, "data", None) == "identifier":
            value, rest = self._lookup(str(root.children[0]), steps, scope)
        else:
            value, rest = self._ev(root, scope), steps
        return self._apply(value, rest, scope)

    def _apply(self, value: Any, steps: list, scope: Scope) -> Any:
        for position, step in enumerate(steps):
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
            self._spend(node, MAX_VALUE_CELLS + 1)
        return self._built(node, function(*args))

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
            if not path.is_file() or path.stat().st_size > src.MAX_TF_BYTES:  # a pipe would block, a huge file swap
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
            self._spend(node, ITERATION_CELLS, "iterates")
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
        return self._built(node, out)

    # ------------------------------------------------------------ configuration document
    def _module_document(self, path: tuple[str, ...]) -> dict:
        """The module as a plan's ``configuration`` shows it: resources' expressions, calls, outputs."""
        module = self.tree[path]
        resources = []
        for local, block in module.resources.items():
            resources.append({"address": local, "mode": "data" if block.kind == "data" else "managed",
                              "type": block.labels[0], "name": block.labels[1],
                              "provider_config_key": self._provider_key(path, block),
                              "expressions": self.body_expressions(block.body, module, frozenset(), top=True)})
        calls = {}
        for name, call in module.calls.items():
            entry = {"source": src.literal_string(dict(_attributes(call.body)).get("source")) or "",
                     "expressions": {n: self.expression(e, module, frozenset())
                                     for n, e in _attributes(call.body) if n not in MODULE_ARGUMENTS}}
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

    def body_expressions(self, body: Any, module: src.ModuleDir, bound: frozenset, top: bool = False) -> dict:
        out: dict[str, Any] = {}
        for item in src.body_items(body):
            if item.data == "attribute":
                name, expr = src.attribute_parts(item)
                if not (top and name in META_ARGUMENTS):
                    out[name] = self.expression(expr, module, bound)
                continue
            kind, labels, block_body = src.block_parts(item)
            if top and kind in META_BLOCKS:
                continue
            if kind == "dynamic" and labels:
                settings = dict(_attributes(block_body))
                iterator = _identifier_name(settings.get("iterator")) or labels[0]
                for content in _blocks(block_body):
                    kind_, _, content_body = src.block_parts(content)
                    if kind_ == "content":
                        out.setdefault(labels[0], []).append(
                            self.body_expressions(content_body, module, bound | {iterator}))
            else:
                out.setdefault(kind, []).append(self.body_expressions(block_body, module, bound))
        return out

    def expression(self, expr: Any, module: src.ModuleDir, bound: frozenset) -> dict:
        """``{"constant_value": v}`` for a literal, ``{"references": [...]}`` for what it refers to, else {}."""
        refs = self.references(expr, module, bound)
        if refs:
            return {"references": refs}
        if _is_literal(expr):
            value = self.ev(expr, Scope(None, {}))
            if _deep_opaque(value) is None:
                return {"constant_value": plain(value)}
        return {}

    def references(self, expr: Any, module: src.ModuleDir, bound: frozenset) -> list[str]:
        """What an expression refers to, as a plan writes it (``aws_kms_key.main.arn``), locals followed."""
        found: list[str] = []
        _collect_refs(expr, bound, found, self)
        out: list[str] = []
        for ref in found:
            out.append(ref)
            if ref.startswith("local."):
                out.extend(self._local_references(module, ref.split(".")[1].split("[")[0]))
        return list(dict.fromkeys(out))

    def _local_references(self, module: src.ModuleDir, name: str) -> list[str]:
        key = (id(module), name)
        if key not in self._local_refs:
            self._local_refs[key] = []
            expr = _locals(module).get(name)
            if expr is not None:
                self._local_refs[key] = self.references(expr, module, frozenset())
        return self._local_refs[key]

    # ------------------------------------------------------------ providers
    def _provider_key(self, path: tuple[str, ...], block: src.TfBlock) -> str:
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

    def _provider_expressions(self, path: tuple[str, ...], block: src.TfBlock) -> dict:
        instance = self._first_instance(path)
        scope = Scope(instance, {})
        out = {}
        settings = dict(_attributes(block.body))
        if "region" in settings:
            region = plain(self.ev(settings["region"], scope))
            if isinstance(region, str):
                out["region"] = {"constant_value": region}
        for nested in _blocks(block.body):
            kind, _, body = src.block_parts(nested)
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


# ---------------------------------------------------------------------- references through iterators
_ABSENT = object()  # a key the traced value does not hold: lookup's default or try's next argument applies
_CONSTANT = object()  # (input mode) a value the module writes itself
_OPAQUE = object()  # (input mode) a part of the value the tracer could not follow
MAX_TRACE_DEPTH = 64
#: Steps ReferenceTracer may take in one load: enough for every public module tried (a few thousand), and a
#: bound on what a crafted tree can cost (locals that fork in two at each level would take 2**depth steps).
TRACE_BUDGET = 100_000


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

    def __init__(self, evaluator: "Evaluator") -> None:
        self.ev = evaluator
        self._input_mode = False  # set by inputs(): stop at the inputs of the module the root module calls

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

    def _walk(self, body: Any, scope: Scope, prefixes: tuple[str, str], top: bool, in_dynamic: bool,
              references: list, settings: list | None) -> None:
        for item in src.body_items(body):
            if item.data == "attribute":
                name, expr = src.attribute_parts(item)
                if top and name in META_ARGUMENTS:
                    continue
                iterated = _mentions(expr, scope.origins)
                if iterated:
                    path = _join(prefixes[0], name)
                    references.extend((path, module, ref) for module, ref in self.references(expr, scope))
                if settings is not None and (iterated or in_dynamic):
                    self._setting(_join(prefixes[1], name), expr, scope, settings)
                continue
            kind, labels, block_body = src.block_parts(item)
            if top and kind in META_BLOCKS:
                continue
            if kind == "dynamic" and labels:
                self._dynamic(labels[0], block_body, scope, prefixes, references, settings)
            else:
                self._walk(block_body, scope, (_join(prefixes[0], kind), _join(prefixes[1], kind)), False,
                           in_dynamic, references, settings)

    def _dynamic(self, kind: str, body: Any, scope: Scope, prefixes: tuple[str, str], references: list,
                 settings: list | None) -> None:
        meta = dict(_attributes(body))
        content = next((b for b in _blocks(body) if src.block_parts(b)[0] == "content"), None)
        if content is None or "for_each" not in meta:
            return
        block_paths = (_join(prefixes[0], kind), _join(prefixes[1], kind))
        if settings is not None:
            self._setting(block_paths[1], meta["for_each"], scope, settings, inputs_only=True)
        pairs = _iterate(self.ev.ev(meta["for_each"], scope))
        if pairs is None:
            return
        iterator = _identifier_name(meta.get("iterator")) or kind
        content_body = src.block_parts(content)[2]
        content_attributes = dict(_attributes(content_body))
        for key, value in pairs:
            element = scope.bind_element(iterator, {"key": key, "value": value}, Origin(meta["for_each"], scope, key))
            name = next((self.ev.ev(content_attributes[k], element) for k in ("name", "region_name")
                         if k in content_attributes), None)
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
        except (EvalError, TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError,
                _OutOfSteps):
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
                    found = found + [i for i in decided if isinstance(i, _Input)] if isinstance(decided, list) else found
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
        pairs = _iterate(self.ev.ev(collection, scope))
        if key is None or pairs is None or any(getattr(t, "type", None) == "ELLIPSIS" for t in node.children):
            return None
        position = 0
        for item_key, item in pairs:
            origin = Origin(collection, scope, item_key, through_value=False)
            element = scope.bind(**{names[0]: item_key}) if len(names) > 1 else scope
            element = element.bind_element(names[-1], item, origin)
            if condition is not None:
                keep = _to_bool(self.ev.ev(_trees(condition)[-1], element))
                if not is_known(keep):
                    return None
                if not keep:
                    continue
            if node.data == "for_object_expr":
                result_key = self.ev.ev(parts[0], element)
                if not is_known(result_key):
                    return None
                if _to_str(result_key) == _to_str(key):
                    return self._trace(parts[1], element, steps[1:], depth + 1)
            elif position == key:
                return self._trace(parts[0], element, steps[1:], depth + 1)
            position += 1
        return _ABSENT

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
            found = (self._trace(child, scope, [], depth + 1) if kind in _TRACED
                     else self._parts(child, scope, depth + 1))
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
            if step[0] == "index":
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
            text += f".{step[1]}" if step[0] == "attr" else f"[{json.dumps(step[1])}]"
        return text if "." in text else ""


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _mentions(expr: Any, names: Mapping[str, Any]) -> bool:
    """Whether an expression uses one of ``names`` (an iterator with an Origin)."""
    if not names or not hasattr(expr, "iter_subtrees"):
        return False
    return any(str(node.children[0]) in names for node in expr.iter_subtrees() if node.data == "identifier")

# ---------------------------------------------------------------------- tree helpers
def _function_name(call: Any) -> str:
    """A function call's name: ``jsonencode``, or ``provider::aws::arn_parse``."""
    return "::".join(str(c.children[0]) for c in call.children if getattr(c, "data", None) == "identifier")


def _arguments(call: Any) -> Any:
    """A function call's ``arguments`` tree (with its ELLIPSIS token, if any); None for no arguments."""
    return next((c for c in call.children if getattr(c, "data", None) == "arguments"), None)


def _argument_trees(call: Any) -> list:
    arguments = _arguments(call)
    return _trees(arguments) if arguments is not None else []


def _trees(node: Any) -> list:
    """The sub-trees of a node that carry meaning (tokens and comments left out)."""
    return [c for c in node.children if hasattr(c, "data") and c.data != "new_line_or_comment"]


def _inner(node: Any) -> Any:
    """The expression inside an ``expr_term`` (parentheses or not)."""
    return _trees(node)[0]


def _inside(path: str, directory: str) -> bool:
    try:
        return os.path.commonpath([path, directory]) == directory
    except ValueError:
        return False


def _unwrap(node: Any) -> Any:
    while getattr(node, "data", None) == "expr_term" and len(_trees(node)) == 1 and len(node.children) == 1:
        node = node.children[0]
    return node


def _attributes(body: Any) -> list[tuple[str, Any]]:
    return [src.attribute_parts(i) for i in src.body_items(body) if i.data == "attribute"]


def _blocks(body: Any) -> list:
    return [i for i in src.body_items(body) if i.data == "block"]


def _has_meta(body: Any) -> bool:
    return any(name in ("count", "for_each") for name, _ in _attributes(body))


def _is_count(body: Any) -> bool:
    return any(name == "count" for name, _ in _attributes(body))


def _locals(module: src.ModuleDir) -> dict[str, Any]:
    return {name: expr for block in module.locals for name, expr in _attributes(block.body)}


def _identifier_name(expr: Any) -> str | None:
    node = _unwrap(expr) if expr is not None else None
    return str(node.children[0]) if getattr(node, "data", None) == "identifier" else None


def _identifier_or_string(expr: Any) -> str | None:
    return _identifier_name(expr) or (src.literal_string(expr) if expr is not None else None)


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


def _for_names(intro: Any) -> list[str]:
    """The names a ``for`` binds (``k, v``); the last sub-tree of the intro is the collection."""
    return [str(c.children[0]) for c in _trees(intro)[:-1] if c.data == "identifier"]


def _flatten(node: Any) -> tuple[Any, list]:
    """A traversal ``a.b["c"][*].d`` -> (root node, [("attr","b"), ("index", node), ("splat", [...])])."""
    steps: list = []
    node = _unwrap(node)
    while True:
        kind = getattr(node, "data", None)
        if kind == "get_attr_expr_term":
            steps.insert(0, ("attr", _get_attr_name(node.children[1])))
        elif kind == "index_expr_term":
            steps.insert(0, _index_step(node.children[1]))
        elif kind in ("attr_splat_expr_term", "full_splat_expr_term"):
            splat = node.children[1]
            inner = [_get_attr_step(c) for c in splat.children if hasattr(c, "data")]
            steps = [("splat", inner + steps)]
        else:
            return node, steps
        node = _unwrap(node.children[0])


def _get_attr_name(get_attr: Any) -> str:
    return str([c for c in get_attr.children if hasattr(c, "data")][0].children[0])


def _get_attr_step(node: Any) -> tuple:
    return ("attr", _get_attr_name(node)) if node.data == "get_attr" else _index_step(node)


def _index_step(node: Any) -> tuple:
    if node.data == "short_index":
        return ("index", _IntNode(str(node.children[-1])))
    return ("index", _trees(node)[0])


class _IntNode:
    """A ``.0`` short index, shaped like an ``int_lit`` tree."""

    data = "int_lit"

    def __init__(self, text: str) -> None:
        self.children = [text]


def _literal_key(key_node: Any) -> str | None:
    """An object key written as a bare name or a plain string is literal text; None for an expression key."""
    inner = key_node.children[0]
    if getattr(inner, "data", None) == "keyword":
        return str(inner.children[0])
    node = _unwrap(inner)
    if getattr(node, "data", None) == "identifier" and not (getattr(inner, "data", None) == "expr_term"
                                                             and len(inner.children) > 1):
        return str(node.children[0])
    text = src.literal_string(node)
    if text is not None:
        return _unescape(text)
    if getattr(node, "data", None) in ("int_lit", "float_lit"):
        return str(node.children[0])
    return None


def _string_parts(node: Any) -> list | None:
    """A quoted string as a template (see ``_template_tree``); None when its directives do not nest."""
    flat: list = []
    for part in node.children:
        if getattr(part, "data", None) != "string_part":
            continue
        content = part.children[0]
        kind = getattr(content, "type", None) or getattr(content, "data", None)
        if kind == "STRING_CHARS":
            flat.append(("text", _unescape(str(content))))
        elif kind in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
            flat.append(("text", str(content)[1:]))
        elif kind == "interpolation":
            flat.append(("expr", _trees(content)[0], False, False))
        else:
            flat.append(_directive_part(content))
    return _nest(_apply_strips(flat))


def _directive_part(node: Any) -> tuple:
    """A ``%{ ... }`` of a quoted string (python-hcl2 parses those) as a flat template part."""
    tokens = node.children
    strips = (getattr(tokens[1], "type", None) == "STRIP_MARKER", getattr(tokens[-2], "type", None) == "STRIP_MARKER")
    keyword = node.data.replace("template_", "").replace("_start", "")
    if keyword == "if":
        return ("if", _trees(node)[-1], *strips)
    if keyword == "for":
        trees = _trees(node)
        return ("for", ([str(t.children[0]) for t in trees[:-1]], trees[-1]), *strips)
    return (keyword, None, *strips)


def _apply_strips(flat: list) -> list:
    """A ``~`` strip marker removes the whitespace of the literal piece next to it."""
    flat = list(flat)
    for i, part in enumerate(flat):
        if part[0] == "text":
            continue
        if part[2] and i > 0 and flat[i - 1][0] == "text":
            flat[i - 1] = ("text", flat[i - 1][1].rstrip())
        if part[3] and i + 1 < len(flat) and flat[i + 1][0] == "text":
            flat[i + 1] = ("text", flat[i + 1][1].lstrip())
    return flat


def _nest(flat: list) -> list | None:
    """Flat template parts -> nested ones: ("text", s), ("expr", node), ("if", cond, then, else),
    ("for", names, collection, body); None when the directives do not nest."""
    root: list = []
    stack: list[tuple[str, list, list]] = []  # (kind, the part being built, where its body goes)
    current = root
    for part in flat:
        kind = part[0]
        if kind in ("text", "expr"):
            current.append(part[:2])
        elif kind in ("if", "for"):
            built = ["if", part[1], [], []] if kind == "if" else ["for", part[1][0], part[1][1], []]
            current.append(built)
            stack.append((kind, built, current))
            current = built[2] if kind == "if" else built[3]
        elif kind == "else" and stack and stack[-1][0] == "if" and current is stack[-1][1][2]:
            current = stack[-1][1][3]
        elif kind in ("endif", "endfor") and stack and stack[-1][0] == kind[3:]:
            current = stack.pop()[2]
        else:
            return None
    if stack:
        return None
    return _merge_text(_freeze(root))


def _freeze(parts: list) -> list:
    out = []
    for part in parts:
        if isinstance(part, list) and part[0] == "if":
            out.append(("if", part[1], _merge_text(_freeze(part[2]), keep_empty=True),
                        _merge_text(_freeze(part[3]), keep_empty=True)))
        elif isinstance(part, list):
            out.append(("for", part[1], part[2], _merge_text(_freeze(part[3]), keep_empty=True)))
        else:
            out.append(part)
    return out


def _merge_text(parts: list, keep_empty: bool = False) -> list:
    merged: list = []
    for part in parts:
        if part[0] == "text" and merged and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + part[1])
        elif part != ("text", ""):
            merged.append(part)
    return merged if merged or keep_empty else [("text", "")]


def _unescape(text: str) -> str:
    from hcl2.utils import process_escape_sequences

    return process_escape_sequences(text)


_HEREDOC = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)\r?\n")


def _heredoc_body(token: str) -> str:
    """The text of a heredoc between its markers, final newline included (as Terraform reads it)."""
    start = _HEREDOC.match(token)
    marker = start.group(2)
    return re.sub(rf"[ \t]*{re.escape(marker)}\r?\n?\Z", "", token[start.end():])


def _template_parts(text: str, trim: bool) -> list | None:
    """Heredoc text as a template: python-hcl2 gives a heredoc as one token, so its ``${...}`` and ``%{...}``
    are found here and their expressions parsed with the same grammar. None when the text is malformed.

    As in HCL, literal text is cut into one piece per line, a ``~`` strip
    marker trims only the piece next to it, and ``<<-`` then removes the
    smallest indentation of the lines (blank lines aside; a line whose first
    piece was trimmed to nothing, or that starts with ``${``, counts as 0).
    """
    flat: list = []
    buffer: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("$${", i) or text.startswith("%%{", i):
            buffer.append(text[i + 1:i + 3])
            i += 3
        elif text.startswith("${", i) or text.startswith("%{", i):
            end = _closing_brace(text, i + 2)
            part = _heredoc_part(text[i:i + 2], text[i + 2:end]) if end is not None else None
            if part is None:
                return None
            flat.extend(_lines("".join(buffer)))
            buffer = []
            flat.append(part)
            i = end + 1
        else:
            buffer.append(text[i])
            i += 1
    flat.extend(_lines("".join(buffer)))
    flat = _apply_strips(flat)
    return _nest(_dedent(flat) if trim else flat)


def _lines(text: str) -> list[tuple]:
    """Literal text as HCL's heredoc tokens: one piece per line, each ending with its newline."""
    return [("text", line) for line in text.splitlines(keepends=True)] or [("text", "")]


def _dedent(flat: list) -> list:
    starts = [i for i in range(len(flat)) if i == 0 or (flat[i - 1][0] == "text" and flat[i - 1][1].endswith("\n"))]
    indents = []
    for i in starts:
        if flat[i][0] != "text":
            indents.append(0)
        elif flat[i][1].strip() or not flat[i][1].endswith("\n"):
            indents.append(len(flat[i][1]) - len(flat[i][1].lstrip(" ")))
    cut = min(indents, default=0)
    out = list(flat)
    for i in starts:
        if out[i][0] == "text":
            line = out[i][1]
            out[i] = ("text", line[min(cut, len(line) - len(line.lstrip(" "))):])
    return out


_FOR_DIRECTIVE = re.compile(r"for\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\s+(.+)$", re.S)


def _heredoc_part(opener: str, content: str) -> tuple | None:
    strips = (content.startswith("~"), content.rstrip().endswith("~"))
    inner = content.strip().strip("~").strip()
    if opener == "${":
        expr = _parse_expression(inner)
        return None if expr is None else ("expr", expr, *strips)
    if inner in ("else", "endif", "endfor"):
        return (inner, None, *strips)
    if inner.startswith("if "):
        expr = _parse_expression(inner[3:])
        return None if expr is None else ("if", expr, *strips)
    match = _FOR_DIRECTIVE.match(inner)
    expr = _parse_expression(match.group(3)) if match else None
    if expr is None:
        return None
    return ("for", ([n for n in match.group(1, 2) if n], expr), *strips)


def _closing_brace(text: str, start: int) -> int | None:
    """The index of the ``}`` that closes an interpolation opened just before ``start``."""
    depth, i, quoted = 1, start, False
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\":
                i += 1
            elif char == '"':
                quoted = False
            elif text.startswith("${", i):
                end = _closing_brace(text, i + 2)
                if end is None:
                    return None
                i = end
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _parse_expression(text: str) -> Any:
    try:
        tree = src.parse_tf(f"x = {text}\n", "<template>")
    except InputError:
        return None
    attribute = next(src.body_items(tree.children[0]), None)
    return src.attribute_parts(attribute)[1] if attribute is not None else None


def _index_text(index: Any) -> str:
    return "" if index is None else f"[{json.dumps(index, ensure_ascii=False)}]"


# ---------------------------------------------------------------------- static analysis
_TRAVERSALS = ("get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term")
#: Expression kinds ReferenceTracer follows as a whole (the others are made of parts).
_TRACED = frozenset(_TRAVERSALS) | {"identifier", "object", "tuple", "function_call", "conditional",
                                     "for_tuple_expr", "for_object_expr", "expr_term", "string"}


def _reference_suffix(node: Any) -> str | None:
    """For ``x.y.arn`` "", for ``"${x.y.arn}/index/*"`` "/index/*"; None for any other expression."""
    node = _unwrap(node)
    kind = getattr(node, "data", None)
    if kind in _TRAVERSALS:
        return ""
    parts = _string_parts(node) if kind == "string" else None
    if not parts or parts[0][0] != "expr" or getattr(_unwrap(parts[0][1]), "data", None) not in _TRAVERSALS:
        return None
    if any(part[0] != "text" for part in parts[1:]):
        return None
    return "".join(part[1] for part in parts[1:])


def _collect_refs(node: Any, bound: frozenset, out: list[str], evaluator: Evaluator) -> None:
    """References in an expression, in Terraform's form: the traversal up to its first non-literal index."""
    kind = getattr(node, "data", None)
    if kind is None:
        return
    if kind in _TRAVERSALS:
        root, steps = _flatten(node)
        if getattr(root, "data", None) == "identifier":
            name = str(root.children[0])
            if name not in bound:
                text = _reference_text(name, steps)
                if text:
                    out.append(text)
        else:
            _collect_refs(root, bound, out, evaluator)
        _collect_step_refs(steps, bound, out, evaluator)
        return
    if kind == "object_elem":
        if _literal_key(node.children[0]) is None:
            _collect_refs(node.children[0], bound, out, evaluator)
        _collect_refs(node.children[-1], bound, out, evaluator)
        return
    if kind in ("for_tuple_expr", "for_object_expr"):
        intro = next(c for c in node.children if getattr(c, "data", None) == "for_intro")
        names = set(_for_names(intro))
        _collect_refs(_trees(intro)[-1], bound, out, evaluator)
        for child in _trees(node):
            if child.data != "for_intro":
                _collect_refs(child, bound | names, out, evaluator)
        return
    if kind in ("heredoc_template", "heredoc_template_trim"):
        for expr, names in _template_expressions(evaluator.heredoc_parts(node) or [], bound):
            _collect_refs(expr, names, out, evaluator)
        return
    for child in node.children:
        _collect_refs(child, bound, out, evaluator)


def _template_expressions(parts: list, bound: frozenset) -> Iterator[tuple[Any, frozenset]]:
    """Every expression of a template, with the names its ``%{ for }`` directives bind around it."""
    for part in parts:
        if part[0] == "expr":
            yield part[1], bound
        elif part[0] == "if":
            yield part[1], bound
            yield from _template_expressions(part[2] + part[3], bound)
        elif part[0] == "for":
            yield part[2], bound
            yield from _template_expressions(part[3], bound | frozenset(part[1]))


def _collect_step_refs(steps: list, bound: frozenset, out: list[str], evaluator: Evaluator) -> None:
    for step in steps:
        if step[0] == "index":
            _collect_refs(step[1], bound, out, evaluator)
        elif step[0] == "splat":
            _collect_step_refs(step[1], bound, out, evaluator)


def _reference_text(name: str, steps: list) -> str:
    text = name
    for step in steps:
        if step[0] == "attr":
            text += f".{step[1]}"
            continue
        literal = _literal_index(step[1]) if step[0] == "index" else None
        if literal is None:
            break
        text += f"[{json.dumps(literal)}]"
    return text if "." in text else ""


def _literal_index(node: Any) -> Any:
    node = _unwrap(node)
    kind = getattr(node, "data", None)
    if kind == "int_lit":
        return int(str(node.children[0]))
    text = src.literal_string(node) if kind == "string" else None
    return _unescape(text) if text is not None else None


def _is_literal(node: Any) -> bool:
    """No reference, function call, for expression or template directive: Terraform writes it as a constant."""
    kind = getattr(node, "data", None)
    if kind is None:
        return True
    if kind in ("function_call", "for_tuple_expr", "for_object_expr", "identifier") + _TRAVERSALS:
        return False
    if kind in ("template_if_start", "template_for_start", "template_string"):
        return False
    if kind in ("heredoc_template", "heredoc_template_trim"):
        return "${" not in str(node.children[0]) and "%{" not in str(node.children[0])
    if kind == "object_elem":
        return (_literal_key(node.children[0]) is not None) and _is_literal(node.children[-1])
    return all(_is_literal(c) for c in node.children)


# ---------------------------------------------------------------------- conversions
def _count_number(value: Any) -> int | None:
    if isinstance(value, bool) or not is_known(value):
        return None
    try:
        number = _to_num(value)
    except (EvalError, ValueError, TypeError):
        return None
    return int(number) if float(number).is_integer() and number >= 0 else None


def _for_each_pairs(value: Any) -> list[tuple[Any, Any]] | None:
    """(each.key, each.value) of a known map or set of strings; None when the keys are not known."""
    if isinstance(value, Outputs):
        value = value.materialize()
    if isinstance(value, dict) and not isinstance(value, Partial):
        return sorted(value.items())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [(v, v) for v in sorted(set(value))]
    return None


def _iterate(value: Any) -> list[tuple[Any, Any]] | None:
    """(key, value) pairs to loop over: list index/element, map key/value; None when not known."""
    if isinstance(value, Outputs):
        value = value.materialize()
    if isinstance(value, Partial) or not is_known(value):
        return None
    if isinstance(value, dict):
        return sorted(value.items())
    if isinstance(value, list):
        return list(enumerate(value))
    return None


def _convert(value: Any, type_expr: Any, literal: Callable[[Any], Any]) -> Any:
    """A variable's value converted to its type constraint, as Terraform converts it.

    Primitives convert ("5" for a number, "true" for a bool); collections
    convert their elements; an object drops attributes its type does not name
    and fills each ``optional(type, default)`` attribute that is missing with
    its default (null without one). ``literal`` evaluates a default.
    """
    if value is None or not is_known(value) or type_expr is None:
        return value
    node = _unwrap(type_expr)
    kind = getattr(node, "data", None)
    try:
        if kind == "identifier":
            return _convert_primitive(value, str(node.children[0]))
        if kind == "function_call":
            return _convert_collection(value, node, literal)
    except (EvalError, ValueError, TypeError):
        return value
    return value


def _convert_primitive(value: Any, name: str) -> Any:
    if name == "number":
        return _to_num(value)
    if name == "bool":
        return _to_bool(value)
    if name == "string" and not isinstance(value, (dict, list)):
        return _to_str(value)
    return value


def _convert_collection(value: Any, node: Any, literal: Callable[[Any], Any]) -> Any:
    name = str(node.children[0].children[0])
    args = _argument_trees(node)
    if not args:
        return value
    if name in ("list", "set") and isinstance(value, list):
        items = [_convert(v, args[0], literal) for v in value]
        return _to_set(items) if name == "set" else items
    if name == "map" and isinstance(value, dict):
        return {k: _convert(v, args[0], literal) for k, v in value.items()}
    if name == "optional":
        return _convert(value, args[0], literal)
    if name == "object" and isinstance(value, dict):
        return _convert_object(value, _unwrap(args[0]), literal)
    if name == "tuple" and isinstance(value, list):
        types = _trees(_unwrap(args[0]))
        return [_convert(v, t, literal) for v, t in zip(value, types)] + value[len(types):]
    return value


def _convert_object(value: dict, spec: Any, literal: Callable[[Any], Any]) -> dict:
    if getattr(spec, "data", None) != "object":
        return value
    out = {}
    for elem in _trees(spec):
        key, attribute_type = _literal_key(elem.children[0]), elem.children[-1]
        if key is None:
            continue
        if key in value:
            out[key] = _convert(value[key], attribute_type, literal)
            continue
        optional = _unwrap(attribute_type)
        if getattr(optional, "data", None) == "function_call" and _function_name(optional) == "optional":
            arguments = _argument_trees(optional)
            default = literal(arguments[1]) if len(arguments) > 1 else None
            out[key] = _convert(default, arguments[0], literal)
    return out


def _is_false(expr: Any) -> bool:
    node = _unwrap(expr) if expr is not None else None
    return getattr(node, "data", None) == "literal_value" and str(node.children[0]) == "false"


def _to_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    raise EvalError(f"cannot use {type(value).__name__} as a string")


def _to_num(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("a bool is not a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        text = value.strip()
        return int(text) if re.fullmatch(r"-?\d+", text) else float(text)
    raise EvalError(f"cannot use {type(value).__name__} as a number")


def _to_bool(value: Any) -> Any:
    if not is_known(value) or isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise EvalError("not a bool")


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def _binary_op(operator: str, a: Any, b: Any) -> Any:
    if operator == "==":
        return _equal(a, b)
    if operator == "!=":
        return not _equal(a, b)
    if operator in ("&&", "||"):
        return (_to_bool(a) and _to_bool(b)) if operator == "&&" else (_to_bool(a) or _to_bool(b))
    x, y = _decimal(_to_num(a)), _decimal(_to_num(b))
    operations: dict[str, Callable[[Any, Any], Any]] = {
        "+": lambda p, q: p + q, "-": lambda p, q: p - q, "*": lambda p, q: p * q, "/": lambda p, q: p / q,
        "%": lambda p, q: p % q,
        "<": lambda p, q: p < q, ">": lambda p, q: p > q, "<=": lambda p, q: p <= q, ">=": lambda p, q: p >= q,
    }
    result = operations[operator](x, y)
    if isinstance(result, decimal.Decimal):
        return int(result) if result == result.to_integral_value() else float(result)
    return result


def _decimal(number: int | float) -> decimal.Decimal:
    """Terraform's numbers are decimal (0.1 + 0.2 is 0.3); Decimal's % truncates like Go's, too."""
    return decimal.Decimal(repr(number)) if isinstance(number, float) else decimal.Decimal(number)


def _get_attr(value: Any, name: str) -> Any:
    if isinstance(value, Outputs):
        return value.get(name) if name in value.instance.module.outputs else UNKNOWN
    if isinstance(value, Partial):
        return value.get(name, UNKNOWN)
    if isinstance(value, dict):
        if name not in value:
            raise EvalError(f"no attribute {name!r}")
        return value[name]
    raise EvalError(f"cannot read .{name} of {type(value).__name__}")


def _get_index(value: Any, key: Any) -> Any:
    if isinstance(value, list):
        return value[int(_to_num(key))]
    if isinstance(value, dict):
        return _get_attr(value, _to_str(key))
    raise EvalError(f"cannot index {type(value).__name__}")


# ---------------------------------------------------------------------- data sources Terraform reads at plan time
def _policy_document(values: dict) -> dict:
    """``aws_iam_policy_document``'s ``json``, rendered as the aws provider renders it, where every input is known.

    One-element lists become strings; actions, resources and principals are
    sorted in reverse (the provider's order), condition values keep theirs.
    ``source_policy_documents`` and ``override_...`` merging is not done (the
    document is then unknown).
    """
    if _merges_documents(values) or _deep_opaque(values) is not None:
        return {}
    document = _document(values)
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return {"json": text, "minified_json": json.dumps(document, separators=(",", ":"), ensure_ascii=False)}


def _partial_policy_document(values: dict) -> dict | None:
    """The document of an ``aws_iam_policy_document`` whose inputs hold ``Unresolved`` pieces; None when
    its shape is not known (statements from an unknown ``dynamic`` block, merged documents, ...)."""
    if _merges_documents(values):
        return None
    try:
        return _document(values)
    except (KeyError, TypeError, AttributeError, ValueError):
        return None


def _merges_documents(values: dict) -> bool:
    return any(values.get(k) for k in ("source_policy_documents", "override_policy_documents", "source_json",
                                       "override_json"))


def _document(values: dict) -> dict:
    document: dict[str, Any] = {"Version": values.get("version") or "2012-10-17"}
    if values.get("policy_id"):
        document["Id"] = values["policy_id"]
    statements = [_policy_statement(s) for s in values.get("statement") or []]
    if statements:
        document["Statement"] = statements
    return document


def _policy_statement(statement: dict) -> dict:
    out: dict[str, Any] = {}
    if statement.get("sid"):
        out["Sid"] = statement["sid"]
    out["Effect"] = statement.get("effect") or "Allow"
    for key, name in (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
                      ("not_resources", "NotResource")):
        if statement.get(key):
            out[name] = _policy_strings(statement[key])
    for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if statement.get(key):
            out[name] = _policy_principals(statement[key])
    conditions: dict[Any, dict] = {}
    for condition in statement.get("condition") or []:
        values = condition["values"]
        one = isinstance(values, list) and len(values) == 1
        conditions.setdefault(condition["test"], {})[condition["variable"]] = values[0] if one else values
    if conditions:
        out["Condition"] = conditions
    return out


def _policy_principals(blocks: list) -> Any:
    merged: dict[str, list] = {}
    for block in blocks:
        merged.setdefault(block["type"], []).extend(block.get("identifiers") or [])
    if list(merged) == ["*"] and set(merged["*"]) == {"*"}:
        return "*"
    return {kind: _policy_strings(ids) for kind, ids in sorted(merged.items())}


def _policy_strings(items: Any) -> Any:
    """Strings sorted in reverse and made unique, one alone as itself; pieces not known come last, as written."""
    if not isinstance(items, list):
        return items
    unique = sorted({i for i in items if isinstance(i, str)}, reverse=True)
    unique += list(dict.fromkeys(i for i in items if not isinstance(i, str)))
    return unique[0] if len(unique) == 1 else unique


COMPUTED_DATA: dict[str, Callable[[dict], dict]] = {"aws_iam_policy_document": _policy_document}


def _computed(data_type: str, values: dict) -> dict:
    """What a data source Terraform reads at plan time returns; nothing when its arguments have an odd shape."""
    try:
        return COMPUTED_DATA[data_type](values)
    except (KeyError, TypeError, AttributeError, ValueError):
        return {}


# ---------------------------------------------------------------------- functions
def _jsonencode(value: Any) -> str:
    """Terraform's jsonencode: compact, keys sorted, <, > and & escaped as Go's encoder does."""
    if _deep_opaque(value) is not None:
        raise EvalError("jsonencode of a value not known")
    text = json.dumps(plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _merge(*maps: Any) -> dict:
    out: dict = {}
    for m in maps:
        if m is None:
            continue
        if not isinstance(m, dict) or isinstance(m, Partial):
            raise EvalError("merge takes maps")
        out.update(m)
    return out


def _lookup_fn(mapping: Any, key: Any, *default: Any) -> Any:
    if isinstance(mapping, dict) and key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise EvalError("lookup: no such key")


def _format(spec: str, *args: Any) -> str:
    values = iter(args)

    def one(match: re.Match) -> str:
        verb = match.group(0)
        if verb == "%%":
            return "%"
        value, flags, letter = next(values), verb[:-1], verb[-1]
        if letter == "d":
            return (flags + "d") % int(_to_num(value))
        if letter in "fg":
            return (flags + letter) % _to_num(value)
        if letter == "q":
            text = json.dumps(_to_str(value), ensure_ascii=False)
        elif letter == "v" and not isinstance(value, (str, int, float, bool)):
            text = _jsonencode(value)
        else:
            text = _to_str(value)
        return (flags + "s") % text

    return re.sub(r"%%|%[-+ #0]*\d*(?:\.\d+)?[sdvqfgt]", one, spec)


def _flatten_list(value: Any) -> list:
    out = []
    for item in value:
        out.extend(_flatten_list(item) if isinstance(item, list) else [item])
    return out


def _to_set(value: Any) -> list:
    unique = []
    for item in value:
        if not any(_equal(item, seen) for seen in unique):
            unique.append(item)
    if all(isinstance(v, str) for v in unique):
        return sorted(unique)
    return unique


def _coalesce(*args: Any) -> Any:
    for arg in args:
        if arg is not None and arg != "":
            return arg
    raise EvalError("coalesce: no non-null argument")


def _replace(text: str, search: str, replacement: str) -> str:
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        return re.sub(search[1:-1], re.sub(r"\$(\d+)", r"\\\1", replacement), text)
    return text.replace(search, replacement)


def _has(items: list, value: Any) -> bool:
    if not isinstance(items, list):
        raise EvalError("a set function takes sets")
    return any(_equal(value, item) for item in items)


def _one(items: list) -> Any:
    if len(items) > 1:
        raise EvalError("one: more than one element")
    return items[0] if items else None


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "jsonencode": _jsonencode,
    "jsondecode": lambda s: json.loads(s),
    "merge": _merge,
    "concat": lambda *lists: [x for lst in lists for x in lst],
    "lookup": _lookup_fn,
    "element": lambda lst, i: lst[int(_to_num(i)) % len(lst)],
    "length": lambda v: len(v),
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "contains": lambda lst, v: any(_equal(x, v) for x in lst),
    "tolist": lambda v: list(v),
    "toset": _to_set,
    "setintersection": lambda first, *others: _to_set([x for x in first if all(_has(o, x) for o in others)]),
    "setunion": lambda *sets: _to_set([x for s in sets for x in s]),
    "setsubtract": lambda a, b: _to_set([x for x in a if not _has(b, x)]),
    "tomap": lambda m: dict(m),
    "tostring": lambda v: None if v is None else _to_str(v),
    "tonumber": lambda v: None if v is None else _to_num(v),
    "tobool": lambda v: None if v is None else _to_bool(v),
    "lower": lambda s: s.lower(),
    "upper": lambda s: s.upper(),
    "title": lambda s: re.sub(r"\b\w", lambda m: m.group(0).upper(), s),
    "trimspace": lambda s: s.strip(),
    "trim": lambda s, chars: s.strip(chars),
    "trimprefix": lambda s, p: s[len(p):] if s.startswith(p) else s,
    "trimsuffix": lambda s, p: s[:-len(p)] if p and s.endswith(p) else s,
    "replace": _replace,
    "format": _format,
    "join": lambda sep, *lists: sep.join(_to_str(x) for lst in lists for x in lst),
    "split": lambda sep, s: s.split(sep),
    "substr": lambda s, offset, length: s[offset:] if length == -1 else s[offset:offset + length],
    "startswith": lambda s, p: s.startswith(p),
    "endswith": lambda s, p: s.endswith(p),
    "strcontains": lambda s, p: p in s,
    "coalesce": _coalesce,
    "coalescelist": lambda *lists: next(lst for lst in lists if lst),
    "compact": lambda lst: [x for x in lst if x not in (None, "")],
    "distinct": lambda lst: [x for i, x in enumerate(lst) if not any(_equal(x, y) for y in lst[:i])],
    "flatten": _flatten_list,
    "reverse": lambda lst: list(reversed(lst)),
    "sort": lambda lst: sorted(_to_str(x) for x in lst),
    "slice": lambda lst, start, end: lst[int(start):int(end)],
    "zipmap": lambda ks, vs: dict(zip(ks, vs)),
    "one": _one,
    "range": lambda *a: list(range(*[int(_to_num(x)) for x in a])),
    "max": lambda *a: max(_to_num(x) for x in a),
    "min": lambda *a: min(_to_num(x) for x in a),
    "sum": lambda lst: sum(_to_num(x) for x in lst),
    "abs": lambda n: abs(_to_num(n)),
    "ceil": lambda n: math.ceil(_to_num(n)),
    "floor": lambda n: math.floor(_to_num(n)),
    "pow": lambda a, b: _to_num(a) ** _to_num(b),
    "base64encode": lambda s: base64.b64encode(s.encode()).decode(),
    "base64decode": lambda s: base64.b64decode(s).decode(),
    "sha256": lambda s: hashlib.sha256(s.encode()).hexdigest(),
    "md5": lambda s: hashlib.md5(s.encode()).hexdigest(),
    "nonsensitive": lambda v: v,
    "sensitive": lambda v: SENSITIVE,
}
def _replace_bound(text: Any, search: Any, replacement: Any) -> int:
    if not all(isinstance(a, str) for a in (text, search, replacement)):
        return 0
    regex = len(search) > 1 and search.startswith("/") and search.endswith("/")
    found = len(text) + 1 if regex or not search else text.count(search)
    return len(text) + found * len(replacement)


def _format_bound(spec: Any, *args: Any) -> int:
    """Each verb writes one argument, padded to its width: ``%99999999s`` asks for a huge string."""
    if not isinstance(spec, str):
        return 0
    widths = [int(w) for w in re.findall(r"%[-+ #0]*(\d+)", spec)]
    return len(spec) + sum(widths) + spec.count("%") * max((cells(a) for a in args), default=0)


def _range_bound(*args: Any) -> int:
    try:
        return len(range(*[int(_to_num(x)) for x in args]))
    except (TypeError, ValueError, OverflowError, EvalError):
        return 0


def _pow_bound(base: Any, exponent: Any) -> int:
    """``pow`` of integers computes every digit: past MAX_INT_BITS it is refused before it is computed."""
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0:
        return MAX_VALUE_CELLS + 1 if exponent * base.bit_length() > MAX_INT_BITS else 1
    return 0


def _join_bound(separator: Any, *lists: Any) -> int:
    items = cells(list(lists))
    return items + (len(separator) if isinstance(separator, str) else 0) * items


# What a function's result may reach, from its arguments, for those whose result can be far larger than them.
_GROWTH: dict[str, Callable[..., int]] = {
    "range": _range_bound,
    "replace": _replace_bound,
    "format": _format_bound,
    "join": _join_bound,
    "jsonencode": cells,  # a part used twice is written twice
    "pow": _pow_bound,
}
# Functions that look at unknown arguments themselves instead of being unknown as soon as one is.
_SEES_UNKNOWN = frozenset({"length", "keys", "merge", "concat", "tolist", "tomap", "lookup",
                           "element", "values", "flatten", "compact", "coalesce", "one", "slice", "reverse",
                           "zipmap", "sensitive"})

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

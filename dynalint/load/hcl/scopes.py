"""Module instances, resource instances, and the scopes expressions are evaluated in."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dynalint.load.hcl.module_tree import ModuleDir, TfBlock


@dataclass(eq=False)
class ModuleInstance:
    address: str
    path: tuple[str, ...]
    module: ModuleDir
    parent: ModuleInstance | None = None
    call: TfBlock | None = None
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
    scope: Scope
    key: Any
    through_value: bool = True


@dataclass(frozen=True)
class Scope:
    """Where an expression is evaluated: a module instance, the names bound around it, and where the
    elements bound to iterator names come from (``origins``, for references; see Origin)."""

    module: ModuleInstance | None
    names: Mapping[str, Any]
    origins: Mapping[str, Origin] = field(default_factory=dict)

    def bind(self, **names: Any) -> Scope:
        origins = {k: v for k, v in self.origins.items() if k not in names} if self.origins else self.origins
        return Scope(self.module, {**self.names, **names}, origins)

    def bind_element(self, name: str, value: Any, origin: Origin | None) -> Scope:
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


def _index_text(index: Any) -> str:
    return "" if index is None else f"[{json.dumps(index, ensure_ascii=False)}]"

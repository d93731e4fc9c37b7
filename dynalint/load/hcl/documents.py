"""Policy documents, which the access rules read.

- ``aws_iam_policy_document``: its ``json``, which Terraform computes at plan
  time, rendered as the aws provider renders it where every input is known;
- ``partial_json`` (DocumentDrafts, part of the Evaluator): a policy that is
  unknown as a whole (``jsonencode`` or a policy document around a new table's
  ARN), decoded as far as the source writes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dynalint.load.hcl.conversions import EvalError, Partial, _deep_opaque, plain
from dynalint.load.hcl.module_tree import ModuleDir, TfBlock
from dynalint.load.hcl.references import _reference_suffix
from dynalint.load.hcl.scopes import ModuleInstance, Scope
from dynalint.load.hcl.syntax import (
    _TRAVERSALS,
    _argument_trees,
    _attributes,
    _flatten,
    _function_name,
    _literal_key,
    _trees,
    _unwrap,
)
from dynalint.model import UNKNOWN, Unresolved

#: Attributes that hold a JSON document the access rules can judge when it is known only in part.
PARTIAL_DOCUMENTS = frozenset({"policy"})


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
    return any(
        values.get(k) for k in ("source_policy_documents", "override_policy_documents", "source_json", "override_json")
    )


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
    for key, name in (
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ):
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


class DocumentDrafts:
    """Part of the Evaluator (dynalint.load.hcl.evaluator): documents known only in part."""

    if TYPE_CHECKING:  # what this part uses of the Evaluator's others (the Evaluator sets or defines them)
        tree: dict[tuple[str, ...], ModuleDir]

        def ev(self, node: Any, scope: Scope) -> Any: ...
        def body_values(self, body: Any, scope: Scope, top: bool = False, leaf: Callable | None = None) -> dict: ...
        def _lookup(self, name: str, steps: list, scope: Scope) -> tuple[Any, list]: ...
        def _apply(self, value: Any, steps: list, scope: Scope) -> Any: ...
        def references(self, expr: Any, module: ModuleDir, bound: frozenset) -> list[str]: ...
        def children(self, module: ModuleInstance, name: str) -> list[ModuleInstance]: ...

    # ------------------------------------------------------------ documents known in part
    def partial_json(self, block: TfBlock, values: dict, scope: Scope) -> dict:
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

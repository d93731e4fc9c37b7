"""Root variable values from ``.tfvars`` files and ``--var-file``, in the order Terraform applies them."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dynalint.errors import InputError
from dynalint.load.hcl.budget import TooLarge
from dynalint.load.hcl.conversions import plain
from dynalint.load.hcl.evaluator import Evaluator
from dynalint.load.hcl.module_tree import ModuleDir, TfBlock, read_tf_text
from dynalint.load.hcl.paths import display_path
from dynalint.load.hcl.scopes import Scope
from dynalint.load.hcl.syntax import attribute_parts, body_items, parse_tf


def root_inputs(root: Path, shown: str, module: ModuleDir, var_files: Iterable[str]) -> tuple[dict, list[str]]:
    """Root variable values from tfvars files, in Terraform's order (later files win)."""
    files = [root / "terraform.tfvars", root / "terraform.tfvars.json"]
    files += sorted(p for p in _listdir(root) if p.name.endswith((".auto.tfvars", ".auto.tfvars.json")))
    files = [p for p in files if p.is_file()] + [Path(f) for f in var_files]
    values: dict[str, Any] = {}
    for path in files:
        where = display_path(shown, path.name) if path.parent == root else str(path)
        values.update(_read_tfvars(path, where))
    warnings = []
    missing = sorted(n for n, b in module.variables.items() if n not in values and not _has_default(b))
    if missing:
        names = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        warnings.append(
            f"{shown or '.'}: no value for variable(s) {names} (no default, not in a .tfvars file): "
            "what depends on them counts as unknown; give values with --var-file"
        )
    return values, warnings


def _listdir(directory: Path) -> list[Path]:
    try:
        return [directory / name for name in os.listdir(directory)]
    except OSError:
        return []


def _has_default(variable: TfBlock) -> bool:
    return any(item.data == "attribute" and attribute_parts(item)[0] == "default" for item in body_items(variable.body))


def _read_tfvars(path: Path, shown: str) -> dict[str, Any]:
    if not path.is_file():
        raise InputError(f"{shown}: no such variables file")
    text = read_tf_text(path, shown)
    if path.name.endswith(".json"):
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise InputError(f"{shown}: not valid JSON: {exc}") from None
        if not isinstance(doc, dict):
            raise InputError(f"{shown}: a .tfvars.json file holds one JSON object")
        return doc
    body = parse_tf(text, shown).children[0]
    literal = Evaluator({}, {})
    values = {}
    for item in body_items(body):
        if item.data == "attribute":
            name, expr = attribute_parts(item)
            try:
                values[name] = plain(literal.ev(expr, Scope(None, {})))
            except TooLarge as exc:
                raise TooLarge(shown, exc.line, exc.what) from None
    return values

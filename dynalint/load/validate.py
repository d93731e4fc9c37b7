"""The part of a plan or state document dynalint reads, checked before a Model is built from it.

A gate must not lint half a document as if it were whole: every field the
loader reads has the type terraform writes, or the document is refused with
one line naming the JSON path of the first problem, e.g.
``plan.json: resource_changes[3].address: expected a string, got 7``.
The same subset is written as a JSON Schema in ``dynalint/schemas/plan.schema.json``
(the tests check every fixture and corpus plan against it, and that it refuses
what this module refuses); here it is checked by hand, which costs a few
milliseconds on a plan of thousands of resources.

Then the cross-checks that catch a cut plan (terraform writes an entry in
``resource_changes`` for every resource it plans, no-ops included): every managed
resource of ``planned_values`` has its entry, and, when the plan says it is
complete, so has every managed resource block of the configuration that has no
``count`` or ``for_each`` (its own or a calling module's). What the loader does
not read (``prior_state``, ``output_changes``, ``relevant_attributes``, ...) is
not checked, and neither are the expressions of the configuration, which the
loader reads leniently (an expression it cannot read counts as set, and as
referring to nothing).
"""

from __future__ import annotations

import json
import re
from typing import Any

from dynalint.errors import InputError
from dynalint.load.decode import Encoded

KNOWN_MAJORS = ("0", "1")  # format_version majors dynalint reads; another may change what a field means
ACTIONS = ("create", "delete", "forget", "no-op", "read", "update")  # tuples: `in` compares, never hashes
MODES = ("managed", "data")
_TEXTS = ("module_address", "action_reason", "deposed", "previous_address")  # optional strings of an entry
_BLOCK_PARTS = ("expressions", "count_expression", "for_each_expression")
_VERSION = re.compile(r"(\d+)\.\d+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_OBJECTS = (dict, Encoded)  # a change's marks, a block's expressions: an object, decoded or not yet (decode.py)
_INDEX = re.compile(r'\[(?:\d+|"(?:[^"\\]|\\.)*")\]')  # an instance key: [0], ["a"] (as address.py reads it)


class _Problem(Exception):
    def __init__(self, path: tuple, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def where(path: tuple) -> str:
    """A JSON path as a person reads it: ``resource_changes[3].change.actions[0]``, ``variables["a b"]``."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif _NAME.match(step):
            out += f".{step}" if out else step
        else:
            out += f"[{json.dumps(step)}]"
    return out or "the document"


def describe(value: Any, show_text: bool = False) -> str:
    """What was found, without printing text that may be a secret (a string is shown only where it is
    one of a few words, such as a mode or an action)."""
    if value is None:
        return "null"
    if value is True or value is False:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        text = json.dumps(value)
        return text if len(text) <= 24 else "a number"
    if isinstance(value, str):
        return json.dumps(value) if show_text and len(value) <= 40 else "a string"
    return "an object" if isinstance(value, dict) else "an array"


def check_document(doc: dict, name: str, kind: str) -> None:
    """An InputError naming the first field the loader would read that does not have terraform's shape."""
    try:
        _format_version(doc)
        if kind == "plan":
            _plan(doc)
        else:
            _module_tree(_section(doc, "values", ()), ("values",))
    except _Problem as problem:
        raise InputError(f"{name}: {where(problem.path)}: {problem.message}") from None


def check_complete(doc: dict, name: str) -> None:
    """An InputError when a resource the plan holds elsewhere has no entry in ``resource_changes``."""
    changes = doc.get("resource_changes") or []
    have = {entry["address"] for entry in changes}
    for path, resource in _planned_resources(doc):
        if resource["mode"] == "managed" and resource["address"] not in have:
            raise InputError(
                f"{name}: resource_changes: no entry for {resource['address']}, which "
                f"{where(path)} holds: terraform writes one for every resource it plans, so the "
                "plan is cut short or edited"
            )
    if doc.get("complete") is not True:
        return  # made with -target, deferred changes, or a terraform older than 1.8: blocks may have no entry
    blocks = None  # built only where a block has no entry of its own address (a for_each terraform leaves out)
    for path, full in _configured_blocks(doc):
        if full in have:
            continue
        if blocks is None:
            blocks = {_INDEX.sub("", address) for address in have if "[" in address}
        if full not in blocks:
            raise InputError(
                f"{name}: resource_changes: no entry for {full}, which {where(path)} declares and "
                "the plan says it is complete: the plan is cut short or edited"
            )


# ---------------------------------------------------------------------- the shapes
def _format_version(doc: dict) -> None:
    if "format_version" not in doc:
        raise _Problem(("format_version",), "missing: every `terraform show -json` output has one")
    version = doc["format_version"]
    _expect(version, str, ("format_version",), 'a string such as "1.2"')
    match = _VERSION.fullmatch(version)
    if match is None:
        raise _Problem(("format_version",), f'expected a version such as "1.2", got {describe(version, True)}')
    if match.group(1) not in KNOWN_MAJORS:
        raise _Problem(
            ("format_version",),
            f"{describe(version, True)} is a format dynalint does not know (it "
            "reads 0.x and 1.x): a new major version may change what a field means, so the plan is "
            "refused; upgrade dynalint",
        )


def _plan(doc: dict) -> None:
    _optional(doc, "terraform_version", str, (), "a string")
    for flag in ("errored", "complete", "applyable"):
        _optional(doc, flag, bool, (), "true or false")
    variables = _section(doc, "variables", ())
    for key, variable in variables.items():
        _expect(variable, dict, ("variables", key), "an object")
    planned = _section(doc, "planned_values", ())
    _module_tree(planned, ("planned_values",))
    changes = doc.get("resource_changes")
    if changes is not None:
        _expect(changes, list, ("resource_changes",), "an array")
        first: dict[tuple[str, Any], tuple] = {}
        for i, entry in enumerate(changes):
            if not _entry_ok(entry):
                _change_entry(entry, ("resource_changes", i))
            _once(first, (entry["address"], entry.get("deposed")), ("resource_changes", i))
    configuration = _section(doc, "configuration", ())
    _section(configuration, "provider_config", ("configuration",))
    root = _section(configuration, "root_module", ("configuration",))
    if root:
        _module_config(root, ("configuration", "root_module"))


def _change_entry(entry: Any, path: tuple) -> None:
    _expect(entry, dict, path, "an object")
    _resource_head(entry, path)
    for key in _TEXTS:
        _optional(entry, key, str, path, "a string")
    change = _required(entry, "change", dict, path, "an object")
    here = path + ("change",)
    actions = _required(change, "actions", list, here, "an array of actions")
    if not actions:
        raise _Problem(here + ("actions",), "expected at least one action, got none")
    for i, action in enumerate(actions):
        if not isinstance(action, str) or action not in ACTIONS:
            raise _Problem(here + ("actions", i), f"expected one of {', '.join(ACTIONS)}, got {describe(action, True)}")
    for key in ("before", "after"):
        _optional(change, key, dict, here, "an object or null")
    unknown = change.get("after_unknown")
    if unknown is not None and unknown is not False and not isinstance(unknown, _OBJECTS):
        raise _Problem(
            here + ("after_unknown",),
            f"expected an object, got {describe(unknown)}"
            + (" (a value wholly unknown until apply, which no rule can judge)" if unknown is True else ""),
        )
    for key in ("before_sensitive", "after_sensitive"):
        marks = change.get(key)
        if marks is not None and not isinstance(marks, (*_OBJECTS, bool)):
            raise _Problem(here + (key,), f"expected an object or true/false, got {describe(marks)}")
    replace_paths = change.get("replace_paths")
    if replace_paths is not None:
        _expect(replace_paths, list, here + ("replace_paths",), "an array")
        for i, steps in enumerate(replace_paths):
            _expect(steps, list, here + ("replace_paths", i), "an array")
            for j, step in enumerate(steps):
                if isinstance(step, bool) or not isinstance(step, (str, int)):
                    raise _Problem(here + ("replace_paths", i, j), f"expected a name or an index, got {describe(step)}")


def _resource_head(resource: dict, path: tuple) -> None:
    """What every resource entry has: address, mode, type, name, and its index where it has one."""
    _required(resource, "address", str, path, "a string")
    mode = _required(resource, "mode", str, path, '"managed" or "data"')
    if mode not in MODES:
        raise _Problem(path + ("mode",), f'expected "managed" or "data", got {describe(mode, True)}')
    _required(resource, "type", str, path, "a string")
    _required(resource, "name", str, path, "a string")
    index = resource.get("index")
    if index is not None and (isinstance(index, bool) or not isinstance(index, (int, str))):
        raise _Problem(path + ("index",), f"expected a number or a string, got {describe(index)}")


def _module_tree(parent: dict, path: tuple) -> None:
    """``planned_values`` or a state's ``values``: root_module, its resources and child modules."""
    stack = [(_section(parent, "root_module", path), path + ("root_module",))]
    first: dict[tuple[str, Any], tuple] = {}
    while stack:
        module, here = stack.pop()
        resources = _optional_list(module, "resources", here)
        for i, resource in enumerate(resources):
            if not (
                isinstance(resource, dict)
                and _head_ok(resource)
                and (resource.get("values") is None or isinstance(resource["values"], dict))
            ):
                _expect(resource, dict, here + ("resources", i), "an object")
                _resource_head(resource, here + ("resources", i))
                _optional(resource, "values", dict, here + ("resources", i), "an object")
            _once(first, (resource["address"], resource.get("deposed_key")), here + ("resources", i))
        children = _optional_list(module, "child_modules", here)
        for i, child in enumerate(children):
            _expect(child, dict, here + ("child_modules", i), "an object")
            stack.append((child, here + ("child_modules", i)))


def _once(first: dict[tuple[str, Any], tuple], key: tuple[str, Any], path: tuple) -> None:
    """Refuse a second resource entry of one instance (its address, and its deposed key where it is a deposed
    object): the graph and the reports know a resource by its address, and a second copy would lend the first
    its links (an alarm, a key). ``first`` maps each key met to the path of its entry. The address is not
    printed: a for_each key in it may hold a secret, and nothing is known to be secret before the plan is read."""
    if key in first:
        raise _Problem(
            path + ("address",),
            f"the address of {where(first[key])} again: terraform writes one entry per resource instance (and "
            "one per deposed object), so the document is edited",
        )
    first[key] = path


def _module_config(module: dict, path: tuple) -> None:
    """A module of ``configuration``: resource blocks, module calls, variables, outputs (not expressions)."""
    for i, block in enumerate(_optional_list(module, "resources", path)):
        if _block_ok(block):
            continue
        here = path + ("resources", i)
        _expect(block, dict, here, "an object")
        _required(block, "address", str, here, "a string")
        for key in ("mode", "type", "name", "provider_config_key"):
            _optional(block, key, str, here, "a string")
        for key in _BLOCK_PARTS:
            _optional(block, key, _OBJECTS, here, "an object")
    calls = _section(module, "module_calls", path)
    for call_name, call in calls.items():
        here = path + ("module_calls", call_name)
        _expect(call, dict, here, "an object")
        _optional(call, "source", str, here, "a string")
        for key in _BLOCK_PARTS:
            _optional(call, key, dict, here, "an object")
        child = call.get("module")
        if child is not None:
            _expect(child, dict, here + ("module",), "an object")
            _module_config(child, here + ("module",))
    for section in ("variables", "outputs"):
        for key, value in _section(module, section, path).items():
            _expect(value, dict, path + (section, key), "an object")


# The same checks as the functions above, as predicates without a message: what a large plan goes
# through, entry by entry (a predicate may be stricter than its function, never laxer; test_soundness.py
# checks them against each other).
def _head_ok(resource: dict) -> bool:
    index = resource.get("index")
    return (
        isinstance(resource.get("address"), str)
        and resource.get("mode") in MODES
        and isinstance(resource.get("type"), str)
        and isinstance(resource.get("name"), str)
        and (index is None or (isinstance(index, (int, str)) and not isinstance(index, bool)))
    )


def _entry_ok(entry: Any) -> bool:
    if not isinstance(entry, dict) or not _head_ok(entry):
        return False
    for key in _TEXTS:
        text = entry.get(key)
        if text is not None and not isinstance(text, str):
            return False
    change = entry.get("change")
    if not isinstance(change, dict):
        return False
    actions = change.get("actions")
    if not isinstance(actions, list) or not actions or not all(action in ACTIONS for action in actions):
        return False
    before, after, unknown = change.get("before"), change.get("after"), change.get("after_unknown")
    if (before is not None and not isinstance(before, dict)) or (after is not None and not isinstance(after, dict)):
        return False
    if unknown is not None and unknown is not False and not isinstance(unknown, _OBJECTS):
        return False
    for key in ("before_sensitive", "after_sensitive"):
        marks = change.get(key)
        if marks is not None and not isinstance(marks, (*_OBJECTS, bool)):
            return False
    replace_paths = change.get("replace_paths")
    return replace_paths is None or (
        isinstance(replace_paths, list)
        and all(
            isinstance(steps, list) and all(isinstance(s, (str, int)) and not isinstance(s, bool) for s in steps)
            for steps in replace_paths
        )
    )


def _block_ok(block: Any) -> bool:
    if not isinstance(block, dict) or not isinstance(block.get("address"), str):
        return False
    for key in ("mode", "type", "name", "provider_config_key"):
        if block.get(key) is not None and not isinstance(block[key], str):
            return False
    return all(block.get(key) is None or isinstance(block[key], _OBJECTS) for key in _BLOCK_PARTS)


# ---------------------------------------------------------------------- the cross-checks
def _planned_resources(doc: dict):
    planned = doc.get("planned_values") or {}
    stack: list[tuple[dict, tuple[str | int, ...]]] = [
        (planned.get("root_module") or {}, ("planned_values", "root_module"))
    ]
    while stack:
        module, here = stack.pop()
        for i, resource in enumerate(module.get("resources") or ()):
            yield here + ("resources", i), resource
        for i, child in enumerate(module.get("child_modules") or ()):
            stack.append((child, here + ("child_modules", i)))


def _configured_blocks(doc: dict):
    """(path, full block address) of each managed resource block that has exactly one instance per module
    instance: no count or for_each on the block or on any module call above it."""
    root = (doc.get("configuration") or {}).get("root_module")
    stack: list[tuple[dict, tuple[str | int, ...], str]] = [(root or {}, ("configuration", "root_module"), "")]
    while stack:
        module, here, prefix = stack.pop()
        for i, block in enumerate(module.get("resources") or ()):
            if block.get("mode", "managed") == "managed" and not _counted(block):
                yield here + ("resources", i), prefix + block["address"]
        for call_name, call in (module.get("module_calls") or {}).items():
            if not _counted(call) and isinstance(call.get("module"), dict):
                stack.append(
                    (call["module"], here + ("module_calls", call_name, "module"), f"{prefix}module.{call_name}.")
                )


def _counted(block: dict) -> bool:
    return "count_expression" in block or "for_each_expression" in block


# ---------------------------------------------------------------------- small checks
def _expect(value: Any, kind: type | tuple[type, ...], path: tuple, wanted: str) -> None:
    if not isinstance(value, kind):
        raise _Problem(path, f"expected {wanted}, got {describe(value)}")


def _required(parent: dict, key: str, kind: type, path: tuple, wanted: str) -> Any:
    if key not in parent:
        raise _Problem(path + (key,), f"missing (expected {wanted})")
    value = parent[key]
    _expect(value, kind, path + (key,), wanted)
    return value


def _optional(parent: dict, key: str, kind: type | tuple[type, ...], path: tuple, wanted: str) -> None:
    value = parent.get(key)
    if value is not None:
        _expect(value, kind, path + (key,), wanted)


def _section(parent: dict, key: str, path: tuple) -> dict:
    """An object the loader reads, absent or null meaning empty (other tools that rewrite plans write null)."""
    value = parent.get(key)
    if value is None:
        return {}
    _expect(value, dict, path + (key,), "an object")
    return value


def _optional_list(parent: dict, key: str, path: tuple) -> list:
    value = parent.get(key)
    if value is None:
        return []
    _expect(value, list, path + (key,), "an array")
    return value

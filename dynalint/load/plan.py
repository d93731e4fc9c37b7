"""``terraform show -json`` output (a plan or a state) to a Model.

A plan's resources come from ``resource_changes`` (one entry per instance,
no-ops included), joined with the configuration. ``after`` is overlaid with
``after_unknown``: a value the configuration sets but that is only known after
apply becomes ``UNKNOWN``; a value the configuration leaves out is absent (the
provider shows it as unknown on create, AWS applies its default). Values under
``after_sensitive``/``before_sensitive`` become ``SENSITIVE`` so no later stage
ever sees them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from dynalint import address as addr
from dynalint.configured import Match, is_configured
from dynalint.errors import InputError
from dynalint.load.aws_blocks import PLAIN_BLOCKS, READ_ONLY
from dynalint.load.configuration import Configuration, References
from dynalint.load.decode import decoded
from dynalint.load.validate import check_complete, check_document, describe
from dynalint.model import SENSITIVE, UNKNOWN, Change, Model, Resource


class RawResource(NamedTuple):
    """A resource instance as read from the input, before its references are resolved: what
    ``build_resources`` makes a Resource of (from a plan, a state, or the .tf evaluator)."""

    entry: dict  # the input's entry: address, type, name, mode, and index when it has one
    values: dict
    change: Change | None
    module_address: str  # the module instance: module.a["x"]
    module_path: tuple[str, ...]  # the module, without instance keys: ("a",)
    local: str  # the block's address in its module: aws_t.n, data.aws_t.n
    configured: dict | None  # the configured tree (dynalint.configured)


def load_document(doc: Any, name: str, allow_errored: bool = False) -> Model:
    """Build a Model from a parsed plan or state document, once it is checked whole (dynalint.load.validate).

    A plan terraform could not finish (``errored``) is refused unless ``allow_errored``: it holds only
    part of the changes, and a gate that lints part of a plan passes what it did not see.

    The document's changes go into the model: ``resource_changes`` is taken out of it, and each entry
    gives up its ``change`` as its resource is built (its value trees become the resource's, the rest is
    let go), so that a large plan's changes are never held twice. The rest of the document is left as
    it was.
    """
    kind = document_kind(doc, name)
    check_document(doc, name, kind)
    warnings = []
    if doc.get("errored") is True:
        if not allow_errored:
            raise InputError(
                f"{name}: errored: terraform could not finish this plan, so it holds only part of "
                "the changes; fix the errors terraform reported and plan again (or lint the part it "
                "holds with --allow-errored-plan)"
            )
        warnings.append(f"{name}: the plan errored in Terraform; linting the resources it holds (--allow-errored-plan)")
    elif kind == "plan":
        check_complete(doc, name)
        if doc.get("complete") is False:
            warnings.append(
                f"{name}: the plan is partial (made with -target, or with deferred changes): resources "
                "outside it are not seen, so a finding about a missing alarm, autoscaling or key may be "
                "about one that exists"
            )
    version = doc["format_version"]
    secrets: set[str] = set()
    try:
        resources, data = (_plan_resources if kind == "plan" else _state_resources)(doc, secrets)
    except InputError as exc:  # an address dynalint cannot split
        raise InputError(f"{name}: {exc}") from None
    _root_sensitive_variables(doc, secrets)
    if secrets:
        # Terraform does not mark every copy of a sensitive value (tags_all, for one):
        # hide any string that holds a known secret, wherever it is.
        for resource in resources:
            _hide_secrets(resource.values, secrets)
            if resource.change is not None:
                _hide_secrets(resource.change.before, secrets)
    return Model(
        resources=tuple(resources),
        data_sources=tuple(data),
        input_file=name,
        input_kind=kind,
        format_version=version,
        terraform_version=doc.get("terraform_version"),
        warnings=tuple(warnings),
        secrets=frozenset(secrets),
    )


def document_kind(doc: Any, name: str) -> str:
    """ "plan" or "state", or an InputError that says what the JSON looks like instead."""
    if not isinstance(doc, dict):
        what = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(doc), "a number")
        raise InputError(
            f"{name}: the JSON is {what}, not a Terraform plan or state (expected the object "
            "`terraform show -json` writes)"
        )
    if any(k in doc for k in ("resource_changes", "planned_values", "configuration")):
        return "plan"
    if "values" in doc or ("format_version" in doc and "terraform_version" in doc):
        return "state"
    if set(doc) == {"format_version"}:
        version = doc["format_version"]
        if version == "1.0" or (isinstance(version, str) and version.startswith("0.")):
            return "state"  # `terraform show -json` where nothing is applied yet: an empty state
        raise InputError(
            f"{name}: the JSON has only a format_version ({describe(version, True)}): not a plan (no "
            "resource_changes, planned_values or configuration), nor the empty state terraform writes "
            '({"format_version":"1.0"})'
        )
    if not doc:
        raise InputError(f"{name}: the JSON is an empty object, not a Terraform plan or state")
    if "version" in doc and "resources" in doc and "lineage" in doc:
        raise InputError(
            f"{name}: this is a raw terraform.tfstate file; run `terraform show -json` to "
            "get the state in the JSON format dynalint reads"
        )
    keys = ", ".join(json.dumps(k, ensure_ascii=False) for k in sorted(map(str, doc))[:6])  # quoted: keys hold anything
    raise InputError(
        f"{name}: the JSON has keys {keys}, not those of a Terraform plan or state "
        "(format_version with planned_values/resource_changes, or values)"
    )


# ---------------------------------------------------------------------- plans
def _plan_resources(doc: dict, secrets: set[str]) -> tuple[list[Resource], list[Resource]]:
    config = Configuration(_dict(doc.get("configuration")), doc.get("variables"))
    entries = doc.pop("resource_changes", None) or []  # see load_document: the model takes them
    if not entries:  # no resource changes (check_complete made sure): the data sources of an old plan, if any
        return _state_like(_module_resources(_dict(doc.get("planned_values")).get("root_module")), config, secrets)
    planned_data = None  # planned_values' data sources by address, for an old plan's data entries without "after"
    raw = []
    no_blocks: frozenset = frozenset()
    for entry in entries:  # dynalint.load.validate checked each: an object, its change an object, ...
        change = entry.pop("change")  # see load_document: the model takes it
        actions = tuple(change["actions"])
        after = planned = change.get("after")
        before = change.get("before")
        if after is None and entry["mode"] == "data":
            if planned_data is None:
                planned_data = {
                    r["address"]: r
                    for r in _module_resources(_dict(doc.get("planned_values")).get("root_module"))
                    if r.get("mode") == "data"
                }
            if entry["address"] in planned_data:
                after = planned_data[entry["address"]].get("values")
        values = _dict(after) if after is not None else {}
        module_address = _module_address(entry)
        module_path, local = _config_key(entry, module_address)
        configured = config.configured(module_path, local)
        unknown = decoded(change.get("after_unknown")) if after is not None else None
        after_marks, before_marks = decoded(change.get("after_sensitive")), decoded(change.get("before_sensitive"))
        if before is not None and before is planned and (unknown or before_marks != after_marks):
            before = copy.deepcopy(before)  # one tree stands for both (dynalint.load.decode), to be marked apart
        masked = values
        if after is not None:
            if unknown:  # None, false and {} mark nothing
                _overlay_unknown(values, unknown, configured, (), PLAIN_BLOCKS.get(entry["type"], no_blocks))
            if after_marks:
                masked = _mask(values, after_marks, secrets)
                values = masked if isinstance(masked, dict) else {}
        if before is not None and before is planned:
            before = masked  # the same tree, with the same marks and nothing unknown
        elif before_marks:
            before = _mask(before, before_marks, secrets)
        raw.append(
            RawResource(
                entry,
                values,
                Change(
                    actions=actions,
                    before=before,
                    replace_paths=tuple(tuple(p) for p in change.get("replace_paths") or ()),
                    action_reason=entry.get("action_reason"),
                ),
                module_address,
                module_path,
                local,
                configured,
            )
        )
    del entries  # each is the raw list's now, let go as its resource is built
    return build_resources(raw, config)


def _state_resources(doc: dict, secrets: set[str]) -> tuple[list[Resource], list[Resource]]:
    config = Configuration({}, None)
    return _state_like(_module_resources(_dict(doc.get("values")).get("root_module")), config, secrets)


def _state_like(entries: list[dict], config: Configuration, secrets: set[str]):
    raw = []
    for entry in entries:
        values = _mask(_dict(entry.get("values")), entry.get("sensitive_values"), secrets)
        values = values if isinstance(values, dict) else {}
        module_address = _module_of(entry["address"])
        module_path, local = _config_key(entry, module_address)
        raw.append(
            RawResource(entry, values, None, module_address, module_path, local, config.configured(module_path, local))
        )
    return build_resources(raw, config)


def build_resources(
    raw: list[RawResource],
    config: Configuration,
    iterator_facts: Mapping[str, tuple] | None = None,
) -> tuple[list[Resource], list[Resource]]:
    """Resolve references now that every instance address is known, and build the Resources (``raw`` is
    emptied: its entries are taken as they are built).

    ``iterator_facts`` (.tf input) adds, per address, what the configuration
    cannot say about its iterators' elements: the (attribute path, module
    instance address, reference) of what they refer to, and the ModuleSettings
    of what they write (see dynalint.load.hcl.tracer).
    """
    refs = reference_resolver(config, [(r.entry["address"], r.module_address) for r in raw])
    resources: list[Resource] = []
    data: list[Resource] = []
    ref_cache: dict[tuple, list] = {}
    provider: dict[tuple, tuple] = {}  # (module path, block) -> (region, default_tags)
    for entry, values, change, module_address, module_path, local, configured in _taken(raw):
        index = entry.get("index")
        key = (module_address, local, _hashable(index))
        if key not in ref_cache:
            ref_cache[key] = _resolve_references(
                refs, config, module_address, module_path, local, index, entry["address"]
            )
            if iterator_facts and entry["address"] in iterator_facts:
                ref_cache[key] = resolve_scoped(
                    refs, iterator_facts[entry["address"]][0], entry["address"], ref_cache[key]
                )
        block = (module_path, local)
        if block not in provider:
            provider[block] = (config.region(module_path, local), config.default_tags(module_path, local))
        region, default_tags = provider[block]
        resource = Resource(
            address=entry["address"],
            type=entry["type"],
            name=entry["name"],
            values=values,
            module=module_address,
            mode=entry["mode"],
            index=index,
            change=change,
            configured=configured,
            references=tuple(ref_cache[key]),
            region=region,
            default_tags=default_tags,
            module_settings=config.module_settings(module_path, local)
            + tuple(
                iterator_facts[entry["address"]][1] if iterator_facts and entry["address"] in iterator_facts else ()
            ),
        )
        (data if resource.mode == "data" else resources).append(resource)
    return resources, data


def _taken(raw: list[RawResource]) -> Iterator[RawResource]:
    """The entries of ``raw`` in order, each taken out of it as it is handed over (the list ends empty): what
    an entry holds besides the values its Resource keeps is let go as the Resources are built."""
    raw.reverse()
    while raw:
        yield raw.pop()


def _resolve_references(
    refs: References,
    config: Configuration,
    module_address: str,
    module_path: tuple,
    local: str,
    index: Any,
    own_address: str,
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen = set()
    for attr_path, ref_strings in config.raw_references(module_path, local):
        for ref in ref_strings:
            for target in refs.resolve(module_address, index, ref):
                if target != own_address and (attr_path, target) not in seen:
                    seen.add((attr_path, target))
                    out.append((attr_path, target))
    return out


def reference_resolver(config: Configuration, addresses: Iterable[tuple[str, str]]) -> References:
    """A References over these (resource address, module instance address) pairs."""
    instances: dict[str, list[str]] = {}
    module_instances: dict[str, dict[str, None]] = {}  # call -> its instances, in order, each once
    for address, module_address in addresses:
        instances.setdefault(addr.strip_index(address), []).append(address)
        _register_modules(module_address, module_instances)
    return References(config, instances, module_instances)


def resolve_scoped(
    refs: References, scoped: Iterable[tuple[str, str, str]], own_address: str, found: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """``found`` plus the targets of (attribute path, module instance address, reference) triples."""
    out = list(found)
    seen = set(out)
    for attr_path, module_address, ref in scoped:
        for target in refs.resolve(module_address, None, ref):
            if target != own_address and (attr_path, target) not in seen:
                seen.add((attr_path, target))
                out.append((attr_path, target))
    return out


def _register_modules(module_address: str, module_instances: dict[str, dict[str, None]]) -> None:
    """Record every module instance prefix: module.a["x"].module.b -> under key module.a["x"].module.b
    (a dict for each call, so that a call of a hundred thousand instances is not searched for each)."""
    if not module_address:
        return
    parts = _steps(module_address)
    prefix = ""
    for i in range(0, len(parts) - 1, 2):
        call = f"{prefix}.module.{parts[i + 1][0]}" if prefix else f"module.{parts[i + 1][0]}"
        instance = call + parts[i + 1][1]
        module_instances.setdefault(call, {})[instance] = None
        prefix = instance


def _config_key(entry: dict, module_address: str) -> tuple[tuple[str, ...], str]:
    local = addr.strip_index(entry["address"][len(module_address) + 1 :] if module_address else entry["address"])
    _steps(module_address)  # an address it cannot split is an InputError naming it, not a ValueError below
    return addr.module_path(module_address), local


def _module_address(entry: dict) -> str:
    """The entry's module_address where it is the prefix of its address, else the one its address names."""
    given = entry.get("module_address")
    if isinstance(given, str) and given and entry["address"].startswith(given + "."):
        return given
    return _module_of(entry["address"])


def _module_of(address: str) -> str:
    """The module instance prefix of a resource address ('' for the root module). Split without the cache:
    each resource's address is split once here, and a cache of them all would hold megabytes to the end."""
    parts = _steps(address, addr.split)
    cut = 0
    while cut + 1 < len(parts) and parts[cut][0] == "module":
        cut += 2
    return ".".join(f"{n}{i}" for n, i in parts[:cut])


def _steps(
    address: str, split: Callable[[str], tuple[tuple[str, str], ...]] = addr.steps
) -> tuple[tuple[str, str], ...]:
    """``addr.steps``, with an address it cannot split as an InputError (load_document names the file)."""
    try:
        return split(address)
    except ValueError:
        shown = address if len(address) <= 80 else address[:77] + "..."
        raise InputError(f"resource address {shown!r} is not one dynalint can read") from None


def _module_resources(module: Any) -> list[dict]:
    """Every resource of a planned_values / values module tree, child modules included."""
    out: list[dict] = []
    stack = [module]
    while stack:
        mod = stack.pop()
        if not isinstance(mod, dict):
            continue
        out.extend(r for r in _list(mod.get("resources")) if isinstance(r, dict))
        stack.extend(reversed(_list(mod.get("child_modules"))))
    return out


# ---------------------------------------------------------------------- value trees
def _overlay_unknown(values: Any, unknown: Any, configured: Any, path: tuple, plain_blocks: frozenset) -> Any:
    """Write UNKNOWN (configured) or None (not configured) into ``values`` where after_unknown is true.

    ``plain_blocks`` are the type's blocks that are not Optional+Computed: one of
    them unknown yet absent from the configuration is a dynamic block whose
    for_each is known only after apply, so it stays unknown. And one the plan
    shows but the configuration does not write was written by a ``dynamic``
    block (``terraform show -json`` leaves those out of the configuration):
    absent from the configuration is then no evidence of unset, and the
    unknown values inside stay unknown.
    """
    if isinstance(unknown, dict) and isinstance(values, dict):
        for key, sub in unknown.items():
            if sub is True:
                if not path and key in plain_blocks:
                    values[key] = UNKNOWN
                else:
                    values[key] = _unknown_or_absent(values.get(key), configured, path + (key,))
            elif isinstance(sub, (dict, list)) and sub:
                if key not in values or values[key] is None:
                    continue
                inside = (
                    None if not path and key in plain_blocks and from_dynamic_block(configured, key) else configured
                )
                _overlay_unknown(values[key], sub, inside, path + (key,), plain_blocks)
    elif isinstance(unknown, list) and isinstance(values, list):
        for i, sub in enumerate(unknown[: len(values)]):
            if sub is True:
                values[i] = UNKNOWN
            elif isinstance(sub, (dict, list)) and sub:
                _overlay_unknown(values[i], sub, configured, path + (_element(values[i], i),), plain_blocks)
    return values


def from_dynamic_block(configured: Any, key: str) -> bool:
    """Whether a top-level block the plan holds is missing from a configuration that is known: it was
    then written by a ``dynamic`` block (only for blocks that are not Optional+Computed)."""
    return isinstance(configured, dict) and key not in configured


def settle_unknown_from_source(resource: Resource, written: Mapping[str, Any]) -> Resource:
    """The resource with the unknown values its .tf source leaves unset made absent.

    ``written`` is the resource's values evaluated from its .tf source
    (dynamic blocks expanded, ``each.value`` read). The plan's configuration
    cannot say that ``try(each.value.maximum_retry_attempts, null)`` or a
    dynamic block's ``lookup(replica.value, "kms_key_arn", null)`` is null,
    and it leaves dynamic blocks out altogether, so the plan's unknown stays
    unknown (see _overlay_unknown). Where the source writes null, or, in a
    block a dynamic block wrote, does not write the attribute at all (a
    read-only one such as a replica's arn aside), the value is unset: the
    provider computes it and AWS applies its default. Only unknown values
    change. Blocks are matched by name or region, else by position.
    """
    plain = PLAIN_BLOCKS.get(resource.type, frozenset())
    read_only = READ_ONLY.get(resource.type, {})
    out, changed = dict(resource.values), False
    for key, value in resource.values.items():
        if key not in written:
            continue
        if value is UNKNOWN and written[key] is None:
            out[key], changed = None, True
        elif isinstance(value, list):
            dynamic = key in plain and from_dynamic_block(resource.configured, key)
            settled = _settled(value, written[key], key, dynamic, read_only)
            out[key], changed = settled, changed or settled is not value
    return replace(resource, values=out) if changed else resource


def _settled(planned: Any, source: Any, path: str, dynamic: bool, read_only: Mapping[str, frozenset]) -> Any:
    """``planned`` (a block list or block) with the UNKNOWN values ``source`` leaves unset made None; the
    same object when nothing changes. In a ``dynamic`` block, an attribute the source does not write is unset
    too, unless it is read-only."""
    if isinstance(planned, list) and isinstance(source, list):
        keyed = {_element(s, i): s for i, s in enumerate(source)}
        same_length = len(planned) == len(source)
        out: list[Any] = []
        for i, item in enumerate(planned):
            step = _element(item, i)
            match = keyed.get(step) if isinstance(step, Match) or same_length else None
            out.append(_settled(item, match, path, dynamic, read_only) if match is not None else item)
        return planned if all(a is b for a, b in zip(out, planned, strict=False)) else out
    if isinstance(planned, dict) and isinstance(source, dict):
        settled: dict[Any, Any] = {}
        for key, value in planned.items():
            unset = source.get(key) is None and (key in source or (dynamic and key not in read_only.get(path, ())))
            if value is UNKNOWN and unset:
                settled[key] = None
            elif isinstance(value, list) and key in source:
                settled[key] = _settled(value, source[key], f"{path}.{key}", dynamic, read_only)
            else:
                settled[key] = value
        return planned if all(settled[k] is planned[k] for k in planned) else settled
    return planned


def _element(value: Any, index: int) -> Any:
    """A path step for a block in a list: its name (or region) where it has one, to match its configuration."""
    if isinstance(value, dict):
        for key in ("name", "region_name"):
            if isinstance(value.get(key), str):
                return Match(key, value[key])
    return index


def _unknown_or_absent(current: Any, configured: Any, path: tuple) -> Any:
    if current is not None:
        return UNKNOWN  # the plan shows a partial value: keep it unknown
    if configured is None or is_configured(configured, path):
        return UNKNOWN
    return None


def _mask(value: Any, sensitive: Any, secrets: set[str]) -> Any:
    """Replace every value marked sensitive by SENSITIVE, remembering the strings it held."""
    if sensitive is True:
        if value is None:
            return None
        collect_secrets(value, secrets)
        return SENSITIVE
    if isinstance(sensitive, dict) and isinstance(value, dict):
        for key, sub in sensitive.items():
            if sub and key in value:
                value[key] = _mask(value[key], sub, secrets)
    elif isinstance(sensitive, list) and isinstance(value, list):
        for i, sub in enumerate(sensitive[: len(value)]):
            if sub:
                value[i] = _mask(value[i], sub, secrets)
    return value


def _hide_secrets(value: Any, secrets: set[str]) -> None:
    """Replace, in place, every string that contains one of ``secrets`` by SENSITIVE."""
    stack = [value]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, item in items:
            if isinstance(item, str):
                if any(secret in item for secret in secrets):
                    node[key] = SENSITIVE
            elif isinstance(item, (dict, list)):
                stack.append(item)


def collect_secrets(value: Any, secrets: set[str]) -> None:
    """Add the strings (and numbers, as text) of a sensitive value to ``secrets``, for the scrubbing of
    any copy Terraform leaves unmarked; values shorter than 4 characters would scrub too much."""
    for leaf in _leaves(value):
        text = str(leaf) if not isinstance(leaf, str) else leaf
        if len(text) >= 4 and leaf is not True and leaf is not False:
            secrets.add(text)


def _leaves(value: Any) -> Iterator[Any]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif item is not None and item is not UNKNOWN and item is not SENSITIVE:
            yield item


def _root_sensitive_variables(doc: dict, secrets: set[str]) -> None:
    """Values of root variables declared ``sensitive = true`` (the plan's variables section shows them plain)."""
    declared = _dict(_dict(_dict(doc.get("configuration")).get("root_module")).get("variables"))
    values = _dict(doc.get("variables"))
    for name, decl in declared.items():
        if isinstance(decl, dict) and decl.get("sensitive") is True:
            collect_secrets(_dict(values.get(name)).get("value"), secrets)
            collect_secrets(decl.get("default"), secrets)


def _hashable(value: Any) -> Any:
    return value if isinstance(value, (str, int, type(None))) else repr(value)


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []

"""A table's key schema as rules read it: its hash and range keys, its secondary indexes, the types its
`attribute` blocks declare, and every use of an attribute as a key.

Read once per table (``derived``) for every rule that asks. Each answer is the
value, None when absent, or UNKNOWN when the plan cannot tell. Index blocks are
sets in the provider: their order in a plan is not the source order, so indexes
come sorted by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dynalint.model import UNKNOWN, Resource, is_known
from dynalint.values import blocks, derived

GSI = "global_secondary_index"
LSI = "local_secondary_index"
KIND_WORDS = {GSI: "global secondary index", LSI: "local secondary index"}


@dataclass(frozen=True)
class SecondaryIndex:
    """One secondary index as the rules read it; keys are None when absent, UNKNOWN when not known.

    ``keys`` is every key attribute of the index as (name, role) pairs, or
    UNKNOWN; ``hash_key``/``range_key`` are UNKNOWN for a multi-attribute key.
    """

    kind: str
    name: Any
    hash_key: Any
    range_key: Any
    projection_type: Any
    non_key_attributes: Any
    keys: Any

    @property
    def path(self) -> str:
        return f"{self.kind}.{self.name}" if isinstance(self.name, str) else self.kind

    @property
    def title(self) -> str:
        named = f" '{self.name}'" if isinstance(self.name, str) else ""
        return f"{KIND_WORDS[self.kind]}{named}"


def key_name(value: Any) -> Any:
    """A key attribute name, None when absent (the plan shows an unset GSI range_key as ""), else UNKNOWN."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    return UNKNOWN  # not known until apply, sensitive, or not a string: cannot be judged


def name_list(value: Any) -> Any:
    """non_key_attributes as a list of names ([] when absent), or UNKNOWN when any of it is not known."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        return UNKNOWN
    return list(value)


def table_keys(table: Resource) -> tuple[Any, Any]:
    """The table's (hash_key, range_key), each a name, None or UNKNOWN."""
    return derived(table, "key_schema.table-keys", _read_table_keys)


def _read_table_keys(table: Resource) -> tuple[Any, Any]:
    return key_name(table.values.get("hash_key")), key_name(table.values.get("range_key"))


def indexes(table: Resource, kind: str) -> list[SecondaryIndex] | Any:
    """The table's indexes of one kind, sorted by name; UNKNOWN when the blocks are not known.

    An LSI's hash key is the table's hash key.
    """
    if kind == GSI:
        return derived(table, "key_schema.gsis", _read_gsis)
    return derived(table, "key_schema.lsis", _read_lsis)


def _read_gsis(table: Resource) -> list[SecondaryIndex] | Any:
    return _read_indexes(table, GSI)


def _read_lsis(table: Resource) -> list[SecondaryIndex] | Any:
    return _read_indexes(table, LSI)


def _read_indexes(table: Resource, kind: str) -> list[SecondaryIndex] | Any:
    found = blocks(table.values, kind)
    if not is_known(found):
        return UNKNOWN
    table_hash = table_keys(table)[0]
    out = [read_index(b, kind, table_hash) for b in found]
    return sorted(out, key=lambda i: (str(i.name), str(i.hash_key), str(i.range_key)))


def read_index(found: Mapping, kind: str, table_hash: Any = None) -> SecondaryIndex:
    """One index block (of the plan's values, or of its prior values) as a SecondaryIndex; ``table_hash`` is
    the table's hash key, an LSI's own."""
    hash_key, range_key, keys = _gsi_keys(found) if kind == GSI else _lsi_keys(found, table_hash)
    return SecondaryIndex(
        kind=kind,
        name=_string_setting(found.get("name")),
        hash_key=hash_key,
        range_key=range_key,
        projection_type=_string_setting(found.get("projection_type")),
        non_key_attributes=name_list(found.get("non_key_attributes")),
        keys=keys,
    )


def _gsi_keys(found: Mapping) -> tuple[Any, Any, Any]:
    """(hash_key, range_key, keys) of a GSI block.

    aws provider 6 may write `key_schema` blocks instead of hash_key/range_key,
    with up to four attributes per role; such a multi-attribute key has no
    single hash_key or range_key to judge.
    """
    schema = blocks(found, "key_schema")
    if not is_known(schema):
        return UNKNOWN, UNKNOWN, UNKNOWN
    if not schema:
        hash_key, range_key = key_name(found.get("hash_key")), key_name(found.get("range_key"))
        return hash_key, range_key, _key_pairs((hash_key, "hash_key"), (range_key, "range_key"))
    roles: dict[str, list[str]] = {"HASH": [], "RANGE": []}
    for element in schema:
        name, role = element.get("attribute_name"), element.get("key_type")
        if not isinstance(name, str) or role not in roles:
            return UNKNOWN, UNKNOWN, UNKNOWN
        roles[role].append(name)
    keys = tuple([(name, "hash_key") for name in roles["HASH"]] + [(name, "range_key") for name in roles["RANGE"]])
    return _single(roles["HASH"]), _single(roles["RANGE"]), keys


def _lsi_keys(found: Mapping, table_hash: Any) -> tuple[Any, Any, Any]:
    """(hash_key, range_key, keys) of an LSI block: its hash key is the table's."""
    range_key = key_name(found.get("range_key"))
    return table_hash, range_key, _key_pairs((range_key, "range_key"))


def _key_pairs(*named: tuple[Any, str]) -> Any:
    if any(not is_known(name) for name, _role in named):
        return UNKNOWN
    return tuple((name, role) for name, role in named if name is not None)


def _single(names: list[str]) -> Any:
    return names[0] if len(names) == 1 else (None if not names else UNKNOWN)


def known_indexes(table: Resource) -> list[SecondaryIndex]:
    """GSIs then LSIs, leaving out a kind whose blocks are not known."""
    return derived(table, "key_schema.known-indexes", _read_known_indexes)


def _read_known_indexes(table: Resource) -> list[SecondaryIndex]:
    out: list[SecondaryIndex] = []
    for kind in (GSI, LSI):
        found = indexes(table, kind)
        if is_known(found):
            out.extend(found)
    return out


def all_indexes(table: Resource) -> list[SecondaryIndex] | Any:
    """GSIs then LSIs, or UNKNOWN when either kind is not known."""
    gsis, lsis = indexes(table, GSI), indexes(table, LSI)
    if not is_known(gsis) or not is_known(lsis):
        return UNKNOWN
    return gsis + lsis


def attribute_types(table: Resource) -> dict[str, Any] | Any:
    """Declared attribute name -> type (the type may be UNKNOWN); UNKNOWN when a name is not known."""
    return derived(table, "key_schema.attribute-types", _read_attribute_types)


def _read_attribute_types(table: Resource) -> dict[str, Any] | Any:
    found = blocks(table.values, "attribute")
    if not is_known(found):
        return UNKNOWN
    out: dict[str, Any] = {}
    for attribute in found:
        name = attribute.get("name")
        if not isinstance(name, str):
            return UNKNOWN
        out[name] = attribute.get("type")
    return out


def key_uses(table: Resource) -> tuple[tuple[str, str], ...]:
    """(attribute name, where it is used as a key) for every known key of the table and its indexes."""
    return derived(table, "key_schema.key-uses", _read_key_uses)


def _read_key_uses(table: Resource) -> tuple[tuple[str, str], ...]:
    out = []
    table_hash, table_range = table_keys(table)
    for role, name in (("hash_key", table_hash), ("range_key", table_range)):
        if isinstance(name, str):
            out.append((name, f"the table's {role}"))
    for index in known_indexes(table):
        if is_known(index.keys):
            for name, role in index.keys:
                out.append((name, f"the {role} of {index.title}"))
    return tuple(out)


def _string_setting(value: Any) -> Any:
    """A string setting: the string, None when absent, UNKNOWN when not known (or not a string)."""
    if isinstance(value, str):
        return value
    return None if value is None else UNKNOWN

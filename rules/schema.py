"""Keys, indexes and schema: what a table's key schema and secondary indexes must be for AWS to accept them.

Several of these mistakes pass `terraform plan` and fail only at apply (an LSI
on a table without a sort key, INCLUDE without attributes, six LSIs); others
the provider rejects at plan time, so only `.tf` input shows them (pre-commit,
before any plan exists). Index blocks are sets in the provider: their order in
a plan is not the source order, so findings name an index by its name.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from dynalint.model import Resource, is_known
from dynalint.rule import AddBlock, Block, Context, Fix, Issue, RemoveBlock, rule
from dynalint.values import block, blocks, bool_of, label, prior_values

from ._key_schema import (
    GSI,
    KIND_WORDS,
    LSI,
    SecondaryIndex,
    all_indexes,
    attribute_types,
    indexes,
    key_uses,
    known_indexes,
    read_index,
    table_keys,
)
from ._messages import shown

TAGS = ("schema", "dynamodb")
KEY_TYPES = ("S", "N", "B")
MAX_LSIS = 5
MAX_PROJECTED_ATTRIBUTES = 100
LOW_CARDINALITY_PATTERNS = [
    "status",
    "state",
    "type",
    "kind",
    "category",
    "is_*",
    "has_*",
    "*_flag",
    "enabled",
    "active",
    "deleted",
    "bool",
    "gender",
]
# Words of a name: an upper-case run (an acronym), a capitalised or lower-case word, a run of digits.
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


# ---------------------------------------------------------------- DDB301-DDB303: attribute blocks
@rule(
    id="DDB301",
    slug="undefined-key-attribute",
    level="error",
    applies=["aws_dynamodb_table"],
    security_severity=2.0,
    tags=TAGS,
    fix="unsafe",
)
def undefined_key_attribute(table: Resource, ctx: Context) -> Iterator[Issue]:
    """A key of the table or of an index has no `attribute` block.

    ## What it checks
    The `hash_key` and `range_key` of an `aws_dynamodb_table`, of each
    `global_secondary_index` (or the attributes of its `key_schema` blocks, aws
    provider 6) and the `range_key` of each `local_secondary_index`, against
    the names declared in `attribute` blocks. Every key attribute must be
    declared there with its type.

    ## Why it matters
    DynamoDB needs the type (S, N or B) of every attribute used in a key schema
    (`AttributeDefinitions` in `CreateTable`). The aws provider rejects the
    table at plan time ("all indexes must match a defined attribute"), so this
    rule matters on `.tf` input: pre-commit catches it before anyone plans.

    ## Known limits
    Keys and attribute blocks whose values are known only after apply, or
    written with `dynamic` blocks, are not judged.

    ## Fix
    Unsafe (`--unsafe-fixes`): `dynalint --fix` adds an `attribute` block for
    the key, after the table's other `attribute` blocks, with `type = "S"`: the
    configuration does not say the key's type, and a string is only the usual
    one. Check it: changing a key's type later replaces the table.

    ## References
    - [AttributeDefinition (DynamoDB API)](https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeDefinition.html)
    - [aws_dynamodb_table: attribute](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#attribute)
    """
    declared = attribute_types(table)
    if not is_known(declared):
        return
    missing: dict[str, list[str]] = {}
    for name, where in key_uses(table):
        if name not in declared and where not in missing.setdefault(name, []):
            missing[name].append(where)
    for name, uses in sorted(missing.items()):
        yield Issue(
            f"Table {label(table)} uses '{name}' as {' and '.join(uses)} but has no `attribute` block "
            f'for it: add an `attribute` block with `name = "{name}"` and the key\'s type (S, N or B).',
            path=f"attribute.{name}",
            fix=Fix(
                f"Declare attribute '{name}' as a string (S): check the type",
                AddBlock("attribute", {"name": name, "type": "S"}),
                safe=False,
            ),
        )


@rule(
    id="DDB302",
    slug="unused-attribute-definition",
    level="error",
    applies=["aws_dynamodb_table"],
    security_severity=2.0,
    tags=TAGS,
    fix="safe",
)
def unused_attribute_definition(table: Resource, ctx: Context) -> Iterator[Issue]:
    """An `attribute` block declares an attribute that is no key of the table or of an index.

    ## What it checks
    Each `attribute` block of an `aws_dynamodb_table` whose name is not the
    table's `hash_key` or `range_key`, nor a key of one of its global or local
    secondary indexes.

    ## Why it matters
    `attribute` blocks are the key schema's type declarations, not a column
    list: DynamoDB is schemaless for every other attribute, and `CreateTable`
    rejects attribute definitions no key uses. The aws provider rejects the
    table at plan time ("all attributes must be indexed"), so this rule matters
    on `.tf` input. The usual cause is declaring the TTL attribute or a plain
    data field.

    ## Known limits
    Not judged while any key or index is known only after apply, nor on a
    table without `hash_key` (restored or imported tables take their key
    schema from the source).

    ## Fix
    Safe: `dynalint --fix` removes the `attribute` block whose literal `name`
    no key uses (the provider refuses the table as it is, so nothing that
    exists changes). A block with a comment in or directly above it is left
    for you: removing it would remove the comment.

    ## References
    - [Core components: attributes and primary key](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.CoreComponents.html)
    - [aws_dynamodb_table: attribute](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#attribute)
    """
    declared = attribute_types(table)
    table_hash, table_range = table_keys(table)
    every_index = all_indexes(table)
    if not is_known(declared) or not isinstance(table_hash, str) or not is_known(table_range):
        return
    if not is_known(every_index) or any(not is_known(i.keys) for i in every_index):
        return
    used = {name for name, _where in key_uses(table)}
    ttl_name = _ttl_attribute_name(table)
    for name in sorted(set(declared) - used):
        why = " (the TTL attribute needs no declaration either)" if name == ttl_name else ""
        yield Issue(
            f"Table {label(table)} declares attribute '{name}' in an `attribute` block but no key of the "
            f"table or of an index uses it: remove the block{why}; attributes that are no key are "
            "schemaless.",
            path=f"attribute.{name}",
            fix=Fix(f"Remove the `attribute` block of '{name}'", RemoveBlock((Block("attribute", name=name),))),
        )


@rule(
    id="DDB303",
    slug="invalid-key-attribute-type",
    level="error",
    applies=["aws_dynamodb_table"],
    security_severity=2.0,
    tags=TAGS,
)
def invalid_key_attribute_type(table: Resource, ctx: Context) -> Iterator[Issue]:
    """An `attribute` block's type is not S, N or B.

    ## What it checks
    Each `attribute` block of an `aws_dynamodb_table` whose `type` is missing
    or is not exactly `S`, `N` or `B` (upper case).

    ## Why it matters
    Key attributes can only be strings (`S`), numbers (`N`) or binary (`B`).
    Booleans, lists, maps and sets can be stored in items but never used as a
    key. The aws provider rejects other types at plan time, so this rule
    matters on `.tf` input.

    ## Known limits
    A type known only after apply is not judged.

    ## References
    - [AttributeDefinition: AttributeType](https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeDefinition.html)
    - [Supported data types and naming rules](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html)
    """
    found = blocks(table.values, "attribute")
    if not is_known(found):
        return
    for attribute in found:
        name, kind = attribute.get("name"), attribute.get("type")
        if not is_known(kind) or kind in KEY_TYPES:
            continue
        named = f"attribute '{name}'" if isinstance(name, str) else "an attribute"
        if kind is None or kind == "":
            what = "has no type"
        elif isinstance(kind, str) and kind.upper() in KEY_TYPES:
            what = f"has type '{kind}' in lower case"
        else:
            what = f"has type '{kind}'"
        yield Issue(
            f"Table {label(table)} declares {named} that {what}: a key attribute's type must be "
            '"S" (string), "N" (number) or "B" (binary).',
            path=f"attribute.{name}.type" if isinstance(name, str) else "attribute.type",
        )


# ---------------------------------------------------------------- DDB304-DDB309: indexes and projections
@rule(
    id="DDB304", slug="too-many-lsis", level="error", applies=["aws_dynamodb_table"], security_severity=2.0, tags=TAGS
)
def too_many_lsis(table: Resource, ctx: Context) -> Iterator[Issue]:
    """The table has more than 5 local secondary indexes.

    ## What it checks
    An `aws_dynamodb_table` with more than 5 `local_secondary_index` blocks.

    ## Why it matters
    A table can have at most 5 local secondary indexes. This is a hard limit,
    not a quota AWS can raise, and LSIs can only be created with the table:
    the create fails at apply (`terraform plan` accepts it).

    ## Known limits
    LSIs written with a `dynamic` block whose content is not known are not counted.

    ## Use instead
    Keep at most 5 LSIs; serve the other access patterns with global secondary
    indexes (up to 20 by default), which can also be added later.

    ## References
    - [Constraints: secondary indexes](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-secondary-indexes)
    - [Local secondary indexes](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html)
    """
    lsis = blocks(table.values, LSI)
    if is_known(lsis) and len(lsis) > MAX_LSIS:
        yield Issue(
            f"Table {label(table)} has {len(lsis)} local secondary indexes but DynamoDB allows at most "
            f"{MAX_LSIS} per table: remove some or turn them into global secondary indexes.",
            path=LSI,
        )


@rule(
    id="DDB305",
    slug="too-many-gsis",
    level="warning",
    applies=["aws_dynamodb_table"],
    security_severity=2.0,
    tags=TAGS,
    options={"max_gsis": 20},
)
def too_many_gsis(table: Resource, ctx: Context) -> Iterator[Issue]:
    """The table has more global secondary indexes than the quota allows.

    ## What it checks
    An `aws_dynamodb_table` with more `global_secondary_index` blocks than
    `max_gsis` (20, the default AWS quota).

    ## Why it matters
    By default a table can have at most 20 global secondary indexes. The
    create or update fails at apply unless the account's quota was raised.
    Many GSIs also multiply write cost: every write to the table is copied to
    each index whose keys the item carries.

    ## Known limits
    GSIs written with a `dynamic` block whose content is not known are not counted.

    ## Use instead
    Overload indexes (generic `gsi1pk`/`gsi1sk` keys shared by several access
    patterns), or raise the quota with AWS and set `max_gsis` to it.

    ## Options
    - `max_gsis` (default 20): the most GSIs a table may have.

    ## References
    - [Service quotas: secondary indexes](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-secondary-indexes)
    - [Overloading global secondary indexes](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-gsi-overloading.html)
    """
    limit = int(ctx.options["max_gsis"])
    gsis = blocks(table.values, GSI)
    if is_known(gsis) and len(gsis) > limit:
        yield Issue(
            f"Table {label(table)} has {len(gsis)} global secondary indexes, more than {limit} (max_gsis; "
            "the default AWS quota is 20): merge access patterns into overloaded indexes, or raise the "
            "quota before apply.",
            path=GSI,
        )


@rule(
    id="DDB306",
    slug="lsi-without-table-sort-key",
    level="error",
    applies=["aws_dynamodb_table"],
    security_severity=2.0,
    tags=TAGS,
)
def lsi_without_table_sort_key(table: Resource, ctx: Context) -> Iterator[Issue]:
    """The table has a local secondary index but no range_key.

    ## What it checks
    An `aws_dynamodb_table` with a `local_secondary_index` block and no `range_key`.

    ## Why it matters
    A local secondary index keeps the table's partition key and sorts it by
    another attribute, so it exists only on tables with a composite primary
    key (partition and sort key). `terraform plan` accepts such a table; the
    create fails at apply.

    ## Known limits
    A `range_key` known only after apply is not judged; nor is a table without
    `hash_key` (restored or imported tables take their key schema from the source).

    ## Use instead
    A global secondary index sorted by the same attribute (below), or a
    `range_key` on the table, which creates a new table.

    ## References
    - [Local secondary indexes](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html)
    """
    lsis = indexes(table, LSI)
    table_hash, table_range = table_keys(table)
    if not is_known(lsis) or not lsis or not isinstance(table_hash, str) or table_range is not None:
        return
    yield Issue(
        f"Table {label(table)} has {_quoted_titles(lsis)} but no range_key: local secondary indexes need "
        "a table with a sort key; add a range_key (a new table) or make the index global.",
        path=LSI,
    )


def _quoted_titles(found: list[SecondaryIndex]) -> str:
    return ", ".join(i.title for i in found)


@rule(
    id="DDB307",
    slug="lsi-duplicates-table-sort-key",
    level="warning",
    applies=["aws_dynamodb_table"],
    security_severity=1.0,
    tags=TAGS,
)
def lsi_duplicates_table_sort_key(table: Resource, ctx: Context) -> Iterator[Issue]:
    """A local secondary index sorts by the table's own range_key.

    ## What it checks
    A `local_secondary_index` whose `range_key` is the table's `range_key`.

    ## Why it matters
    An LSI has the table's partition key; with the table's sort key too it
    orders items exactly as the table does. It answers no query the table
    cannot, yet every write is copied into it (write cost and storage) and its
    items count toward the 10 GB item-collection limit of tables with LSIs.

    ## Known limits
    Keys known only after apply are not judged.

    ## Use instead
    Remove the index and query the table; or sort the index by the attribute
    the access pattern needs (`updated_at`, ...).

    ## References
    - [Local secondary indexes](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html)
    - [Item collection size limit](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.ItemCollections.SizeLimit)
    """
    table_range = table_keys(table)[1]
    lsis = indexes(table, LSI)
    if not isinstance(table_range, str) or not is_known(lsis):
        return
    for lsi in lsis:
        if lsi.range_key == table_range:
            yield Issue(
                f"The {lsi.title} of table {label(table)} sorts by the table's own range_key "
                f"'{table_range}': it adds write cost and storage and answers no new query; remove it or "
                "give it another range_key.",
                path=f"{lsi.path}.range_key",
            )


@rule(
    id="DDB308",
    slug="projection-attributes-mismatch",
    level="error",
    applies=["aws_dynamodb_table"],
    security_severity=2.0,
    tags=TAGS,
)
def projection_attributes_mismatch(table: Resource, ctx: Context) -> Iterator[Issue]:
    """An index's non_key_attributes do not fit its projection_type.

    ## What it checks
    A global or local secondary index with `projection_type = "INCLUDE"` and no
    (or an empty) `non_key_attributes`, or with `ALL` or `KEYS_ONLY` and a
    non-empty `non_key_attributes`.

    ## Why it matters
    `NonKeyAttributes` is the list an `INCLUDE` projection copies, and is only
    valid with `INCLUDE`. DynamoDB rejects either mismatch with a
    ValidationException when the table or index is created; `terraform plan`
    accepts both.

    ## Known limits
    Projections known only after apply are not judged.

    ## References
    - [Projection (DynamoDB API)](https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Projection.html)
    - [aws_dynamodb_table: global_secondary_index](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#global_secondary_index)
    """
    for index in known_indexes(table):
        projection, listed = index.projection_type, index.non_key_attributes
        if not is_known(projection) or not is_known(listed):
            continue
        if projection == "INCLUDE" and not listed:
            yield Issue(
                f"The {index.title} of table {label(table)} has projection_type INCLUDE but no "
                "non_key_attributes, which DynamoDB rejects: list the attributes to project, or use "
                "KEYS_ONLY.",
                path=f"{index.path}.non_key_attributes",
            )
        elif projection in ("ALL", "KEYS_ONLY") and listed:
            yield Issue(
                f"The {index.title} of table {label(table)} lists non_key_attributes with projection_type "
                f"{projection}, which DynamoDB rejects: remove non_key_attributes, or use INCLUDE.",
                path=f"{index.path}.non_key_attributes",
            )


@rule(
    id="DDB309",
    slug="too-many-projected-attributes",
    level="error",
    applies=["aws_dynamodb_table"],
    security_severity=2.0,
    tags=TAGS,
)
def too_many_projected_attributes(table: Resource, ctx: Context) -> Iterator[Issue]:
    """The table's indexes project more than 100 non-key attributes in all.

    ## What it checks
    The `non_key_attributes` of every `INCLUDE` index of an `aws_dynamodb_table`
    (global and local), summed; the same attribute in two indexes counts twice.

    ## Why it matters
    DynamoDB allows at most 100 user-specified projected attributes across all
    secondary indexes of a table. The create or update that goes over fails at
    apply. The limit does not apply to `ALL` and `KEYS_ONLY` projections.

    ## Known limits
    Lists known only after apply count as empty: the rule fires when the known
    lists alone exceed 100. `non_key_attributes` on an `ALL` or `KEYS_ONLY`
    index are DDB308's finding and not counted here.

    ## Use instead
    Project only what the queries read; an index that needs most attributes
    is better served by `projection_type = "ALL"`.

    ## References
    - [Constraints: projected secondary index attributes per table](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-secondary-indexes)
    - [Projection (DynamoDB API)](https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Projection.html)
    """
    included = [i for i in known_indexes(table) if i.projection_type == "INCLUDE" and is_known(i.non_key_attributes)]
    total = sum(len(i.non_key_attributes) for i in included)
    if total > MAX_PROJECTED_ATTRIBUTES:
        yield Issue(
            f"Table {label(table)} projects {total} non-key attributes across its INCLUDE indexes, more than "
            f"the {MAX_PROJECTED_ATTRIBUTES} DynamoDB allows per table: project fewer, or use "
            "projection_type ALL on the index that needs most of them."
        )


# ---------------------------------------------------------------- DDB310-DDB312: index design
def low_cardinality_match(name: str, patterns: Iterable[Any]) -> str | None:
    """The first pattern the key name matches, case-insensitively: the whole name or one of its words.

    Words come from snake_case, camelCase and kebab-case (``orderStatus`` ->
    order, status); the name is also tried in snake_case form, so ``is_*``
    matches ``isActive``. A pattern is a glob (``is_*``, ``*_flag``).
    """
    return _cardinality_matcher(tuple(p for p in patterns if isinstance(p, str)))(name)


@functools.lru_cache(maxsize=16)  # one per set of patterns a run uses (the option's value)
def _cardinality_matcher(patterns: tuple) -> Callable[[str], str | None]:
    """``low_cardinality_match`` for these patterns: each compiled once, each name judged once."""
    compiled = [(p, re.compile(fnmatch.translate(p.lower())).match) for p in patterns]

    @functools.lru_cache(maxsize=4096)  # key names repeat across the tables of a plan
    def match(name: str) -> str | None:
        words = [w.lower() for w in _WORDS.findall(name)]
        candidates = [name.lower(), "_".join(words), *words]
        for pattern, matches in compiled:
            if any(matches(c) for c in candidates):
                return pattern
        return None

    return match


@rule(
    id="DDB310",
    slug="gsi-low-cardinality-hash-key",
    level="warning",
    applies=["aws_dynamodb_table"],
    security_severity=3.0,
    tags=("performance", *TAGS),
    precision="medium",
    options={"low_cardinality_patterns": LOW_CARDINALITY_PATTERNS},
)
def gsi_low_cardinality_hash_key(table: Resource, ctx: Context) -> Iterator[Issue]:
    """A global secondary index is partitioned by an attribute whose name says it has few values.

    ## What it checks
    The `hash_key` of each `global_secondary_index` against name patterns of
    attributes that hold few distinct values (status, state, type, kind,
    category, is_*, has_*, *_flag, enabled, active, deleted, bool, gender).
    Matching is case-insensitive, against the whole name and against each of
    its words (snake_case, camelCase and kebab-case are split): `order_status`,
    `orderStatus` and `is_active` match; `statement_id` and `gsi1pk` do not.
    The name is also tried in snake_case form, so `is_*` matches `isActive`.

    ## Why it matters
    A GSI spreads its items over partitions by the hash of its partition key.
    With a handful of values (ACTIVE, DELETED), every write to the table lands
    on a few index partitions, each limited to about 1,000 write units per
    second. A throttled GSI throttles the writes to its table too.

    ## Known limits
    The name is a heuristic: an attribute called `status` may hold high-cardinality
    values. Accept such a finding in the config file with the reason. A
    multi-attribute partition key (aws provider 6 `key_schema`) is not judged:
    its attributes together may have many values.

    ## Use instead
    Shard the key (write `STATUS#ACTIVE#0` .. `STATUS#ACTIVE#9` and query the
    ten shards), or make the index sparse: write the index key only on the
    items the query needs (`open_order_id` on open orders only).

    ## Options
    - `low_cardinality_patterns` (default the list above): glob patterns,
      matched case-insensitively against the whole name and each of its words.

    ## References
    - [Using write sharding to distribute workloads evenly](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-sharding.html)
    - [Take advantage of sparse indexes](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-general-sparse-indexes.html)
    - [Designing partition keys to distribute your workload](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-uniform-load.html)
    """
    patterns = ctx.options["low_cardinality_patterns"]
    patterns = [patterns] if isinstance(patterns, str) else list(patterns or ())
    gsis = indexes(table, GSI)
    if not is_known(gsis):
        return
    for gsi in gsis:
        if not isinstance(gsi.hash_key, str):
            continue
        pattern = low_cardinality_match(gsi.hash_key, patterns)
        if pattern is not None:
            yield Issue(
                f"The {gsi.title} of table {label(table)} has hash_key '{gsi.hash_key}', whose name "
                f"(matching '{pattern}') suggests few distinct values, so its writes crowd a few "
                "partitions: shard the key (STATUS#ACTIVE#0..9) or make the index sparse.",
                path=f"{gsi.path}.hash_key",
            )


@rule(
    id="DDB311",
    slug="gsi-projects-all",
    level="note",
    applies=["aws_dynamodb_table"],
    security_severity=1.0,
    tags=("cost", *TAGS),
)
def gsi_projects_all(table: Resource, ctx: Context) -> Iterator[Issue]:
    """A global secondary index projects every attribute.

    ## What it checks
    A `global_secondary_index` with `projection_type = "ALL"`.

    ## Why it matters
    An `ALL` index stores a full copy of every item that carries its keys, and
    every write of such an item is written to the index in full: write units
    are charged per 1 KB of the item, for the table and again for the index.
    `KEYS_ONLY` or `INCLUDE` copy only what the queries read.

    ## Known limits
    This is advice, not an error: where the queries do read whole items,
    `ALL` avoids a second read against the table. Accept the finding then.

    ## References
    - [General guidelines for secondary indexes: projections](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-general.html)
    - [Provisioned throughput considerations for GSIs](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations)
    """
    gsis = indexes(table, GSI)
    if not is_known(gsis):
        return
    for gsi in gsis:
        if gsi.projection_type == "ALL":
            yield Issue(
                f"The {gsi.title} of table {label(table)} has projection_type ALL, so every write is copied "
                "to it in full: use KEYS_ONLY or INCLUDE with the attributes its queries read.",
                path=f"{gsi.path}.projection_type",
            )


@rule(
    id="DDB312",
    slug="index-duplicates-table-key",
    level="warning",
    applies=["aws_dynamodb_table"],
    security_severity=1.0,
    tags=TAGS,
)
def index_duplicates_table_key(table: Resource, ctx: Context) -> Iterator[Issue]:
    """An index repeats the table's key or another index, or a key schema repeats its own hash key.

    ## What it checks
    - a `global_secondary_index` whose `hash_key` and `range_key` are the
      table's own `hash_key` and `range_key`;
    - two indexes (global or local) with the same name, or with the same key
      pair (an LSI's pair is the table's `hash_key` and its `range_key`);
    - at level error: a table or index whose `range_key` is its own
      `hash_key`.

    ## Why it matters
    An index with the table's key holds the same items in the same order:
    every write is paid twice for nothing. Two indexes with one key pair are
    the same waste. Index names must be unique per table, and DynamoDB rejects
    a key schema whose sort key is its partition key when the table or index
    is created; `terraform plan` accepts all of these.

    ## Known limits
    Keys known only after apply, and multi-attribute GSI keys (aws provider 6
    `key_schema`), are not compared. Two identical index blocks in one
    configuration collapse into one in a plan (the provider keeps indexes in a
    set); on `.tf` input they are reported as a duplicate name.

    ## Use instead
    Remove the index and query the table, or key the index by the attribute
    the access pattern needs.

    ## References
    - [Global secondary indexes](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html)
    - [KeySchemaElement (DynamoDB API)](https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_KeySchemaElement.html)
    """
    table_hash, table_range = table_keys(table)
    if isinstance(table_hash, str) and table_range == table_hash:
        yield Issue(
            f"Table {label(table)} uses '{table_hash}' as both hash_key and range_key, which DynamoDB "
            "rejects: choose another range_key or remove it.",
            path="range_key",
            level="error",
        )
    found = known_indexes(table)
    broken = [i for i in found if isinstance(i.hash_key, str) and i.range_key == i.hash_key]
    for index in broken:
        yield Issue(
            f"The {index.title} of table {label(table)} uses '{index.hash_key}' as both its partition key "
            "and its range_key, which DynamoDB rejects: choose another range_key or remove it.",
            path=f"{index.path}.range_key",
            level="error",
        )
    sound = [i for i in found if i not in broken]
    yield from _same_names(table, found)
    yield from _same_keys(table, sound, table_hash, table_range)


def _same_names(table: Resource, found: list[SecondaryIndex]) -> Iterator[Issue]:
    seen: dict[str, SecondaryIndex] = {}
    reported: set[str] = set()
    for index in found:
        if not isinstance(index.name, str):
            continue
        first = seen.setdefault(index.name, index)
        if first is not index and index.name not in reported:
            reported.add(index.name)
            both = (
                f"two {KIND_WORDS[index.kind]}es"
                if first.kind == index.kind
                else "a global and a local secondary index"
            )
            yield Issue(
                f"Table {label(table)} has {both} named '{index.name}': index names must be unique per "
                "table; rename one.",
                path=f"{index.path}.name",
            )


def _same_keys(table: Resource, found: list[SecondaryIndex], table_hash: Any, table_range: Any) -> Iterator[Issue]:
    seen: dict[tuple, SecondaryIndex] = {}
    for index in found:
        if not isinstance(index.hash_key, str) or not is_known(index.range_key):
            continue
        pair = (index.hash_key, index.range_key)
        if index.kind == GSI and is_known(table_range) and pair == (table_hash, table_range):
            yield Issue(
                f"The {index.title} of table {label(table)} has the table's own key "
                f"({_pair_text(pair)}): it holds the same items in the same order and doubles write cost; "
                "remove it or key it by another attribute.",
                path=index.path,
            )
            continue
        first = seen.setdefault(pair, index)
        if first is not index:
            yield Issue(
                f"The {index.title} of table {label(table)} has the same key ({_pair_text(pair)}) as "
                f"{first.title}: the two hold the same items in the same order; remove one.",
                path=index.path,
            )


def _pair_text(pair: tuple) -> str:
    hash_key, range_key = pair
    return f"hash_key '{hash_key}'" + (f", range_key '{range_key}'" if range_key else ", no range_key")


# ---------------------------------------------------------------- DDB313: TTL
def _ttl_attribute_name(table: Resource) -> str | None:
    ttl = block(table.values, "ttl")
    if ttl is None or not is_known(ttl):
        return None
    name = ttl.get("attribute_name")
    return name if isinstance(name, str) else None


@rule(
    id="DDB313",
    slug="ttl-attribute-not-number",
    level="error",
    applies=["aws_dynamodb_table"],
    security_severity=3.0,
    tags=TAGS,
)
def ttl_attribute_not_number(table: Resource, ctx: Context) -> Iterator[Issue]:
    """TTL is enabled on an attribute that can never hold a Number, or on no attribute.

    ## What it checks
    An `aws_dynamodb_table` whose `ttl` block has `enabled = true` and an
    `attribute_name` that is declared in an `attribute` block with type `S`
    or `B`, or an empty `attribute_name`.

    ## Why it matters
    Time to live deletes an item once the time in its TTL attribute has
    passed, and reads that attribute only as a Number of epoch seconds. Items
    whose TTL attribute is a string or binary are never expired: the table
    grows forever while everyone believes it is cleaned up. A key attribute
    keeps one type for every item, so a TTL on an `S` or `B` key never acts.

    ## Known limits
    Attributes that are no key are schemaless and not declared, so their type
    is not known to the configuration: such a TTL attribute is not judged.
    The provider rejects an empty `attribute_name` at plan time, so that case
    matters on `.tf` input. Values known only after apply are not judged.

    ## References
    - [Time to Live: before you start](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html)
    - [aws_dynamodb_table: ttl](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#ttl)
    """
    ttl = block(table.values, "ttl")
    if ttl is None or not is_known(ttl) or bool_of(ttl.get("enabled")) is not True:
        return
    name = ttl.get("attribute_name")
    if name is None or name == "":
        yield Issue(
            f"Table {label(table)} enables TTL without an attribute_name: set `attribute_name` to the "
            "Number attribute that holds each item's expiry in epoch seconds.",
            path="ttl.attribute_name",
        )
        return
    declared = attribute_types(table)
    if not isinstance(name, str) or not is_known(declared):
        return
    kind = declared.get(name)
    if kind in ("S", "B"):
        what = "a string (S)" if kind == "S" else "binary (B)"
        yield Issue(
            f"Table {label(table)} enables TTL on '{name}', a key attribute declared as {what}, so no item "
            "ever expires: TTL only reads Numbers of epoch seconds; use a Number attribute.",
            path="ttl.attribute_name",
        )


# ---------------------------------------------------------------- DDB314: GSI rebuilt by a change
@rule(
    id="DDB314",
    slug="gsi-key-changed",
    level="warning",
    applies=["aws_dynamodb_table"],
    kind="change",
    security_severity=4.0,
    tags=TAGS,
)
def gsi_key_changed(table: Resource, ctx: Context) -> Iterator[Issue]:
    """The plan changes the keys or projection of an existing global secondary index.

    ## What it checks
    An update to an `aws_dynamodb_table` that changes the `hash_key`,
    `range_key`, `projection_type` or `non_key_attributes` of a
    `global_secondary_index` that keeps its name.

    ## Why it matters
    DynamoDB cannot change an index's key schema or projection in place: the
    aws provider deletes the index and creates it again under the same name.
    The new index must backfill from the whole table (hours on a large one),
    and until it is ACTIVE queries on it fail, so the code that reads it breaks
    during the apply. Capacity changes are updated in place and not reported.

    ## Known limits
    Only plan input carries changes; a replaced table is DDB105's finding.
    New values known only after apply are not judged.

    ## Use instead
    Add a new index under a new name (`by-customer-v2`), move readers to it
    once it is ACTIVE, then remove the old one in a later change.

    ## References
    - [Managing global secondary indexes: adding and deleting](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.html)
    - [UpdateTable: GlobalSecondaryIndexUpdates](https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html)
    """
    prior = prior_values(table)
    if prior is None:
        return
    before = _unique_by_name(blocks(prior, GSI))
    after = indexes(table, GSI)
    if not is_known(after):
        return
    names_after = [i.name for i in after]
    for gsi in after:
        old = before.get(gsi.name) if isinstance(gsi.name, str) and names_after.count(gsi.name) == 1 else None
        if old is None:
            continue
        changes = list(_gsi_changes(read_index(old, GSI), gsi))
        if changes:
            yield Issue(
                f"The plan rebuilds the {gsi.title} of table {label(table)} because {' and '.join(changes)}: "
                "it is deleted and backfilled again and queries on it fail meanwhile; add a new index "
                "under a new name and remove the old one later.",
                path=gsi.path,
            )


def _unique_by_name(found: Any) -> dict[str, dict]:
    """Prior GSI blocks by name, leaving out names that appear twice (they cannot be matched)."""
    if not is_known(found):
        return {}
    by_name: dict[str, list[dict]] = {}
    for b in found:
        if isinstance(b.get("name"), str):
            by_name.setdefault(b["name"], []).append(b)
    return {name: bs[0] for name, bs in by_name.items() if len(bs) == 1}


def _gsi_changes(old: SecondaryIndex, new: SecondaryIndex) -> Iterator[str]:
    if is_known(old.keys) and is_known(new.keys) and old.keys != new.keys:
        named = [
            (attr, before, after)
            for attr, before, after in (
                ("hash_key", old.hash_key, new.hash_key),
                ("range_key", old.range_key, new.range_key),
            )
            if is_known(before) and is_known(after) and before != after
        ]
        for attr, before, after in named:
            yield f"{attr} changes from {shown(before)} to {shown(after)}"
        if not named:
            yield "its key_schema changes"
    if is_known(old.projection_type) and is_known(new.projection_type) and old.projection_type != new.projection_type:
        yield f"projection_type changes from {shown(old.projection_type)} to {shown(new.projection_type)}"
    old_listed, new_listed = old.non_key_attributes, new.non_key_attributes
    if is_known(old_listed) and is_known(new_listed) and set(old_listed) != set(new_listed):
        yield "its non_key_attributes change"


# ---------------------------------------------------------------- DDB315: long key names
@rule(
    id="DDB315",
    slug="long-key-attribute-name",
    level="note",
    applies=["aws_dynamodb_table"],
    security_severity=0.5,
    tags=("cost", *TAGS),
    options={"max_key_name_length": 32},
)
def long_key_attribute_name(table: Resource, ctx: Context) -> Iterator[Issue]:
    """A key attribute has a long name, stored again in every item.

    ## What it checks
    The names of the key attributes of an `aws_dynamodb_table` (its keys and
    its indexes' keys) longer than `max_key_name_length` characters (32).

    ## Why it matters
    DynamoDB stores attribute names with every item: their UTF-8 bytes count
    toward the 400 KB item size limit, toward storage, and toward the read and
    write units of every request (charged per 4 KB read and 1 KB written). Key
    attributes are in every item and are copied into every index, so a long
    key name is paid on every item of the table and of each index.

    ## Known limits
    Names known only after apply are not judged.

    ## Options
    - `max_key_name_length` (default 32): the longest key attribute name accepted.

    ## References
    - [Item sizes and formats](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html)
    - [Constraints: attribute names](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html)
    """
    limit = int(ctx.options["max_key_name_length"])
    for name in sorted({name for name, _where in key_uses(table)}):
        if len(name) > limit:
            yield Issue(
                f"Table {label(table)} has key attribute '{name}' of {len(name)} characters, stored in "
                f"every item and index entry: shorten it to at most {limit} characters.",
                path=f"attribute.{name}",
            )

"""DDB301-DDB315 on plans real terraform made of tests/tf/schema and tests/tf/schema_changes.

DDB301-DDB303 and a TTL without attribute name are rejected by the aws provider
at plan time, so no real plan holds them: those tests use hand-built plans
shaped like what the .tf loader produces (blocks as lists of dicts).
"""

import pytest

from dynalint.model import Level
from helpers import by_address, flagged, lint_case, lint_doc

FINDINGS = lint_case("schema", select=["DDB3"])
CHANGES = lint_case("schema_changes", select=["DDB314"])
T = "aws_dynamodb_table."


def paths(findings, rule_id, address=None):
    if address is None:
        return {f.path for f in findings if f.rule_id == rule_id}
    return {f.path for f in by_address(findings, rule_id).get(address, [])}  # the address must exist


def table_plan(values, after_unknown=None, name="t"):
    """A plan creating one table with these values (no configuration: unknown means set, not known)."""
    return {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": T + name,
                "mode": "managed",
                "type": "aws_dynamodb_table",
                "name": name,
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": {"name": name, **values},
                    "after_unknown": after_unknown or {},
                },
            }
        ],
    }


def attributes(**types):
    return [{"name": name, "type": kind} for name, kind in types.items()]


def gsi(name, hash_key, range_key=None, projection="KEYS_ONLY", non_key=None):
    found = {"name": name, "hash_key": hash_key, "projection_type": projection}
    if range_key is not None:
        found["range_key"] = range_key
    if non_key is not None:
        found["non_key_attributes"] = non_key
    return found


def lsi(name, range_key, projection="KEYS_ONLY"):
    return {"name": name, "range_key": range_key, "projection_type": projection}


# ---------------------------------------------------------------- the real plan: no noise
def test_only_dynamodb_tables_are_judged():
    assert {f.resource_type for f in FINDINGS} == {"aws_dynamodb_table"}


def test_good_minimal_and_restored_tables_are_silent():
    # minimal: ttl unset (the plan shows it known after apply); restored: hash_key computed from the backup.
    found = by_address(FINDINGS)
    assert not {T + "good", T + "minimal", T + "restored"} & set(found)


def test_values_known_only_after_apply_are_not_judged():
    # decided_later: range_key, a key's type, a GSI's projection and attributes unknown; ttl_later: enabled unknown.
    found = by_address(FINDINGS)
    assert T + "decided_later" not in found and T + "ttl_later" not in found


def test_provider_valid_plans_have_no_attribute_block_findings():
    assert not {f.rule_id for f in FINDINGS} & {"DDB301", "DDB302", "DDB303"}


# ---------------------------------------------------------------- DDB301-DDB303 (rejected at plan: hand-built)
def test_ddb301_undeclared_keys_of_table_gsi_and_lsi():
    doc = table_plan(
        {
            "hash_key": "pk",
            "range_key": "sk",
            "attribute": attributes(pk="S"),
            "global_secondary_index": [gsi("by-g", "gpk", "sk")],
            "local_secondary_index": [lsi("l", "lsk")],
        }
    )
    found = lint_doc(doc, ["DDB301"])
    assert paths(found, "DDB301") == {"attribute.sk", "attribute.gpk", "attribute.lsk"}
    [sk] = [f for f in found if f.path == "attribute.sk"]
    assert "the table's range_key and the range_key of global secondary index 'by-g'" in sk.message
    assert "'t'" in sk.message and '`name = "sk"`' in sk.message


def test_ddb301_silent_when_declared_or_attributes_unknown():
    declared = table_plan({"hash_key": "pk", "range_key": "sk", "attribute": attributes(pk="S", sk="N")})
    dynamic = table_plan({"hash_key": "pk", "range_key": "sk"}, {"attribute": True})  # a dynamic block in .tf
    assert lint_doc(declared, ["DDB301"]) == [] and lint_doc(dynamic, ["DDB301"]) == []


def test_ddb301_checks_table_keys_when_only_the_indexes_are_unknown():
    doc = table_plan({"hash_key": "pk", "attribute": attributes(id="S")}, {"global_secondary_index": True})
    assert paths(lint_doc(doc, ["DDB301"]), "DDB301") == {"attribute.pk"}


def test_ddb302_undeclared_use_and_the_ttl_attribute():
    doc = table_plan(
        {
            "hash_key": "pk",
            "attribute": attributes(pk="S", extra="S", expires_at="N"),
            "ttl": [{"enabled": True, "attribute_name": "expires_at"}],
        }
    )
    found = {f.path: f.message for f in lint_doc(doc, ["DDB302"])}
    assert set(found) == {"attribute.extra", "attribute.expires_at"}
    assert "TTL attribute needs no declaration" in found["attribute.expires_at"]
    assert "TTL" not in found["attribute.extra"]


def test_ddb302_silent_on_keys_of_indexes_unknown_keys_and_restored_tables():
    used = table_plan(
        {
            "hash_key": "pk",
            "range_key": "sk",
            "attribute": attributes(pk="S", sk="S", g="S", l="N"),
            "global_secondary_index": [gsi("by-g", "g", "")],
            "local_secondary_index": [lsi("l", "l")],
        }
    )
    unknown_index = table_plan(
        {
            "hash_key": "pk",
            "attribute": attributes(pk="S", g="S"),
            "global_secondary_index": [{"name": "by-g", "projection_type": "ALL"}],
        },
        {"global_secondary_index": [{"hash_key": True}]},
    )
    restored = table_plan({"restore_source_name": "orders", "attribute": attributes(pk="S")})
    for doc in (used, unknown_index, restored):
        assert lint_doc(doc, ["DDB302"]) == []


def test_provider_6_key_schema_blocks_count_as_gsi_keys():
    # Hand-built: aws provider 6 writes multi-attribute GSI keys as key_schema blocks; the fixtures use 5.100.
    schema = [
        {"attribute_name": "tenant", "key_type": "HASH"},
        {"attribute_name": "status", "key_type": "HASH"},
        {"attribute_name": "created_at", "key_type": "RANGE"},
    ]
    index = {"name": "by-tenant-status", "projection_type": "KEYS_ONLY", "key_schema": schema}
    doc = table_plan(
        {"hash_key": "pk", "attribute": attributes(pk="S", tenant="S", status="S"), "global_secondary_index": [index]}
    )
    found = lint_doc(doc, ["DDB3"])
    assert {(f.rule_id, f.path) for f in found} == {("DDB301", "attribute.created_at")}
    assert "the range_key of global secondary index 'by-tenant-status'" in found[0].message


def test_ddb303_bad_lower_case_and_missing_types():
    doc = table_plan(
        {
            "hash_key": "pk",
            "range_key": "sk",
            "attribute": [
                {"name": "pk", "type": "BOOL"},
                {"name": "sk", "type": "s"},
                {"name": "g"},
                {"name": "n", "type": "N"},
                {"name": "b", "type": "B"},
            ],
        }
    )
    found = {f.path: f.message for f in lint_doc(doc, ["DDB303"])}
    assert set(found) == {"attribute.pk.type", "attribute.sk.type", "attribute.g.type"}
    assert "'BOOL'" in found["attribute.pk.type"] and "lower case" in found["attribute.sk.type"]
    assert "has no type" in found["attribute.g.type"]


def test_ddb303_silent_on_unknown_type():
    doc = table_plan({"hash_key": "pk", "attribute": [{"name": "pk"}]}, {"attribute": [{"type": True}]})
    assert lint_doc(doc, ["DDB303"]) == []


# ---------------------------------------------------------------- DDB304-DDB309
def test_ddb304_six_lsis_but_not_five():
    assert flagged(FINDINGS, "DDB304") == {T + "six_lsis"}  # "good" has five
    [finding] = by_address(FINDINGS, "DDB304")[T + "six_lsis"]
    assert "6 local secondary indexes" in finding.message and finding.path == "local_secondary_index"


def test_ddb305_more_gsis_than_the_quota_and_the_option():
    assert flagged(FINDINGS, "DDB305") == {T + "many_gsis"}
    assert flagged(lint_case("schema", ["DDB305"], options={"DDB305": {"max_gsis": 21}}), "DDB305") == set()
    strict = lint_case("schema", ["DDB305"], options={"DDB305": {"max_gsis": 5}})
    assert flagged(strict, "DDB305") == {T + "many_gsis", T + "low_cardinality", T + "duplicate_indexes"}
    assert "more than 5 (max_gsis" in by_address(strict)[T + "low_cardinality"][0].message


def test_ddb306_lsi_on_a_table_without_sort_key():
    assert flagged(FINDINGS, "DDB306") == {T + "lsi_no_sort_key"}  # decided_later: range_key unknown
    [finding] = by_address(FINDINGS, "DDB306")[T + "lsi_no_sort_key"]
    assert "'by-created'" in finding.message and "range_key" in finding.message


def test_ddb307_lsi_sorted_by_the_table_sort_key():
    assert paths(FINDINGS, "DDB307") == {"local_secondary_index.by-created.range_key"}
    assert flagged(FINDINGS, "DDB307") == {T + "lsi_same_sort"}


def test_ddb308_projection_and_non_key_attributes_mismatch():
    assert flagged(FINDINGS, "DDB308") == {T + "projections"}
    assert paths(FINDINGS, "DDB308") == {
        "global_secondary_index.include-none.non_key_attributes",
        "global_secondary_index.include-empty.non_key_attributes",
        "global_secondary_index.all-listed.non_key_attributes",
        "local_secondary_index.keys-listed.non_key_attributes",
    }


def test_ddb309_more_than_100_projected_attributes_counting_repeats():
    assert flagged(FINDINGS, "DDB309") == {T + "wide_projection"}  # projection_at_limit: exactly 100
    assert "110 non-key attributes" in by_address(FINDINGS, "DDB309")[T + "wide_projection"][0].message


def test_ddb309_known_lists_over_the_limit_decide_even_with_an_unknown_one():
    many = [f"a{i}" for i in range(101)]
    doc = table_plan(
        {
            "hash_key": "pk",
            "attribute": attributes(pk="S", g="S", h="S"),
            "global_secondary_index": [
                gsi("wide", "g", projection="INCLUDE", non_key=many),
                gsi("later", "h", projection="INCLUDE"),
            ],
        },
        {"global_secondary_index": [{}, {"non_key_attributes": True}]},
    )
    assert flagged(lint_doc(doc, ["DDB309"]), "DDB309") == {T + "t"}


# ---------------------------------------------------------------- DDB310-DDB312
def test_ddb310_low_cardinality_gsi_hash_keys():
    assert paths(FINDINGS, "DDB310") == {
        f"global_secondary_index.{n}.hash_key"
        for n in ("by-order-status", "by-orderStatus", "by-is-active", "by-kebab")
    }  # not by-statement, overloaded, the LSI
    message = by_address(FINDINGS, "DDB310")[T + "low_cardinality"][0].message
    assert "STATUS#ACTIVE#0..9" in message and "sparse" in message


@pytest.mark.parametrize(
    "key, matches",
    [
        ("status", True),
        ("order_status", True),
        ("orderStatus", True),
        ("OrderStatus", True),
        ("is_active", True),
        ("isActive", True),
        ("IS_DELETED", True),
        ("deleted_flag", True),
        ("user-type", True),
        ("HTTPStatus", True),
        ("categoryId", True),
        ("hasChildren", True),
        ("Gender", True),
        ("statement_id", False),
        ("gsi1pk", False),
        ("username", False),
        ("prototype", False),
        ("hashKey", False),
        ("stated_at", False),
        ("isbn", False),
        ("flagship_id", False),
    ],
)
def test_ddb310_name_matcher(key, matches):
    doc = table_plan(
        {"hash_key": "pk", "attribute": attributes(pk="S", **{key: "S"}), "global_secondary_index": [gsi("idx", key)]}
    )
    assert (flagged(lint_doc(doc, ["DDB310"]), "DDB310") == {T + "t"}) is matches


def test_ddb310_patterns_option_replaces_the_defaults():
    custom = lint_case("schema", ["DDB310"], options={"DDB310": {"low_cardinality_patterns": ["STATEMENT*"]}})
    assert paths(custom, "DDB310") == {"global_secondary_index.by-statement.hash_key"}


def test_ddb311_gsi_projecting_all():
    assert paths(FINDINGS, "DDB311") == {
        "global_secondary_index.by-order-status.projection_type",
        "global_secondary_index.all-listed.projection_type",
    }
    assert all(f.level == Level.NOTE for f in FINDINGS if f.rule_id == "DDB311")


def test_ddb312_duplicate_indexes_warn():
    found = {f.path: f for f in FINDINGS if f.rule_id == "DDB312" and f.address == T + "duplicate_indexes"}
    assert set(found) == {
        "global_secondary_index.same-as-table",
        "global_secondary_index.twin-b",
        "global_secondary_index.dup.name",
    }
    assert {f.level for f in found.values()} == {Level.WARNING}
    assert "'twin-a'" in found["global_secondary_index.twin-b"].message
    assert "two global secondary indexes named 'dup'" in found["global_secondary_index.dup.name"].message


def test_ddb312_range_key_equal_to_hash_key_is_an_error():
    found = {f.path: f.level for f in FINDINGS if f.rule_id == "DDB312" and f.address == T + "key_twice"}
    assert found == {"range_key": Level.ERROR, "global_secondary_index.by-owner.range_key": Level.ERROR}
    assert flagged(FINDINGS, "DDB312") == {T + "duplicate_indexes", T + "key_twice"}


def test_ddb312_across_gsi_and_lsi():
    doc = table_plan(
        {
            "hash_key": "pk",
            "range_key": "sk",
            "attribute": attributes(pk="S", sk="S", x="S", y="S"),
            "global_secondary_index": [gsi("same", "pk", "x"), gsi("by-y", "y")],
            "local_secondary_index": [lsi("by-x", "x"), lsi("by-y", "y")],
        }
    )
    found = {f.path: f.message for f in lint_doc(doc, ["DDB312"])}
    assert set(found) == {"local_secondary_index.by-x", "local_secondary_index.by-y.name"}
    assert "a global and a local secondary index named 'by-y'" in found["local_secondary_index.by-y.name"]


def test_index_paths_do_not_depend_on_block_order():
    indexes = [gsi("a", "pk", "sk"), gsi("b", "pk", "sk"), gsi("c", "status")]
    values = {"hash_key": "pk", "range_key": "sk", "attribute": attributes(pk="S", sk="S", status="S")}
    forward = lint_doc(table_plan({**values, "global_secondary_index": indexes}), ["DDB3"])
    backward = lint_doc(table_plan({**values, "global_secondary_index": indexes[::-1]}), ["DDB3"])
    assert forward and [f.fingerprint for f in forward] == [f.fingerprint for f in backward]


# ---------------------------------------------------------------- DDB313
def test_ddb313_ttl_on_a_string_key():
    assert flagged(FINDINGS, "DDB313") == {T + "ttl_on_string"}  # not on a Number key, disabled, or undeclared
    [finding] = by_address(FINDINGS, "DDB313")[T + "ttl_on_string"]
    assert finding.path == "ttl.attribute_name" and "'expires'" in finding.message


@pytest.mark.parametrize(
    "ttl, fires",
    [
        ({"enabled": "true", "attribute_name": ""}, True),  # .tf input may hold the string "true"
        ({"enabled": True}, True),
        ({"enabled": True, "attribute_name": "blob"}, True),  # declared as B
        ({"enabled": False, "attribute_name": ""}, False),
        ({"enabled": True, "attribute_name": "expires_at"}, False),  # no key: type not known
    ],
)
def test_ddb313_empty_attribute_name_and_binary_keys(ttl, fires):
    # Hand-built: the provider rejects an enabled TTL without attribute_name at plan time.
    doc = table_plan({"hash_key": "pk", "range_key": "blob", "attribute": attributes(pk="S", blob="B"), "ttl": [ttl]})
    assert bool(flagged(lint_doc(doc, ["DDB313"]), "DDB313")) is fires


# ---------------------------------------------------------------- DDB314
def test_ddb314_gsi_rebuilt_by_key_or_projection_change():
    assert flagged(CHANGES, "DDB314") == {T + "orders"}
    found = {f.path: f.message for f in CHANGES}
    assert set(found) == {
        f"global_secondary_index.{n}" for n in ("by-customer", "by-status", "by-date", "by-email", "by-owner")
    }  # not steady, removed, added
    assert "hash_key changes from 'status' to 'state'" in found["global_secondary_index.by-status"]
    assert "range_key changes from 'created_at' to 'updated_at'" in found["global_secondary_index.by-customer"]
    assert "range_key changes from nothing to 'sk'" in found["global_secondary_index.by-owner"]
    assert "non_key_attributes change" in found["global_secondary_index.by-email"]
    assert "projection_type changes from 'KEYS_ONLY' to 'INCLUDE'" in found["global_secondary_index.by-date"]


def test_ddb314_silent_on_capacity_unknown_replaced_and_renamed():
    assert not {T + "provisioned", T + "decided_later", T + "replaced", T + "renamed_index"} & flagged(
        CHANGES, "DDB314"
    )
    assert flagged(lint_case("schema_changes", ["DDB105"]), "DDB105") == {T + "replaced"}


def test_ddb314_key_schema_blocks():
    # Hand-built: aws provider 6 key_schema blocks; the fixtures are planned with 5.100.
    def schema(*pairs):
        return [{"attribute_name": name, "key_type": role} for name, role in pairs]

    before = {
        "name": "t",
        "hash_key": "pk",
        "global_secondary_index": [
            gsi("moved", "tenant"),
            {
                "name": "widened",
                "projection_type": "KEYS_ONLY",
                "key_schema": schema(("tenant", "HASH"), ("day", "RANGE")),
            },
        ],
    }
    after = {
        "name": "t",
        "hash_key": "pk",
        "global_secondary_index": [
            {"name": "moved", "projection_type": "KEYS_ONLY", "key_schema": schema(("tenant", "HASH"))},
            {
                "name": "widened",
                "projection_type": "KEYS_ONLY",
                "key_schema": schema(("tenant", "HASH"), ("region", "HASH"), ("day", "RANGE")),
            },
        ],
    }
    doc = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": T + "t",
                "mode": "managed",
                "type": "aws_dynamodb_table",
                "name": "t",
                "change": {"actions": ["update"], "before": before, "after": after, "after_unknown": {}},
            }
        ],
    }
    [finding] = lint_doc(doc, ["DDB314"])
    assert finding.path == "global_secondary_index.widened" and "key_schema changes" in finding.message


def test_ddb314_not_on_create_or_state_input():
    assert flagged(FINDINGS, "DDB314") == set()
    state = {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": T + "t",
                        "mode": "managed",
                        "type": "aws_dynamodb_table",
                        "name": "t",
                        "values": {"name": "t", "hash_key": "pk", "global_secondary_index": [gsi("g", "pk")]},
                    }
                ]
            }
        },
    }
    assert lint_doc(state, ["DDB314"]) == []


# ---------------------------------------------------------------- DDB315
def test_ddb315_key_names_over_32_characters_and_the_option():
    assert paths(FINDINGS, "DDB315") == {"attribute.customer_account_identifier_12345"}  # the 32-char one is fine
    strict = lint_case("schema", ["DDB315"], options={"DDB315": {"max_key_name_length": 10}})
    assert T + "low_cardinality" in flagged(strict, "DDB315")
    assert "attribute.customer_account_identifier_1234" in paths(strict, "DDB315")

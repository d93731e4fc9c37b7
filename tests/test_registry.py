"""The order rules are listed in (`dynalint rules`, the docs, SARIF's rule list): the rule pack names the families
that come first (rules.FAMILY_ORDER); the engine, which knows nothing of DynamoDB, takes it from there."""

from __future__ import annotations

from dynalint import custom, engine
from dynalint.rule import Issue, rule


def _rule(rule_id: str):
    @rule(id=rule_id, slug="x", level="note", applies=["aws_dynamodb_table"])
    def check(resource, ctx):
        """A rule to sort."""
        yield Issue("x")

    return check


def _number(rule_id: str) -> int:
    return int(rule_id.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def test_the_built_in_rules_list_the_packs_family_first_then_dl_each_by_number():
    ids = [r.id for r in engine.builtin_registry().sorted()]
    ddb, dl = [i for i in ids if i.startswith("DDB")], [i for i in ids if i.startswith("DL")]
    assert ids == ddb + dl and len(ddb) > 50 and dl[0] == "DL000"
    assert ddb == sorted(ddb, key=_number) and dl == sorted(dl, key=_number)


def test_custom_families_come_after_the_packs_and_in_alphabetical_order(tmp_path):
    (tmp_path / "house.py").write_text(
        "from dynalint.rule import Issue, rule\n\n\n"
        + "".join(
            f'@rule(id="{i}", slug="s{n}", level="note", applies=["aws_dynamodb_table"])\n'
            f'def check{n}(table, ctx):\n    """A house rule."""\n    yield Issue("x")\n\n\n'
            for n, i in enumerate(["ZED2", "ACME10", "ACME9"])
        )
    )
    ids = [r.id for r in custom.registry([tmp_path], entry_points=False).sorted()]
    assert ids.index("DDB101") < ids.index("ACME9") < ids.index("ACME10") < ids.index("DL000") < ids.index("ZED2")


def test_the_order_of_families_is_the_registrys_not_the_engines():
    registry = engine.Registry(family_order=("DL", "ACME"))
    for rule_id in ("DDB2", "ACME1", "DL3", "DDB10", "BETA1", "DL1"):
        registry.add(_rule(rule_id))
    assert [r.id for r in registry.sorted()] == ["DL1", "DL3", "ACME1", "BETA1", "DDB2", "DDB10"]
    assert [r.id for r in engine.Registry(rules=registry.rules).sorted()] == [
        "ACME1",
        "BETA1",
        "DDB2",
        "DDB10",
        "DL1",
        "DL3",
    ]

"""YAML rules on the plan real terraform made of tests/tf/custom: every operator, paths, nesting, the graph.

The tables of the fixture (see its main.tf): orders (tagged, PITR on, two GSIs,
capacity 50/25), scratch (infrequent access, PITR off, 5/5), bare (defaults),
later (tags, table class and PITR known only after apply), secret (a sensitive
CostCenter), and the module tables payments and ledger. Each test writes a rule
whose `require` is the condition under test and compares where it fires.
"""

import pytest

from dynalint import custom
from dynalint.errors import RuleError
from dynalint.load import load_inputs
from helpers import TF_CASES, flagged, load_case, run_rules

MODEL = load_case("custom")
ORDERS, SCRATCH, BARE = "aws_dynamodb_table.orders", "aws_dynamodb_table.scratch", "aws_dynamodb_table.bare"
LATER, SECRET = "aws_dynamodb_table.later", "aws_dynamodb_table.secret"
PAYMENTS, LEDGER = "module.payments.aws_dynamodb_table.this", "module.ledger.aws_dynamodb_table.this"
TABLES = {ORDERS, SCRATCH, BARE, LATER, SECRET, PAYMENTS, LEDGER}
PROVISIONED = {ORDERS, SCRATCH, LATER}

RULE = """\
rules:
  - id: T001
    level: warning
    summary: Test rule.
    message: "{{label}} fails"
    resource_types: [{types}]
{extra}    require:
{require}
"""


def indent(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line + "\n" for line in text.strip("\n").splitlines())


def rules_file(tmp_path, require: str, when: str = "", types: str = "aws_dynamodb_table", extra: str = ""):
    if when:
        extra += "    when:\n" + indent(when, 6)
    (tmp_path / "rules.yaml").write_text(RULE.format(types=types, extra=extra, require=indent(require, 6)))
    return tmp_path


def lint(directory, model=MODEL):
    registry = custom.registry([directory], entry_points=False)
    rules = [r for r in registry.sorted() if not r.builtin]
    return run_rules([model], rules, registry.links)


def fires(tmp_path, require: str, **kwargs) -> set[str]:
    return flagged(lint(rules_file(tmp_path, require, **kwargs)), "T001")


# ---------------------------------------------------------------- operators
def test_exists_true_and_false(tmp_path):
    # later's tags and secret's CostCenter are not known: silent
    assert fires(tmp_path, "attribute: tags_all.CostCenter\nexists: true") == {SCRATCH, BARE}
    assert fires(tmp_path, "attribute: table_class\nexists: false") == {SCRATCH}  # later's class is unknown


def test_equals_booleans_numbers_strings_and_lists(tmp_path):
    # absent PITR (bare, secret, the module tables) is not "enabled"; later's flag is unknown
    assert fires(tmp_path, "attribute: point_in_time_recovery.enabled\nequals: true") == {
        SCRATCH,
        BARE,
        SECRET,
        PAYMENTS,
        LEDGER,
    }
    provisioned = "attribute: billing_mode\nequals: PROVISIONED"
    assert fires(tmp_path, "attribute: read_capacity\nequals: 50.0", when=provisioned) == {SCRATCH, LATER}
    assert fires(tmp_path, "attribute: read_capacity\nequals: '50'", when=provisioned) == {SCRATCH, LATER}
    indexed = "attribute: global_secondary_index\nexists: true"
    assert (
        fires(tmp_path, "attribute: global_secondary_index[1].non_key_attributes\nequals: [total]", when=indexed)
        == set()
    )
    assert fires(
        tmp_path, "attribute: global_secondary_index[1].non_key_attributes\nequals: [total, price]", when=indexed
    ) == {ORDERS}


def test_not_equals_holds_on_absent(tmp_path):
    # table_class absent is STANDARD; later's is unknown
    assert fires(tmp_path, "attribute: table_class\nnot_equals: STANDARD_INFREQUENT_ACCESS") == {SCRATCH}


def test_in_and_not_in(tmp_path):
    assert fires(tmp_path, "attribute: tags_all.Environment\nin: [prod, staging]") == {BARE, SECRET, PAYMENTS, LEDGER}
    assert fires(tmp_path, "attribute: tags_all.Environment\nnot_in: [prod]") == {ORDERS, SCRATCH}


def test_matches_searches_strings_only(tmp_path):
    assert fires(tmp_path, "attribute: name\nmatches: '^prod-'") == TABLES - {ORDERS}
    assert fires(tmp_path, "attribute: name\nmatches: 'order'") == TABLES - {ORDERS}
    # a number is not a string: no match
    assert (
        fires(tmp_path, "attribute: read_capacity\nmatches: '5'", when="attribute: billing_mode\nequals: PROVISIONED")
        == PROVISIONED
    )


@pytest.mark.parametrize(
    "operator, bound, failing",
    [
        ("less_than", 50, {ORDERS}),
        ("less_than_or_equal", 10, {ORDERS}),
        ("greater_than", 10, {SCRATCH, LATER}),
        ("greater_than_or_equal", 10, {SCRATCH}),
    ],
)
def test_number_comparisons(tmp_path, operator, bound, failing):
    when = "attribute: billing_mode\nequals: PROVISIONED"
    assert fires(tmp_path, f"attribute: read_capacity\n{operator}: {bound}", when=when) == failing


def test_numbers_written_as_text_compare_as_terraform_converts_them(tmp_path):
    # "+50" and "5e1" are 50 to Terraform (and now here: "+50" used to be no number); " 50", with a space, is
    # no number Terraform converts, so it equals no capacity (it used to be read as 50).
    when = "attribute: billing_mode\nequals: PROVISIONED"
    assert fires(tmp_path, "attribute: read_capacity\nequals: '+50'", when=when) == {SCRATCH, LATER}
    assert fires(tmp_path, "attribute: read_capacity\nequals: '5e1'", when=when) == {SCRATCH, LATER}
    assert fires(tmp_path, "attribute: read_capacity\nequals: ' 50'", when=when) == PROVISIONED


def test_comparison_on_a_value_known_after_apply_is_silent(tmp_path):
    # later's recovery period is unknown; elsewhere it is absent, which is no number
    assert fires(tmp_path, "attribute: point_in_time_recovery.recovery_period_in_days\nless_than: 100") == TABLES - {
        LATER
    }


def test_contains_keys_elements_and_substrings(tmp_path):
    # secret's tag value is hidden, its keys are not: it has no Environment key
    assert fires(tmp_path, "attribute: tags\ncontains: Environment") == {BARE, SECRET, PAYMENTS, LEDGER}
    indexed = "attribute: global_secondary_index\nexists: true"
    assert (
        fires(tmp_path, "attribute: global_secondary_index[1].non_key_attributes\ncontains: total", when=indexed)
        == set()
    )
    assert fires(
        tmp_path, "attribute: global_secondary_index[1].non_key_attributes\ncontains: price", when=indexed
    ) == {ORDERS}
    assert fires(tmp_path, "attribute: name\ncontains: order") == TABLES - {ORDERS}


@pytest.mark.parametrize(
    "operator, bound, failing",
    [
        ("length_equals", 2, TABLES - {ORDERS}),
        ("length_less_than", 2, {ORDERS}),
        ("length_less_than_or_equal", 1, {ORDERS}),
        ("length_greater_than", 0, TABLES - {ORDERS}),
        ("length_greater_than_or_equal", 1, TABLES - {ORDERS}),
    ],
)
def test_length_comparisons(tmp_path, operator, bound, failing):
    assert fires(tmp_path, f"attribute: global_secondary_index\n{operator}: {bound}") == failing


def test_length_of_absent_is_zero_and_of_unknown_is_silent(tmp_path):
    assert fires(tmp_path, "attribute: tags\nlength_greater_than: 0") == {BARE}


# ---------------------------------------------------------------- paths and quantifiers
def test_each_element_over_blocks_and_the_any_quantifier(tmp_path):
    # orders has a KEYS_ONLY and an INCLUDE index; the other tables have none: [*] over nothing passes
    assert fires(tmp_path, "attribute: global_secondary_index[*].projection_type\nequals: KEYS_ONLY") == {ORDERS}
    assert fires(tmp_path, "attribute: global_secondary_index[*].projection_type\nin: [KEYS_ONLY, INCLUDE]") == set()
    assert fires(
        tmp_path, "attribute: global_secondary_index[*].projection_type\nequals: INCLUDE\nquantifier: any"
    ) == TABLES - {ORDERS}


def test_a_key_into_blocks_reads_every_block_and_none_as_absent(tmp_path):
    # without [*], a table with no index has no projection type at all
    assert fires(tmp_path, "attribute: global_secondary_index.projection_type\nequals: KEYS_ONLY") == TABLES


def test_indexes_and_quoted_keys(tmp_path):
    assert fires(tmp_path, "attribute: global_secondary_index[0].name\nequals: by-customer") == TABLES - {ORDERS}
    assert fires(tmp_path, "attribute: global_secondary_index[-1].name\nequals: by-customer-sk") == TABLES - {ORDERS}
    assert fires(tmp_path, 'attribute: tags["team.name"]\nequals: orders') == TABLES - {ORDERS, LATER}


def test_each_value_of_a_map(tmp_path):
    # every tag value is lower case where known; secret's is hidden and later's unknown
    assert fires(tmp_path, "attribute: tags_all[*]\nmatches: '^[a-z]'") == set()
    # secret's hidden value does not matter: its ManagedBy tag already fails
    assert fires(tmp_path, "attribute: tags_all[*]\nmatches: '^cc-'") == TABLES - {LATER}


def test_tags_all_merges_default_tags_for_tf_input(tmp_path):
    tf_model = load_inputs([str(TF_CASES / "custom")])[0]
    require = "attribute: tags_all.ManagedBy\nequals: terraform"
    assert flagged(lint(rules_file(tmp_path, require), tf_model), "T001") == set()
    cost_center = "attribute: tags_all.CostCenter\nexists: true"
    assert flagged(lint(rules_file(tmp_path, cost_center), tf_model), "T001") == {SCRATCH, BARE}


# ---------------------------------------------------------------- all / any / not, when, address
NESTED = """\
any:
  - attribute: billing_mode
    equals: PAY_PER_REQUEST
  - all:
      - attribute: read_capacity
        greater_than_or_equal: 10
      - not:
          attribute: table_class
          equals: STANDARD_INFREQUENT_ACCESS
"""


def test_all_any_not_nesting(tmp_path):
    # later: capacity 10 passes, its class is unknown, so the answer is unknown: silent
    assert fires(tmp_path, NESTED) == {SCRATCH}


def test_a_known_failure_decides_all_whatever_the_unknown_member(tmp_path):
    require = (
        "all:\n  - attribute: read_capacity\n    greater_than_or_equal: 20\n"
        "  - attribute: table_class\n    not_equals: STANDARD_INFREQUENT_ACCESS"
    )
    assert fires(tmp_path, require, when="attribute: billing_mode\nequals: PROVISIONED") == {SCRATCH, LATER}
    either = (
        "any:\n  - attribute: read_capacity\n    greater_than_or_equal: 10\n"
        "  - attribute: table_class\n    equals: STANDARD"
    )
    assert fires(tmp_path, either, when="attribute: billing_mode\nequals: PROVISIONED") == {SCRATCH}


def test_not_of_unknown_is_unknown(tmp_path):
    assert fires(tmp_path, "not:\n  attribute: table_class\n  equals: STANDARD_INFREQUENT_ACCESS") == {SCRATCH}


def test_when_narrows_and_an_unknown_when_is_silent(tmp_path):
    # later's Environment tag is unknown: not judged
    when = "attribute: tags_all.Environment\nequals: prod"
    assert fires(tmp_path, "attribute: point_in_time_recovery.enabled\nequals: true", when=when) == {SCRATCH}


def test_address_globs(tmp_path):
    require = "attribute: server_side_encryption.kms_key_arn\nexists: true"
    # payments' key is a reference known after apply: silent; ledger has no key
    assert fires(tmp_path, require, extra="    address: 'module.*'\n") == {LEDGER}
    assert fires(tmp_path, require, extra="    address: [module.ledger.*, aws_dynamodb_table.bare]\n") == {LEDGER, BARE}


# ---------------------------------------------------------------- connected
ALARMED = """\
connected:
  resource_types: [aws_cloudwatch_metric_alarm]
  via: dimensions
  direction: in
  where:
    attribute: alarm_actions
    length_greater_than: 0
"""


def test_connected_by_reference_and_by_literal_name(tmp_path):
    # orders: alarm by reference with an action; bare: alarm by literal name with an action;
    # scratch: alarm by literal name without action; later: by reference, one action (known count)
    assert fires(tmp_path, ALARMED) == {SCRATCH, SECRET, PAYMENTS, LEDGER}
    any_alarm = "connected:\n  resource_types: [aws_cloudwatch_metric_alarm]"
    assert fires(tmp_path, any_alarm) == {SECRET, PAYMENTS, LEDGER}


def test_connected_where_unknown_is_silent(tmp_path):
    # later's alarm action and orders' topic ARN are known only after apply
    require = """\
connected:
  resource_types: [aws_cloudwatch_metric_alarm]
  where:
    all:
      - attribute: alarm_actions
        length_greater_than: 0
      - attribute: alarm_actions[*]
        matches: '^arn:aws:sns:'
"""
    assert fires(tmp_path, require) == {SCRATCH, SECRET, PAYMENTS, LEDGER}


def test_connected_direction_and_via(tmp_path):
    alarms = "aws_cloudwatch_metric_alarm"
    to_table = (
        "connected:\n  resource_types: [aws_dynamodb_table]\n  direction: out\n  where:\n"
        "    attribute: name\n    matches: '^prod-'"
    )
    alarm_addresses = {
        "aws_cloudwatch_metric_alarm.scratch_throttles",
        "aws_cloudwatch_metric_alarm.bare_errors",
        "aws_cloudwatch_metric_alarm.later_throttles",
    }
    assert fires(tmp_path, to_table, types=alarms) == alarm_addresses
    # tables name no alarm, and no alarm names a table through alarm_actions
    named_by_table = "connected:\n  resource_types: [aws_cloudwatch_metric_alarm]\n  direction: out"
    assert fires(tmp_path, named_by_table) == TABLES
    via_actions = "connected:\n  resource_types: [aws_cloudwatch_metric_alarm]\n  via: alarm_actions"
    assert fires(tmp_path, via_actions) == TABLES


def test_connected_makes_a_graph_rule(tmp_path):
    registry = custom.registry([rules_file(tmp_path, ALARMED)], entry_points=False)
    assert registry.rules["T001"].kind == "graph"
    registry = custom.registry([rules_file(tmp_path, "attribute: name\nexists: true")], entry_points=False)
    assert registry.rules["T001"].kind == "config"


# ---------------------------------------------------------------- messages, metadata, help
def test_message_placeholders_and_no_sensitive_value(tmp_path):
    (tmp_path / "rules.yaml").write_text("""\
rules:
  - id: T001
    level: error
    summary: Test rule.
    message: "{label} / {address} / {type} / {name} {{literal}}"
    resource_types: [aws_dynamodb_table]
    path: tags.CostCenter
    require: {attribute: tags.CostCenter, equals: cc-1234}
""")
    findings = {f.address: f for f in lint(tmp_path)}
    # the engine adds where a module resource's attribute comes from (the module writes its tags itself)
    assert findings[LEDGER].message == (
        "'ledger' / module.ledger.aws_dynamodb_table.this / aws_dynamodb_table / "
        "this {literal} (module.ledger writes `tags.CostCenter` itself: no input "
        "of the module changes it)"
    )
    assert findings[LEDGER].path == "tags.CostCenter" and str(findings[LEDGER].level) == "error"
    assert SECRET not in findings and all("cc-hidden" not in f.message for f in findings.values())


def test_metadata_and_generated_help(tmp_path):
    (tmp_path / "rules.yml").write_text("""\
rules:
  - id: ACME010
    slug: needs-cost-center
    level: note
    summary: The table has no CostCenter tag.
    message: "{label} has no CostCenter tag."
    resource_types: [aws_dynamodb_table, aws_dax_cluster]
    security_severity: 2.5
    tags: [cost]
    help_uri: https://wiki.example.com/tagging
    help: |
      ## What it checks
      Tables without a CostCenter tag.
    require: {attribute: tags_all.CostCenter, exists: true}
  - id: ACME011
    level: warning
    summary: Second rule of the file.
    message: "{label}"
    resource_types: [aws_dynamodb_table]
    require: {attribute: name, exists: true}
""")
    registry = custom.registry([tmp_path], entry_points=False)
    first, second = registry.rules["ACME010"], registry.rules["ACME011"]
    assert (first.slug, str(first.level), first.applies, first.security_severity, first.tags) == (
        "needs-cost-center",
        "note",
        ("aws_dynamodb_table", "aws_dax_cluster"),
        2.5,
        ("cost",),
    )
    assert first.origin.endswith("rules.yml:2") and second.origin.endswith("rules.yml:15")
    assert first.help.startswith("## What it checks") and "- <https://wiki.example.com/tagging>" in first.help
    assert "## Definition" in first.help and "tags_all.CostCenter" in first.help
    assert first.full_description == "Tables without a CostCenter tag."
    assert second.slug == "acme011" and second.full_description == "Second rule of the file."
    from dynalint.report import INFORMATION_URI, help_uri

    assert help_uri(first) == "https://wiki.example.com/tagging" and help_uri(second) == INFORMATION_URI


def test_schema_file_is_valid_and_shipped():
    from jsonschema import Draft202012Validator

    from dynalint import yaml_rules

    Draft202012Validator.check_schema(yaml_rules.schema())
    assert set(yaml_rules.OPERATORS) == {
        k for k in yaml_rules.schema()["$defs"]["attribute"]["properties"] if k not in ("attribute", "quantifier")
    }


# ---------------------------------------------------------------- broken files
GOOD = """\
  - id: ACME001
    level: warning
    summary: Fine.
    message: "{label}"
    resource_types: [aws_dynamodb_table]
    require: {attribute: name, exists: true}
"""


@pytest.fixture
def problem(tmp_path, monkeypatch):
    """The one-line error a rules file gives (file names relative to the current directory)."""
    monkeypatch.chdir(tmp_path)

    def load(body: str) -> str:
        (tmp_path / "house.yaml").write_text(body)
        with pytest.raises(RuleError) as raised:
            custom.registry([tmp_path], entry_points=False)
        return str(raised.value)

    return load


@pytest.mark.parametrize(
    "rule, expected",
    [
        (
            "require: {attribute: name, equal: x}",
            "house.yaml:13: rule ACME002: rules[1].require.equal: unknown key: did you mean equals? (and 1 more problem)",
        ),
        (
            "require: {attribute: name}",
            "house.yaml:13: rule ACME002: rules[1].require: no operator: add one of exists,",
        ),
        (
            "require: {attribute: name, equals: x, in: [y]}",
            "house.yaml:13: rule ACME002: rules[1].require: one operator per condition, this one has equals, in",
        ),
        (
            "require: {attribute: name, all: [{attribute: name, exists: true}]}",
            "house.yaml:13: rule ACME002: rules[1].require: a condition is one of all, any, not, connected or attribute; "
            "this one has all and attribute",
        ),
        ("require: {all: []}", "house.yaml:13: rule ACME002: rules[1].require.all: must not be empty"),
        (
            "require: {attribute: name, matches: '(unclosed'}",
            "house.yaml:13: rule ACME002: rules[1].require.matches: invalid regular expression: missing ), unterminated",
        ),
        (
            "require: {attribute: 'tags..x', exists: true}",
            "house.yaml:13: rule ACME002: rules[1].require.attribute: cannot read '..x'",
        ),
        (
            "require: {attribute: name, length_equals: -1}",
            "house.yaml:13: rule ACME002: rules[1].require.length_equals: must be 0 or more",
        ),
        (
            "require: {connected: {resource_types: [aws_sns_topic], direction: sideways}}",
            "house.yaml:13: rule ACME002: rules[1].require.connected.direction: expected one of in, out, both, "
            "got 'sideways'",
        ),
        (
            "require: {connected: {where: {attribute: name, exists: true}}}",
            "house.yaml:13: rule ACME002: rules[1].require.connected: missing 'resource_types'",
        ),
        (
            "require:\n      any:\n        - {attribute: name, exists: true}\n        - not: {attribute: name, exist: true}",
            "house.yaml:16: rule ACME002: rules[1].require.any[1].not.exist: unknown key: did you mean exists?",
        ),
        (
            "require: {attribute: name, exists: yes-please}",
            "house.yaml:13: rule ACME002: rules[1].require.exists: expected true or false, got a string ('yes-please')",
        ),
    ],
)
def test_condition_errors_name_file_line_rule_and_path(problem, rule, expected):
    body = (
        f"rules:\n{GOOD}  - id: ACME002\n    level: warning\n    summary: Broken.\n    message: x\n"
        f"    resource_types: [aws_dynamodb_table]\n    {rule}\n"
    )
    assert problem(body).startswith(expected)


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            ("id: ACME001", "id: acme-1"),
            "house.yaml:2: rule acme-1: rules[0].id: a rule id is capital letters then digits, e.g. ACME001",
        ),
        (("  - id: ACME001\n    level", "  - level"), "house.yaml:2: rule #1: rules[0]: missing 'id'"),
        (
            ("level: warning", "level: fatal"),
            "house.yaml:3: rule ACME001: rules[0].level: expected one of error, warning, note, got 'fatal'",
        ),
        (
            ('message: "{label}"', 'message: "{value} is wrong"'),
            "house.yaml:5: rule ACME001: rules[0].message: unknown placeholder {value} (known: {label}, {address}, "
            "{type}, {name}",
        ),
        (
            ("resource_types: [aws_dynamodb_table]", "resource_types: aws_dynamodb_table"),
            "house.yaml:6: rule ACME001: rules[0].resource_types: expected a list, got a string",
        ),
        (
            ("    require: {attribute: name, exists: true}\n", "    requires: {attribute: name, exists: true}\n"),
            "house.yaml:7: rule ACME001: rules[0].requires: unknown key: did you mean require?",
        ),
        (
            ("summary: Fine.", "summary: Fine.\n    security_severity: 11"),
            "house.yaml:5: rule ACME001: rules[0].security_severity: must be above 0 and at most 10",
        ),
    ],
)
def test_rule_errors(problem, change, expected):
    assert problem("rules:\n" + GOOD.replace(*change)).startswith(expected)


def test_file_level_errors(problem):
    assert problem("rules: [\n").startswith("house.yaml:2: invalid YAML")
    assert problem("").startswith("house.yaml: (top level): expected a mapping with a `rules:` list, got nothing")
    assert problem(GOOD).startswith("house.yaml:1: (top level): expected a mapping with a `rules:` list")
    assert problem("rules: []\n").startswith("house.yaml:1: rules: must not be empty")
    assert problem("rule:\n" + GOOD).startswith("house.yaml:1: rule: unknown key: did you mean rules?")


def test_more_problems_are_counted(problem):
    text = problem("rules:\n" + GOOD.replace("level: warning", "level: fatal").replace("summary: Fine.", "summary: ''"))
    assert text.endswith("(and 1 more problem)")

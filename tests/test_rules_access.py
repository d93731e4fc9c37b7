"""DDB601-DDB605 on the plan real terraform made of tests/tf/access (planned against before/), and on the tree."""

import json

import pytest

from dynalint.load import load_inputs
from dynalint.model import UNKNOWN
from helpers import TF_CASES, by_address, case_plan, flagged, lint_case, lint_doc, lint_model, lint_tf, load_case

FINDINGS = lint_case("access", select=["DDB6"])


def _levels(rule_id):
    return {address: [str(f.level) for f in found] for address, found in by_address(FINDINGS, rule_id).items()}


def test_ddb601_wildcards_on_every_resource_are_errors():
    assert {a for a, levels in _levels("DDB601").items() if levels == ["error"]} == {
        "aws_iam_policy.admin_everything",
        "aws_iam_role_policy.dynamodb_everything",
        "aws_iam_group_policy.not_iam",
        "aws_vpc_endpoint.dynamodb_open",
        "aws_vpc_endpoint_policy.dynamodb_interface",
    }


def test_ddb601_wildcards_on_named_tables_are_warnings():
    assert {a for a, levels in _levels("DDB601").items() if levels == ["warning"]} == {
        "aws_iam_user_policy.dynamodb_one_table",
        "aws_iam_policy.sneaky_wildcards",
        "aws_dynamodb_resource_policy.public",
        "aws_vpc_endpoint_policy.elsewhere_dynamodb",
    }


def test_ddb601_message_names_the_statement_and_the_fix():
    [finding] = by_address(FINDINGS, "DDB601")["aws_iam_user_policy.dynamodb_one_table"]
    assert finding.path == "policy.Statement.All"
    assert "'dynamodb-one-table'" in finding.message and "statement 'All'" in finding.message
    [finding] = by_address(FINDINGS, "DDB601")["aws_iam_policy.admin_everything"]
    assert "statement #1" in finding.message and "name the table ARNs" in finding.message


def test_ddb601_silent_on_scoped_denied_partial_and_unknown_policies():
    found = flagged(FINDINGS, "DDB601")
    assert not found & {
        "aws_iam_policy.scoped",
        "aws_iam_policy.known_later",
        "aws_iam_policy.orders_reader",
        "aws_dynamodb_resource_policy.known_later",
        "aws_dynamodb_resource_policy.restricted",
    }


def test_ddb601_endpoints_only_for_dynamodb_and_only_with_a_written_policy():
    found = flagged(FINDINGS, "DDB601")
    # no policy written (the AWS default applies), another service, a scoped policy, a service known later
    assert not found & {
        "aws_vpc_endpoint.dynamodb_interface",
        "aws_vpc_endpoint.s3_open",
        "aws_vpc_endpoint.dynamodb_scoped",
        "aws_vpc_endpoint.service_later",
        "aws_vpc_endpoint_policy.s3_open",
        "aws_vpc_endpoint_policy.elsewhere_any",
    }


def _state(*resources):
    return {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {
            "root_module": {
                "resources": [
                    {"address": f"{t}.{n}", "mode": "managed", "type": t, "name": n, "values": v}
                    for t, n, v in resources
                ]
            }
        },
    }


def _policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


OPEN = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
DEFAULT_ENDPOINT_POLICY = json.dumps({"Version": "2008-10-17", "Statement": [OPEN]})


def test_ddb601_in_a_state_the_default_endpoint_policy_is_not_judged_and_literal_ids_link():
    # Hand-built: endpoint ids and the default policy text come from AWS; the offline fixtures cannot make them.
    state = _state(
        (
            "aws_vpc_endpoint",
            "default",
            {
                "id": "vpce-1",
                "service_name": "com.amazonaws.us-east-1.dynamodb",
                "vpc_endpoint_type": "Gateway",
                "policy": DEFAULT_ENDPOINT_POLICY,
            },
        ),
        (
            "aws_vpc_endpoint",
            "written",
            {
                "id": "vpce-2",
                "service_name": "com.amazonaws.us-east-1.dynamodb",
                "vpc_endpoint_type": "Gateway",
                "policy": _policy(OPEN),
            },
        ),
        (
            "aws_vpc_endpoint",
            "s3",
            {
                "id": "vpce-3",
                "service_name": "com.amazonaws.us-east-1.s3",
                "vpc_endpoint_type": "Gateway",
                "policy": _policy(OPEN),
            },
        ),
        ("aws_vpc_endpoint_policy", "on_dynamodb", {"vpc_endpoint_id": "vpce-1", "policy": _policy(OPEN)}),
        ("aws_vpc_endpoint_policy", "on_s3", {"vpc_endpoint_id": "vpce-3", "policy": _policy(OPEN)}),
    )
    assert flagged(lint_doc(state, ["DDB601"]), "DDB601") == {
        "aws_vpc_endpoint.written",
        "aws_vpc_endpoint_policy.on_dynamodb",
    }


def test_ddb601_invalid_json_is_not_judged():
    # Hand-built: the aws provider rejects a policy that is not JSON at plan time.
    state = _state(
        ("aws_iam_policy", "broken", {"name": "broken", "policy": '{"Statement": [{"Effect": "Allow",'}),
        ("aws_iam_policy", "not_a_policy", {"name": "not-a-policy", "policy": '["dynamodb:*"]'}),
        ("aws_iam_policy", "valid", {"name": "valid", "policy": _policy(OPEN)}),
    )
    assert flagged(lint_doc(state, ["DDB601"]), "DDB601") == {"aws_iam_policy.valid"}


def test_ddb602_query_or_scan_without_index_arn_by_literal_and_by_reference():
    found = by_address(FINDINGS, "DDB602")
    assert set(found) == {
        "aws_iam_policy.orders_reader",  # literal ARN, new table
        "aws_iam_role_policy.events_scanner",  # ARN built from the table's name (reference)
        "aws_iam_policy.legacy_reader",
    }  # the existing table's ARN (reference)
    [orders] = found["aws_iam_policy.orders_reader"]
    assert "dynamodb:Query" in orders.message and "by_customer" in orders.message
    assert '"arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/*"' in orders.message
    assert orders.path == "policy.Resource.orders"
    [events] = found["aws_iam_role_policy.events_scanner"]
    assert "dynamodb:Scan" in events.message and "'events'" in events.message


def test_ddb602_silent_with_index_arns_wildcards_no_indexes_or_unknown_policy():
    found = flagged(FINDINGS, "DDB602")
    assert not found & {
        "aws_iam_policy.orders_reader_with_indexes",
        "aws_iam_policy.wide_reader",
        "aws_iam_policy.known_later",
        "aws_iam_policy.scoped",
        "aws_iam_policy.elsewhere_reader",
    }


def test_ddb603_anyone_without_condition():
    assert flagged(FINDINGS, "DDB603") == {
        "aws_dynamodb_resource_policy.public",
        "aws_dynamodb_resource_policy.public_in_list",
        "aws_dynamodb_resource_policy.public_over_tls",
        "aws_dynamodb_resource_policy.cond_org_wildcard",
        "aws_dynamodb_resource_policy.cond_if_exists",
        "aws_dynamodb_resource_policy.cond_not_aws_service",
    }
    [finding] = by_address(FINDINGS, "DDB603")["aws_dynamodb_resource_policy.public"]
    assert finding.level.name == "ERROR" and "statement 'Everyone'" in finding.message
    assert finding.path == "policy.Statement.Everyone.Principal"


def test_ddb603_only_trusted_condition_keys_without_wildcards_narrow_the_caller():
    found = flagged(FINDINGS, "DDB603")
    assert {
        "aws_dynamodb_resource_policy.cond_org_wildcard",
        "aws_dynamodb_resource_policy.cond_if_exists",
        "aws_dynamodb_resource_policy.cond_not_aws_service",
    } <= found
    assert "aws_dynamodb_resource_policy.cond_vpce" not in found


def test_ddb604_interface_endpoint_for_dynamodb():
    assert flagged(FINDINGS, "DDB604") == {"aws_vpc_endpoint.dynamodb_interface"}  # service_later: unknown


def test_ddb605_by_reference_inline_and_separate_rules():
    found = by_address(FINDINGS, "DDB605")
    assert set(found) == {"aws_dax_cluster.plain", "aws_dax_cluster.ruled", "aws_dax_cluster.literal"}
    assert "inline ingress block" in found["aws_dax_cluster.plain"][0].message
    ruled = sorted(f.message for f in found["aws_dax_cluster.ruled"])
    assert len(ruled) == 2  # dax_tls (9111 in, 8111 only out) is fine
    assert "aws_vpc_security_group_ingress_rule.dax_all_traffic" in ruled[0]
    assert "aws_security_group_rule.dax_ruled_range" in ruled[1]


def test_ddb605_reads_ports_written_as_text(tmp_path):
    # Terraform converts "8111" to a number: .tf input is judged as the plan would be (it used to be skipped).
    found = lint_tf(
        tmp_path,
        """
resource "aws_dax_cluster" "c" {
  cluster_name       = "c"
  replication_factor = 3
  security_group_ids = [aws_security_group.g.id]
}

resource "aws_security_group" "g" {
  name = "g"
  ingress {
    protocol  = "tcp"
    from_port = "8000"
    to_port   = "8200"
  }
}
""",
        ["DDB605"],
    )
    [finding] = by_address(found, "DDB605")["aws_dax_cluster.c"]
    assert "inline ingress block" in finding.message


def test_ddb605_by_literal_group_id_on_a_tls_cluster():
    [finding] = by_address(FINDINGS, "DDB605")["aws_dax_cluster.literal"]
    assert "'legacy-dax'" in finding.message and "never serves 8111" in finding.message


def test_ddb605_silent_on_tls_port_and_port_known_later():
    assert "aws_dax_cluster.good" not in by_address(FINDINGS)


def test_ddb602_wildcards_in_a_state():
    # Hand-built state: the ARNs of existing tables are what the patterns are matched against.
    def policy(name, resource):
        doc = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "dynamodb:Query", "Resource": resource}],
        }
        return {
            "address": f"aws_iam_policy.{name}",
            "mode": "managed",
            "type": "aws_iam_policy",
            "name": name,
            "values": {"name": name, "policy": json.dumps(doc)},
        }

    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
    table = {
        "address": "aws_dynamodb_table.orders",
        "mode": "managed",
        "type": "aws_dynamodb_table",
        "name": "orders",
        "values": {"name": "orders", "arn": arn, "hash_key": "pk", "global_secondary_index": [{"name": "by-customer"}]},
    }
    resources = [
        table,
        policy("literal", arn),
        policy("ends_in_star", arn.replace("orders", "ord*")),
        policy("star_in_middle", arn.replace("orders", "o*rs")),
        policy("everything", "*"),
        policy("other_table", arn.replace("orders", "invoices")),
    ]
    state = {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {"root_module": {"resources": resources}},
    }
    assert flagged(lint_doc(state, ["DDB602"]), "DDB602") == {"aws_iam_policy.literal", "aws_iam_policy.star_in_middle"}


# ---------------------------------------------------------------- policies known in part
# The plan holds a policy around a new table's ARN as unknown: read alone, every rule stays silent on it
# (above). The same tree linted as .tf, or the plan read beside its .tf files, judges what the policy
# writes out, and stays silent on what it does not.
[TREE_MODEL] = load_inputs([str(TF_CASES / "access")])
TREE = lint_model(TREE_MODEL, ["DDB6"])
KNOWN_IN_PART = {
    "aws_iam_policy.known_later",
    "aws_dynamodb_resource_policy.known_later",
    "aws_iam_policy.index_by_reference",
    "aws_iam_policy.index_maybe",
    "aws_iam_policy.document_later",
    "aws_iam_policy.queue_later",
    "aws_iam_policy.not_action_later",
    "aws_dynamodb_resource_policy.org_later",
}


def test_policies_known_in_part_are_unknown_in_the_plan_and_silent_on_the_plan_alone():
    model = load_case("access")
    for address in KNOWN_IN_PART:
        resource = next(r for r in model.resources if r.address == address)
        assert resource.values["policy"] is UNKNOWN
    assert not {f.address for f in FINDINGS} & KNOWN_IN_PART


def test_ddb601_on_a_table_arn_known_only_after_apply():
    levels = {a: [str(f.level) for f in found] for a, found in by_address(TREE, "DDB601").items()}
    assert {a: levels[a] for a in KNOWN_IN_PART & set(levels)} == {
        "aws_iam_policy.known_later": ["warning"],
        "aws_dynamodb_resource_policy.known_later": ["warning"],
    }


def test_ddb602_on_a_table_arn_known_only_after_apply_names_the_reference_to_add():
    found = by_address(TREE, "DDB602")
    assert set(found) & KNOWN_IN_PART == {"aws_iam_policy.known_later", "aws_iam_policy.document_later"}
    [finding] = found["aws_iam_policy.document_later"]
    assert 'add "${aws_dynamodb_table.orders.arn}/index/*" to Resource' in finding.message


def test_ddb603_on_a_policy_known_in_part_and_silent_on_a_condition_known_later():
    assert flagged(TREE, "DDB603") & KNOWN_IN_PART == {"aws_dynamodb_resource_policy.known_later"}


def test_the_tree_finds_what_the_plan_finds_plus_the_policies_known_in_part():
    def keyed(findings):
        return {(f.rule_id, f.address, f.level) for f in findings}

    tree_only = {(rule_id, address) for rule_id, address, _ in keyed(TREE) - keyed(FINDINGS)}
    plan_only = {(rule_id, address) for rule_id, address, _ in keyed(FINDINGS) - keyed(TREE)}
    assert {a for _, a in tree_only} - {"aws_iam_policy.elsewhere_reader"} <= KNOWN_IN_PART
    # elsewhere_reader names table/legacy in account 210987654321: the plan knows legacy's account from the
    # prior state, the .tf input does not and reads the names as agreeing. literal's security group ID is a
    # literal that only the prior state resolves to a group.
    assert plan_only == {("DDB605", "aws_dax_cluster.literal")}


def test_references_through_modules_and_variables(tmp_path):
    module = tmp_path / "modules" / "store"
    module.mkdir(parents=True)
    (tmp_path / "main.tf").write_text("""
module "store" {
  source = "./modules/store"
}

variable "table_arns" {
  type = list(string)
}

resource "aws_iam_policy" "root_reader" {
  name   = "root-reader"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:Query", Resource = module.store.items_arn }]
  })
}

resource "aws_iam_policy" "any_tables" {
  name   = "any-tables"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = var.table_arns }]
  })
}

resource "aws_iam_policy" "any_service" {
  name   = "any-service"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = var.table_arns }]
  })
}
""")
    (module / "main.tf").write_text("""
resource "aws_dynamodb_table" "items" {
  name         = "items"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  global_secondary_index {
    name            = "by_pk"
    hash_key        = "pk"
    projection_type = "KEYS_ONLY"
  }
}

resource "aws_iam_policy" "reader" {
  name   = "items-reader"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:Query", Resource = aws_dynamodb_table.items.arn }]
  })
}

output "items_arn" {
  value = aws_dynamodb_table.items.arn
}
""")
    [model] = load_inputs([str(tmp_path)])
    findings = lint_model(model, ["DDB601", "DDB602"])
    ddb602 = by_address(findings, "DDB602")
    assert set(ddb602) == {"module.store.aws_iam_policy.reader", "aws_iam_policy.root_reader"}
    assert '"${aws_dynamodb_table.items.arn}/index/*"' in ddb602["module.store.aws_iam_policy.reader"][0].message
    assert '"${module.store.items_arn}/index/*"' in ddb602["aws_iam_policy.root_reader"][0].message
    # dynamodb:* on tables a variable names (known only after apply) is judged; "*" on anything it names is not.
    assert {(f.address, str(f.level)) for f in findings if f.rule_id == "DDB601"} == {
        ("aws_iam_policy.any_tables", "warning")
    }


def test_the_plan_beside_its_tf_files_judges_the_policies_as_the_tree_does(tmp_path):
    def known_in_part(findings):
        return {(f.rule_id, f.address, f.level, f.message) for f in findings if f.address in KNOWN_IN_PART}

    [beside] = load_inputs([str(case_plan("access"))])
    assert known_in_part(lint_model(beside, ["DDB6"])) == known_in_part(TREE) != set()
    [elsewhere] = load_inputs([str(case_plan("access"))], source_dir=str(tmp_path))  # no .tf there
    assert known_in_part(lint_model(elsewhere, ["DDB6"])) == set()


# ---------------------------------------------------------------- DDB602 beside a stream-consumer statement
STREAMS = TF_CASES / "access_streams"


@pytest.mark.parametrize("target", [STREAMS, STREAMS / "plan.json"], ids=["tf", "plan beside its tf"])
def test_ddb602_is_not_silenced_by_a_statement_on_the_tables_stream(target):
    [model] = load_inputs([str(target)])
    found = by_address(lint_model(model, ["DDB602"]), "DDB602")
    # stream_consumer: Query on the table without its indexes, GetRecords on its stream_arn (never an index)
    # stream_consumer_with_indexes: the twin with "/index/*"; could_be_the_index: a piece that could be anything
    assert set(found) == {"aws_iam_policy.stream_consumer"}
    [finding] = found["aws_iam_policy.stream_consumer"]
    assert 'add "${aws_dynamodb_table.orders.arn}/index/*" to Resource' in finding.message


def test_ddb602_stream_consumer_policy_is_unknown_and_silent_on_the_plan_alone():
    model = load_case("access_streams")
    policy = next(r for r in model.resources if r.address == "aws_iam_policy.stream_consumer")
    assert policy.values["policy"] is UNKNOWN
    assert not flagged(lint_model(model, ["DDB602"]), "DDB602")

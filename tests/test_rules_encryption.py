"""DDB201-DDB207 on the plan real terraform made of tests/tf/encryption (and tests/tf/changes for DDB202)."""

from helpers import by_address, flagged, lint_case, lint_doc, lint_tf

FINDINGS = lint_case("encryption", select=["DDB2"])
CHANGES = lint_case("changes", select=["DDB202"])


def test_ddb201_owned_and_managed_keys():
    assert flagged(FINDINGS, "DDB201") == {
        "aws_dynamodb_table.owned_key",
        "aws_dynamodb_table.managed_key",
        "aws_dynamodb_table.managed_alias",
        "aws_dynamodb_table.owned_global",
    }
    [owned] = by_address(FINDINGS, "DDB201")["aws_dynamodb_table.owned_key"]
    [managed] = by_address(FINDINGS, "DDB201")["aws_dynamodb_table.managed_key"]
    assert "AWS-owned key" in owned.message and "AWS-managed key" in managed.message
    for finding in (owned, managed):
        assert "unencrypted" not in finding.message.lower()  # DynamoDB always encrypts at rest


def test_ddb201_silent_on_customer_key_known_or_not_and_on_unknown_enabled():
    found = flagged(FINDINGS, "DDB201")
    assert not found & {
        "aws_dynamodb_table.customer_key",
        "aws_dynamodb_table.later_key",
        "aws_dynamodb_table.sse_decided_later",
        "aws_dynamodb_table.careless_key",
    }


def test_ddb202_key_change_and_key_known_after_apply():
    found = by_address(CHANGES, "DDB202")
    assert set(found) == {"aws_dynamodb_table.orders", "aws_dynamodb_table.follows_new_key"}
    assert "known only after apply" in found["aws_dynamodb_table.follows_new_key"][0].message


def test_ddb203_rotation_off_on_keys_that_encrypt_tables_directly_or_through_alias():
    assert flagged(FINDINGS, "DDB203") == {"aws_kms_key.careless", "aws_kms_key.aliased"}


def test_ddb203_by_literal_key_arn_in_a_state():
    arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    state = {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_kms_key.k",
                        "mode": "managed",
                        "type": "aws_kms_key",
                        "name": "k",
                        "values": {"arn": arn, "key_id": arn.rsplit("/", 1)[1], "enable_key_rotation": False},
                    },
                    {
                        "address": "aws_dynamodb_table.t",
                        "mode": "managed",
                        "type": "aws_dynamodb_table",
                        "name": "t",
                        "values": {"name": "t", "server_side_encryption": [{"enabled": True, "kms_key_arn": arn}]},
                    },
                ]
            }
        },
    }
    assert flagged(lint_doc(state, ["DDB203"]), "DDB203") == {"aws_kms_key.k"}


def test_ddb204_short_deletion_window_and_option():
    assert flagged(FINDINGS, "DDB204") == {"aws_kms_key.careless"}
    relaxed = lint_case("encryption", select=["DDB204"], options={"DDB204": {"min_kms_deletion_window": 7}})
    assert flagged(relaxed, "DDB204") == set()


def test_ddb205_replica_without_regional_key():
    assert flagged(FINDINGS, "DDB205") == {"aws_dynamodb_table.careless_key", "aws_dynamodb_table_replica.no_key"}
    [finding] = by_address(FINDINGS, "DDB205")["aws_dynamodb_table.careless_key"]
    assert "us-west-2" in finding.message


def test_ddb206_and_ddb207_dax():
    assert flagged(FINDINGS, "DDB206") == {"aws_dax_cluster.plain"}
    assert flagged(FINDINGS, "DDB207") == {"aws_dax_cluster.plain", "aws_dax_cluster.none_tls"}
    assert "aws_dax_cluster.decided_later" not in by_address(FINDINGS)


def test_ddb204_reads_a_deletion_window_written_as_text(tmp_path):
    # Terraform converts "7" to the number 7: .tf input is judged as the plan would be (it used to be skipped).
    found = lint_tf(
        tmp_path,
        """
resource "aws_kms_key" "k" {
  enable_key_rotation     = true
  deletion_window_in_days = "7"
}

resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.k.arn
  }
}
""",
        ["DDB204"],
    )
    [finding] = by_address(found, "DDB204")["aws_kms_key.k"]
    assert "can be deleted 7 days after" in finding.message

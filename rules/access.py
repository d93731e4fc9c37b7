"""Access and network: who may call DynamoDB, on which tables, and through which network path.

The policy rules read the policy JSON the plan holds. A policy built with
``jsonencode()`` around a value known only after apply (the ARN of a table
created in the same plan) is unknown in the plan, and is not judged there;
from .tf input the rules judge the part written out (see ``_iam``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from dynalint.errors import TooMuchWork
from dynalint.model import Resource, is_known
from dynalint.rule import Context, Issue, rule
from dynalint.values import is_configured, is_number, known_blocks, label, number_of

from ._iam import (
    Statement,
    allows_action,
    allows_every_action_of,
    is_anyone,
    is_stream_arn,
    matches,
    narrows_principal,
    policy_statements,
    referred_address,
    resource_is_everything,
    resource_reaches_service,
)
from ._key_schema import all_indexes

TAGS = ("security", "access", "dynamodb")
NETWORK_TAGS = ("security", "network", "dynamodb")
DAX_TAGS = ("security", "network", "dax")

TABLE = "aws_dynamodb_table"
IDENTITY_POLICIES = ("aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy")
RESOURCE_POLICY = "aws_dynamodb_resource_policy"
ENDPOINT = "aws_vpc_endpoint"
ENDPOINT_POLICY = "aws_vpc_endpoint_policy"
SECURITY_GROUP = "aws_security_group"
SG_RULE = "aws_security_group_rule"
SG_INGRESS_RULE = "aws_vpc_security_group_ingress_rule"
DAX_PLAIN_PORT = 8111
# What AWS attaches to an endpoint whose policy is not written (state input shows it).
DEFAULT_ENDPOINT_POLICY = {
    "Version": "2008-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
}

KIND_WORDS = {
    "aws_iam_policy": "IAM policy",
    "aws_iam_role_policy": "Inline role policy",
    "aws_iam_user_policy": "Inline user policy",
    "aws_iam_group_policy": "Inline group policy",
    RESOURCE_POLICY: "Resource policy",
    ENDPOINT: "VPC endpoint",
    ENDPOINT_POLICY: "VPC endpoint policy",
}


def _named(resource: Resource) -> str:
    """ "IAM policy 'readers'", "Resource policy aws_dynamodb_resource_policy.orders"."""
    return f"{KIND_WORDS.get(resource.type, resource.type)} {label(resource)}"


# ---------------------------------------------------------------- DDB601
@rule(
    id="DDB601",
    slug="iam-dynamodb-wildcard",
    level="warning",
    applies=[*IDENTITY_POLICIES, RESOURCE_POLICY, ENDPOINT, ENDPOINT_POLICY],
    security_severity=7.0,
    tags=TAGS,
)
def iam_dynamodb_wildcard(resource: Resource, ctx: Context) -> Iterator[Issue]:
    """A policy allows every DynamoDB action ("dynamodb:*" or "*").

    ## What it checks
    An `Allow` statement whose `Action` takes in every DynamoDB action
    (`dynamodb:*`, `*`, any pattern such as `dyna*:*`, or a `NotAction` that
    spares DynamoDB) and whose `Resource` can match a DynamoDB ARN (`*`, a
    pattern such as `arn:aws:dynamodb:*`, or a table ARN). Statements scoped to
    other services' resources are not judged. The finding is an error when the
    `Resource` is `*` as well (or a `NotResource` that spares every table).

    Policies read: `aws_iam_policy`, `aws_iam_role_policy`,
    `aws_iam_user_policy`, `aws_iam_group_policy`, `aws_dynamodb_resource_policy`;
    and the policy of a DynamoDB VPC endpoint (`service_name` ending in
    `.dynamodb`), written in `aws_vpc_endpoint` or in an `aws_vpc_endpoint_policy`
    attached to it. An endpoint whose configuration writes no policy gets the
    AWS default (full access through the endpoint) and is not judged.

    ## Why it matters
    `dynamodb:*` includes `DeleteTable`, `UpdateTable` (turning off deletion
    protection, changing capacity), `DeleteBackup`, `PutResourcePolicy` and
    `ExportTableToPointInTime`, not only reads and writes. On `Resource: "*"`
    it applies to every table of every account the caller can reach. A leaked
    application credential with this policy can drop production data and its
    backups.

    ## Known limits
    A policy built around a value known only after apply (the ARN of a table
    created in the same plan) is unknown in that plan and not judged there;
    write ARNs from known values (`var`, `locals`, the table's `name`) to have
    it checked at plan time. Linted as `.tf`, the same policy is judged on what
    it writes out: a `Resource` known only after apply counts as a table ARN
    when it is a DynamoDB resource's `arn` (`aws_dynamodb_table.orders.arn`,
    or a module output that is one) or when the statement names `dynamodb:`
    actions itself; a `NotAction` that is not known is not judged. A
    policy that is not valid JSON is not judged. A separate
    `aws_vpc_endpoint_policy` whose endpoint is not in the input is judged
    only on statements that name `dynamodb:` actions.

    ## References
    - [Identity-based policies for DynamoDB](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/security_iam_id-based-policy-examples.html)
    - [Actions, resources and condition keys for DynamoDB](https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html)
    - [Control access to VPC endpoints using endpoint policies](https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html)
    """
    statements, explicit_only = _judged_policy(resource, ctx)
    for statement in statements:
        if not _grants_all_dynamodb(statement, explicit_only):
            continue
        everywhere = resource_is_everything(statement, "dynamodb")
        scope = "on every resource" if everywhere else "on the tables it names"
        yield Issue(
            f"{_named(resource)} allows every DynamoDB action {scope} in statement {statement.shown}, "
            "DeleteTable and DeleteBackup included: list only the actions the caller needs"
            f"{' and name the table ARNs' if everywhere else ''}.",
            path=f"policy.Statement.{statement.key}",
            level="error" if everywhere else None,
        )


def _grants_all_dynamodb(statement: Statement, explicit_only: bool) -> bool:
    if not statement.allows or not allows_every_action_of(statement, "dynamodb"):
        return False
    names_dynamodb = any(a.lower().startswith("dynamodb:") for a in statement.actions or ())
    if explicit_only and not names_dynamodb:
        return False
    # A Resource known only after apply is read as DynamoDB's when the statement names dynamodb: actions itself.
    return resource_reaches_service(statement, "dynamodb") or bool(names_dynamodb and statement.resource_pieces)


def _judged_policy(resource: Resource, ctx: Context) -> tuple[list[Statement], bool]:
    """The statements DDB601 judges, and whether only those naming dynamodb: actions count."""
    statements = policy_statements(resource) or []
    if resource.type == ENDPOINT:
        if not _is_dynamodb_endpoint(resource) or not _writes_endpoint_policy(resource):
            return [], False
        return statements, False
    if resource.type == ENDPOINT_POLICY:
        endpoints = ctx.related(resource, ENDPOINT, via="vpc_endpoint_id", direction="out")
        if not endpoints:
            return statements, True
        if any(_is_dynamodb_endpoint(e) for e in endpoints):
            return statements, False
        return [], False
    return statements, False


def _is_dynamodb_endpoint(endpoint: Resource) -> bool:
    service = endpoint.values.get("service_name")
    return isinstance(service, str) and service.lower().endswith(".dynamodb")


def _writes_endpoint_policy(endpoint: Resource) -> bool:
    """Plan input tells from the configuration; a state only shows the policy, so skip the AWS default."""
    if endpoint.configured is not None:
        return is_configured(endpoint.configured, ("policy",))
    text = endpoint.values.get("policy")
    if not isinstance(text, str):
        return False
    try:
        return json.loads(text) != DEFAULT_ENDPOINT_POLICY
    except ValueError:
        return False


# ---------------------------------------------------------------- DDB602
INDEX_ACTIONS = ("dynamodb:Query", "dynamodb:Scan")


@rule(
    id="DDB602",
    slug="iam-missing-index-arn",
    level="warning",
    applies=IDENTITY_POLICIES,
    kind="graph",
    security_severity=2.0,
    tags=TAGS,
)
def iam_missing_index_arn(policy: Resource, ctx: Context) -> Iterator[Issue]:
    """A policy allows Query or Scan on a table with indexes, but not on the indexes.

    ## What it checks
    An identity policy (`aws_iam_policy`, `aws_iam_role_policy`,
    `aws_iam_user_policy`, `aws_iam_group_policy`) whose `Allow` statements
    grant `dynamodb:Query` or `dynamodb:Scan` on a table of the input that has
    global or local secondary indexes, while no `Allow` statement of the same
    policy grants that action on any of the table's index ARNs
    (`<table arn>/index/*`, an index by name, or a wildcard covering them).
    Tables are matched by ARN, wildcards included; where the table's ARN is not
    known yet (a new table), by its name and region.

    ## Why it matters
    An index is a resource of its own in IAM: `arn:...:table/orders/index/by_customer`.
    Permission on the table ARN does not extend to its indexes, so a `Query`
    with `IndexName` fails with `AccessDeniedException` at run time, usually
    first in production, where the role is least privileged.

    ## Known limits
    Only the same policy is searched: a grant on the index in another policy
    attached to the same role is not seen. A policy known only after apply is
    not judged on the plan; linted as `.tf`, it is judged when every piece of
    its `Resource` known only after apply is the `arn` of a resource
    (`aws_dynamodb_table.orders.arn`, `"${aws_dynamodb_table.orders.arn}/index/*"`)
    or a table's `stream_arn` (the usual stream-consumer statement: a stream
    ARN is never an index ARN), since any other piece could be the index ARN. A policy that names one index
    on purpose is accepted; the rule fires only when no index of the table is
    reachable.

    ## References
    - [Resource types defined by DynamoDB (table, index)](https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html#amazondynamodb-resources-for-iam-policies)
    - [IAM policy to grant access to a table and its indexes](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/iam-policy-specific-table-indexes.html)
    """
    statements = policy_statements(policy)
    if not statements or not all(_readable(s) for s in statements):
        return
    allowed = [s for s in statements if s.allows]
    candidates = _candidates(allowed, ctx.memo("DDB602.indexed-tables", lambda: _indexed_tables(ctx)))
    if not candidates:
        return
    grants = [_Grant(s) for s in allowed]
    # the statements that grant each action; Query and Scan mostly come together, and are then judged once
    groups: dict[tuple[int, ...], list[_Grant]] = {}
    group_of: dict[str, tuple[int, ...]] = {}
    for action in INDEX_ACTIONS:
        granting = [g for g in grants if allows_action(g.statement, action)]
        group_of[action] = tuple(id(g) for g in granting)
        groups.setdefault(group_of[action], granting)
    tries = ctx.memo("DDB602.tries", lambda: _Tries(len(ctx.resources(TABLE))))
    tries.policy = policy.address
    for table, indexes, arn in candidates:
        verdicts = {key: _table_without_indexes(granting, arn, indexes, tries) for key, granting in groups.items()}
        missing = [a for a in INDEX_ACTIONS if verdicts[group_of[a]]]
        if missing:
            actions = " and ".join(missing)
            written = _written_arn(grants, arn, tries)
            yield Issue(
                f"{_named(policy)} allows {actions} on table {label(table)} but on none of its indexes "
                f'({", ".join(indexes)}): add "{written}/index/*" to Resource, or every {actions} '
                "with IndexName is denied.",
                path=f"policy.Resource.{arn.name}",
            )


def _readable(statement: Statement) -> bool:
    """Whether DDB602 can read what a statement grants: its effect and actions known, and each piece of its
    Resource known only after apply the ARN of a resource in the configuration (``aws_dynamodb_table.t.arn``)
    or a table's stream ARN (never a table's or an index's: the usual stream-consumer statement)."""
    return not statement.unknown & {"Effect", "Action", "NotAction", "NotResource"} and all(
        referred_address(statement, piece) or is_stream_arn(piece) for piece in statement.resource_pieces
    )


def _indexed_tables(ctx: Context) -> dict[str, list[tuple[Resource, list[str], _TableArn]]]:
    """Tables that have secondary indexes, by name and by address: built once per input, not once per policy."""
    found: dict[str, list] = {}
    for table in ctx.resources(TABLE):
        indexes = _index_names(table)
        arn = _TableArn.of(table)
        if indexes and arn is not None:
            entry = (table, indexes, arn)  # one tuple under both keys: _in_address_order keeps each once
            found.setdefault(arn.name, []).append(entry)
            found.setdefault(table.address, []).append(entry)
    return found


def _candidates(allowed: list[Statement], indexed: dict[str, list]) -> list[tuple]:
    """The indexed tables a policy's Allow statements could name, in address order.

    A Resource ARN that spells the table name out is looked up, and so is a
    table whose ``arn`` a piece known only after apply refers to. A pattern that
    ends in "*" ("*", "table/*", "table/orders*") takes in a table's indexes
    with the table, so it never causes a finding; a wildcard elsewhere in the
    name, or a NotResource, could, and then every table is tried.
    """
    keys: set[str] = set()
    for statement in allowed:
        if statement.resources is None and statement.not_resources is not None:
            return _in_address_order(e for entries in indexed.values() for e in entries)
        for pattern in statement.resources or ():
            name = _table_name_in(pattern)
            if name is _ANY:
                return _in_address_order(e for entries in indexed.values() for e in entries)
            if name is not None:
                keys.add(name)
        keys.update(filter(None, (referred_address(statement, piece) for piece in statement.resource_pieces)))
    return _in_address_order(entry for key in keys for entry in indexed.get(key, ()))


def _in_address_order(entries: Iterable[tuple]) -> list[tuple]:
    """Each table entry once (a table is indexed by name and by address), by address."""
    unique = {id(entry): entry for entry in entries}
    return sorted(unique.values(), key=lambda entry: entry[0].address)


_ANY = object()


def _table_name_in(pattern: str) -> Any:
    """The table name a Resource ARN spells out; _ANY when a wildcard could take in a table but not its
    indexes; None when it takes in no table without its indexes (another service's ARN, or "...*")."""
    if pattern.endswith("*"):
        return None
    parts = pattern.split(":", 5)
    if len(parts) != 6:
        return _ANY
    service, resource = parts[2], parts[5]
    if not _wild(service) and service.lower() != "dynamodb":
        return None
    if resource.startswith("table/"):
        name = resource[len("table/") :].split("/", 1)[0]
        return _ANY if _wild(name) else name
    return _ANY if _wild(resource) else None


def _wild(text: str) -> bool:
    return "*" in text or "?" in text


def _index_names(table: Resource) -> list[str]:
    """Names of the table's GSIs and LSIs; [] when it has none or they are not known."""
    found = all_indexes(table)
    return sorted(i.name for i in found if isinstance(i.name, str)) if is_known(found) else []


def _written_arn(grants: list[_Grant], arn: _TableArn, tries: _Tries) -> str:
    """The table ARN as the policy writes it (the first Resource that names the table)."""
    for grant in grants:
        written = grant.written(arn, tries)
        if written is not None:
            return written
    return arn.show()


def _table_without_indexes(granting: list[_Grant], arn: _TableArn, indexes: list[str], tries: _Tries) -> bool:
    """Whether the statements that grant an action take in the table's ARN and none of its indexes' ARNs."""
    if not any(g.takes_in(arn, "", tries) for g in granting):
        return False
    return not any(g.takes_in(arn, f"/index/{name}", tries) for g in granting for name in indexes)


class _TableArn:
    """What the plan knows of a table's ARN: every part, or only its name and region (a new table).

    A part not known (the account of a new table) is taken to agree with the
    policy's ARN: the policy is read as naming the table when the parts known agree.
    """

    def __init__(
        self, name: str, partition: str | None, region: str | None, account: str | None, address: str = ""
    ) -> None:
        self.name, self.partition, self.region, self.account = name, partition, region, account
        self.address = address  # the table's, to match a Resource written as `aws_dynamodb_table.t.arn`

    @classmethod
    def of(cls, table: Resource) -> _TableArn | None:
        arn = table.values.get("arn")
        if isinstance(arn, str):
            parts = arn.split(":", 5)
            if len(parts) == 6 and parts[5].startswith("table/"):
                return cls(parts[5][len("table/") :], parts[1], parts[3], parts[4], table.address)
        name = table.values.get("name")
        return cls(name, None, table.region, None, table.address) if isinstance(name, str) and name else None

    def show(self) -> str:
        return (
            f"arn:{self.partition or 'aws'}:dynamodb:{self.region or '<region>'}:{self.account or '<account>'}"
            f":table/{self.name}"
        )

    def parts(self, resource: str) -> tuple[str | None, ...]:
        """The table's ARN ending in ``resource`` ("table/NAME..."), split as ``Resource`` patterns are: None for
        a part not known."""
        return "arn", self.partition, "dynamodb", self.region, self.account, resource

    def stand_in(self, suffix: str) -> str:
        """The ARN with any value for the parts not known, for a pattern whose wildcard spans several parts."""
        return (
            f"arn:{self.partition or 'aws'}:dynamodb:{self.region or 'us-east-1'}:"
            f"{self.account or '000000000000'}:table/{self.name}{suffix}"
        )


class _Grant:
    """An Allow statement as DDB602 tries it on every table it may name: its Resource (or NotResource)
    patterns split once, those whose last part has no wildcard ("arn:aws:dynamodb:*:*:table/orders") looked up
    by it, the others tried in turn. Trying each pattern on each table made a policy of 2,000 table ARNs cost
    12 million matches (13 s on a plan of 1,000 tables)."""

    def __init__(self, statement: Statement) -> None:
        self.statement = statement
        patterns = statement.resources if statement.resources is not None else statement.not_resources or ()
        # (order, pattern, its parts as (index, part, has a wildcard); none when they are not six)
        self._named: dict[str, list[tuple[int, str, tuple[tuple[int, str, bool], ...]]]] = {}  # by last part
        self._wild: list[tuple[int, str, tuple[tuple[int, str, bool], ...]]] = []  # the others, in order
        for order, pattern in enumerate(patterns):
            parts = pattern.split(":", 5)
            split = tuple((i, part, _wild(part)) for i, part in enumerate(parts)) if len(parts) == 6 else ()
            if split and not split[5][2]:
                self._named.setdefault(parts[5], []).append((order, pattern, split))
            else:
                self._wild.append((order, pattern, split))

    def takes_in(self, arn: _TableArn, suffix: str, tries: _Tries) -> bool:
        """Whether the statement's Resource (or NotResource) takes in the table's ARN plus ``suffix``."""
        statement = self.statement
        if statement.resources is not None:
            if self._first(arn, suffix, tries) is not None:
                return True
            tries.spend(len(statement.resource_pieces))
            return any(
                arn.address == referred_address(statement, piece)
                and piece.suffix is not None
                and matches(piece.suffix, suffix)
                for piece in statement.resource_pieces
            )
        if statement.not_resources is not None:
            return self._first(arn, suffix, tries) is None
        return False

    def written(self, arn: _TableArn, tries: _Tries) -> str | None:
        """The first Resource of the statement that names the table: an ARN, or ``${<table>.arn}``."""
        if self.statement.resources is not None:
            found = self._first(arn, "", tries, arns_only=True)
            if found is not None:
                return found
        tries.spend(len(self.statement.resource_pieces))
        for piece in self.statement.resource_pieces:
            if arn.address == referred_address(self.statement, piece) and piece.suffix is not None:
                if matches(piece.suffix, ""):
                    return f"${{{piece.reference}}}"
        return None

    def _first(self, arn: _TableArn, suffix: str, tries: _Tries, arns_only: bool = False) -> str | None:
        """The first pattern, in the statement's order, that takes in the ARN plus ``suffix`` (``arns_only``:
        of those written as ARNs, "arn:...")."""
        tries.spend(1)  # a policy of 10,000 statements is 10,000 lookups per table
        resource = f"table/{arn.name}{suffix}"
        known = arn.parts(resource)
        found: tuple[int, str] | None = None
        for order, pattern, split in self._named.get(resource, ()):
            if arns_only and not pattern.startswith("arn:"):
                continue
            tries.spend(1)
            if _parts_take_in(split, known):
                found = order, pattern
                break
        for order, pattern, split in self._wild:
            if found is not None and order > found[0]:
                break
            if arns_only and not pattern.startswith("arn:"):
                continue
            tries.spend(1)
            if split:
                taken = _parts_take_in(split, known)
            else:  # "*", or a wildcard that spans several parts: the parts not known take any value
                taken = matches(pattern, arn.stand_in(suffix))
            if taken:
                return pattern
        return None if found is None else found[1]


def _parts_take_in(parts: tuple[tuple[int, str, bool], ...], known: tuple[str | None, ...]) -> bool:
    """Whether each part of a pattern takes in the ARN's part, a part not known taking any value."""
    for i, part, wild in parts:
        value = known[i]
        if value is not None and not (matches(part, value) if wild else part == value):
            return False
    return True


class _Tries:
    """The statements and Resource patterns DDB602 tries on tables, counted over an input. Each statement is
    asked about every table its policy may name, and a pattern with a wildcard in its last part (or a piece
    known only after apply, ``${aws_dynamodb_table.t.arn}``) is tried on each,
    so a plan can ask for the product of its sizes: 2,000 such ARNs in a policy and 1,000 tables were 4 million
    tries (13 s), a hundred such policies 20 minutes; a policy of 10,000 statements, 6 s. Past the budget the
    input is refused (exit 2). AWS takes identity policies of at most 10,240 characters: a policy it applies
    holds about 200 ARNs."""

    FLOOR = 5_000_000
    PER_TABLE = 5_000

    def __init__(self, tables: int) -> None:
        self.budget = self.left = self.FLOOR + self.PER_TABLE * tables
        self.policy = ""  # the one being checked

    def spend(self, tries: int) -> None:
        self.left -= tries
        if self.left < 0:
            raise TooMuchWork(
                f"its identity policies ask DDB602 to try statements and Resource patterns on its tables more than "
                f"{self.budget:,} times ({self.policy} went past it): each statement, and each pattern with a "
                "wildcard in its table name, is tried on every table a policy may name, and AWS takes identity "
                "policies of at most 10,240 characters, about 200 ARNs; --ignore DDB602 leaves the rule out"
            )


# ---------------------------------------------------------------- DDB603
@rule(
    id="DDB603",
    slug="resource-policy-public",
    level="error",
    applies=[RESOURCE_POLICY],
    security_severity=9.5,
    tags=TAGS,
)
def resource_policy_public(resource_policy: Resource, ctx: Context) -> Iterator[Issue]:
    """A table's resource policy allows anyone, with no condition that narrows who.

    ## What it checks
    An `aws_dynamodb_resource_policy` with an `Allow` statement whose
    `Principal` is `"*"`, `{"AWS": "*"}` or a list holding `"*"`, and whose
    `Condition` is absent or tests none of the keys that pin the caller down
    (`aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalOrgID`,
    `aws:PrincipalOrgPaths`, `aws:SourceAccount`, `aws:SourceArn`,
    `aws:SourceVpc`, `aws:SourceVpce`, `aws:UserId`, `aws:SourceOrgID`,
    `aws:SourceOrgPaths`, `aws:Ec2InstanceSourceVpc`, the principal service
    keys, `aws:PrincipalIsAWSService = true`) with values free of wildcards
    and variables. A condition on other keys, such as `aws:SecureTransport`,
    leaves the statement open to anyone.

    ## Why it matters
    A resource policy is evaluated for callers from any AWS account: such a
    statement grants its actions on the table, its indexes or its stream to
    every account in the world. DynamoDB's Block Public Access analyses each
    policy put on a table and rejects a public one, so the plan also fails at
    apply, after the resources before it were changed.

    ## Known limits
    `...IfExists` operators do not count as narrowing. A policy known only
    after apply (built from the ARN of a table created in the same plan) is
    not judged on that plan; linted as `.tf`, it is judged on its `Principal`
    and `Condition`, and a `Condition` with a value known only after apply
    counts as narrowing.

    ## References
    - [Resource-based policies for DynamoDB](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html)
    - [Blocking public access with resource-based policies in DynamoDB](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-bpa-rbp.html)
    - [IAM JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    """
    for statement in policy_statements(resource_policy) or []:
        if statement.allows and is_anyone(statement.principal) and not narrows_principal(statement):
            yield Issue(
                f"{_named(resource_policy)} lets anyone call the table in statement {statement.shown} "
                '(Principal "*" with no Condition on the caller): name the accounts or roles in Principal, '
                "or add a Condition such as aws:PrincipalOrgID.",
                path=f"policy.Statement.{statement.key}.Principal",
            )


# ---------------------------------------------------------------- DDB604
@rule(
    id="DDB604",
    slug="vpc-endpoint-not-gateway",
    level="note",
    applies=[ENDPOINT],
    security_severity=1.0,
    tags=NETWORK_TAGS,
)
def vpc_endpoint_not_gateway(endpoint: Resource, ctx: Context) -> Iterator[Issue]:
    """A VPC endpoint for DynamoDB is of type Interface, where a free Gateway endpoint would do.

    ## What it checks
    An `aws_vpc_endpoint` whose `service_name` ends in `.dynamodb`
    (`com.amazonaws.REGION.dynamodb`) and whose `vpc_endpoint_type` is
    `Interface`. An absent type is `Gateway`, the default.

    ## Why it matters
    A Gateway endpoint for DynamoDB costs nothing and adds a route to the
    VPC's route tables: instances reach DynamoDB without a NAT gateway or an
    internet gateway. An Interface endpoint (AWS PrivateLink) bills for every
    hour in every Availability Zone it is placed in, plus every GB it
    processes. It is needed only where a Gateway endpoint cannot reach:
    on-premises networks over Direct Connect or VPN, or other VPCs and
    regions over peering or Transit Gateway.

    ## Known limits
    A service name known only after apply is not judged. DynamoDB Streams
    (`.dynamodb-streams`) has Interface endpoints only and is not judged.
    Accept the finding where the endpoint serves on-premises or cross-region
    clients.

    ## References
    - [Gateway endpoints for DynamoDB](https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-ddb.html)
    - [AWS PrivateLink for DynamoDB](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/privatelink-interface-endpoints.html)
    - [AWS PrivateLink pricing](https://aws.amazon.com/privatelink/pricing/)
    """
    kind = endpoint.values.get("vpc_endpoint_type")
    if _is_dynamodb_endpoint(endpoint) and isinstance(kind, str) and kind.lower() == "interface":
        yield Issue(
            f"VPC endpoint {endpoint.address} reaches DynamoDB through an Interface endpoint, billed per "
            'AZ-hour and per GB: set `vpc_endpoint_type = "Gateway"` (free) unless on-premises or '
            "cross-region clients need it.",
            path="vpc_endpoint_type",
        )


# ---------------------------------------------------------------- DDB605
@rule(
    id="DDB605",
    slug="dax-unencrypted-port-open",
    level="warning",
    applies=["aws_dax_cluster"],
    kind="graph",
    security_severity=5.0,
    tags=DAX_TAGS,
)
def dax_unencrypted_port_open(cluster: Resource, ctx: Context) -> Iterator[Issue]:
    """A security group of a DAX cluster allows ingress on port 8111, plain-text DAX.

    ## What it checks
    Each security group in an `aws_dax_cluster`'s `security_group_ids` (by
    reference, or by literal group id when the group is in the input) that
    allows ingress on TCP port 8111: from an inline `ingress` block, an
    `aws_security_group_rule` of type `ingress`, or an
    `aws_vpc_security_group_ingress_rule` attached to the group. A port range
    that covers 8111, and the protocol `-1` (all traffic), count.

    ## Why it matters
    DAX serves unencrypted connections on port 8111 and TLS on port 9111.
    Items read through 8111 cross the network in plain text. A cluster with
    `cluster_endpoint_encryption_type = "TLS"` does not serve 8111 at all, so
    the opening there is only an unused hole; open 9111 alone either way.

    ## Known limits
    A cluster without `security_group_ids` uses the VPC's default security
    group, which is not judged. Groups or rules outside the input, and ports
    known only after apply, are not judged. The rule looks at the port, not at
    who may connect.

    ## Use instead
    Ingress on port 9111 only, the TLS port (below), with
    `cluster_endpoint_encryption_type = "TLS"` on the cluster.

    ## References
    - [Creating a DAX cluster: security group inbound rules](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAX.create-cluster.cli.html#DAX.create-cluster.cli.configure-inbound-rules)
    - [DAX encryption in transit](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionInTransit.html)
    """
    tls = cluster.values.get("cluster_endpoint_encryption_type") == "TLS"
    for group in ctx.related(cluster, SECURITY_GROUP, via="security_group_ids", direction="out"):
        where = _opening_on(group, ctx, DAX_PLAIN_PORT)
        if where is None:
            continue
        if tls:
            fix = "the cluster uses TLS and never serves 8111, so allow only port 9111"
        else:
            fix = 'allow only port 9111 and set `cluster_endpoint_encryption_type = "TLS"`'
        yield Issue(
            f"DAX cluster {label(cluster, 'cluster_name')} has security group {label(group)} that allows "
            f"ingress on port 8111 (plain-text DAX) through {where}: {fix}.",
            path=f"security_group_ids.{group.address}",
        )


def _opening_on(group: Resource, ctx: Context, port: int) -> str | None:
    """What opens ``port`` to the group: "an inline ingress block" or a rule's address; None when nothing does."""
    if any(
        _covers(b.get("protocol"), b.get("from_port"), b.get("to_port"), port)
        for b in known_blocks(group.values, "ingress")
    ):
        return "an inline ingress block"
    for rule_ in ctx.related(group, SG_RULE, via="security_group_id", direction="in"):
        v = rule_.values
        if v.get("type") == "ingress" and _covers(v.get("protocol"), v.get("from_port"), v.get("to_port"), port):
            return rule_.address
    for rule_ in ctx.related(group, SG_INGRESS_RULE, via="security_group_id", direction="in"):
        v = rule_.values
        if _covers(v.get("ip_protocol"), v.get("from_port"), v.get("to_port"), port):
            return rule_.address
    return None


def _covers(protocol: Any, from_port: Any, to_port: Any, port: int) -> bool:
    """Whether a rule lets TCP ``port`` in: protocol -1/all (every port), or tcp/6 with a range that holds it."""
    if not isinstance(protocol, str):
        return False
    protocol = protocol.lower()
    if protocol in ("-1", "all"):
        return True
    if protocol not in ("tcp", "6"):
        return False
    from_port, to_port = number_of(from_port), number_of(to_port)
    return is_number(from_port) and is_number(to_port) and from_port <= port <= to_port

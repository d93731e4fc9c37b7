"""The values every stage hands to the next: resources, plan changes, findings.

All are small frozen dataclasses. A value that Terraform knows only after
apply is the sentinel ``UNKNOWN``; a value the plan marks sensitive is replaced
by ``SENSITIVE`` when it is loaded, so no stage after the loader ever holds the
secret. "Absent" is ``None`` (or a missing key): a different answer from both.
"""

from __future__ import annotations

import enum
import functools
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

_T = TypeVar("_T")


class _Sentinel:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __str__(self) -> str:
        return "(known after apply)" if self._name == "UNKNOWN" else "(sensitive)"

    def __bool__(self) -> bool:
        raise TypeError(f"{self._name} has no truth value: test it with is_known() first")

    def __reduce__(self) -> str:
        return self._name


UNKNOWN = _Sentinel("UNKNOWN")
SENSITIVE = _Sentinel("SENSITIVE")


def is_known(value: Any) -> bool:
    """True unless the value is only known after apply or hidden as sensitive."""
    return value is not UNKNOWN and value is not SENSITIVE


@dataclass(frozen=True)
class Unresolved:
    """A piece of a partly known document that is known only after apply, with what its expression refers to.

    ``references`` are Terraform references as the configuration writes them
    (``aws_dynamodb_table.orders.arn``, ``var.table_arn``), locals followed.
    When the expression is one reference, alone or followed by literal text
    (``"${aws_dynamodb_table.orders.arn}/index/*"``), ``suffix`` is that text
    ("" for the reference alone) and the reference comes first; else None.
    ``followed`` is where that reference leads through module outputs that are
    one reference each (``module.store.arn`` -> ``module.store.aws_dynamodb_table.this.arn``).
    """

    references: tuple[str, ...]
    suffix: str | None = None
    followed: str | None = None

    @property
    def reference(self) -> str | None:
        """The one reference the piece is made of (plus its ``suffix``), if it is made of one."""
        return self.references[0] if self.suffix is not None and self.references else None

    @property
    def target(self) -> str | None:
        """The reference, module outputs followed."""
        return self.followed or self.reference


class Level(enum.IntEnum):
    NOTE = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Level:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown level {text!r} (expected error, warning or note)") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Source:
    """Where a resource is declared, or where it appears in the input file."""

    file: str
    start_line: int
    end_line: int | None = None
    start_column: int | None = None
    # "tf" when the file is a source the user edits (a .tf file; the settings file for DL004);
    # "plan" when it is the plan/state JSON.
    kind: str = "tf"
    # For a location inside a resource block: the part of the finding's attribute path it is the place of
    # ("replica.eu-west-1"); None for the resource block itself (dynalint.load.hcl.locate).
    path: str | None = None


@dataclass(frozen=True)
class Change:
    """The plan's change to one resource. ``before`` has sensitive values masked."""

    actions: tuple[str, ...]
    before: Any
    replace_paths: tuple[tuple[Any, ...], ...] = ()
    action_reason: str | None = None

    @property
    def is_create(self) -> bool:
        return self.actions == ("create",)

    @property
    def is_update(self) -> bool:
        return self.actions == ("update",)

    @property
    def is_delete(self) -> bool:
        return self.actions == ("delete",)

    @property
    def is_replace(self) -> bool:
        return "delete" in self.actions and "create" in self.actions

    @property
    def is_noop(self) -> bool:
        return self.actions in (("no-op",), ("read",))

    @property
    def touches(self) -> bool:
        """True when applying the plan creates, updates, replaces or deletes the resource."""
        return not self.is_noop


@dataclass(frozen=True)
class ModuleSetting:
    """How the module a resource belongs to sets one of the resource's attributes.

    ``path`` is the attribute path, dotted (blocks a ``dynamic`` block wrote
    are keyed by their name or region, as rules write paths:
    ``replica.us-west-2.kms_key_arn``). ``inputs`` are the inputs of the
    module call written in the root module that the value comes from
    (``point_in_time_recovery_enabled``, ``replica_regions[0].kms_key_arn``);
    ``fixed`` says the module writes the value itself (a constant, or an inner
    module's default), so that no input of it changes the value.
    """

    path: str
    inputs: tuple[str, ...] = ()
    fixed: bool = False


@dataclass(frozen=True, eq=False)
class Resource:
    """One resource instance, from a plan, a state or a .tf file.

    ``values`` holds the planned "after" values (state and HCL: the only values)
    with ``UNKNOWN`` where the configuration sets a value only known after
    apply. Values the configuration leaves out and the provider computes are
    absent, because AWS then applies its default. ``configured`` tells which
    attributes and blocks the configuration sets (None when the input carries
    no configuration); ``references`` are the addresses this resource's
    configuration refers to, each with the attribute path that holds it.
    ``region`` and ``default_tags`` come from the resource's provider
    configuration where it writes them as constants. ``module_settings`` say,
    for a resource inside a module, which module inputs set its attributes
    (see dynalint.module_hints).
    """

    address: str
    type: str
    name: str
    values: Mapping[str, Any]
    module: str = ""
    mode: str = "managed"
    index: Any = None
    change: Change | None = None
    configured: Mapping[str, Any] | None = None
    references: tuple[tuple[str, str], ...] = ()
    region: str | None = None
    default_tags: Mapping[str, Any] | None = None
    source: Source | None = None
    # Inline ``# dynalint:ignore=...`` comments on the resource's .tf block (Ignore).
    ignores: tuple[Any, ...] = ()
    # JSON documents (policies) that ``values`` holds as UNKNOWN but the .tf source writes in part: attribute ->
    # the document, decoded, with an ``Unresolved`` for each piece known only after apply.
    partial_json: Mapping[str, Any] = field(default_factory=dict)
    # The block's ``lifecycle`` as the .tf source writes it (dynalint.load.hcl.lifecycle): ``{}`` when it has none,
    # None when the input carries no lifecycle (a plan or state read without its .tf files).
    lifecycle: Mapping[str, Any] | None = None
    module_settings: tuple[ModuleSetting, ...] = ()
    # What rules derive from this resource alone and share (a table's indexes, a parsed policy), filled on
    # first use by dynalint.values.derived: computed once, not once per rule that reads it.
    _derived: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def deleted(self) -> bool:
        """True when the plan deletes the resource and does not create it again."""
        return self.change is not None and self.change.is_delete

    @property
    def actions(self) -> tuple[str, ...]:
        return self.change.actions if self.change else ()

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass(frozen=True)
class Finding:
    """One rule violation on one resource. ``message`` never holds a sensitive value."""

    rule_id: str
    level: Level
    address: str
    message: str
    resource_type: str
    path: str | None = None
    fingerprint: str = ""
    actions: tuple[str, ...] = ()
    # Where the finding is: the attribute or nested block its path names where the .tf source writes it,
    # else the resource's block, else the resource's place in the input file.
    source: Source | None = None
    input_file: str | None = None
    suppression: Suppression | None = None
    baseline_state: str | None = None
    # Where the resource is (its block, or its place in the input file), for reports grouped by resource.
    resource_source: Source | None = None
    # The rule's repair (dynalint.fix.declare.Fix), when its rule declares fixes; dynalint.fix carries it out.
    fix: Any = field(default=None, compare=False, repr=False)

    @property
    def resource_location(self) -> Source | None:
        """The resource's location: ``resource_source``, else (a finding made without one) ``source``."""
        return self.resource_source or self.source

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    @property
    def fixable_in_tf(self) -> bool:
        """Whether ``--fix`` may repair it: its rule declared a fix and the resource is located in a .tf file
        (dynalint.fix.resolve gives "no fix" to the others)."""
        if self.fix is None:  # most findings: no location to look up
            return False
        location = self.resource_location
        return location is not None and location.kind == "tf"

    def sort_key(self) -> tuple:
        return (self.input_file or "", self.address, self.rule_id, self.path or "", self.message)


def fingerprint(rule_id: str, address: str, path: str | None) -> str:
    """Stable across runs and machines: rule id, resource address and attribute path only."""
    key = f"{rule_id}\x00{address}\x00{path or ''}".encode("utf-8", "surrogatepass")  # a lone surrogate too
    return _sha256()(key).hexdigest()[:32]


@functools.cache
def _sha256() -> Callable[[bytes], Any]:
    """SHA-256 from CPython's own implementation where there is one: hashlib loads OpenSSL, 4 MB of memory
    (a quarter of a 16 MB plan) for the few bytes a fingerprint hashes. The same digest either way."""
    for name in ("_sha2", "_sha256"):  # CPython 3.12 and later; 3.10 and 3.11
        try:
            return cast(Callable[[bytes], Any], importlib.import_module(name).sha256)
        except (ImportError, AttributeError):
            continue
    from hashlib import sha256

    return sha256


def made(cls: type[_T], state: dict[str, Any]) -> _T:
    """An instance of a frozen dataclass with these field values (``state`` names every field), made as
    unpickling makes one: no ``__init__``, which sets each field through ``object.__setattr__`` at several
    times the cost (the engine makes thousands of findings, --jobs' parent thousands of resources)."""
    instance = object.__new__(cls)
    instance.__dict__.update(state)
    return instance


@dataclass(frozen=True)
class Suppression:
    """Why a finding is accepted: ``kind`` is "inSource" (a .tf comment) or "external" (config)."""

    kind: str
    justification: str


@dataclass(frozen=True)
class Ignore:
    """One ``dynalint:ignore`` comment: where it is, the rule ids it names, and its reason."""

    file: str
    line: int
    rule_ids: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Model:
    """Everything one input file holds: managed resources, data sources, and where it came from."""

    resources: tuple[Resource, ...]
    data_sources: tuple[Resource, ...] = ()
    input_file: str = "-"
    input_kind: str = "plan"  # plan | state | hcl
    format_version: str | None = None
    terraform_version: str | None = None
    warnings: tuple[str, ...] = ()
    # Strings the plan marks sensitive: reporters scrub them from any text they write.
    secrets: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    # Lazily computed "address -> Source" for locations inside the input file.
    plan_locator: Any = field(default=None, compare=False, repr=False)
    # ``# dynalint:ignore=...`` comments in the .tf sources that sit on no resource block.
    orphan_ignores: tuple[Any, ...] = ()
    # ``(address, attribute path) -> Source`` in the .tf sources, or None (dynalint.load.hcl.locate.PathLocator).
    path_locator: Any = field(default=None, compare=False, repr=False)
    # How many resources a run's rules were shown, counted where the model was checked: a --jobs worker counts
    # them before it sends the model back without its resources' values (dynalint.report.base.checked_resources).
    # ``(rule ids, only changed) -> count``.
    checked_counts: Mapping[tuple[frozenset[str], bool], int] = field(default_factory=dict, compare=False, repr=False)

#!/usr/bin/env python3
"""Regenerate the plan JSON of every Terraform case kept in the repository, with real terraform.

A case is a directory holding ``main.tf`` (under sample_plans/, tests/tf/, tests/hcl/ or tests/public/);
its plan is written to ``plan.json`` beside it, exactly as
``terraform show -json`` prints it. A case that wants a prior state (to plan
updates, replacements and deletes) has a ``before/`` directory: its
configuration is planned first, the planned values become a terraform.tfstate
(unknown values filled with typed, deterministic stand-ins from the provider
schema), and then the case itself is planned against that state.

A case may call modules vendored beside it, in ``../vendor/`` (tests/public/:
the public modules, with their licenses); that folder is copied along.

A rule's examples (rules/examples/<ID>/, dynalint/examples/<ID>/) are cases
only where they show a change: their ``bad/`` and ``good/`` are planned against
the ``before/`` beside them.

Runs offline: terraform 1.x and the hashicorp/aws provider from a local
filesystem mirror, fake credentials, -refresh=false (see DEVELOPERS.md).

    python scripts/terraform_plans.py              # every case
    python scripts/terraform_plans.py tests/tf/durability sample_plans/bad
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dynalint import example_checks, rule_examples  # noqa: E402

CASE_ROOTS = [
    ROOT / "examples",
    ROOT / "sample_plans",
    ROOT / "tests" / "tf",
    ROOT / "tests" / "hcl",
    ROOT / "tests" / "public",
]
SKIPPED_DIRS = frozenset({"before", "modules", "vendor", ".terraform"})  # parts of a case, not cases
RULE_EXAMPLES = [ROOT / "rules" / "examples", ROOT / "dynalint" / "examples"]
PROVIDERS_TF = ROOT / "tests" / "tf" / "providers.tf.txt"
ACCOUNT = "123456789012"
REGION = "us-east-1"


def find_mirror() -> Path | None:
    for candidate in (
        os.environ.get("DYNALINT_TF_MIRROR"),
        "/opt/tf-plugins",
        "/usr/share/terraform/plugins",
        str(Path.home() / ".terraform.d" / "plugins"),
    ):
        if candidate and (Path(candidate) / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
            return Path(candidate)
    return None


def cases(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    found = []
    for root in CASE_ROOTS:
        for main in sorted(root.glob("**/main.tf")):
            rel = main.parent.relative_to(root).parts
            if not SKIPPED_DIRS.intersection(rel):
                found.append(main.parent)
    for root in RULE_EXAMPLES:
        for before in sorted(root.glob("*/before")):
            found += [before.parent / "bad", before.parent / "good"]
    return found


def prior_configuration(case: Path) -> Path | None:
    """What a case is planned after: its own before/, or for a rule's bad/ or good/ example, the
    before/ beside it."""
    if (case / "before").is_dir():
        return case / "before"
    beside = case.parent / "before"
    in_examples = any(case.resolve().is_relative_to(root) for root in RULE_EXAMPLES)
    return beside if in_examples and case.name in ("bad", "good") and beside.is_dir() else None


class Terraform:
    def __init__(self, mirror: Path, work: Path) -> None:
        self.env = dict(os.environ)
        rc = work / "terraform.rc"
        rc.write_text(
            "provider_installation {\n"
            f'  filesystem_mirror {{\n    path    = "{mirror}"\n'
            '    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n'
            '  direct { exclude = ["registry.terraform.io/hashicorp/aws"] }\n}\n'
        )
        self.env.update(
            TF_CLI_CONFIG_FILE=str(rc),
            TF_IN_AUTOMATION="1",
            CHECKPOINT_DISABLE="1",
            AWS_ACCESS_KEY_ID="AKIAFAKE",
            AWS_SECRET_ACCESS_KEY="fake",
            AWS_REGION=REGION,
        )
        self._schema = None
        self.work = work

    def run(self, cwd: Path, *args: str) -> str:
        result = subprocess.run(["terraform", *args], cwd=cwd, env=self.env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"terraform {' '.join(args)} in {cwd}:\n{result.stderr[-3000:]}")
        return result.stdout

    def plan(self, cwd: Path) -> dict:
        self.run(cwd, "init", "-input=false", "-no-color")
        self.run(cwd, "plan", "-refresh=false", "-input=false", "-no-color", "-out=tfplan")
        return json.loads(self.run(cwd, "show", "-json", "tfplan"))

    def schema(self, cwd: Path) -> dict:
        if self._schema is None:
            doc = json.loads(self.run(cwd, "providers", "schema", "-json"))
            provider = doc["provider_schemas"]["registry.terraform.io/hashicorp/aws"]
            self._schema = provider["resource_schemas"]
        return self._schema


# ---------------------------------------------------------------- state from a plan
def _digest(text: str, size: int = 32) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:size]


def _stand_in(kind, rtype: str, attr: str, address: str, values: dict):
    """A deterministic value of the schema type for something the plan knows only after apply."""
    if kind == "number":
        return {
            "deletion_window_in_days": 30,
            "recovery_period_in_days": 35,
            "batch_size": 100,
            "maximum_retry_attempts": -1,
            "maximum_record_age_in_seconds": -1,
            "parallelization_factor": 1,
        }.get(attr, 0)
    if kind == "bool":
        return False
    if isinstance(kind, list):
        if kind[0] in ("list", "set"):
            return []
        if kind[0] == "map":
            return {}
        if kind[0] == "object":
            return {k: _stand_in(v, rtype, k, address, values) for k, v in kind[1].items()}
        return None
    name = values.get("name") or values.get("cluster_name") or values.get("function_name") or address
    key_id = str(uuid.UUID(_digest(address)))
    if rtype == "aws_dynamodb_table":
        table_arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{values.get('name')}"
        streaming = values.get("stream_enabled") is True
        return {
            "arn": table_arn,
            "id": values.get("name"),
            "stream_arn": f"{table_arn}/stream/2026-01-01T00:00:00.000" if streaming else "",
            "stream_label": "2026-01-01T00:00:00.000" if streaming else "",
            "table_class": "STANDARD",
        }.get(attr, "")
    if rtype == "aws_kms_key":
        return {
            "arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}",
            "id": key_id,
            "key_id": key_id,
            "key_usage": "ENCRYPT_DECRYPT",
            "customer_master_key_spec": "SYMMETRIC_DEFAULT",
            "policy": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                            "Action": "kms:*",
                            "Resource": "*",
                        }
                    ],
                }
            ),
        }.get(attr, "")
    if attr == "arn":
        service = rtype.split("_")[1]
        return f"arn:aws:{service}:{REGION}:{ACCOUNT}:{rtype[4:]}/{name}"
    if attr == "id":
        return values.get("resource_id") or str(name)
    return ""


def _fill(values: dict, unknown, block: dict, rtype: str, address: str, before) -> None:
    """Fill what the plan leaves unknown: the prior state's value where there is one, else a stand-in."""
    attrs, nested = block.get("attributes", {}), block.get("block_types", {})
    before = before if isinstance(before, dict) else {}
    if isinstance(unknown, dict):
        for key, sub in unknown.items():
            if sub is True and key in before and before[key] not in (None, ""):
                values[key] = before[key]
            elif sub is True and key in attrs:
                values[key] = _stand_in(attrs[key]["type"], rtype, key, address, values)
            elif sub is True and key in nested:
                values[key] = []
            elif isinstance(sub, list) and key in nested and isinstance(values.get(key), list):
                old = before.get(key) if isinstance(before.get(key), list) else []
                for i, (item, item_unknown) in enumerate(zip(values[key], sub, strict=False)):
                    if isinstance(item, dict):
                        _fill(
                            item, item_unknown, nested[key]["block"], rtype, address, old[i] if i < len(old) else None
                        )
    for key in attrs:
        values.setdefault(key, None)
    for key, spec in nested.items():
        values.setdefault(key, None if spec.get("nesting_mode") == "single" or key == "timeouts" else [])


def state_from_plan(plan: dict, schema: dict) -> dict:
    resources: dict[tuple, dict] = {}
    for change in plan.get("resource_changes", []):
        if change["mode"] != "managed" or change["change"]["actions"] == ["delete"]:
            continue
        values = json.loads(json.dumps(change["change"]["after"]))
        spec = schema[change["type"]]
        _fill(
            values,
            change["change"]["after_unknown"],
            spec["block"],
            change["type"],
            change["address"],
            change["change"].get("before"),
        )
        key = (change.get("module_address", ""), change["type"], change["name"])
        entry = resources.setdefault(
            key,
            {
                **({"module": change["module_address"]} if change.get("module_address") else {}),
                "mode": "managed",
                "type": change["type"],
                "name": change["name"],
                "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                "instances": [],
            },
        )
        instance = {"schema_version": spec["version"], "attributes": values, "sensitive_attributes": []}
        if "index" in change:
            instance = {"index_key": change["index"], **instance}
        entry["instances"].append(instance)
    return {
        "version": 4,
        "terraform_version": plan["terraform_version"],
        "serial": 1,
        "lineage": str(uuid.UUID(_digest("dynalint-fixtures"))),
        "outputs": {},
        "resources": list(resources.values()),
        "check_results": None,
    }


# ---------------------------------------------------------------- one case
def regenerate(case: Path, terraform: Terraform) -> str:
    with tempfile.TemporaryDirectory(prefix="dynalint-tf-") as tmp:
        work = Path(tmp) / case.name
        ignore = shutil.ignore_patterns("plan.json", ".terraform*", "tfplan", "*.tfstate")
        shutil.copytree(case, work, ignore=ignore)
        if (case.parent / "vendor").is_dir():  # modules the case calls as ../vendor/NAME
            shutil.copytree(case.parent / "vendor", work.parent / "vendor")
        beside = prior_configuration(case)
        if beside is not None and beside.parent != case:  # a rule example's before/ is its sibling
            shutil.copytree(beside, work / "before", ignore=ignore)
        providers = PROVIDERS_TF.read_text()
        if not (work / "providers.tf").exists():  # a case may bring its own (aliases, regions)
            (work / "providers.tf").write_text(providers)
        before = work / "before"
        if before.is_dir():
            if not (before / "providers.tf").exists():
                shutil.copy(work / "providers.tf", before / "providers.tf")
            # Plan, turn the plan into a state, plan again against it: values that
            # depend on other resources (a key's ARN in a table) settle in a few rounds.
            for _ in range(4):
                prior = terraform.plan(before)
                if all(c["change"]["actions"] == ["no-op"] for c in prior.get("resource_changes", [])):
                    break
                state = state_from_plan(prior, terraform.schema(before))
                (before / "terraform.tfstate").write_text(json.dumps(state, indent=2))
            else:
                raise RuntimeError(f"{case}: the prior state of before/ does not settle into a no-op plan")
            shutil.copy(before / "terraform.tfstate", work / "terraform.tfstate")
            shutil.rmtree(before)
        plan = terraform.plan(work)
        (case / "plan.json").write_text(terraform.run(work, "show", "-json", "tfplan"))
        if beside is not None and beside.parent != case:
            (case / rule_examples.PLAN_DIGESTS).write_text(example_checks.plan_digests(case))
    actions: dict[str, int] = {}
    for change in plan.get("resource_changes", []):
        key = "/".join(change["change"]["actions"])
        actions[key] = actions.get(key, 0) + 1
    shown = case.relative_to(ROOT) if case.is_relative_to(ROOT) else case
    return f"{shown}: " + ", ".join(f"{k} {v}" for k, v in sorted(actions.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case directories (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    if shutil.which("terraform") is None:
        print("skipped: terraform is not on PATH; the committed plan.json files stay as they are")
        return 0
    mirror = find_mirror()
    if mirror is None:
        print("skipped: no filesystem mirror with hashicorp/aws found (set DYNALINT_TF_MIRROR)")
        return 0
    with tempfile.TemporaryDirectory(prefix="dynalint-tfrc-") as rc_dir:
        terraform = Terraform(mirror, Path(rc_dir))
        failed = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {pool.submit(regenerate, case, terraform): case for case in cases(args.cases)}
            for future in concurrent.futures.as_completed(futures):
                try:
                    print(future.result(), flush=True)
                except RuntimeError as exc:
                    failed += 1
                    print(f"FAILED {futures[future]}: {exc}", file=sys.stderr, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

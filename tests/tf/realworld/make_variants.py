#!/usr/bin/env python3
"""Write plan-target.json and state.json beside this main.tf, with real terraform (see main.tf).

    python tests/tf/realworld/make_variants.py

Uses the terraform set-up of scripts/terraform_plans.py (filesystem mirror, fake credentials,
-refresh=false) and its state builder; skips with a message where terraform is missing.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "scripts"))

import terraform_plans as tp  # noqa: E402

TARGET = "aws_dynamodb_table.orders"


def main() -> int:
    mirror = tp.find_mirror()
    if shutil.which("terraform") is None or mirror is None:
        print("skipped: terraform or its provider mirror is missing; the committed files stay as they are")
        return 0
    with tempfile.TemporaryDirectory(prefix="dynalint-variants-") as tmp:
        terraform = tp.Terraform(mirror, Path(tmp))
        work = Path(tmp) / "case"
        work.mkdir()
        shutil.copy(HERE / "main.tf", work / "main.tf")
        shutil.copy(tp.PROVIDERS_TF, work / "providers.tf")
        terraform.run(work, "init", "-input=false", "-no-color")
        terraform.run(work, "plan", "-refresh=false", "-input=false", "-no-color", f"-target={TARGET}", "-out=tfplan")
        (HERE / "plan-target.json").write_text(terraform.run(work, "show", "-json", "tfplan"))
        full = terraform.plan(work)
        state = tp.state_from_plan(full, terraform.schema(work))
        (work / "terraform.tfstate").write_text(json.dumps(state, indent=2))
        (HERE / "state.json").write_text(terraform.run(work, "show", "-json"))
    print("tests/tf/realworld: plan-target.json, state.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

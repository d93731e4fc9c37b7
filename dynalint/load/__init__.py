"""Turn what the user names on the command line into Models.

``load_input`` takes a path (a plan or state JSON, a binary plan, a directory
or ``.tf`` file, or ``-`` for stdin) and returns one Model per input.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from dynalint.errors import InputError
from dynalint.load.decode import parse_json
from dynalint.load.plan import load_document
from dynalint.load.sources import plan_locations
from dynalint.model import Model

# A plan JSON above this size is refused rather than risk swapping the machine.
MAX_JSON_BYTES = int(os.environ.get("DYNALINT_MAX_BYTES", 512 * 1024 * 1024))


def load_bytes(data: bytes, name: str, locate: bool = True) -> Model:
    """Parse plan or state JSON bytes; ``locate`` also records where each address appears."""
    if data.startswith(b"PK\x03\x04"):
        data = _show_binary_plan(name)
    model = load_document(parse_json(data, name), name)
    if locate:
        model = replace(model, plan_locator=plan_locations(data, name))
    return model


def load_input(path: str, locate: bool = True) -> Model:
    if path == "-":
        return load_bytes(sys.stdin.buffer.read(), "-", locate)
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file or directory")
    if p.is_dir() or p.suffix == ".tf":
        raise InputError(f"{path}: .tf input is not supported yet; give the JSON of `terraform show -json`")
    try:
        size = p.stat().st_size
        if size > MAX_JSON_BYTES:
            raise InputError(f"{path}: {size // (1024 * 1024)} MB is larger than dynalint reads "
                             f"({MAX_JSON_BYTES // (1024 * 1024)} MB; set DYNALINT_MAX_BYTES to raise it)")
        data = p.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return load_bytes(data, path, locate)


def _show_binary_plan(name: str) -> bytes:
    """A binary plan (``terraform plan -out``) is a zip: ask terraform for its JSON."""
    command = f"terraform show -json {name} > {Path(name).stem}.json"
    if name == "-" or shutil.which("terraform") is None:
        raise InputError(f"{name}: this is a binary plan file; run `{command}` and lint the JSON")
    try:
        result = subprocess.run(["terraform", "show", "-json", name], capture_output=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"{name}: binary plan; `terraform show -json` failed ({exc}); run `{command}` yourself") from None
    if result.returncode != 0:
        first = (result.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise InputError(f"{name}: binary plan; `terraform show -json` failed: {first.strip()} "
                         f"(run it in the directory the plan was made in: `{command}`)")
    return result.stdout

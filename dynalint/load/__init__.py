"""Turn what the user names on the command line into Models.

``load_input`` takes a path (a plan or state JSON, a binary plan, a directory
or ``.tf`` file, or ``-`` for stdin) and returns one Model per input;
``load_inputs`` takes them all at once, as the command line does: ``.tf``
files are grouped by directory (see dynalint.load.hcl) and plans are located
in their ``.tf`` sources (see dynalint.load.sources).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, cast

from dynalint.errors import InputError, env_limit
from dynalint.load.decode import read_deferred, read_located
from dynalint.load.plan import load_document
from dynalint.load.sources import attach_tf_sources, plan_locations
from dynalint.model import Model

# Sections decoded once a plan's bytes are freed: the configuration is small in the file (a tenth of a large
# plan) and large once decoded (its expressions are many small objects).
_DEFERRED = frozenset({"configuration"})
# A plan JSON above this size is refused rather than risk swapping the machine.
MAX_JSON_BYTES = env_limit("DYNALINT_MAX_BYTES", 512 * 1024 * 1024)


class _Bytes:
    """An input's bytes, handed over so that they can be freed once decoded: a plan can be hundreds
    of MB, and holding its bytes and its text at once would double the memory of the run."""

    def __init__(self, data: bytes) -> None:
        self.data: bytes | None = data

    def take(self) -> bytes:
        data, self.data = self.data, None
        return cast(bytes, data)  # each _Bytes is taken once (_load)


def load_bytes(
    data: bytes,
    name: str,
    locate: bool = True,
    tf_sources: bool = False,
    source_dir: str | None = None,
    allow_errored: bool = False,
) -> Model:
    """Parse plan or state JSON bytes; ``locate`` also records where each address appears in them,
    ``tf_sources`` points each resource at its .tf block (from ``source_dir``, the plan's directory or .),
    ``allow_errored`` lints a plan terraform could not finish instead of refusing it."""
    return _load(_Bytes(data), name, locate, tf_sources, source_dir, allow_errored)


def _load(
    buffer: _Bytes, name: str, locate: bool, tf_sources: bool, source_dir: str | None, allow_errored: bool = False
) -> Model:
    data = buffer.take()
    if data.startswith(b"PK\x03\x04"):
        data = _show_binary_plan(name)
    doc, places = read_located(data, name, locate, defer=_DEFERRED)
    del data
    locator = plan_locations(places, name) if locate else None
    del places
    read_deferred(doc, name)  # the bytes are gone now
    try:
        model = load_document(doc, name, allow_errored)
    except RecursionError:  # a value nested just below what the JSON parser accepts
        raise InputError(f"{name}: JSON nested too deeply to be a Terraform plan") from None
    if locator is not None:
        model = replace(model, plan_locator=locator)
    if tf_sources:
        model = attach_tf_sources(model, doc, source_dir)
    return model


def load_inputs(
    paths: Sequence[str],
    locate: bool = True,
    source_dir: str | None = None,
    var_files: Sequence[str] = (),
    progress: Callable[[str], None] | None = None,
    allow_errored: bool = False,
) -> list[Model]:
    """Every input of a command line, in order: .tf files and directories are read together (grouped by
    directory, once each); plans are located in their .tf sources."""
    models: list[Model] = []
    for number, (path, unit) in enumerate(input_units(paths), 1):
        if progress is not None:
            progress(f"[{number}/{len(paths)}] loading {path}")
        if unit:
            models.extend(load_unit(unit, locate, source_dir, var_files, allow_errored))
    return models


def input_units(paths: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Each path of a command line with what is loaded at its place: the path alone (a plan or state), every
    .tf input of the command line at the first one (they are read together), or nothing."""
    tf_paths = tuple(p for p in paths if _is_tf_input(p))
    return [
        (path, tf_paths if path == tf_paths[0] else ()) if _is_tf_input(path) else (path, (path,)) for path in paths
    ]


def load_unit(
    unit: Sequence[str],
    locate: bool = True,
    source_dir: str | None = None,
    var_files: Sequence[str] = (),
    allow_errored: bool = False,
) -> list[Model]:
    """The models of one unit of ``input_units``."""
    if _is_tf_input(unit[0]):
        from dynalint.load.hcl.loader import load_tf_inputs  # python-hcl2 and the evaluator: only for .tf input

        return load_tf_inputs(list(unit), var_files)
    return [load_input(unit[0], locate, tf_sources=True, source_dir=source_dir, allow_errored=allow_errored)]


def _is_tf_input(path: str) -> bool:
    return path != "-" and (path.endswith(".tf") or Path(path).is_dir())


def load_input(
    path: str,
    locate: bool = True,
    tf_sources: bool = False,
    source_dir: str | None = None,
    var_files: Sequence[str] = (),
    allow_errored: bool = False,
) -> Model:
    if path == "-":
        return _load(_Bytes(_read_capped(sys.stdin.buffer, "-")), "-", locate, tf_sources, source_dir, allow_errored)
    p = Path(path)
    if not p.exists():
        what = "a symbolic link to nothing, or a link loop" if p.is_symlink() else "no such file or directory"
        raise InputError(f"{path}: {what}")
    if _is_tf_input(path):
        from dynalint.load.hcl.loader import load_tf_inputs

        models = load_tf_inputs([path], var_files)
        if len(models) != 1:
            names = ", ".join(m.input_file for m in models)
            raise InputError(
                f"{path}: holds {len(models)} Terraform root modules ({names}); name one, "
                "or give them all on the command line"
            )
        return models[0]
    try:
        size = p.stat().st_size
        if size > MAX_JSON_BYTES:
            raise InputError(
                f"{path}: {_size(size)} is larger than dynalint reads "
                f"({_size(MAX_JSON_BYTES)}; set DYNALINT_MAX_BYTES to raise it)"
            )
        with p.open("rb") as stream:
            buffer = _Bytes(_read_capped(stream, path, size))
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return _load(buffer, path, locate, tf_sources, source_dir, allow_errored)


def _read_capped(stream: BinaryIO, name: str, size: int = 0) -> bytes:
    """Read to the end. A file whose size is known (checked against MAX_JSON_BYTES first) is read at once;
    what has no size (stdin, a pipe, a device such as /dev/zero) is read in chunks up to the cap."""
    if size:
        return stream.read()
    chunks, total = [], 0
    while chunk := stream.read(1024 * 1024):
        total += len(chunk)
        if total > MAX_JSON_BYTES:
            raise InputError(
                f"{name}: more than {_size(MAX_JSON_BYTES)}, larger than dynalint reads "
                "(set DYNALINT_MAX_BYTES to raise it)"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count} bytes"


def _show_binary_plan(name: str) -> bytes:
    """A binary plan (``terraform plan -out``) is a zip: ask terraform for its JSON.

    terraform reads it with the providers its directory was initialised with,
    so it runs there (``-chdir``), whatever the current directory. That starts
    the provider plugins found in the folder's ``.terraform/``: code. So only a
    file the user names as a binary plan is handed to terraform, never one named
    ``*.json`` (a committed file or a glob's match that claims to be JSON), and
    terraform is the one on PATH by an absolute path (a relative PATH entry would
    pick a ``terraform`` from the checkout).
    """
    import shlex
    import shutil
    import subprocess

    if name == "-":
        raise InputError(
            "-: this is a binary plan; pipe its JSON instead: `terraform show -json PLANFILE | dynalint -`"
        )
    plan = Path(name)
    if plan.suffix.lower() == ".json":
        raise InputError(
            f"{name}: a zip file (a binary plan?) named .json: dynalint hands only files you name as "
            "binary plans to terraform, which starts the provider plugins of the plan's folder; if it "
            f"is your plan, rename it and run `terraform show -json {shlex.quote(plan.stem)}.tfplan > "
            f"{shlex.quote(name)}` where it was made"
        )
    command = f"terraform show -json {shlex.quote(name)} > {shlex.quote(str(plan.with_suffix('.json')))}"
    terraform = shutil.which("terraform")
    if terraform is None:
        raise InputError(f"{name}: this is a binary plan file; run `{command}` and lint the JSON")
    if not os.path.isabs(terraform):
        raise InputError(
            f"{name}: binary plan; the terraform on PATH is {terraform}, found through a relative PATH "
            f"entry (a file of the working directory): dynalint does not run it; run `{command}`"
        )
    # TF_CLI_ARGS and TF_CLI_ARGS_show add flags to every `terraform show`: the JSON must come out as is
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CLI_ARGS", "TF_CLI_ARGS_show")}
    try:
        # ./NAME: a file name starting with "-" is a file to terraform, not a flag
        result = subprocess.run(
            [terraform, f"-chdir={plan.parent}", "show", "-json", "-no-color", f"./{plan.name}"],
            capture_output=True,
            timeout=300,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(
            f"{name}: binary plan; `terraform show -json` failed ({exc}); run `{command}` yourself"
        ) from None
    if result.returncode != 0:
        raise InputError(
            f"{name}: binary plan; `terraform show -json` failed: "
            f"{_terraform_error(result.stderr.decode('utf-8', 'replace'))} "
            f"(run it in the directory the plan was made in: `{command}`)"
        )
    return result.stdout


def _terraform_error(stderr: str) -> str:
    """terraform's diagnostic in one line: the "Error:" summary and its detail, without box drawing."""
    lines = [line.strip(" \t│╷╵") for line in stderr.splitlines()]
    lines = [line for line in lines if line]
    for i, line in enumerate(lines):
        if line.startswith("Error:"):
            return " ".join(lines[i : i + 3])[:300]
    return (lines[-1] if lines else "no message")[:300]

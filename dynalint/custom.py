"""Custom rules: the user's own, registered next to the built-in pack.

Two kinds of source, in this order, each only when the user asks for it:

- installed packages that declare an entry point in the ``dynalint.rules``
  group (installing the package is the request); the entry point names a
  module, a ``Rule``, or a list of rules and links;
- directories named with ``--rules-dir DIR`` or the config's ``rules_dirs``:
  each ``*.py`` file in them is imported as a rules module, each ``*.yaml`` /
  ``*.yml`` file read as YAML rules (dynalint.yaml_rules). Files whose name
  starts with ``_`` or ``.`` are not loaded: ``_helpers.py`` is for relative
  imports (``from ._helpers import x``). Subdirectories are not searched.

A config file is part of the repository under review, so what it names is not
the user's own choice the way the command line is: its directories' YAML rules
load (data, checked against a schema), their Python rules only when the user
allows it (``--allow-config-code``), and their files must lie inside the config
file's folder (no symbolic link out of it).

A rules module contributes the ``Rule`` objects it defines at module level,
those in an optional ``RULES`` list, and the graph links in an optional
``LINKS`` list. Anything wrong (a file that does not import, a YAML schema
error, an id used twice, an id of dynalint's own families DDB and DL) is a
RuleError naming the file and line: exit 2, no traceback.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any, cast

from dynalint import engine
from dynalint.errors import RuleError
from dynalint.errors import shown_path as _shown
from dynalint.graph import Link
from dynalint.rule import Rule

ENTRY_POINT_GROUP = "dynalint.rules"
RESERVED = ("DDB", "DL")
RULE_FILES = (".py", ".yaml", ".yml")
MAX_CONFIG_YAML_BYTES = 2 * 1024 * 1024  # the YAML rules files config files name, together


@dataclass(frozen=True)
class ConfigRules:
    """The ``rules_dirs`` of a config file: YAML rules always, Python rules only if ``run_code``."""

    config: Path
    directories: tuple[Path, ...]
    run_code: bool = False


def registry(
    rules_dirs: Iterable[str | Path] = (), entry_points: bool = True, config: ConfigRules | None = None
) -> engine.Registry:
    """The built-in rules, then those of installed packages, then those of the config's directories, then
    those of each directory named on the command line (``rules_dirs``)."""
    loader = _Loader(engine.builtin_registry())
    if entry_points:
        loader.add_entry_points()
    if config is not None:
        for directory in _unique(config.directories):
            loader.add_directory(
                directory, named_by=None if config.run_code else config.config, within=config.config.parent.resolve()
            )
    for directory in _unique(rules_dirs):
        loader.add_directory(directory)
    return loader.registry


def may_declare_entry_points(group: str, paths: Sequence[Any] | None = None) -> bool:
    """False only when no installed distribution can declare an entry point in ``group``.

    importlib.metadata takes longer to import and to scan than a small run
    takes to lint: this looks where it looks (each ``*.dist-info`` and
    ``*.egg-info``, and an ``.egg``'s ``EGG-INFO``, in each directory of
    ``sys.path``) for an ``entry_points.txt`` that holds the group's name at
    all. Any place it cannot read as plainly (a zip file on the path, a
    meta-path finder of another kind) answers True, and importlib.metadata
    decides, as it does wherever a file names the group.
    """
    from importlib.machinery import PathFinder

    if any(hasattr(finder, "find_distributions") and finder is not PathFinder for finder in sys.meta_path):
        return True
    needle = group.encode()
    for entry in sys.path if paths is None else paths:
        if not isinstance(entry, str):
            return True
        root = entry or "."
        try:
            children = os.listdir(root)
        except OSError:
            if os.path.isfile(root):
                return True  # a zip file: importlib.metadata reads it
            continue
        egg = os.path.basename(entry).lower().endswith(".egg")
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")) or (egg and low == "egg-info"):
                try:
                    with open(os.path.join(root, child, "entry_points.txt"), "rb") as stream:
                        if needle in stream.read():
                            return True
                except OSError:
                    continue
    return False


class _Loader:
    def __init__(self, registry: engine.Registry) -> None:
        self.registry = registry
        # Rule and Link objects met so far, by id (kept alive here, so that no id is reused): a module
        # that imports one registers nothing twice.
        self._seen = {id(obj): obj for obj in (*registry.rules.values(), *registry.links)}
        self._config_yaml_bytes = 0  # of the YAML rules files config files name (see add_directory)

    # ------------------------------------------------------------ sources
    def add_entry_points(self) -> None:
        if not may_declare_entry_points(ENTRY_POINT_GROUP):
            return
        from importlib.metadata import entry_points

        for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: (p.name, p.value)):
            dist = getattr(point, "dist", None)
            named = f"entry point {point.name} = {point.value}" + (f" ({dist.name} {dist.version})" if dist else "")
            try:
                target = point.load()
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure of the user's code
                raise RuleError(_import_failure(exc, _package_roots(point.value), named)) from None
            rules, links = _contributions(target, named)
            self._add(rules, links, suffix=f" ({named})")

    def add_directory(self, directory: Path, named_by: Path | None = None, within: Path | None = None) -> None:
        """Load a directory's rule files. ``named_by``: the config file that names it, whose Python is not
        run; ``within``: the folder its files must lie in, symbolic links followed."""
        files = sorted(
            p
            for p in directory.iterdir()
            if p.suffix in RULE_FILES and p.is_file() and not p.name.startswith(("_", "."))
        )
        if not files:
            raise RuleError(f"{_shown(directory)}: no rules here (custom rules are *.py, *.yaml or *.yml files)")
        outside = [f for f in files if within is not None and not f.resolve().is_relative_to(within)]
        if outside:
            raise RuleError(
                f"{_shown(directory)}/{outside[0].name}: a link to a file outside the config file's "
                "folder; name rules kept elsewhere with --rules-dir"
            )
        code = [f.name for f in files if f.suffix == ".py"]
        if named_by is not None and code:
            raise RuleError(
                f"{_shown(named_by)}: rules_dirs names {_shown(directory)}, which holds Python rules "
                f"({', '.join(code)}): dynalint runs Python that a config file names only with "
                "--allow-config-code, since a config file in the repository under review could run "
                "any code; or name the directory with --rules-dir"
            )
        if named_by is not None:
            self._count_config_yaml(files, named_by)
        package = _package(directory)
        for file in files:
            if file.suffix == ".py":
                module = _import(file, package, directory)
                rules, links = _contributions(module, _shown(file))
                if not rules:
                    raise RuleError(
                        f"{_shown(file)}: defines no rule (a helper module's name starts with '_', e.g. _helpers.py)"
                    )
                self._add(rules, links)
            else:
                from dynalint import yaml_rules  # jsonschema and pyyaml: only for YAML rules

                self._add(yaml_rules.load_file(file, _shown(file)), [])

    def _count_config_yaml(self, files: Sequence[Path], named_by: Path) -> None:
        """Refuse YAML rules files that config files name past ``MAX_CONFIG_YAML_BYTES`` together. Each file
        has its bound (dynalint.userfiles), but a directory of a pull request may hold any number of them, and
        a megabyte of rules takes seconds to read and validate."""
        for file in files:
            if file.suffix != ".py":
                try:
                    self._config_yaml_bytes += file.stat().st_size
                except OSError:
                    continue  # the file's own read says what is wrong with it
        if self._config_yaml_bytes > MAX_CONFIG_YAML_BYTES:
            raise RuleError(
                f"{_shown(named_by)}: the YAML rules files its rules_dirs name hold {self._config_yaml_bytes:,} "
                f"bytes together, more than dynalint reads ({MAX_CONFIG_YAML_BYTES:,}: house rules take "
                "kilobytes); name larger rule sets with --rules-dir"
            )

    # ------------------------------------------------------------ registering
    def _add(self, rules: Sequence[Rule], links: Sequence[Link], suffix: str = "") -> None:
        for found in rules:
            if id(found) in self._seen:
                continue
            self._seen[id(found)] = found
            rule = replace(found, origin=_origin(found) + suffix)
            self._check_id(rule)
            self.registry.add(rule)
        for link in links:
            if id(link) not in self._seen:
                self._seen[id(link)] = link
                self.registry.links.append(link)

    def _check_id(self, rule: Rule) -> None:
        other = self.registry.rules.get(rule.id)
        if other is not None:
            owner = f"dynalint's built-in rule ({other.origin})" if other.builtin else other.origin
            raise RuleError(
                f"{rule.origin}: rule id {rule.id} is already defined by {owner}: give one of them another id"
            )
        if rule.id.rstrip("0123456789") in RESERVED:
            raise RuleError(
                f"{rule.origin}: rule id {rule.id}: ids starting {' or '.join(RESERVED)} are kept for "
                "dynalint's own rules; use a prefix of your own, e.g. ACME001"
            )


def _origin(rule: Rule) -> str:
    """Where a rule is defined: file:line of a Python rule's check function; a YAML rule has its own."""
    code = getattr(rule.check, "__code__", None)
    if code is None or getattr(rule.check, "__module__", None) != rule.origin:
        return rule.origin
    return f"{_shown(Path(code.co_filename))}:{code.co_firstlineno}"


def _contributions(target: Any, named: str) -> tuple[list[Rule], list[Link]]:
    """The rules and links a module, a Rule, or a list of them contributes."""
    if isinstance(target, ModuleType):
        rules = [v for v in vars(target).values() if isinstance(v, Rule)]
        listed = getattr(target, "RULES", [])
        links = getattr(target, "LINKS", [])
        if not isinstance(listed, (list, tuple)) or not all(isinstance(r, Rule) for r in listed):
            raise RuleError(f"{named}: RULES must be a list of rules")
        if not isinstance(links, (list, tuple)) or not all(isinstance(link, Link) for link in links):
            raise RuleError(f"{named}: LINKS must be a list of dynalint.graph.Link")
        return rules + list(listed), list(links)
    if isinstance(target, Rule):
        return [target], []
    if isinstance(target, (list, tuple)) and all(isinstance(item, (Rule, Link)) for item in target):
        return [r for r in target if isinstance(r, Rule)], [link for link in target if isinstance(link, Link)]
    raise RuleError(f"{named}: expected a module, a rule, or a list of rules and links; got {type(target).__name__}")


# ---------------------------------------------------------------- importing user files
def _package(directory: Path) -> str:
    """A fresh package for one rules directory, so that its modules can import each other relatively."""
    from hashlib import sha256  # OpenSSL, for runs that import rules from directories only (dynalint.model says why)

    name = "dynalint_custom_" + sha256(str(directory).encode()).hexdigest()[:12]
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]
    spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
    spec.submodule_search_locations = [str(directory)]
    sys.modules[name] = importlib.util.module_from_spec(spec)
    return name


def _import(file: Path, package: str, directory: Path) -> ModuleType:
    name = f"{package}.{''.join(c if c.isalnum() else '_' for c in file.stem)}"
    # a .py file (the caller checks the suffix): the path finder's source loader makes its spec
    spec = cast(importlib.machinery.ModuleSpec, importlib.util.spec_from_file_location(name, file))
    loader = cast(importlib.machinery.SourceFileLoader, spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        loader.exec_module(module)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure of the user's code
        del sys.modules[name]
        raise RuleError(_import_failure(exc, [directory], _shown(file))) from None
    return module


def _import_failure(exc: BaseException, roots: Sequence[Path], named: str) -> str:
    """``file:line: cannot load custom rules from NAMED: Error: message``, at the user's line."""
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f"{_shown(Path(exc.filename))}:{exc.lineno}"
        what = f"SyntaxError: {exc.msg}"
    else:
        import traceback

        frames = [f for f in traceback.extract_tb(exc.__traceback__) if _inside(f.filename, roots)]
        where = f"{_shown(Path(frames[-1].filename))}:{frames[-1].lineno}" if frames else named
        text = str(exc)
        what = text if isinstance(exc, RuleError) else f"{type(exc).__name__}{': ' + text if text else ''}"
    source = "" if where.startswith(named) else f" from {named}"
    return f"{where}: cannot load custom rules{source}: {what}"


def _inside(filename: str, roots: Sequence[Path]) -> bool:
    path = Path(filename).resolve()
    return any(path.is_relative_to(root) for root in roots)


def _package_roots(value: str) -> list[Path]:
    """Where the top-level package of an entry point's module lives (to find the user's line)."""
    top = value.split(":")[0].split(".")[0].strip()
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    if spec.submodule_search_locations:
        return [Path(p).resolve() for p in spec.submodule_search_locations]
    return [Path(spec.origin).resolve()] if spec.origin else []


def _unique(directories: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for directory in directories:
        path = Path(directory).resolve()
        if path not in out:
            out.append(path)
    return out

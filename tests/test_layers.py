"""The layers of dynalint (docs/architecture.md) hold, and no module imports itself back (issue 16).

Every ``import`` of ``dynalint/`` and ``rules/`` (installed as ``dynalint.rules``) is read from the source
with ``ast``, those inside functions included: a deferred import that closes a cycle is still a cycle. Only
imports under ``if TYPE_CHECKING:`` are left out of the cycle check (they never run); the layer check reads
them too.

From the bottom: the model; the configured tree and the rule helpers (values); the graph; the rule API; the
rule pack; the engine; what configures a run (settings, baselines, users' rules); the reports; the
application (the command line, ``--fix``, ``--jobs``). A module may import its own layer and those below it.
The loader stands beside them: it reads the model's and the values' layers only, and only the application
imports it. A new module must be given its layer in LAYERS below.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from helpers import ROOT

#: The layers, from the bottom. A name ending in ".*" stands for every module under it; an exact name wins.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "model",
        (
            "dynalint",
            "dynalint.errors",
            "dynalint.address",
            "dynalint.yamlpath",
            "dynalint.userfiles",
            "dynalint.model",
        ),
    ),
    ("values", ("dynalint.configured", "dynalint.values")),
    ("graph", ("dynalint.graph",)),
    ("rule API", ("dynalint.rule", "dynalint.rule_examples", "dynalint.fix", "dynalint.fix.declare")),
    ("rule pack", ("dynalint.rules", "dynalint.rules.*")),
    ("engine", ("dynalint.engine", "dynalint.suppress", "dynalint.module_hints")),
    (
        "settings",
        ("dynalint.config", "dynalint.baseline", "dynalint.custom", "dynalint.yaml_rules", "dynalint.regex_budget"),
    ),
    ("report", ("dynalint.report", "dynalint.report.*", "dynalint.docs")),
    (
        "application",
        (
            "dynalint.cli",
            "dynalint.cli_options",
            "dynalint.cli_logging",
            "dynalint.console",
            "dynalint.__main__",
            "dynalint.parallel",
            "dynalint.example_checks",
            "dynalint.testing",
            "dynalint.fix.*",
        ),
    ),
]
LOADER = ("loader", ("dynalint.load", "dynalint.load.*"))
#: What the loader may import besides itself.
LOADER_READS = ("model", "values")
APPLICATION = "application"


def modules(packages: dict[str, Path]) -> dict[str, Path]:
    """Every module of the packages (name -> file): ``{"dynalint": ROOT / "dynalint"}`` and the like."""
    found = {}
    for package, directory in packages.items():
        for path in sorted(directory.rglob("*.py")):
            parts = path.relative_to(directory).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join((package, *parts))
            if not any(
                name == other or name.startswith(other + ".")
                for other in packages
                if other != package and other.startswith(package + ".")
            ):
                found[name] = path
    return found


def imports(names: dict[str, Path], with_type_checking: bool) -> dict[str, set[str]]:
    """Module -> the modules of ``names`` it imports, wherever the import statement is."""
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        skipped: set[int] = set()
        if not with_type_checking:
            for node in ast.walk(tree):
                if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                    skipped |= {id(inner) for inner in ast.walk(node)}
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets |= {_known(a.name, names) for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parent + ([node.module] if node.module else []))
                submodules = {f"{base}.{a.name}" for a in node.names} & names.keys()
                targets |= submodules
                if len(submodules) < len(node.names):  # names defined in ``base`` itself
                    targets.add(_known(base, names))
        graph[name] = {t for t in targets if t and t != name}
    return graph


def _known(name: str, names: dict[str, Path]) -> str:
    """The module of ``names`` an import names (``a.b.c`` of a package ``a.b``: ``a.b.c``), or ""."""
    while name and name not in names:
        name = name.rpartition(".")[0]
    return name


def layer_of(name: str) -> str | None:
    exact = {m: layer for layer, members in [*LAYERS, LOADER] for m in members if not m.endswith(".*")}
    if name in exact:
        return exact[name]
    under = [(m[:-2], layer) for layer, members in [*LAYERS, LOADER] for m in members if m.endswith(".*")]
    found = [(len(prefix), layer) for prefix, layer in under if name.startswith(prefix + ".")]
    return max(found)[1] if found else None


def allowed(importer: str, imported: str) -> bool:
    order = [layer for layer, _ in LAYERS]
    if importer == LOADER[0]:
        return imported in (*LOADER_READS, LOADER[0])
    if imported == LOADER[0]:
        return importer == APPLICATION
    return order.index(imported) <= order.index(importer)


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (its modules, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(graph):
        if state.get(start):
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(step) == 1:
                return path[path.index(step) :] + [step]
            elif not state.get(step):
                state[step] = 1
                path.append(step)
                stack.append(iter(sorted(graph.get(step, ()))))
    return None


PACKAGES = {"dynalint": ROOT / "dynalint", "dynalint.rules": ROOT / "rules"}
MODULES = modules(PACKAGES)


def test_every_module_has_a_layer():
    assert len(MODULES) > 60 and "dynalint.load.hcl.evaluator" in MODULES and "dynalint.rules.schema" in MODULES
    assert [name for name in MODULES if layer_of(name) is None] == [], "give each new module its layer in LAYERS"


def test_imports_go_down_the_layers_and_only_the_application_imports_the_loader():
    wrong = [
        f"{a} ({layer_of(a)}) imports {b} ({layer_of(b)})"
        for a, targets in sorted(imports(MODULES, with_type_checking=True).items())
        for b in sorted(targets)
        if not allowed(layer_of(a), layer_of(b))
    ]
    assert wrong == []


def test_no_import_cycle():
    found = cycle(imports(MODULES, with_type_checking=False))
    assert found is None, " -> ".join(found)


def test_the_checks_see_imports_inside_functions():
    graph = imports(MODULES, with_type_checking=False)
    # Rule.documentation imports rule_examples when it is first read: an import inside a method
    assert "dynalint.rule_examples" in graph["dynalint.rule"]
    assert "dynalint.rules" in graph["dynalint.engine"]  # builtin_registry imports the pack inside a function


@pytest.mark.parametrize("deferred", [False, True])
def test_a_cycle_is_found_whether_or_not_its_import_is_deferred(tmp_path, deferred):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text(
        "def f():\n    from pkg import high\n    return high\n" if deferred else "from pkg.high import g\n"
    )
    (package / "high.py").write_text("from pkg import low\n\ndef g():\n    return low\n")
    (package / "typed.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import user\n")
    (package / "user.py").write_text("import pkg.typed\n")
    names = modules({"pkg": package})
    graph = imports(names, with_type_checking=False)
    assert cycle(graph) == ["pkg.high", "pkg.low", "pkg.high"]
    assert "pkg.user" not in graph["pkg.typed"]  # a TYPE_CHECKING import never runs: no cycle through it
    assert "pkg.user" in imports(names, with_type_checking=True)["pkg.typed"]


def test_a_module_that_reaches_up_or_into_the_loader_breaks_the_layers():
    assert not allowed("values", "engine") and not allowed("model", "values") and allowed("engine", "rule pack")
    assert not allowed("rule API", "loader") and not allowed("report", "loader") and allowed("application", "loader")
    assert allowed("loader", "model") and allowed("loader", "values") and not allowed("loader", "rule API")


def test_every_package_is_installed():
    """pyproject.toml lists the packages a wheel holds: one left out (a new folder of modules) would be missing
    from an installed dynalint while the tests, run from the checkout, pass."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    assert set(setuptools["packages"]) == packages
    assert setuptools["package-dir"] == {"dynalint.rules": "rules"}


def test_no_module_of_the_package_is_over_700_lines():
    """Small modules with one job (issue 16): a module of dynalint/ that grows past 700 lines is split by what it
    holds. (The rule pack's area modules, rules/, hold one rule after another and are not counted.)"""
    package = ROOT / "dynalint"
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines())
        for name, path in MODULES.items()
        if path.is_relative_to(package)
    }
    assert sizes["dynalint.cli"] > 300 and "dynalint.rules.schema" not in sizes  # the count reads dynalint/ files
    assert {name: n for name, n in sizes.items() if n > 700} == {}

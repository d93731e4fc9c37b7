"""Config, YAML rules and baseline files, read within bounds: they come with the repository under review,
so a small file must not cost minutes or gigabytes.

- a file above ``MAX_BYTES`` is refused (hand-written settings and rules are far smaller);
- YAML aliases are counted as what they expand to: ``&a [x, x]`` then ``[*a, *a]`` nine levels deep is
  a kilobyte of text and a billion values to anything that walks the result (schema validation,
  messages). A document that expands to more than ``MAX_VALUES`` values, or whose alias holds itself,
  is refused before it is built;
- nesting deeper than the parser can follow is one line, not a traceback.

Each function raises ``error`` (the caller's exception class: InputError for settings, RuleError for
rules) with a message that names the file and, where known, the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MAX_BYTES = 1024 * 1024
# Values (mappings, lists, scalars; a long scalar counts once per 100 characters) a document may expand to.
MAX_VALUES = 100_000


def read_text(path: Path, shown: str, error: type[Exception], what: str, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of a settings, rules or baseline file (``what`` names it in messages), refused above
    ``limit`` bytes (a link to /dev/zero included)."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise error(f"{shown}: {size:,} bytes is larger than dynalint reads in a {what} ({limit // 1024:,} KB)")
        with path.open("rb") as stream:  # read at most the cap: a pipe or a device has no size
            data = stream.read(limit + 1)
    except FileNotFoundError:
        raise error(f"{shown}: {what} not found") from None
    except OSError as exc:
        raise error(f"{shown}: cannot read the {what}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise error(f"{shown}: larger than dynalint reads in a {what} ({limit // 1024:,} KB)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{shown}: cannot read the {what}: not UTF-8 (byte {exc.start})") from None


def load_yaml(text: str, shown: str, error: type[Exception]) -> Any:
    """The document of a YAML text (safe types only), after its expanded size is checked."""
    import yaml

    loader = None
    try:
        loader = yaml.SafeLoader(text)  # refuses characters YAML does not allow (ESC, say) at once
        root = loader.get_single_node()
        if root is None:
            return None
        _check_expansion(root, shown, error)
        return loader.construct_document(root)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{shown}:{mark.line + 1}" if mark is not None else shown
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{where}: invalid YAML: {problem}") from None
    except RecursionError:  # PyYAML composes and builds nested collections recursively
        raise error(f"{shown}: YAML nested too deeply to read") from None
    finally:
        if loader is not None:
            loader.dispose()


def load_toml(text: str, shown: str, error: type[Exception]) -> dict:
    tomllib = _tomllib()
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{shown}: invalid TOML: {exc}") from None
    except RecursionError:
        raise error(f"{shown}: TOML nested too deeply to read") from None


def _tomllib():
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


def _check_expansion(root: Any, shown: str, error: type[Exception]) -> None:
    """Count the values the node graph expands to, each shared node once per use, without building them."""
    import yaml

    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node, yaml)
        if not children_done:
            if key in on_path:
                raise error(
                    f"{shown}:{node.start_mark.line + 1}: invalid YAML: an alias refers to a node that "
                    "holds it (a document without end)"
                )
            on_path.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        on_path.discard(key)
        own = 1 + len(node.value) // 100 if isinstance(node, yaml.ScalarNode) else 1
        sizes[key] = own + sum(sizes[id(child)] for child in children)
        if sizes[key] > MAX_VALUES:
            raise error(
                f"{shown}:{node.start_mark.line + 1}: YAML aliases here expand to more than "
                f"{MAX_VALUES:,} values: more than dynalint reads in a settings or rules file"
            )


def _children(node: Any, yaml: Any) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []

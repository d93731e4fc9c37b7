"""Key paths in a settings or rules file: how messages name them, and on which YAML line they are.

A path is a list of mapping keys and list positions, as jsonschema reports them:
``["rules", 0, "require", "all", 1]`` is named ``rules[0].require.all[1]``.
"""

from __future__ import annotations

from collections.abc import Callable


def dotted(path: list, prefix: str = "") -> str:
    """``rules[0].require`` (after ``prefix``, such as ``tool.dynalint``); ``(top level)`` for no path."""
    text = prefix
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def line_locator(text: str) -> Callable[[list], int | None]:
    """path -> the line of that key or item in the YAML text (None when the text has no such node)."""
    import yaml

    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        root = None

    def locate(path: list) -> int | None:
        node, line = root, (root.start_mark.line + 1 if root is not None else None)
        for part in path:
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == str(part)), None)
                if pair is None:
                    break
                line, node = pair[0].start_mark.line + 1, pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line

    return locate

"""Where each resource is: in the plan or state JSON file, and in the ``.tf`` files that declare it.

Plan locations are the fallback: ``terraform show -json`` writes one line, so
the column matters as much as the line, and each resource's location is the
``"address"`` key of its entry in ``resource_changes`` (or, in a state, in
``values``). The ``.tf`` source map parses the module tree (python-hcl2) and
maps each resource block, module-aware, to its file and lines, with the
``# dynalint:ignore=...`` comments that belong to it (see dynalint.suppress).
For plan input it is found from ``--source-dir`` (default: the plan file's
directory, then the current directory) and the plan's ``module_calls``.
"""
from __future__ import annotations

import contextlib
import contextvars
from collections import abc
import json
import os
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping

from dynalint import address as addr
from dynalint.errors import InputError
from dynalint.load.decode import Places
from dynalint.model import Model, Source

class PlanLocations(abc.Mapping):
    """address -> its Source in the plan or state file, made when asked for (a report asks for few)."""

    def __init__(self, file: str, places: dict[str, tuple[int, int]]) -> None:
        self.file = file
        self._places = places  # address -> (line, column)
        self._made: dict[str, Source] = {}

    def __getitem__(self, address: str) -> Source:
        source = self._made.get(address)
        if source is None:
            line, column = self._places[address]
            source = self._made[address] = Source(file=self.file, start_line=line, start_column=column, kind="plan")
        return source

    def get(self, address: str, default: Any = None) -> Any:
        return self[address] if address in self._places else default

    def __contains__(self, address: object) -> bool:
        return address in self._places

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)

    def renamed(self, file: str) -> PlanLocations:
        """The same places in a file of another name (stdin named by --stdin-filename)."""
        return PlanLocations(file, self._places)


def plan_locations(places: Places | None, file: str) -> PlanLocations:
    """Each resource entry's address -> its line and column in the file (1-based), from where the parser
    found the entries (dynalint.load.decode.Places): the entry's ``"address"`` key. An address met twice
    (a deposed object beside the current one) is where it is first. None (a UTF-16 file, whose columns in
    bytes mean nothing to an editor) locates nothing."""
    found: dict[str, tuple[int, int]] = {}
    if places is None:
        return PlanLocations(file, found)
    text = places.text
    line, column, scanned = 1, 1, 0
    # In ASCII text a character is a byte: columns need no decoding (the usual case).
    characters = (lambda _text, begin, end: end - begin) if text.isascii() else _characters
    for pos, address in places.entries:  # in the order of the file
        if address in found:
            continue
        newlines = text.count(b"\n", scanned, pos) if text.find(b"\n", scanned, pos) >= 0 else 0  # find: memchr
        if newlines:
            line += newlines
            line_start = text.rfind(b"\n", scanned, pos) + 1
            column = 1 + characters(text, line_start, pos)
        else:
            # terraform writes the plan on one line: count only what lies since the last address,
            # or a plan of many resources takes quadratic time.
            column += characters(text, scanned, pos)
        scanned = pos
        found[address] = (line, column)
    return PlanLocations(file, found)


def _characters(text: bytes, start: int, end: int) -> int:
    """How many characters the UTF-8 bytes ``text[start:end]`` hold (both ends are ASCII boundaries)."""
    return len(text[start:end].decode("utf-8", "replace"))


# ---------------------------------------------------------------------- .tf files
# Parsing goes through python-hcl2's grammar (``hcl2.parses_to_tree``) and reads
# the raw Lark tree: its tokens carry line numbers, which python-hcl2's dict
# output drops (``with_meta`` is accepted but ignored in 8.x), and skipping the
# rule-object transform halves the parse time.

#: Lark token names as a person reads them, for syntax error messages.
_TOKEN_WORDS = {
    "$END": "end of file", "RBRACE": "'}'", "LBRACE": "'{'", "RSQB": "']'", "LSQB": "'['", "RPAR": "')'",
    "LPAR": "'('", "EQ": "'='", "COLON": "':'", "COMMA": "','", "DBLQUOTE": "'\"'", "NAME": "a name",
    "QMARK": "'?'", "DOT": "'.'", "NL_OR_COMMENT": "a new line", "INTERP_START": "'${'",
}
_EXPRESSION_START = {"DBLQUOTE", "INT_LITERAL", "FLOAT_LITERAL", "LBRACE", "LSQB", "LPAR", "HEREDOC_TEMPLATE"}
_OPERATORS = {"PLUS", "MINUS", "ASTERISK", "SLASH", "PERCENT", "DOUBLE_EQ", "NEQ", "DOUBLE_AMP", "DOUBLE_PIPE", "QMARK"}


@dataclass(frozen=True)
class TfBlock:
    """A top-level block of a .tf file: ``resource "aws_t" "n" { ... }``, with its raw Lark body."""

    kind: str
    labels: tuple[str, ...]
    body: Any = field(repr=False)
    file: str
    start_line: int
    end_line: int

    @property
    def source(self) -> Source:
        return Source(file=self.file, start_line=self.start_line, end_line=self.end_line, kind="tf")


@dataclass(frozen=True)
class TfFile:
    """One parsed .tf file: its top-level blocks and its comments as (line, text) pairs."""

    path: str
    blocks: tuple[TfBlock, ...]
    comments: tuple[tuple[int, str], ...]


#: A .tf or .tfvars file above this size is refused: parsing takes about 100 MB of memory and
#: 10 seconds per megabyte of HCL, and hand-written files are far smaller.
MAX_TF_BYTES = int(os.environ.get("DYNALINT_MAX_TF_BYTES", 8 * 1024 * 1024))
#: Parse trees deeper than this (about 130 levels of nested brackets and blocks) are refused: the
#: steps after parsing walk the tree recursively.
MAX_TREE_DEPTH = 400


#: While ``dynalint --fix`` works, the texts it has edited in memory (real path -> text): the loader reads them
#: instead of the files, which are written once the fixing is done (see dynalint.fix.workspace).
EDITED: contextvars.ContextVar[Mapping[str, str] | None] = contextvars.ContextVar("dynalint_edited", default=None)


def read_tf_text(path: Path, shown: str) -> str:
    edited = EDITED.get()
    if edited:
        text = edited.get(os.path.realpath(path))
        if text is not None:
            return text
    try:
        size = path.stat().st_size
        if size > MAX_TF_BYTES:
            raise InputError(f"{shown}: {size / 2**20:.1f} MB is larger than dynalint reads in a .tf file "
                             f"({MAX_TF_BYTES / 2**20:.1f} MB; set DYNALINT_MAX_TF_BYTES to raise it)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{shown}: not UTF-8 text (byte {exc.start}); Terraform reads .tf files as UTF-8") from None


#: Parse trees by text, kept while ``shared_parses`` is active: ``dynalint --fix`` and SARIF's fixes read the
#: .tf files again after the loader, and must not parse them twice (no step mutates a tree).
_PARSED: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("dynalint_parsed", default=None)


@contextlib.contextmanager
def shared_parses() -> Iterator[None]:
    """Within this block, parsing a text that was parsed before returns the same tree."""
    token = _PARSED.set({})
    try:
        yield
    finally:
        _PARSED.reset(token)


def parse_tf(text: str, shown: str) -> Any:
    """The raw Lark tree of HCL text, or an InputError with file:line:column and the parser's message."""
    parsed = _PARSED.get()
    if parsed is None:
        return _parse_tf(text, shown)
    tree = parsed.get(text)
    if tree is None:
        tree = parsed[text] = _parse_tf(text, shown)
    return tree


def _parse_tf(text: str, shown: str) -> Any:
    import hcl2
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        try:
            tree = hcl2.parses_to_tree(text)
        except UnexpectedInput:
            parser = None if text.isascii() else _unicode_parser()
            if parser is None:
                raise
            tree = parser.parse(text + "\n")  # the newline python-hcl2 appends too
    except UnexpectedInput as exc:
        raise InputError(f"{shown}:{exc.line}:{exc.column}: HCL syntax error: {_syntax_message(exc)}") from None
    except (LarkError, RuntimeError, RecursionError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"{shown}: HCL syntax error: {first}") from None
    _refuse_deep_nesting(tree, shown)
    return tree


@lru_cache(maxsize=None)
def _unicode_parser() -> Any | None:
    """python-hcl2's parser with HCL's own identifiers: any Unicode letter, then letters, digits, ``_``, ``-``.

    python-hcl2 8.x takes only ASCII names (``aws_kms_key.clé.arn`` is a syntax error to it, not to Terraform).
    Built only when a non-ASCII file fails the stock parser; Lark caches the tables in the temp directory.
    """
    import hcl2
    from hcl2.postlexer import PostLexer
    from lark import Lark

    folder = Path(hcl2.__file__).parent
    grammar = (folder / "hcl2.lark").read_text(encoding="utf-8")
    ascii_name = "NAME : /[a-zA-Z_][a-zA-Z0-9_-]*/"
    if ascii_name not in grammar:  # a python-hcl2 whose grammar changed: its own error stands
        return None
    return Lark(grammar.replace(ascii_name, r"NAME : /[^\W\d][\w-]*/"), parser="lalr", cache=True,
                propagate_positions=True, postlex=PostLexer(), import_paths=[str(folder)])


def _refuse_deep_nesting(tree: Any, shown: str) -> None:
    """An InputError naming the line where the parse tree grows deeper than MAX_TREE_DEPTH (walked iteratively)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            line = getattr(node, "line", None) or getattr(getattr(node, "meta", None), "line", None)
            where = f"{shown}:{line}" if line else shown
            raise InputError(f"{where}: expressions nested too deeply for dynalint to read")
        stack.extend((child, depth + 1) for child in getattr(node, "children", ()))


def _syntax_message(exc: Any) -> str:
    token = getattr(exc, "token", None)
    if token is not None:
        got = _TOKEN_WORDS.get(token.type) if token.type == "$END" else None
        if got is None:
            text = str(token.value).strip()
            got = repr(text.split()[0][:20]) if text else _TOKEN_WORDS.get(token.type, token.type)
        found = f"unexpected {got}"
    elif getattr(exc, "char", None) is not None:
        found = f"unexpected character {exc.char!r}"
    else:
        found = "unexpected end of file"
    expected = set(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ())
    if {"STRING_CHARS", "DBLQUOTE"} <= expected:
        return f"{found}; a quoted string is not closed"
    if expected & _OPERATORS and "NL_OR_COMMENT" in expected:
        return f"{found}; expected an operator or the end of the line"
    if len(expected & _EXPRESSION_START) >= 3:
        return f"{found}; expected an expression"
    words = sorted(_TOKEN_WORDS.get(e, e) for e in expected)
    return f"{found}; expected {', '.join(words[:5])}{' ...' if len(words) > 5 else ''}" if words else found


def parse_tf_file(path: Path, shown: str) -> TfFile:
    """Parse one .tf file into its top-level blocks (with lines) and its comments."""
    tree = parse_tf(read_tf_text(path, shown), shown)
    _refuse_redefined_attributes(tree, shown)
    body = tree.children[0]
    blocks = []
    for child in body.children:
        if getattr(child, "data", None) == "block":
            kind, labels, block_body = block_parts(child)
            blocks.append(TfBlock(kind, labels, block_body, shown, child.meta.line, child.meta.end_line))
    return TfFile(shown, tuple(blocks), tuple(_comments(tree)))


def _refuse_redefined_attributes(tree: Any, shown: str) -> None:
    """An attribute written twice in one body is an error in Terraform (python-hcl2 keeps the last)."""
    for body in tree.iter_subtrees():
        if body.data != "body":
            continue
        seen: dict[str, int] = {}
        for item in body.children:
            if getattr(item, "data", None) == "attribute":
                name = label_text(item.children[0])
                if name in seen:
                    raise InputError(f"{shown}:{item.meta.line}: attribute \"{name}\" is defined twice in this "
                                     f"block (first at line {seen[name]})")
                seen[name] = item.meta.line


def block_parts(block: Any) -> tuple[str, tuple[str, ...], Any]:
    """A Lark ``block`` tree -> (type, labels, body tree)."""
    names, body = [], None
    for child in block.children:
        data = getattr(child, "data", None)
        if data == "body":
            body = child
        elif data in ("identifier", "keyword", "literal_value", "string"):
            names.append(label_text(child))
    return names[0], tuple(names[1:]), body


def label_text(node: Any) -> str:
    """A block label or attribute name: an identifier's name, or a quoted label's text."""
    if node.data == "string":
        return "".join(str(part.children[0]) for part in node.children if getattr(part, "data", None) == "string_part")
    return str(node.children[0])


def _comments(tree: Any) -> list[tuple[int, str]]:
    """Every comment line of a file with its line number: ``# x`` / ``// x`` / each line of ``/* */``."""
    out = []
    for token in tree.scan_values(lambda v: getattr(v, "type", None) == "NL_OR_COMMENT"):
        text = str(token.value)
        if text.startswith("/*"):
            for offset, line in enumerate(text[2:].removesuffix("*/").split("\n")):
                out.append((token.line + offset, line.strip().lstrip("*").strip()))
        elif text.startswith("#") or text.startswith("//"):
            out.append((token.line, text.lstrip("#/").strip()))
    out.sort()
    return out


def body_items(body: Any) -> Iterator[Any]:
    """The attributes and blocks of a Lark ``body``, in source order."""
    for child in body.children if body is not None else ():
        if getattr(child, "data", None) in ("attribute", "block"):
            yield child


def attribute_parts(attribute: Any) -> tuple[str, Any]:
    """A Lark ``attribute`` tree -> (name, expression tree)."""
    return label_text(attribute.children[0]), attribute.children[-1]


def literal_string(expr: Any) -> str | None:
    """The text of a plain quoted string expression (no interpolation), else None."""
    while getattr(expr, "data", None) == "expr_term" and len(expr.children) == 1:
        expr = expr.children[0]
    if getattr(expr, "data", None) != "string":
        return None
    parts = [p.children[0] for p in expr.children if getattr(p, "data", None) == "string_part"]
    if any(getattr(p, "type", None) != "STRING_CHARS" for p in parts):
        return None
    return "".join(str(p) for p in parts)


# ---------------------------------------------------------------------- module directories
LOCAL_SOURCE = ("./", "../", ".\\", "..\\")
MAX_MODULE_DEPTH = 32


@dataclass
class ModuleDir:
    """The .tf files of one module directory, indexed by what they declare.

    ``resources`` holds managed resources as ``aws_t.n`` and data sources as
    ``data.aws_t.n``; ``ignores`` the inline suppressions of each resource,
    ``orphan_ignores`` those that sit on no resource; ``override_items`` the
    file of each attribute and block an override file merged into a block
    (by ``id`` of its tree: merged bodies mix the trees of two files).
    """

    directory: Path
    shown: str
    files: tuple[TfFile, ...] = ()
    resources: dict[str, TfBlock] = field(default_factory=dict)
    calls: dict[str, TfBlock] = field(default_factory=dict)
    variables: dict[str, TfBlock] = field(default_factory=dict)
    outputs: dict[str, TfBlock] = field(default_factory=dict)
    locals: list[TfBlock] = field(default_factory=list)
    providers: list[TfBlock] = field(default_factory=list)
    ignores: dict[str, tuple] = field(default_factory=dict)
    orphan_ignores: tuple = ()
    warnings: list[str] = field(default_factory=list)
    override_items: dict[int, str] = field(default_factory=dict)


def tf_files(directory: Path) -> list[Path]:
    """The ``*.tf`` files Terraform reads in a directory, in name order (dot-files excluded)."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return []
    return [Path(e.path) for e in entries if e.name.endswith(".tf") and not e.name.startswith(".") and _is_file(e)]


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:  # a symlink loop: not a file we can read
        return False


def read_module_dir(directory: Path, shown: str) -> ModuleDir:
    """Parse every .tf file of a directory; duplicate declarations are errors, as in Terraform."""
    from dynalint.suppress import attach_ignores

    module = ModuleDir(directory, shown)
    files = []
    paths = tf_files(directory)
    overridden: dict[tuple[str, int], str] = {}  # override blocks -> the resource they change
    for path in [p for p in paths if not _is_override(p.name)] + [p for p in paths if _is_override(p.name)]:
        parsed = parse_tf_file(path, display_path(shown, path.name))
        files.append(parsed)
        for block in parsed.blocks:
            if _is_override(path.name):
                _override_block(module, block, overridden)
            else:
                _index_block(module, block)
    module.files = tuple(files)
    _refuse_duplicate_locals(module)
    if any(e.endswith(".tf.json") for e in _names(directory)):
        module.warnings.append(f"{shown or '.'}: *.tf.json files are not read (only HCL syntax)")
    module.ignores, module.orphan_ignores = attach_ignores(files, module.resources, overridden)
    return module


def _is_override(name: str) -> bool:
    return name == "override.tf" or name.endswith("_override.tf")


def _override_block(module: ModuleDir, block: TfBlock, overridden: dict[tuple[str, int], str]) -> None:
    """Merge a block of an override file into the block it overrides, as Terraform does: its arguments
    replace the original's, its nested blocks replace all nested blocks of their type."""
    kind, labels = block.kind, block.labels
    index, key = None, None
    if kind == "resource" and len(labels) == 2:
        index, key = module.resources, f"{labels[0]}.{labels[1]}"
    elif kind == "data" and len(labels) == 2:
        index, key = module.resources, f"data.{labels[0]}.{labels[1]}"
    elif kind in ("module", "variable", "output") and len(labels) == 1:
        index, key = {"module": module.calls, "variable": module.variables, "output": module.outputs}[kind], labels[0]
    if kind == "locals":
        names = {label_text(i.children[0]) for i in body_items(block.body) if i.data == "attribute"}
        module.locals = [replace(b, body=_without(b.body, names, set())) for b in module.locals] + [block]
    elif index is not None and key in index:
        index[key] = replace(index[key], body=_merged_body(index[key].body, block.body))
        module.override_items.update((id(item), block.file) for item in body_items(block.body))
        if kind == "resource":
            overridden[(block.file, block.start_line)] = key
    elif index is not None or kind == "provider":
        _index_block(module, block)


def _merged_body(base: Any, override: Any) -> Any:
    attributes = {label_text(i.children[0]) for i in body_items(override) if i.data == "attribute"}
    blocks = {_nested_type(i) for i in body_items(override) if i.data == "block"}
    merged = _without(base, attributes, blocks)
    merged.children.extend(body_items(override))
    return merged


def _without(body: Any, attributes: set[str], blocks: set[str]) -> Any:
    from lark import Tree

    kept = [i for i in body_items(body)
            if not (i.data == "attribute" and label_text(i.children[0]) in attributes)
            and not (i.data == "block" and _nested_type(i) in blocks)]
    return Tree("body", kept, meta=body.meta)


def _nested_type(block: Any) -> str:
    """A nested block's type; a ``dynamic "replica"`` block is of type replica."""
    kind, labels, _ = block_parts(block)
    return labels[0] if kind == "dynamic" and labels else kind


def _refuse_duplicate_locals(module: ModuleDir) -> None:
    first: dict[str, str] = {}
    for block in module.locals:
        for item in body_items(block.body):
            if item.data == "attribute":
                name = label_text(item.children[0])
                where = f"{block.file}:{item.meta.line}"
                if name in first:
                    raise InputError(f"{where}: local value \"{name}\" is defined twice (first at {first[name]})")
                first[name] = where


def _names(directory: Path) -> list[str]:
    try:
        return os.listdir(directory)
    except OSError:
        return []


def _index_block(module: ModuleDir, block: TfBlock) -> None:
    kind, labels = block.kind, block.labels
    if kind in ("resource", "data") and len(labels) == 2:
        key = f"{labels[0]}.{labels[1]}" if kind == "resource" else f"data.{labels[0]}.{labels[1]}"
        _declare(module.resources, key, block, f'{kind} "{labels[0]}" "{labels[1]}"')
    elif kind == "module" and len(labels) == 1:
        _declare(module.calls, labels[0], block, f'module "{labels[0]}"')
    elif kind == "variable" and len(labels) == 1:
        _declare(module.variables, labels[0], block, f'variable "{labels[0]}"')
    elif kind == "output" and len(labels) == 1:
        _declare(module.outputs, labels[0], block, f'output "{labels[0]}"')
    elif kind == "locals":
        module.locals.append(block)
    elif kind == "provider" and labels:
        module.providers.append(block)


def _declare(index: dict[str, TfBlock], key: str, block: TfBlock, what: str) -> None:
    first = index.get(key)
    if first is not None:
        raise InputError(f"{block.file}:{block.start_line}: duplicate {what} (first declared at "
                         f"{first.file}:{first.start_line})")
    index[key] = block


def display_path(base: str, name: str) -> str:
    """``base/name`` normalised (``a/./b/../c`` -> ``a/c``), as locations show it."""
    joined = os.path.normpath(os.path.join(base, name)) if base else os.path.normpath(name)
    return joined.replace(os.sep, "/")


def module_tree(root: Path, shown: str, call_sources: Mapping[tuple[str, ...], str] | None = None,
                strict: bool = True, cache: dict[str, ModuleDir] | None = None) -> dict[tuple[str, ...], ModuleDir]:
    """The root module and every local child module it calls (recursively), by module path.

    A call's source comes from ``call_sources`` (a plan's ``module_calls``) where
    given, else from the ``module`` block. Only local sources (``./``, ``../``)
    are followed: registry and git modules are not in the repository. A module
    that calls a directory it is itself inside of is a cycle (an InputError, as
    Terraform would refuse it). ``strict`` makes a missing local module
    directory an error; else it is left out. ``cache`` (real path -> ModuleDir)
    lets several roots share the modules they call.
    """
    cache = {} if cache is None else cache
    tree: dict[tuple[str, ...], ModuleDir] = {}
    stack = [((), root, shown, (_real(root),))]
    while stack:
        path, directory, where, ancestors = stack.pop()
        real = _real(directory)
        if real not in cache:
            cache[real] = read_module_dir(directory, where)
        module = tree[path] = cache[real]
        for name, call in sorted(module.calls.items(), reverse=True):
            source = (call_sources or {}).get(path + (name,)) or call_source(call)
            if not source or not source.startswith(LOCAL_SOURCE):
                continue
            child = directory / source
            child_real = _real(child)
            if child_real in ancestors or len(ancestors) >= MAX_MODULE_DEPTH:
                raise InputError(f"{call.file}:{call.start_line}: module \"{name}\" (source {source!r}) calls a "
                                 "module that calls it back: a module cycle")
            if not child.is_dir() or not tf_files(child):
                if strict:
                    raise InputError(f"{call.file}:{call.start_line}: module \"{name}\": no .tf files in {source!r}")
                continue
            stack.append((path + (name,), child, display_path(where, source), ancestors + (child_real,)))
    return tree


def call_source(call: TfBlock) -> str | None:
    """A module block's ``source``, when it is a plain string (Terraform allows no other)."""
    for item in body_items(call.body):
        if item.data == "attribute":
            name, expr = attribute_parts(item)
            if name == "source":
                return literal_string(expr)
    return None


def _real(path: Path) -> str:
    return os.path.realpath(path)


# ---------------------------------------------------------------------- plans: their .tf sources
def attach_tf_sources(model: Model, doc: Any, source_dir: str | None = None) -> Model:
    """Point each resource of a plan at the .tf block that declares it, with its inline suppressions, and
    read there what the plan cannot say: the policies it knows only after apply, in part
    (``Resource.partial_json``), and what its dynamic blocks and for_each elements hold and refer to
    (see hcl.complete_plan_from_tf).

    Candidates: ``source_dir`` if given, else the plan file's directory, then
    the current directory; the one whose module tree declares most of the
    plan's resources is used (the first, on a tie). Where a resource's block is
    not found (a registry module, a stale tree), its location stays in the plan
    file.
    """
    if model.input_kind != "plan" or not model.resources:
        return model
    calls = plan_call_sources(doc)
    warnings = list(model.warnings)
    best, best_count = None, 0
    for directory, shown in _candidates(model.input_file, source_dir):
        try:
            tree = module_tree(directory, shown, calls, strict=False)
        except InputError as exc:
            warnings.append(f"{exc} (the plan's findings stay located in the plan file)")
            continue
        count = sum(1 for r in model.resources if _block_of(tree, r.address))
        if count > best_count:
            best, best_count = tree, count
        if count == len(model.resources):
            break  # every resource found: no need to read the next candidate
    if best is None:
        if source_dir is not None:
            warnings.append(f"{source_dir}: no .tf file there declares a resource of {model.input_file}; "
                            "locations stay in the plan file")
        return replace(model, warnings=tuple(warnings))
    from dynalint.load.hcl import complete_plan_from_tf, plan_evaluator  # the .tf evaluator, for what the plan cannot say
    from dynalint.load.locate import PathLocator

    variables = doc.get("variables") if isinstance(doc, dict) else None
    resources, secrets, more = complete_plan_from_tf(tuple(_located(best, r) for r in model.resources), best, doc)
    modules = _unique_modules(best)
    warnings += [w for m in modules for w in m.warnings] + more
    return replace(model, resources=resources, orphan_ignores=tuple(i for m in modules for i in m.orphan_ignores),
                   warnings=tuple(warnings), secrets=model.secrets | secrets,
                   path_locator=PathLocator(best, lambda: plan_evaluator(best, variables)))


def _candidates(input_file: str, source_dir: str | None) -> list[tuple[Path, str]]:
    if source_dir is not None:
        return [(Path(source_dir), display_path("", source_dir))]
    out = []
    if input_file != "-":
        parent = os.path.dirname(input_file)
        out.append((Path(parent or "."), display_path("", parent) if parent else ""))
    if not out or _real(out[0][0]) != _real(Path(".")):
        out.append((Path("."), ""))
    return [(d, s if s != "." else "") for d, s in out if tf_files(d)]


def plan_call_sources(doc: Any) -> dict[tuple[str, ...], str]:
    """Module path -> the ``source`` of its call, from a plan's ``configuration.module_calls``."""
    out: dict[tuple[str, ...], str] = {}
    config = doc.get("configuration") if isinstance(doc, dict) else None
    stack = [((), config.get("root_module") if isinstance(config, dict) else None)]
    while stack:
        path, module = stack.pop()
        calls = module.get("module_calls") if isinstance(module, dict) else None
        for name, call in (calls or {}).items() if isinstance(calls, dict) else ():
            if isinstance(call, dict):
                if isinstance(call.get("source"), str):
                    out[path + (name,)] = call["source"]
                stack.append((path + (name,), call.get("module")))
    return out


def _block_of(tree: dict[tuple[str, ...], ModuleDir], address: str) -> tuple[ModuleDir, str] | None:
    try:
        module_address, local = split_address(address)
    except ValueError:
        return None
    module = tree.get(addr.module_path(module_address))
    if module is None or local not in module.resources:
        return None
    return module, local


def split_address(address: str) -> tuple[str, str]:
    """``module.a["x"].aws_t.n[0]`` -> ('module.a["x"]', "aws_t.n"): module instance and block address."""
    parts = addr.steps(address)
    cut = 0
    while cut + 1 < len(parts) and parts[cut][0] == "module":
        cut += 2
    module_address = ".".join(f"{n}{i}" for n, i in parts[:cut])
    local = ".".join(n for n, _ in parts[cut:])
    return module_address, local


def _located(tree: dict[tuple[str, ...], ModuleDir], resource: Any) -> Any:
    from dynalint.load.lifecycle import lifecycle_of  # the plan's configuration does not carry lifecycle

    found = _block_of(tree, resource.address)
    if found is None:
        return resource
    module, local = found
    block = module.resources[local]
    return replace(resource, source=block.source, ignores=module.ignores.get(local, ()), lifecycle=lifecycle_of(block))


def _unique_modules(tree: dict[tuple[str, ...], ModuleDir]) -> list[ModuleDir]:
    seen: dict[int, ModuleDir] = {}
    for module in tree.values():
        seen.setdefault(id(module), module)
    return list(seen.values())

"""A finding's declared fix made concrete: the line operations on ``.tf`` files that carry it out, or why not.

The declared changes (dynalint.fix.declare) are applied to the resource's
block in the file the finding points at:

- a literal value is replaced in place; an absent argument is added after the
  last argument that precedes the nested blocks (where ``terraform fmt`` keeps
  arguments), with the indentation of its neighbours; a new block goes after
  the blocks of its type, else after the last block that is not ``lifecycle``
  (a ``lifecycle`` block goes last), with a blank line before it where the
  body separates its blocks so;
- ``var.NAME`` in a module is followed to the module call: a literal there is
  replaced, an argument the call leaves out (the variable's default applies)
  is added to the call;
- everything else is "no fix", with the reason: an expression, a ``dynamic``
  block, several blocks where one was meant, a block that carries a comment
  (removing it would remove the comment), an override file.

Nothing here writes: ``dynalint.fix.run`` composes the operations of the fixes
it applies (dynalint.fix.layout) and the workspace writes them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from dynalint import address as addr
from dynalint.errors import InputError
from dynalint.fix import layout
from dynalint.fix import source as hcl
from dynalint.fix.declare import AddBlock, Block, Extend, Fix, Ref, RemoveBlock, Set, render
from dynalint.fix.layout import Delete, Insert, NewLine, Replace
from dynalint.fix.source import SourceFile
from dynalint.load.hcl.module_tree import module_tree, split_address
from dynalint.load.hcl.paths import display_path, tf_files
from dynalint.load.hcl.syntax import label_text

#: Blocks Terraform's style puts last in a resource: new blocks of other types go before them.
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
UNIT = "  "


def _deeper(indent: str) -> str:
    return indent + _unit(indent)


def _unit(indent: str) -> str:
    """One more level of indentation: two spaces, as fmt writes it, or a tab where the file indents with tabs."""
    return "\t" if indent and set(indent) == {"\t"} else UNIT


@dataclass(frozen=True)
class FileOps:
    """The operations a fix makes on one file, and the structural keys two fixes must not share."""

    shown: str
    ops: tuple[Any, ...]
    keys: frozenset = frozenset()


@dataclass(frozen=True)
class Patch:
    """A fix made concrete. ``scope`` is (file, line) of the resource block and the module call path (without
    instance keys) whose instances the change reaches: () when the resource block itself is edited."""

    title: str
    safe: bool
    files: tuple[FileOps, ...]
    scope: tuple[str, int, tuple[str, ...]]

    @property
    def empty(self) -> bool:
        return not any(f.ops for f in self.files)


@dataclass(frozen=True)
class NoFix:
    """Why a finding whose rule declares a fix gets none."""

    reason: str


class _NoFix(Exception):
    pass


# ---------------------------------------------------------------------- places in the configuration
@dataclass(eq=False)
class _Existing:
    """A block written in a file."""

    file: SourceFile
    block: Any

    @property
    def body(self) -> Any:
        return hcl.body_of(self.block)


@dataclass(eq=False)
class _New:
    """A block the fix creates: its arguments and nested blocks, rendered when the fix is complete."""

    type: str
    attributes: list[tuple[str, str]] = field(default_factory=list)
    blocks: list[_New] = field(default_factory=list)

    def child(self, type_: str) -> _New:
        for block in self.blocks:
            if block.type == type_:
                return block
        block = _New(type_)
        self.blocks.append(block)
        return block

    def set(self, name: str, text: str) -> None:
        for existing, value in self.attributes:
            if existing == name:
                if value != text:
                    raise _NoFix(f"two changes of this fix set `{name}` differently")
                return
        self.attributes.append((name, text))

    def lines(self, indent: str) -> list[NewLine]:
        if not self.attributes and not self.blocks:
            return [NewLine(indent, text=f"{self.type} {{}}")]
        inner = indent + _unit(indent)
        out = [NewLine(indent, text=f"{self.type} {{")]
        out += [NewLine(inner, name, value) for name, value in self.attributes]
        for block in self.blocks:
            out += block.lines(inner)
        return out + [NewLine(indent, text="}")]


@dataclass(eq=False)
class _BodyEdit:
    """What a fix adds to one existing body: arguments, and new blocks."""

    place: _Existing
    attributes: list[tuple[str, str]] = field(default_factory=list)
    blocks: list[_New] = field(default_factory=list)


# ---------------------------------------------------------------------- the resolver
class Resolver:
    """Resolves the fixes of one model's findings against the files of a workspace."""

    def __init__(self, workspace: Any, model: Any) -> None:
        self.workspace = workspace
        self.model = model
        self._tree: Any = None
        self._overrides: dict[str, list[str]] = {}  # directory -> its override files, as shown

    def resolve(self, finding: Any) -> Patch | NoFix:
        fix: Fix = finding.fix
        source = finding.resource_location  # the resource block (finding.source may be the attribute in it)
        if source is None or source.kind != "tf":
            return NoFix("the finding is located in the plan file: dynalint fixes .tf sources it can locate")
        try:
            module_address, local = split_address(finding.address)
            labels = tuple(addr.strip_index(local).split("."))
        except ValueError:
            return NoFix("the resource's address cannot be read")
        file = self.workspace.file(source.file)
        block = file.find_block("resource", labels, source.start_line)
        if block is None:
            return NoFix(f"no resource block {'.'.join(labels)} at {source.file}:{source.start_line} any more")
        builder = _Builder(self, addr.module_path(module_address))
        try:
            self._refuse_overrides(source.file, labels)
            for change in fix.changes:
                builder.apply(change, _Existing(file, block))
            files = builder.finish()
        except _NoFix as exc:
            return NoFix(str(exc))
        scope = cast("tuple[str, ...]", builder.scope)  # finish() sets it
        return Patch(fix.title, fix.safe, files, (source.file, source.start_line, scope))

    def _refuse_overrides(self, shown: str, labels: tuple[str, ...]) -> None:
        for name in self._override_files(os.path.dirname(shown)):
            other = self.workspace.file(name)
            if other.find_block("resource", labels) is not None:
                raise _NoFix(f"{other.shown} overrides this resource")

    def _override_files(self, directory: str) -> list[str]:
        """The override files of a directory, as shown: listed once per directory (each fix asks, and a
        directory of a thousand files was listed again for each)."""
        if directory not in self._overrides:
            self._overrides[directory] = [
                display_path(directory, path.name)
                for path in tf_files(Path(directory or "."))
                if path.name == "override.tf" or path.name.endswith("_override.tf")
            ]
        return self._overrides[directory]

    def module_tree(self) -> dict:
        if self._tree is None:
            root = self._root()
            if root is None:
                raise _NoFix("the module call cannot be found: no resource of the root module is located in a .tf file")
            try:
                self._tree = module_tree(Path(root or "."), root, strict=False)
            except InputError as exc:
                raise _NoFix(f"the module tree cannot be read ({exc})") from None
        return self._tree

    def _root(self) -> str | None:
        """The root module's directory as locations show it ("" for the current directory)."""
        if self.model.input_kind == "hcl":
            return "" if self.model.input_file in (".", "") else self.model.input_file
        for resource in self.model.resources:
            if resource.source is not None and resource.source.kind == "tf" and not resource.module:
                return os.path.dirname(resource.source.file)
        return None


class _Builder:
    """Applies the changes of one fix, collecting operations per file."""

    def __init__(self, resolver: Resolver, module_path: tuple[str, ...]) -> None:
        self.resolver = resolver
        self.module_path = module_path
        self.ops: dict[str, list] = {}
        self.keys: dict[str, set] = {}
        self.bodies: dict[tuple[str, int], _BodyEdit] = {}
        self.scope: tuple[str, ...] | None = None

    # ------------------------------------------------------------------ changes
    def apply(self, change: Any, root: _Existing) -> None:
        place = self._navigate(root, change.path[:-1], create=not isinstance(change, RemoveBlock))
        last = change.path[-1]
        if isinstance(change, Set):
            self._set(place, last, change.value)
        elif isinstance(change, Extend):
            self._extend(place, last, change.items)
        elif isinstance(change, AddBlock):
            new = _New(last, [(k, render(v)) for k, v in change.body])
            if isinstance(place, _New):
                place.blocks.append(new)
            else:
                self._body(place).blocks.append(new)
        elif isinstance(change, RemoveBlock):
            self._remove(place, last)

    def _navigate(self, place: Any, steps: tuple, create: bool) -> Any:
        for step in steps:
            if isinstance(place, _New):
                if isinstance(step, Block):
                    raise _NoFix(f"no `{step.type}` block to change")
                place = place.child(step)
                continue
            type_ = step.type if isinstance(step, Block) else step
            body_items = hcl.items(place.body)
            if any(i.data == "attribute" and label_text(i.children[0]) == type_ for i in body_items):
                raise _NoFix(f"`{type_}` is written as an argument here, not as a block")
            written = [i for i in body_items if i.data == "block" and hcl.block_type(i) == type_]
            dynamic = any(i.data == "block" and hcl.dynamic_type(i) == type_ for i in body_items)
            if isinstance(step, Block):
                matches = [b for b in written if _matches(b, step)]
                if len(matches) == 1:
                    place = _Existing(place.file, matches[0])
                    continue
                if dynamic:
                    raise _NoFix(f"the `{type_}` blocks come from a dynamic block")
                raise _NoFix(f"no single `{step}` block is written in the configuration")
            if dynamic:
                raise _NoFix(f"the `{type_}` block comes from a dynamic block")
            if len(written) > 1:
                raise _NoFix(f"there are {len(written)} `{type_}` blocks")
            if written:
                place = _Existing(place.file, written[0])
            elif create:
                edit = self._body(place)
                found = next((b for b in edit.blocks if b.type == type_), None)
                place = found or _New(type_)
                if found is None:
                    edit.blocks.append(place)
            else:
                raise _NoFix(f"there is no `{type_}` block")
        return place

    def _set(self, place: Any, name: str, value: Any) -> None:
        text = render(value)
        if isinstance(place, _New):
            place.set(name, text)
            return
        found = hcl.attribute(place.body, name)
        if found is None:
            self._add_attribute(place, name, text, ())
        else:
            self._assign(place.file, found, name, value, self.module_path, ())

    def _assign(
        self,
        file: SourceFile,
        attribute: Any,
        name: str,
        value: Any,
        module_path: tuple[str, ...],
        reach: tuple[str, ...],
    ) -> None:
        """Set an argument written in the module at ``module_path``; ``reach``: the module call whose
        instances share it (() for the resource block itself)."""
        expr = hcl.expression(attribute)
        current = hcl.literal(expr)
        if hcl.is_literal(current):
            self._reach(reach)
            if _same(current, value):
                return
            start, end = hcl.span(expr)
            if "\n" in file.text[start:end]:
                raise _NoFix(f"`{name}` is written over several lines")
            self._op(file, Replace(start, end, render(value)), ("value", start))
            return
        variable = hcl.variable_name(expr)
        if variable is not None and module_path:
            self._follow(variable, value, module_path)
            return
        shown = " ".join(file.text[slice(*hcl.span(expr))].split())
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        where = "a variable of the root module (set its value in your .tfvars)" if variable else "an expression"
        raise _NoFix(f"`{name}` is set by {where}: `{shown}`; dynalint does not overwrite expressions")

    def _follow(self, variable: str, value: Any, module_path: tuple[str, ...]) -> None:
        """``var.NAME`` in the module at ``module_path``: change the literal its module call passes."""
        tree = self.resolver.module_tree()
        caller, callee = tree.get(module_path[:-1]), tree.get(module_path)
        call = caller.calls.get(module_path[-1]) if caller is not None else None
        if call is None or callee is None:
            raise _NoFix(f'the call of module "{module_path[-1]}" is not in this tree')
        file = self.resolver.workspace.file(call.file)
        block = file.find_block("module", (module_path[-1],), call.start_line)
        if block is None:
            raise _NoFix(f'the call of module "{module_path[-1]}" is not at {call.file}:{call.start_line} any more')
        place = _Existing(file, block)
        found = hcl.attribute(place.body, variable)
        if found is not None:
            self._assign(file, found, variable, value, module_path[:-1], module_path)
            return
        declared = callee.variables.get(variable)
        if declared is None or hcl.attribute(declared.body, "default") is None:
            raise _NoFix(f'variable "{variable}" has no default and module "{module_path[-1]}" does not set it')
        self._add_attribute(place, variable, render(value), module_path)

    def _extend(self, place: Any, name: str, items: tuple) -> None:
        if isinstance(place, _New):
            place.set(name, render(list(items)))
            return
        found = hcl.attribute(place.body, name)
        if found is None:
            self._add_attribute(place, name, render(list(items)), ())
            return
        file = place.file
        node = hcl.as_tuple(hcl.expression(found))
        if node is None:
            raise _NoFix(f"`{name}` is not written as a list")
        elements = hcl.tuple_elements(node)
        have = [_element_key(e) for e in elements]
        if any(k is None for k in have):
            raise _NoFix(f"`{name}` holds expressions")
        missing = [i for i in items if _item_key(i) not in have]
        self._reach(())
        if not missing:
            return
        opening, closing = node.children[0], node.children[-1]
        trailing_comma = (
            any(getattr(c, "type", None) == "COMMA" and c.start_pos >= hcl.span(elements[-1])[1] for c in node.children)
            if elements
            else False
        )
        if file.line_at(opening.start_pos).start == file.line_at(closing.start_pos).start:
            if trailing_comma:
                raise _NoFix(f"`{name}` ends with a comma on one line")
            at = hcl.span(elements[-1])[1] if elements else opening.end_pos
            text = (", " if elements else "") + ", ".join(render(i) for i in missing)
            self._op(file, Replace(at, at, text), ("list", opening.start_pos))
            return
        if not file.only_thing_on_its_lines(closing.start_pos, closing.end_pos) and file.text[
            file.line_at(closing.start_pos).start : closing.start_pos
        ].strip(" \t"):
            raise _NoFix(f"the closing bracket of `{name}` shares its line")
        ops: list[Replace | Insert] = []
        if elements and not trailing_comma:
            end = hcl.span(elements[-1])[1]
            ops.append(Replace(end, end, ","))
        indent = file.indent_of(hcl.span(elements[-1])[0]) if elements else _deeper(file.indent_of(closing.start_pos))
        ops.append(
            Insert(file.line_at(closing.start_pos).start, tuple(NewLine(indent, text=render(i) + ",") for i in missing))
        )
        for op in ops:
            self._op(file, op, ("list", opening.start_pos))

    def _remove(self, place: Any, last: Any) -> None:
        if isinstance(place, _New):
            raise _NoFix("there is no block to remove")
        type_ = last.type if isinstance(last, Block) else last
        written = [i for i in hcl.items(place.body) if i.data == "block" and hcl.block_type(i) == type_]
        matches = [b for b in written if _matches(b, last)] if isinstance(last, Block) else written
        if len(matches) != 1:
            raise _NoFix(f"no single `{last}` block is written in the configuration")
        file = place.file
        start, end = hcl.span(matches[0])
        if not file.only_thing_on_its_lines(start, end):
            raise _NoFix(f"the `{type_}` block shares a line with something else")
        first = file.line_at(start)
        previous = file.line_at(first.start - 1) if first.start else None
        if file.comments_within(start, end) or (previous is not None and _comment_only(previous)):
            raise _NoFix(f"a comment belongs to the `{type_}` block; remove it by hand")
        cut_start, cut_end = first.start, file.next_line_start(end - 1)
        if cut_end is None:
            raise _NoFix(f"the `{type_}` block ends the file")
        following = file.line_at(cut_end)
        blank_before = previous is not None and _blank(file, previous)
        closes = file.text[following.start : following.end].strip() == "}"
        if previous is not None and blank_before and (_blank(file, following) or closes):
            cut_start = previous.start
        elif (
            previous is not None
            and file.text[previous.start : previous.end].rstrip().endswith("{")
            and _blank(file, following)
        ):
            cut_end = following.end + 1
        self._op(file, Delete(cut_start, cut_end), ("remove", cut_start))
        self._reach(())

    # ------------------------------------------------------------------ bodies
    def _body(self, place: _Existing) -> _BodyEdit:
        key = (place.file.shown, hcl.braces(place.block)[0].start_pos)
        if key not in self.bodies:
            self.bodies[key] = _BodyEdit(place)
        return self.bodies[key]

    def _add_attribute(self, place: _Existing, name: str, text: str, reach: tuple[str, ...]) -> None:
        edit = self._body(place)
        if any(existing == name for existing, _ in edit.attributes):
            raise _NoFix(f"two changes of this fix set `{name}`")
        edit.attributes.append((name, text))
        self._reach(reach)

    def _reach(self, reach: tuple[str, ...]) -> None:
        """Record that the fix edits what every instance under the module call ``reach`` shares (() for the
        resource block: every instance of it)."""
        if self.scope is None or len(reach) < len(self.scope):
            self.scope = reach

    def _op(self, file: SourceFile, op: Any, key: tuple) -> None:
        self.ops.setdefault(file.shown, []).append(op)
        self.keys.setdefault(file.shown, set()).add(key)

    def finish(self) -> tuple[FileOps, ...]:
        for edit in self.bodies.values():
            self._emit(edit)
        if self.scope is None:
            self.scope = ()
        return tuple(
            FileOps(shown, tuple(ops), frozenset(self.keys.get(shown, ()))) for shown, ops in sorted(self.ops.items())
        )

    def _emit(self, edit: _BodyEdit) -> None:
        file, block = edit.place.file, edit.place.block
        opening, closing = hcl.braces(block)
        body_key = opening.start_pos
        keys: list[tuple] = [("attribute", body_key, n) for n, _ in edit.attributes]
        keys += [("block", body_key, b.type, tuple(b.attributes)) for b in edit.blocks]
        for key in keys:
            self.keys.setdefault(file.shown, set()).add(key)
        if file.line_at(opening.start_pos).start == file.line_at(closing.start_pos).start:
            self._expand(edit)
            return
        if file.text[file.line_at(closing.start_pos).start : closing.start_pos].strip(" \t"):
            raise _NoFix("the block's closing brace shares its line with an argument")
        written = hcl.items(edit.place.body)
        if edit.attributes:
            at, indent = self._attribute_place(file, written, closing)
            self._op(file, Insert(at, tuple(NewLine(indent, n, v) for n, v in edit.attributes)), ("insert", at))
        for new in edit.blocks:
            at, indent, blank = self._block_place(file, written, closing, new.type)
            lines = ([NewLine("")] if blank else []) + new.lines(indent)
            self._op(file, Insert(at, tuple(lines)), ("insert", at))

    def _attribute_place(self, file: SourceFile, written: list, closing: Any) -> tuple[int, str]:
        first_block = next((k for k, i in enumerate(written) if i.data == "block"), len(written))
        before = [i for i in written[:first_block] if i.data == "attribute"]
        anchor = before[-1] if before else None
        if anchor is None and first_block == len(written) and written:
            anchor = written[-1]
        if anchor is not None:
            return self._after(file, anchor), file.indent_of(hcl.span(anchor)[0])
        if written:
            start = hcl.span(written[0])[0]
            return file.line_at(start).start, file.indent_of(start)
        return file.line_at(closing.start_pos).start, _deeper(file.indent_of(closing.start_pos))

    def _block_place(self, file: SourceFile, written: list, closing: Any, type_: str) -> tuple[int, str, bool]:
        blocks = [i for i in written if i.data == "block"]
        same = [b for b in blocks if type_ in (hcl.block_type(b), hcl.dynamic_type(b))]
        ordinary = [
            b for b in blocks if hcl.block_type(b) not in META_BLOCKS and hcl.dynamic_type(b) not in META_BLOCKS
        ]
        anchor = None
        if same:
            anchor = same[-1]
        elif type_ not in META_BLOCKS and ordinary:
            anchor = ordinary[-1]
        elif type_ in META_BLOCKS or not any(b not in ordinary for b in blocks):
            anchor = written[-1] if written else None
        else:
            first_meta = next(b for b in blocks if b not in ordinary)
            earlier = written[: written.index(first_meta)]
            if not earlier:
                start = hcl.span(first_meta)[0]
                return file.line_at(start).start, file.indent_of(start), False
            anchor = earlier[-1]
        if anchor is None:
            return file.line_at(closing.start_pos).start, _deeper(file.indent_of(closing.start_pos)), False
        return self._after(file, anchor), file.indent_of(hcl.span(anchor)[0]), self._blank_before(file, written, anchor)

    def _blank_before(self, file: SourceFile, written: list, anchor: Any) -> bool:
        """Whether a new block after ``anchor`` gets a blank line before it, as the configuration does it:
        between two blocks where the anchor follows a block, else where an item of the anchor's kind is followed
        by a block in this body, then in the file, else before the anchor; a blank line when nothing tells."""
        index = written.index(anchor)
        if anchor.data == "block" and index > 0 and written[index - 1].data == "block":
            return _gap_has_blank(file, written[index - 1], anchor)
        for previous, following in zip(written, written[1:], strict=False):
            if previous.data == anchor.data and following.data == "block":
                return _gap_has_blank(file, previous, following)
        elsewhere = file.first_adjacent(anchor.data, "block")  # this body has none: the file's first
        if elsewhere is not None:
            return _gap_has_blank(file, *elsewhere)
        return _gap_has_blank(file, written[index - 1], anchor) if index > 0 else True

    def _after(self, file: SourceFile, item: Any) -> int:
        end = hcl.span(item)[1]
        at = file.next_line_start(end - 1)
        if at is None:
            raise _NoFix("the block ends the file")
        line = file.line_at(end - 1)
        rest = file.text[end : line.end]
        if rest.strip(" \t\r") and not rest.lstrip(" \t").startswith(("#", "//")):
            raise _NoFix("something follows the last argument on its line")
        return at

    def _expand(self, edit: _BodyEdit) -> None:
        """A block written on one line (``replica { region_name = "x" }``) written out over several lines."""
        file, block = edit.place.file, edit.place.block
        opening, closing = hcl.braces(block)
        line = file.line_at(opening.start_pos)
        start = hcl.span(block)[0]
        if not file.only_thing_on_its_lines(start, closing.end_pos):
            raise _NoFix("the one-line block shares its line with something else")
        written = hcl.items(edit.place.body)
        if any(i.data != "attribute" for i in written) or file.comments_within(start, closing.end_pos):
            raise _NoFix("the one-line block holds more than one argument")
        indent = file.indent_of(start)
        inner = _deeper(indent)
        lines = [NewLine(indent, text=file.text[start : opening.end_pos])]
        for item in written:
            expr = hcl.expression(item)
            lines.append(NewLine(inner, label_text(item.children[0]), file.text[slice(*hcl.span(expr))]))
        lines += [NewLine(inner, n, v) for n, v in edit.attributes]
        for new in edit.blocks:
            lines += new.lines(inner)
        lines.append(NewLine(indent, text="}"))
        end = file.next_line_start(line.start)
        if end is None:
            raise _NoFix("the block ends the file")
        self._op(file, Delete(line.start, end), ("expand", line.start))
        self._op(file, Insert(line.start, tuple(lines)), ("expand", line.start))


# ---------------------------------------------------------------------- helpers
def _matches(block: Any, step: Any) -> bool:
    if not isinstance(step, Block):
        return True
    body = hcl.body_of(block)
    for key, wanted in step.match:
        found = hcl.attribute(body, key)
        if found is None or not _same(hcl.literal(hcl.expression(found)), wanted):
            return False
    return True


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(wanted, Ref):
        return False
    if isinstance(wanted, (list, tuple)):
        return (
            isinstance(current, tuple)
            and len(current) == len(wanted)
            and all(_same(c, w) for c, w in zip(current, wanted, strict=False))
        )
    return type(current) is type(wanted) and current == wanted


def _element_key(element: Any) -> str | None:
    value = hcl.literal(element)
    if isinstance(value, str):
        return value
    return hcl.reference_text(element)


def _item_key(item: Any) -> str:
    return item.text if isinstance(item, Ref) else item if isinstance(item, str) else render(item)


def _blank(file: SourceFile, line: layout.Line) -> bool:
    return file.text[line.start : line.end].strip(" \t\r") == ""


def _comment_only(line: layout.Line) -> bool:
    return bool(line.tokens) and all(layout.is_comment(t) for t in line.tokens)


def _gap_has_blank(file: SourceFile, before: Any, after: Any) -> bool:
    gap = file.text[hcl.span(before)[1] : hcl.span(after)[0]]
    lines = gap.split("\n")
    return any(part.strip(" \t\r") == "" for part in lines[1:-1])

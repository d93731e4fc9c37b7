"""The evaluation budget: what evaluating a configuration may build and walk, so that a few kilobytes of
crafted ``.tf`` cannot take the machine; past a bound the input is refused (``TooLarge``: exit 2, file:line)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dynalint.errors import InputError

# The evaluation budget (issue 14): a kilobyte of .tf can double a list forty times. A value built by an
# expression holds at most MAX_VALUE_CELLS characters and elements (a part used twice counts twice, as it would
# once written out), a number at most MAX_INT_BITS bits, and one evaluation spends at most MAX_WORK_CELLS on
# what it builds and iterates (an iteration of a `for`, or an instance, costs ITERATION_CELLS: about 6 µs,
# where a cell built costs well under one). A large real configuration (thousands of instances, each with a
# policy document) spends a few tens of millions. Past a bound the input is refused (exit 2 with file:line).
MAX_VALUE_CELLS = 4 * 1024 * 1024
MAX_WORK_CELLS = 128 * 1024 * 1024
ITERATION_CELLS = 64
MAX_INT_BITS = 64 * 1024


class TooLarge(InputError):
    """An expression that builds more than the evaluation budget allows; the message names its file and line."""

    def __init__(self, where: str, line: int | None, what: str) -> None:
        self.line, self.what = line, what
        place = ":".join(str(p) for p in (where, line) if p)
        super().__init__(f"{place + ': ' if place else ''}this expression {what}: too large for dynalint to evaluate")


def cells(value: Any, limit: int = MAX_VALUE_CELLS) -> int:
    """The characters and elements of a value as written out: a part used twice counts twice, yet is walked
    once. Stops counting past ``limit``."""
    if isinstance(value, str):
        return len(value)
    if not isinstance(value, (list, dict)):
        return 1
    sizes: dict[int, int] = {}
    stack = [value]
    while stack:
        node = stack[-1]
        if id(node) in sizes:
            stack.pop()
            continue
        children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
        pending = [c for c in children if isinstance(c, (list, dict)) and id(c) not in sizes]
        if pending:  # sized first; this node is looked at again after them
            stack.extend(pending)
            continue
        total = len(node)
        for child in children:
            if isinstance(child, str):
                total += len(child)
            elif isinstance(child, (list, dict)):
                total += sizes[id(child)]
            else:
                total += 1
        sizes[id(node)] = total
        stack.pop()
        if total > limit:
            return total
    return sizes[id(value)]


#: Steps ReferenceTracer may take in one load: enough for every public module tried (a few thousand), and a
#: bound on what a crafted tree can cost (locals that fork in two at each level would take 2**depth steps).
TRACE_BUDGET = 100_000


class Budget:
    """What one evaluation has built and walked so far (``work``), against the bounds above. Past one,
    ``TooLarge`` names the file and line of the expression, looked for in ``tree`` (the module tree) then."""

    def __init__(self, tree: Mapping[tuple[str, ...], Any]) -> None:
        self.tree = tree
        self.work = 0  # characters, elements and iterations built so far (MAX_WORK_CELLS)

    def spend(self, node: Any, amount: int, what: str = "builds") -> None:
        """Count ``amount`` cells built (or iterations, ``what="iterates"``) against the budget."""
        self.work += amount
        if what == "builds" and amount > MAX_VALUE_CELLS:
            problem = (
                f"builds a value of more than {MAX_VALUE_CELLS:,} characters and elements (or a number of "
                f"more than {MAX_INT_BITS:,} bits)"
            )
        elif self.work > MAX_WORK_CELLS:
            problem = (
                f"{what} past the budget of the whole configuration ({MAX_WORK_CELLS:,} characters and "
                f"elements built, an iteration counting {ITERATION_CELLS})"
            )
        else:
            return
        raise TooLarge(self.file_of(node), getattr(getattr(node, "meta", None), "line", None), problem)

    def built(self, node: Any, value: Any) -> Any:
        """``value``, counted against the budget."""
        too_long = isinstance(value, int) and value.bit_length() > MAX_INT_BITS
        self.spend(node, MAX_VALUE_CELLS + 1 if too_long else cells(value))
        return value

    def file_of(self, node: Any) -> str:
        """The .tf file that holds an expression (looked for only when the budget is exceeded)."""
        for module in self.tree.values():
            for file in module.files:
                for block in file.blocks:
                    if any(part is node for part in getattr(block.body, "iter_subtrees", lambda: ())()):
                        return block.file
        return ""

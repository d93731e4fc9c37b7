"""A rule's examples: complete Terraform that the rule reports, and the same fixed.

They live in ``examples/<ID>/`` beside the module that defines the rule
(``rules/examples/DDB101/`` for the built-in pack, installed with it)::

    bad/main.tf     a configuration the rule reports: `dynalint bad/` shows it
    good/main.tf    the same configuration fixed: dynalint reports nothing at all
    expected.yaml   what dynalint reports on bad/: rule, address, attribute path and line;
                    a finding of another rule says ``because:`` the violation implies it
    bad/.dynalint.yaml, good/.dynalint.yaml
                    settings-file rules only (DL004): the settings `dynalint` finds there
    before/main.tf  change rules only: what is deployed. bad/ and good/ are planned against
                    it with real terraform (scripts/terraform_plans.py), and their plans,
                    bad/plan.json and good/plan.json, are what is linted.

The files are the one source of the rule's "Example" and "Use instead"
sections: ``documentation()`` puts them into the help (docs/rules/,
``dynalint explain``, SARIF), after any prose those sections of the docstring
keep. dynalint.example_checks checks them (tests/test_rule_examples.py,
scripts/rule_examples.py).
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

if TYPE_CHECKING:
    from dynalint.rule import Rule

EXPECTED = "expected.yaml"
PLAN_DIGESTS = "plan.sha256"  # beside a planned side's plan.json: what it was made of
SIDES = ("bad", "good")
SETTINGS = ".dynalint.yaml"  # beside a side's main.tf: the settings file `dynalint` finds there
# Where the examples' sections go when the docstring has none: before the first section that
# comes after them in this order (Definition: what explain adds to a YAML rule).
_ORDER = (
    "What it checks",
    "Why it matters",
    "Known limits",
    "Example",
    "Use instead",
    "Fix",
    "Options",
    "References",
    "Definition",
)


@dataclass(frozen=True)
class Expected:
    """One finding expected on the bad example."""

    rule: str
    address: str
    line: int | None  # in bad/main.tf; None where the finding points into the plan (a resource bad/ removes)
    path: str | None = None
    because: str | None = None  # why another rule fires too (required for any rule but the example's own)

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.rule, self.address, self.path)


@dataclass(frozen=True)
class Examples:
    rule_id: str
    directory: Path
    bad: str
    good: str
    before: str | None = None  # what is deployed, for a change rule
    bad_settings: str | None = None  # the sides' .dynalint.yaml, for a rule about the settings file
    good_settings: str | None = None

    @cached_property
    def expected(self) -> tuple[Expected, ...]:
        return read_expected(self.directory / EXPECTED)

    @cached_property
    def also(self) -> tuple[Expected, ...]:
        """Findings of other rules the bad example gets, with why (read without parsing YAML where
        there are none: documentation is made on every SARIF run)."""
        path = self.directory / EXPECTED
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        if not any("because" in line for line in lines if not line.lstrip().startswith("#")):
            return ()
        return tuple(e for e in self.expected if e.rule != self.rule_id and e.because)

    @property
    def planned(self) -> bool:
        """bad/ and good/ are planned against before/: their plan JSON is what is linted."""
        return self.before is not None

    def side(self, name: str) -> Path:
        return self.directory / name


def load(rule: Rule) -> Examples | None:
    """The rule's examples, or None when its examples directory has none."""
    directory = rule.examples
    if directory is None or not (directory / "bad" / "main.tf").is_file():
        return None
    before = directory / "before" / "main.tf"
    settings = {side: directory / side / SETTINGS for side in SIDES}
    return Examples(
        rule_id=rule.id,
        directory=directory,
        bad=_read(directory / "bad" / "main.tf"),
        good=_read(directory / "good" / "main.tf"),
        before=_read(before) if before.is_file() else None,
        **{f"{side}_settings": _read(path) for side, path in settings.items() if path.is_file()},
    )


def no_example(rule: Rule) -> str | None:
    """Why a rule has no bad/good pair (``no_example:`` in its expected.yaml), or None. Only a rule that no
    configuration can show has one: DL000, which reports a rule with a bug."""
    import yaml

    path = rule.examples / EXPECTED if rule.examples is not None else None
    if path is None or not path.is_file() or (path.parent / "bad").is_dir():
        return None
    reason = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("no_example")
    return str(reason) if reason else None


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def read_expected(path: Path) -> tuple[Expected, ...]:
    import yaml

    if not path.is_file():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(
        Expected(
            rule=str(e["rule"]),
            address=str(e["address"]),
            line=e.get("line"),
            path=e.get("path"),
            because=e.get("because"),
        )
        for e in data.get("findings") or ()
    )


# ---------------------------------------------------------------- documentation
def documentation(rule: Rule, complete: bool = True) -> str:
    """The rule's help with its Example and Use instead sections made from its example files.

    Not ``complete`` (SARIF's help, written for every rule on every run): the fix as a diff, without
    the whole bad and good files, which would double the size of a SARIF file.
    """
    examples = load(rule)
    if examples is None:
        return rule.help
    sections = _sections(rule.help)
    example = _joined(_prose(sections, "Example"), example_markdown(examples) if complete else "")
    fix = _joined(_prose(sections, "Use instead"), fix_markdown(examples))
    if complete and not examples.planned and examples.bad != examples.good:
        fix += f"\n\nIn full (`good/main.tf`):\n\n{_fence('hcl', examples.good)}"
    return _with_sections(sections, {"Example": example, "Use instead": fix})


def sarif_help(rule: Rule) -> str:
    """``documentation(rule, complete=False)``, the help SARIF carries for each rule on every run. A built-in
    rule's comes from the store ``scripts/rule_docs.py`` writes beside its examples (``HELP_STORE``): made
    here, the texts of all the rules read and diff some two hundred example files, 12 ms of each run. A
    test keeps the store equal to what this module makes."""
    if rule.builtin and rule.examples is not None:
        text = _stored_help(rule.examples.parent).get(rule.id)
        if text is not None:
            return text
    return documentation(rule, complete=False)


HELP_STORE = "sarif-help.json"


@functools.cache
def _stored_help(examples: Path) -> dict[str, str]:
    try:
        stored = json.loads((examples / HELP_STORE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def help_store(rules: Sequence[Rule], examples: Path) -> str:
    """The store of SARIF help texts for the built-in rules whose examples are in ``examples``, as written."""
    texts = {
        r.id: documentation(r, complete=False)
        for r in rules
        if r.examples is not None and r.examples.parent == examples
    }
    return json.dumps(dict(sorted(texts.items())), indent=1, ensure_ascii=False) + "\n"


def how_to_fix(rule: Rule) -> str:
    """What the "Use instead" section says, without the complete fixed file (for a PR comment)."""
    examples = load(rule)
    sections = _sections(rule.help)
    if examples is None:
        return _prose(sections, "Use instead", keep_code=True)
    return _joined(_prose(sections, "Use instead"), fix_markdown(examples))


def example_markdown(examples: Examples) -> str:
    notes = "".join(
        # Examples.also keeps only the findings that say why
        f"\n\ndynalint also reports {e.rule} on `{e.address}`: {cast(str, e.because).rstrip('.')}."
        for e in examples.also
    )
    if examples.before is not None:  # examples.planned
        return (
            f"With this deployed (`before/main.tf`):\n\n{_fence('hcl', examples.before)}\n\n"
            f"this change (`bad/main.tf`) is reported:\n\n"
            f"{_fence('diff', _diff(examples.before, examples.bad, 'before', 'bad'))}{notes}"
        )
    if examples.bad_settings is not None:
        return (
            f"With this `.dynalint.yaml`:\n\n{_fence('yaml', examples.bad_settings)}\n\n"
            f"beside this `main.tf`:\n\n{_fence('hcl', examples.bad)}{notes}"
        )
    return f"{_fence('hcl', examples.bad)}{notes}"


def fix_markdown(examples: Examples) -> str:
    if examples.before is not None:  # examples.planned
        return _fence("diff", _diff(examples.before, examples.good, "before", "good"))
    fixes = []
    if examples.bad_settings != examples.good_settings:
        fixes.append(
            _fence("diff", _diff(examples.bad_settings or "", examples.good_settings or "", "bad", "good", SETTINGS))
        )
    if examples.bad != examples.good:
        fixes.append(_fence("diff", _diff(examples.bad, examples.good, "bad", "good")))
    return "\n\n".join(fixes)


def _diff(old: str, new: str, old_name: str, new_name: str, file: str = "main.tf") -> str:
    """A unified diff whose added or removed blocks are whole: ``point_in_time_recovery { ... }`` and its
    blank line, not ``}`` of the block above and the new block without its own ``}``."""
    a, b = old.splitlines(), new.splitlines()
    out = [f"--- {old_name}/{file}", f"+++ {new_name}/{file}"]
    for group in _Matcher(None, a, b, autojunk=False).get_grouped_opcodes(3):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@")
        for tag, i1, i2, j1, j2 in group:
            out += [" " + line for line in a[i1:i2]] if tag == "equal" else []
            out += ["-" + line for line in a[i1:i2]] if tag in ("replace", "delete") else []
            out += ["+" + line for line in b[j1:j2]] if tag in ("replace", "insert") else []
    return "\n".join(out)


def _range(start: int, stop: int) -> str:
    """A hunk's range as unified diffs write it (difflib's format)."""
    length = stop - start
    return f"{start + 1}" if length == 1 else f"{start + (length > 0)},{length}"


def _balanced(lines: Sequence[str]) -> bool:
    """Every brace the lines open they close, and none closes what they did not open: whole blocks."""
    depth = 0
    for line in lines:
        for char in line:
            depth += (char == "{") - (char == "}")
            if depth < 0:
                return False
    return depth == 0


class _Matcher(difflib.SequenceMatcher[str]):
    """Opcodes whose pure insertions and deletions slide to where they read as whole blocks."""

    a: Sequence[str]  # set by SequenceMatcher (typeshed does not declare them)
    b: Sequence[str]

    def get_opcodes(self) -> list[tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]]:
        codes = [list(c) for c in super().get_opcodes()]
        for n in range(1, len(codes) - 1):
            tag = codes[n][0]
            if tag in ("insert", "delete") and codes[n - 1][0] == codes[n + 1][0] == "equal":
                self._slide(
                    codes[n - 1],
                    codes[n],
                    codes[n + 1],
                    self.b if tag == "insert" else self.a,
                    3 if tag == "insert" else 1,
                )
        return [tuple(c) for c in codes if c[1] != c[2] or c[3] != c[4]]  # type: ignore[misc]

    @staticmethod
    def _slide(before: list, change: list, after: list, lines: Sequence[str], at: int) -> None:
        """Move ``change`` (rows ``lines[start:stop]``, ``at`` its start index in the opcode) up or down
        through equal rows around it, to the place where it holds whole blocks, then ends on a blank
        line (else starts on one), else where difflib put it."""
        start, stop = change[at], change[at + 1]
        low, high = start, start
        while low > before[at] and lines[low - 1] == lines[stop - (start - low) - 1]:
            low -= 1
        while high + (stop - start) < after[at + 1] and lines[high] == lines[high + (stop - start)]:
            high += 1

        def score(pos: int) -> tuple:
            block = lines[pos : pos + stop - start]
            return (_balanced(block), not block[-1].strip(), not block[0].strip(), -abs(pos - start))

        shift = max(range(low, high + 1), key=score) - start
        before[2] += shift  # the equal rows above end later (or earlier),
        before[4] += shift
        for index in (1, 2, 3, 4):  # the block moves,
            change[index] += shift
        after[1] += shift  # and the equal rows below start where it ends
        after[3] += shift


def _fence(language: str, text: str) -> str:
    return f"```{language}\n{text.rstrip()}\n```"


def _joined(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


_HEADING = re.compile(r"^## (.+?)\s*$")


def _sections(markdown: str) -> list[tuple[str | None, str]]:
    """(title, body) in order; the text before the first heading has the title None. Fenced code is
    not searched for headings."""
    out: list[tuple[str | None, list[str]]] = [(None, [])]
    fenced = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading:
            out.append((heading.group(1), []))
        else:
            out[-1][1].append(line)
    return [(title, "\n".join(body).strip()) for title, body in out]


def _prose(sections: Sequence[tuple[str | None, str]], title: str, keep_code: bool = False) -> str:
    """A section's text; without its code blocks unless ``keep_code`` (the files are their source)."""
    body = next((b for t, b in sections if t == title), "")
    if not keep_code:
        body = re.sub(r"^```.*?^```[ \t]*$", "", body, flags=re.S | re.M).strip()
    return body


def _with_sections(sections: list[tuple[str | None, str]], replacements: dict[str, str]) -> str:
    titles = [t for t, _ in sections]
    out = [(t, replacements.get(t, b)) if t in replacements else (t, b) for t, b in sections]
    for title, body in replacements.items():
        if title in titles:
            continue
        after = _ORDER[_ORDER.index(title) + 1 :]
        later = [i for i, (t, _) in enumerate(out) if t in after]
        out.insert(later[0] if later else len(out), (title, body))
    parts = [body if title is None else f"## {title}\n{body}" for title, body in out if title is None or body]
    return "\n\n".join(p for p in parts if p) + "\n"

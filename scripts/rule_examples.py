#!/usr/bin/env python3
"""Check the rules' examples (rules/examples/<ID>/, dynalint/examples/<ID>/), or rewrite their expected.yaml.

Each rule's bad example must get exactly the findings its expected.yaml lists, at
the lines it gives; the good example none (see dynalint/rule_examples.py and dynalint/example_checks.py).

    python scripts/rule_examples.py                 # check every rule's examples
    python scripts/rule_examples.py --update        # rewrite every expected.yaml from today's findings
    python scripts/rule_examples.py --update DDB101 DDB3

--update keeps the `because:` of findings already listed and prints what changed;
a new finding of another rule is written without one, and the check then fails
until someone writes why it comes with the rule's own. Change rules lint the plan
JSON beside their examples: regenerate it first with scripts/terraform_plans.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dynalint import engine, example_checks, rule_examples  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rules", nargs="*", metavar="ID", help="rule ids or prefixes (default: all)")
    parser.add_argument("--update", action="store_true", help="rewrite expected.yaml from today's findings")
    args = parser.parse_args(argv)
    registry = engine.builtin_registry()
    chosen = engine.select(registry.sorted(), args.rules)
    failed = 0
    for rule in chosen:
        problems = _problems(rule, registry, args.update)
        for problem in problems:
            print(f"{rule.id}: {problem}", file=sys.stderr)
        failed += bool(problems)
    print(f"{len(chosen) - failed} of {len(chosen)} rules' examples agree with their expected.yaml")
    return 1 if failed else 0


def _problems(rule, registry, update: bool) -> list[str]:
    examples = rule_examples.load(rule)
    if examples is None:
        return [] if rule_examples.no_example(rule) else [f"no examples in {rule.examples}"]
    if examples.planned:  # its plans must be today's: regenerate them first (scripts/terraform_plans.py)
        stale = [example_checks.stale_plan(examples, side) for side in rule_examples.SIDES]
        if any(stale):
            return [p for p in stale if p]
    bad = example_checks.lint(examples, "bad", registry)
    good = example_checks.lint(examples, "good", registry)
    problems = example_checks.compare(examples, bad)
    if update and problems:
        (examples.directory / rule_examples.EXPECTED).write_text(
            example_checks.expected_text(examples, bad), encoding="utf-8"
        )
        print(f"{rule.id}: rewrote {rule_examples.EXPECTED}: " + "; ".join(problems))
        problems = example_checks.compare(rule_examples.load(rule), bad)
    return problems + [f"good: unexpected {f.rule_id} on {f.address}" for f in good]


if __name__ == "__main__":
    sys.exit(main())

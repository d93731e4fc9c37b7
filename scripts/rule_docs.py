#!/usr/bin/env python3
"""Regenerate docs/rules/ of this repository: one page per built-in rule, and an index, from the rules'
metadata (dynalint/docs.py); and beside the built-in rules' examples, the store of their SARIF help
(dynalint.rule_examples.sarif_help). A test fails when the committed pages or stores are out of date.

    python scripts/rule_docs.py            # write docs/rules/ (only files the generator wrote are replaced)
    python scripts/rule_docs.py --check    # exit 1 when a page is out of date; write nothing
    python scripts/rule_docs.py --output DIR

Users read a rule's documentation with `dynalint explain ID`.
"""

import argparse
import sys
from pathlib import Path

from dynalint import docs, engine, rule_examples
from dynalint.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "rules", help="default: docs/rules/")
    parser.add_argument("--check", action="store_true", help="exit 1 when a page is out of date; write nothing")
    args = parser.parse_args(argv)
    rules = engine.builtin_registry().sorted()
    stores = _help_stores(rules)
    if args.check:
        out_of_date = docs.stale(rules, args.output) + [
            str(path) for path, text in stores.items() if not path.is_file() or path.read_text(encoding="utf-8") != text
        ]
        if out_of_date:
            print(
                f"{len(out_of_date)} rule page(s) or SARIF help store(s) out of date ({args.output}): "
                f"{', '.join(out_of_date[:8])}; "
                "run python scripts/rule_docs.py",
                file=sys.stderr,
            )
            return 1
        print(f"{len(rules)} rule pages up to date in {args.output}")
        return 0
    try:
        changed = docs.write(rules, args.output)
    except InputError as exc:
        print(f"rule_docs: error: {exc}", file=sys.stderr)
        return 2
    for path, text in stores.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    print(f"{len(rules)} rule pages in {args.output}; {len(changed)} written or removed")
    return 0


def _help_stores(rules) -> dict[Path, str]:
    """Each examples directory of the built-in rules -> the text of its SARIF help store."""
    directories = sorted({r.examples.parent for r in rules if r.builtin and r.examples is not None})
    return {d / rule_examples.HELP_STORE: rule_examples.help_store(rules, d) for d in directories}


if __name__ == "__main__":
    sys.exit(main())

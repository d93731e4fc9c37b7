"""A time budget for the regular expressions users write (a YAML rule's ``matches``).

A YAML rules file may come with the pull request under review (a config's ``rules_dirs``), and so may the
values it is matched against: Python's ``re`` backtracks, and ``(a+)+$`` against forty ``a`` and a ``b`` runs
for days. ``search`` stops a search after ``SECONDS`` with ``RegexTimeout``, which the engine reports as the
rule failing on that resource (DL000, an error: the run fails rather than hangs or skips the check).

The searches of one input together stop after ``TOTAL``, and the input is then refused (exit 2): one slow
search on each of a thousand resources took half an hour.

A search is stopped by a timer signal (``SIGALRM``): the regular expression engine checks for signals as it
runs. Where there is none to use (Windows, or a thread other than the main one, which cannot receive signals),
the search runs without a budget. A timer the caller had set goes on once the search is done.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from typing import Any

from dynalint.errors import TooMuchWork

SECONDS = 2.0  # one search
TOTAL = 10.0  # the searches of one input together (``reset`` starts an input): one slow search per resource of a
# large plan would otherwise add up to hours

_spent = 0.0


class RegexTimeout(Exception):
    """A regular expression took longer than its budget on one value."""


def reset() -> None:
    """Start the budget of the searches of a new input."""
    global _spent
    _spent = 0.0


def search(pattern: re.Pattern, text: str) -> re.Match | None:
    """``pattern.search(text)``, stopped after ``SECONDS``, and refused (``TooMuchWork``: the input is refused)
    once the input's searches have taken ``TOTAL`` (see the module's docstring)."""
    global _spent
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return pattern.search(text)
    left = TOTAL - _spent
    if left <= 0:
        raise _spent_all(pattern)
    limit = min(SECONDS, left)

    def expired(signum: int, frame: Any) -> None:
        if limit < SECONDS:
            raise _spent_all(pattern)
        raise RegexTimeout(
            f"the regular expression {pattern.pattern[:80]!r} took longer than {SECONDS:g} s on a value of "
            f"{len(text):,} characters: write one that cannot backtrack that long"
        )

    previous = signal.signal(signal.SIGALRM, expired)
    delay, interval = signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.monotonic()
    try:
        return pattern.search(text)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _spent += time.monotonic() - started
        if delay:  # the caller's timer, less the time spent here
            signal.setitimer(signal.ITIMER_REAL, max(delay - (time.monotonic() - started), 1e-6), interval)


def _spent_all(pattern: re.Pattern) -> TooMuchWork:
    return TooMuchWork(
        f"the regular expressions of YAML rules searched its values for more than {TOTAL:g} s in all (the last: "
        f"{pattern.pattern[:80]!r}): write ones that cannot backtrack that long"
    )

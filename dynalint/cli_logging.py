"""Log records on the command line's stderr: ``--debug``'s lines, and what users' Python rules log.

A module of its own, imported by dynalint.cli only for a run that may log (``--debug``, or rules of the
user's that run code): importing logging costs about 3 ms of start-up, and nothing else dynalint runs logs
at the level shown without ``--debug``.
"""

from __future__ import annotations

import logging
import sys


class OneLineFormatter(logging.Formatter):
    """Log records (--debug) name addresses from the input: each is one line, with no CI workflow command."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        from dynalint.report.escape import text

        return "dynalint: " + text(record.getMessage())


def set_up(debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter())
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, handlers=[handler])

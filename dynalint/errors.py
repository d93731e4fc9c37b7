"""Errors that reach the user as one line and exit code 2."""


class InputError(Exception):
    """The input or the usage is wrong. The message is the whole line the user sees."""


class RuleError(Exception):
    """A rule definition is wrong (bad metadata, clashing id)."""

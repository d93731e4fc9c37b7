"""The ``dynalint`` console script and ``python -m dynalint``: the command line in a process of its own.

The cyclic garbage collector goes off before the first import: a run makes no cycles worth collecting
(``dynalint.cli`` turns it off for the lint anyway), and the collections the imports alone would start
cost some 4 ms of every run.
"""

import gc


def entry() -> None:
    gc.disable()
    from dynalint.cli import entry as command_line

    command_line()

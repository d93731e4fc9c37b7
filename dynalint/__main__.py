"""``python -m dynalint`` runs the command line."""

from dynalint.console import entry

entry()

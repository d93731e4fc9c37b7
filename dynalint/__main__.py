"""``python -m dynalint`` runs the command line."""

from dynalint.cli import entry

entry()

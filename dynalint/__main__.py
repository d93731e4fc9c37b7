"""``python -m dynalint`` runs the command line."""
from dynalint.cli import main

main(prog_name="dynalint")

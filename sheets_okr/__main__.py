"""`python -m sheets_okr` runs the command line."""

from sheets_okr.cli import main

main()

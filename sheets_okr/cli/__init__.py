"""The `sheets-okr` command line: a thin click layer over the library (sheets_okr.actions).

Each family of commands lives in a module of its own and registers on the group of
group.py when imported here. Heavy libraries (pandas, openpyxl) are imported inside the
commands, so that `--help` is quick.
"""

from __future__ import annotations

from sheets_okr.cli import (
    adopt_command,
    remind_command,
    run_command,
    summary_commands,
    tracker_commands,
)
from sheets_okr.cli.group import cli

__all__ = [
    "adopt_command",
    "cli",
    "main",
    "remind_command",
    "run_command",
    "summary_commands",
    "tracker_commands",
]


def main() -> None:
    """The console script's entry point."""
    cli(prog_name="sheets-okr")

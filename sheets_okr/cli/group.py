"""The `sheets-okr` command group: its options, logging, and the one exception handler that
turns the library's errors into a message and the contract's exit code."""

from __future__ import annotations

import sys
from typing import Any

import click

from sheets_okr import __version__
from sheets_okr.errors import EXIT_FINDINGS, SheetsOkrError


class _Cli(click.Group):
    """Turns the library's one exception family into a message and the contract's exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SheetsOkrError as error:
            click.echo(f"sheets-okr: {error}", err=True)
            ctx.exit(error.exit_code)
        except OSError as error:
            # The file system refused (permissions, a full disk, a name too long): a failed
            # operation, reported with its reason rather than a traceback.
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"sheets-okr: {where}{error.strerror or error}", err=True)
            ctx.exit(EXIT_FINDINGS)


def warn(message: object) -> None:
    """A warning on stderr, as every command says one (a guess all scores rest on)."""
    click.echo(f"sheets-okr: warning: {message}", err=True)


def _configure_logging(verbose: int) -> None:
    import logging  # not needed by --help

    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(
        level=level, stream=sys.stderr, format="sheets-okr: %(levelname)s: %(message)s"
    )
    # Libraries' debug logs can carry request headers and bodies (tokens, signed JWTs):
    # -vv is for the tool's own steps, never for secrets.
    for library in ("google", "urllib3", "requests", "gspread", "matplotlib", "PIL"):
        logging.getLogger(library).setLevel(logging.WARNING)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sheets-okr")
@click.option("-v", "--verbose", count=True, help="Say more on stderr (-vv for debugging).")
def cli(verbose: int) -> None:
    """Score the OKR tracker your team already keeps in Excel or Google Sheets.

    Exit status: 0 success, 1 problems found or an operation failed, 2 usage or
    configuration error, 75 temporary failure (retry later).
    """
    _configure_logging(verbose)

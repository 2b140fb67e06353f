"""The `sheets-okr` command line: a thin click layer over the library.

Heavy libraries (pandas, openpyxl) are imported inside commands so that `--help` is quick.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from sheets_okr import __version__
from sheets_okr.cli_options import (
    AS_OF,
    lint_options,
    quarter_option,
    scoring_options,
    scoring_settings,
)
from sheets_okr.errors import EXIT_FINDINGS, EXIT_OK, SheetsOkrError
from sheets_okr.quarters import Quarter


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


def _configure_logging(verbose: int) -> None:
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


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--example", is_flag=True, help="Fill it with a realistic marketing quarter.")
@click.option("--quarter", default=None, callback=quarter_option, metavar="QUARTER",
              help="Quarter to plan. Default: the current one.")  # fmt: skip
@AS_OF
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
def init(path: Path, example: bool, quarter: Quarter | None, as_of: dt.date, force: bool) -> None:
    """Create a new tracker workbook at PATH (.xlsx).

    \b
    Example:
        sheets-okr init okrs.xlsx --example
    """
    from sheets_okr.service import init_workbook

    day = as_of
    quarter = quarter or Quarter.containing(day)
    init_workbook(path, example=example, quarter=quarter, as_of=day, force=force)
    click.echo(f"Created {path} for {quarter}" + (" with an example plan." if example else "."))


@cli.command()
@click.argument("source")
@AS_OF
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]),
              default="table", show_default=True, help="What to print.")  # fmt: skip
@scoring_options
def score(
    source: str,
    as_of: dt.date,
    output_format: str,
    quarter: Quarter | None,
    fiscal_year_start: int,
    on_track_gap: float,
    at_risk_gap: float,
    credentials: Path | None,
) -> None:
    """Read and score SOURCE (.xlsx, gsheet:KEY or a Sheets URL); writes nothing.

    Rows that cannot be read are listed with their tab and cell and left out of the
    scores; the exit status is then 1.

    \b
    Example:
        sheets-okr score okrs.xlsx --as-of 2026-11-30 --format json
    """
    from sheets_okr.service import score_source

    settings = scoring_settings(on_track_gap, at_risk_gap, fiscal_year_start)
    day = as_of
    result = score_source(
        source, as_of=day, settings=settings, default_quarter=quarter, credentials=credentials
    )
    data = result.data
    if output_format == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif output_format == "csv":
        from sheets_okr.results import scorecard_csv

        click.echo(scorecard_csv(data), nl=False)
    else:
        from sheets_okr.table import render_problems, render_table

        columns = shutil.get_terminal_size((0, 0)).columns if sys.stdout.isatty() else None
        click.echo(render_table(data, terminal_columns=columns or None), nl=False)
        if data["problems"]:
            click.echo(render_problems(data["problems"]), nl=False, err=True)
    click.get_current_context().exit(EXIT_FINDINGS if data["problems"] else EXIT_OK)


@cli.command()
@click.argument("source")
@AS_OF
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the result to this file and leave SOURCE as it is.",
)
@click.option(
    "--backups",
    type=click.IntRange(0, 1000),
    default=5,
    show_default=True,
    help="Earlier versions kept in .sheets-okr-backups/ beside the workbook.",
)
@click.option(
    "--allow-problems",
    is_flag=True,
    help="Write even when some rows cannot be read (they are left out).",
)
@lint_options
@scoring_options
def sync(
    source: str,
    as_of: dt.date,
    dry_run: bool,
    output: Path | None,
    backups: int,
    allow_problems: bool,
    stale_after: int,
    word_files: tuple[Path, ...],
    quarter: Quarter | None,
    fiscal_year_start: int,
    on_track_gap: float,
    at_risk_gap: float,
    credentials: Path | None,
) -> None:
    """Score SOURCE and write progress, health, Summary, History and Checks into it.

    Only the tool's columns (ID, Progress, Score, Expected, Health) and tabs (Summary,
    History, Checks) change. Silent on success; exit 1 when rows cannot be read (nothing
    is written then), 75 when the workbook is open in Excel or LibreOffice.

    \b
    Example:
        sheets-okr sync okrs.xlsx --dry-run
    """
    from sheets_okr.changes import render_changes
    from sheets_okr.lint import LintSettings
    from sheets_okr.service import sync_source
    from sheets_okr.table import render_problems

    settings = scoring_settings(on_track_gap, at_risk_gap, fiscal_year_start)
    day = as_of
    result = sync_source(
        source, as_of=day, settings=settings, default_quarter=quarter, dry_run=dry_run,
        allow_problems=allow_problems, output=output, backups=backups,
        lint_settings=LintSettings(stale_after=stale_after),
        word_files=word_files, credentials=credentials,
    )  # fmt: skip
    problems = result.scored.data["problems"]
    if dry_run:
        click.echo(render_changes(result.plan), nl=False)
        if result.would_refuse is not None:
            click.echo(f"sheets-okr: a real sync would stop here: {result.would_refuse}", err=True)
    if problems:
        click.echo(render_problems(problems), nl=False, err=True)
        if result.blocked_by_problems:
            click.echo("sheets-okr: nothing written; fix these cells or pass --allow-problems",
                       err=True)  # fmt: skip
    click.get_current_context().exit(EXIT_FINDINGS if problems else EXIT_OK)


@cli.command()
@click.argument("source")
@AS_OF
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="What to print.",
)
@lint_options
@scoring_options
def lint(
    source: str,
    as_of: dt.date,
    output_format: str,
    stale_after: int,
    word_files: tuple[Path, ...],
    quarter: Quarter | None,
    fiscal_year_start: int,
    on_track_gap: float,
    at_risk_gap: float,
    credentials: Path | None,
) -> None:
    """Check the plan in SOURCE against the OKR method; writes nothing.

    Each finding names its cell, a code, a severity and what to do. Exit status 1 when
    there is an error, 0 otherwise (warnings and notes do not fail).

    \b
    Example:
        sheets-okr lint okrs.xlsx --format json
    """
    from sheets_okr.lint import LintSettings
    from sheets_okr.service import lint_source
    from sheets_okr.table import render_findings

    settings = scoring_settings(on_track_gap, at_risk_gap, fiscal_year_start)
    day = as_of
    data = lint_source(
        source, as_of=day, settings=settings, default_quarter=quarter,
        lint_settings=LintSettings(stale_after=stale_after), word_files=word_files,
        credentials=credentials,
    )  # fmt: skip
    if output_format == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(render_findings(data), nl=False)
    click.get_current_context().exit(EXIT_FINDINGS if data["counts"]["error"] else EXIT_OK)


def main() -> None:
    """The console script's entry point."""
    cli(prog_name="sheets-okr")


# The summary commands and `run` live in modules of their own; importing registers them.
from sheets_okr import cli_run, cli_summary  # noqa: E402, F401

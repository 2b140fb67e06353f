"""The commands on one tracker: `init`, `score`, `sync` and `lint`."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

import click

from sheets_okr.cli.group import cli, warn
from sheets_okr.cli.options import AS_OF, file_path, lint_options, quarter_option, scoring_options
from sheets_okr.errors import EXIT_FINDINGS, EXIT_OK
from sheets_okr.sources.base import BACKUPS_KEPT

if TYPE_CHECKING:
    from pathlib import Path

    from sheets_okr.actions.lint import LintOptions
    from sheets_okr.actions.score import ReadOptions
    from sheets_okr.model.quarters import Quarter
    from sheets_okr.score.scored import ScoredTracker


@cli.command()
@click.argument("path", type=file_path())
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
    from sheets_okr.actions.init import init_workbook
    from sheets_okr.model.quarters import Quarter

    quarter = quarter or Quarter.containing(as_of)
    init_workbook(path, example=example, quarter=quarter, as_of=as_of, force=force)
    click.echo(f"Created {path} for {quarter}" + (" with an example plan." if example else "."))


@cli.command()
@click.argument("source")
@AS_OF
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]),
              default="table", show_default=True, help="What to print.")  # fmt: skip
@click.option("--bom/--no-bom", "byte_order_mark", default=None,
              help="With --format csv: start the CSV with the byte-order mark Excel needs to"
                   " read it as UTF-8. Default: when it starts a file (> scores.csv), not"
                   " down a pipe.")  # fmt: skip
@scoring_options
def score(
    source: str, output_format: str, byte_order_mark: bool | None, reading: ReadOptions
) -> None:
    """Read and score SOURCE (.xlsx, .csv, gsheet:KEY or a URL); writes nothing.

    Rows that cannot be read are listed with their tab and cell and left out of the
    scores; the exit status is then 1.

    The table takes the terminal's width ($COLUMNS if set; 100 columns when the output
    is piped or written to a file), wrapping titles that do not fit.

    \b
    Example:
        sheets-okr score okrs.xlsx --as-of 2026-11-30 --format json
    """
    import json

    from sheets_okr.actions.score import score_source
    from sheets_okr.cli.data import scorecard_data

    scored = score_source(source, reading)
    data = scorecard_data(scored.tracker, scored.card, scored.source, scored.history)
    if output_format != "table":  # the table says them itself
        _warn_plan_wide(scored)
    if output_format == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif output_format == "csv":
        from sheets_okr.cli.data import scorecard_csv

        _echo_csv(scorecard_csv(data), byte_order_mark)
        if scored.tracker.problems:  # CSV has no room for them: say them as the table does
            from sheets_okr.cli.table import render_problems

            click.echo(render_problems(scored.tracker.problems), nl=False, err=True)
    else:
        from sheets_okr.cli.table import render_problems, render_table, terminal_width

        click.echo(render_table(data, width=terminal_width()), nl=False)
        if scored.tracker.problems:
            click.echo(render_problems(scored.tracker.problems), nl=False, err=True)
    if not scored.tracker.objectives:  # a new tracker: nothing is wrong, but say where to start
        click.echo(f"sheets-okr: {scored.source} has no objectives yet: add 3-5 objectives below"
                   " the header row of an OKR tab (`sheets-okr init --example` shows a whole"
                   " plan)", err=True)  # fmt: skip
    click.get_current_context().exit(EXIT_FINDINGS if data["problems"] else EXIT_OK)


def _echo_csv(text: str, byte_order_mark: bool | None) -> None:
    """Print the CSV so that Excel opens it right where it is saved (`> scores.csv`).

    Excel reads a CSV without a byte-order mark in the system's code page, which garbles every
    Korean title; a program reading the CSV as UTF-8 (Python's csv module, a test) would find
    the mark glued to the first column's name. So by default the mark starts a file, where the
    CSV is kept for a spreadsheet, and never goes down a pipe, where a program reads it, nor
    to a terminal, where it shows as a stray character; nor in the middle of a file (`>>`).
    --bom and --no-bom decide it either way (PowerShell 7.4 gives `>` a pipe: --bom there).

    Anything but a terminal gets the bytes themselves, UTF-8 whatever the system's encoding:
    the mark is then written once, first, and the csv module's CR LF row ends do not become
    CR CR LF through a Windows text stream.
    """
    on_terminal = sys.stdout.isatty()
    if byte_order_mark is None:
        byte_order_mark = _stdout_starts_a_file()
    if on_terminal and not byte_order_mark:
        click.echo(text, nl=False)  # in the terminal's own encoding, as the table is
    else:
        click.echo(text.encode("utf-8-sig" if byte_order_mark else "utf-8"), nl=False)


def _stdout_starts_a_file() -> bool:
    """True when stdout is an empty regular file: `> scores.csv`, not a pipe nor `>> log.csv`."""
    import os
    import stat

    try:
        status = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError):  # a stream with no file behind it, such as a test's
        return False
    return stat.S_ISREG(status.st_mode) and status.st_size == 0


def _warn_plan_wide(scored: ScoredTracker) -> None:
    """Say on stderr what every score of the tracker rests on (an as-of date outside it)."""
    for note in scored.assumptions:
        if not note.node_id:
            warn(note)


@cli.command()
@click.argument("source")
@AS_OF
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option(
    "--output",
    type=file_path(),
    default=None,
    help="Write the result to this file and leave SOURCE as it is.",
)
@click.option(
    "--backups",
    type=click.IntRange(0, 1000),
    default=BACKUPS_KEPT,
    show_default=True,
    help="Earlier versions kept in .sheets-okr-backups/ beside the workbook.",
)
@click.option(
    "--allow-problems",
    is_flag=True,
    help="Write even when some rows cannot be read (they are left out).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Add a History snapshot even when the as-of date is in none of the plan's quarters.",
)
@lint_options
@scoring_options
def sync(
    source: str,
    dry_run: bool,
    output: Path | None,
    backups: int,
    allow_problems: bool,
    force: bool,
    checks: LintOptions,
    reading: ReadOptions,
) -> None:
    """Score SOURCE and write progress, health, Summary, History and Checks into it.

    Only the tool's columns (ID, Progress, Score, Expected, Health) and tabs (Summary,
    History, Checks) change. Silent on success; exit 1 when rows cannot be read (nothing
    is written then), 75 when the workbook is open in Excel or LibreOffice.

    \b
    Example:
        sheets-okr sync okrs.xlsx --dry-run
    """
    from sheets_okr.actions.sync import SyncOptions, sync_source
    from sheets_okr.cli.changes import render_changes
    from sheets_okr.cli.table import render_problems

    options = SyncOptions(dry_run=dry_run, allow_problems=allow_problems, output=output,
                          backups=backups, force=force)  # fmt: skip
    result = sync_source(source, reading, checks, options)
    problems = result.scored.tracker.problems
    _warn_plan_wide(result.scored)
    if result.snapshot_skipped:
        click.echo("sheets-okr: no History snapshot written for this as-of date (--force writes"
                   " one)", err=True)  # fmt: skip
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
def lint(source: str, output_format: str, checks: LintOptions, reading: ReadOptions) -> None:
    """Check the plan in SOURCE against the OKR method; writes nothing.

    Each finding names its cell, a code, a severity and what to do. Exit status 1 when
    there is an error, 0 otherwise (warnings and notes do not fail).

    \b
    Example:
        sheets-okr lint okrs.xlsx --format json
    """
    import json

    from sheets_okr.actions.lint import lint_source
    from sheets_okr.cli.data import findings_data
    from sheets_okr.cli.table import render_findings

    scored, findings = lint_source(source, reading, checks)
    data = findings_data(findings, reading.as_of.isoformat(), scored.source)
    if output_format == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(render_findings(data), nl=False)
    click.get_current_context().exit(EXIT_FINDINGS if data["counts"]["error"] else EXIT_OK)

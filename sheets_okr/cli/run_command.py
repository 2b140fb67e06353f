"""The scheduled command: `sheets-okr run` syncs every tracker of a configuration file and
emails one summary. Quiet when all went well; failures on stderr and in the exit status."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from sheets_okr.cli.group import cli
from sheets_okr.cli.options import PathOnUse, as_of_date, file_path

if TYPE_CHECKING:
    from pathlib import Path

_PATH = file_path()


@cli.command()
@click.option(
    "-c",
    "--config",
    "config_file",
    type=_PATH,
    default=None,
    metavar="FILE",
    help="The configuration. Default: $SHEETS_OKR_CONFIG, else ./sheets-okr.toml.",
)
@click.option(
    "--as-of",
    default=None,
    callback=as_of_date,
    metavar="DATE",
    help="Score as on this day. Default: today in the configured time zone.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print what would change and the email's subject; write, send and ping nothing.",
)
@click.option("--no-email", is_flag=True, help="Sync every tracker; send no summary.")
@click.option(
    "-o",
    "--output",
    type=_PATH,
    default=None,
    metavar="FILE.html",
    help="Also write the summary as a web page.",
)
@click.option(
    "--eml",
    type=_PATH,
    default=None,
    metavar="FILE.eml",
    help="Also keep the summary email as a file.",
)
@click.option("--force", is_flag=True,
              help="Send the summary even if this as-of date's went out; with --remind, the"
              " reminders too (without it, owners reminded today are not reminded"
              " again).")  # fmt: skip
@click.option("--summary", "summary_any_day", is_flag=True,
              help="Send the summary today, even when [email] day names another day.")  # fmt: skip
@click.option("--remind/--no-remind", default=None,
              help="Remind owners today, or not, whatever day [reminders] names.")  # fmt: skip
@click.option(
    "--remind-dir",
    type=click.Path(file_okay=False, path_type=PathOnUse),
    default=None,
    metavar="FOLDER",
    help="Also keep each reminder in this folder, as ADDRESS.eml.",
)
@click.option("-v", "--verbose", count=True, help="One line per tracker on stderr (-vv: debug).")
@click.pass_context
def run(
    ctx: click.Context,
    config_file: Path | None,
    as_of: dt.date | None,
    dry_run: bool,
    no_email: bool,
    output: Path | None,
    eml: Path | None,
    force: bool,
    summary_any_day: bool,
    remind: bool | None,
    remind_dir: Path | None,
    verbose: int,
) -> None:
    """Sync every tracker of the configuration, then email one summary of them all.

    One tracker failing does not stop the others: the summary and the exit status say
    which failed. Only one run at a time (a second one exits 75 at once). Silent on
    success; -v prints one line per tracker. Exit status: 0 all synced and sent, 1 some
    tracker or the email failed, 2 configuration error (found before any tracker
    starts), 75 every failure is temporary. SIGTERM stops the run with 75, and
    the healthcheck hears of it.

    With [reminders], the run of that day also emails each owner the key results of
    theirs that need a check-in (once per as-of date; `--force --remind` sends them
    again, `--force` alone only the summary); with [email] day, the summary goes out on
    that day's runs only.

    \b
    Example:
        SHEETS_OKR_SMTP_PASSWORD=... sheets-okr run --config /etc/sheets-okr/sheets-okr.toml
    """
    from sheets_okr.actions.run import RunOptions
    from sheets_okr.actions.run import run as run_pipeline
    from sheets_okr.cli.changes import render_changes
    from sheets_okr.cli.run_process import Terminated, quiet_steps, sigterm_ends_the_run
    from sheets_okr.config.load import find_config, load_config
    from sheets_okr.model.outcome import Outcome

    config = load_config(find_config(config_file))
    day = as_of or config.today()
    options = RunOptions(day, dry_run=dry_run, send_email=not no_email, report=output, eml=eml,
                         force=force, remind=remind, summary_any_day=summary_any_day,
                         remind_folder=remind_dir)  # fmt: skip
    verbose += int(ctx.find_root().params.get("verbose") or 0)
    try:
        with quiet_steps(verbose), sigterm_ends_the_run():
            report = run_pipeline(config, options)
    except Terminated:
        click.echo("sheets-okr: stopped by SIGTERM before the run finished", err=True)
        raise
    for tracker in report.trackers:
        if dry_run:
            click.echo(f"== {tracker.name} ({tracker.source}) ==")
            if tracker.result is not None:
                click.echo(render_changes(tracker.result.plan), nl=False)
        # An as-of date outside a tracker's plan is said even on a quiet run: every score of
        # it rests on that date, and its History got no snapshot.
        outside = tracker.result is not None and tracker.result.snapshot_skipped
        if tracker.outcome is not Outcome.OK or verbose or outside:
            warning = "warning: " if outside and tracker.outcome is Outcome.OK else ""
            click.echo(f"sheets-okr: {tracker.name}: {warning}{tracker.message}", err=True)
    if report.email and dry_run and not report.email_exit_code:
        click.echo(f"== email ==\n{report.email}")
    elif report.email and (report.email_exit_code or verbose):
        click.echo(f"sheets-okr: email: {report.email}", err=True)
    if report.reminders and dry_run and not report.reminders_exit_code:
        click.echo(f"== reminders ==\n{report.reminders}")
    elif report.reminders and (report.reminders_exit_code or verbose):
        click.echo(f"sheets-okr: reminders: {report.reminders}", err=True)
    if report.reminders or verbose:
        # Whom the reminders cannot reach, each once, on the runs that remind (and with -v):
        # a problem in a sheet that someone must fix, never a count of what went well.
        for warning in report.reminder_warnings:
            click.echo(f"sheets-okr: warning: reminders: {warning}", err=True)
    ctx.exit(report.exit_code)

"""The leadership summary commands: `report` (a page) and `email`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from sheets_okr.cli.group import cli, warn
from sheets_okr.cli.options import AS_OF, LANG, file_path, scoring_options

if TYPE_CHECKING:
    from pathlib import Path

    from sheets_okr.actions.score import ReadOptions


@cli.command()
@click.argument("source")
@click.option("-o", "--output", type=file_path(), required=True,
              help="The .html file to write.")  # fmt: skip
@AS_OF
@LANG
@scoring_options
def report(source: str, output: Path, lang: str, reading: ReadOptions) -> None:
    """Write the leadership summary of SOURCE as a self-contained web page.

    \b
    Example:
        sheets-okr report okrs.xlsx -o summary.html --lang ko
    """
    from sheets_okr.actions.summarise import summarise, write_report

    digest, rendered = summarise(source, reading, lang)
    for note in digest.notes:  # what every score of the summary rests on
        warn(note)
    write_report(rendered, output)


@cli.command()
@click.argument("source")
@click.option(
    "--to",
    "recipients",
    multiple=True,
    required=True,
    metavar="ADDR",
    help="A recipient; repeat for several.",
)
@AS_OF
@LANG
@click.option("--dry-run", is_flag=True, help="Write the email to -o FILE.eml; send nothing.")
@click.option(
    "-o",
    "--output",
    type=file_path(),
    default=None,
    help="Also keep the email as this .eml file.",
)
@click.option("--force", is_flag=True, help="Send even if this as-of date's summary went out.")
@click.option(
    "--from",
    "sender",
    envvar="SHEETS_OKR_SMTP_FROM",
    default=None,  # no made-up sender: a real send must say who it is from
    help="Sender address, needed to send (not for --dry-run) [env SHEETS_OKR_SMTP_FROM].",
)
@click.option(
    "--smtp-host",
    envvar="SHEETS_OKR_SMTP_HOST",
    default=None,
    help="SMTP server [env SHEETS_OKR_SMTP_HOST].",
)
@click.option(
    "--smtp-port",
    envvar="SHEETS_OKR_SMTP_PORT",
    type=click.IntRange(1, 65535),
    default=587,
    show_default=True,
    help="[env SHEETS_OKR_SMTP_PORT]",
)
@click.option(
    "--smtp-security",
    envvar="SHEETS_OKR_SMTP_SECURITY",
    type=click.Choice(["starttls", "ssl"]),
    default="starttls",
    show_default=True,
    help="STARTTLS (port 587) or implicit TLS (port 465); certificates are checked.",
)
@click.option(
    "--smtp-user",
    envvar="SHEETS_OKR_SMTP_USER",
    default=None,
    help="SMTP user [env SHEETS_OKR_SMTP_USER]; the password is read from the"
    " environment variable SHEETS_OKR_SMTP_PASSWORD only.",
)
@scoring_options
def email(
    source: str,
    recipients: tuple[str, ...],
    lang: str,
    dry_run: bool,
    output: Path | None,
    force: bool,
    sender: str | None,
    smtp_host: str | None,
    smtp_port: int,
    smtp_security: str,
    smtp_user: str | None,
    reading: ReadOptions,
) -> None:
    """Email the leadership summary of SOURCE (HTML with a chart, and plain text).

    A summary already sent for the as-of date is not sent again unless --force. When
    sending fails, the email is kept as an .eml file and the exit status is 75 (server
    unreachable) or 1 (refused).

    \b
    Example:
        SHEETS_OKR_SMTP_PASSWORD=... sheets-okr email okrs.xlsx --to ceo@example.com \\
            --from okr-bot@example.com --smtp-host smtp.example.com \\
            --smtp-user okr-bot@example.com
    """
    from sheets_okr.actions.send import check_email_options, email_summary
    from sheets_okr.actions.summarise import summarise
    from sheets_okr.deliver.mail import SmtpSettings

    # Bad addresses are refused before the workbook is read (a Google Sheet costs a request).
    check_email_options(recipients, sender, dry_run=dry_run, output=output)
    digest, rendered = summarise(source, reading, lang)
    for note in digest.notes:  # what every score of the summary rests on
        warn(note)
    smtp = (SmtpSettings(smtp_host, smtp_port, smtp_security, smtp_user, sender or "")
            if smtp_host else None)  # fmt: skip
    outcome = email_summary(
        source, digest.as_of, rendered, recipients=recipients, smtp=smtp, sender=sender,
        dry_run=dry_run, output=output, force=force,
    )  # fmt: skip
    if outcome.skipped:
        click.echo(f"Not sent: the summary of {reading.as_of} already went to these recipients"
                   " (--force sends it again).", err=True)  # fmt: skip

"""`remind`: email each owner the key results of theirs that need a check-in."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from sheets_okr.cli.group import cli, warn
from sheets_okr.cli.options import AS_OF, PathOnUse, scoring_options
from sheets_okr.lint.settings import DEFAULT_LINT, STALE_AFTER

if TYPE_CHECKING:
    from pathlib import Path

    from sheets_okr.actions.score import ReadOptions


@cli.command()
@click.argument("source")
@AS_OF
@click.option("--lang", type=click.Choice(["en", "ko"]), default=None,
              help="Language of every reminder. Default: each person's (the People tab's"
              " Language column), else Korean for a tracker written in Korean, else"
              " English.")  # fmt: skip
@click.option("--stale-after", type=click.IntRange(*STALE_AFTER), default=DEFAULT_LINT.stale_after,
              show_default=True, metavar="SYNCS",
              help="Remind of a key result whose Current stayed the same this many syncs"
              " (needs a History tab).")  # fmt: skip
@click.option("--due-within", type=click.IntRange(0, 60), default=7, show_default=True,
              metavar="DAYS", help="Remind of a key result due within this many days.")  # fmt: skip
@click.option("--people", "people_file", type=click.Path(dir_okay=False, path_type=PathOnUse),
              default=None, metavar="FILE.toml",
              help="Addresses of owners the People tab does not list: a [people] table"
              ' ("Lee" = "lee@example.com"), such as the run\'s sheets-okr.toml.')  # fmt: skip
@click.option("--dry-run", is_flag=True,
              help="Write one .eml per owner to -o FOLDER; send nothing.")  # fmt: skip
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=PathOnUse),
              default=None, metavar="FOLDER",
              help="Also keep each owner's email in this folder, as ADDRESS.eml.")  # fmt: skip
@click.option("--force", is_flag=True, help="Send even to owners reminded for this as-of date.")
@click.option("--from", "sender", envvar="SHEETS_OKR_SMTP_FROM", default=None,
              help="Sender address, needed to send (not for --dry-run)"
              " [env SHEETS_OKR_SMTP_FROM].")  # fmt: skip
@click.option("--smtp-host", envvar="SHEETS_OKR_SMTP_HOST", default=None,
              help="SMTP server [env SHEETS_OKR_SMTP_HOST].")  # fmt: skip
@click.option("--smtp-port", envvar="SHEETS_OKR_SMTP_PORT", type=click.IntRange(1, 65535),
              default=587, show_default=True, help="[env SHEETS_OKR_SMTP_PORT]")  # fmt: skip
@click.option("--smtp-security", envvar="SHEETS_OKR_SMTP_SECURITY",
              type=click.Choice(["starttls", "ssl"]), default="starttls", show_default=True,
              help="STARTTLS (port 587) or implicit TLS (port 465); certificates are"
              " checked.")  # fmt: skip
@click.option("--smtp-user", envvar="SHEETS_OKR_SMTP_USER", default=None,
              help="SMTP user [env SHEETS_OKR_SMTP_USER]; the password is read from the"
              " environment variable SHEETS_OKR_SMTP_PASSWORD only.")  # fmt: skip
@scoring_options
def remind(
    source: str,
    lang: str | None,
    stale_after: int,
    due_within: int,
    people_file: Path | None,
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
    """Remind each owner of SOURCE to check in: one email listing their key results.

    Listed are the key results of the current quarter with no check-in yet, with Current
    unchanged over the last --stale-after syncs, or due within --due-within days; each
    with its figures and the cell to edit. Addresses come from the People tab (Name,
    Email; 이름, 이메일), then --people. An owner without one is named on stderr, never
    guessed. Each owner is reminded once per as-of date unless --force. Exit status as
    `email`: 75 when the server cannot be reached, 1 when it refused, 2 on a usage error.

    \b
    Example:
        SHEETS_OKR_SMTP_PASSWORD=... sheets-okr remind okrs.xlsx \\
            --from okr-bot@example.com --smtp-host smtp.example.com
    """
    from sheets_okr.actions.remind import (
        RemindDelivery,
        check_password,
        check_sender,
        remind_source,
    )
    from sheets_okr.config.people import load_people
    from sheets_okr.deliver.mail import SmtpSettings
    from sheets_okr.errors import UsageError
    from sheets_okr.model.people import NO_PEOPLE

    checked = check_sender(sender, dry_run=dry_run, folder=output)  # before reading
    if not dry_run and not smtp_host:
        raise UsageError("sending needs an SMTP server: give --smtp-host or set"
                         " SHEETS_OKR_SMTP_HOST (only --dry-run goes without)")  # fmt: skip
    check_password(smtp_user, dry_run=dry_run)
    people = load_people(people_file) if people_file is not None else NO_PEOPLE
    smtp = (SmtpSettings(smtp_host, smtp_port, smtp_security, smtp_user, checked)
            if smtp_host else None)  # fmt: skip
    delivery = RemindDelivery(checked, smtp, dry_run=dry_run, folder=output, force=force)
    outcome = remind_source(source, reading, delivery, stale_after=stale_after,
                            due_within=due_within, lang=lang, people=people)  # fmt: skip
    for warning in outcome.warnings:
        warn(warning)
    if dry_run:
        for path in outcome.kept:
            click.echo(path)
    if outcome.skipped:
        kept = " (their .eml files in -o were left as they were)" if output else ""
        click.echo(f"Not sent to {', '.join(outcome.skipped)}: already reminded for"
                   f" {reading.as_of} (--force sends again){kept}.", err=True)  # fmt: skip
    for failure in outcome.failed:
        click.echo(f"sheets-okr: not sent to {failure}", err=True)
    click.get_current_context().exit(outcome.exit_code)

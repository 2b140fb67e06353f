"""Sending a summary once: the one email flow of `email` and of `run`.

Build the message; keep a copy when asked; skip it when the sent-log says this summary
already went to these recipients; send; keep it as an .eml in the state folder when sending
fails; note it in the sent-log. A sent-log that cannot be written after the email went out
is only a warning: the email did go.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sheets_okr.deliver.mail import SmtpSettings, build_message, check_address, save_eml, send
from sheets_okr.deliver.state import PRIVATE_FILE, already_sent, remember_sent, unsent_path
from sheets_okr.errors import SheetsOkrError, UsageError
from sheets_okr.summary.render import Rendered

log = logging.getLogger(__name__)

# The From of a dry run's .eml when no sender is given: nothing is sent from it.
DRY_RUN_SENDER = "sheets-okr@localhost"


@dataclass(frozen=True)
class Delivery:
    """Where a summary goes, how, and what the sent-log knows it by."""

    sender: str
    recipients: tuple[str, ...]
    smtp: SmtpSettings | None  # None: no server given (only a dry run needs none)
    sent_key: str  # one tracker's source, or one configuration file
    unsent_label: str  # how a kept unsent email is named: LABEL-AS_OF-HHMMSS.eml
    eml: Path | None = None  # also keep the email here
    dry_run: bool = False  # keep the email (in `eml`, if given); send nothing
    force: bool = False  # send even if the sent-log says it already went


@dataclass(frozen=True)
class EmailOutcome:
    """What sending did: sent, skipped (already sent, and when) or only kept; and where the
    .eml is."""

    sent: bool
    skipped: bool
    eml: Path | None
    subject: str
    sent_before: str | None = None  # when it went before, when skipped


def send_once(rendered: Rendered, as_of: dt.date, delivery: Delivery) -> EmailOutcome:
    """Send the summary of the as-of date unless it already went; raise a SheetsOkrError
    naming the kept .eml when sending fails."""
    message = build_message(rendered, sender=delivery.sender, recipients=delivery.recipients)
    if delivery.eml is not None:
        save_eml(message, delivery.eml)
    if delivery.dry_run:
        return EmailOutcome(False, False, delivery.eml, rendered.subject)
    if not delivery.force:
        when = already_sent(delivery.sent_key, as_of, delivery.recipients)
        if when:
            return EmailOutcome(False, True, delivery.eml, rendered.subject, when)
    if delivery.smtp is None:
        raise UsageError("no SMTP server: give --smtp-host (or set SHEETS_OKR_SMTP_HOST)")
    try:
        send(message, delivery.smtp)
    except SheetsOkrError as error:
        kept = delivery.eml or unsent_path(delivery.unsent_label, as_of)
        if delivery.eml is None:  # in the private state folder, so private itself
            save_eml(message, kept, mode=PRIVATE_FILE)
        raise type(error)(f"{error}. The email is saved in {kept}") from error
    try:
        remember_sent(delivery.sent_key, as_of, delivery.recipients)
    except Exception as error:  # the email went out: what had to happen did
        log.warning("the summary was sent, but the sent-log could not be updated (%s: %s);"
                    " a re-run today sends it again", type(error).__name__, error)  # fmt: skip
    return EmailOutcome(True, False, delivery.eml, rendered.subject)


def check_email_options(
    recipients: Sequence[str], sender: str | None, *, dry_run: bool, output: Path | None
) -> tuple[tuple[str, ...], str]:
    """The recipients and the sender of `email`, checked before any workbook is read; a
    UsageError (exit 2) says which option is wrong and what to give."""
    if not recipients:
        raise UsageError("give at least one --to address")
    checked = tuple(check_address(address, "--to") for address in recipients)
    if dry_run and output is None:
        raise UsageError("--dry-run needs -o FILE.eml to write the email to")
    if sender:
        return checked, check_address(sender, "--from")
    if not dry_run:  # a made-up sender is refused or sent to spam by real servers
        raise UsageError(
            "sending needs a sender address: give --from okr-bot@example.com or set"
            " SHEETS_OKR_SMTP_FROM (only --dry-run goes without)"
        )
    return checked, DRY_RUN_SENDER


def email_summary(
    source: str,
    as_of: dt.date,
    rendered: Rendered,
    *,
    recipients: Sequence[str],
    smtp: SmtpSettings | None,
    sender: str | None,
    dry_run: bool = False,
    output: Path | None = None,
    force: bool = False,
) -> EmailOutcome:
    """`email`: send one tracker's summary, or only save it as .eml; never twice a day."""
    checked, sender = check_email_options(recipients, sender, dry_run=dry_run, output=output)
    delivery = Delivery(
        sender, checked, smtp, _source_key(source), "okr-summary",
        eml=output, dry_run=dry_run, force=force,
    )  # fmt: skip
    outcome = send_once(rendered, as_of, delivery)
    if outcome.skipped:
        log.warning("the summary of %s was already sent on %s; --force sends it again",
                    as_of, outcome.sent_before)  # fmt: skip
    return outcome


def _source_key(source: str) -> str:
    """The source as the sent-log knows it: okrs.xlsx and /abs/okrs.xlsx are one tracker."""
    path = Path(source)
    return str(path.resolve()) if path.exists() else source

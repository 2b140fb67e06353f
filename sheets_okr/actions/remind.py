"""Reminding owners to check in: `remind SOURCE`, and the reminder step of `run`.

Each owner with key results to update gets one email (remind/select.py says who and what,
remind/render.py how it reads), at most once per as-of date (the sent-log, --force aside).
A dry run, or -o FOLDER, keeps one .eml per owner. A failure that is not about one
recipient (a server out of reach, a password refused, a sender refused) stops the sending
at once, so that a wrong password is tried once and not once per owner: that email and the
rest are kept in unsent/, and the exit status is that failure's. A refused recipient fails
that owner alone; so does an email that cannot be made (logged), the others still go.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path

from sheets_okr.actions.score import ReadOptions, score_source
from sheets_okr.actions.trackers import no_address
from sheets_okr.deliver.lock import run_lock
from sheets_okr.deliver.mail import (
    PASSWORD_VARIABLE,
    SmtpSettings,
    build_message,
    check_address,
    save_eml,
    send,
)
from sheets_okr.deliver.state import (
    PRIVATE_FILE,
    already_reminded,
    remember_reminded,
    unsent_path,
)
from sheets_okr.errors import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_TEMPORARY,
    EXIT_USAGE,
    SheetsOkrError,
    UsageError,
)
from sheets_okr.model.people import NO_PEOPLE, People
from sheets_okr.remind.render import render_reminder
from sheets_okr.remind.select import (
    Reminder,
    ReminderPlan,
    RemindSettings,
    TrackerToRemind,
    plan_reminders,
    sheet_link,
)

log = logging.getLogger(__name__)

DRY_RUN_SENDER = "sheets-okr@localhost"  # the From of a dry run's .eml without --from
_UNSAFE = re.compile(r"[^A-Za-z0-9@._+-]")
_NAME_LENGTH = 100  # characters of an address kept in its .eml file's name


@dataclass(frozen=True)
class RemindDelivery:
    """How reminders go out."""

    sender: str
    smtp: SmtpSettings | None  # None: no server given (only a dry run needs none)
    dry_run: bool = False  # keep the emails (in `folder`, if given); send nothing
    folder: Path | None = None  # keep one .eml per owner here
    force: bool = False  # send even to owners reminded for this as-of date


@dataclass(frozen=True)
class RemindOutcome:
    """What became of the reminders: addresses sent to, skipped (reminded already), kept as
    .eml, failed (with why), and the exit code that says it."""

    plan: ReminderPlan
    sent: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    kept: tuple[Path, ...] = ()
    failed: tuple[str, ...] = ()
    exit_code: int = EXIT_OK
    dry_run: bool = False
    warnings: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        """What happened, in one line (the run's report, -v); the warnings are said apart."""
        count = len(self.plan.reminders)
        if self.dry_run:
            said = f"would remind {_owners(count)}"
        else:
            said = f"reminded {_owners(len(self.sent))}"
            if self.skipped:
                said += f"; {len(self.skipped)} already reminded for this date (--force: again)"
            if self.failed:
                said += f"; not sent to {'; '.join(self.failed)}"
        if not count:
            said = "no owner has a key result to update"
        unowned = self.plan.unowned  # lint's kr-no-owner says where; counted here
        if unowned:
            said += f"; {unowned} key result{'s' if unowned > 1 else ''} to update with no Owner"
        return said


def _owners(count: int) -> str:
    return f"{count} owner{'s' if count != 1 else ''}"


def unreached_warnings(plan: ReminderPlan) -> tuple[str, ...]:
    """Whom the reminders could not reach, said as warnings, each once: the owners without an
    address (those a People cell note names aside: the note says why), then the People
    cells of owners with key results to update."""
    owners = [
        str(owner)
        for owner in plan.unreached
        # A note names the owner's cell, or the owner is said here: never neither.
        if set(owner.trackers) - set(owner.noted)
        or not any(owner.name in note for note in plan.notes)
    ]
    return ((no_address(owners),) if owners else ()) + plan.notes


def eml_name(address: str) -> str:
    """An owner's .eml file name: lee@example.com.eml; an address with characters a file
    name should not hold gets a short hash of it, so two never share a file."""
    safe = _UNSAFE.sub("_", address)
    if safe != address or len(safe) > _NAME_LENGTH:
        digest = hashlib.sha256(address.casefold().encode()).hexdigest()[:10]
        safe = f"{safe[:_NAME_LENGTH]}-{digest}"
    return safe + ".eml"


def _message(reminder: Reminder, as_of: dt.date, sender: str) -> EmailMessage:
    rendered = render_reminder(reminder, as_of)
    to = formataddr((" ".join(", ".join(reminder.greeted).split()), reminder.address))
    return build_message(rendered, sender=sender, recipients=(to,))


def _one_recipient(error: SheetsOkrError) -> bool:
    """Whether a failure to send is about the recipient alone (refused by the server: the
    others may still go); anything else (the server, the login, the sender) would fail
    for everyone. deliver/mail.py raises a plain SheetsOkrError from SMTPRecipientsRefused,
    and one without a cause when the server refused some of the recipients."""
    if type(error) is not SheetsOkrError:  # UsageError, TemporaryFailure: everyone's
        return False
    return error.__cause__ is None or isinstance(error.__cause__, smtplib.SMTPRecipientsRefused)


def send_reminders(plan: ReminderPlan, as_of: dt.date, delivery: RemindDelivery) -> RemindOutcome:
    """Send (or keep) one email per owner of the plan, each at most once per as-of date."""
    sent: list[str] = []
    skipped: list[str] = []
    kept: list[Path] = []
    failed: list[str] = []
    codes: list[int] = []
    stopped: SheetsOkrError | None = None  # a failure that is not one recipient's
    if not delivery.dry_run and delivery.smtp is None and plan.reminders:
        raise UsageError("no SMTP server: give --smtp-host (or set SHEETS_OKR_SMTP_HOST)")
    for reminder in plan.reminders:
        address = reminder.address
        if not delivery.dry_run and not delivery.force and already_reminded(as_of, address):
            skipped.append(address)  # its .eml, if any, is left as it was
            continue
        try:
            message = _message(reminder, as_of, delivery.sender)
            if delivery.folder is not None:
                path = delivery.folder / eml_name(address)
                save_eml(message, path)
                kept.append(path)
        except Exception as error:  # one owner's email fails alone; the others still go
            log.exception("the reminder to %s could not be made", address)
            failed.append(f"{address} (its email could not be made: {type(error).__name__}:"
                          f" {error})")  # fmt: skip
            codes.append(EXIT_FINDINGS)
            continue
        if delivery.dry_run:
            continue
        assert delivery.smtp is not None  # refused above
        try:
            if stopped is not None:
                raise stopped
            send(message, delivery.smtp)
        except SheetsOkrError as error:
            if stopped is None and not _one_recipient(error):
                stopped = error  # the rest wait in unsent/, unsent: one login, not one each
            elif stopped is None:
                codes.append(error.exit_code)
            failed.append(f"{address} ({error}; {_keep_unsent(message, address, as_of)})")
            continue
        sent.append(address)
        try:
            remember_reminded(as_of, address)
        except Exception as error:  # the email went out: what had to happen did
            log.warning("reminded %s, but the sent-log could not be updated (%s: %s)",
                        address, type(error).__name__, error)  # fmt: skip
    return RemindOutcome(
        plan, tuple(sent), tuple(skipped), tuple(kept), tuple(failed),
        _exit_code(stopped, codes), delivery.dry_run, unreached_warnings(plan),
    )  # fmt: skip


def _keep_unsent(message: EmailMessage, address: str, as_of: dt.date) -> str:
    """Keep an email that was not sent in unsent/ (private); where, or why not."""
    try:
        keep = unsent_path(f"okr-reminder-{eml_name(address)[:-4]}", as_of)
        save_eml(message, keep, mode=PRIVATE_FILE)
    except OSError as error:
        log.error("the reminder to %s could not be kept in unsent/: %s", address, error)
        return f"not kept either: {error}"
    return f"kept in {keep}"


def _exit_code(stopped: SheetsOkrError | None, codes: list[int]) -> int:
    """The stopping failure's exit code (75 temporary, 1 refused, 2 usage), else 1 when an
    owner's email failed; 75 only when every failure is worth retrying."""
    if stopped is not None and (not codes or stopped.exit_code == EXIT_USAGE):
        return stopped.exit_code
    every = {*codes, *([stopped.exit_code] if stopped is not None else [])}
    if not every:
        return EXIT_OK
    return EXIT_TEMPORARY if every == {EXIT_TEMPORARY} else EXIT_FINDINGS


def check_password(user: str | None, *, dry_run: bool) -> None:
    """A user needs SHEETS_OKR_SMTP_PASSWORD to send: refused (exit 2) before reading."""
    if user and not dry_run and not os.environ.get(PASSWORD_VARIABLE):
        raise UsageError(f"set {PASSWORD_VARIABLE} to the SMTP password of {user}")


def check_sender(sender: str | None, *, dry_run: bool, folder: Path | None) -> str:
    """The sender of `remind`, checked before the source is read (exit 2 when wrong)."""
    if dry_run and folder is None:
        raise UsageError("--dry-run needs -o FOLDER to write one .eml per owner to")
    if folder is not None and folder.exists() and not folder.is_dir():
        raise UsageError(f"-o {folder}: not a folder")
    if sender:
        return check_address(sender, "--from")
    if not dry_run:
        raise UsageError(
            "sending needs a sender address: give --from okr-bot@example.com or set"
            " SHEETS_OKR_SMTP_FROM (only --dry-run goes without)"
        )
    return DRY_RUN_SENDER


def tracker_name(source: str) -> str:
    """How a reminder names the one tracker of `remind SOURCE`: its file's name, or the
    Google Sheet's address."""
    return sheet_link(source) or Path(source).name


def remind_source(
    source: str,
    reading: ReadOptions,
    delivery: RemindDelivery,
    *,
    stale_after: int,
    due_within: int = 7,
    lang: str | None = None,
    people: People = NO_PEOPLE,
) -> RemindOutcome:
    """`remind`: read and score one source, and remind its owners."""
    scored = score_source(source, reading)
    settings = RemindSettings(
        reading.as_of, stale_after, due_within, reading.scoring.fiscal_year_start_month, lang,
    )  # fmt: skip
    tracker = TrackerToRemind(tracker_name(scored.source), scored)
    plan = plan_reminders([tracker], settings, people)
    if delivery.folder is not None:
        delivery.folder.mkdir(parents=True, exist_ok=True)
    if delivery.dry_run:
        return send_reminders(plan, reading.as_of, delivery)
    # The run's lock: a `run` reminding at the same time would read the same sent-log and
    # remind the same owners twice, or lose the other's entries when writing it.
    with run_lock():
        return send_reminders(plan, reading.as_of, delivery)

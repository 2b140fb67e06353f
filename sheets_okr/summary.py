"""The leadership summary commands: a page written to a file, an email sent or saved."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sheets_okr.backends import open_source
from sheets_okr.digest import Digest, Limits, build_digest
from sheets_okr.errors import SheetsOkrError, UsageError
from sheets_okr.files import atomic_write
from sheets_okr.lint import LintSettings, lint_tracker
from sheets_okr.mail import (
    SmtpSettings,
    already_sent,
    build_message,
    html_size_as_sent,
    remember_sent,
    save_eml,
    send,
    state_dir,
)
from sheets_okr.quarters import Quarter
from sheets_okr.render import Rendered, render
from sheets_okr.scoring import ScoringSettings
from sheets_okr.service import score_backend

log = logging.getLogger(__name__)

# Gmail clips a message whose HTML passes about 102 KB as sent; keep a margin for headers.
EMAIL_HTML_BUDGET = 90_000


@dataclass(frozen=True)
class EmailOutcome:
    """What `email` did: sent, skipped (already sent) or only saved; and where the .eml is."""

    sent: bool
    skipped: bool
    eml: Path | None
    subject: str


def summarize(
    source: str,
    *,
    as_of: dt.date,
    lang: str = "en",
    settings: ScoringSettings | None = None,
    default_quarter: Quarter | None = None,
    lint_settings: LintSettings | None = None,
    credentials: Path | None = None,
) -> tuple[Digest, Rendered]:
    """Read, score and check a source, and render its summary."""
    backend = open_source(source, credentials=credentials)
    scored = score_backend(backend, as_of, settings, default_quarter)[1]
    history = scored.history
    findings = lint_tracker(scored.tracker, scored.card, history=history, settings=lint_settings)
    limits: Limits | None = Limits()
    while limits is not None:
        digest = build_digest(
            scored.tracker, scored.card, history=history, findings=findings,
            source=backend.name, limits=limits,
        )  # fmt: skip
        rendered = render(digest, lang)
        if html_size_as_sent(rendered.html) <= EMAIL_HTML_BUDGET:
            break
        limits = limits.smaller()  # a long plan: shorter lists, "and N more" says the rest
    return digest, rendered


def write_report(rendered: Rendered, output: Path) -> None:
    """Write the self-contained page."""
    if output.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"{output}: the report is an .html file")
    atomic_write(output, lambda temporary: temporary.write_text(rendered.page, "utf-8"))


def email_summary(
    source: str,
    digest: Digest,
    rendered: Rendered,
    *,
    recipients: Sequence[str],
    smtp: SmtpSettings | None,
    sender: str,
    dry_run: bool = False,
    output: Path | None = None,
    force: bool = False,
) -> EmailOutcome:
    """Send the summary, or only save it as .eml; never twice for one as-of date."""
    if not recipients:
        raise UsageError("give at least one --to address")
    message = build_message(rendered, sender=sender, recipients=recipients)
    if dry_run:
        if output is None:
            raise UsageError("--dry-run needs -o FILE.eml to write the email to")
        save_eml(message, output)
        return EmailOutcome(False, False, output, rendered.subject)
    if output is not None:
        save_eml(message, output)
    sent_key = _source_key(source)
    if not force:
        when = already_sent(sent_key, digest.as_of, recipients)
        if when:
            log.warning("the summary of %s was already sent on %s; --force sends it again",
                        digest.as_of, when)  # fmt: skip
            return EmailOutcome(False, True, output, rendered.subject)
    if smtp is None:
        raise UsageError("no SMTP server: give --smtp-host (or set SHEETS_OKR_SMTP_HOST)")
    try:
        send(message, smtp)
    except SheetsOkrError as error:
        kept = output or _unsent_path(digest)
        if output is None:
            save_eml(message, kept)
        raise type(error)(f"{error}. The email is saved in {kept}") from error
    remember_sent(sent_key, digest.as_of, recipients)
    return EmailOutcome(True, False, output, rendered.subject)


def _source_key(source: str) -> str:
    """The source as the sent-log knows it: okrs.xlsx and /abs/okrs.xlsx are one tracker."""
    path = Path(source)
    return str(path.resolve()) if path.exists() else source


def _unsent_path(digest: Digest) -> Path:
    folder = state_dir() / "unsent"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%H%M%S")
    return folder / f"okr-summary-{digest.as_of.isoformat()}-{stamp}.eml"

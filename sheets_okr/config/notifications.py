"""The [email] and [healthcheck] tables of `sheets-okr.toml`: where the summary goes, what
its subject says, and which dead-man's switch hears of the run.

Both tables hold or name secrets (the SMTP password, the check URL's token), so their
messages never repeat a value that might be one: a password typed where the *name* of its
environment variable belongs, or the URL itself typed into url_env.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass, field

from sheets_okr.config.people import parse_days
from sheets_okr.config.values import ENV_NAME, Section
from sheets_okr.deliver.mail import PASSWORD_VARIABLE, SECURITY, SmtpSettings, check_address
from sheets_okr.errors import UsageError
from sheets_okr.summary.phrases import LANGUAGES
from sheets_okr.summary.subject import SUBJECT_FIELDS, SUBJECT_SAMPLE

HEALTHCHECK_VARIABLE = "SHEETS_OKR_HEALTHCHECK_URL"
_DEFAULT_PORTS = {"starttls": 587, "ssl": 465}
_PASSWORD_KEYS = ("password", "pass", "passwd", "smtp_password")
_PASSWORD_HINT = "the password goes in an environment variable; password_env names it"


@dataclass(frozen=True)
class EmailConfig:
    """Where the summary goes and how it is sent; the password stays in the environment."""

    host: str
    port: int
    security: str
    user: str | None
    password_env: str
    sender: str
    recipients: tuple[str, ...]
    lang: str = "en"
    subject: str | None = None  # a template with SUBJECT_FIELDS; None: the language's own
    days: tuple[int, ...] | None = None  # weekdays (Monday 0) the summary goes out; None: all

    @property
    def smtp(self) -> SmtpSettings:
        """The settings mail.send takes."""
        return SmtpSettings(self.host, self.port, self.security, self.user, self.sender,
                            password_env=self.password_env)  # fmt: skip


@dataclass(frozen=True)
class HealthcheckConfig:
    """A dead-man's switch to ping (healthchecks.io style); the URL holds a secret token."""

    url: str | None = field(repr=False)  # None: url_env names a variable that is not set
    url_env: str | None = None
    timeout: float = 10.0


def parse_email(section: Section | None) -> EmailConfig | None:
    """The [email] table, checked; None when there is none."""
    if section is None:
        return None
    section.check_keys(
        (
            "host",
            "port",
            "security",
            "user",
            "password_env",
            "from",
            "to",
            "lang",
            "subject",
            "day",
        ),
        hints=dict.fromkeys(_PASSWORD_KEYS, _PASSWORD_HINT),
    )
    host = section.string("host", required=True) or ""
    security = section.choice("security", SECURITY, "starttls")
    password_env = section.string("password_env", secret=True) or PASSWORD_VARIABLE
    if not ENV_NAME.match(password_env):
        # Quite likely the password itself: never repeated.
        section.error("password_env", "must name an environment variable (letters, digits"
                      f" and _, such as {PASSWORD_VARIABLE}); {_PASSWORD_HINT}")  # fmt: skip
        password_env = PASSWORD_VARIABLE
    sender = section.string("from", required=True) or ""
    if sender and not _is_address(sender):
        section.error("from", f"must be an email address, not {sender!r}")
    recipients = section.strings("to", required=True)
    for address in recipients:
        if not _is_address(address):
            section.error("to", f"must hold email addresses, not {address!r}")
    subject = section.string("subject")
    if subject is not None and not check_subject(section, subject):
        subject = None
    return EmailConfig(
        host=host,
        port=section.integer("port", _DEFAULT_PORTS.get(security, 587), 1, 65535),
        security=security,
        user=section.string("user"),
        password_env=password_env,
        sender=sender,
        recipients=recipients,
        lang=section.choice("lang", LANGUAGES, "en"),
        subject=subject,
        days=parse_days(section, "day"),
    )


def check_subject(section: Section, subject: str) -> bool:
    """Whether the subject template can be filled in; notes the mistake when it cannot.

    It is filled in here with values of the types the summary passes, so a format the
    values do not take ({score:.0%} on the text "55%") stops the run at load time (exit 2),
    not when the summary is sent.
    """
    if "\n" in subject or "\r" in subject:
        section.error("subject", "must be one line (an email subject has no line breaks)")
        return False
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(subject) if name is not None]
    except ValueError as error:
        section.error("subject", f"is not a valid template ({error}); write {{{{ for a {{")
        return False
    allowed = ", ".join("{" + name + "}" for name in SUBJECT_FIELDS)
    unknown = [name for name in fields if name.split(".")[0].split("[")[0] not in SUBJECT_FIELDS]
    for name in unknown:
        section.error("subject", f"has an unknown placeholder {{{name}}}; use {allowed}")
    if unknown:
        return False
    try:
        SUBJECT_SAMPLE.fill(subject)
    except (ValueError, KeyError, IndexError, AttributeError, TypeError) as error:
        reason = str(error) if isinstance(error, ValueError) else type(error).__name__
        section.error("subject", f"cannot be filled in ({reason}); {{quarter}}, {{as_of}} and"
                      ' {score} are text (such as "55%"), the others whole numbers')  # fmt: skip
        return False
    return True


def parse_healthcheck(section: Section | None) -> HealthcheckConfig | None:
    """The [healthcheck] table, checked; None when there is none. The URL is never shown."""
    if section is None:
        return None
    section.check_keys(("url", "url_env", "timeout"))
    # The URL carries the check's secret token: messages never repeat it.
    url = section.string("url", secret=True)
    url_env = section.string("url_env", secret=True)
    timeout = section.number("timeout", 10.0, 0.5, 60.0)
    given = [key for key in ("url", "url_env") if key in section.data]
    if not given:
        section.error("", "needs url or url_env (the name of a variable holding the URL)")
        return None
    if len(given) == 2:
        section.error("", "needs only one of url and url_env, not both")
        return None
    if url_env is not None:
        if url_env.strip().lower().startswith("http"):
            section.error("url_env", "must be the name of an environment variable, not the URL:"
                          " put the URL in the environment variable, and its name here (such"
                          f" as {HEALTHCHECK_VARIABLE})")  # fmt: skip
            return None
        if not ENV_NAME.match(url_env):
            section.error("url_env", "must name an environment variable (letters, digits and"
                          f" _, such as {HEALTHCHECK_VARIABLE})")  # fmt: skip
            return None
        url = os.environ.get(url_env) or None
        if url is not None and not _is_http(url):
            section.error("url_env", f"names {url_env}, whose value must be an http(s) address"
                          " such as https://hc-ping.com/<uuid>")  # fmt: skip
    elif url is not None and not _is_http(url):
        section.error("url", "must be an http(s) address")
    return HealthcheckConfig(url, url_env, timeout)


def _is_address(text: str) -> bool:
    """Whether text is one email address, by the rule `email --to` and `--from` follow."""
    try:
        check_address(text, "")
    except UsageError:
        return False
    return True


def _is_http(url: str) -> bool:
    return url.lower().startswith(("https://", "http://"))

"""The run configuration, `sheets-okr.toml`: trackers, scoring, time zone, email, healthcheck.

Read with tomllib and checked key by key; every mistake is reported at once, each with the
file, the line and the key (`sheets-okr.toml:14: [email] port must be an integer, not
"587x"`), as a usage error (exit 2). The SMTP password is never in the file: the file names
the environment variable that holds it. The schema is documented in sheets-okr.example.toml.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from sheets_okr.backends import google_sheet_key
from sheets_okr.config_values import Section
from sheets_okr.errors import UsageError
from sheets_okr.i18n import LANGUAGES
from sheets_okr.lint import LintSettings
from sheets_okr.mail import PASSWORD_VARIABLE, SECURITY, SmtpSettings
from sheets_okr.quarters import Quarter
from sheets_okr.scoring import ScoringSettings
from sheets_okr.toml_lines import KeyLines

CONFIG_NAME = "sheets-okr.toml"
CONFIG_VARIABLE = "SHEETS_OKR_CONFIG"
SUBJECT_FIELDS = ("quarter", "as_of", "score", "trackers", "failed", "at_risk", "off_track",
                  "no_check_in")  # fmt: skip
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DEFAULT_PORTS = {"starttls": 587, "ssl": 465}


class ConfigError(UsageError):
    """The configuration file is missing, unreadable or wrong (exit 2)."""


@dataclass(frozen=True)
class TrackerConfig:
    """One tracker of the run: its name in the summary, where it is, its default quarter."""

    name: str
    source: str  # a path resolved against the config file's folder, or gsheet:KEY / a URL
    quarter: Quarter | None = None
    allow_problems: bool = False  # write even when some rows cannot be read


@dataclass(frozen=True)
class ScoringConfig:
    """Scoring and plan-check settings shared by every tracker of the run."""

    fiscal_year_start: int = 1
    on_track_gap: float = 0.15
    at_risk_gap: float = 0.30
    stale_after: int = 3

    @property
    def settings(self) -> ScoringSettings:
        """The scoring engine's settings."""
        return ScoringSettings(self.on_track_gap, self.at_risk_gap, self.fiscal_year_start)

    @property
    def lint(self) -> LintSettings:
        """The plan checks' settings."""
        return LintSettings(stale_after=self.stale_after)


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


@dataclass(frozen=True)
class Config:
    """Everything `sheets-okr run` needs, checked."""

    path: Path
    trackers: tuple[TrackerConfig, ...]
    scoring: ScoringConfig = ScoringConfig()
    email: EmailConfig | None = None
    healthcheck: HealthcheckConfig | None = None
    credentials: Path | None = None  # Google service-account key; None: the environment's
    time_zone: str | None = None  # IANA name; None: the machine's

    def today(self, now: dt.datetime | None = None) -> dt.date:
        """The as-of date of a run started now: today in the configured time zone."""
        zone = zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else None
        moment = now or dt.datetime.now(dt.UTC)
        return moment.astimezone(zone).date()


def find_config(explicit: Path | None) -> Path:
    """--config, else $SHEETS_OKR_CONFIG, else sheets-okr.toml in the current folder."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        return explicit
    named = os.environ.get(CONFIG_VARIABLE)
    if named:
        if not Path(named).is_file():
            raise ConfigError(f"{CONFIG_VARIABLE} names {named}, which is not a file")
        return Path(named)
    if Path(CONFIG_NAME).is_file():
        return Path(CONFIG_NAME)
    raise ConfigError(
        f"no configuration: give --config FILE, set {CONFIG_VARIABLE}, or put {CONFIG_NAME}"
        " in the current folder (sheets-okr.example.toml shows every setting)"
    )


def load_config(path: Path) -> Config:
    """Read and check a configuration file; raises ConfigError listing every mistake."""
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise ConfigError(f"{path}: {error.strerror or error}") from error
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    """Check the text of a configuration file; `path` names it and anchors relative paths."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at line (\d+), column \d+\)", str(error))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "",
                        str(error))  # fmt: skip
        line = f":{where.group(1)}" if where else ""
        raise ConfigError(f"{path}{line}: not valid TOML: {reason}") from error
    root = Section(data, (), KeyLines.scan(text), str(path), [])
    base = path.parent
    root.check_keys(("time_zone", "scoring", "google", "email", "healthcheck", "tracker"))
    time_zone = root.string("time_zone")
    if time_zone is not None and not _valid_zone(time_zone):
        root.error("time_zone", f'is not a time zone such as "Asia/Seoul": {time_zone!r}')
    config = Config(
        path=path,
        trackers=_trackers(root, base),
        scoring=_scoring(root.table("scoring")),
        email=_email(root.table("email")),
        healthcheck=_healthcheck(root.table("healthcheck")),
        credentials=_credentials(root.table("google"), base),
        time_zone=time_zone,
    )
    if root.errors:
        raise ConfigError("\n".join(sorted(root.errors, key=_line_number)))
    return config


def _line_number(message: str) -> int:
    """Messages in file order; those without a line (the file as a whole) first."""
    match = re.match(r"^.*?:(\d+): ", message)
    return int(match.group(1)) if match else 0


def _valid_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _resolve(section: Section, source: str, base: Path) -> tuple[str, str]:
    """The source to open, and what makes two sources one (a sheet's key, a file's real path).

    Paths are relative to the configuration file, so cron's working folder does not matter.
    """
    try:
        key = google_sheet_key(source)
    except UsageError as error:
        section.error("source", str(error))
        return source, source
    if key is not None:
        return source, f"gsheet:{key}"
    path = str(base / Path(source).expanduser())
    return path, os.path.realpath(path)


def _trackers(root: Section, base: Path) -> tuple[TrackerConfig, ...]:
    tables = root.tables("tracker")
    if tables is None:
        root.error("", "no [[tracker]]: add one with a name and a source")
        return ()
    trackers: list[TrackerConfig] = []
    names: set[str] = set()
    sources: set[str] = set()
    for section in tables:
        section.check_keys(("name", "source", "quarter", "allow_problems"))
        name = section.string("name", required=True) or ""
        source = section.string("source", required=True) or ""
        if name and name in names:
            section.error("name", f"{name!r} is the name of another tracker")
        resolved, key = _resolve(section, source, base) if source else ("", "")
        if key and key in sources:
            section.error("source", f"{source!r} is the source of another tracker")
        names.add(name)
        sources.add(key)
        quarter_text = section.string("quarter")
        quarter = Quarter.parse(quarter_text) if quarter_text else None
        if quarter_text and quarter is None:
            section.error("quarter", f'must be a quarter such as "2026-Q4", not {quarter_text!r}')
        allow = section.boolean("allow_problems", default=False)
        trackers.append(TrackerConfig(name, resolved, quarter, allow))
    return tuple(trackers)


def _scoring(section: Section | None) -> ScoringConfig:
    if section is None:
        return ScoringConfig()
    section.check_keys(("fiscal_year_start", "on_track_gap", "at_risk_gap", "stale_after"))
    defaults = ScoringConfig()
    on_track = section.number("on_track_gap", defaults.on_track_gap, 0.0, 1.0)
    at_risk = section.number("at_risk_gap", defaults.at_risk_gap, 0.0, 1.0)
    if on_track > at_risk:
        section.error("on_track_gap", "must not be larger than at_risk_gap")
        on_track, at_risk = defaults.on_track_gap, defaults.at_risk_gap
    return ScoringConfig(
        fiscal_year_start=section.integer("fiscal_year_start", defaults.fiscal_year_start, 1, 12),
        on_track_gap=on_track,
        at_risk_gap=at_risk,
        stale_after=section.integer("stale_after", defaults.stale_after, 1, 100),
    )


def _email(section: Section | None) -> EmailConfig | None:
    if section is None:
        return None
    section.check_keys(("host", "port", "security", "user", "password_env", "from", "to",
                        "lang", "subject"))  # fmt: skip
    host = section.string("host", required=True) or ""
    security = section.choice("security", SECURITY, "starttls")
    password_env = section.string("password_env") or PASSWORD_VARIABLE
    if not _ENV_NAME.match(password_env):
        section.error("password_env", f"must name an environment variable, not {password_env!r}")
    sender = section.string("from", required=True) or ""
    if sender and "@" not in sender:
        section.error("from", f"must be an email address, not {sender!r}")
    recipients = section.strings("to", required=True)
    for address in recipients:
        if "@" not in address:
            section.error("to", f"must hold email addresses, not {address!r}")
    subject = section.string("subject")
    if subject is not None:
        _check_subject(section, subject)
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
    )


def _check_subject(section: Section, subject: str) -> None:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(subject) if name is not None]
    except ValueError as error:
        section.error("subject", f"is not a valid template ({error}); write {{{{ for a {{")
        return
    allowed = ", ".join("{" + name + "}" for name in SUBJECT_FIELDS)
    for name in fields:
        if name not in SUBJECT_FIELDS:
            section.error("subject", f"has an unknown placeholder {{{name}}}; use {allowed}")


def _healthcheck(section: Section | None) -> HealthcheckConfig | None:
    if section is None:
        return None
    section.check_keys(("url", "url_env", "timeout"))
    # The URL carries the check's secret token: messages never repeat it.
    url = section.string("url", secret=True)
    url_env = section.string("url_env")
    timeout = section.number("timeout", 10.0, 0.5, 60.0)
    if ("url" in section.data) == ("url_env" in section.data):
        section.error("", "needs either url or url_env (the name of a variable holding the URL)")
        return None
    if url_env is not None:
        if not _ENV_NAME.match(url_env):
            section.error("url_env", f"must name an environment variable, not {url_env!r}")
        url = os.environ.get(url_env) or None
    if url is not None and not url.lower().startswith(("https://", "http://")):
        section.error("url_env" if url_env else "url", "must be an http(s) address")
    return HealthcheckConfig(url, url_env, timeout)


def _credentials(section: Section | None, base: Path) -> Path | None:
    if section is None:
        return None
    section.check_keys(("credentials",))
    credentials = section.string("credentials")
    return base / Path(credentials).expanduser() if credentials else None

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
import tomllib
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from sheets_okr.config.notifications import (
    EmailConfig,
    HealthcheckConfig,
    parse_email,
    parse_healthcheck,
)
from sheets_okr.config.people import RemindersConfig, parse_people, parse_reminders
from sheets_okr.config.toml_lines import KeyLines
from sheets_okr.config.tracker_map import MAP_KEYS, tracker_column_map
from sheets_okr.config.values import Section
from sheets_okr.errors import UsageError
from sheets_okr.lint.settings import DEFAULT_LINT, STALE_AFTER, LintSettings
from sheets_okr.model.people import NO_PEOPLE, People
from sheets_okr.model.quarters import Quarter
from sheets_okr.read.column_map import EMPTY_MAP, ColumnMap
from sheets_okr.score.settings import DEFAULT_SCORING, GAPS, MONTHS, ScoringSettings, gaps_in_order
from sheets_okr.sources.registry import kind_of

CONFIG_NAME = "sheets-okr.toml"
CONFIG_VARIABLE = "SHEETS_OKR_CONFIG"
CREDENTIALS_VARIABLE = "GOOGLE_APPLICATION_CREDENTIALS"
__all__ = [
    "Config",
    "ConfigError",
    "EmailConfig",
    "HealthcheckConfig",
    "RemindersConfig",
    "TrackerConfig",
    "find_config",
    "load_config",
    "parse_config",
]


class ConfigError(UsageError):
    """The configuration file is missing, unreadable or wrong (exit 2)."""


@dataclass(frozen=True)
class TrackerConfig:
    """One tracker of the run: its name in the summary, where it is, its default quarter."""

    name: str
    source: str  # a path resolved against the config file's folder, or gsheet:KEY / a URL
    quarter: Quarter | None = None
    allow_problems: bool = False  # write even when some rows cannot be read
    columns: ColumnMap = EMPTY_MAP  # its column map, over the one saved in the tracker

    @property
    def needs_credentials(self) -> bool:
        """Whether the source needs a service-account key (a Google Sheet)."""
        return kind_of(self.source).needs_credentials


@dataclass(frozen=True)
class Config:
    """Everything `sheets-okr run` needs, checked."""

    path: Path
    trackers: tuple[TrackerConfig, ...]
    scoring: ScoringSettings = DEFAULT_SCORING
    lint: LintSettings = DEFAULT_LINT
    email: EmailConfig | None = None
    healthcheck: HealthcheckConfig | None = None
    credentials: Path | None = None  # Google service-account key; None: the environment's
    time_zone: str | None = None  # IANA name; None: the machine's
    credentials_where: str = ""  # FILE:LINE of [google] credentials, for messages
    people: People = NO_PEOPLE  # [people]: owners' addresses the People tabs do not give
    reminders: RemindersConfig | None = None  # [reminders]: None, `run` reminds nobody

    def now(self, moment: dt.datetime | None = None) -> dt.datetime:
        """This moment (or `moment`) on the clock of the configured time zone."""
        zone = zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else None
        return (moment or dt.datetime.now(dt.UTC)).astimezone(zone)

    def today(self, now: dt.datetime | None = None) -> dt.date:
        """The as-of date of a run started now: today in the configured time zone."""
        return self.now(now).date()

    def check_credentials(self) -> None:
        """When a tracker is a Google Sheet, its key file must be there; else ConfigError.

        Checked before the run starts, so a key file left out fails the run at once with
        the line that names it (exit 2), not as one failed sync per Google Sheet.
        """
        sheets = [t.name for t in self.trackers if t.needs_credentials]
        if not sheets:
            return
        many = len(sheets) > 1
        which = f"the Google Sheet tracker{'s' if many else ''} {', '.join(sheets)}"
        need = "need" if many else "needs"
        if self.credentials is not None:
            if not self.credentials.is_file():
                raise ConfigError(f"{self.credentials_where or self.path}: [google] credentials"
                                  f" {self.credentials} is not a file; {which} {need}"
                                  " a service-account key")  # fmt: skip
            return
        named = os.environ.get(CREDENTIALS_VARIABLE, "").strip()
        if not named:
            raise ConfigError(f"{self.path}: {which} {need} a service-account key: set [google]"
                              f" credentials, or {CREDENTIALS_VARIABLE}")  # fmt: skip
        if not Path(named).expanduser().is_file():
            raise ConfigError(f"{CREDENTIALS_VARIABLE} names {named}, which is not a file;"
                              f" {which} {need} a service-account key")  # fmt: skip


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
    root.check_keys(
        ("time_zone", "scoring", "google", "email", "healthcheck", "tracker", "people", "reminders")
    )
    time_zone = root.string("time_zone")
    if time_zone is not None and not _valid_zone(time_zone):
        root.error("time_zone", f'is not a time zone such as "Asia/Seoul": {time_zone!r}')
    google = root.table("google")
    scoring, lint = _scoring(root.table("scoring"))
    config = Config(
        path=path,
        trackers=_trackers(root, base),
        scoring=scoring,
        lint=lint,
        email=parse_email(root.table("email")),
        healthcheck=parse_healthcheck(root.table("healthcheck")),
        credentials=_credentials(google, base),
        time_zone=time_zone,
        credentials_where=google.where("credentials") if google is not None else "",
        people=parse_people(root.table("people")),
        reminders=parse_reminders(root.table("reminders")),
    )
    if config.reminders is not None and config.email is None:
        root.error("reminders", "need an [email] table: its server and sender send them too")
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
    """The source to open, and what makes two sources one (a sheet's key, a file's real path)."""
    try:
        return kind_of(source).resolve(source, base)
    except UsageError as error:
        section.error("source", str(error))
        return source, source


def _trackers(root: Section, base: Path) -> tuple[TrackerConfig, ...]:
    tables = root.tables("tracker")
    if tables is None:
        root.error("", "no [[tracker]]: add one with a name and a source")
        return ()
    trackers: list[TrackerConfig] = []
    names: set[str] = set()
    sources: set[str] = set()
    for section in tables:
        section.check_keys(("name", "source", "quarter", "allow_problems", *MAP_KEYS))
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
        columns = tracker_column_map(section, name, base)
        trackers.append(TrackerConfig(name, resolved, quarter, allow, columns))
    return tuple(trackers)


def _scoring(section: Section | None) -> tuple[ScoringSettings, LintSettings]:
    if section is None:
        return DEFAULT_SCORING, DEFAULT_LINT
    section.check_keys(("fiscal_year_start", "on_track_gap", "at_risk_gap", "stale_after"))
    on_track = section.number("on_track_gap", DEFAULT_SCORING.on_track_gap, *GAPS)
    at_risk = section.number("at_risk_gap", DEFAULT_SCORING.at_risk_gap, *GAPS)
    if not gaps_in_order(on_track, at_risk):
        section.error("on_track_gap", "must not be larger than at_risk_gap")
        on_track, at_risk = DEFAULT_SCORING.on_track_gap, DEFAULT_SCORING.at_risk_gap
    month = section.integer("fiscal_year_start", DEFAULT_SCORING.fiscal_year_start_month, *MONTHS)
    stale_after = section.integer("stale_after", DEFAULT_LINT.stale_after, *STALE_AFTER)
    return ScoringSettings(on_track, at_risk, month), LintSettings(stale_after)


def _credentials(section: Section | None, base: Path) -> Path | None:
    if section is None:
        return None
    section.check_keys(("credentials",))
    credentials = section.string("credentials")
    return base / Path(credentials).expanduser() if credentials else None

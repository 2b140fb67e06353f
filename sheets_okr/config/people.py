"""The [people] and [reminders] tables of `sheets-okr.toml`, and the days things go out.

[people] maps an owner's name, as the OKR rows write it, to an address: `"Lee" =
"lee@example.com"`, or `"박지민" = { email = "jimin@example.com", lang = "ko" }`. Trackers'
People tabs come first; [people] gives the names they do not list. [reminders] says on
which day `run` reminds each owner to check in; [email] `day` on which it sends the summary.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from sheets_okr.config.toml_lines import KeyLines
from sheets_okr.config.values import Section, show
from sheets_okr.errors import UsageError
from sheets_okr.model.people import NO_PEOPLE, People, Person, name_key
from sheets_okr.read.people import is_address
from sheets_okr.summary.phrases import LANGUAGES

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DUE_WITHIN = (0, 60)  # days ahead a due date makes a key result worth a reminder
DEFAULT_DUE_WITHIN = 7


@dataclass(frozen=True)
class RemindersConfig:
    """When `run` reminds owners, and what counts as due."""

    days: tuple[int, ...]  # weekdays, Monday 0
    due_within: int = DEFAULT_DUE_WITHIN
    lang: str | None = None  # None: each person's or tracker's, else [email] lang


def parse_days(section: Section, key: str) -> tuple[int, ...] | None:
    """A day name ("thursday", "Thu") or a list of them, as weekday numbers; None when the
    key is absent."""
    value = section.data.get(key)
    if value is None:
        return None
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        section.error(
            key, f'must be a day such as "thursday", or a list of days, not {show(value)}'
        )
        return None
    days: list[int] = []
    for name in names:
        text = name.strip().lower()
        day = next((i for i, d in enumerate(WEEKDAYS) if len(text) >= 3 and d.startswith(text)),
                   None)  # fmt: skip
        if day is None:
            section.error(key, f"must name days of the week (monday ... sunday), not {show(name)}")
            return None
        days.append(day)
    return tuple(sorted(set(days)))


def parse_reminders(section: Section | None) -> RemindersConfig | None:
    """The [reminders] table, checked; None when there is none."""
    if section is None:
        return None
    section.check_keys(("day", "due_within", "lang"))
    days = parse_days(section, "day")
    if days is None and "day" not in section.data:
        section.error("", 'has no day: name the day reminders go out, such as day = "thursday"')
    due_within = section.integer("due_within", DEFAULT_DUE_WITHIN, *DUE_WITHIN)
    lang = section.choice("lang", LANGUAGES, "") or None if "lang" in section.data else None
    return RemindersConfig(days or (), due_within, lang)


def parse_people(section: Section | None) -> People:
    """The [people] table, checked: names to addresses (and languages)."""
    if section is None:
        return NO_PEOPLE
    people: list[Person] = []
    seen: set[str] = set()
    for name, value in section.data.items():
        lang: str | None = None
        if isinstance(value, dict):
            entry = section.table(name)
            if entry is None:
                continue
            entry.check_keys(("email", "lang"))
            email = entry.string("email", required=True) or ""
            lang = entry.choice("lang", LANGUAGES, "") or None if "lang" in value else None
        elif isinstance(value, str):
            email = value.strip()
        else:
            section.error(name, f'must be an address such as "lee@example.com", not {show(value)}')
            continue
        if email and not is_address(email):
            section.error(name, f"must be one email address (in ASCII), not {email!r}")
            continue
        key = name_key(name)
        if not key or key in seen:
            section.error(name, "is empty" if not key else "names a person listed above")
            continue
        seen.add(key)
        if email:
            people.append(Person(name.strip(), email, lang))
    return People(tuple(people))


def load_people(path: Path) -> People:
    """The people of a TOML file (`remind --people`): its [people] table (a run's
    configuration file works), else its top-level `"Name" = "address"` entries."""
    try:
        text = path.read_text("utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: cannot be read as TOML ({error})") from error
    root = Section(data, (), KeyLines.scan(text), str(path), [])
    if "people" in data or "tracker" in data:
        people = parse_people(root.table("people"))
    else:
        root.label = "[people]"
        people = parse_people(root)
    if root.errors:
        raise UsageError("\n".join(root.errors))
    return people

"""Who is reminded of what: each owner's key results that need a check-in, by address.

A key result of the plan's current quarter needs one when it has no check-in yet, when its
Current stayed the same over the last N syncs (the History tab, as lint's `kr-stale`), when
it is due within the next days, or overdue, and not done. Owners are found by name in the
tracker's own People tab, then in the run's [people] table, never in another tracker's
People tab (a common name there may be somebody else); an owner cell may hold an address
itself, or several names ("Lee, Kim") when each of them is found. Owners of several
trackers get one reminder, as one address. An owner without an address is listed, never
guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pandas as pd

from sheets_okr.lint.findings import CellFinder
from sheets_okr.model.health_words import language_of
from sheets_okr.model.people import NO_PEOPLE, People, Person, name_key
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Health, KeyResult, Level, Objective, Status
from sheets_okr.read import columns as col
from sheets_okr.read.people import is_address
from sheets_okr.remind.notes import people_notes, shared
from sheets_okr.score.scored import ScoredTracker

_SEVERAL = re.compile(r"\s*(?:[,;/&+·]|\band\b)\s*")
GOOGLE_SOURCE = "gsheet:"


class Reason(StrEnum):
    """Why a key result needs a check-in."""

    NO_CHECK_IN = "no_check_in"
    STALE = "stale"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class RemindSettings:
    """What counts as needing a check-in, and the language of the reminders."""

    as_of: dt.date
    stale_after: int = 3  # syncs without a change
    due_within: int = 7  # days
    fiscal_year_start_month: int = 1
    lang: str | None = None  # everyone's language; None: each person's or tracker's
    default_lang: str = "en"  # when neither the person nor the tracker says


@dataclass(frozen=True)
class TrackerToRemind:
    """One tracker as read and scored, and the name reminders give it."""

    name: str
    scored: ScoredTracker


@dataclass(frozen=True)
class KrToUpdate:
    """One key result to update: where, what it stands at, and why."""

    tracker: str
    where: str  # the file's name, or the Google Sheet's address
    link: str | None  # the Google Sheet's address, to open it
    tab: str
    cell: str  # the cell to edit, such as H5
    id: str
    title: str
    objective: str
    start: float
    target: float | None
    current: float | None
    unit: str | None
    due: dt.date | None
    reasons: tuple[Reason, ...]
    stale_syncs: int
    log: bool = False  # checked in on a log tab (`tab`): a row is added there, no cell edited


@dataclass(frozen=True)
class Reminder:
    """One email: to one address, in one language, listing that owner's key results."""

    address: str
    name: str  # "" when the owner cell held the address and no list names it
    lang: str
    items: tuple[KrToUpdate, ...]
    names: tuple[str, ...] = ()  # everyone sharing the address, when several are

    @property
    def greeted(self) -> tuple[str, ...]:
        """The names the reminder greets: everyone sharing the address."""
        return tuple(name for name in (self.names or (self.name,)) if name)

    @property
    def trackers(self) -> tuple[str, ...]:
        """The trackers the key results are in, in order."""
        return tuple(dict.fromkeys(item.tracker for item in self.items))


@dataclass(frozen=True)
class Unreached:
    """An owner with key results to update and no address: not reminded."""

    name: str
    trackers: tuple[str, ...]
    key_results: int
    noted: tuple[str, ...] = ()  # trackers whose People tab lists them unusably (a note says)

    def __str__(self) -> str:
        count = f"{self.key_results} key result{'s' if self.key_results > 1 else ''}"
        return f"{self.name} ({count} in {', '.join(self.trackers)})"


@dataclass(frozen=True)
class ReminderPlan:
    """Every reminder to send, the owners it cannot reach, and what to tell about it."""

    reminders: tuple[Reminder, ...]
    unreached: tuple[Unreached, ...]
    unowned: int  # key results needing a check-in whose Owner is blank
    notes: tuple[str, ...]  # warnings: owners' People cells (remind/notes.py), shared addresses


def sheet_link(source: str) -> str | None:
    """The Google Sheet's address for gsheet:KEY; None for a file."""
    if source.startswith(GOOGLE_SOURCE):
        return f"https://docs.google.com/spreadsheets/d/{source[len(GOOGLE_SOURCE) :]}/edit"
    return None


def plan_reminders(
    trackers: Sequence[TrackerToRemind], settings: RemindSettings, people: People = NO_PEOPLE
) -> ReminderPlan:
    """The reminders of the as-of date for the key results of `trackers`; `people` is the
    run's [people] table, for the names a tracker's own People tab does not list."""
    by_address: dict[str, tuple[list[Person], list[KrToUpdate], list[str]]] = {}
    unreached: dict[str, tuple[str, list[str], int, list[str]]] = {}
    unowned = 0
    notes: list[str] = []
    for tracker in trackers:
        own = tracker.scored.tracker.people
        unusable: set[str] = set()  # owners listed in the People tab without an address
        reminded: list[Person] = []
        for kr, item in _to_update(tracker, settings):
            owners = _owners(kr.owner or "", own, people)
            if not owners:
                unowned += 1
            for name, person in owners:
                if person is None:
                    key = name_key(name)
                    shown, where, count, noted = unreached.get(key, (name, [], 0, []))
                    listed = {p for p in (name, *_SEVERAL.split(name)) if own.lists_unusably(p)}
                    unusable |= listed
                    noted = [*noted, tracker.name] if listed else noted
                    unreached[key] = (shown, [*where, tracker.name], count + 1, noted)
                    continue
                reminded.append(person)
                persons, items, texts = by_address.setdefault(person.email.casefold(),
                                                              ([], [], []))  # fmt: skip
                if all(name_key(p.name) != name_key(person.name) for p in persons):
                    persons.append(person)
                if item not in items:
                    items.append(item)
                    texts.extend((kr.title, kr.owner or ""))
        notes.extend(people_notes(tracker.name, own, unusable, reminded))
    reminders: list[Reminder] = []
    for persons, items, texts in by_address.values():
        named = [p for p in persons if p.name] or persons[:1]
        if len(named) > 1:
            notes.append(shared(named))
        first = named[0]
        names = tuple(p.name for p in named) if len(named) > 1 else ()
        lang = _language(first, texts, settings)
        reminders.append(Reminder(first.email, first.name, lang, tuple(items), names))
    missing = tuple(
        Unreached(name, tuple(dict.fromkeys(where)), count, tuple(dict.fromkeys(noted)))
        for name, where, count, noted in unreached.values()
    )
    return ReminderPlan(tuple(reminders), missing, unowned, tuple(notes))


def _language(person: Person, texts: list[str], settings: RemindSettings) -> str:
    """The given language, else the person's, else Korean for Korean titles or names."""
    if settings.lang:
        return settings.lang
    if person.lang:
        return person.lang
    return "ko" if language_of([*texts, person.name]) == "ko" else settings.default_lang


def _owners(owner: str, own: People, people: People) -> list[tuple[str, Person | None]]:
    """Each owner an Owner cell names, with the person found for them (None: no address).
    A cell is split ("Lee, Kim") only when every part is somebody: "Kim, Minji" is one
    person's name as some write it, never Kim's."""
    text = " ".join(owner.split())
    if not text:
        return []
    whole = _person(text, own, people)
    if whole is not None:
        return [(text, whole)]
    parts = [part for part in _SEVERAL.split(text) if part]
    found = [_person(part, own, people) for part in parts]
    if len(parts) < 2 or any(person is None for person in found):
        return [(text, None)]
    return [(part, person) for part, person in zip(parts, found, strict=True)]


def _person(name: str, own: People, people: People) -> Person | None:
    """The person a name (or an address) is: the tracker's own People tab, then [people].
    A name the People tab lists without a usable address is nobody's (its note says why)."""
    if is_address(name):
        return own.named(name) or people.named(name) or Person("", name)
    if own.lists_unusably(name):
        return None
    return own.find(name) or (None if people.lists_unusably(name) else people.find(name))


def _to_update(
    tracker: TrackerToRemind, settings: RemindSettings
) -> list[tuple[KeyResult, KrToUpdate]]:
    """The tracker's key results that need a check-in, with what the reminder says of them."""
    scored = tracker.scored
    plan = scored.tracker
    objectives = {o.id: o for o in plan.objectives}
    quarter = _current_quarter(plan.objectives, settings)
    cells = CellFinder(plan.layouts)
    health = scored.card.key_results.get("health")
    unchanged = _unchanged(scored.history, settings.as_of, settings.stale_after)
    link = sheet_link(scored.source)
    where = link or Path(scored.source).name
    # A key result checked in on a log tab gets a row added there, not its Current edited;
    # so does one of a tab without a Current column when the tracker keeps a log.
    logs = {c.key_result_id: c.location.tab for c in plan.check_ins}
    default_log = plan.check_ins[-1].location.tab if plan.check_ins else None
    columns = {layout.tab: layout.columns for layout in plan.layouts}

    def has_current(tab: str) -> bool:
        return col.CURRENT in columns.get(tab, {})

    found: list[tuple[KeyResult, KrToUpdate]] = []
    for kr in plan.key_results:
        objective = objectives.get(kr.objective_id)
        if not kr.readable or objective is None or objective.quarter != quarter:
            continue
        done = kr.status is Status.DONE or (
            health is not None and kr.id in health.index and health[kr.id] == Health.DONE
        )
        reasons: list[Reason] = []
        if not kr.checked_in:
            reasons.append(Reason.NO_CHECK_IN)
        elif not done and kr.current is not None and unchanged.get(kr.id) == kr.current:
            reasons.append(Reason.STALE)
        due_in = (kr.due - settings.as_of).days if kr.due is not None else None
        if not done and due_in is not None and 0 <= due_in <= settings.due_within:
            reasons.append(Reason.DUE_SOON)
        elif not done and due_in is not None and due_in < 0:
            reasons.append(Reason.OVERDUE)
        if not reasons:
            continue
        log_tab = logs.get(kr.id) or (default_log if not has_current(kr.location.tab) else None)
        tab, cell = (log_tab, "") if log_tab else (
            kr.location.tab, cells.at(kr.location, col.CURRENT, Level.KEY_RESULT))  # fmt: skip
        item = KrToUpdate(
            tracker.name, where, link, tab, cell, kr.id, kr.title, objective.title, kr.start,
            kr.target, kr.current, kr.unit, kr.due, tuple(reasons), settings.stale_after,
            log_tab is not None,
        )  # fmt: skip
        found.append((kr, item))
    return found


def _current_quarter(objectives: tuple[Objective, ...], settings: RemindSettings) -> Quarter:
    """The as-of date's quarter, or the latest begun before it when the plan has none yet
    (the first days of a quarter, last quarter's plan still in use)."""
    month = settings.fiscal_year_start_month
    today = Quarter.containing(settings.as_of, month)
    begun = [o.quarter for o in objectives if o.quarter.start(month) <= settings.as_of]
    return today if today in begun or not begun else max(begun)


def _unchanged(history: pd.DataFrame, as_of: dt.date, syncs: int) -> dict[str, float]:
    """Each key result's Current when it stayed the same over its last `syncs` snapshots
    before the as-of date (lint's kr-stale), by id."""
    if history.empty:
        return {}
    earlier = history[history["date"] < as_of].sort_values("date", kind="stable")
    found: dict[str, float] = {}
    for kr_id, values in earlier.groupby("id")["current"]:
        past = list(values)[-syncs:]
        if len(past) >= syncs and len(set(past)) == 1 and not pd.isna(past[0]):
            found[str(kr_id)] = float(past[0])
    return found

"""Real .xlsx plans for the leadership-summary tests, synced on several dates for a History."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.sync import SyncOptions, sync_source
from tests.support.workbooks import TYPE_HEADER, write_workbook

AS_OF = dt.date(2026, 11, 30)
TAB = "2026-Q4"
EXPECTED = 60 / 92  # 2026-11-30 is day 60 of the 92 days of 2026-Q4

# Current values per KR title at each sync; the workbook starts with the first ones.
SNAPSHOTS: tuple[tuple[dt.date, dict[str, float]], ...] = (
    (dt.date(2026, 11, 2), {"Grow ARR to 100": 20, "Sign 100 partners": 30,
                            "Cut churn to 100": 55, "Reach 100 press mentions": 5}),
    (dt.date(2026, 11, 16), {"Grow ARR to 100": 40, "Sign 100 partners": 30,
                             "Cut churn to 100": 55, "Reach 100 press mentions": 10}),
    (AS_OF, {"Grow ARR to 100": 60, "Sign 100 partners": 30,
             "Cut churn to 100": 45, "Reach 100 press mentions": 20}),
)  # fmt: skip


def key_result(title: str, owner: str, start: float, target: float, current: float | None,
               unit: str | None = None) -> list[Any]:  # fmt: skip
    """A Key Result row of the type layout."""
    return ["Key Result", title, owner, None, None, start, target, current, unit]


def action(title: str, owner: str | None, due: str, status: str) -> list[Any]:
    """An Action row of the type layout."""
    return ["Action", title, owner, None, None, None, None, None, None, None, due, status]


def objective(title: str, owner: str, team: str) -> list[Any]:
    """An Objective row of the type layout."""
    return ["Objective", title, owner, team]


def sync(path: Path, day: dt.date) -> None:
    """`sheets-okr sync` on a day, as a cron job would run it."""
    moment = dt.datetime.combine(day, dt.time(8, 30), tzinfo=dt.UTC)
    sync_source(str(path), ReadOptions(day), options=SyncOptions(allow_problems=True, now=moment))


def set_currents(path: Path, currents: Mapping[str, float | None]) -> None:
    """Type new Current values into the rows with these titles, as a person would."""
    workbook = load_workbook(path)
    sheet = workbook[TAB]
    header = [cell.value for cell in sheet[1]]
    title_col, current_col = header.index("Title") + 1, header.index("Current") + 1
    for row in range(2, sheet.max_row + 1):
        title = sheet.cell(row, title_col).value
        if isinstance(title, str) and title in currents:
            sheet.cell(row, current_col, currents[title])
    workbook.save(path)


def write_and_sync(
    path: Path,
    rows: Sequence[Sequence[Any]],
    snapshots: Sequence[tuple[dt.date, Mapping[str, Any]]],
) -> Path:
    """Write a plan, then for each snapshot type its Current values and sync on its date."""
    write_workbook(path, {TAB: [TYPE_HEADER, *rows]})
    for day, currents in snapshots:
        set_currents(path, currents)
        sync(path, day)
    return path


def team_plan(
    path: Path, snapshots: Sequence[tuple[dt.date, Mapping[str, Any]]] = SNAPSHOTS
) -> Path:
    """Two teams, five KRs, actions around the as-of date; synced at every snapshot.

    At 2026-11-30 (expected 65%): ARR 60% on track, partners 30% off track, churn 45% at
    risk, press 20% off track, awareness without a check-in. Growth 45%, Brand 10%.
    """
    rows = [
        objective("Grow revenue", "Dana", "Growth"),
        key_result("Grow ARR to 100", "Ann", 0, 100, 20, "k$"),
        action("Send the renewal offers", "Ann", "2026-11-20", "In progress"),
        action("Price the new tier", "Ann", "2026-11-10", "Done"),
        key_result("Sign 100 partners", "Bob", 0, 100, 30),
        action("Call the ten biggest partners", "Bob", "2026-12-03", "Not started"),
        action("Draft the partner contract", "Bob", "2026-12-02", "Done"),
        action("Plan the partner summit", "Bob", "2026-12-20", "Not started"),
        action("Review the partner list", "Bob", "2026-11-30", "In progress"),
        action("Book the partner webinar", "Bob", "2026-12-07", "Not started"),
        action("Print the partner kit", "Bob", "2026-12-08", "Not started"),
        key_result("Cut churn to 100", "Cat", 0, 100, 55),
        objective("Build brand", "Eve", "Brand"),
        key_result("Lift awareness to 10", "Dan", 0, 10, None),
        key_result("Reach 100 press mentions", "Eve", 0, 100, 5),
        action("Pitch three journalists", None, "2026-11-25", "Not started"),
    ]
    return write_and_sync(path, rows, snapshots)


LONG_KR = ("increase the number of qualified pipeline opportunities sourced from partner"
           " webinars, field events and co-marketing campaigns in every region")  # fmt: skip
LONG_OBJECTIVE = ("make the quarterly demand generation engine predictable across every"
                  " region, segment and channel we sell in")  # fmt: skip

LONG_LINK = "https://wiki.example.com/marketing/okrs/2026-q4/demand-generation/pipeline-attribution"


def big_plan(path: Path, teams: int = 1) -> Path:
    """100 KRs: 20 objectives of 5 KRs with long titles, each KR with an action; two syncs."""
    rows: list[list[Any]] = []
    before: dict[str, float] = {}
    after: dict[str, float] = {}
    for o in range(20):
        rows.append(
            objective(f"Objective {o + 1}: {LONG_OBJECTIVE}", f"Owner {o}", f"Team {o % teams}")
        )
        for k in range(5):
            title = f"KR {o + 1}.{k + 1}: {LONG_KR}"
            if o == k == 0:  # one unbreakable run of text, as a pasted link is
                title += " " + LONG_LINK
            before[title] = (o * 5 + k) * 7 % 90
            after[title] = before[title] + (k * 3 - 4)
            rows.append(key_result(title, f"Person {k}", 0, 100, before[title], "opportunities"))
            rows.append(action(f"Action {o + 1}.{k + 1}: follow up every attendee of the {LONG_KR}",
                               f"Person {k}", f"2026-11-2{k}", "In progress"))  # fmt: skip
    return write_and_sync(path, rows, [(dt.date(2026, 11, 16), before), (AS_OF, after)])


SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
NEWLINE_TITLE = "Line one\nLine two"


def hostile_plan(path: Path) -> Path:
    """A plan whose titles are HTML and a line break, as anybody with edit rights can type."""
    rows = [
        objective(IMG, "Mallory", "Red team"),
        key_result(SCRIPT, "Mallory", 0, 100, 10),
        key_result(NEWLINE_TITLE, "Mallory & Co", 0, 100, 50),
        objective("A normal objective", "Dana", "Blue team"),
        key_result("A normal key result", "Dana", 0, 10, 6),
    ]
    return write_and_sync(path, rows, [(dt.date(2026, 11, 16), {}), (AS_OF, {SCRIPT: 12})])


def teams_tracker(path: Path, prefix: str, scores: Sequence[float]) -> Path:
    """One objective and one KR (0 to 100, now `score`) per team, teams named "PREFIX
    team N"; no History."""
    rows: list[list[Any]] = []
    for n, score in enumerate(scores):
        rows.append(objective(f"{prefix} objective {n}", "Dana", f"{prefix} team {n}"))
        rows.append(key_result(f"{prefix} result {n}", "Ann", 0, 100, score))
    write_workbook(path, {TAB: [TYPE_HEADER, *rows]})
    return path


def crowded_plan(path: Path, team: str = "Ops") -> Path:
    """One team, three objectives of three key results, each at 60% (on track against a 65%
    pace, so none needs attention): enough rows to cap; no History."""
    rows: list[list[Any]] = []
    for o in range(1, 4):
        rows.append(objective(f"{team} objective {o}", "Dana", team))
        rows += [key_result(f"{team} result {o}.{k}", "Ann", 0, 100, 60) for k in range(1, 4)]
    write_workbook(path, {TAB: [TYPE_HEADER, *rows]})
    return path

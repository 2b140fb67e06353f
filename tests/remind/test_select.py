"""Who is reminded of what: the key results needing a check-in, grouped by owner's address."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sheets_okr.actions.score import ReadOptions, score_source
from sheets_okr.model.people import People, Person
from sheets_okr.remind.select import (
    Reason,
    ReminderPlan,
    RemindSettings,
    TrackerToRemind,
    plan_reminders,
    sheet_link,
)
from tests.support.reminders import (
    AS_OF,
    HEADER,
    history_rows,
    people_rows,
    plan_rows,
    tracker,
)
from tests.support.workbooks import write_workbook


def plan(
    *trackers: tuple[str, Path], people: People | None = None, **settings: Any
) -> ReminderPlan:
    """The reminders of AS_OF for real workbooks, each named as given."""
    read = [TrackerToRemind(name, score_source(str(path), ReadOptions(AS_OF)))
            for name, path in trackers]  # fmt: skip
    return plan_reminders(read, RemindSettings(AS_OF, **settings), people or People())


def items(result: ReminderPlan, address: str) -> dict[str, tuple[Reason, ...]]:
    """The key results of one owner's reminder, by id, with why each is listed."""
    reminder = next(r for r in result.reminders if r.address == address)
    return {item.id: item.reasons for item in reminder.items}


def test_stale_and_due_soon_key_results_are_listed_with_their_cells(tmp_path: Path) -> None:
    """Lee's stale and due-soon key results are listed with their Current cells; Dana's not."""
    result = plan(("Growth", tracker(tmp_path / "okrs.xlsx", people=people_rows())))
    assert items(result, "lee@example.com") == {"KR-2": (Reason.STALE,),
                                                "KR-4": (Reason.DUE_SOON,)}  # fmt: skip
    lee = result.reminders[0]
    assert [(i.tab, i.cell, i.where, i.link) for i in lee.items] == [
        ("2026-Q4", "H4", "okrs.xlsx", None), ("2026-Q4", "H6", "okrs.xlsx", None),
    ]  # fmt: skip
    assert [r.address for r in result.reminders] == ["lee@example.com"]


def test_an_owner_without_an_address_is_listed_once(tmp_path: Path) -> None:
    """Kim, without an address in two trackers, is listed once with both trackers."""
    result = plan(("Growth", tracker(tmp_path / "a.xlsx", people=people_rows())),
                  ("Brand", tracker(tmp_path / "b.xlsx", "Brand")))  # fmt: skip
    assert [(u.name, u.trackers, u.key_results) for u in result.unreached] == [
        ("Kim", ("Growth", "Brand"), 2), ("Lee", ("Brand",), 2),
    ]  # fmt: skip
    assert result.unowned == 2


def test_another_trackers_people_tab_is_never_used(tmp_path: Path) -> None:
    """Lee is on Growth's People tab only: Brand's Lee may be somebody else, so is unreached."""
    result = plan(("Growth", tracker(tmp_path / "a.xlsx", people=people_rows())),
                  ("Brand", tracker(tmp_path / "b.xlsx", "Brand")))  # fmt: skip
    lee = next(r for r in result.reminders if r.address == "lee@example.com")
    assert lee.trackers == ("Growth",)
    assert ("Lee", ("Brand",), 2) in [(u.name, u.trackers, u.key_results) for u in result.unreached]


def test_a_name_listed_twice_in_its_own_tab_is_never_resolved_elsewhere(tmp_path: Path) -> None:
    """Lee twice with two addresses on the tracker's tab: unreached even though [people] and
    another tracker's tab give Lee an address; the note names the cell."""
    clash = [["Name", "Email"], ["Lee", "lee@example.com"], ["Lee", "lee.min@example.com"]]
    people = People((Person("Lee", "lee@example.com"),))
    result = plan(("Growth", tracker(tmp_path / "a.xlsx", people=clash)),
                  ("Brand", tracker(tmp_path / "b.xlsx", "Brand", people=people_rows())),
                  people=people)  # fmt: skip
    lee = next(r for r in result.reminders if r.address == "lee@example.com")
    assert lee.trackers == ("Brand",)
    unreached = [(u.name, u.trackers, u.key_results) for u in result.unreached]
    assert ("Lee", ("Growth",), 2) in unreached
    assert any(note.startswith("Growth: People!B3: ") for note in result.notes)


def test_a_cell_is_split_only_when_every_part_is_somebody(tmp_path: Path) -> None:
    """An owner cell "Kim, Minji" with only Kim listed is one unreached owner, not Kim."""
    rows: list[list[Any]] = [HEADER, ["O-1", "Objective", "Grow", "Sam"],
            ["KR-1", "Key Result", "Win 10 deals", "Kim, Minji", None, 0, 10]]  # fmt: skip
    people = [["Name", "Email"], ["Kim", "kim@example.com"]]
    path = write_workbook(tmp_path / "a.xlsx", {"2026-Q4": rows, "People": people})
    result = plan(("Growth", path))
    assert result.reminders == ()
    assert [u.name for u in result.unreached] == ["Kim, Minji"]


def test_an_overdue_key_result_not_done_is_listed(tmp_path: Path) -> None:
    """A key result due three days ago and not done is listed as overdue; a done one is not."""
    rows: list[list[Any]] = [HEADER, ["O-1", "Objective", "Grow", "Sam"],
            ["KR-1", "Key Result", "Win 10 deals", "Lee", None, 0, 10, 4, None,
             AS_OF - dt.timedelta(days=3)],
            ["KR-2", "Key Result", "Win 5 deals", "Lee", None, 0, 5, 5, None,
             AS_OF - dt.timedelta(days=3)]]  # fmt: skip
    path = write_workbook(tmp_path / "a.xlsx", {"2026-Q4": rows, "People": people_rows()})
    assert items(plan(("Growth", path)), "lee@example.com") == {"KR-1": (Reason.OVERDUE,)}


def test_a_logged_key_result_points_to_the_log_tab(tmp_path: Path) -> None:
    """KR-2, checked in on the Check-ins tab, points there; KR-3, never logged, to Current."""
    log: list[list[Any]] = [
        ["Date", "KR ID", "Value"],
        [AS_OF - dt.timedelta(days=14), "KR-2", 4],
        [AS_OF - dt.timedelta(days=7), "KR-2", 4],
    ]
    people = [*people_rows(), ["Kim", None, "kim@example.com"]]
    path = write_workbook(
        tmp_path / "a.xlsx",
        {"2026-Q4": plan_rows(), "Check-ins": log, "History": history_rows(), "People": people},
    )
    result = plan(("Growth", path))
    lee = next(r for r in result.reminders if r.address == "lee@example.com")
    kr2 = next(i for i in lee.items if i.id == "KR-2")
    assert (kr2.tab, kr2.cell, kr2.log) == ("Check-ins", "", True)
    kim = next(r for r in result.reminders if r.address == "kim@example.com")
    assert [(i.tab, i.cell, i.log) for i in kim.items] == [("2026-Q4", "H5", False)]


def test_one_address_of_two_people_is_warned_and_greets_both(tmp_path: Path) -> None:
    """Lee and Kim both at lee@example.com: one reminder naming both, and a note with cells."""
    people = [["Name", "Email"], ["Lee", "lee@example.com"], ["Kim", "lee@example.com"]]
    result = plan(("Growth", tracker(tmp_path / "a.xlsx", people=people)))
    assert [(r.address, r.greeted) for r in result.reminders] == [
        ("lee@example.com", ("Lee", "Kim"))
    ]
    assert any(note.startswith("People!A2, People!A3: Lee and Kim share the address")
               for note in result.notes)  # fmt: skip


def test_an_owner_cell_holding_an_address_takes_the_listed_name(tmp_path: Path) -> None:
    """An Owner "dana@example.com" is Dana of the People tab; an unlisted address has no name."""
    rows: list[list[Any]] = [HEADER, ["O-1", "Objective", "Grow", "Sam"],
            ["KR-1", "Key Result", "Win 10 deals", "dana@example.com", None, 0, 10],
            ["KR-2", "Key Result", "Win 5 deals", "jo@example.com", None, 0, 5]]  # fmt: skip
    path = write_workbook(tmp_path / "a.xlsx", {"2026-Q4": rows, "People": people_rows()})
    names = {r.address: r.name for r in plan(("Growth", path)).reminders}
    assert names == {"dana@example.com": "Dana", "jo@example.com": ""}


def test_an_owner_of_two_trackers_gets_one_reminder(tmp_path: Path) -> None:
    """Lee, owning key results in two trackers, gets one reminder listing them all."""
    people = People((Person("Lee", "lee@example.com"),))
    result = plan(("Growth", tracker(tmp_path / "a.xlsx", people=people_rows())),
                  ("Brand", tracker(tmp_path / "b.xlsx", "Brand")), people=people)  # fmt: skip
    lee = [r for r in result.reminders if r.address == "lee@example.com"]
    assert len(lee) == 1
    assert lee[0].trackers == ("Growth", "Brand")
    assert len(lee[0].items) == 4


def test_the_configuration_gives_names_the_people_tab_does_not(tmp_path: Path) -> None:
    """Kim is not on the People tab; [people] has Kim, so Kim is reminded of KR-3."""
    people = People((Person("kim", "kim@example.com"),))
    result = plan(("Growth", tracker(tmp_path / "a.xlsx", people=people_rows())), people=people)
    assert items(result, "kim@example.com") == {"KR-3": (Reason.NO_CHECK_IN,)}
    assert result.unreached == ()


def test_an_owner_cell_naming_two_people_reminds_both(tmp_path: Path) -> None:
    """An Owner "Lee, Dana" on a key result without a check-in reminds Lee and Dana of it."""
    rows: list[list[Any]] = [HEADER, ["O-1", "Objective", "Grow", "Sam"],
            ["KR-1", "Key Result", "Win 10 deals", "Lee, Dana", None, 0, 10]]  # fmt: skip
    path = write_workbook(tmp_path / "a.xlsx", {"2026-Q4": rows, "People": people_rows()})
    result = plan(("Growth", path))
    assert {r.address for r in result.reminders} == {"lee@example.com", "dana@example.com"}


def test_done_and_last_quarters_key_results_are_not_listed(tmp_path: Path) -> None:
    """A key result done and due tomorrow, and a Q3 one without a check-in: nothing to do."""
    rows: list[list[Any]] = [HEADER, ["O-1", "Objective", "Grow", "Sam"],
            ["KR-1", "Key Result", "Win 10 deals", "Lee", None, 0, 10, 10, None,
             AS_OF + dt.timedelta(days=1)]]  # fmt: skip
    old: list[list[Any]] = [HEADER, ["O-9", "Objective", "Old", "Sam"],
           ["KR-9", "Key Result", "Old deals", "Lee", None, 0, 10]]  # fmt: skip
    path = write_workbook(tmp_path / "a.xlsx",
                          {"2026-Q4": rows, "2026-Q3": old, "People": people_rows()})  # fmt: skip
    assert plan(("Growth", path)).reminders == ()


def test_the_language_is_the_persons_then_the_trackers(tmp_path: Path) -> None:
    """A Korean title makes a Korean reminder; a person's own language wins over it."""
    rows: list[list[Any]] = [HEADER, ["O-1", "Objective", "한국 시장", "Sam"],
            ["KR-1", "Key Result", "파트너 10곳 계약", "Lee", None, 0, 10],
            ["KR-2", "Key Result", "웨비나 400명", "Dana", None, 0, 400]]  # fmt: skip
    people: list[list[Any]] = [["Name", "Email", "Language"], ["Lee", "lee@example.com", None],
              ["Dana", "dana@example.com", "English"]]  # fmt: skip
    path = write_workbook(tmp_path / "a.xlsx", {"2026-Q4": rows, "People": people})
    result = plan(("Korea", path))
    assert {r.address: r.lang for r in result.reminders} == {
        "lee@example.com": "ko", "dana@example.com": "en",
    }  # fmt: skip


def test_a_google_sheet_is_linked() -> None:
    """gsheet:KEY becomes the sheet's address; a file has no link."""
    assert sheet_link("gsheet:1AbC") == "https://docs.google.com/spreadsheets/d/1AbC/edit"
    assert sheet_link("/srv/okr/a.xlsx") is None

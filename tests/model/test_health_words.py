"""Health as a sheet shows it: words in the tracker's language, read back in any language."""

from __future__ import annotations

import datetime as dt

import pytest

from sheets_okr.model.health_words import (
    fills,
    health_words,
    language_of,
    machine_health,
    shown_health,
)
from sheets_okr.model.tracker import Health
from sheets_okr.plan.columns import HEALTH_COLOURS
from sheets_okr.read.history import read_history
from sheets_okr.sources.grid import CellValue, SheetGrid, WorkbookGrid


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Done", "On track", "At risk", "Off track", "No data"]),
        ("ko", ["완료", "순항", "위험", "이탈", "데이터 없음"]),
    ],
)
def test_each_health_has_words_in_each_language(lang: str, words: list[str]) -> None:
    """The same words the leadership summary uses, one per health value."""
    machine = ["done", "on_track", "at_risk", "off_track", "no_data"]
    assert [shown_health(value, lang) for value in machine] == words
    assert set(health_words(lang)) == {health.value for health in Health}


def test_words_of_any_language_read_back_as_machine_words() -> None:
    """On track, 순항, on_track (an earlier version's cell) and odd case all read the same."""
    for text in ("On track", "on track", " 순항 ", "on_track", "ON TRACK"):
        assert machine_health(text) == "on_track"
    assert machine_health("green-ish") == ""


def test_the_language_is_korean_when_the_headers_are() -> None:
    """Any Hangul among the header cells makes the words Korean; otherwise English."""
    assert language_of(["유형", "제목", 3]) == "ko"
    assert language_of(["Type", "Title", None, dt.date(2026, 1, 1)]) == "en"


def test_every_word_has_its_colour() -> None:
    """The fill of each health is found by its words in both languages and its machine word."""
    colours = fills(HEALTH_COLOURS)
    assert (
        colours["On track"] == colours["순항"] == colours["on_track"] == HEALTH_COLOURS["on_track"]
    )


def test_history_reads_words_of_any_language_as_machine_words() -> None:
    """A History tab of words (either language) or of machine words reads as machine words."""
    rows: list[list[CellValue]] = [
        ["Date", "ID", "Title", "Current", "Progress", "Score", "Health"],
        [dt.date(2026, 11, 16), "KR-1", "Visits", 20, 0.2, 0.2, "At risk"],
        [dt.date(2026, 11, 23), "KR-1", "Visits", 25, 0.5, 0.5, "순항"],
        [dt.date(2026, 11, 30), "KR-1", "Visits", 30, 1.0, 1.0, "done"],
    ]
    grid = WorkbookGrid("x.xlsx", (SheetGrid("History", rows, (), False),))
    assert list(read_history(grid)["health"]) == ["at_risk", "on_track", "done"]

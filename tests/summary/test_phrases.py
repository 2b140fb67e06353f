"""Numbers in the summary's words: any float a sheet or a score can hold is written, none
ends the summary."""

from __future__ import annotations

import math

import pytest

from sheets_okr.summary.phrases import Phrases


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1e27, "1E27"),
        (-1.234e27, "-1.234E27"),
        (1e15, "1E15"),
        (999_999_999_999_999.0, "999,999,999,999,999"),
        (1.7976931348623157e308, "1.798E308"),
        (math.inf, "∞"),
        (-math.inf, "-∞"),
    ],
)
def test_huge_and_infinite_figures_are_written(lang: str, value: float, shown: str) -> None:
    """Past 10^15 a figure is written in scientific notation (Babel's own rounding raised
    InvalidOperation from 10^25), and infinity as ∞."""
    assert Phrases(lang).number(value).startswith(shown)


def test_not_a_number_is_a_dash() -> None:
    """NaN reads as no value, like None, in every formatter."""
    words = Phrases("en")
    nan = math.nan
    assert (words.number(nan, "MQLs"), words.percent(nan), words.points(nan)) == ("–",) * 3


def test_huge_percentages_and_points_are_written() -> None:
    """A score or a change far beyond 100% is written too, never raising."""
    words = Phrases("en")
    assert words.percent(1e25) == "1E27%"
    assert words.percent(math.inf) == "∞%"
    assert words.points(1e27) == "+1E29"
    assert words.points(-math.inf) == "−∞"
    assert words.percent(0.553) == "55%"
    assert words.points(0.045) == "+4.5"  # no "pp": the sentence says what it is


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (1_000_000_000, "원", "10억 원"),
        (1_300_000, "₩", "130만 원"),
        (15_600_000, "원", "1,560만 원"),
        (1_234_567_890, "원", "12억 3,457만 원"),
        (5_000, "원", "5,000 원"),
        (5_000, "₩", "5,000 원"),
        (12_000, "원", "1만 2,000 원"),
        (12_109, "명", "12,109명"),
    ],
)
def test_korean_amounts_in_man_and_eok(value: float, unit: str, shown: str) -> None:
    """Korean amounts of money are written in 만 and 억, as Koreans read them, always with
    a space before 원 (5,000 원 as 1만 2,000 원)."""
    assert Phrases("ko").number(value, unit) == shown


@pytest.mark.parametrize(
    ("text", "particle"),
    [("100", "으로"), ("5", "로"), ("3", "으로"), ("10억 원", "으로"), ("20%", "로"),
     ("1,000명", "으로"), ("12개", "로"), ("$12,000", "로"), ("7", "로"), ("MQLs", "로")],
)  # fmt: skip
def test_korean_particle_follows_the_last_sound(text: str, particle: str) -> None:
    """(으)로 is resolved by how the target ends when read aloud: 100으로, 5로."""
    assert Phrases("ko").to(text) == particle
    assert Phrases("en").to(text) == ""


def test_plurals_and_percent_units() -> None:
    """1 day, 2 days; a percent unit sticks to its number; one date format."""
    import datetime as dt

    words = Phrases("en")
    assert words.due(-1) == "1 day overdue"
    assert words.due(-2) == "2 days overdue"
    assert words.due(1) == "due in 1 day"
    assert words.number(5, "%") == "5%"
    assert words.date(dt.date(2026, 11, 30)) == "Nov 30, 2026"
    assert Phrases("ko").date(dt.date(2026, 11, 30)) == "2026년 11월 30일"
    assert words.lead(0.55, 0.65) == "55%, 10 points behind the 65% pace"
    assert words.lead(0.64, 0.65) == "64%, 1 point behind the 65% pace"
    assert words.lead(0.70, 0.65) == "70%, 5 points ahead of the 65% pace"
    assert words.counts(2, 2, 0, 13) == "2 at risk, 2 off track, of 13 key results"

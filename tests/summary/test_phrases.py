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
    assert words.points(1e27) == "+1E29 pp"
    assert words.points(-math.inf) == "−∞ pp"
    assert words.percent(0.553) == "55%"
    assert words.points(0.045) == "+4.5 pp"

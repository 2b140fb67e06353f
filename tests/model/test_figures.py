"""Figures shown as people typed them: percentages Excel keeps as fractions shown in %."""

from __future__ import annotations

import pytest

from sheets_okr.model.figures import shown_figures


@pytest.mark.parametrize(
    ("unit", "title", "values", "expected"),
    [
        # Figures in % that are fractions, with nothing in the title to say otherwise.
        ("%", "Raise the trial rate", (0.2, 0.3, 0.25), ("%", [20.0, 30.0, 25.0])),
        ("%", "Raise the trial rate", (20, 30, 25), ("%", [20, 30, 25])),
        # The title states the percentages: its numbers say which scale the cells are in.
        (None, "리드 전환율을 2%에서 5%로 개선", (0.02, 0.05, 0.031), ("%", [2.0, 5.0, 3.1])),
        ("", "Lift the demo rate from 10 % to 15 %", (0.1, 0.15, None), ("%", [10.0, 15.0, None])),
        ("%", "Raise email click rate from 0.5% to 1%", (0.5, 1, 0.8), ("%", [0.5, 1, 0.8])),
        ("%", "Raise NRR from 95% to 110%", (0.95, 1.1, 1.02), ("%", [95.0, 110.0, 102.0])),
        (None, "Reach a 30% market share", (10, 30, 25), ("%", [10, 30, 25])),
        (
            "％",
            "Raise the open rate from 20％ to 30％",
            (0.2, 0.3, 0.25),
            ("%", [20.0, 30.0, 25.0]),
        ),
        # A percentage in the title about something else, or no percentage at all.
        (None, "Grow ARR 20% to $0.6M", (0.5, 0.6, 0.55), (None, [0.5, 0.6, 0.55])),
        (None, "Cut churn 50% faster", (0.8, 0.4, 0.6), (None, [0.8, 0.4, 0.6])),
        (None, "Raise the NPS ratio from 0.2 to 0.5", (0.2, 0.5, 0.3), (None, [0.2, 0.5, 0.3])),
        ("MQLs", "Win 2% more MQLs", (0.2, 0.5, 0.3), ("MQLs", [0.2, 0.5, 0.3])),
        (None, "Cut churn from 2% to 1%", (0, 0, None), (None, [0, 0, None])),
    ],
)
def test_rates_are_shown_in_the_scale_their_title_or_unit_says(
    unit: str | None,
    title: str,
    values: tuple[float | None, ...],
    expected: tuple[str | None, list[float | None]],
) -> None:
    """Fractions show times 100 as percentages, figures typed as percentages as they are,
    and figures the title does not speak of in percent as they are."""
    shown = shown_figures(unit, title, values)
    figures = [shown(v) for v in values]
    assert shown.unit == expected[0]
    assert [None if f is None else round(f, 9) for f in figures] == expected[1]

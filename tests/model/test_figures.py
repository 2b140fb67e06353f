"""Figures shown as people typed them: percentages Excel keeps as fractions shown in %."""

from __future__ import annotations

import pytest

from sheets_okr.model.figures import shown_figures


@pytest.mark.parametrize(
    ("unit", "title", "values", "expected"),
    [
        ("%", "Raise the trial rate", (0.2, 0.3, 0.25), ("%", [20.0, 30.0, 25.0])),
        ("%", "Raise the trial rate", (20, 30, 25), ("%", [20, 30, 25])),
        (None, "리드 전환율을 2%에서 5%로 개선", (0.02, 0.05, 0.031), ("%", [2.0, 5.0, 3.1])),
        ("", "Lift the demo rate from 10 % to 15 %", (0.1, 0.15, None), ("%", [10.0, 15.0, None])),
        (None, "Raise the NPS ratio from 0.2 to 0.5", (0.2, 0.5, 0.3), (None, [0.2, 0.5, 0.3])),
        ("MQLs", "Win 2% more MQLs", (0.2, 0.5, 0.3), ("MQLs", [0.2, 0.5, 0.3])),
        (None, "Cut churn from 2% to 1%", (0, 0, None), (None, [0, 0, None])),
    ],
)
def test_fractions_in_percent_are_shown_as_percentages(
    unit: str | None,
    title: str,
    values: tuple[float | None, ...],
    expected: tuple[str | None, list[float | None]],
) -> None:
    """Fractions under % (or under a title in percent, without a unit) show times 100."""
    shown = shown_figures(unit, title, values)
    figures = [shown(v) for v in values]
    assert shown.unit == expected[0]
    assert [None if f is None else round(f, 9) for f in figures] == expected[1]

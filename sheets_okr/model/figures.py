"""How a key result's figures are shown to people: percentages kept as fractions.

Excel stores a cell typed as 2% as 0.02 under a percent format; the tool reads the number,
not the format. Which scale a rate's figures are in is read from its title when the title
states percentages ("from 2% to 5%" over 0.02 and 0.05 is in fractions; "from 0.5% to 1%"
over 0.5 and 1 is as typed; "95% to 110%" over 0.95 and 1.1 is in fractions). A title
that says nothing of it leaves figures in `%` that are all fractions (0.2 to 0.3) as
fractions, shown as 20% to 30%; other figures are shown as they are. Scores are ratios and
never change with this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A number the title states as a percentage: 2%, 0.5 %, 1,200%, 15％.
_STATED = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*[%％]")


@dataclass(frozen=True)
class ShownFigures:
    """The unit a key result's figures are shown in, and what each is multiplied by."""

    unit: str | None
    scale: float = 1.0

    def __call__(self, value: float | None) -> float | None:
        """A figure as shown (None stays None)."""
        return None if value is None else value * self.scale


def shown_figures(
    unit: str | None, title: str, values: Sequence[float | None] | Iterable[float | None]
) -> ShownFigures:
    """How to show a key result's figures `values`: start, target, current (in that order)."""
    figures = list(values)
    numbers = [v for v in figures if v is not None]
    word = (unit or "").strip().replace("％", "%")
    if not any(numbers) or word not in ("", "%"):
        return ShownFigures(unit)
    stated = _stated(title)
    planned = [v for v in figures[:2] if v]  # the figures a title states: start, target
    if stated and planned:
        if any(_close(v, s) for v in planned for s in stated):
            return ShownFigures("%")  # typed as the title says them: 0.5 for 0.5%
        if any(_close(v * 100, s) for v in planned for s in stated):
            return ShownFigures("%", 100.0)  # 0.02 for 2%, 1.1 for 110%
        return ShownFigures(unit)
    if word == "%" and all(abs(v) <= 1 for v in numbers):
        return ShownFigures("%", 100.0)
    return ShownFigures(unit)


def _stated(title: str) -> list[float]:
    """The numbers a title states as percentages."""
    return [float(text.replace(",", "")) for text in _STATED.findall(title or "")]


def _close(first: float, second: float) -> bool:
    return abs(first - second) <= 1e-9 * max(1.0, abs(second))

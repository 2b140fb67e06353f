"""How a key result's figures are shown to people: percentages kept as fractions.

Excel stores a cell typed as 2% as 0.02 under a percent format; the tool reads the number,
not the format. So figures in % that are all fractions (0.02 to 0.05) are shown as 2% to
5%, while figures typed as 20 for 20% stay 20%. A key result without a unit whose figures
are fractions and whose title speaks in percent ("from 2% to 5%") is shown in % too.
Scores are ratios and never change with this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_PERCENT_IN_TEXT = re.compile(r"\d\s*%")


@dataclass(frozen=True)
class ShownFigures:
    """The unit a key result's figures are shown in, and what each is multiplied by."""

    unit: str | None
    scale: float = 1.0

    def __call__(self, value: float | None) -> float | None:
        """A figure as shown (None stays None)."""
        return None if value is None else value * self.scale


def shown_figures(unit: str | None, title: str, values: Iterable[float | None]) -> ShownFigures:
    """How to show the figures `values` (start, target, current) of a key result."""
    numbers = [v for v in values if v is not None]
    fractions = bool(numbers) and all(abs(v) <= 1 for v in numbers) and any(numbers)
    word = (unit or "").strip()
    if fractions and (word == "%" or (not word and _PERCENT_IN_TEXT.search(title or ""))):
        return ShownFigures("%", 100.0)
    return ShownFigures(unit)

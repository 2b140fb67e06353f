"""Quarters: naming them as people write them, and where they start and end."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

# `2026-Q4`, `2026 Q4`, `2026Q4`, `Q4 2026`, `Q4-2026`, `Q4/2026`, `FY2026 Q4`, `2026년 4분기`.
_YEAR_FIRST = re.compile(r"(?<!\d)(?:FY\s*)?(\d{4})\s*[-/_ .]?\s*Q([1-4])(?!\d)", re.IGNORECASE)
_QUARTER_FIRST = re.compile(
    r"(?<![A-Za-z])Q([1-4])\s*[-/_ .]?\s*(?:FY\s*)?(\d{4})(?!\d)", re.IGNORECASE
)
_KOREAN = re.compile(r"(\d{4})\s*년\s*([1-4])\s*분기")
# Fiscal years in two digits, named by the year they end in: `FY26 Q2`, `GJ 26-27-Q2`,
# `Q2 FY26/27` (GJ is the German Geschäftsjahr, FJ the Dutch boekjaar).
_FISCAL_FIRST = re.compile(
    r"(?<![A-Za-z])(?:FY|GJ|FJ)\s*'?(\d{2})(?:\s*[-/]\s*'?(\d{2}))?\s*[-/_ .]?\s*Q([1-4])(?!\d)",
    re.IGNORECASE,
)
_FISCAL_LAST = re.compile(
    r"(?<![A-Za-z])Q([1-4])\s*[-/_ .]?\s*(?:FY|GJ|FJ)\s*'?(\d{2})(?:\s*[-/]\s*'?(\d{2}))?(?!\d)",
    re.IGNORECASE,
)
# A quarter with a two-digit year after it: `Q2-26`, `Q4/26`, `Q1 '27` (a separator needed).
_QUARTER_SHORT_YEAR = re.compile(
    r"(?<![A-Za-z])Q([1-4])\s*(?:[-/]|\s')\s*'?(\d{2})(?!\d)", re.IGNORECASE
)
# A quarter named without its year: `Q2`, `Q2 plan`, `2분기`, `2nd quarter`, `Quarter 2`.
_NUMBER_ONLY = re.compile(
    r"(?<![A-Za-z0-9])Q([1-4])(?![0-9])|(?<!\d)([1-4])\s*분기|(?<!\d)([1-4])(?:st|nd|rd|th)\s+quarter"
    r"|quarter\s+([1-4])(?!\d)",
    re.IGNORECASE,
)
_QUARTERISH = re.compile(
    r"(?<![A-Za-z])Q\d|분기|quarter\s*\d|\d(?:st|nd|rd|th)\s+quarter|(?<![A-Za-z])(?:FY|GJ|FJ)\s*'?\d",
    re.IGNORECASE,
)
_YEARS = (2, dt.MAXYEAR - 1)


@dataclass(frozen=True, order=True)
class Quarter:
    """A fiscal or calendar quarter such as 2026-Q4.

    A fiscal year is named by the calendar year in which it ends (FY2026 with a July start
    runs from July 2025 to June 2026), the convention of most companies that use one. With
    the default January start, fiscal and calendar quarters are the same.
    """

    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @classmethod
    def parse(cls, text: str) -> Quarter | None:
        """The one quarter named in text, or None when it names none or several."""
        return _parse_quarter(text)

    @classmethod
    def _parse_uncached(cls, text: str) -> Quarter | None:
        found = {(int(m.group(1)), int(m.group(2))) for m in _YEAR_FIRST.finditer(text)} | {
            (int(m.group(2)), int(m.group(1))) for m in _QUARTER_FIRST.finditer(text)
        }
        found |= {(int(m.group(1)), int(m.group(2))) for m in _KOREAN.finditer(text)}
        found |= {(2000 + int(m.group(2) or m.group(1)), int(m.group(3)))
                  for m in _FISCAL_FIRST.finditer(text)}  # fmt: skip
        found |= {(2000 + int(m.group(3) or m.group(2)), int(m.group(1)))
                  for m in _FISCAL_LAST.finditer(text)}  # fmt: skip
        if not found:  # `Q2-26` only when no four-digit year or fiscal label says otherwise
            found = {(2000 + int(m.group(2)), int(m.group(1)))
                     for m in _QUARTER_SHORT_YEAR.finditer(text)}  # fmt: skip
        # Years whose quarters have dates in every fiscal calendar (0000-Q1 or 9999-Q4 do not).
        found = {(year, number) for year, number in found if _YEARS[0] <= year <= _YEARS[1]}
        if len(found) != 1:
            return None
        year, number = found.pop()
        return cls(year, number)

    @staticmethod
    def number_only(text: str) -> int | None:
        """The quarter number of text naming one quarter without its year (`Q2`, `2분기`)."""
        numbers = {int(next(g for g in m.groups() if g)) for m in _NUMBER_ONLY.finditer(text)}
        return numbers.pop() if len(numbers) == 1 else None

    @staticmethod
    def looks_named(text: str) -> bool:
        """Whether text seems to name a quarter (`Q…`, `FY…`, `분기`), read or not."""
        return _QUARTERISH.search(text) is not None

    @classmethod
    def containing(cls, day: dt.date, fiscal_year_start_month: int = 1) -> Quarter:
        """The quarter a date falls in."""
        months_into_year = (day.month - fiscal_year_start_month) % 12
        fiscal_year = day.year if day.month < fiscal_year_start_month else day.year + 1
        if fiscal_year_start_month == 1:
            fiscal_year = day.year
        return cls(fiscal_year, months_into_year // 3 + 1)

    def start(self, fiscal_year_start_month: int = 1) -> dt.date:
        """The first day of the quarter."""
        first_year = self.year if fiscal_year_start_month == 1 else self.year - 1
        month_index = (fiscal_year_start_month - 1) + 3 * (self.number - 1)
        return dt.date(first_year + month_index // 12, month_index % 12 + 1, 1)

    def next_start(self, fiscal_year_start_month: int = 1) -> dt.date:
        """The first day of the following quarter (the end, exclusive)."""
        first = self.start(fiscal_year_start_month)
        month_index = first.month - 1 + 3
        return dt.date(first.year + month_index // 12, month_index % 12 + 1, 1)

    def end(self, fiscal_year_start_month: int = 1) -> dt.date:
        """The last day of the quarter."""
        return self.next_start(fiscal_year_start_month) - dt.timedelta(days=1)


@lru_cache(maxsize=256)
def _parse_quarter(text: str) -> Quarter | None:
    # A tracker repeats a handful of quarter names on thousands of rows.
    return Quarter._parse_uncached(text)

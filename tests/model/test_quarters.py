"""Quarters: the names people give them, and their dates in calendar and fiscal years."""

from __future__ import annotations

import datetime as dt

import pytest

from sheets_okr.model.quarters import Quarter

Q4_2026 = Quarter(2026, 4)


@pytest.mark.parametrize(
    "text",
    [
        "2026-Q4",
        "2026 Q4",
        "2026Q4",
        "Q4 2026",
        "Q4-2026",
        "q4 2026",
        "Q4/2026",
        "2026년 4분기",
        "2026년4분기",
        "FY2026 Q4",
        "Q4 FY2026",
    ],
)
def test_parse_reads_every_written_form(text: str) -> None:
    """The contract's forms (and a few near variants) all name 2026-Q4."""
    assert Quarter.parse(text) == Q4_2026


@pytest.mark.parametrize(
    "text", ["Marketing Q4 2026", "OKRs 2026-Q4 (draft)", "Q4 2026 plan", "마케팅 2026년 4분기"]
)
def test_parse_finds_a_quarter_embedded_in_a_tab_name(text: str) -> None:
    """A quarter inside a longer tab name is found."""
    assert Quarter.parse(text) == Q4_2026


def test_parse_accepts_the_same_quarter_named_twice() -> None:
    """Two spellings of one quarter still name one quarter."""
    assert Quarter.parse("Q4 2026 (2026-Q4)") == Q4_2026


@pytest.mark.parametrize(
    "text",
    [
        "2026-Q3 vs 2026-Q4",
        "Q1 2026 - Q2 2026",
        "2026년 1분기 / 2026년 2분기",
        "Notes",
        "",
        "2026",
        "Q4",
        "2026-Q5",
        "2026-Q0",
        "HQ1 2026",
        "12026-Q4",
        "2026-Q41",
    ],
)
def test_parse_returns_none_for_no_or_several_quarters(text: str) -> None:
    """Text naming no quarter, an impossible one, or two different ones gives None."""
    assert Quarter.parse(text) is None


def test_str_is_the_canonical_form() -> None:
    """A quarter prints as YYYY-Qn, which parse reads back."""
    assert str(Q4_2026) == "2026-Q4"
    assert Quarter.parse(str(Q4_2026)) == Q4_2026


def test_quarters_order_by_year_then_number() -> None:
    """Quarters sort chronologically."""
    assert sorted([Quarter(2027, 1), Quarter(2026, 4), Quarter(2026, 1)]) == [
        Quarter(2026, 1),
        Quarter(2026, 4),
        Quarter(2027, 1),
    ]


@pytest.mark.parametrize(
    ("quarter", "start", "end", "next_start"),
    [
        (Quarter(2026, 1), "2026-01-01", "2026-03-31", "2026-04-01"),
        (Quarter(2026, 2), "2026-04-01", "2026-06-30", "2026-07-01"),
        (Quarter(2026, 3), "2026-07-01", "2026-09-30", "2026-10-01"),
        (Quarter(2026, 4), "2026-10-01", "2026-12-31", "2027-01-01"),
        (Quarter(2028, 1), "2028-01-01", "2028-03-31", "2028-04-01"),
    ],
)
def test_calendar_quarter_dates(quarter: Quarter, start: str, end: str, next_start: str) -> None:
    """By default Q1 is January to March and Q4 ends on 31 December."""
    assert quarter.start() == dt.date.fromisoformat(start)
    assert quarter.end() == dt.date.fromisoformat(end)
    assert quarter.next_start() == dt.date.fromisoformat(next_start)


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (Quarter(2026, 1), "2025-07-01", "2025-09-30"),
        (Quarter(2026, 2), "2025-10-01", "2025-12-31"),
        (Quarter(2026, 3), "2026-01-01", "2026-03-31"),
        (Quarter(2026, 4), "2026-04-01", "2026-06-30"),
    ],
)
def test_fiscal_year_is_named_by_the_year_it_ends(quarter: Quarter, start: str, end: str) -> None:
    """With a July start, FY2026 runs from 2025-07-01 to 2026-06-30."""
    assert quarter.start(7) == dt.date.fromisoformat(start)
    assert quarter.end(7) == dt.date.fromisoformat(end)


def test_fiscal_q4_next_start_is_the_next_fiscal_year() -> None:
    """The quarter after FY2026 Q4 (July start) begins on 2026-07-01."""
    assert Quarter(2026, 4).next_start(7) == dt.date(2026, 7, 1)


def test_fiscal_year_starting_in_april() -> None:
    """With an April start, FY2027 Q1 is April to June 2026 and Q4 is January to March 2027."""
    assert Quarter(2027, 1).start(4) == dt.date(2026, 4, 1)
    assert Quarter(2027, 4).start(4) == dt.date(2027, 1, 1)
    assert Quarter(2027, 4).end(4) == dt.date(2027, 3, 31)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-01-01", Quarter(2026, 1)),
        ("2026-03-31", Quarter(2026, 1)),
        ("2026-04-01", Quarter(2026, 2)),
        ("2026-11-30", Quarter(2026, 4)),
        ("2026-12-31", Quarter(2026, 4)),
    ],
)
def test_containing_calendar(day: str, expected: Quarter) -> None:
    """containing() gives the calendar quarter of a date by default."""
    assert Quarter.containing(dt.date.fromisoformat(day)) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-07-01", Quarter(2026, 1)),
        ("2025-12-31", Quarter(2026, 2)),
        ("2026-01-01", Quarter(2026, 3)),
        ("2026-06-30", Quarter(2026, 4)),
        ("2026-07-01", Quarter(2027, 1)),
    ],
)
def test_containing_fiscal_july(day: str, expected: Quarter) -> None:
    """With a July start, a date falls in the fiscal year that ends the next June."""
    assert Quarter.containing(dt.date.fromisoformat(day), 7) == expected


@pytest.mark.parametrize("month", range(1, 13))
def test_containing_agrees_with_start_and_end(month: int) -> None:
    """For any fiscal start, a quarter contains its first and last day and quarters tile."""
    for year in (2025, 2026):
        for number in (1, 2, 3, 4):
            quarter = Quarter(year, number)
            start, end = quarter.start(month), quarter.end(month)
            assert Quarter.containing(start, month) == quarter
            assert Quarter.containing(end, month) == quarter
            assert (end - start).days in range(88, 92)  # 89 to 92 days long
            following = Quarter(year, number + 1) if number < 4 else Quarter(year + 1, 1)
            assert following.start(month) == quarter.next_start(month)


@pytest.mark.parametrize("text", ["9999-Q4", "Q1 0000", "0001-Q1"])
def test_parse_rejects_years_whose_quarters_have_no_dates(text: str) -> None:
    """A year whose quarters cannot be dated is not a quarter, so scoring never meets it."""
    assert Quarter.parse(text) is None


@pytest.mark.parametrize("text", ["0002-Q1", "9998-Q4"])
def test_parse_accepts_the_extreme_datable_years(text: str) -> None:
    """The first and last years with dates in every fiscal calendar parse and have dates."""
    quarter = Quarter.parse(text)
    assert quarter is not None
    for month in range(1, 13):
        assert quarter.start(month) < quarter.next_start(month)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GJ 26-27-Q2", Quarter(2027, 2)),
        ("FY26 Q3", Quarter(2026, 3)),
        ("FY'26 Q1", Quarter(2026, 1)),
        ("Q2 FY26/27", Quarter(2027, 2)),
        ("FJ 25-26 Q4", Quarter(2026, 4)),
        ("Q2-26", Quarter(2026, 2)),
        ("Q4/26", Quarter(2026, 4)),
        ("Q1 '27", Quarter(2027, 1)),
    ],
)
def test_two_digit_fiscal_years_are_named_by_the_year_they_end(
    text: str, expected: Quarter
) -> None:
    """FY26, GJ 26-27, FJ 25-26 and Q2-26 read as the (fiscal) year ending in 2026 or 2027."""
    assert Quarter.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "number"),
    [("Q1", 1), ("Q3 plan", 3), ("2분기", 2), ("2nd quarter", 2), ("Quarter 4", 4), ("OKRs", None),
     ("Q1 and Q2", None)],
)  # fmt: skip
def test_a_quarter_without_a_year_gives_only_its_number(text: str, number: int | None) -> None:
    """`Q2` names a quarter but no year; two quarters or none give nothing."""
    assert Quarter.parse(text) is None
    assert Quarter.number_only(text) == number


@pytest.mark.parametrize(
    ("text", "named"),
    [("Q9 Planung", True), ("FY 2026 H1", True), ("3분기 계획", True), ("Quarterly OKRs", False),
     ("OKRs", False), ("Sheet1", False)],
)  # fmt: skip
def test_what_seems_to_name_a_quarter(text: str, named: bool) -> None:
    """Q…, FY…, 분기 look like quarter labels; a word like "Quarterly" alone does not."""
    assert Quarter.looks_named(text) is named

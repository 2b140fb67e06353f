"""Reading single cells as numbers, dates, statuses and the other kinds a column holds."""

from __future__ import annotations

import datetime as dt

import pytest

from sheets_okr.model.tracker import Commitment, Status
from sheets_okr.read.values import (
    Unreadable,
    is_blank,
    read_commitment,
    read_confidence,
    read_date,
    read_number,
    read_quantity,
    read_status,
    read_text,
    read_weight,
    says_done,
)
from sheets_okr.sources.grid import CellError, CellValue, MissingFormulaValue

# --- read_number -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (12, 12.0),
        (12.5, 12.5),
        (0, 0.0),
        ("1,200", 1200.0),
        ("$12,000", 12000.0),
        ("₩1,300,000", 1300000.0),
        ("30 MQLs", 30.0),
        ("20%", 0.2),
        (" 45 ", 45.0),
        ("1,234.5", 1234.5),
        (".5", 0.5),
        ("+7", 7.0),
        ("€1,000", 1000.0),
        ("KRW 5,000", 5000.0),
        ("US$ 5", 5.0),
        ("1,300,000원", 1300000.0),
        ("5 kg", 5.0),
    ],
)
def test_read_number_accepts_the_forms_people_type(cell: CellValue, expected: float) -> None:
    """Numeric cells and text such as `1,200`, `$12,000`, `30 MQLs` and `20%` read as numbers."""
    assert read_number(cell) == pytest.approx(expected)


def test_read_number_returns_a_float_for_an_int_cell() -> None:
    """An integer cell reads as a float, so scores never mix ints and floats."""
    assert isinstance(read_number(3), float)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (-5, -5.0),
        ("-5", -5.0),
        ("−5", -5.0),
        ("-1,200", -1200.0),
        ("-$5", -5.0),
        ("$-5", -5.0),
        ("-20%", -0.2),
        ("(1,200)", -1200.0),
        ("($12,000)", -12000.0),
    ],
)
def test_read_number_reads_negatives(cell: CellValue, expected: float) -> None:
    """A minus sign (ASCII or Unicode) or accounting parentheses make a number negative."""
    assert read_number(cell) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1.2k", 1200.0),
        ("1.2K", 1200.0),
        ("1.2M", 1200000.0),
        ("2bn", 2e9),
        ("$1.5M", 1500000.0),
        ("1,300만원", 13000000.0),
        ("1.5억", 150000000.0),
        ("3천", 3000.0),
    ],
)
def test_read_number_applies_scale_words(cell: str, expected: float) -> None:
    """Scale words k, M, bn, 천, 만 and 억 multiply the number."""
    assert read_number(cell) == pytest.approx(expected)


def test_read_number_does_not_take_a_unit_initial_for_a_scale() -> None:
    """`30 MQLs` is 30 MQLs, not 30 million QLs."""
    assert read_number("30 MQLs") == 30.0


@pytest.mark.parametrize(
    "cell",
    [
        "thirty",
        "12,5",
        "20 to 30",
        "20-30",
        "",
        "$",
        "-",
        "1e5",
        "1,2000",
        "(1,200",
        "1,200)",
        "--5",
        "-$-5",
        "nan",
        "inf",
        "9" * 400,
        True,
        False,
        float("nan"),
        float("inf"),
        float("-inf"),
        CellError("#REF!"),
        CellError("#N/A"),
        MissingFormulaValue("=A1*2"),
        dt.date(2026, 10, 15),
        dt.time(10, 30),
        dt.timedelta(days=1),
        None,
    ],
)
def test_read_number_rejects_what_it_would_have_to_guess(cell: CellValue) -> None:
    """Words, ambiguous separators, ranges, booleans, errors and formulas are not numbers."""
    with pytest.raises(Unreadable):
        read_number(cell)


def test_read_number_message_quotes_the_text() -> None:
    """The message quotes what the cell holds, ready to follow the column name."""
    with pytest.raises(Unreadable, match=r'^"thirty" is not a number$'):
        read_number("thirty")


def test_read_number_message_names_an_error_cell() -> None:
    """An error cell is described by its error code."""
    with pytest.raises(Unreadable, match="the error #REF!"):
        read_number(CellError("#REF!"))


def test_read_number_message_names_a_formula_without_value() -> None:
    """A formula saved without a value is described as such, never read as zero."""
    with pytest.raises(Unreadable, match="formula without a calculated value"):
        read_number(MissingFormulaValue("=B2"))


# --- read_date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.date(2026, 10, 15), dt.date(2026, 10, 15)),
        (dt.datetime(2026, 10, 15, 13, 45), dt.date(2026, 10, 15)),
        ("2026-10-15", dt.date(2026, 10, 15)),
        (" 2026-10-15 ", dt.date(2026, 10, 15)),
        ("2026-10-15T09:30:00", dt.date(2026, 10, 15)),
        ("2026.10.15", dt.date(2026, 10, 15)),
        ("2026. 10. 15.", dt.date(2026, 10, 15)),
        ("2026/10/15", dt.date(2026, 10, 15)),
        ("2026-1-5", dt.date(2026, 1, 5)),
        ("2026년 10월 15일", dt.date(2026, 10, 15)),
        ("2026년10월15일", dt.date(2026, 10, 15)),
        (46310, dt.date(2026, 10, 15)),
        (46310.75, dt.date(2026, 10, 15)),
        (36526, dt.date(2000, 1, 1)),
        (73050, dt.date(2099, 12, 31)),
    ],
)
def test_read_date_accepts_date_cells_iso_korean_text_and_serials(
    cell: CellValue, expected: dt.date
) -> None:
    """Date cells, ISO-like text, Korean dates and Excel serial numbers read as dates."""
    assert read_date(cell) == expected


def test_read_date_returns_a_plain_date_for_a_datetime() -> None:
    """A datetime cell becomes a date, not a datetime (which is also a date subclass)."""
    value = read_date(dt.datetime(2026, 10, 15, 8, 0))
    assert type(value) is dt.date


@pytest.mark.parametrize(
    "cell",
    [
        "10/15/2026",
        "15/10/2026",
        "2026-02-30",
        "2026-13-01",
        "Oct 15",
        "next week",
        "",
        36525,
        73051,
        5,
        -1,
        float("nan"),
        True,
        dt.time(9, 0),
        CellError("#N/A"),
        MissingFormulaValue("=TODAY()"),
        None,
    ],
)
def test_read_date_rejects_ambiguous_invalid_and_out_of_range_values(cell: CellValue) -> None:
    """US or European order, impossible dates and numbers outside 2000-2099 are not guessed."""
    with pytest.raises(Unreadable):
        read_date(cell)


def test_read_date_message_asks_for_iso() -> None:
    """A rejected date says which form to write."""
    with pytest.raises(Unreadable, match="YYYY-MM-DD"):
        read_date("10/15/2026")


# --- read_text and is_blank ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("  Grow traffic ", "Grow traffic"),
        (12.0, "12"),
        (12.5, "12.5"),
        (7, "7"),
        (dt.date(2026, 10, 15), "2026-10-15"),
        (dt.datetime(2026, 10, 15), "2026-10-15"),
    ],
)
def test_read_text_writes_values_as_people_see_them(cell: CellValue, expected: str) -> None:
    """Text is stripped, whole floats lose `.0`, and dates are ISO."""
    assert read_text(cell) == expected


@pytest.mark.parametrize("cell", [CellError("#REF!"), MissingFormulaValue("=A1")])
def test_read_text_rejects_errors_and_value_less_formulas(cell: CellValue) -> None:
    """An error or value-less formula is never turned into text."""
    with pytest.raises(Unreadable):
        read_text(cell)


@pytest.mark.parametrize(("cell", "blank"), [(None, True), ("", True), ("  ", True),
                                            ("x", False), (0, False), (False, False)])  # fmt: skip
def test_is_blank_means_empty_or_spaces(cell: CellValue, blank: bool) -> None:
    """Only empty cells and cells of spaces are blank; zero and False are values."""
    assert is_blank(cell) is blank


# --- read_status -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Not started", Status.NOT_STARTED),
        ("not_started", Status.NOT_STARTED),
        ("In progress", Status.IN_PROGRESS),
        ("IN-PROGRESS", Status.IN_PROGRESS),
        ("Done", Status.DONE),
        (" done ", Status.DONE),
        ("Blocked", Status.BLOCKED),
        ("시작 전", Status.NOT_STARTED),
        ("진행 중", Status.IN_PROGRESS),
        ("완료", Status.DONE),
        ("보류", Status.BLOCKED),
    ],
)
def test_read_status_reads_english_and_korean_names(cell: str, expected: Status) -> None:
    """The four statuses read in English (any case, spacing) and in Korean."""
    assert read_status(cell) is expected


@pytest.mark.parametrize("cell", ["Maybe", "Yes", 1, "", CellError("#N/A"), MissingFormulaValue()])
def test_read_status_rejects_other_values(cell: CellValue) -> None:
    """Anything that is not one of the four statuses is reported, not guessed."""
    with pytest.raises(Unreadable):
        read_status(cell)


# --- says_done ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell", ["Done", "done", "Yes", "YES", "True", True, 1, 1.0, "1", "완료", "Completed"]
)
def test_says_done_for_the_done_words(cell: CellValue) -> None:
    """Done, Yes, True, 1 and 완료 mark a milestone done."""
    assert says_done(cell) is True


@pytest.mark.parametrize("cell", ["No", "Not yet", "In progress", False, 0, 0.5, "0", "진행 중"])
def test_says_done_is_false_otherwise(cell: CellValue) -> None:
    """Any other value is a check-in that says not done."""
    assert says_done(cell) is False


@pytest.mark.parametrize("cell", [CellError("#REF!"), MissingFormulaValue("=A1")])
def test_says_done_rejects_errors_and_value_less_formulas(cell: CellValue) -> None:
    """An error cell is not read as "not done"."""
    with pytest.raises(Unreadable):
        says_done(cell)


# --- read_commitment ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Committed", Commitment.COMMITTED),
        ("committed", Commitment.COMMITTED),
        ("Aspirational", Commitment.ASPIRATIONAL),
        ("stretch", Commitment.ASPIRATIONAL),
        ("확정", Commitment.COMMITTED),
        ("도전", Commitment.ASPIRATIONAL),
    ],
)
def test_read_commitment_reads_both_kinds(cell: str, expected: Commitment) -> None:
    """Committed and aspirational (and their synonyms) read in English and Korean."""
    assert read_commitment(cell) is expected


@pytest.mark.parametrize("cell", ["maybe", 1, CellError("#VALUE!")])
def test_read_commitment_rejects_other_values(cell: CellValue) -> None:
    """An unknown commitment is reported."""
    with pytest.raises(Unreadable):
        read_commitment(cell)


# --- read_weight and read_confidence ------------------------------------------------------


@pytest.mark.parametrize(("cell", "expected"), [(1, 1.0), (2.5, 2.5), ("3", 3.0), ("50%", 0.5)])
def test_read_weight_accepts_positive_numbers(cell: CellValue, expected: float) -> None:
    """A weight is any positive number."""
    assert read_weight(cell) == pytest.approx(expected)


@pytest.mark.parametrize("cell", [0, 0.0, "0", -1, "-2", "(3)", "heavy", True])
def test_read_weight_rejects_zero_negative_and_non_numbers(cell: CellValue) -> None:
    """Zero and negative weights would break the weighted mean, so they are reported."""
    with pytest.raises(Unreadable):
        read_weight(cell)


def test_read_weight_message_shows_the_number_as_the_cell_does() -> None:
    """A whole number read as a float is quoted without `.0`, as the cell shows it."""
    with pytest.raises(Unreadable, match=r'^"-1" is not a positive weight$'):
        read_weight(-1.0)


@pytest.mark.parametrize(("cell", "expected"), [(0, 0.0), (7, 7.0), ("10", 10.0), (5.5, 5.5)])
def test_read_confidence_accepts_zero_to_ten(cell: CellValue, expected: float) -> None:
    """Confidence runs from 0 to 10 inclusive."""
    assert read_confidence(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("High", 8.0), ("medium", 5.0), ("Low", 2.0), ("높음", 8.0), ("보통", 5.0), ("낮음", 2.0)],
)
def test_read_confidence_reads_high_medium_low(cell: CellValue, expected: float) -> None:
    """High, Medium and Low (and 높음, 보통, 낮음) read as 8, 5 and 2."""
    assert read_confidence(cell) == expected


@pytest.mark.parametrize("cell", [-1, 10.5, 11, "very high"])
def test_read_confidence_rejects_values_outside_the_range(cell: CellValue) -> None:
    """A confidence below 0 or above 10 is reported."""
    with pytest.raises(Unreadable, match=r"confidence from 0 to 10|not a number"):
        read_confidence(cell)


# --- quantities: a number with its unit, and what is not a number ------------------------


@pytest.mark.parametrize(
    ("cell", "number", "unit"),
    [
        ("30 MQLs", 30.0, "mqls"),
        ("$12,000", 12000.0, "$"),
        ("45 days", 45.0, "days"),
        ("1,300만원", 13_000_000.0, "₩"),
        ("15만6천원", 156_000.0, "₩"),
        ("10억", 1e9, ""),
        ("1억 2천만 원", 120_000_000.0, "₩"),
        ("2천5백만원", 25_000_000.0, "₩"),
        ("2천만", 20_000_000.0, ""),
        ("5 USD", 5.0, "$"),
        ("120 visits per month", 120.0, "visits per month"),
        ("20%", 0.2, "%"),
        ("KRW 5,000", 5000.0, "₩"),
        (12, 12.0, ""),
    ],
)
def test_read_quantity_keeps_the_unit_a_number_is_written_in(
    cell: CellValue, number: float, unit: str
) -> None:
    """Currencies, %, Korean amounts and a unit word or two read with their unit."""
    quantity = read_quantity(cell)
    assert quantity.number == pytest.approx(number)
    assert quantity.unit == unit


@pytest.mark.parametrize(
    "cell",
    [
        "1 Stellenausschreibung mit Videocontent ist online.",
        "2 Stellenausschreibungen sind online.",
        "3 new partners signed by the end of the quarter",
        "5 deals: two from Korea",
    ],
)
def test_a_sentence_with_a_number_is_not_a_number(cell: str) -> None:
    """Text longer than a unit word or two is a sentence; the message says where words go."""
    with pytest.raises(Unreadable, match="is a sentence, not a number"):
        read_number(cell)


def test_an_ambiguous_korean_amount_is_refused() -> None:
    """1억5천 is said for 1억 5천만 but written means 100,005,000: the reader asks."""
    with pytest.raises(Unreadable, match="ambiguous"):
        read_number("1억5천")
    assert read_number("1억5천만") == 150_000_000.0


def test_a_very_long_cell_is_refused_at_once_and_quoted_short() -> None:
    """A 32,767-character cell is not a number, and the message quotes only its start;
    spaces around a number, however many, are still only spaces."""
    assert read_number("5" + " " * 32_766) == 5.0
    with pytest.raises(Unreadable) as long_text:
        read_number("5 " + "x" * 32_765)
    assert len(str(long_text.value)) < 120
    assert "…" in str(long_text.value)

"""Reading one cell as the kind of value its column holds, the way people type it."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from sheets_okr.model.tracker import Commitment, Status
from sheets_okr.sources.grid import CellError, CellValue, MissingFormulaValue


class Unreadable(ValueError):
    """A cell that does not hold what its column expects; the message says what it holds."""


# A number as people type it: optional sign, currency, thousands separators, a decimal part,
# then optionally a percent sign, a scale word and a unit ("30 MQLs", "₩1,300,000", "1.2M").
# Matched against the stripped text, so the unit needs no lazy match before trailing spaces
# (which made a long cell of spaces take quadratic time).
_NUMBER = re.compile(
    r"""^
    (?P<open>\()?
    (?P<sign>[-+−])?\s*
    (?P<prefix>[$€£¥₩₹]|US\$|KRW|USD|EUR)?\s*
    (?P<sign2>[-+−])?\s*
    (?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)
    \s*(?P<percent>%)?
    \s*(?P<scale>[kKMB천만억](?![A-Za-z])|bn(?![A-Za-z])|mn(?![A-Za-z]))?
    (?P<close>\))?
    \s*(?P<unit>[^\d\s억만천백][^\d]*)?$""",
    re.VERBOSE,
)
# Korean amounts that mix several units: 15만6천원, 1억 2천만 원, 2천5백만원.
_KOREAN_AMOUNT = re.compile(
    r"^(?P<prefix>₩)?\s*(?P<body>\d[\d,]*(?:\.\d+)?\s*[억만천백]"
    r"(?:\s*(?:\d[\d,]*(?:\.\d+)?\s*)?[억만천백])*(?:\s*\d[\d,]*)?)"
    r"\s*(?P<unit>[^\d\s][^\d]*)?$"
)
_KOREAN_PART = re.compile(r"\d[\d,]*(?:\.\d+)?|[억만천백]")
_KOREAN_SMALL = {"천": 1e3, "백": 1e2}
_KOREAN_LARGE = {"억": 1e8, "만": 1e4}
_SCALES = {
    "k": 1e3,
    "K": 1e3,
    "M": 1e6,
    "mn": 1e6,
    "B": 1e9,
    "bn": 1e9,
    "천": 1e3,
    "만": 1e4,
    "억": 1e8,
}
_CURRENCIES = {"$": "$", "US$": "$", "USD": "$", "€": "€", "EUR": "€", "£": "£", "¥": "¥",
               "₩": "₩", "KRW": "₩", "₹": "₹", "원": "₩", "달러": "$"}  # fmt: skip
_CURRENCY_WORDS = {name.casefold(): sign for name, sign in _CURRENCIES.items()}
# Words that join a unit's two parts: "visits per month", "calls a week", "hours / week".
_UNIT_JOINS = frozenset({"per", "a", "an", "each", "/", "every", "당"})
NUMBER_TEXT_LIMIT = 80  # longer text is a sentence or a paste, never a number


@dataclass(frozen=True)
class Quantity:
    """A number read from a cell, with the unit it was written in ("" when none): a currency
    ("$", "₩"), "%" or a unit word ("mqls"), so Start and Target can be compared."""

    number: float
    unit: str = ""


_ISO_DATE = re.compile(r"^\s*(\d{4})[-/.]\s*(\d{1,2})[-/.]\s*(\d{1,2})\.?(?:[T ][\d:.]+Z?)?\s*$")
_KOREAN_DATE = re.compile(r"^\s*(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일\s*$")
# Excel serial numbers of 2000-01-01 and 2099-12-31: a plain number in a date column in that
# range is a date cell whose format the reader did not recognise.
_SERIAL_RANGE = (36526, 73050)
_SERIAL_EPOCH = dt.date(1899, 12, 30)

_STATUS_WORDS: dict[str, Status] = {
    "notstarted": Status.NOT_STARTED,
    "todo": Status.NOT_STARTED,
    "open": Status.NOT_STARTED,
    "planned": Status.NOT_STARTED,
    "시작전": Status.NOT_STARTED,
    "예정": Status.NOT_STARTED,
    "inprogress": Status.IN_PROGRESS,
    "started": Status.IN_PROGRESS,
    "ongoing": Status.IN_PROGRESS,
    "doing": Status.IN_PROGRESS,
    "진행중": Status.IN_PROGRESS,
    "done": Status.DONE,
    "complete": Status.DONE,
    "completed": Status.DONE,
    "finished": Status.DONE,
    "완료": Status.DONE,
    "blocked": Status.BLOCKED,
    "onhold": Status.BLOCKED,
    "보류": Status.BLOCKED,
}
# What marks a milestone key result done, in its Current or Status cell.
_DONE_WORDS = frozenset({"done", "yes", "y", "true", "1", "complete", "completed", "완료", "예"})
_COMMITMENT_WORDS: dict[str, Commitment] = {
    "committed": Commitment.COMMITTED,
    "commit": Commitment.COMMITTED,
    "확정": Commitment.COMMITTED,
    "필수": Commitment.COMMITTED,
    "aspirational": Commitment.ASPIRATIONAL,
    "stretch": Commitment.ASPIRATIONAL,
    "moonshot": Commitment.ASPIRATIONAL,
    "도전": Commitment.ASPIRATIONAL,
    "도전적": Commitment.ASPIRATIONAL,
}


def is_blank(value: CellValue) -> bool:
    """True for an empty cell or one holding only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _word(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text).casefold()


def _describe(value: CellValue) -> str:
    if isinstance(value, CellError):
        return f"the error {value.code}"
    if isinstance(value, MissingFormulaValue):
        return "a formula without a calculated value (open and save the workbook in Excel)"
    if isinstance(value, float) and value.is_integer():
        return f'"{int(value)}"'  # as the cell shows it: backends hand over 5 as 5.0
    text = " ".join(str(value).split())
    return f'"{text[:60]}…"' if len(text) > 60 else f'"{text}"'


def _reject_special(value: CellValue, expected: str) -> None:
    if isinstance(value, CellError | MissingFormulaValue):
        raise Unreadable(f"is {_describe(value)}, expected {expected}")


def read_number(value: CellValue) -> float:
    """A number from a numeric cell or from text such as `1,200`, `$12,000` or `20%`."""
    return read_quantity(value).number


def read_quantity(value: CellValue) -> Quantity:
    """A number and the unit it is written in, from a numeric cell or text such as `1,200`,
    `$12,000`, `20%`, `30 MQLs`, `45 days`, `1,300만원` or `15만6천원`.

    A number may carry a currency, a scale, and a unit of a word or two; a sentence with a
    number in it ("1 job ad with video is online.") is not a number.
    """
    if isinstance(value, bool):
        raise Unreadable(f"{_describe(value)} is not a number")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise Unreadable(f"{_describe(value)} is not a number")
        return Quantity(float(value))
    _reject_special(value, "a number")
    if not isinstance(value, str):
        raise Unreadable(f"{_describe(value)} is not a number")
    text = value.strip()
    if len(text) > NUMBER_TEXT_LIMIT:
        raise Unreadable(f"{_describe(value)} is text, not a number")
    match = _NUMBER.match(text)
    if match is None:
        korean = _KOREAN_AMOUNT.match(text)
        if korean is not None:
            return _korean_amount(value, korean)
        raise Unreadable(f"{_describe(value)} is not a number")
    if bool(match["open"]) != bool(match["close"]) or (match["sign"] and match["sign2"]):
        raise Unreadable(f"{_describe(value)} is not a number")
    unit = _unit(value, match["prefix"], match["percent"], match["unit"])
    number = float(match["digits"].replace(",", ""))
    if match["percent"]:
        number /= 100
    if match["scale"]:
        number *= _SCALES[match["scale"]]
    sign = match["sign"] or match["sign2"]
    if match["open"] or sign in ("-", "−"):
        number = -number
    if not math.isfinite(number):
        raise Unreadable(f"{_describe(value)} is not a number")
    return Quantity(number, unit)


def _unit(value: CellValue, prefix: str | None, percent: str | None, words: str | None) -> str:
    """The unit a number is written in; a trailing sentence is refused."""
    if words:
        parts = words.split()
        joined = len(parts) == 3 and parts[1].casefold() in _UNIT_JOINS
        if (
            (len(parts) > 2 and not joined)
            or words.rstrip().endswith(("!", "?", ":", ";"))
            or (len(parts) > 1 and words.rstrip().endswith("."))
        ):
            raise Unreadable(
                f"{_describe(value)} is a sentence, not a number: keep the number (and a unit"
                ' word or two, as in "30 MQLs") in this cell and the words in the title'
            )
    if prefix:
        return _CURRENCIES.get(prefix, prefix)
    if percent:
        return "%"
    if words:
        word = " ".join(words.split()).casefold()
        return _CURRENCY_WORDS.get(word, word)
    return ""


def _korean_amount(value: CellValue, match: re.Match[str]) -> Quantity:
    """15만6천 is 15 × 10,000 + 6 × 1,000; 2천만 is 2,000 × 10,000: 천 and 백 count within
    the group that 만 or 억 then multiplies."""
    total = group = 0.0
    pending: float | None = None  # a number waiting for its unit
    last_large = ""
    for token in _KOREAN_PART.findall(match["body"]):
        if token in _KOREAN_SMALL:
            group += (1.0 if pending is None else pending) * _KOREAN_SMALL[token]
        elif token in _KOREAN_LARGE:
            group += 0.0 if pending is None else pending
            total += (group or 1.0) * _KOREAN_LARGE[token]
            group, last_large = 0.0, token
        else:
            if pending is not None:  # two numbers in a row: "15 6만"
                raise Unreadable(f"{_describe(value)} is not a number")
            pending = float(token.replace(",", ""))
            continue
        pending = None
    if group and last_large == "억":
        # "1억5천" is said for 1억 5천만 but written it is 100,005,000: ask which.
        raise Unreadable(f"{_describe(value)} is ambiguous: write 만 after the thousands"
                         " (1억5천만) or the whole number")  # fmt: skip
    total += group + (pending or 0.0)
    unit = _unit(value, match["prefix"], None, match["unit"])
    if not math.isfinite(total):
        raise Unreadable(f"{_describe(value)} is not a number")
    return Quantity(total, unit)


def read_date(value: CellValue) -> dt.date:
    """A date from a date cell, ISO text (`2026-10-15`, `2026.10.15`) or `2026년 10월 15일`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    _reject_special(value, "a date")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return _SERIAL_EPOCH + dt.timedelta(days=int(value))
        raise Unreadable(f"{_describe(value)} is not a date (write it as YYYY-MM-DD)")
    if isinstance(value, str):
        match = _ISO_DATE.match(value) or _KOREAN_DATE.match(value)
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                pass
    raise Unreadable(f"{_describe(value)} is not a date (write it as YYYY-MM-DD)")


def read_text(value: CellValue) -> str:
    """Text from any cell: numbers as written, dates as ISO, surrounding spaces removed."""
    _reject_special(value, "text")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def read_status(value: CellValue) -> Status:
    """An action status: Not started, In progress, Done, Blocked (or their Korean names)."""
    _reject_special(value, "a status")
    status = _STATUS_WORDS.get(_word(read_text(value)))
    if status is None:
        raise Unreadable(
            f"{_describe(value)} is not a status; use Not started, In progress, Done or Blocked"
        )
    return status


def says_done(value: CellValue) -> bool:
    """True when a milestone's cell says it is done (Done, Yes, True, 1, 완료)."""
    _reject_special(value, "done or not")
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value) == 1.0
    return _word(read_text(value)) in _DONE_WORDS


def read_commitment(value: CellValue) -> Commitment:
    """Committed or aspirational."""
    _reject_special(value, "committed or aspirational")
    commitment = _COMMITMENT_WORDS.get(_word(read_text(value)))
    if commitment is None:
        raise Unreadable(f"{_describe(value)} is not committed or aspirational")
    return commitment


def read_weight(value: CellValue) -> float:
    """A positive weight."""
    weight = read_number(value)
    if weight <= 0:
        raise Unreadable(f"{_describe(value)} is not a positive weight")
    return weight


# Confidence words teams write instead of a number, on the 0-10 scale.
_CONFIDENCE_WORDS = {"high": 8.0, "medium": 5.0, "med": 5.0, "low": 2.0, "높음": 8.0,
                     "보통": 5.0, "중간": 5.0, "낮음": 2.0}  # fmt: skip


def read_confidence(value: CellValue) -> float:
    """A confidence from 0 to 10; also High (8), Medium (5), Low (2), 높음, 보통, 낮음."""
    if isinstance(value, str):
        word = _CONFIDENCE_WORDS.get(_word(value))
        if word is not None:
            return word
    confidence = read_number(value)
    if not 0 <= confidence <= 10:
        raise Unreadable(f"{_describe(value)} is not a confidence from 0 to 10")
    return confidence


def read_grade(value: CellValue, scale: float) -> float:
    """A hand-given grade on a 0-1 scale (or 0-100 with `scale` 100), as a fraction."""
    if isinstance(value, str) and "%" in value:
        scale = 1.0  # "70%" says its own scale
    grade = read_number(value) / scale
    if not 0 <= grade <= 1:
        top = "100" if scale == 100 else "1.0"
        raise Unreadable(f"{_describe(value)} is not a grade from 0 to {top}")
    return grade

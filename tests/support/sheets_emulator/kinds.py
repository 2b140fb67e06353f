"""Value kinds a test puts into cells, serial dates, and Google's error codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

# Sheets counts days from 1899-12-30, so 1900 is (correctly) no leap year.
EPOCH = dt.date(1899, 12, 30)

# ErrorValue.type -> the text a cell shows (formattedValue, and values in UNFORMATTED_VALUE).
ERROR_DISPLAY = {
    "ERROR": "#ERROR!",
    "NULL_VALUE": "#NULL!",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
    "LOADING": "Loading...",
}
# Short names a test may write instead of the enum ("DIV/0" for "DIVIDE_BY_ZERO").
_ALIASES = {"DIV/0": "DIVIDE_BY_ZERO", "NA": "N_A", "N/A": "N_A", "NULL": "NULL_VALUE"}
_DEFAULT_MESSAGES = {
    "ERROR": "Formula parse error.",
    "NULL_VALUE": "Empty intersection.",
    "DIVIDE_BY_ZERO": "Function DIVIDE parameter 2 cannot be zero.",
    "VALUE": "A value used in the formula is of the wrong type.",
    "REF": "Reference does not exist.",
    "NAME": "Unknown function.",
    "NUM": "The result is not a number.",
    "N_A": "Value not available.",
    "LOADING": "Loading data...",
}


@dataclass(frozen=True)
class ErrorCell:
    """An error as a formula's effective value, e.g. ErrorCell("REF")."""

    type: str
    message: str | None = None

    def __post_init__(self) -> None:
        kind = _ALIASES.get(self.type, self.type)
        if kind not in ERROR_DISPLAY:
            raise ValueError(f"unknown error type {self.type!r}")
        object.__setattr__(self, "type", kind)
        if self.message is None:
            object.__setattr__(self, "message", _DEFAULT_MESSAGES[kind])

    @property
    def display(self) -> str:
        """The text the cell shows, such as "#REF!"."""
        return ERROR_DISPLAY[self.type]


@dataclass(frozen=True)
class Formula:
    """A formula cell: its text and the effective value Sheets computed for it."""

    text: str
    value: Any = None


@dataclass(frozen=True)
class Percent:
    """A number shown as a percentage: Percent(0.25) is 0.25 with format "0%"."""

    value: float
    pattern: str = "0%"


def to_serial(value: dt.date | dt.datetime) -> int | float:
    """Sheets' serial number: days since 1899-12-30, with the time as a fraction."""
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - dt.datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6
    return (value - EPOCH).days


def serial_datetime(serial: float) -> dt.datetime:
    """The moment a serial number stands for, to the second."""
    moment = dt.datetime(1899, 12, 30) + dt.timedelta(days=serial)
    # Round to the second: serials carry float noise that would show as 23:59:59.
    return (moment + dt.timedelta(microseconds=500_000)).replace(microsecond=0)


def from_serial(serial: float, *, with_time: bool) -> dt.date | dt.datetime:
    """The date (or date and time) a serial number stands for."""
    moment = serial_datetime(serial)
    return moment if with_time else moment.date()

"""What reading has to assume to score a row, and how it says so: a quarter for a tab, a
blank Start taken as 0, Start and Target in different units. Pure functions: rows.py records
what they return at the row's cell."""

from __future__ import annotations

from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Severity
from sheets_okr.read import columns as col

Guess = tuple[str, Severity, str, str]  # code, severity, column key, message


def tab_quarter(title: str, default: Quarter, explicit: bool) -> tuple[Quarter, Guess | None]:
    """The quarter of objectives on a tab that have no Quarter cell, and what it assumes:
    the year of a tab named only `Q2`; the default quarter for a tab whose name is not
    understood, or names no quarter (then nothing is assumed when --quarter gave it)."""
    named = Quarter.parse(title)
    if named is not None:
        return named, None
    number = Quarter.number_only(title)
    if number is not None:
        quarter = Quarter(default.year, number)
        message = (f'The tab name "{title}" gives no year: counted in {quarter}, in the year'
                   f" of the as-of date; name the tab {quarter} to say so.")  # fmt: skip
        return quarter, ("quarter-year-assumed", Severity.INFO, col.QUARTER, message)
    if Quarter.looks_named(title):
        message = (f'The tab name "{title}" is not a quarter sheets-okr reads: counted in'
                   f" {default}; name the tab like {default}.")  # fmt: skip
        return default, ("quarter-label-unknown", Severity.WARNING, col.QUARTER, message)
    if explicit:
        return default, None
    message = (f"No quarter in this row or the tab name: counted in {default}, the quarter"
               f" of the as-of date; fill in Quarter or name the tab like {default}.")  # fmt: skip
    return default, ("quarter-assumed", Severity.INFO, col.QUARTER, message)


def start_guess(target: float, current: float | None) -> Guess:
    """A blank Start is taken as 0: said always, and a warning when Current already lies past
    the Target, which a key result where lower is better looks like (cost 180 -> 120)."""
    if current is not None and (current > target > 0 or current < target < 0):
        message = (f"Start is blank and taken as 0, but Current ({current:,.10g}) is already"
                   f" past the Target ({target:,.10g}): if lower is better, type the starting"
                   " value in Start.")  # fmt: skip
        return "start-assumed-zero", Severity.WARNING, col.START, message
    message = "Start is blank and taken as 0: type the value the quarter started from."
    return "start-assumed-zero", Severity.INFO, col.START, message


def unit_guess(start: float, target: float, start_unit: str, target_unit: str) -> Guess | None:
    """Start and Target written in different units are compared as plain numbers: say so."""
    if start_unit.rstrip("s") == target_unit.rstrip("s"):  # 1 MQL, 30 MQLs
        return None
    percent_only = "%" in (start_unit, target_unit) and "" in (start_unit, target_unit)
    plain = target if start_unit == "%" else start
    if not ((start_unit and target_unit) or (percent_only and abs(plain) > 1)):
        return None
    shown = {"": "a plain number", "%": "a percentage"}
    message = (f"Start is {shown.get(start_unit, start_unit)} and Target"
               f" {shown.get(target_unit, target_unit)}; they are compared as plain numbers:"
               " write both in the same unit.")  # fmt: skip
    return "unit-differs", Severity.WARNING, col.TARGET, message

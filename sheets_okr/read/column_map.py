"""Column maps: which field each of a sheet's own columns holds, and what its words mean.

A map comes from a TOML file (`--columns MAP.toml`), a tracker's tables in the `run`
configuration, or the "Column map" tab that `sheets-okr adopt --save` writes into the
workbook. It has three parts:

    [columns]                    # a header -> the field it holds, on every tab
    "End" = "target"
    "column:E" = "current"       # a column named by its letter, where a header repeats
    [tabs."Team OKRs".columns]   # one tab's own entries, which win over [columns]
    "Score" = "ignore"
    [values.confidence]          # words in a field's column -> the value they stand for
    High = 8
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sheets_okr.a1 import column_index
from sheets_okr.errors import UsageError
from sheets_okr.read import columns as col
from sheets_okr.read.values import (
    Unreadable,
    read_commitment,
    read_number,
    read_status,
)

IGNORE = "ignore"

# Every field a map may name, in the order `adopt` lists them.
FIELDS: tuple[str, ...] = (
    col.ID, col.TYPE, col.TITLE, col.OBJECTIVE, col.KEY_RESULT, col.ACTION, col.OWNER,
    col.TEAM, col.QUARTER, col.START, col.TARGET, col.CURRENT, col.UNIT, col.WEIGHT, col.DUE,
    col.STATUS, col.CONFIDENCE, col.COMMITMENT, col.PARENT, col.DIRECTION, col.GRADE,
    col.DATE, col.NOTES, col.OBJECTIVE_ID, col.KEY_RESULT_ID, IGNORE,
)  # fmt: skip
_NUMERIC = frozenset({col.START, col.TARGET, col.CURRENT, col.WEIGHT, col.CONFIDENCE, col.GRADE})
_LETTER_KEY = re.compile(r"^\s*column\s*:\s*([A-Za-z]{1,3})\s*$", re.IGNORECASE)

# Health words a team may use as a key result's status; read as "in progress".
HEALTH_STATUS = {"ontrack": "in_progress", "atrisk": "in_progress", "offtrack": "in_progress"}


def letter_key(key: str) -> str | None:
    """The column letter a `column:E` key names (upper case), or None for a header key."""
    match = _LETTER_KEY.match(key)
    return match.group(1).upper() if match else None


def _entry_key(key: str) -> str:
    """How a map entry is looked up: `column:E` as such, a header by its normalised name."""
    letter = letter_key(key)
    return f"column:{letter}" if letter else col.normalise(key)


@dataclass(frozen=True)
class ColumnMap:
    """Which field each named column holds, per tab or on all tabs, and value words."""

    columns: Mapping[str, str] = field(default_factory=dict)  # header or column:E -> field
    tabs: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # field -> word -> v
    origin: str = ""  # where it came from, for messages: a file, a tab, the configuration

    @property
    def is_empty(self) -> bool:
        """True when the map says nothing."""
        return not (self.columns or self.tabs or self.values)

    @cached_property
    def _lookup(self) -> dict[str, dict[str, str]]:
        """Per tab ("" for all tabs): entry key -> field."""
        out = {"": {_entry_key(k): v for k, v in self.columns.items()}}
        for tab, entries in self.tabs.items():
            out[tab] = {_entry_key(k): v for k, v in entries.items()}
        return out

    @cached_property
    def _words(self) -> dict[str, dict[str, Any]]:
        return {
            f: {col.normalise(w): v for w, v in words.items()} for f, words in self.values.items()
        }

    def field_for(self, tab: str, header: str, letter: str) -> str | None:
        """The field the map gives a column, by its letter first, then by its header."""
        lookup = self._lookup
        for scope in (lookup.get(tab, {}), lookup[""]):
            by_letter = scope.get(f"column:{letter}")
            if by_letter is not None:
                return by_letter
            if header:
                by_name = scope.get(col.normalise(header))
                if by_name is not None:
                    return by_name
        return None

    def letter_columns(self, tab: str) -> list[int]:
        """The 0-based columns the map names by letter on a tab."""
        keys = (*self._lookup[""], *self._lookup.get(tab, {}))
        return [column_index(k.removeprefix("column:")) for k in keys if k.startswith("column:")]

    def word_value(self, field_name: str, text: str) -> Any:
        """The value a word stands for in a field's column, or None when the map has none."""
        words = self._words.get(field_name)
        if not words:
            return None
        return words.get(col.normalise(text))

    def has_words(self, field_name: str) -> bool:
        """True when the map gives words for a field."""
        return bool(self._words.get(field_name))

    def overridden_by(self, other: ColumnMap) -> ColumnMap:
        """This map with another's entries on top (a --columns file over a saved map)."""
        if other.is_empty:
            return self
        if self.is_empty:
            return other
        tabs = {tab: dict(entries) for tab, entries in self.tabs.items()}
        for tab, entries in other.tabs.items():
            tabs.setdefault(tab, {}).update(entries)
        values = {f: dict(words) for f, words in self.values.items()}
        for f, words in other.values.items():
            values.setdefault(f, {}).update(words)
        origin = f"{other.origin} over {self.origin}" if self.origin else other.origin
        return ColumnMap({**self.columns, **other.columns}, tabs, values, origin)


EMPTY_MAP = ColumnMap()


def column_map_from_tables(data: Mapping[str, Any], origin: str) -> ColumnMap:
    """A map from parsed TOML tables (`columns`, `tabs`, `values`); UsageError naming the
    entry when one is wrong. Other tables are not looked at (a `run` tracker has more)."""
    columns = _entries(data.get("columns", {}), f"{origin}: [columns]")
    tabs_table = data.get("tabs", {})
    if not isinstance(tabs_table, Mapping):
        raise UsageError(f"{origin}: [tabs] must be a table of tabs")
    tabs: dict[str, dict[str, str]] = {}
    for tab, body in tabs_table.items():
        where = f'{origin}: [tabs."{tab}"]'
        if not isinstance(body, Mapping) or set(body) - {"columns"}:
            raise UsageError(f"{where} must hold one table, columns")
        tabs[str(tab)] = _entries(body.get("columns", {}), f"{where}.columns")
    values_table = data.get("values", {})
    if not isinstance(values_table, Mapping):
        raise UsageError(f"{origin}: [values] must be a table of fields")
    values: dict[str, dict[str, Any]] = {}
    for name, words in values_table.items():
        where = f"{origin}: [values.{name}]"
        if name not in FIELDS or name == IGNORE:
            raise UsageError(f"{where}: {name!r} is not a field; {_FIELD_LIST}")
        if not isinstance(words, Mapping):
            raise UsageError(f"{where} must be a table of words")
        values[str(name)] = {str(w): check_word_value(name, v, f"{where} {w!r}")
                             for w, v in words.items()}  # fmt: skip
    return ColumnMap(columns, tabs, values, origin)


_FIELD_LIST = "fields are " + ", ".join(FIELDS)


def _entries(table: object, where: str) -> dict[str, str]:
    if not isinstance(table, Mapping):
        raise UsageError(f"{where} must be a table of header = field")
    out: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, str) or value.strip().casefold() not in FIELDS:
            raise UsageError(f'{where}: "{key}" = {value!r}: not a field; {_FIELD_LIST}')
        if str(key).strip().casefold().startswith("column:") and letter_key(str(key)) is None:
            raise UsageError(f'{where}: "{key}" names no column; write "column:E"')
        if not str(key).strip():
            raise UsageError(f'{where}: a blank header cannot be mapped; use "column:E"')
        out[str(key)] = value.strip().casefold()
    return out


def check_word_value(field_name: str, value: Any, where: str) -> Any:
    """A value word's meaning, checked against what the field holds; UsageError if wrong."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        if isinstance(value, bool) and field_name in (col.STATUS, col.CURRENT):
            return value
        raise UsageError(f"{where}: a value must be a word or a number")
    try:
        if field_name in _NUMERIC:
            return read_number(value)
        if field_name == col.STATUS:
            text = str(value)
            health = HEALTH_STATUS.get(col.normalise(text))
            return read_status(health.replace("_", " ") if health else text).value
        if field_name == col.COMMITMENT:
            return read_commitment(value).value
        if field_name == col.DIRECTION:
            direction = read_direction(value)
            return direction
    except Unreadable as error:
        raise UsageError(f"{where}: {error}") from None
    return value


_DIRECTIONS = {
    "increase": "increase", "up": "increase", "higher": "increase", "higherisbetter": "increase",
    "증가": "increase", "상승": "increase", "↑": "increase",
    "decrease": "decrease", "down": "decrease", "lower": "decrease", "lowerisbetter": "decrease",
    "감소": "decrease", "하락": "decrease", "↓": "decrease",
}  # fmt: skip


def read_direction(value: object) -> str:
    """Increase or decrease (also up/down, higher/lower is better, 증가/감소)."""
    direction = _DIRECTIONS.get(col.normalise(str(value)))
    if direction is None:
        raise Unreadable(f'"{value}" is not a direction; use increase or decrease')
    return direction


def load_column_map(path: Path) -> ColumnMap:
    """A map file; UsageError saying what is wrong and where."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such column map file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the column map ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: not a TOML column map: {error}") from None
    unknown = set(data) - {"columns", "tabs", "values"}
    if unknown:
        names = ", ".join(sorted(unknown))
        raise UsageError(f"{path}: unknown table {names}; a map has [columns], [tabs], [values]")
    return column_map_from_tables(data, str(path))

"""A `run` tracker's column map: its own [tracker.columns], [tracker.tabs."TAB".columns] and
[tracker.values.FIELD] tables, shaped as a map file's (read/column_map.py); or
`columns = "maps/team.toml"`, a map file relative to the configuration file.

Each wrong entry is noted with its line, like every other mistake of the configuration.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sheets_okr.config.values import Section
from sheets_okr.errors import UsageError
from sheets_okr.read.column_map import (
    EMPTY_MAP,
    FIELDS,
    IGNORE,
    ColumnMap,
    column_map_from_tables,
    load_column_map,
)

MAP_KEYS = ("columns", "tabs", "values")


def tracker_column_map(section: Section, name: str, base: Path) -> ColumnMap:
    """The tracker's column map; each wrong entry is noted with its line, EMPTY_MAP then."""
    label = f"tracker {name}" if name else "tracker"
    named = section.data.get("columns")
    if isinstance(named, str):
        for key in ("tabs", "values"):
            table = section.data.get(key)
            if table is not None:  # [tracker.values.X] has a line, [tracker.values] may not
                first = list(table)[:1] if isinstance(table, dict) else []
                where = _where(section, (key, *first))
                section.errors.append(f'{where}: [[tracker]] {key} cannot go with columns ='
                                      f' "{named}": put it in that file')  # fmt: skip
        try:
            return load_column_map(base / Path(named).expanduser())
        except UsageError as error:
            section.errors.append(f"{section.where('columns')}: {label}: {error}")
            return EMPTY_MAP
    tables = {key: section.data[key] for key in MAP_KEYS if key in section.data}
    if not tables:
        return EMPTY_MAP
    failed = False
    for keys, one in _map_entries(tables):
        try:
            column_map_from_tables(one, f"{_where(section, keys)}: {label}")
        except UsageError as error:
            section.errors.append(str(error))
            failed = True
    if failed:
        return EMPTY_MAP
    return column_map_from_tables(tables, f"{section.file}: {label}")


def _where(section: Section, path: tuple[str, ...]) -> str:
    """FILE:LINE of a key some tables down inside a section."""
    line = section.lines.line_of((*section.path, *path))
    return f"{section.file}:{line}" if line else section.file


Entry = tuple[tuple[str, ...], dict[str, Any]]


def _map_entries(tables: dict[str, Any]) -> Iterator[Entry]:
    """Each entry of a tracker's map tables on its own, with its path, so that every wrong
    one is named with its line (a table that is not one is checked whole)."""
    columns = tables.get("columns", {})
    if not isinstance(columns, dict):
        yield ("columns",), {"columns": columns}
    else:
        yield from ((("columns", k), {"columns": {k: v}}) for k, v in columns.items())
    tabs = tables.get("tabs", {})
    if not isinstance(tabs, dict):
        yield ("tabs",), {"tabs": tabs}
        tabs = {}
    for tab, body in tabs.items():
        entries = body.get("columns", {}) if isinstance(body, dict) else None
        if not isinstance(entries, dict) or set(body) - {"columns"}:
            yield ("tabs", tab), {"tabs": {tab: body}}
            continue
        for key, value in entries.items():
            yield ("tabs", tab, "columns", key), {"tabs": {tab: {"columns": {key: value}}}}
    values = tables.get("values", {})
    if not isinstance(values, dict):
        yield ("values",), {"values": values}
        values = {}
    for name, words in values.items():
        yield ("values", name), {"values": {name: {}}}
        if isinstance(words, dict) and name in FIELDS and name != IGNORE:
            for word, value in words.items():
                yield ("values", name, word), {"values": {name: {word: value}}}
        elif not isinstance(words, dict):
            yield ("values", name), {"values": {name: words}}

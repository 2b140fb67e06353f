"""Typed reading of one table of a parsed TOML file, collecting errors with file and line.

A reader never raises on a bad value: it notes the error (so one run of the command lists
every mistake in the file) and hands back the default, so checking can go on.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sheets_okr.config.toml_lines import KeyLines, Path_

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")  # what an environment variable may be named


def show(value: object) -> str:
    """A value as TOML writes it, for messages and map files: "587x", true, 3.5, a list.

    A string is a TOML basic string: JSON's escapes are TOML's, and TOML also wants DEL
    escaped."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "a list"
    return "a table"


@dataclass
class Section:
    """One table of the file: its values, its path in the file, and the shared error list."""

    data: dict[str, Any]
    path: Path_
    lines: KeyLines
    file: str
    errors: list[str]
    label: str = ""  # "[email]", "[[tracker]]"; "" at the top level

    def where(self, key: str = "") -> str:
        """FILE:LINE of a key (or of the table when key is ""), for messages."""
        line = self.lines.line_of((*self.path, key) if key else self.path)
        return f"{self.file}:{line}" if line else self.file

    def error(self, key: str, message: str) -> None:
        """Note a mistake in `key` (or in the table itself when key is "")."""
        where = self.where(key)
        subject = " ".join(part for part in (self.label, key) if part)
        self.errors.append(f"{where}: {subject} {message}" if subject else f"{where}: {message}")

    def check_keys(self, allowed: Sequence[str], hints: Mapping[str, str] | None = None) -> None:
        """Every key must be one this table knows; a near miss gets a suggestion.

        `hints` (by key, lower case) replace the suggestion for keys that are a known
        mistake, such as a password written into the file.
        """
        for key in self.data:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            if hints and key.lower() in hints:
                hint = f": {hints[key.lower()]}"
            where = self.where(key)
            self.errors.append(
                f"{where}: unknown key {key!r} in {self.label or 'the top level'}{hint}"
            )

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                self.error("", f"has no {key}")
            return None
        return self.data[key]

    def string(self, key: str, *, required: bool = False, secret: bool = False) -> str | None:
        """A string; None when absent. A secret value is never repeated in a message."""
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(key, "must be a string" + ("" if secret else f", not {show(value)}"))
            return None
        if not value.strip():
            self.error(key, "must not be empty")
            return None
        return value

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        """A whole number from low to high."""
        value = self._get(key, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"must be an integer, not {show(value)}")
            return default
        if not low <= value <= high:
            self.error(key, f"must be from {low} to {high}, not {value}")
            return default
        return value

    def number(self, key: str, default: float, low: float, high: float) -> float:
        """A number (integer or decimal) from low to high."""
        value = self._get(key, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(key, f"must be a number, not {show(value)}")
            return default
        if not low <= value <= high:
            self.error(key, f"must be from {low:g} to {high:g}, not {value:g}")
            return default
        return float(value)

    def boolean(self, key: str, *, default: bool) -> bool:
        """true or false."""
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"must be true or false, not {show(value)}")
            return default
        return value

    def choice(self, key: str, choices: Sequence[str], default: str) -> str:
        """One of a few strings."""
        value = self._get(key, False)
        if value is None:
            return default
        if value not in choices:
            options = ", ".join(show(c) for c in choices)
            self.error(key, f"must be one of {options}, not {show(value)}")
            return default
        return str(value)

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        """A non-empty list of non-empty strings."""
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(key, f'must be a list of strings such as ["a", "b"], not {show(value)}')
            return ()
        if not value or not all(v.strip() for v in value):
            self.error(key, "must list at least one value, none of them empty")
            return ()
        return tuple(value)

    def table(self, key: str) -> Section | None:
        """A [key] table inside this one; None when absent."""
        value = self._get(key, False)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(key, f"must be a table [{key}], not {show(value)}")
            return None
        return Section(value, (*self.path, key), self.lines, self.file, self.errors, f"[{key}]")

    def tables(self, key: str) -> list[Section] | None:
        """The [[key]] tables; None when there are none, [] when they are not tables."""
        value = self._get(key, False)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error(key, f"must be written as [[{key}]] tables, one for each")
            return []
        return [
            Section(item, (*self.path, key, i), self.lines, self.file, self.errors, f"[[{key}]]")
            for i, item in enumerate(value)
        ]

"""Where each key of a TOML file is, by line: tomllib parses values but keeps no positions.

Only what error messages need: the line of `[table]` and `[[array]]` headers and of every
`key = value`, addressed by the same path as the parsed data, with an index for each array
of tables: ("tracker", 1, "source") is the source of the second [[tracker]]. Multi-line
strings and arrays are stepped over, so a line inside them is never taken for a key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Path_ = tuple[str | int, ...]

_BARE = r"[A-Za-z0-9_-]+"
_PART = rf'(?:{_BARE}|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_ARRAY_HEADER = re.compile(rf"^\s*\[\[\s*({_DOTTED})\s*\]\]")
_TABLE_HEADER = re.compile(rf"^\s*\[\s*({_DOTTED})\s*\]")
_KEY = re.compile(rf"^\s*({_DOTTED})\s*=(.*)$")
_PARTS = re.compile(_PART)


def _parts(dotted: str) -> list[str]:
    names = []
    for part in _PARTS.findall(dotted):
        names.append(part[1:-1] if part[:1] in "\"'" else part)
    return names


@dataclass(frozen=True)
class KeyLines:
    """Line numbers (1-based) of the tables and keys of one TOML text."""

    lines: dict[Path_, int]

    @classmethod
    def scan(cls, text: str) -> KeyLines:
        """Index a TOML text; a text tomllib accepted is assumed, anything else is skipped."""
        found: dict[Path_, int] = {}
        arrays: dict[Path_, int] = {}  # array-of-tables path -> how many seen so far
        table: Path_ = ()
        depth = 0  # open brackets and braces of a value continuing over several lines
        quotes = ""  # the delimiter of a multi-line string we are inside, if any

        def resolve(parts: list[str]) -> Path_:
            path: Path_ = ()
            for part in parts:
                path = (*path, part)
                if path in arrays:
                    path = (*path, arrays[path] - 1)
            return path

        for number, line in enumerate(text.splitlines(), start=1):
            if quotes:
                end = _close(line, 0, quotes)
                if end < 0:
                    continue
                code, quotes = _code(line[end:])
                depth = max(depth + _depth(code), 0)
                continue
            if depth > 0:
                code, quotes = _code(line)
                depth = max(depth + _depth(code), 0)
                continue
            if match := _ARRAY_HEADER.match(line):
                *parent, last = _parts(match.group(1))
                key = (*resolve(parent), last)
                arrays[key] = arrays.get(key, 0) + 1
                table = (*key, arrays[key] - 1)
                found.setdefault(table, number)
                found.setdefault(key, number)
            elif match := _TABLE_HEADER.match(line):
                table = resolve(_parts(match.group(1)))
                found.setdefault(table, number)
            elif match := _KEY.match(line):
                found.setdefault((*table, *_parts(match.group(1))), number)
                code, quotes = _code(match.group(2))
                depth = max(_depth(code), 0)
        return cls(found)

    def line_of(self, path: Path_) -> int | None:
        """The line of a key; for a key not written out, the line of its nearest table."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def _depth(code: str) -> int:
    """Brackets and braces a line's code opens minus those it closes."""
    return code.count("[") + code.count("{") - code.count("]") - code.count("}")


def _code(value: str) -> tuple[str, str]:
    """A value's code, with its strings emptied and its comment cut off, and the delimiter
    of a multi-line string it leaves open ("" when none).

    A `#` inside a string is text, and quotes after a `#` are the comment's: three quotes
    in a comment open no multi-line string.
    """
    code: list[str] = []
    i = 0
    while i < len(value):
        char = value[i]
        if char == "#":
            break
        if value.startswith(('"""', "'''"), i):
            delimiter = value[i : i + 3]
            end = _close(value, i + 3, delimiter)
            if end < 0:
                return "".join(code), delimiter
            code.append('""')
            i = end
        elif char in "\"'":
            end = _close(value, i + 1, char)
            code.append('""')
            i = end if end >= 0 else len(value)
        else:
            code.append(char)
            i += 1
    return "".join(code), ""


def _close(text: str, start: int, delimiter: str) -> int:
    """Where the string opened by `delimiter` ends (the index after it), from `start`;
    -1 when it goes on past the text. Basic strings (") take backslash escapes."""
    i = start
    while i < len(text):
        if delimiter[0] == '"' and text[i] == "\\":
            i += 2
            continue
        if text.startswith(delimiter, i):
            end = i + len(delimiter)
            while len(delimiter) == 3 and text.startswith(delimiter[0], end):
                end += 1  # up to two quotes may end the content: """a"""" is 'a"'
            return end
        i += 1
    return -1

"""A1 notation: parsing ranges such as 'Bob''s KRs'!A2:C, and writing them back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.support.sheets_emulator.errors import ApiError

_CELL = re.compile(r"^\$?([A-Za-z]*)\$?([0-9]*)$")
# A title Google writes without quotes: a plain word that could not be read as a cell.
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_CELL = re.compile(r"^[A-Za-z]{1,3}[0-9]+$|^[A-Za-z]{1,3}$|^[Rr][0-9]*[Cc][0-9]*$")


# Written apart from sheets_okr.sources.grid on purpose: the emulator checks the production code,
# so it shares none of it (a shared bug would cancel out).
def column_letters(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """ "A" -> 0, "AA" -> 26."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


@dataclass(frozen=True)
class Bounds:
    """A rectangle, 0-based and end-exclusive; None is open (to the grid's edge)."""

    start_row: int | None = None
    end_row: int | None = None
    start_col: int | None = None
    end_col: int | None = None


@dataclass(frozen=True)
class ParsedRange:
    """An A1 range as written: the title (None when absent) and the cell part."""

    title: str | None
    bounds: Bounds | None  # None: the whole sheet
    text: str


def quote_title(title: str) -> str:
    """The title as Google writes it in a range: quoted when it is not a plain word."""
    if _PLAIN_TITLE.match(title) and not _LOOKS_LIKE_CELL.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_range(title: str, r0: int, r1: int, c0: int, c1: int) -> str:
    """'Key Results'!A1:C3 (or just A1 for a single cell) for 0-based end-exclusive bounds."""
    start = f"{column_letters(c0)}{r0 + 1}"
    end = f"{column_letters(c1 - 1)}{r1}"
    cells = start if (r1 - r0, c1 - c0) == (1, 1) else f"{start}:{end}"
    return f"{quote_title(title)}!{cells}"


def _split_title(text: str) -> tuple[str | None, str | None]:
    """(title, cell part); a quoted title may hold "!" and doubled quotes."""
    if text.startswith("'"):
        i, chars = 1, list[str]()
        while i < len(text):
            if text[i] == "'":
                if text[i + 1 : i + 2] == "'":
                    chars.append("'")
                    i += 2
                    continue
                rest = text[i + 1 :]
                if rest == "":
                    return "".join(chars), None
                if rest.startswith("!"):
                    return "".join(chars), rest[1:]
                raise ValueError(text)
            chars.append(text[i])
            i += 1
        raise ValueError(text)
    if "!" in text:
        title, _, cells = text.rpartition("!")
        return title, cells
    return None, text


def _corner(part: str) -> tuple[int | None, int | None]:
    match = _CELL.match(part)
    if not match or not (match.group(1) or match.group(2)):
        raise ValueError(part)
    letters, digits = match.groups()
    if digits and int(digits) < 1:
        raise ValueError(part)
    return (
        int(digits) - 1 if digits else None,
        column_index(letters) if letters else None,
    )


def parse_cells(cells: str) -> Bounds:
    """Bounds of "A1", "A1:C3", "A:C", "A2:C", "2:5"; ValueError when it is none of those."""
    first, sep, second = cells.partition(":")
    r0, c0 = _corner(first)
    if not sep:
        if r0 is None or c0 is None:
            raise ValueError(cells)
        return Bounds(r0, r0 + 1, c0, c0 + 1)
    r1, c1 = _corner(second)
    if (c0 is None) != (c1 is None):
        raise ValueError(cells)
    if c0 is None and c1 is None:
        if r0 is None or r1 is None:
            raise ValueError(cells)
        cols: list[int] = []
    else:
        assert c0 is not None
        assert c1 is not None
        cols = sorted((c0, c1))
        if r0 is None and r1 is not None:
            raise ValueError(cells)
    # A reversed range (B2:A1) means the same rectangle; A2:C is open at the bottom.
    rows = sorted(x for x in (r0, r1) if x is not None)
    return Bounds(
        rows[0] if rows else None,
        rows[-1] + 1 if len(rows) == 2 else None,
        cols[0] if cols else None,
        cols[-1] + 1 if cols else None,
    )


def parse_range(text: str) -> ParsedRange:
    """Parse an A1 range; a bare word is kept as a possible title for the resolver."""
    bad = ApiError(400, f"Unable to parse range: {text}")
    stripped = text.strip()
    if not stripped:
        raise bad
    try:
        title, cells = _split_title(stripped)
    except ValueError:
        raise bad from None
    if cells is None:
        return ParsedRange(title, None, text)
    try:
        bounds = parse_cells(cells)
    except ValueError:
        if title is None:
            return ParsedRange(cells, None, text)  # a bare, unquoted title
        raise bad from None
    return ParsedRange(title, bounds, text)

"""Text for a terminal: fitted to a column, wrapped to a width, measured in display columns
(a Korean character takes two), with what a cell may hold that a terminal would act on
(line breaks, escape codes) made harmless."""

from __future__ import annotations

import re

from sheets_okr.widths import char_width, display_width

_MAX_TITLE = 120  # columns: realistic titles show whole, wrapped

# Line breaks, tabs and other control characters (ESC included) a cell may hold.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def fit(text: str, width: int) -> str:
    """Text on one line, cut with an ellipsis or padded with spaces to exactly `width` columns.

    Line breaks typed in a cell become spaces and control characters (terminal escape codes)
    are dropped, so that every row of the table stays one line.
    """
    text = CONTROL.sub(" ", text)
    if display_width(text) > width:
        # Built forward, one pass: cutting a 32,767-character cell from the end, measuring
        # the whole text after each character, took minutes.
        kept: list[str] = []
        used = 0
        for ch in text:
            used += char_width(ch)
            if used > width - 1:
                break
            kept.append(ch)
        text = "".join(kept) + "…"
    return text + " " * (width - display_width(text))


def wrap(text: str, width: int) -> list[str]:
    """Text in lines of at most `width` columns, broken between words, and inside a word only
    when it is wider than a line (a URL, Korean typed without spaces)."""
    lines: list[str] = []
    line, used = "", 0
    for word in CONTROL.sub(" ", text).split():
        size = display_width(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        pieces = _pieces(word, width) if size > width else [word]
        lines += pieces[:-1]
        line, used = pieces[-1], display_width(pieces[-1])
    return [*lines, line] if line else lines


def _pieces(word: str, width: int) -> list[str]:
    """A word cut into pieces of at most `width` columns (a wide character is never halved)."""
    pieces: list[str] = []
    piece: list[str] = []
    used = 0
    for ch in word:
        if piece and used + char_width(ch) > width:
            pieces.append("".join(piece))
            piece, used = [], 0
        piece.append(ch)
        used += char_width(ch)
    return [*pieces, "".join(piece)]


def title_lines(title: str, width: int) -> list[str]:
    """A title in lines of at most `width` columns: whole up to _MAX_TITLE columns, longer
    ones keep their start and their end.

    Titles wrap rather than being cut on one line: the end of a key result's title is usually
    its target ("… from 150 to 400") and its start what is measured, both worth keeping, and
    a narrow terminal has more room down than across. The limit keeps a paragraph pasted into
    a title from taking the screen.
    """
    if display_width(title) > _MAX_TITLE:
        half = _MAX_TITLE // 2
        title = f"{_pieces(title, half)[0]}…{_tail(title, half - 1)}"
    return wrap(title, width) or [""]


def _tail(text: str, width: int) -> str:
    """The end of `text` in at most `width` columns, measured from the end: a 32,767-character
    cell is not measured whole, and a combining mark is not cut from its letter."""
    start, used = len(text), 0
    while start and used + char_width(text[start - 1]) <= width:
        start -= 1
        used += char_width(text[start])
    while start < len(text) and char_width(text[start]) == 0:
        start += 1
    return text[start:]


def paragraph(prefix: str, text: str, width: int) -> list[str]:
    """Prose wrapped to `width` columns after `prefix`, later lines indented under the text."""
    hang = " " * display_width(prefix)
    lines = wrap(text, width - len(hang)) or [""]
    return [prefix + lines[0]] + [hang + line for line in lines[1:]]

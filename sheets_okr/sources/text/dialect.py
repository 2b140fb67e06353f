"""Which character separates a text file's columns: a tab, a comma or a semicolon.

A .tsv or .tab file is tab-separated by name. A .csv (or .txt) file may hold any of the
three: Excel writes a semicolon where the decimal separator is a comma (most of Europe),
and its "Unicode Text" export is tab-separated. csv.Sniffer guesses from a sample; its guess
is checked against the first line, and counting the candidates there decides when the
sniffer cannot or guesses a character the header does not hold. A first line `sep=;`, which
Excel writes and reads as the separator's name, says it outright.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

CANDIDATES = (",", ";", "\t")  # in order of preference when counts tie
TAB_SUFFIXES = frozenset({".tsv", ".tab"})
# csv.Sniffer's quote-guessing regular expression takes quadratic time on some text (0.3 s
# on 8 KiB of quotes and commas, 19 s on 64 KiB): it sees only the first lines, cut short.
SAMPLE_LINES = 20
SAMPLE_CHARS = 4096
_SEP_LINE = re.compile(r"sep=([^\"\r\n])(?:\r\n|\r|\n|$)")


@dataclass(frozen=True)
class Layout:
    """How to split a file's text: the delimiter, and where the rows start (after `sep=`)."""

    delimiter: str
    start: int = 0


def layout_of(path: Path, text: str) -> Layout:
    """The delimiter of a file's text: named by a `sep=` line, by the suffix, else guessed
    from its first lines."""
    named = _SEP_LINE.match(text)
    if named is not None:
        return Layout(named[1], named.end())
    if path.suffix.lower() in TAB_SUFFIXES:
        return Layout("\t")
    return Layout(guess_delimiter(text))


def guess_delimiter(text: str) -> str:
    """The one of CANDIDATES that separates the text's columns (a comma when none shows)."""
    sample = _sample(text)
    first = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {candidate: _count_outside_quotes(first, candidate) for candidate in CANDIDATES}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(CANDIDATES)).delimiter
    except csv.Error:  # "Could not determine delimiter": one column, or ragged lines
        sniffed = ""
    if sniffed in CANDIDATES and counts[sniffed] > 0:
        return sniffed
    # The header names every column, so it holds the most separators; max() keeps the
    # first of equal counts, a comma when the line holds none at all.
    return max(CANDIDATES, key=lambda candidate: counts[candidate])


def _sample(text: str) -> str:
    lines = text[:SAMPLE_CHARS].splitlines(keepends=True)
    return "".join(lines[:SAMPLE_LINES])


def _count_outside_quotes(line: str, delimiter: str) -> int:
    """How often `delimiter` separates fields of the line (not inside "quoted" text)."""
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted  # a doubled quote inside quotes toggles twice: no change
        elif char == delimiter and not quoted:
            count += 1
    return count

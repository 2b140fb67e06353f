"""A1 addresses: column letters, cell addresses and quoted tab names, as spreadsheets write them.

Shared by every step that names a cell to people (problems, findings, messages) and by the
sources that address cells; it knows nothing of OKRs nor of any one kind of workbook.
"""

from __future__ import annotations


def quote_tab(title: str) -> str:
    """A tab name as a spreadsheet reference writes it: quoted when it is not a plain word."""
    if title and title.replace("_", "").isalnum() and not title[0].isdigit():
        return title
    return "'" + title.replace("'", "''") + "'"


def column_letter(index: int) -> str:
    """The letters of a 0-based column index: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """The 0-based index of column letters: A is 0, AA is 26."""
    index = 0
    for char in letters.upper():
        index = index * 26 + (ord(char) - ord("A") + 1)
    return index - 1


def cell_address(row_index: int, col_index: int) -> str:
    """An A1 address from 0-based indexes."""
    return f"{column_letter(col_index)}{row_index + 1}"

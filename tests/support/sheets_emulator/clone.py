"""A copy-on-write copy of a spreadsheet, so every write can work on a copy (atomic commits).

Copying every row of a 1000-row grid for each write is what made the emulator slow, so a copy
shares the row and column objects (and the developer metadata objects on them) with the
original. Whatever changes them takes a private copy first: sheet.writable_row/column copy a
line this write did not make, and metadata is replaced, never changed in place. The original
is never touched, so dropping the copy after a failure leaves the spreadsheet as it was.
"""

from __future__ import annotations

import copy
import dataclasses

from tests.support.sheets_emulator.model import Sheet, Spreadsheet


class Write:
    """The token a copy's sheets own their lines by; one per write."""


def _fork(sheet: Sheet, owner: Write) -> Sheet:
    return dataclasses.replace(
        sheet,
        rows=list(sheet.rows),
        columns=list(sheet.columns),
        extra=copy.deepcopy(sheet.extra),
        merges=copy.deepcopy(sheet.merges),
        conditional_formats=copy.deepcopy(sheet.conditional_formats),
        metadata=list(sheet.metadata),
        owner=owner,
    )


def clone(book: Spreadsheet) -> Spreadsheet:
    """A copy to change, sharing what stays unchanged with `book` (which it never changes)."""
    owner = Write()
    return dataclasses.replace(
        book,
        sheets=[_fork(sheet, owner) for sheet in book.sheets],
        metadata=list(book.metadata),
        properties=copy.deepcopy(book.properties),
        hidden_metadata_ids=set(book.hidden_metadata_ids),
    )

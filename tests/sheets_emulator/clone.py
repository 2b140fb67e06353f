"""A fast deep copy of a spreadsheet, so every write can work on a copy (atomic commits)."""

from __future__ import annotations

import copy
import dataclasses

from tests.sheets_emulator.model import Cell, Column, DevMeta, Row, Spreadsheet


def clone(book: Spreadsheet) -> Spreadsheet:
    """A copy sharing nothing mutable; metadata on several rows stays one object.

    copy.deepcopy does the same about ten times slower, which a test feels on every write.
    """
    metas: dict[int, DevMeta] = {}

    def meta_list(items: list[DevMeta]) -> list[DevMeta]:
        return [metas.setdefault(id(m), dataclasses.replace(m)) for m in items]

    def cell(c: Cell | None) -> Cell | None:
        if c is None:
            return None
        return Cell(c.value, copy.deepcopy(c.fmt) if c.fmt else {}, c.note)

    sheets = [
        dataclasses.replace(
            sheet,
            rows=[
                Row(meta_list(r.metadata), r.pixel_size, [cell(c) for c in r.cells])
                for r in sheet.rows
            ],
            columns=[Column(meta_list(c.metadata), c.pixel_size) for c in sheet.columns],
            extra=copy.deepcopy(sheet.extra),
            merges=copy.deepcopy(sheet.merges),
            conditional_formats=copy.deepcopy(sheet.conditional_formats),
            metadata=meta_list(sheet.metadata),
        )
        for sheet in book.sheets
    ]
    return dataclasses.replace(
        book,
        sheets=sheets,
        metadata=meta_list(book.metadata),
        properties=copy.deepcopy(book.properties),
    )

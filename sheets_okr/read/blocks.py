"""One block per objective: a heading row naming the objective, then its key results.

Templates often lay a tab of key results out this way, the header row repeated under each
heading. A heading is a row with one text cell (often merged across the table) followed by
its key results or by the header again; the header's repeats are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sheets_okr.read import columns as col
from sheets_okr.read.header import Header, Layout
from sheets_okr.sources.grid import CellValue, SheetGrid


@dataclass(frozen=True)
class Blocks:
    """Rows of a tab that are no plan rows: repeated header rows, and objective headings."""

    headers: frozenset[int] = frozenset()  # 0-based rows repeating the header row
    headings: dict[int, int] = field(default_factory=dict)  # 0-based row -> its text's column


def find_blocks(sheet: SheetGrid, header: Header) -> Blocks:
    """The blocks of a tab of key results that names no Parent; none on other tabs.

    The tool's own columns (ID, Score, Health... which a sync fills on heading rows too) are
    not looked at: a heading stays a heading, and a repeated header stays one, after a sync.
    """
    if header.layout is not Layout.KEY_RESULTS or col.PARENT in header.columns:
        return Blocks()
    tool = {header.columns[k] for k in col.TOOL_OWNED if k in header.columns}
    tool |= set(header.marked_columns.values())
    rows = sheet.rows
    names = _header_names(rows[header.row_index], header, tool)
    repeats = frozenset(
        r
        for r in range(header.row_index + 1, len(rows))
        if _header_names(rows[r], header, tool) == names
    )
    headings: dict[int, int] = {}
    # Above each repeated header row (and then above the first one too): its heading,
    # blank rows allowed between.
    for start in [header.row_index, *sorted(repeats)] if repeats else []:
        above = start - 1
        while above >= 0 and not _filled(rows[above], tool):
            above -= 1
        if above >= 0 and above not in repeats:
            column = _single_text(rows[above], tool)
            if column is not None:
                headings[above] = column
    # Inside the blocks: a one-cell row that starts a group of key results, after the header
    # or a blank row. A key result typed with its title alone, between others, stays one.
    for r in range(header.row_index + 1, len(rows)):
        if r in repeats or r in headings:
            continue
        column = _single_text(rows[r], tool)
        starts_group = (
            r - 1 == header.row_index or (r - 1) in repeats or not _filled(rows[r - 1], tool)
        )
        if column is None or not starts_group:
            continue
        following = next((n for n in range(r + 1, len(rows)) if _filled(rows[n], tool)), None)
        if following is not None and (
            following in repeats or len(_filled(rows[following], tool)) >= 2
        ):
            headings[r] = column
    return Blocks(repeats, dict(sorted(headings.items())))


def _filled(cells: list[CellValue], tool: set[int]) -> list[int]:
    return [i for i, v in enumerate(cells) if i not in tool and v is not None and v != "" and
            not (isinstance(v, str) and not v.strip())]  # fmt: skip


def _single_text(cells: list[CellValue], tool: set[int]) -> int | None:
    filled = _filled(cells, tool)
    if len(filled) == 1 and isinstance(cells[filled[0]], str):
        return filled[0]
    return None


def _header_names(cells: list[CellValue], header: Header, tool: set[int]) -> tuple[str, ...]:
    """The header row's texts at its read columns, normalised, to spot it repeated."""
    out = []
    for index in sorted(set(header.columns.values()) - tool):
        value = cells[index] if index < len(cells) else None
        out.append(col.normalise(value) if isinstance(value, str) else "")
    return tuple(out)

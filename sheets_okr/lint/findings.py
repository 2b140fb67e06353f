"""Findings of the plan checks: what to fix, how much it matters, and at which cell."""

from __future__ import annotations

from dataclasses import dataclass

from sheets_okr.a1 import cell_address
from sheets_okr.model.tracker import Level, Location, Severity, TabLayout
from sheets_okr.read import columns as col

__all__ = ["CellFinder", "Finding", "Severity", "finding"]


@dataclass(frozen=True)
class Finding:
    """One thing to fix in the plan, at a cell."""

    code: str
    severity: Severity
    tab: str
    cell: str
    message: str


class CellFinder:
    """A1 addresses of a node's cells by column, from its tab's layout."""

    def __init__(self, layouts: tuple[TabLayout, ...]) -> None:
        self.layouts = {layout.tab: layout for layout in layouts}

    def at(self, location: Location, key: str, level: Level) -> str:
        layout = self.layouts.get(location.tab)
        if layout is None:
            return ""
        index = layout.columns.get(key)
        if index is None:  # no such column: point at the row's title, in its level's column
            # (the tree layout, a tab of objectives or of key results) or in Title
            level_key = {Level.OBJECTIVE: col.OBJECTIVE, Level.KEY_RESULT: col.KEY_RESULT,
                         Level.ACTION: col.ACTION}[level]  # fmt: skip
            index = layout.columns.get(level_key, layout.columns.get(col.TITLE, 0))
        return cell_address(location.row - 1, index)


def finding(code: str, severity: Severity, location: Location, cell: str, message: str) -> Finding:
    return Finding(code, severity, location.tab, cell, message)

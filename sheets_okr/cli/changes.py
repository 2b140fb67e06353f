"""A write plan as people read it: which cells change from what to what, which tabs."""

from __future__ import annotations

import datetime as dt

from sheets_okr.sources.grid import CellValue
from sheets_okr.sources.writes import WritePlan, WriteValue


def _shown(value: CellValue | WriteValue) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return '"' + value.replace("\n", " ") + '"'
    return str(value)


def render_changes(plan: WritePlan) -> str:
    """One line per changed cell and tool-owned tab; says so when nothing would change."""
    if plan.is_empty:
        return "Nothing to change: the workbook already holds every value.\n"
    lines = [f"{len(plan.cells)} cells would change:"] if plan.cells else []
    lines += [
        f"  {write.address}: {_shown(write.old)} -> {_shown(write.value)}" for write in plan.cells
    ]
    for tab in plan.changed_tabs:
        verb = "rewritten" if tab.existed else "created"
        lines.append(f"Tab {tab.title} would be {verb} ({len(tab.rows)} rows).")
    return "\n".join(lines) + "\n"

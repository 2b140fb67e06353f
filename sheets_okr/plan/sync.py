"""Everything one sync writes, as one backend-neutral WritePlan: the tool's columns of each
OKR tab (never a column people own: plan/ownership.py), the Summary, History and Checks
tabs (the Summary listing the columns written), and the colours of the Health words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sheets_okr.lint.findings import Finding
from sheets_okr.model.health_words import fills
from sheets_okr.plan.columns import HEALTH_COLOURS, plan_columns, tracker_language
from sheets_okr.plan.ownership import ledger_entries, tool_columns
from sheets_okr.plan.tabs import checks_tab, history_tab, read_ledger, summary_tab
from sheets_okr.score.scored import ScoredTracker
from sheets_okr.sources.grid import WorkbookGrid
from sheets_okr.sources.writes import WritePlan


def plan_sync(
    scored: ScoredTracker,
    grid: WorkbookGrid,
    findings: Sequence[Finding],
    now: dt.datetime,
    *,
    snapshot: bool = True,
) -> WritePlan:
    """What a sync at `now` writes into the workbook read as `grid`, and only what differs.

    Without `snapshot`, History is left as it is (an as-of date outside the plan's quarters
    would leave a wrong snapshot there for good).
    """
    tracker, card = scored.tracker, scored.card
    columns = tool_columns(tracker, grid, read_ledger(grid))
    ledger = ledger_entries(columns.values())
    lang = tracker_language(tracker, grid)  # health words as the tracker's people write
    summary = summary_tab(grid, card, tracker, now, ledger=ledger, lang=lang)
    history = (history_tab(grid, card, tracker, lang=lang),) if snapshot else ()
    return WritePlan(
        cells=tuple(plan_columns(tracker, card, grid, columns, lang)),
        tabs=(summary, *history, checks_tab(grid, findings)),
        header_rows=tuple((layout.tab, layout.header_row) for layout in tracker.layouts),
        fills=fills(HEALTH_COLOURS),
    )

"""The tabs sheets-okr owns in a workbook: Summary, History and Checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sheets_okr.lint.findings import Finding
from sheets_okr.model.figures import shown_figures
from sheets_okr.model.health_words import shown_health
from sheets_okr.model.tracker import Tracker
from sheets_okr.plan.cell_look import figure_format, row_heights
from sheets_okr.plan.ownership import (
    Ledger,
    LedgerEntry,
    ledger_section,
    parse_ledger,
    writable_text,
)
from sheets_okr.read.history import HISTORY_HEADER, HISTORY_TAB
from sheets_okr.read.parse import CHECKS_TAB, SUMMARY_TAB
from sheets_okr.read.values import Unreadable, read_date
from sheets_okr.score.scorecard import Scorecard, optional_float
from sheets_okr.sources.grid import CellValue, WorkbookGrid
from sheets_okr.sources.writes import CellStyle, TabContent, WriteValue, same_value

CHECKS_HEADER = ("Severity", "Code", "Tab", "Cell", "Advice")  # as `lint --format json` has them
_SUMMARY_HEADER = (
    "Level",
    "Quarter",
    "Team",
    "Objective",
    "ID",
    "Score",
    "Expected",
    "Health",
    "Grade",
)
_SUMMARY_STYLES = (
    *(CellStyle.TEXT,) * 3,
    CellStyle.WRAPPED,
    CellStyle.TEXT,
    CellStyle.PERCENT,
    CellStyle.PERCENT,
    CellStyle.FILLED,
    CellStyle.TEXT,
)
_LAST_CHANGED_ROW = 3
_CURRENT_COLUMN = 3  # History's Current, 0-based  # the Summary's timestamp: not a change by itself
_H = (CellStyle.HEADER,)
_T = (CellStyle.TEXT,)


def _existing(grid: WorkbookGrid, title: str) -> list[list[CellValue]] | None:
    sheet = next((s for s in grid.sheets if s.title == title), None)
    if sheet is None:
        return None
    rows = [list(r) for r in sheet.rows]
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    return rows


def _differs(
    old: list[list[CellValue]] | None,
    new: Sequence[Sequence[WriteValue]],
    ignore_rows: frozenset[int] = frozenset(),
) -> bool:
    if old is None or len(old) != len(new):
        return True
    for number, (old_row, new_row) in enumerate(zip(old, new, strict=True), start=1):
        if number in ignore_rows:
            continue
        width = max(len(old_row), len(new_row))
        for i in range(width):
            before = old_row[i] if i < len(old_row) else None
            after = new_row[i] if i < len(new_row) else None
            if not same_value(before, after):
                return True
    return False


def read_ledger(grid: WorkbookGrid) -> Ledger | None:
    """The columns the last sync wrote, as its Summary tab lists them (None: no such list)."""
    return parse_ledger(_existing(grid, SUMMARY_TAB))


def summary_tab(
    grid: WorkbookGrid,
    card: Scorecard,
    tracker: Tracker,
    now: dt.datetime,
    *,
    ledger: Sequence[LedgerEntry] = (),
    lang: str = "en",
) -> TabContent:
    """Scores per quarter, team and objective, with the as-of date and when they changed;
    below them, after a blank row, the ledger: the columns of OKR tabs the sync writes.
    Health shows as words in the tracker's language `lang`."""
    rows: list[tuple[WriteValue, ...]] = [
        ("OKR summary",),
        ("As of", card.as_of),
        ("Last changed", now.strftime("%Y-%m-%d %H:%M %Z").strip()),
        (),
        _SUMMARY_HEADER,
    ]
    styles: list[tuple[CellStyle, ...]] = [
        (CellStyle.TITLE,),
        (CellStyle.TEXT, CellStyle.DATE),
        _T * 2,
        (),
        _H * len(_SUMMARY_HEADER),
    ]
    for quarter, q in card.quarters.iterrows():
        rows.append(
            (
                "Quarter",
                str(quarter),
                None,
                None,
                None,
                optional_float(q["score"]),
                optional_float(q["expected"]),
                shown_health(q["health"], lang),
                q["grade"],
            )
        )
    for key, t in card.teams.iterrows():
        team, quarter = key if isinstance(key, tuple) else ("", key)
        rows.append(
            (
                "Team",
                quarter,
                writable_text(team or "(no team)"),
                None,
                None,
                optional_float(t["score"]),
                optional_float(t["expected"]),
                shown_health(t["health"], lang),
                None,
            )
        )
    titles = {o.id: writable_text(o.title) for o in tracker.objectives}
    for objective_id, o in card.objectives.iterrows():
        rows.append(
            (
                "Objective",
                o["quarter"],
                writable_text(o["team"]) if o["team"] else None,
                titles[str(objective_id)],
                str(objective_id),
                optional_float(o["score"]),
                optional_float(o["expected"]),
                shown_health(o["health"], lang),
                o["grade"],
            )
        )
    styles += [_SUMMARY_STYLES] * (len(rows) - len(styles))
    section = ledger_section(ledger)
    if section:
        rows += [(), *section]
        styles += [(), _H, _H * 3, *[_T * 3] * (len(section) - 2)]
    old = _existing(grid, SUMMARY_TAB)
    widths = (12, 10, 18, 50, 12, 8, 9, 11, 8)
    return TabContent(
        SUMMARY_TAB,
        tuple(rows),
        tuple(styles),
        widths=widths,
        existed=old is not None,
        changed=_differs(old, rows, frozenset({_LAST_CHANGED_ROW})),
        frozen_rows=5,
        heights=row_heights(rows, styles, widths),
    )


def history_tab(
    grid: WorkbookGrid, card: Scorecard, tracker: Tracker, *, lang: str = "en"
) -> TabContent:
    """History with this as-of date's rows replaced; rows of other dates kept as they are.
    Health shows as words in the tracker's language `lang`."""
    old = _existing(grid, HISTORY_TAB)
    kept: list[tuple[WriteValue, ...]] = []
    insert_at: int | None = None
    for row in (old or [])[1:]:
        first = row[0] if row else None
        if first == card.as_of or _is_date(first, card.as_of):
            insert_at = len(kept) if insert_at is None else insert_at
            continue
        kept.append(tuple(_as_write_value(v) for v in row))
    titles = {k.id: writable_text(k.title) for k in tracker.key_results}
    currents = {k.id: k.current for k in tracker.key_results}
    formats = _figure_formats(tracker, kept)
    krs = card.key_results
    fresh: list[tuple[WriteValue, ...]] = [
        (card.as_of, str(kr_id), titles[str(kr_id)], currents[str(kr_id)],
         optional_float(progress), optional_float(score), shown_health(health, lang))
        for kr_id, progress, score, health in zip(
            krs.index, krs["progress"], krs["score"], krs["health"], strict=True
        )
    ]  # fmt: skip
    position = len(kept) if insert_at is None else insert_at
    body = kept[:position] + fresh + kept[position:]
    rows = [HISTORY_HEADER, *body]
    row_styles = (
        CellStyle.DATE,
        CellStyle.TEXT,
        CellStyle.WRAPPED,
        CellStyle.FIGURE,
        CellStyle.PERCENT,
        CellStyle.PERCENT,
        CellStyle.FILLED,
    )
    styles = (_H * len(HISTORY_HEADER),) + (row_styles,) * len(body)
    widths = (12, 12, 50, 14, 10, 10, 11)
    number_formats = [""]
    for entry in body:
        kr_id = str(entry[1]) if len(entry) > 1 else ""
        number_formats.append(formats.get(kr_id) or figure_format(None, entry[3:4]))
    return TabContent(
        HISTORY_TAB,
        tuple(rows),
        styles,
        widths=widths,
        existed=old is not None,
        changed=_differs(old, rows),
        number_formats=tuple(number_formats),
        heights=row_heights(rows, styles, widths),
    )


def checks_tab(grid: WorkbookGrid, findings: Sequence[Finding]) -> TabContent:
    """The findings of `sheets-okr lint` at the same as-of date, one row each, in its order."""
    rows: list[tuple[WriteValue, ...]] = [CHECKS_HEADER]
    for found in findings:
        rows.append(
            (
                found.severity.value,
                found.code,
                found.tab or None,
                found.cell or None,
                writable_text(found.message),
            )
        )
    old = _existing(grid, CHECKS_TAB)
    styles = (_H * len(CHECKS_HEADER),) + (_T * 4 + (CellStyle.WRAPPED,),) * (len(rows) - 1)
    widths = (10, 24, 18, 8, 90)
    return TabContent(
        CHECKS_TAB,
        tuple(rows),
        styles,
        widths=widths,
        existed=old is not None,
        changed=_differs(old, rows),
        heights=row_heights(rows, styles, widths),
    )


def _figure_formats(tracker: Tracker, kept: Sequence[Sequence[WriteValue]]) -> dict[str, str]:
    """The number format of each key result's Current in History, by ID: from its unit and
    every figure it had (two decimals when any week had a fraction). A key result no
    longer in the tracker keeps one format for all its rows, from its figures alone."""
    figures: dict[str, list[object]] = {}
    for row in kept:
        if len(row) > _CURRENT_COLUMN:
            figures.setdefault(str(row[1]), []).append(row[_CURRENT_COLUMN])
    formats = {str(kr_id): figure_format(None, values) for kr_id, values in figures.items()}
    for kr in tracker.key_results:
        values = (kr.start, kr.target, kr.current, *figures.get(kr.id, ()))
        # Fractions under a title in percent ("from 2% to 5%") show as percentages.
        shown = shown_figures(kr.unit, kr.title, (kr.start, kr.target, kr.current))
        scale = shown.scale if shown.unit == "%" else None
        formats[kr.id] = figure_format(shown.unit, values, scale)
    return formats


def _is_date(value: CellValue, day: dt.date) -> bool:
    try:
        return read_date(value) == day
    except Unreadable:
        return False


def _as_write_value(value: CellValue) -> WriteValue:
    """A History cell kept as it was read (errors and odd types kept as their text)."""
    if value is None or isinstance(value, str | int | float | dt.date):
        return value
    return str(value)


def foreign_tool_tabs(grid: WorkbookGrid) -> list[str]:
    """Tabs named Summary, History or Checks that sheets-okr did not make (and must not
    overwrite): their first row is not the tool's."""
    signatures = {
        SUMMARY_TAB: ("OKR summary",),
        HISTORY_TAB: HISTORY_HEADER,
        CHECKS_TAB: CHECKS_HEADER,
    }
    foreign = []
    # Tab names are case-insensitive in Excel: a people's "summary" tab and the tool's
    # "Summary" cannot both exist (openpyxl would make "Summary1", then "Summary2"...).
    tool_names = {name.casefold() for name in signatures}
    foreign += [
        sheet.title
        for sheet in grid.sheets
        if sheet.title.casefold() in tool_names and sheet.title not in signatures
    ]
    for title, signature in signatures.items():
        rows = _existing(grid, title)
        if not rows:
            continue  # absent or empty: the tool may fill it
        first = [v for v in rows[0] if v not in (None, "")]
        if [str(v).strip().casefold() for v in first[: len(signature)]] != [
            s.casefold() for s in signature
        ]:
            foreign.append(title)
    return foreign

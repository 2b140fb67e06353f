"""What `adopt` prints: a report to read (text) and the documented object (JSON)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sheets_okr.a1 import quote_tab
from sheets_okr.widths import display_width

if TYPE_CHECKING:
    from sheets_okr.actions.proposal import KeyResultRow, Proposal, Saved, TabProposal
    from sheets_okr.model.tracker import Problem

_NOT_READ = "-"
_ASKED = "?"


def proposal_data(proposal: Proposal) -> dict[str, Any]:
    """The `adopt --format json` object (docs/format.md, section 9)."""
    cmap = proposal.column_map
    return {
        "source": proposal.source,
        "as_of": proposal.as_of.isoformat(),
        "tabs": [_tab_data(tab) for tab in proposal.tabs],
        "tool_tabs": list(proposal.tool_tabs),
        "questions": [
            {
                "tab": q.tab,
                "column": q.column,
                "header": q.header,
                "question": q.question,
                "why": q.why,
                "entry": q.entry,
            }
            for q in proposal.questions
        ],
        "problems": [_problem(p) for p in proposal.problems],
        "words": [
            {"field": w.field, "word": w.word, "suggestion": w.suggestion, "cells": w.cells}
            for w in proposal.value_lines
        ],
        "map": {
            "columns": dict(cmap.columns),
            "tabs": {tab: dict(entries) for tab, entries in cmap.tabs.items()},
            "values": {name: dict(words) for name, words in cmap.values.items()},
        },
        "saved": _saved_data(proposal.saved),
    }


def _tab_data(tab: TabProposal) -> dict[str, Any]:
    return {
        "tab": tab.tab,
        "header_row": tab.header_row,
        "layout": tab.layout,
        "layout_words": tab.layout_words,
        "columns": [
            {
                "column": c.column,
                "header": c.header,
                "field": c.field,
                "reason": c.reason,
                "question": c.question,
                "tool": c.tool,
            }
            for c in tab.columns
        ],
        "units": dict(tab.units),
        "counts": dict(tab.counts),
        "first_rows": [_row_data(row) for row in tab.first_rows],
        "problems": [_problem(p) for p in tab.problems],
        "near": None
        if tab.near_row is None
        else {
            "row": tab.near_row,
            "words": [{"column": c, "header": h, "field": f} for c, h, f in tab.near_words],
        },
    }


def _row_data(row: KeyResultRow) -> dict[str, Any]:
    return {
        "row": row.row, "title": row.title, "start": row.start, "target": row.target,
        "current": row.current, "unit": row.unit, "score": row.score, "health": row.health,
        "assumptions": list(row.assumptions),
    }  # fmt: skip


def _problem(problem: Problem) -> dict[str, str]:
    return {"tab": problem.tab, "cell": problem.cell, "message": problem.message,
            "text": str(problem)}  # fmt: skip


def _saved_data(saved: Saved | None) -> dict[str, Any] | None:
    if saved is None:
        return None
    return {"where": saved.where, "changed": saved.changed}


def render_text(proposal: Proposal, columns_file: str = "") -> str:
    """The report a person reads: one block per tab, the questions, and what to do next."""
    read = [tab for tab in proposal.tabs if tab.read]
    out = [f"{proposal.source}: {_count(len(read), 'tab')} read,"
           f" {len(proposal.tabs) - len(read)} not read."]  # fmt: skip
    if proposal.saved_map:
        out.append(f"It keeps a column map already: {proposal.saved_map}.")
    for tab in proposal.tabs:
        out += ["", *(_read_tab(tab, proposal) if tab.read else _unread_tab(tab))]
    if proposal.tool_tabs:
        out += ["", f"The tool's own tabs (not read as OKRs): {', '.join(proposal.tool_tabs)}."]
    if proposal.value_lines:
        out += ["", "Words the tool does not read (their rows are read; a map may give their"
                " meaning, as --format toml proposes):"]  # fmt: skip
        out += [f'  {w.field} "{w.word}": {w.cells}' for w in proposal.value_lines]
    loose = proposal.tab_problems()
    if loose:
        out += ["", "Cannot read:", *(f"  {' '.join(str(p).split())}" for p in loose)]
    out += ["", *_questions(proposal), "", *_next(proposal, columns_file)]
    return "\n".join(out) + "\n"


def _read_tab(tab: TabProposal, proposal: Proposal) -> list[str]:
    out = [f"Tab {quote_tab(tab.tab)}: header on row {tab.header_row}; {tab.layout_words}."]
    header_width = max([len("header"), *(display_width(c.header) for c in tab.columns)])
    field_width = max([len("field"), *(len(c.field or "-") for c in tab.columns)])
    out.append(f"  {'col':<4} {_pad('header', header_width)}  {'field':<{field_width}}  why")
    for c in tab.columns:
        field = c.field or (_ASKED if c.question else _NOT_READ)
        why = c.reason + (": the tool's own column, sync writes it" if c.tool else "")
        if c.question:
            why = f"{c.question} ({c.reason})"
        header = _pad(" ".join(c.header.split()), header_width)
        out.append(f"  {c.column:<4} {header}  {field:<{field_width}}  {why}")
    if tab.units:
        units = ", ".join(f"{field} in {unit}" for field, unit in tab.units.items())
        out.append(f"  Units from the headers: {units}.")
    counts = tab.counts
    if tab.layout == "log":
        out.append(f"  Reads {_count(counts.get('check_ins', 0), 'check-in')}.")
    else:
        out.append(f"  Reads {_count(counts.get('objectives', 0), 'objective')},"
                   f" {_count(counts.get('key_results', 0), 'key result')},"
                   f" {_count(counts.get('actions', 0), 'action')}.")  # fmt: skip
    if tab.first_rows:
        # What every row assumes (a quarter no cell names) is said once, under them.
        shared = set.intersection(*(set(row.assumptions) for row in tab.first_rows))
        if len(tab.first_rows) == 1:
            shared = set()
        out.append(f"  First key results, scored as of {proposal.as_of}:")
        out += [line for row in tab.first_rows for line in _row_lines(row, shared)]
        out += [f"    each assumes: {note}" for note in tab.first_rows[0].assumptions
                if note in shared]  # fmt: skip
    if tab.problems:
        out.append("  Cannot read:")
        out += [f"    {' '.join(str(p).split())}" for p in tab.problems]
    return out


def _row_lines(row: KeyResultRow, shared: set[str]) -> list[str]:
    unit = f" {row.unit}" if row.unit else ""
    figures = f"{_number(row.start)} -> {_number(row.target)}{unit}, now {_number(row.current)}"
    if row.score is None:
        scored = "left out of the scores"
    else:
        scored = f"score {row.score:.0%}" + (f" ({row.health})" if row.health else "")
    lines = [f"    row {row.row}: {row.title}: {figures}: {scored}"]
    lines += [f"      assumes: {note}" for note in row.assumptions if note not in shared]
    return lines


def _unread_tab(tab: TabProposal) -> list[str]:
    out = [f"Tab {quote_tab(tab.tab)}: not read: {tab.layout_words}."]
    if tab.near_words:
        words = ", ".join(f'"{h}" ({f}, {c})' for c, h, f in tab.near_words)
        out.append(f"  Its row {tab.near_row} names {words}.")
    return out


def _questions(proposal: Proposal) -> list[str]:
    out = [f"{_count(len(proposal.questions), 'question')}" + (":" if proposal.questions else ".")]
    for q in proposal.questions:
        where = " ".join(part for part in (quote_tab(q.tab) if q.tab else "", q.column) if part)
        head = f'{where} "{q.header}"' if q.header and where else where or f'"{q.header}"'
        out.append(f"  - {head}: {q.question} ({q.why})")
        if q.entry:
            out.append(f"    answer in the map: {q.entry}")
    if proposal.problems:
        said = _count(len(proposal.problems), "problem")
        out.append(f"{said}: what cannot be read (listed above).")
    return out


def _next(proposal: Proposal, columns_file: str) -> list[str]:
    source = proposal.source
    given = f" --columns {columns_file}" if columns_file else ""
    if proposal.saved is not None:
        return _saved_lines(proposal.saved, proposal)
    if proposal.exit_code == 0:
        return [
            "Every OKR row is read. Keep this map in the source, so that every command reads"
            " it this way:",
            f"  sheets-okr adopt {source}{given} --save",
        ]
    return [
        "Next:",
        f"  sheets-okr adopt {source}{given} --format toml > map.toml",
        '  edit map.toml: uncomment the lines that answer a question (# "Base" = "start")',
        f"  sheets-okr adopt {source} --columns map.toml --save",
    ]


def _saved_lines(saved: Saved, proposal: Proposal) -> list[str]:
    if not saved.changed:
        first = f"The map in {saved.where} is already this one; nothing was written."
    else:
        first = f"Saved the map to {saved.where}."
    if saved.sidecar:
        how = ("Every command on this CSV file now reads it with that map; edit the file to"
               " change it (keep it beside the CSV file, under the same name).")  # fmt: skip
    else:
        how = ("Every command on it, from any machine, now reads it with that map. Open the"
               " Column map tab to see or change how each column is read (Tab, Column,"
               " Field; a blank Tab means every tab).")  # fmt: skip
    lines = [first, how]
    if proposal.exit_code:
        lines.append("Questions remain: answer them in the map, then save it again.")
    return lines


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _number(value: float | None) -> str:
    if value is None:
        return _NOT_READ
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"

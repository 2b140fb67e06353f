"""A proposal's column map as a TOML file to edit: `adopt --format toml`, and a CSV's sidecar.

The active lines are the map itself (read_column_map reads the file back as that map); each
question is a commented line that answers it once uncommented, with the reason beside it.
"""

from __future__ import annotations

import textwrap

from sheets_okr.actions.proposal import MapLine, Proposal, ValueLine
from sheets_okr.config.values import show
from sheets_okr.read.column_map import FIELDS
from sheets_okr.widths import display_width

_COMMENT_AT = 34  # the column where a line's note starts


def _line(key: str, value: str, note: str, *, active: bool) -> str:
    text = f"{show(key)} = {value}"
    if not active:
        text = f"# {text}"
    if not note:
        return text
    padding = " " * max(_COMMENT_AT - 1 - display_width(text), 0)
    return f"{text}{padding} # {' '.join(note.split())}"


def _entries(entries: dict[str, str], lines: list[MapLine], origin: str) -> list[str]:
    notes = {line.key: line.note for line in lines if line.active}
    out = [_line(key, show(field), notes.get(key, origin), active=True)
           for key, field in entries.items()]  # fmt: skip
    out += [_line(line.key, show(line.field), line.note, active=False)
            for line in lines if not line.active]  # fmt: skip
    return out


def map_toml(proposal: Proposal, *, beside: bool = False) -> str:
    """The proposed map, its questions commented out, as a TOML file `--columns` reads;
    `beside`: the map kept beside a CSV file, which every command reading it takes up."""
    cmap = proposal.column_map
    kept = "already in the map"
    intro = (
        f"How sheets-okr reads the columns of {proposal.source}: proposed by `sheets-okr"
        f' adopt` on {proposal.as_of}. An entry says which field a column holds: "Header" ='
        ' "field", or "column:E" = "field" where a header repeats on its tab. [columns]'
        ' applies to every tab; [tabs."TAB".columns] to one tab, over [columns];'
        " [values.FIELD] says what the words in a field's column stand for. Fields:"
        f' {", ".join(FIELDS)} (ignore: not read). A line starting with "# " asks a'
        " question or names a column not read: uncomment it to answer (correct the field if"
        " need be)"
    )
    if beside:
        intro += (
            f". This file is the map of {proposal.source}, saved beside it by `sheets-okr adopt"
            " --save`: every command reading that file takes it up. Edit it to change how the"
            " file is read; keep it beside the file, under the same name."
        )
        ending: list[str] = []
    else:
        intro += ", then keep the map in the source with:"
        ending = [f"#   sheets-okr adopt {proposal.source} --columns THIS-FILE.toml --save"]
    out = [
        *(f"# {line}" for line in textwrap.wrap(intro, 88, break_on_hyphens=False)),
        *ending,
        "",
        "[columns]",
    ]
    scoped = [line for line in proposal.lines if not line.scope]
    out += _entries(dict(cmap.columns), scoped, kept)
    order = [tab.tab for tab in proposal.tabs]
    order += [tab for tab in cmap.tabs if tab not in order]
    for tab in order:
        lines = [line for line in proposal.lines if line.scope == tab]
        entries = dict(cmap.tabs.get(tab, {}))
        if not entries and not lines:
            continue
        out += ["", f"[tabs.{show(tab)}.columns]", *_entries(entries, lines, kept)]
    out += _unread_tabs(proposal)
    out += _values(proposal)
    return "\n".join(out) + "\n"


def _unread_tabs(proposal: Proposal) -> list[str]:
    out: list[str] = []
    for tab in proposal.tabs:
        if tab.read or not tab.near_words:
            continue
        words = ", ".join(f'"{header}" ({field}, {letter})'
                          for letter, header, field in tab.near_words)  # fmt: skip
        out += [
            "",
            f"# Tab {show(tab.tab)} is not read: {tab.layout_words}. Its row {tab.near_row} names",
            f"# {words}.",
            "# If it holds OKRs, say which of its columns holds each row's title and level,"
            " such as:",
            f"# [tabs.{show(tab.tab)}.columns]",
            '# "column:A" = "key_result"',
        ]
    return out


def _values(proposal: Proposal) -> list[str]:
    cmap = proposal.column_map
    asked: dict[str, list[ValueLine]] = {}
    for line in proposal.value_lines:
        asked.setdefault(line.field, []).append(line)
    out: list[str] = []
    for name in [*cmap.values, *(f for f in asked if f not in cmap.values)]:
        out += ["", f"[values.{name}]"]
        out += [_line(word, show(value), "", active=True)
                for word, value in cmap.values.get(name, {}).items()]  # fmt: skip
        out += [_line(line.word, show(line.suggestion),
                      f"{line.question} not read ({line.cells})", active=False)
                for line in asked.get(name, [])]  # fmt: skip
    return out

"""The scorecard as an aligned terminal table, health visible at a glance."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import click

from sheets_okr.a1 import quote_tab
from sheets_okr.cli.text_fit import CONTROL, fit, paragraph, title_lines

__all__ = [
    "HEALTH_LOOK",
    "fit",
    "render_findings",
    "render_problems",
    "render_table",
    "terminal_width",
]
from sheets_okr.model.figures import shown_figures
from sheets_okr.model.tracker import Health, Problem
from sheets_okr.widths import display_width

HEALTH_LOOK: dict[str, tuple[str, str, str]] = {
    Health.DONE.value: ("✔", "done", "cyan"),
    Health.ON_TRACK.value: ("●", "on track", "green"),
    Health.AT_RISK.value: ("▲", "at risk", "yellow"),
    Health.OFF_TRACK.value: ("✖", "off track", "red"),
    Health.NO_DATA.value: ("○", "no data", "bright_black"),
}
CURRENCY_SYMBOLS = frozenset({"$", "€", "£", "¥", "₩", "₹"})

# Output that is no terminal (a pipe, a file) has no width of its own: $COLUMNS if set, else
# 100, which keeps most titles on one line and still reads well in a pager or a log.
DEFAULT_WIDTH = 100
# Below 60 columns a title would get a word a line: narrower terminals wrap a 60-column table.
MIN_WIDTH = 60
_GAP = "  "
_MIN_TITLE = 18  # a few words a line, so that a wrapped title still reads as a sentence
_MIN_OWNER = 8  # "Marcus …": enough to tell whose it is
_MAX_OWNER = 20
_MAX_UNIT = 20  # a unit typed as a sentence must not push the numbers off the screen
_SCORE_WIDTH = 5
_TITLE_HEAD, _SHORT_TITLE_HEAD = "OBJECTIVE / KEY RESULT", "OBJECTIVE / KR"
_FIGURES_HEAD = "NOW / TARGET"


def terminal_width() -> int:
    """Columns the table may take: $COLUMNS if set, else the terminal's, else (output piped or
    written to a file) DEFAULT_WIDTH; MIN_WIDTH at least."""
    # shutil reads $COLUMNS first, then the terminal on stdout, and falls back when there is none
    return max(shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns, MIN_WIDTH)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _figure(value: float | None) -> str:
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")  # 3.001 shows as 3, not "3."


def _health_text(value: str, words: bool = True) -> str:
    symbol, label, _ = HEALTH_LOOK[value]
    return f"{symbol} {label}" if words else symbol


def _health(value: str, words: bool = True) -> str:
    return click.style(_health_text(value, words), fg=HEALTH_LOOK[value][2])


def _bar(score: float | None, width: int = 10) -> str:
    filled = 0 if score is None else round(min(max(score, 0.0), 1.0) * width)
    return "█" * filled + "░" * (width - filled)


def _figures(kr: dict[str, Any]) -> str:
    if kr["milestone"]:
        return {True: "done", False: "not done", None: "no check-in"}[kr["done"]]
    figures = (kr.get("start"), kr["target"], kr["current"])
    shown = shown_figures(kr["unit"], kr.get("title") or "", figures)
    current, target = _figure(shown(kr["current"])), _figure(shown(kr["target"]))
    unit = " ".join(CONTROL.sub(" ", shown.unit or "").split())
    if display_width(unit) > _MAX_UNIT:
        unit = fit(unit, _MAX_UNIT)  # the unit is cut, never the numbers before it
    if unit in CURRENCY_SYMBOLS:  # "$12,000", as money is written
        return f"{unit}{current} / {unit}{target}"
    if unit == "%":  # "3.1% / 5%"
        return f"{current}% / {target}%"
    suffix = f" {unit}" if unit else ""
    return f"{current} / {target}{suffix}"


@dataclass(frozen=True)
class _Row:
    """An objective or a key result as the plain text of its cells, before they are laid out."""

    title: str  # on one line, spaces collapsed
    indent: str  # "" for an objective, "  " for its key results
    owner: str
    figures: str
    score: str
    health: str
    mark: str  # the assumptions its score rests on, such as "  [1,2]"


@dataclass(frozen=True)
class _Columns:
    """Widths of the title, owner and figures columns; whether health shows its words."""

    title: int
    owner: int
    figures: int
    health_words: bool


def _layout(rows: list[_Row], width: int) -> _Columns:
    """Columns for a table of at most `width` columns in which every figure shows whole.

    The figures column is as wide as its widest figure. Titles and owners share what is left,
    each no wider than its longest; when that is short, titles give way first (they wrap),
    then owners (cut), then health labels keep only their symbol, then the owner column goes
    (width 0). Figures too wide for even that make the table wider than `width`: a cut number
    would be wrong, not just short.
    """
    figures = max([display_width(_FIGURES_HEAD)] + [display_width(r.figures) for r in rows])
    owner = min(max([display_width("OWNER")] + [display_width(r.owner) for r in rows]), _MAX_OWNER)
    title = max(
        [display_width(_TITLE_HEAD)] + [len(r.indent) + display_width(r.title) for r in rows]
    )
    room = width - figures - _SCORE_WIDTH - 4 * len(_GAP)
    health_words = room - _health_width(rows, words=True) >= _MIN_TITLE + _MIN_OWNER
    room -= _health_width(rows, words=health_words)
    title = min(title, max(room - owner, _MIN_TITLE))
    owner = min(owner, max(room - title, _MIN_OWNER))
    if title + owner > room:  # narrower still: owners go (a name cut to "Pri…" says nothing)
        title, owner = max(room + len(_GAP), _MIN_TITLE // 2), 0
    return _Columns(title, owner, figures, health_words)


def _health_width(rows: list[_Row], *, words: bool) -> int:
    """Columns the health label and assumption marks at the end of the rows take."""
    header = display_width("HEALTH") if words else 0
    ends = [display_width(_health_text(r.health, words) + r.mark) for r in rows]
    return max([header, *ends])


def render_table(data: dict[str, Any], *, width: int = DEFAULT_WIDTH) -> str:
    """The scorecard for a terminal `width` columns wide (MIN_WIDTH at least): quarter and team
    rollups, then objectives with their KRs, then what marked scores rest on."""
    width = max(width, MIN_WIDTH)
    as_of = f"As of {data['as_of']}"
    source = CONTROL.sub(" ", data["source"] or "")
    if display_width(f"{as_of} · {source}") <= width:
        lines = [f"{as_of} · {source}" if source else as_of]
    else:  # a path or URL is never wrapped or cut, so that it can be copied whole
        lines = [as_of, source]
    for note in data.get("assumptions", []):
        if note["id"] is None:  # plan-wide: said first, before any figure
            said = paragraph("! ", note["message"], width)
            lines += [click.style(line, fg="yellow") for line in said]
    lines.append("")
    lines += _rollups(data, width)
    notes = _Notes()
    rows = _rows(data, notes)
    columns = _layout(rows, width)
    lines += ["", _header(columns)]
    for row in rows:
        lines += _row_lines(row, columns)
    if not data["objectives"]:
        lines += paragraph("", "(no objectives yet: add 3-5 below the header row of an OKR tab)",
                            width)  # fmt: skip
    return "\n".join(lines + notes.footnotes(width)) + "\n"


def _rollups(data: dict[str, Any], width: int) -> list[str]:
    """Each quarter's score with its teams', then how many KRs are at risk, off track and so on."""
    lines = []
    for quarter in data["quarters"]:
        lines.append(
            click.style(f"{quarter['quarter']}  ", bold=True)
            + f"{_bar(quarter['score'])} {_percent(quarter['score']):>4}"
            + f"  expected {_percent(quarter['expected']):>4}  {_health(quarter['health'])}"
        )
        teams = [t for t in data["teams"] if t["quarter"] == quarter["quarter"]]
        if len(teams) > 1 or (teams and teams[0]["team"]):
            for team in teams:
                lines.append(
                    f"  {fit(team['team'] or '(no team)', 20)} {_percent(team['score']):>4}"
                    f"  {_health(team['health'])}"
                )
    krs = [kr for objective in data["objectives"] for kr in objective["key_results"]]
    counts = {value: sum(kr["health"] == value for kr in krs) for value in HEALTH_LOOK}
    counted = (
        f"{len(krs)} key results: {counts['at_risk']} at risk · {counts['off_track']}"
        f" off track · {counts['no_data']} without a check-in · {counts['done']} done"
    )
    return lines + paragraph("  ", counted, width)


def _rows(data: dict[str, Any], notes: _Notes) -> list[_Row]:
    """Each objective, then its key results, numbering assumptions in the order they show."""
    rows = []
    for objective in data["objectives"]:
        # a KR's notes include its objective's: its score rests on them too
        for item in [objective, *objective["key_results"]]:
            is_kr = item is not objective
            rows.append(_Row(
                " ".join(CONTROL.sub(" ", item["title"]).split()), "  " if is_kr else "",
                item["owner"] or "", _figures(item) if is_kr else "", _percent(item["score"]),
                item["health"], notes.mark(item.get("assumptions", [])),
            ))  # fmt: skip
    return rows


class _Notes:
    """Assumptions numbered in the order rows show them, each listed once below the table."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def mark(self, notes: list[dict[str, Any]]) -> str:
        """The row's references, such as `  [1,2]`; "" for a row that assumes nothing."""
        refs = [self.numbers.setdefault(n["text"], len(self.numbers) + 1) for n in notes]
        return f"  [{','.join(map(str, refs))}]" if refs else ""

    def footnotes(self, width: int) -> list[str]:
        """The numbered list of what the marked scores rest on, wrapped to `width` columns."""
        if not self.numbers:
            return []
        head = click.style("Scores marked [n] rest on an assumption:", fg="yellow")
        lines = ["", head]
        for text, number in self.numbers.items():
            lines += paragraph(f"  [{number}] ", text, width)
        return lines


def _header(columns: _Columns) -> str:
    title = _TITLE_HEAD if columns.title >= display_width(_TITLE_HEAD) else _SHORT_TITLE_HEAD
    cells = [
        fit(title, columns.title),
        *([fit("OWNER", columns.owner)] if columns.owner else []),
        fit(_FIGURES_HEAD, columns.figures),
        f"{'SCORE':>{_SCORE_WIDTH}}",
        "HEALTH" if columns.health_words else "",
    ]
    return click.style(_GAP.join(cells).rstrip(), bold=True)


def _row_lines(row: _Row, columns: _Columns) -> list[str]:
    """The row's line, then a line for each further line of its title, other columns blank."""
    bold = not row.indent  # objectives stand out from their key results
    title = title_lines(row.title, columns.title - len(row.indent))
    cells = [
        click.style(fit(row.indent + title[0], columns.title), bold=bold),
        *([fit(row.owner, columns.owner)] if columns.owner else []),
        fit(row.figures, columns.figures),
        f"{row.score:>{_SCORE_WIDTH}}",
        _health(row.health, columns.health_words) + row.mark,
    ]
    more = [click.style(row.indent + line, bold=bold) for line in title[1:]]
    return [_GAP.join(cells), *more]


def render_problems(problems: Sequence[Problem]) -> str:
    """The problem list, one line each, after a count."""
    if not problems:
        return ""
    noun = "problem" if len(problems) == 1 else "problems"
    lines = [
        click.style(f"{len(problems)} {noun} (rows left out of scores until fixed):", fg="red")
    ]
    lines += [f"  {CONTROL.sub(' ', str(p))}" for p in problems]  # cell text, one line
    return "\n".join(lines) + "\n"


_SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def render_findings(data: dict[str, Any]) -> str:
    """Lint findings for a terminal: one line each, then the counts."""
    findings = data["findings"]
    if not findings:
        return click.style("✔ The plan follows the method: nothing to fix.", fg="green") + "\n"
    lines = []
    for item in findings:
        where = f"{quote_tab(item['tab'])}!{item['cell']}" if item["tab"] else ""
        severity = click.style(f"{item['severity']:<7}", fg=_SEVERITY_COLOURS[item["severity"]])
        message = CONTROL.sub(" ", item["message"])
        lines.append(f"{severity} {fit(where, 18)} {item['code']:<24} {message}")
    counts = data["counts"]
    lines.append("")
    lines.append(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes")
    return "\n".join(lines) + "\n"

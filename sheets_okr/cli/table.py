"""The scorecard as an aligned terminal table, health visible at a glance."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import click

from sheets_okr.a1 import quote_tab
from sheets_okr.model.tracker import Health, Problem
from sheets_okr.widths import char_width, display_width

HEALTH_LOOK: dict[str, tuple[str, str, str]] = {
    Health.DONE.value: ("✔", "done", "cyan"),
    Health.ON_TRACK.value: ("●", "on track", "green"),
    Health.AT_RISK.value: ("▲", "at risk", "yellow"),
    Health.OFF_TRACK.value: ("✖", "off track", "red"),
    Health.NO_DATA.value: ("○", "no data", "bright_black"),
}
CURRENCY_SYMBOLS = frozenset({"$", "€", "£", "¥", "₩", "₹"})
_TITLE_WIDTH = 46
_OWNER_WIDTH = 12
_FIGURES_WIDTH = 24


# Line breaks, tabs and other control characters (ESC included) a cell may hold.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def fit(text: str, width: int) -> str:
    """Text on one line, cut with an ellipsis or padded with spaces to exactly `width` columns.

    Line breaks typed in a cell become spaces and control characters (terminal escape codes)
    are dropped, so that every row of the table stays one line.
    """
    text = _CONTROL.sub(" ", text)
    if display_width(text) > width:
        # Built forward, one pass: cutting a 32,767-character cell from the end, measuring
        # the whole text after each character, took minutes.
        kept: list[str] = []
        used = 0
        for ch in text:
            used += char_width(ch)
            if used > width - 1:
                break
            kept.append(ch)
        text = "".join(kept) + "…"
    return text + " " * (width - display_width(text))


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _figure(value: float | None) -> str:
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")  # 3.001 shows as 3, not "3."


def _health(value: str) -> str:
    symbol, words, colour = HEALTH_LOOK[value]
    return click.style(f"{symbol} {words}", fg=colour)


def _bar(score: float | None, width: int = 10) -> str:
    filled = 0 if score is None else round(min(max(score, 0.0), 1.0) * width)
    return "█" * filled + "░" * (width - filled)


def _figures(kr: dict[str, Any]) -> str:
    if kr["milestone"]:
        return {True: "done", False: "not done", None: "no check-in"}[kr["done"]]
    unit = kr["unit"] or ""
    if unit in CURRENCY_SYMBOLS:
        return f"{unit}{_figure(kr['current'])} / {unit}{_figure(kr['target'])}"
    suffix = f" {unit}" if unit else ""
    return f"{_figure(kr['current'])} / {_figure(kr['target'])}{suffix}"


def title_width(terminal_columns: int | None) -> int:
    """Room for titles on a terminal this wide (the other columns take about 62)."""
    if terminal_columns is None:
        return _TITLE_WIDTH
    return min(max(terminal_columns - 62, 30), 90)


def render_table(data: dict[str, Any], *, terminal_columns: int | None = None) -> str:
    """The scorecard for a terminal: quarter and team rollups, then objectives with their KRs.

    Titles get the room a terminal of `terminal_columns` leaves (46 columns if not given).
    """
    width = title_width(terminal_columns)
    lines = [f"As of {data['as_of']}" + (f" · {data['source']}" if data["source"] else "")]
    notes = _Notes()
    for note in data.get("assumptions", []):
        if note["id"] is None:  # plan-wide: said first, before any figure
            lines.append(click.style(f"! {_CONTROL.sub(' ', note['message'])}", fg="yellow"))
    lines.append("")
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
    lines.append(
        f"  {len(krs)} key results: {counts['at_risk']} at risk · {counts['off_track']}"
        f" off track · {counts['no_data']} without a check-in · {counts['done']} done"
    )
    lines += ["", _header(width)]
    for objective in data["objectives"]:
        mark = notes.mark(objective.get("assumptions", []))
        row = _row(objective["title"], objective["owner"], "", objective, width, bold=True)
        lines.append(row + mark)
        for kr in objective["key_results"]:  # its objective's notes too: the score rests on them
            mark = notes.mark(kr.get("assumptions", []))
            lines.append(
                _row("  " + kr["title"], kr["owner"], _figures(kr), kr, width, bold=False) + mark
            )
    if not data["objectives"]:
        lines.append("(no objectives yet: add 3-5 below the header row of an OKR tab)")
    return "\n".join(lines + notes.footnotes()) + "\n"


class _Notes:
    """Assumptions numbered in the order rows show them, each listed once below the table."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def mark(self, notes: list[dict[str, Any]]) -> str:
        """The row's references, such as `  [1,2]`; "" for a row that assumes nothing."""
        refs = [self.numbers.setdefault(n["text"], len(self.numbers) + 1) for n in notes]
        return f"  [{','.join(map(str, refs))}]" if refs else ""

    def footnotes(self) -> list[str]:
        """The numbered list of what the marked scores rest on."""
        if not self.numbers:
            return []
        head = click.style("Scores marked [n] rest on an assumption:", fg="yellow")
        return ["", head] + [
            f"  [{number}] {_CONTROL.sub(' ', text)}" for text, number in self.numbers.items()
        ]


def _header(width: int) -> str:
    return click.style(
        f"{fit('OBJECTIVE / KEY RESULT', width)}  {fit('OWNER', _OWNER_WIDTH)}  "
        f"{fit('NOW / TARGET', _FIGURES_WIDTH)}  {'SCORE':>5}  HEALTH",
        bold=True,
    )


def _row(
    title: str, owner: str | None, figures: str, item: dict[str, Any], width: int, *, bold: bool
) -> str:
    text = fit(title, width)
    return (
        f"{click.style(text, bold=bold)}  {fit(owner or '', _OWNER_WIDTH)}  "
        f"{fit(figures, _FIGURES_WIDTH)}  {_percent(item['score']):>5}  {_health(item['health'])}"
    )


def render_problems(problems: Sequence[Problem]) -> str:
    """The problem list, one line each, after a count."""
    if not problems:
        return ""
    noun = "problem" if len(problems) == 1 else "problems"
    lines = [
        click.style(f"{len(problems)} {noun} (rows left out of scores until fixed):", fg="red")
    ]
    lines += [f"  {_CONTROL.sub(' ', str(p))}" for p in problems]  # cell text, one line
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
        message = _CONTROL.sub(" ", item["message"])
        lines.append(f"{severity} {fit(where, 18)} {item['code']:<24} {message}")
    counts = data["counts"]
    lines.append("")
    lines.append(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes")
    return "\n".join(lines) + "\n"

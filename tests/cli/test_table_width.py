"""The terminal table takes the terminal's width: numbers whole with their units, titles
wrapped to the room left and never losing their end (the target)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_okr.cli import cli
from sheets_okr.cli.table import HEALTH_LOOK, render_table, terminal_width
from sheets_okr.widths import char_width, display_width
from tests.support.workbooks import write_workbook

AS_OF = "2026-11-30"
ENGLISH = "Grow partner-sourced revenue in Korea from 120,000,000 to 200,000,000 this quarter"
KOREAN = "한국어 고객 사례 연구와 제품 소개 영상을 분기 말까지 3개에서 12개로 늘리기"
# Key results added to the example plan, under its Korean objective: Type, Title, Owner, Team,
# Quarter, Start, Target, Current, Unit.
ADDED: list[list[Any]] = [
    ["Key Result", ENGLISH, "Marcus Webb", None, None, 120e6, 200e6, 150e6, "KRW"],
    ["Key Result", KOREAN, "이서연", None, None, 3, 12, 9, "개"],
    ["Key Result", "Raise event sponsorship from $5,000 to $20,000", "Priya Nair", None, None,
     5000, 20000, 12000, "$"],
]  # fmt: skip
WHOLE_FIGURES = ["150,000,000 / 200,000,000 KRW", "9 / 12 개", "$12,000 / $20,000"]


def _run(*args: str, columns: int | None) -> str:
    env = {"COLUMNS": None if columns is None else str(columns)}
    result = CliRunner().invoke(cli, list(args), prog_name="sheets-okr", env=env)
    assert result.exit_code == 0, result.output
    return click.unstyle(result.stdout)


@pytest.fixture(name="tracker")
def _tracker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """`init --example` with three more KRs: 150,000,000 KRW, a long Korean title, dollars."""
    monkeypatch.chdir(tmp_path)  # a short source name: the table's first line says it
    _run("init", "x.xlsx", "--example", "--as-of", AS_OF, columns=None)
    workbook = load_workbook("x.xlsx")
    sheet = workbook["OKRs 2026-Q4"]
    last = max(row for row in range(1, sheet.max_row + 1) if sheet.cell(row, 1).value)
    for offset, values in enumerate(ADDED, start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(last + offset, column, value)
    workbook.save("x.xlsx")
    return "x.xlsx"


def _before(line: str, column: int) -> str:
    """The part of `line` in its first `column` display columns."""
    used = 0
    for index, ch in enumerate(line):
        used += char_width(ch)
        if used > column:
            return line[:index]
    return line


SYMBOLS = "".join(symbol for symbol, _, _ in HEALTH_LOOK.values())
HEALTH = re.compile(rf"(\d+%|–)  [{SYMBOLS}]")  # a score, then the health symbol (and words)


def _has_health(line: str) -> bool:
    """Whether the line is an objective's or a KR's (not a title's continuation)."""
    return HEALTH.search(line) is not None


def _rows(table: str) -> list[tuple[str, str]]:
    """Each objective and KR row of the table: its line, and its title read across the lines
    it wraps onto."""
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("OBJECTIVE"))
    # the header is ASCII: index is the column; at 60 columns the table has no owners
    next_column = lines[start].index("OWNER" if "OWNER" in lines[start] else "NOW / TARGET")
    rows: list[tuple[str, list[str]]] = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        if _has_health(line):
            rows.append((line, []))
        rows[-1][1].append(_before(line, next_column).strip())
    return [(line, " ".join(parts)) for line, parts in rows]


def _plan(tracker: str) -> list[dict[str, Any]]:
    """Objectives and KRs in the order the table lists them, as `score --format json` has them."""
    data = json.loads(_run("score", tracker, "--as-of", AS_OF, "--format", "json", columns=None))
    return [
        item for objective in data["objectives"] for item in [objective, *objective["key_results"]]
    ]


@pytest.mark.parametrize("columns", [60, 80, 160])
def test_no_line_is_wider_than_the_terminal(tracker: str, columns: int) -> None:
    """At 60, 80 and 160 columns every line of the table fits the terminal."""
    table = _run("score", tracker, "--as-of", AS_OF, columns=columns)
    assert max(display_width(line) for line in table.splitlines()) <= columns


@pytest.mark.parametrize("columns", [60, 80, 160])
def test_every_key_result_shows_its_numbers_whole_with_its_unit(tracker: str, columns: int) -> None:
    """Each KR's row holds its current and target numbers uncut, then its unit."""
    table = _run("score", tracker, "--as-of", AS_OF, columns=columns)
    rows = _rows(table)
    plan = _plan(tracker)
    assert len(rows) == len(plan)
    for (line, _), item in zip(rows, plan, strict=True):
        if "key_results" in item:
            continue  # an objective has no figures
        assert f"{item['current']:,.0f}" in line
        assert f"{item['target']:,.0f}" in line
        assert item["unit"] in line
    for figures in WHOLE_FIGURES:
        assert figures in table


@pytest.mark.parametrize("columns", [80, 160])
def test_every_title_reads_whole_across_its_lines(tracker: str, columns: int) -> None:
    """Titles, English and Korean, read whole down the title column: their targets stay."""
    table = _run("score", tracker, "--as-of", AS_OF, columns=columns)
    titles = [title for _, title in _rows(table)]
    assert titles == [item["title"] for item in _plan(tracker)]
    assert ENGLISH in titles
    assert KOREAN in titles
    assert any(t.endswith("from 90 to 140 per month") for t in titles)


def test_at_80_columns_long_titles_wrap_under_the_title_column(tracker: str) -> None:
    """At 80 columns the long titles go on lines of their own, other columns left blank."""
    table = _run("score", tracker, "--as-of", AS_OF, columns=80)
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("OBJECTIVE"))
    title_only = [line for line in lines[start + 1 :] if line.strip() and not _has_health(line)]
    assert title_only
    owner_column = lines[start].index("OWNER")
    assert all(display_width(line) < owner_column for line in title_only)


def test_at_160_columns_titles_fit_on_their_row(tracker: str) -> None:
    """At 160 columns every title is on its row's one line, whole, none shortened."""
    table = _run("score", tracker, "--as-of", AS_OF, columns=160)
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("OBJECTIVE"))
    assert all(_has_health(line) for line in lines[start + 1 :])
    assert f"  {ENGLISH}  " in table
    assert f"  {KOREAN}  " in table
    assert "…" not in table


def test_piped_output_without_columns_is_100_wide(
    tracker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Output to a pipe or file, with no $COLUMNS, gets a 100-column table."""

    def no_terminal(fd: int = 1) -> os.terminal_size:
        raise OSError("not a terminal")

    monkeypatch.setattr(os, "get_terminal_size", no_terminal)
    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal_width() == 100
    table = _run("score", tracker, "--as-of", AS_OF, columns=None)
    assert max(display_width(line) for line in table.splitlines()) <= 100


@pytest.mark.parametrize(("columns", "width"), [("123", 123), ("20", 60), ("0", 100)])
def test_terminal_width_follows_columns_and_never_goes_under_60(
    monkeypatch: pytest.MonkeyPatch, columns: str, width: int
) -> None:
    """$COLUMNS sets the width, 60 at least; an unusable $COLUMNS falls back to 100 (no tty)."""

    def no_terminal(fd: int = 1) -> os.terminal_size:
        raise OSError("not a terminal")

    monkeypatch.setattr(os, "get_terminal_size", no_terminal)
    monkeypatch.setenv("COLUMNS", columns)
    assert terminal_width() == width


def _one_kr(title: str, unit: str, current: float, target: float) -> dict[str, Any]:
    kr = {"title": title, "owner": "Lee", "milestone": False, "done": None, "current": current,
          "target": target, "unit": unit, "score": 0.5, "health": "at_risk"}  # fmt: skip
    objective = {"title": "O", "owner": "Sam", "score": 0.5, "health": "at_risk",
                 "key_results": [kr]}  # fmt: skip
    return {"as_of": AS_OF, "source": "", "quarters": [], "teams": [], "objectives": [objective]}


def test_a_title_pasted_as_a_paragraph_keeps_its_start_and_its_end() -> None:
    """A title of thousands of characters shows a few lines: its start, "…", and its end."""
    title = "Grow webinar sign-ups " + "and more " * 2000 + "from 150 to 400"
    table = click.unstyle(render_table(_one_kr(title, "", 150, 400), width=80))
    shown = _rows(table)[1][1]
    assert shown.startswith("Grow webinar sign-ups")
    assert "…" in shown
    assert shown.endswith("from 150 to 400")
    assert display_width(shown) <= 121  # 120 columns, and a space where a line wrapped
    assert max(display_width(line) for line in table.splitlines()) <= 80


def test_a_unit_typed_as_a_sentence_is_cut_but_never_the_numbers() -> None:
    """A very long unit is shortened; the numbers before it stay whole, the line fits."""
    unit = "visitors who came from organic search and stayed longer than a minute"
    table = click.unstyle(render_table(_one_kr("K", unit, 150_000_000, 200_000_000), width=80))
    assert "150,000,000 / 200,000,000 visitors" in table
    assert unit not in table
    assert max(display_width(line) for line in table.splitlines()) <= 80


def test_assumption_marks_and_notes_fit_the_width(tmp_path: Path) -> None:
    """Rows marked [n] and the notes listed under the table stay within 80 columns."""
    path = write_workbook(tmp_path / "guesses.xlsx", {"OKRs": [
        ["Type", "Title", "Owner", "Start", "Target", "Current"],
        ["Objective", "Grow the pipeline efficiently across every region we sell in", "Sam"],
        ["Key Result", "Reduce cost per MQL across paid channels from $180 to $120", "Kim",
         None, "$120", "$156"],
        ["Key Result", "Launch the partner portal", "Lee", None, None, 1],
    ]})  # fmt: skip
    table = _run("score", str(path), "--as-of", AS_OF, columns=80)
    assert "[1" in table
    assert "rest on an assumption" in table
    assert max(display_width(line) for line in table.splitlines()) <= 80

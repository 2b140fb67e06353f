"""The terminal table: display widths, padding, and columns that line up with Korean text."""

from __future__ import annotations

import unicodedata
from typing import Any

import click
import pytest

from sheets_okr.cli.data import scorecard_data
from sheets_okr.cli.table import HEALTH_LOOK, fit, render_problems, render_table
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Commitment, KeyResult, Location, Objective, Problem, Tracker
from sheets_okr.score.scorecard import score_tracker
from sheets_okr.widths import display_width
from tests.support.workbooks import day

Q4 = Quarter(2026, 4)


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("", 0),
        ("abc", 3),
        ("한국", 4),
        ("한국 시장", 9),
        ("MQL 증가", 8),
        ("ｆｕｌｌ", 8),  # fullwidth Latin letters
        ("…", 1),
    ],
)
def test_display_width_counts_wide_characters_twice(text: str, width: int) -> None:
    """Korean (and other East Asian wide) characters take two terminal columns."""
    assert display_width(text) == width


@pytest.mark.parametrize(
    ("text", "width", "fitted"),
    [
        ("abc", 6, "abc   "),
        ("abc", 3, "abc"),
        ("abcdef", 4, "abc…"),
        ("한국", 6, "한국  "),
        ("한국어", 6, "한국어"),
        ("한국어", 5, "한국…"),  # 2 + 2 + 1
        ("한국어", 4, "한… "),  # a wide character cannot be halved: pad the odd column
        ("a한국", 4, "a한…"),
    ],
)
def test_fit_pads_or_truncates_by_display_width(text: str, width: int, fitted: str) -> None:
    """fit() returns exactly `width` columns, cutting with an ellipsis when too long."""
    assert fit(text, width) == fitted
    assert display_width(fit(text, width)) == width


def _data(titles: list[str], kr_titles: list[str]) -> dict[str, Any]:
    objectives = tuple(
        Objective(f"O{i}", title, Location("OKRs", 10 * i), Q4, team="팀" if i % 2 else "Content",
                  owner="박지민" if i % 2 else "Sam", commitment=Commitment.COMMITTED)
        for i, title in enumerate(titles)
    )  # fmt: skip
    key_results = tuple(
        KeyResult(f"K{i}-{j}", f"O{i}", kr_title, Location("OKRs", 10 * i + j + 1),
                  start=8000, target=15000 if j % 3 else None,
                  current=[8000, 12109, 16000, None][j % 4] if j % 3 else None,
                  milestone_done=[True, False, None][i % 3] if j % 3 == 0 else None,
                  unit="명" if j % 2 else "$", owner="이서연" if j % 2 else "Lee")
        for i in range(len(titles))
        for j, kr_title in enumerate(kr_titles)
    )  # fmt: skip
    plan = Tracker(objectives, key_results, (), ())
    return scorecard_data(plan, score_tracker(plan, day("2026-11-30")), "okrs.xlsx")


def _health_column(line: str) -> int | None:
    """The display column where a line's health label starts, or None without one."""
    for symbol, words, _ in HEALTH_LOOK.values():
        label = f"{symbol} {words}"
        if line.endswith(label):
            return display_width(line[: -len(label)])
    return None


def test_render_table_aligns_the_health_column_with_korean_titles() -> None:
    """Once ANSI codes are stripped, every objective and KR line starts Health at one column."""
    data = _data(
        ["한국 시장 웹사이트 트래픽 증가", "Increase website traffic", "짧은 목표"],
        [
            "자연 검색 방문자를 월 8,000명에서 15,000명으로 증가시키고 유지하기",  # wrapped
            "Grow organic sessions from 18,000 to 30,000 per month and keep them",
            "블로그 게시물 12개",
            "a",
        ],
    )
    lines = click.unstyle(render_table(data)).splitlines()
    header_index = next(i for i, line in enumerate(lines) if line.startswith("OBJECTIVE"))
    rows = [line for line in lines[header_index + 1 :] if _health_column(line) is not None]
    assert len(rows) == 3 + 3 * 4
    columns = {_health_column(line) for line in rows}
    assert len(columns) == 1
    (column,) = columns
    assert display_width(lines[header_index][: lines[header_index].index("HEALTH")]) == column
    owner_column = lines[header_index].index("OWNER")
    title_only = [line for line in lines[header_index + 1 :] if line not in rows]
    assert title_only  # the long titles wrapped, each continuation within the title column
    assert all(display_width(line) < owner_column for line in title_only)


def test_render_table_shows_every_objective_and_key_result_title() -> None:
    """Short titles appear whole; a long one wraps within the title column, none of it lost."""
    data = _data(["한국 시장"], ["Win 10 deals", "x" * 80])
    text = click.unstyle(render_table(data))
    assert "한국 시장" in text
    assert "Win 10 deals" in text
    assert "x" * 80 not in text
    assert text.split("OBJECTIVE", 1)[1].count("x") == 80
    assert "As of 2026-11-30 · okrs.xlsx" in text
    assert "2026-Q4" in text


def test_render_table_shows_figures_and_milestones() -> None:
    """Numeric KRs show now / target with their unit; milestones say done or not."""
    text = click.unstyle(render_table(_data(["O"], ["milestone", "visitors", "budget"])))
    assert "12,109 / 15,000 명" in text
    assert "$16,000 / $15,000" in text
    assert "done" in text


def test_render_table_uses_colour_codes_that_unstyle_removes() -> None:
    """The raw table carries ANSI styles (click strips them when not on a terminal)."""
    raw = render_table(_data(["O"], ["K"]))
    assert "\x1b[" in raw
    assert "\x1b[" not in click.unstyle(raw)


def test_render_problems_lists_each_problem_with_tab_and_cell() -> None:
    """Problems are counted and each names its tab and cell."""
    problems = [
        Problem("Q4 2026", "F12", 'Target "thirty" is not a number'),
        Problem("OKRs", "B3", "Title is blank"),
    ]
    text = click.unstyle(render_problems(problems))
    assert text.startswith("2 problems")
    assert "'Q4 2026'!F12: Target \"thirty\" is not a number" in text
    assert "OKRs!B3: Title is blank" in text
    assert render_problems([]) == ""


@pytest.mark.parametrize(
    ("text", "width"),
    [
        (unicodedata.normalize("NFD", "한국"), 4),  # conjoining jamo: 2 syllables, 4 columns
        ("Cafe\u0301", 4),  # e + combining acute accent
        ("a\u200bb", 2),  # zero-width space
    ],
)
def test_display_width_ignores_zero_width_characters(text: str, width: int) -> None:
    """Combining marks, conjoining Hangul jamo and zero-width characters take no column."""
    assert display_width(text) == width


def test_fit_keeps_a_title_with_line_breaks_on_one_line() -> None:
    """A cell with Alt+Enter line breaks or tabs becomes one line of the right width."""
    fitted = fit("Grow visits\nfrom 20\r\nto 30\tnow", 40)
    assert "\n" not in fitted
    assert "\r" not in fitted
    assert "\t" not in fitted
    assert fitted.startswith("Grow visits from 20")
    assert display_width(fitted) == 40


def test_fit_drops_terminal_escape_codes_typed_into_a_cell() -> None:
    """A title holding an ESC sequence cannot restyle or clear the user's terminal."""
    fitted = fit("Win\x1b[2J deals", 20)
    assert "\x1b" not in fitted
    assert display_width(fitted) == 20


def test_render_table_keeps_one_line_per_row_with_multi_line_titles() -> None:
    """Every objective and KR is one table line even when its title spans lines in the cell."""
    data = _data(["Increase\nwebsite traffic"], ["Grow visits\nfrom 20 to 30", "Win deals"])
    lines = click.unstyle(render_table(data)).splitlines()
    header_index = next(i for i, line in enumerate(lines) if line.startswith("OBJECTIVE"))
    rows = lines[header_index + 1 :]
    assert len(rows) == 3
    assert len({_health_column(line) for line in rows}) == 1


@pytest.mark.parametrize(
    ("current", "shown"), [(3.001, "3 / 15,000"), (2.5, "2.5 / 15,000"), (1234.56, "1,234.56")]
)
def test_render_table_writes_figures_without_a_dangling_decimal_point(
    current: float, shown: str
) -> None:
    """A current of 3.001 shows as 3, not "3."; real decimals keep their digits."""
    plan = Tracker(
        (Objective("O1", "Objective", Location("OKRs", 2), Q4),),
        (KeyResult("K1", "O1", "Key result", Location("OKRs", 3), start=0, target=15000,
                   current=current),),
        (), (),
    )  # fmt: skip
    text = click.unstyle(render_table(scorecard_data(plan, score_tracker(plan, day("2026-11-30")))))
    assert shown in text
    assert "3. /" not in text


def test_render_problems_keeps_cell_text_from_driving_the_terminal() -> None:
    """A problem quoting a cell with line breaks or ESC codes stays one plain line."""
    problem = Problem("OKRs", "G3", 'Target "ten\n\x1b[2Jthousand" is not a number')
    text = render_problems([problem])
    assert "\x1b[2J" not in text
    lines = click.unstyle(text).splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("  OKRs!G3: Target")


def test_the_table_counts_key_results_by_health() -> None:
    """Under the quarter line, the table says how many KRs are at risk, off track and so on."""
    from sheets_okr.cli.table import render_table

    def kr(health: str) -> dict[str, object]:
        return {"title": "K", "owner": None, "milestone": False, "done": None, "current": 1,
                "target": 2, "unit": None, "score": 0.5, "health": health}  # fmt: skip

    data = {
        "as_of": "2026-11-30", "source": "", "quarters": [], "teams": [],
        "objectives": [{"title": "O", "owner": None, "score": 0.5, "health": "at_risk",
                        "key_results": [kr("at_risk"), kr("off_track"), kr("off_track"),
                                        kr("no_data")]}],
    }  # fmt: skip
    text = click.unstyle(render_table(data))
    assert "4 key results: 1 at risk · 2 off track · 1 without a check-in · 0 done" in text

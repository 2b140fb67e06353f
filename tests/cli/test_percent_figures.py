"""A rate typed in Excel as 2% is stored as 0.02 under a percent format: every place that
shows the figure (the terminal table, the summary page, the History tab) shows 2%."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import click
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_okr.cli import cli

AS_OF = "2026-11-30"
TITLE = "Raise lead conversion from 2% to 5%"
KOREAN = "데모 전환율을 10%에서 15%로 개선"
TYPED = "Raise email click rate from 0.5% to 1%"  # typed as 0.5 and 1, not as fractions
OTHER = "Grow ARR 20% to $0.6M"  # a percentage about something else: figures as they are


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), prog_name="sheets-okr", env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    return click.unstyle(result.stdout)


def _tracker(folder: Path) -> Path:
    """`init --example` with two rates stored as Excel stores a typed percent: one without a
    unit, one with Unit %."""
    path = folder / "x.xlsx"
    _run("init", str(path), "--example", "--as-of", AS_OF)
    workbook = load_workbook(path)
    sheet = workbook["OKRs 2026-Q4"]
    last = max(row for row in range(1, sheet.max_row + 1) if sheet.cell(row, 1).value)
    for offset, (title, unit, figures) in enumerate(
        [(TITLE, None, (0.02, 0.05, 0.031)), (KOREAN, "%", (0.1, 0.15, 0.125)),
         (TYPED, "%", (0.5, 1, 0.8)), (OTHER, None, (0.5, 0.6, 0.55))],
        start=1,
    ):  # fmt: skip
        row = last + offset
        for column, value in enumerate(["Key Result", title, "Dana Kim", None, None, *figures,
                                        unit], start=1):  # fmt: skip
            cell = sheet.cell(row, column, value)
            if column in (6, 7, 8) and title in (TITLE, KOREAN):
                cell.number_format = "0%" if column < 8 else "0.0%"
    workbook.save(path)
    return path


def test_rates_stored_as_fractions_show_as_percentages_everywhere(tmp_path: Path) -> None:
    """The table shows 3.1% / 5% and 12.5% / 15%, the page "5%" and "3.1%" (never 0.05),
    and History formats both Currents as percentages; a rate typed as 0.5 for 0.5% shows
    0.8% / 1%, and a title's percentage about something else changes nothing."""
    path = _tracker(tmp_path)
    table = _run("score", str(path), "--as-of", AS_OF)
    assert "3.1% / 5%" in table
    assert "12.5% / 15%" in table
    assert "0.8% / 1%" in table
    assert "0.55 / 0.6" in table
    assert "0.03" not in table
    page = tmp_path / "page.html"
    _run("report", str(path), "-o", str(page), "--as-of", AS_OF)
    html = page.read_text("utf-8").replace("\u00a0", " ")
    assert "3.1%" in html
    assert "0.05" not in html
    assert "0.031" not in html
    _run("sync", str(path), "--as-of", AS_OF)
    history = load_workbook(path)["History"]
    formats = {
        history.cell(row, 3).value: history.cell(row, 4).number_format
        for row in range(2, history.max_row + 1)
    }
    assert formats[TITLE] == "0.0%"
    assert formats[KOREAN] == "0.0%"
    assert formats[TYPED] == '#,##0.00"%"'
    assert formats[OTHER] == "#,##0.00"


def test_a_reminder_gives_the_target_of_a_rate_in_percent(tmp_path: Path) -> None:
    """An owner's reminder for a rate without a check-in says "target 5%", never 0.05."""
    path = _tracker(tmp_path)
    workbook = load_workbook(path)
    sheet = workbook["OKRs 2026-Q4"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == TITLE)
    sheet.cell(row, 8).value = None  # no check-in yet
    people = workbook.create_sheet("People")
    people.append(["Name", "Email"])
    people.append(["Dana Kim", "dana@example.com"])
    workbook.save(path)
    out = tmp_path / "out"
    _run("remind", str(path), "--as-of", AS_OF, "--dry-run", "-o", str(out))
    (eml,) = sorted(out.glob("dana@example.com*.eml"))
    text = eml.read_text("utf-8", errors="replace")
    message = email.message_from_string(text, policy=email.policy.default)
    plain = message.get_body(("plain",))
    assert plain is not None
    body = plain.get_content().replace("\u00a0", " ")
    assert TITLE in body
    assert "5%" in body
    assert "0.05" not in body

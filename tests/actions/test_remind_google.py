"""`sheets-okr remind` of a Google Sheet: its People tab read through the Sheets API emulator
(real gspread and google-auth code), and the reminder linking to the sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sheets_okr.cli import cli
from tests.support.reminders import AS_OF, body, plan_rows, tracker
from tests.support.run_configs import email_table, run_cli, write_config
from tests.support.sheets_emulator import SheetsEmulator
from tests.support.smtp import free_port, parse_eml

KEY = "1RemindTrackerKey_people"
LINK = f"https://docs.google.com/spreadsheets/d/{KEY}/edit"
PEOPLE: list[list[Any]] = [["구성원 명단"], ["이름", "팀", "이메일", "언어"],
          ["Lee", "수요 창출", "lee@example.com", "한국어"], [None, None, None, None],
          ["Kim", "콘텐츠", "kim@example.com", None]]  # fmt: skip


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The state folder in tmp_path."""
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(tmp_path / "state"))


def test_a_sheets_people_tab_and_link_reach_the_reminders(
    tmp_path: Path, google_env: SheetsEmulator
) -> None:
    """A Sheet's Korean People tab gives the addresses, and each reminder links to the Sheet."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": plan_rows(), "구성원": PEOPLE})
    out = tmp_path / "out"
    argv = ["remind", f"gsheet:{KEY}", "--as-of", AS_OF.isoformat(), "--dry-run", "-o", str(out)]
    result = CliRunner().invoke(cli, argv, prog_name="sheets-okr")
    assert result.exit_code == 0, result.output
    lee = parse_eml(out / "lee@example.com.eml")
    kim = parse_eml(out / "kim@example.com.eml")
    assert f'href="{LINK}"' in body(lee, "html")
    assert LINK in body(kim)
    assert "'2026-Q4'!H6" in body(lee)  # KR-4, due in three days
    assert "업데이트해 주세요" in str(lee["Subject"])  # Lee reads Korean
    assert "Reach 40 Growth MQLs" in body(kim)


def test_a_run_over_a_sheet_and_a_file_reminds_from_the_sheets_people_tab(
    tmp_path: Path, google_env: SheetsEmulator
) -> None:
    """A run over a Sheet and a file reminds Kim of the Sheet's key results from its People
    tab, and of the file's from [people]: in one email. The Sheet's tab is never used for the
    file's owners (its Lee is unreached there)."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": plan_rows("Korea"), "구성원": PEOPLE})
    tracker(tmp_path / "growth.xlsx")
    extra = email_table(free_port()) + '[people]\n"Kim" = "kim@example.com"\n'
    path = write_config(tmp_path, [("Korea", f"gsheet:{KEY}"), ("Growth", "growth.xlsx")], extra)
    folder = tmp_path / "reminders"
    result = run_cli(path, "--dry-run", "--remind", "--remind-dir", str(folder))
    assert result.exit_code == 0, result.output
    kim = body(parse_eml(folder / "kim@example.com.eml"))
    assert LINK in kim
    assert "Reach 40 Korea MQLs" in kim
    assert "== Growth (in growth.xlsx) ==" in kim
    lee = body(parse_eml(folder / "lee@example.com.eml"))
    assert "Growth" not in lee
    assert "no email address for Lee (2 key results in Growth)" in result.stderr

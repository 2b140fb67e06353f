"""The People tab: owners' names and addresses read from real workbooks, never an OKR tab."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from sheets_okr.actions.score import ReadOptions, score_source
from sheets_okr.read.people import is_people_title, read_people
from sheets_okr.sources.excel.workbook import ExcelWorkbook
from tests.support.reminders import AS_OF, people_rows, plan_rows, tracker
from tests.support.workbook_parts import parts, tab_parts
from tests.support.workbooks import write_workbook


def people_of(path: Path) -> dict[str, str]:
    """Name -> address of a workbook's People tab, as a tracker read from it holds them."""
    scored = score_source(str(path), ReadOptions(AS_OF))
    return {person.name: person.email for person in scored.tracker.people.entries}


def test_a_people_tab_as_teams_keep_one_is_read(tmp_path: Path) -> None:
    """Title rows, blank rows and extra columns aside; a name typed twice is one person."""
    path = tracker(tmp_path / "okrs.xlsx", people=people_rows())
    assert people_of(path) == {"Lee": "lee@example.com", "Dana": "dana@example.com"}


def test_korean_headers_and_a_language_column_are_read(tmp_path: Path) -> None:
    """A 구성원 tab with 이름, 이메일 and 언어 headers gives names, addresses and languages."""
    rows = [["이름", "부서", "이메일", "언어"], ["박지민", "마케팅", "jimin@example.com", "한국어"],
            ["이서연", "영업", "seoyeon@example.com", "English"],
            ["김하늘", "영업", "haneul@example.com"]]  # fmt: skip
    path = write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": plan_rows(), "구성원": rows})
    people = ExcelWorkbook(path).read()
    found = read_people(people)
    assert [(p.name, p.email, p.lang) for p in found.entries] == [
        ("박지민", "jimin@example.com", "ko"),
        ("이서연", "seoyeon@example.com", "en"),
        ("김하늘", "haneul@example.com", None),
    ]
    assert found.tab == "구성원"


def test_the_people_tab_is_not_read_as_an_okr_tab(tmp_path: Path) -> None:
    """A People tab, in English or Korean, adds no OKR tab, key result or problem to the plan."""
    korean = [["이름", "직책", "이메일", "팀"], ["박지민", "팀장", "jimin@example.com", "한국"]]
    for name, rows in (("People", people_rows()), ("담당자", korean)):
        path = write_workbook(tmp_path / f"{name}.xlsx", {"2026-Q4": plan_rows(), name: rows})
        scored = score_source(str(path), ReadOptions(AS_OF))
        assert [layout.tab for layout in scored.tracker.layouts] == ["2026-Q4"]
        assert scored.tracker.problems == ()
        assert len(scored.tracker.key_results) == 5
        assert scored.tracker.people.tab == name


def test_an_address_that_is_not_one_is_noted_with_its_cell(tmp_path: Path) -> None:
    """An address "dana at example" is never used; the note names the cell."""
    rows = [["Name", "Email"], ["Dana", "dana at example"], ["Lee", "lee@example.com"]]
    path = write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": plan_rows(), "People": rows})
    found = read_people(ExcelWorkbook(path).read())
    assert [p.name for p in found.entries] == ["Lee"]
    assert found.notes
    assert found.notes[0].startswith("People!B2: ")


def test_one_name_with_two_addresses_is_never_guessed(tmp_path: Path) -> None:
    """Lee listed twice with different addresses: neither is used, and the note says so."""
    rows = [["Name", "Email"], ["Lee", "lee@example.com"], ["lee", "lee.min@example.com"]]
    path = write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": plan_rows(), "People": rows})
    found = read_people(ExcelWorkbook(path).read())
    assert found.entries == ()
    assert "neither is used" in found.notes[0]


def test_a_tab_of_other_names_and_addresses_is_not_a_people_tab(tmp_path: Path) -> None:
    """A Customers tab with Name and Email columns is never taken for the team's people."""
    rows = [["Name", "Email"], ["Lee", "lee@customer.example"]]
    path = write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": plan_rows(), "Customers": rows})
    assert read_people(ExcelWorkbook(path).read()).entries == ()


def test_people_tab_titles() -> None:
    """People, Team members, 구성원 명단 name a list of people; Customers and Notes do not."""
    assert all(map(is_people_title, ["People", "Team members", "구성원 명단", "담당자", "owners"]))
    assert not any(map(is_people_title, ["Customers", "Notes", "2026-Q4"]))


def test_sync_leaves_the_people_tab_as_it_was(tmp_path: Path) -> None:
    """A sync writes the plan's tool columns and tabs, and not a cell of the People tab."""
    from openpyxl import load_workbook

    from sheets_okr.actions.sync import sync_source

    path = tracker(tmp_path / "okrs.xlsx", people=people_rows())
    before = [list(row) for row in load_workbook(path)["People"].iter_rows(values_only=True)]
    result = sync_source(str(path), ReadOptions(AS_OF))
    assert result.written_to is not None
    after = [list(row) for row in load_workbook(path)["People"].iter_rows(values_only=True)]
    assert after == before


def test_an_address_outside_ascii_is_noted_and_never_used(tmp_path: Path) -> None:
    """김민수@회사.kr cannot go in an SMTP envelope: noted with its cell, the name unusable."""
    rows = [["Name", "Email"], ["김민수", "김민수@회사.kr"], ["Lee", "lee@example.com"]]
    path = write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": plan_rows(), "People": rows})
    found = read_people(ExcelWorkbook(path).read())
    assert [p.name for p in found.entries] == ["Lee"]
    assert found.notes[0].startswith("People!B2: '김민수@회사.kr' is not an email address")
    assert found.lists_unusably("김민수")


OKR_LIKE_PEOPLE = [["Name", "Email", "Objective"], ["Lee", "lee@example.com", "Grow"],
                   ["Kim", "kim@example.com", "Brand"]]  # fmt: skip


def test_a_people_tab_with_okr_like_headers_is_no_okr_tab(tmp_path: Path) -> None:
    """Name | Email | Objective is the People tab, decided first: no OKR tab, its people read."""
    path = write_workbook(tmp_path / "okrs.xlsx",
                          {"2026-Q4": plan_rows(), "People": OKR_LIKE_PEOPLE})  # fmt: skip
    scored = score_source(str(path), ReadOptions(AS_OF))
    assert [layout.tab for layout in scored.tracker.layouts] == ["2026-Q4"]
    assert people_of(path) == {"Lee": "lee@example.com", "Kim": "kim@example.com"}


def tab_xml(path: Path, tab: str) -> bytes:
    """The bytes of one tab's worksheet part in an .xlsx file, as stored."""
    every = parts(path)
    return every[tab_parts(every)[tab]]


def test_sync_plans_and_writes_nothing_on_a_people_tab_with_okr_like_headers(
    tmp_path: Path,
) -> None:
    """`sync --dry-run` plans no People cell; a real sync leaves the tab's bytes as they were."""
    from click.testing import CliRunner

    from sheets_okr.cli import cli

    path = write_workbook(tmp_path / "okrs.xlsx",
                          {"2026-Q4": plan_rows(), "People": OKR_LIKE_PEOPLE})  # fmt: skip
    argv = ["sync", str(path), "--as-of", AS_OF.isoformat(), "--dry-run"]
    dry = CliRunner().invoke(cli, argv, prog_name="sheets-okr")
    assert dry.exit_code == 0, dry.output
    assert "'2026-Q4'!" in dry.stdout
    assert "People!" not in dry.stdout
    before = tab_xml(path, "People")
    done = CliRunner().invoke(cli, argv[:-1], prog_name="sheets-okr")
    assert done.exit_code == 0, done.output
    assert "Summary" in load_workbook(path).sheetnames  # the sync did write the workbook
    assert tab_xml(path, "People") == before


def test_an_okr_tab_titled_like_a_team_with_owner_and_email_columns_stays_an_okr_tab(
    tmp_path: Path,
) -> None:
    """A "Team OKRs" tab with Owner and Email columns holds figures to score: it is an OKR
    tab (its key results scored), never taken for the People tab."""
    rows = [[*row, *[None] * (10 - len(row)), "lee@example.com" if index else "Email"]
            for index, row in enumerate(plan_rows())]  # fmt: skip
    path = write_workbook(tmp_path / "okrs.xlsx", {"Team OKRs": rows})
    scored = score_source(str(path), ReadOptions(AS_OF))
    assert [layout.tab for layout in scored.tracker.layouts] == ["Team OKRs"]
    assert len(scored.tracker.key_results) == 5
    assert scored.tracker.people.entries == ()

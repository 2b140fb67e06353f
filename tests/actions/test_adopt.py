"""`adopt` as a library call: the proposal for a sheet a team already keeps, its map, saving it."""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sheets_okr.actions.adopt import propose
from sheets_okr.actions.map_toml import map_toml
from sheets_okr.actions.proposal import Proposal, TabProposal
from sheets_okr.actions.save_map import same_map
from sheets_okr.actions.score import ReadOptions, score_source
from sheets_okr.actions.trackers import sync_trackers
from sheets_okr.config.load import load_config
from sheets_okr.errors import EXIT_FINDINGS, EXIT_OK, SheetsOkrError, TemporaryFailure
from sheets_okr.read.column_map import ColumnMap, load_column_map
from sheets_okr.read.saved_map import MAP_TAB
from sheets_okr.sources.excel import sync_lock
from tests.support.adopted import (
    BASE_QUESTION,
    BRAND_TAB,
    CSV_TEXT,
    NOTES_TAB,
    SALES_TAB,
    STARTS,
    TABS,
    TEAM_TAB,
    answered,
    team_sheet,
)
from tests.support.sheets_emulator import SheetsEmulator
from tests.support.workbooks import write_workbook

AS_OF = dt.date(2026, 11, 30)
READING = ReadOptions(AS_OF)


def _tab(proposal: Proposal, title: str) -> TabProposal:
    (tab,) = [tab for tab in proposal.tabs if tab.tab == title]
    return tab


def _columns(tab: TabProposal) -> dict[str, tuple[str | None, str]]:
    """Each column's letter -> (field, reason)."""
    return {c.column: (c.field, c.reason) for c in tab.columns}


def _answered_map(tmp_path: Path, proposal: Proposal) -> ColumnMap:
    path = tmp_path / "map.toml"
    path.write_text(answered(map_toml(proposal)), "utf-8")
    return load_column_map(path)


def _starts(source: str) -> dict[str, float]:
    tracker = score_source(source, READING).tracker
    return {kr.title: kr.start for kr in tracker.key_results}


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    workbook = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


@pytest.fixture(name="sheet")
def _sheet(tmp_path: Path) -> Path:
    return team_sheet(tmp_path / "team.xlsx")


def test_each_column_gets_its_field_and_why(sheet: Path) -> None:
    """Names, content (목표 twice), a unit, a bilingual header and a fallback name are read,
    each with its reason; Base is asked about, not guessed."""
    proposal = propose(str(sheet), READING)
    team = _tab(proposal, TEAM_TAB)
    assert (team.header_row, team.layout) == (1, "tree")
    assert _columns(team) == {
        "A": ("objective", "its name, 목표, and the text below it"),
        "B": ("key_result", "its name"),
        "C": ("owner", "its name"),
        "D": (None, "a near name, not read"),
        "E": ("target", "its name, 목표, and the numbers below it"),
        "F": ("current", "its name"),
    }
    (base,) = [c for c in team.columns if c.column == "D"]
    assert (base.question, base.maybe) == ('is "Base" the start?', "start")
    sales = _tab(proposal, SALES_TAB)
    assert _columns(sales)["A"] == ("objective", "its name")  # 목표(Objective)
    assert _columns(sales)["E"] == ("target", "its name")  # Target (USD)
    assert dict(sales.units) == {"target": "USD"}
    assert _columns(_tab(proposal, BRAND_TAB))["D"] == ("target", "its name and the numbers"
                                                        " below it")  # fmt: skip


def test_the_proposal_counts_scores_and_asks(sheet: Path) -> None:
    """Each tab says what it reads and scores; Base on three tabs is three questions: exit 1."""
    proposal = propose(str(sheet), READING)
    team = _tab(proposal, TEAM_TAB)
    assert dict(team.counts) == {"objectives": 2, "key_results": 3, "actions": 0}
    first = team.first_rows[0]
    assert (first.title, first.start, first.target, first.current) == (
        "Grow MQLs from 100 to 200", 0.0, 200.0, 150.0)  # fmt: skip
    assert first.score == pytest.approx(0.75)
    assert any("Start is blank" in note for note in first.assumptions)
    assert [(q.tab, q.column, q.entry) for q in proposal.questions] == [
        (TEAM_TAB, "D", '"Base" = "start"'),
        (SALES_TAB, "D", '"Base" = "start"'),
        (BRAND_TAB, "C", '"Base" = "start"'),
    ]
    assert proposal.problems == ()
    assert proposal.exit_code == EXIT_FINDINGS
    notes = _tab(proposal, NOTES_TAB)
    assert not notes.read
    assert not notes.looks_like_okrs
    assert notes.layout_words == "no OKR header in its first 10 rows"


def test_the_map_names_every_column_read_and_comments_the_questions(sheet: Path) -> None:
    """A header on every tab read alike goes in [columns]; a repeated header by its letter;
    the rest per tab; Base as a commented line."""
    proposal = propose(str(sheet), READING)
    cmap = proposal.column_map
    assert dict(cmap.columns) == {"Actual": "current"}
    assert dict(cmap.tabs[TEAM_TAB]) == {
        "column:A": "objective", "핵심 결과": "key_result", "Owner": "owner",
        "column:E": "target",
    }  # fmt: skip
    assert dict(cmap.tabs[BRAND_TAB]) == {
        "Objective": "objective", "Key Result": "key_result", "End": "target",
    }  # fmt: skip
    assert cmap.tabs[SALES_TAB]["목표(Objective)"] == "objective"
    toml = map_toml(proposal)
    (line,) = [line for line in toml.splitlines() if line.startswith(BASE_QUESTION)]
    assert 'is "Base" the start? a near name, not read' in line


def test_the_toml_map_round_trips(sheet: Path, tmp_path: Path) -> None:
    """The TOML is valid, and load_column_map reads it back as the proposed map."""
    proposal = propose(str(sheet), READING)
    path = tmp_path / "map.toml"
    path.write_text(map_toml(proposal), "utf-8")
    tomllib.loads(path.read_text("utf-8"))
    assert same_map(load_column_map(path), proposal.column_map)


def test_tab_names_and_headers_with_quotes_round_trip(tmp_path: Path) -> None:
    """Tab names and headers holding quotes and Korean are written as valid TOML keys."""
    rows: list[list[Any]] = [["Objective", "Key Result", "Base", 'The "End"', "Actual"],
            ["Be loved", "Lift NPS", 20, 40, 30]]  # fmt: skip
    path = write_workbook(tmp_path / "odd.xlsx", {"Team 'A' \"목표\"": rows, "Other": rows})
    proposal = propose(str(path), ReadOptions(AS_OF, columns=ColumnMap({'The "End"': "target"})))
    toml = tmp_path / "map.toml"
    toml.write_text(map_toml(proposal), "utf-8")
    assert same_map(load_column_map(toml), proposal.column_map)
    assert proposal.column_map.columns['The "End"'] == "target"


def test_the_answered_map_asks_nothing_and_reads_base_as_start(sheet: Path, tmp_path: Path) -> None:
    """With Base uncommented, no question is left (exit 0) and every start is read."""
    first = propose(str(sheet), READING)
    reading = ReadOptions(AS_OF, columns=_answered_map(tmp_path, first))
    proposal = propose(str(sheet), reading)
    assert proposal.questions == ()
    assert proposal.exit_code == EXIT_OK
    assert proposal.column_map.columns["Base"] == "start"
    team = _tab(proposal, TEAM_TAB)
    assert team.first_rows[0].start == 100
    assert team.first_rows[0].score == pytest.approx(0.5)


def test_save_writes_the_column_map_tab_and_nothing_else(sheet: Path, tmp_path: Path) -> None:
    """--save adds the Column map tab, changes no other cell, keeps a backup; every later read
    takes it; saving the same map again writes nothing."""
    before = _cells(sheet)
    reading = ReadOptions(AS_OF, columns=_answered_map(tmp_path, propose(str(sheet), READING)))
    proposal = propose(str(sheet), reading, save=True)
    assert proposal.saved is not None
    assert proposal.saved.changed
    assert MAP_TAB in proposal.saved.where
    after = _cells(sheet)
    assert list(after) == [*before, MAP_TAB]
    for title, rows in before.items():
        assert after[title] == rows, title
    map_rows = after[MAP_TAB]
    assert map_rows[2] == ("Tab", "Column", "Field")
    assert (None, "Base", "start") in map_rows
    assert (TEAM_TAB, "column:E", "target") in map_rows
    assert list((tmp_path / ".sheets-okr-backups").iterdir())
    assert _starts(str(sheet)) == STARTS  # no --columns any more
    again = propose(str(sheet), READING, save=True)
    assert again.saved is not None
    assert not again.saved.changed
    assert again.exit_code == EXIT_OK
    assert again.saved_map == f"the {MAP_TAB} tab"


def test_save_takes_the_sync_lock_and_a_proposal_does_not(
    sheet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a sync holds the workbook, --save is refused (exit 75) untouched; a look is not."""
    hold = sync_lock.hold_workbook
    monkeypatch.setattr(sync_lock, "hold_workbook", functools.partial(hold, wait=0.2))
    reading = ReadOptions(AS_OF, columns=_answered_map(tmp_path, propose(str(sheet), READING)))
    before = sheet.read_bytes()
    with hold(sheet, wait=0):
        assert propose(str(sheet), reading).saved is None
        with pytest.raises(TemporaryFailure, match="another sheets-okr sync is writing it"):
            propose(str(sheet), reading, save=True)
    assert sheet.read_bytes() == before
    saved = propose(str(sheet), reading, save=True).saved
    assert saved is not None
    assert saved.changed


def test_a_column_map_tab_people_made_is_not_overwritten(tmp_path: Path) -> None:
    """A tab named Column map that the tool did not write stops --save; nothing changes."""
    tabs = {**team_sheet_tabs(), MAP_TAB: [["Our own notes on columns"]]}
    path = write_workbook(tmp_path / "team.xlsx", tabs)
    before = path.read_bytes()
    with pytest.raises(SheetsOkrError, match="did not make"):
        propose(str(path), READING, save=True)
    assert path.read_bytes() == before


def team_sheet_tabs() -> dict[str, list[list[Any]]]:
    """A fresh copy of the team's tabs, for a test to change."""
    return {title: [list(row) for row in rows] for title, rows in TABS.items()}


def test_a_tab_without_header_says_which_words_looked_like_fields(tmp_path: Path) -> None:
    """A tab whose row names two fields but no title is asked about, with those words."""
    tabs = team_sheet_tabs()
    tabs[NOTES_TAB] = [["Backlog"], ["Item", "Owner", "Due", "Status"], ["Write a post", "Kim"]]
    path = write_workbook(tmp_path / "team.xlsx", tabs)
    proposal = propose(str(path), READING)
    notes = _tab(proposal, NOTES_TAB)
    assert notes.looks_like_okrs
    assert notes.near_row == 2
    assert notes.near_words == (("B", "Owner", "owner"), ("C", "Due", "due"),
                                ("D", "Status", "status"))  # fmt: skip
    (question,) = [q for q in proposal.questions if q.tab == NOTES_TAB]
    assert "owner, due, status" in question.question
    assert f'[tabs."{NOTES_TAB}".columns]' in map_toml(proposal)


def test_words_a_column_does_not_read_are_proposed_not_asked(tmp_path: Path) -> None:
    """Confidence words the tool does not know are proposed in [values.confidence], without
    a question (the row is read); a map that gives them leaves nothing to propose."""
    tabs = team_sheet_tabs()
    tabs[BRAND_TAB][0].append("Confidence")
    tabs[BRAND_TAB][1].append("Meh")
    path = write_workbook(tmp_path / "team.xlsx", tabs)
    proposal = propose(str(path), READING)
    (line,) = proposal.value_lines
    assert (line.field, line.word, line.cells) == ("confidence", "Meh", "Brand!F2")
    assert [q.header for q in proposal.questions] == ["Base"] * 3
    toml = map_toml(proposal)
    assert '# "Meh" = ""' in toml
    assert "[values.confidence]" in toml
    words = ColumnMap(values={"confidence": {"Meh": 5.0}})
    assert propose(str(path), ReadOptions(AS_OF, columns=words)).value_lines == ()


def test_a_key_results_own_status_words_are_proposed_as_in_progress(tmp_path: Path) -> None:
    """Health words in a key result's Status (ON_TRACK) are read without a map; adopt
    proposes them as "in progress", and asks nothing (exit 0 once Base is answered)."""
    tabs = team_sheet_tabs()
    tabs[BRAND_TAB][0].append("Status")
    tabs[BRAND_TAB][1].append("ON_TRACK")
    path = write_workbook(tmp_path / "team.xlsx", tabs)
    base = ColumnMap(columns={"Base": "start"})
    proposal = propose(str(path), ReadOptions(AS_OF, columns=base))
    (line,) = proposal.value_lines
    assert (line.field, line.word, line.suggestion) == ("status", "ON_TRACK", "in progress")
    assert proposal.exit_code == EXIT_OK
    assert '# "ON_TRACK" = "in progress"' in map_toml(proposal)


def test_a_csv_file_keeps_its_map_beside_it(tmp_path: Path) -> None:
    """A CSV file is proposed for like a workbook; --save writes okr.csv.columns.toml, which
    reading the file then takes up by itself."""
    path = tmp_path / "okr.csv"
    path.write_text(CSV_TEXT, "utf-8")
    proposal = propose(str(path), READING)
    assert [q.entry for q in proposal.questions] == ['"Base" = "start"']
    reading = ReadOptions(AS_OF, columns=_answered_map(tmp_path, proposal))
    saved = propose(str(path), reading, save=True).saved
    sidecar = tmp_path / "okr.csv.columns.toml"
    assert saved is not None
    assert saved.sidecar
    assert saved.where == str(sidecar)
    assert load_column_map(sidecar).columns["Base"] == "start"
    assert path.read_text("utf-8") == CSV_TEXT
    assert _starts(str(path)) == {"Lift NPS": 20}
    again = propose(str(path), READING, save=True)
    assert again.saved is not None
    assert not again.saved.changed
    assert again.exit_code == EXIT_OK


def test_a_run_tracker_reads_with_its_columns_table(sheet: Path, tmp_path: Path) -> None:
    """A [[tracker]] carrying [tracker.columns] syncs with that map: Base is the start."""
    config = tmp_path / "sheets-okr.toml"
    config.write_text(
        f'[[tracker]]\nname = "Team"\nsource = "{sheet.name}"\n\n'
        '[tracker.columns]\n"Base" = "start"\n', "utf-8",
    )  # fmt: skip
    report = sync_trackers(load_config(config), as_of=AS_OF, dry_run=True, workers=1)
    (run,) = report.trackers
    assert run.scored is not None, run.message
    assert {kr.title: kr.start for kr in run.scored.tracker.key_results} == STARTS


def test_a_google_sheet_keeps_its_map_in_a_tab(google_env: SheetsEmulator, tmp_path: Path) -> None:
    """Through the Sheets emulator: --save adds the Column map tab, the other tabs keep
    their values, and reading the sheet again takes the map."""
    key = "1AdoptedSheetKeyForTests"
    google_env.create_spreadsheet(key, team_sheet_tabs())
    source = f"gsheet:{key}"
    proposal = propose(source, READING)
    assert len(proposal.questions) == 3
    reading = ReadOptions(AS_OF, columns=_answered_map(tmp_path, proposal))
    saved = propose(source, reading, save=True).saved
    assert saved is not None
    assert saved.changed
    assert google_env.tab_titles(key) == [*team_sheet_tabs(), MAP_TAB]
    for title, rows in team_sheet_tabs().items():
        assert google_env.values(key, title) == [list(r) for r in rows], title
    assert [None, "Base", "start"] in google_env.values(key, MAP_TAB)
    assert _starts(source) == STARTS
    again = propose(source, READING, save=True)
    assert again.saved is not None
    assert not again.saved.changed


def test_a_map_giving_one_field_to_two_columns_is_asked_without_a_duplicate_key(
    tmp_path: Path,
) -> None:
    """Two columns the map makes the target: a question with no entry to uncomment, so the
    TOML stays valid whatever is uncommented."""
    rows: list[list[Any]] = [["Objective", "Key Result", "Goal", "Stretch", "Actual"],
                             ["Be loved", "Lift NPS", 40, 50, 30]]  # fmt: skip
    path = write_workbook(tmp_path / "two.xlsx", {"OKRs": rows})
    given = ColumnMap({"Goal": "target", "Stretch": "target"})
    proposal = propose(str(path), ReadOptions(AS_OF, columns=given))
    (question,) = [q for q in proposal.questions if q.header == "Stretch"]
    assert question.entry == ""
    text = map_toml(proposal)
    uncommented = "\n".join(line.removeprefix("# ") for line in text.splitlines())
    assert uncommented.count('"Stretch" =') <= 1
    tomllib.loads(text)

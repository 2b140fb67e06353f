"""Column maps: loading them, what they say, and the map a workbook keeps in its own tab."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets_okr.errors import UsageError
from sheets_okr.read.column_map import ColumnMap, column_map_from_tables, load_column_map
from sheets_okr.read.saved_map import MAP_TAB, map_tab_rows, saved_column_map
from sheets_okr.sources.grid import SheetGrid, WorkbookGrid

MAP = """
[columns]
"End" = "target"
"Letzter Wert" = "current"
"column:e" = "start"
[tabs."Team OKRs".columns]
"Score" = "ignore"
[values.confidence]
High = 8
[values.status]
"순항" = "on track"
"""


def test_a_map_file_says_which_field_each_column_holds(tmp_path: Path) -> None:
    """Headers match like the built-in names; letters name a column; tab entries win."""
    path = tmp_path / "map.toml"
    path.write_text(MAP, encoding="utf-8")
    cmap = load_column_map(path)
    assert cmap.field_for("Any", "end", "B") == "target"
    assert cmap.field_for("Any", "Letzter  Wert", "C") == "current"
    assert cmap.field_for("Any", "Whatever", "E") == "start"
    assert cmap.field_for("Team OKRs", "Score", "H") == "ignore"
    assert cmap.field_for("Other", "Score", "H") is None
    assert cmap.word_value("confidence", "high") == 8.0
    assert cmap.word_value("status", "순항") == "in_progress"


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ({"columns": {"End": "finish"}}, "not a field"),
        ({"columns": {"column:5": "target"}}, "names no column"),
        ({"values": {"confidence": {"High": "very"}}}, "not a number"),
        ({"values": {"status": {"Green": "fine"}}}, "not a status"),
        ({"values": {"colour": {"Red": 1}}}, "not a field"),
        ({"tabs": {"Q4": {"rows": {}}}}, "must hold one table"),
    ],
)
def test_a_wrong_entry_is_a_usage_error_naming_it(tables: dict[str, object], message: str) -> None:
    """Every wrong entry is refused with where it is and what is wrong."""
    with pytest.raises(UsageError, match=message):
        column_map_from_tables(tables, "map.toml")


def test_a_missing_or_broken_map_file_is_a_usage_error(tmp_path: Path) -> None:
    """A missing file, broken TOML and unknown tables are usage errors."""
    with pytest.raises(UsageError, match="no such column map"):
        load_column_map(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[columns\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not a TOML column map"):
        load_column_map(broken)
    other = tmp_path / "other.toml"
    other.write_text("[rows]\n", encoding="utf-8")
    with pytest.raises(UsageError, match="unknown table rows"):
        load_column_map(other)


def test_a_given_map_goes_over_the_saved_one() -> None:
    """--columns entries win over the workbook's saved map; the rest of both stays."""
    saved = ColumnMap({"End": "target", "Base": "start"}, origin="tab")
    given = ColumnMap({"End": "ignore"}, origin="file")
    both = saved.overridden_by(given)
    assert both.field_for("T", "End", "A") == "ignore"
    assert both.field_for("T", "Base", "B") == "start"


def test_the_column_map_tab_round_trips() -> None:
    """The rows written to the Column map tab read back as the same map."""
    cmap = column_map_from_tables(
        {"columns": {"End": "target", "column:E": "current"},
         "tabs": {"Team OKRs": {"columns": {"Score": "ignore"}}},
         "values": {"confidence": {"High": 8, "낮음": 2}}},
        "map.toml",
    )  # fmt: skip
    rows = [list(r) for r in map_tab_rows(cmap)]
    grid = WorkbookGrid("x", (SheetGrid(MAP_TAB, rows),))  # type: ignore[arg-type]
    back, problems = saved_column_map(grid)
    assert problems == []
    assert back.columns == {"End": "target", "column:E": "current"}
    assert back.tabs == {"Team OKRs": {"Score": "ignore"}}
    assert back.values == {"confidence": {"High": 8.0, "낮음": 2.0}}


def test_a_wrong_row_on_the_column_map_tab_is_a_problem_at_its_cell() -> None:
    """A person's typo on the Column map tab is reported at its row, the rest still applies."""
    rows: list[list[object]] = [["Tab", "Column", "Field"], ["", "End", "targt"],
                                ["", "Actual", "current"]]  # fmt: skip
    grid = WorkbookGrid("x", (SheetGrid(MAP_TAB, rows),))  # type: ignore[arg-type]
    back, problems = saved_column_map(grid)
    assert [(p.tab, p.cell) for p in problems] == [(MAP_TAB, "A2")]
    assert back.columns == {"Actual": "current"}

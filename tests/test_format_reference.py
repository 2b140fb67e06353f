"""docs/format.md, the reference of the tracker format, checked against the code it describes.

Where the code holds a table (aliases, words, scales, exit codes), every entry must be in the
reference; where the reference gives examples (numbers, dates, quarters), the code must read
them as the reference says.
"""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import io
import json
import re
import string
from pathlib import Path
from typing import Any

import pytest

from sheets_okr import errors
from sheets_okr.cli.data import CSV_COLUMNS, findings_data, scorecard_data
from sheets_okr.lint import checks, rules
from sheets_okr.lint.findings import Finding, Severity
from sheets_okr.lint.settings import DEFAULT_LINT
from sheets_okr.model.health_words import shown_health
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Commitment, Grade, Health, Level, Status
from sheets_okr.plan.columns import HEALTH_COLOURS
from sheets_okr.plan.tabs import _SUMMARY_HEADER, CHECKS_HEADER
from sheets_okr.read import assumed, checkins, rows
from sheets_okr.read.columns import (
    _ALIASES,
    ALIASES,
    DISPLAY_NAMES,
    HEADER_SEARCH_ROWS,
    TOOL_OWNED,
    normalise,
)
from sheets_okr.read.history import HISTORY_HEADER, HISTORY_TAB
from sheets_okr.read.parse import _ID_PREFIX, CHECKS_TAB, SUMMARY_TAB, TOOL_TABS, parse_workbook
from sheets_okr.read.rows import _LEVEL_WORDS, _OWN_FIELDS, _SHARED_BY_LEVEL
from sheets_okr.read.values import (
    _COMMITMENT_WORDS,
    _DONE_WORDS,
    _SCALES,
    _STATUS_WORDS,
    _UNIT_JOINS,
    NUMBER_TEXT_LIMIT,
    Unreadable,
    read_commitment,
    read_date,
    read_number,
    read_status,
    says_done,
)
from sheets_okr.score import assumptions
from sheets_okr.score.scorecard import _PASS_MARK, GREEN_FROM, YELLOW_FROM, pace, score_tracker
from sheets_okr.score.settings import DEFAULT_SCORING
from sheets_okr.sources.grid import SheetGrid, WorkbookGrid

ROOT = Path(__file__).resolve().parent.parent
FORMAT = ROOT / "docs" / "format.md"
README = ROOT / "README.md"
TEXT = FORMAT.read_text("utf-8")

_SPAN = re.compile(r"`([^`\n]+)`")
_SEPARATOR = re.compile(r"^\|[-:|\s]+\|$")
_HEADING = re.compile(r"^(#+) ")

Table = tuple[list[str], list[list[str]]]


def _spans(text: str) -> list[str]:
    """The `code spans` of a text, without their backticks."""
    return _SPAN.findall(text)


def _section(heading: str) -> str:
    """The text under a heading line of the reference, up to the next heading of its level."""
    lines = TEXT.splitlines()
    assert heading in lines, f"docs/format.md has no heading {heading!r}"
    start = lines.index(heading)
    level = len(heading) - len(heading.lstrip("#"))
    end = len(lines)
    for index in range(start + 1, len(lines)):
        match = _HEADING.match(lines[index])
        if match and len(match.group(1)) <= level:
            end = index
            break
    return "\n".join(lines[start + 1 : end])


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _tables(text: str) -> list[Table]:
    """Each Markdown table of a text: its header cells and its rows of cells."""
    lines = text.splitlines()
    tables: list[Table] = []
    index = 0
    while index < len(lines) - 1:
        if lines[index].startswith("|") and _SEPARATOR.match(lines[index + 1]):
            header = _cells(lines[index])
            rows = []
            index += 2
            while index < len(lines) and lines[index].startswith("|"):
                rows.append(_cells(lines[index]))
                index += 1
            tables.append((header, rows))
        else:
            index += 1
    return tables


def _table(text: str, *header: str) -> list[list[str]]:
    """The rows of the one table of a text with this header."""
    found = [rows for head, rows in _tables(text) if tuple(head) == header]
    assert len(found) == 1, f"expected one table headed {header}, found {len(found)}"
    return found[0]


def _row(rows: list[list[str]], column: int, cell: str) -> list[str]:
    """The one row of a table whose cell in a column is exactly `cell`."""
    found = [row for row in rows if row[column] == cell]
    assert len(found) == 1, f"expected one row with {cell!r} in column {column}, found {found}"
    return found[0]


def _line_starting(text: str, start: str) -> str:
    found = [line for line in text.splitlines() if line.startswith(start)]
    assert len(found) == 1, f"expected one line starting {start!r}"
    return found[0]


def _item(text: str, words: str) -> str:
    """The one list item or paragraph of a text that contains these words."""
    found = [part for part in re.split(r"\n(?=- |\n)", text) if words in " ".join(part.split())]
    assert len(found) == 1, f"expected one item saying {words!r}"
    return found[0]


def _json_blocks(text: str) -> list[Any]:
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.DOTALL)]


COLUMNS = _section("## 2. Column names")
FIELD_ROWS = _table(COLUMNS, "Field", "Also accepted", "Read on")
NUMBERS = _section("### Numbers")
LEVEL_NAMES = {level: DISPLAY_NAMES[level.value] for level in Level}


def test_the_reference_stands_alone() -> None:
    """docs/format.md sends nobody to the ../shared folder, which users never have."""
    assert "../shared" not in TEXT
    assert "tracker-contract" not in TEXT


def test_the_readme_links_the_reference() -> None:
    """README.md links docs/format.md and never mentions ../shared."""
    readme = README.read_text("utf-8")
    assert "[docs/format.md](docs/format.md)" in readme
    assert "../shared" not in readme


@pytest.mark.parametrize("key", sorted(_ALIASES))
def test_every_header_alias_is_in_its_fields_row(key: str) -> None:
    """Each field's row lists every header name the reader accepts for it, and no other."""
    row = _row(FIELD_ROWS, 0, f"`{DISPLAY_NAMES[key]}`")
    listed = _spans(row[1])
    for alias in _ALIASES[key]:
        assert alias in listed or alias == DISPLAY_NAMES[key], alias
    for name in listed:
        assert ALIASES.get(normalise(name)) == key, name


def test_every_field_has_a_row() -> None:
    """The column table has one row per field the reader knows, and no more."""
    assert {row[0] for row in FIELD_ROWS} == {f"`{name}`" for name in DISPLAY_NAMES.values()}


_READ_KEYS = sorted(
    {key for fields in [*_OWN_FIELDS.values(), *_SHARED_BY_LEVEL.values()] for key in fields}
)


@pytest.mark.parametrize("key", _READ_KEYS)
def test_read_on_names_the_levels_that_read_the_column(key: str) -> None:
    """The "Read on" cell of a field names exactly the levels whose rows read it."""
    row = _row(FIELD_ROWS, 0, f"`{DISPLAY_NAMES[key]}`")
    said = {level for level, name in LEVEL_NAMES.items() if name.lower() in row[2]}
    read = {level for level in Level if key in _OWN_FIELDS[level] + _SHARED_BY_LEVEL[level]}
    assert said == read


def test_header_normalisation_is_described() -> None:
    """Every character that header matching ignores is named, and each named one is ignored."""
    sentence = _line_starting(COLUMNS, "Header names are matched ignoring")
    for char in string.punctuation:
        if normalise(f"a{char}b") == "ab":
            assert f"`{char}`" in sentence, char
    for char in _spans(sentence):
        assert normalise(f"a{char}b") == "ab", char
    assert normalise("A b") == "ab"
    assert "case" in sentence
    assert "spaces" in sentence


def test_header_search_rows() -> None:
    """The reference says how many rows are searched for the header."""
    assert f"first {HEADER_SEARCH_ROWS} rows" in TEXT


@pytest.mark.parametrize("level", list(Level))
def test_type_words(level: Level) -> None:
    """Each level's row lists every Type word the reader accepts for it, and no other."""
    row = _row(_table(_section("### Type words"), "Level", "You can type"), 0, LEVEL_NAMES[level])
    listed = _spans(row[1])
    words = {normalise(word) for word in listed}
    assert {word for word, of in _LEVEL_WORDS.items() if of is level} <= words
    for word in listed:
        assert _LEVEL_WORDS.get(normalise(word)) is level, word


@pytest.mark.parametrize("status", list(Status))
def test_status_words(status: Status) -> None:
    """Each status's row lists every word the reader takes for it, and each listed word works."""
    rows = _table(_section("### Statuses"), "Status", "In JSON", "You can type")
    row = _row(rows, 1, f"`{status.value}`")
    listed = _spans(row[2])
    words = {normalise(word) for word in listed}
    assert {word for word, of in _STATUS_WORDS.items() if of is status} <= words
    for word in listed:
        assert read_status(word) is status, word


def test_milestone_done_words() -> None:
    """The done words are all listed, each listed word says done, and Finished does not."""
    section = _section("### Milestone done words")
    listed = _spans(_line_starting(section, "`Done`"))
    assert set(_DONE_WORDS) <= {normalise(word) for word in listed}
    for word in listed:
        assert says_done(word), word
    assert "`Finished` is a status word but not a done word" in section
    assert read_status("Finished") is Status.DONE
    assert not says_done("Finished")


@pytest.mark.parametrize("commitment", list(Commitment))
def test_commitment_words_and_pass_marks(commitment: Commitment) -> None:
    """Each commitment's row lists its words and the score at which an objective passes."""
    rows = _table(_section("### Commitment"), "Commitment", "You can type", "Passes at")
    row = _row(rows, 0, f"`{commitment.value}`")
    listed = _spans(row[1])
    words = {normalise(word) for word in listed}
    assert {word for word, of in _COMMITMENT_WORDS.items() if of is commitment} <= words
    for word in listed:
        assert read_commitment(word) is commitment, word
    assert row[2] == f"{_PASS_MARK[commitment.value]:.0%}"


def test_scales() -> None:
    """Every scale word is in the scale table with its factor, and each listed one works."""
    rows = _table(NUMBERS, "Scale", "Means", "Multiplies by")
    factors = {word: row[2] for row in rows for word in _spans(row[0])}
    for word, factor in _SCALES.items():
        assert factors.get(word) == f"{factor:,.0f}", word
    for word, shown in factors.items():
        assert read_number(f"2{word}") == pytest.approx(2 * float(shown.replace(",", "")))


def test_number_examples_read_as_documented() -> None:
    """Each number the reference shows is read as the value it gives."""
    rows = _table(NUMBERS, "You type", "Read as")
    assert rows
    for typed, value in rows:
        (text,) = _spans(typed)
        assert read_number(text) == pytest.approx(float(value)), text


def test_not_numbers_are_refused() -> None:
    """Each text the reference calls not a number is refused."""
    rows = _table(NUMBERS, "You type", "Why")
    assert rows
    for typed, _why in rows:
        (text,) = _spans(typed)
        with pytest.raises(Unreadable):
            read_number(text)


def test_unit_words() -> None:
    """The words that may join a three-word unit, and the length limit of a number, are named."""
    spans = _spans(_item(NUMBERS, "Three words are allowed when the middle one is"))
    joins = {span for span in spans if not any(char.isdigit() for char in span)}
    assert joins == set(_UNIT_JOINS)
    for word in joins:
        assert read_number(f"45 visits {word} month") == 45.0
    for example in set(spans) - joins:
        read_number(example)
    assert f"longer than {NUMBER_TEXT_LIMIT} characters" in NUMBERS
    with pytest.raises(Unreadable):
        read_number("1" + " visits" * NUMBER_TEXT_LIMIT)


def test_currency_signs_are_read() -> None:
    """Each currency sign the reference lists may come before a number."""
    signs = _spans(_line_starting(NUMBERS, "- A currency sign may come first"))
    assert signs
    for sign in signs:
        assert read_number(f"{sign}40") == 40.0, sign


def test_dates_read_as_documented() -> None:
    """Each date the reference shows is read as the day it gives; the refused ones are refused."""
    section = _section("### Dates")
    for typed, day in _table(section, "You type", "Read as"):
        (text,) = _spans(typed)
        assert read_date(text) == dt.date.fromisoformat(day), text
    for text in _spans(_line_starting(section, "These are **not** dates")):
        with pytest.raises(Unreadable):
            read_date(text)
    assert read_date(36526) == dt.date(2000, 1, 1)
    assert read_date(73050) == dt.date(2099, 12, 31)
    assert "from 36526 to 73050" in section


def test_quarters_read_as_documented() -> None:
    """Each quarter name the reference shows names the quarter it gives; two quarters name none."""
    section = _section("## 4. Quarters and tab names")
    for typed, quarter in _table(section, "You type", "Quarter"):
        (text,) = _spans(typed)
        assert str(Quarter.parse(text)) == quarter, text
    assert Quarter.parse("2026-Q3 to 2026-Q4") is None
    assert "`2026-Q3 to 2026-Q4`, names none" in section


def test_fiscal_year_example() -> None:
    """The fiscal-year example gives the days the code gives."""
    quarter = Quarter(2026, 1)
    start, end = quarter.start(7), quarter.end(7)
    assert f"2026-Q1 runs from {start} to {end}" in TEXT


@pytest.mark.parametrize("health", list(Health))
def test_health_rows(health: Health) -> None:
    """Every health word has a row saying when it applies, and its words in the sheet (as the
    code writes them, in English and Korean) and its fill colour."""
    rows = _table(_section("### Health"), "Health", "When")
    assert _row(rows, 0, f"`{health.value}`")[1]
    fills = _table(_section("### Tool columns"), "Health (JSON)", "English", "Korean", "Fill (RGB)")
    _, english, korean, fill = _row(fills, 0, f"`{health.value}`")
    assert (english, korean) == (shown_health(health.value, "en"), shown_health(health.value, "ko"))
    assert fill.endswith(HEALTH_COLOURS[health.value])


def test_default_health_thresholds() -> None:
    """The default health thresholds appear as percentages in the on_track and at_risk rows."""
    rows = _table(_section("### Health"), "Health", "When")
    on_track = _row(rows, 0, f"`{Health.ON_TRACK.value}`")[1]
    at_risk = _row(rows, 0, f"`{Health.AT_RISK.value}`")[1]
    assert f"at most {DEFAULT_SCORING.on_track_gap:.0%}" in on_track
    assert f"at most {DEFAULT_SCORING.at_risk_gap:.0%}" in at_risk
    assert f"(month {DEFAULT_SCORING.fiscal_year_start_month})" in TEXT


def test_worked_example() -> None:
    """The pace and progress of the worked example are what the code computes."""
    expected = pace(Quarter(2026, 4), dt.date(2026, 11, 30))
    assert f"expected is {expected:.3f}" in TEXT
    assert f"= {(158 - 180) / (120 - 180):.3f}" in TEXT


def test_grades() -> None:
    """The grade bands give the code's limits."""
    rows = _table(_section("### Grades and pass marks"), "Grade", "Score")
    assert _row(rows, 0, f"`{Grade.GREEN.value}`")[1] == f"{GREEN_FROM:.0%} or more"
    assert _row(rows, 0, f"`{Grade.YELLOW.value}`")[1] == f"{YELLOW_FROM:.0%} or more"
    assert _row(rows, 0, f"`{Grade.RED.value}`")[1] == f"below {YELLOW_FROM:.0%}"


def test_exit_codes() -> None:
    """Every exit code of sheets_okr/errors.py has a row in the exit status table."""
    rows = _table(_section("## 8. Exit status"), "Code", "Meaning")
    codes = {value for name, value in vars(errors).items() if name.startswith("EXIT_")}
    assert codes
    assert {row[0] for row in rows} == {f"`{code}`" for code in codes}


def test_tool_columns() -> None:
    """Every tool-owned column has a row in the tool columns table."""
    rows = _table(_section("### Tool columns"), "Column", "What the tool writes", "On rows")
    assert {row[0] for row in rows} == {f"`{DISPLAY_NAMES[key]}`" for key in TOOL_OWNED}


def test_tool_tabs() -> None:
    """Every tool tab has a row naming the columns the tool writes there."""
    rows = _table(_section("### Tool tabs"), "Tab", "What it holds", "When it changes")
    assert {row[0] for row in rows} == {f"`{tab}`" for tab in TOOL_TABS}
    for tab, header in (
        (SUMMARY_TAB, _SUMMARY_HEADER),
        (HISTORY_TAB, HISTORY_HEADER),
        (CHECKS_TAB, CHECKS_HEADER),
    ):
        listed = _spans(_row(rows, 0, f"`{tab}`")[1])
        assert [name for name in listed if name in header] == list(header), tab


def test_provisional_id_prefixes() -> None:
    """The prefixes of provisional IDs are named."""
    for prefix in _ID_PREFIX.values():
        assert f"`{prefix}-`" in TEXT


def test_csv_columns() -> None:
    """The CSV example's header is CSV_COLUMNS, and its rows have that many fields."""
    (block,) = re.findall(r"```csv\n(.*?)```", TEXT, re.DOTALL)
    header, *rows = list(csv.reader(io.StringIO(block)))
    assert tuple(header) == CSV_COLUMNS
    assert rows
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)


def _scored_data() -> dict[str, Any]:
    """`score --format json` of a small plan: an objective, a key result with an action, a
    key result whose Target cannot be read and one with a blank Start."""
    rows: list[list[Any]] = [
        ["Type", "Title", "Owner", "Team", "Quarter", "Start", "Target", "Current", "Due",
         "Status"],
        ["Objective", "Grow the pipeline", "Kim", "Marketing", "2026-Q4"],
        ["Key Result", "Grow leads from 10 to 20", "Kim", None, None, 10, 20, 15],
        ["Action", "Run a webinar", "Lee", None, None, None, None, None, "2026-11-01", "Done"],
        ["Key Result", "Win deals", "Kim", None, None, 0, "thirty", 1],
        ["Key Result", "Book 5 demos", "Kim", None, None, None, 5, 2],
    ]  # fmt: skip
    grid = WorkbookGrid("plan.xlsx", (SheetGrid("OKRs 2026-Q4", rows),))
    tracker = parse_workbook(grid, Quarter(2026, 4))
    card = score_tracker(tracker, dt.date(2026, 11, 30))
    return scorecard_data(tracker, card, "plan.xlsx")


def test_score_json_example_has_the_codes_keys() -> None:
    """The score JSON example has, in order, the keys the code gives at every level."""
    section = _section("### `score --format json`")
    (example,) = _json_blocks(section)
    data = _scored_data()
    objective, kr = data["objectives"][0], data["objectives"][0]["key_results"][0]
    shown_objective = example["objectives"][0]
    shown_kr = shown_objective["key_results"][0]
    assert list(example) == list(data)
    assert list(example["quarters"][0]) == list(data["quarters"][0])
    assert list(example["teams"][0]) == list(data["teams"][0])
    assert list(shown_objective) == list(objective)
    assert list(shown_kr) == list(kr)
    assert list(shown_kr["actions"][0]) == list(kr["actions"][0])
    keys = _table(section, "Key", "Holds")
    for name in ("problems", "assumptions"):
        assert data[name], name
        assert set(data[name][0]) <= set(_spans(_row(keys, 0, f"`{name}`")[1])), name


def test_lint_json_example_has_the_codes_keys() -> None:
    """The lint JSON example has, in order, the keys the code gives, and counts every severity."""
    (example,) = _json_blocks(_section("### `lint --format json`"))
    found = Finding("kr-no-owner", Severity.WARNING, "OKRs", "C5", "Nobody owns this.")
    data = findings_data([found], "2026-11-30", "plan.xlsx")
    assert list(example) == list(data)
    assert list(example["counts"]) == [severity.value for severity in Severity]
    assert list(example["findings"][0]) == list(data["findings"][0])


_LITERAL_CODE = re.compile(r'"([a-z]+(?:-[a-z]+)*)",\s*Severity\.([A-Z]+)')
_NAMED_CODE = re.compile(r"(?<![.\w])([A-Z][A-Z_]+),\s*Severity\.([A-Z]+)")


def _codes(*modules: Any) -> dict[str, set[str]]:
    """The codes these modules give findings or assumptions, with their severities."""
    found: dict[str, set[str]] = {}
    for module in modules:
        source = inspect.getsource(module)
        pairs = _LITERAL_CODE.findall(source)
        pairs += [(getattr(module, name), level) for name, level in _NAMED_CODE.findall(source)]
        for code, level in pairs:
            found.setdefault(code, set()).add(Severity[level].value)
    return found


def _severities(cell: str) -> set[str]:
    return {severity.value for severity in Severity if severity.value in cell}


ASSUMPTION_CODES = _codes(rows, assumed, checkins, assumptions)


def test_every_assumption_is_listed() -> None:
    """Every assumption code has a row in section 7 with its severities."""
    table = _table(_section("## 7. What the tool assumes"), "Code", "Severity", "When")
    assert len(ASSUMPTION_CODES) > 3
    assert {row[0] for row in table} == {f"`{code}`" for code in ASSUMPTION_CODES}
    for code, severities in ASSUMPTION_CODES.items():
        assert _severities(_row(table, 0, f"`{code}`")[1]) == severities, code


def test_every_finding_code_is_listed() -> None:
    """Every finding code of lint, assumptions included, has a row with its severities."""
    table = _table(_section("### `lint --format json`"), "Code", "Severity", "Says")
    codes = _codes(rules, checks)
    assert len(codes) > 10
    for code, severities in ASSUMPTION_CODES.items():
        codes.setdefault(code, set()).update(severities)
    assert {row[0] for row in table} == {f"`{code}`" for code in codes}
    for code, severities in codes.items():
        assert _severities(_row(table, 0, f"`{code}`")[1]) == severities, code
    stale = _row(table, 0, "`kr-stale`")[2]
    assert f"({DEFAULT_LINT.stale_after} by default" in stale

"""CSV and TSV files as a source: decoding, delimiters, the grid, and syncing into a new .xlsx."""

from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sheets_okr.errors import SourceUnreadable, UsageError
from sheets_okr.sources.registry import kind_of
from sheets_okr.sources.text import table
from sheets_okr.sources.text.dialect import guess_delimiter, layout_of
from sheets_okr.sources.text.encoding import decode
from sheets_okr.sources.text.table import TextTable, tab_title
from sheets_okr.sources.text.xlsx import as_number
from tests.support.commands import AS_OF, assert_refused, run
from tests.support.smtp import parse_eml

HEADER = ["Type", "Title", "Owner", "Start", "Target", "Current"]
TYPE_ROWS = [
    HEADER,
    ["Objective", "Increase website traffic", "Sam", "", "", ""],
    ["Key Result", "Grow visits from 20 to 30", "Lee", "20", "30", "25"],
    ["Key Result", "Cut cost per MQL, from $180 to $120", "Kim", "$180", "$120", "$150"],
    ["Objective", "=1+1", "Dana", "", "", ""],
    ["Key Result", "+cmd", "Dana", "0", "1,200", "300"],
    ["Key Result", "Raise conversion\nfrom 2% to 4%", "Dana", "2%", "4%", "3.5%"],
]
# The tree layout: the objective's cell is filled on its first row only.
TREE_ROWS = [
    ["Objective", "Key Result", "Owner", "Start", "Target", "Current"],
    ["Grow traffic", "", "Sam", "", "", ""],
    ["", "Grow visits", "Lee", "20", "30", "25"],
    ["", "Cut cost", "Kim", "180", "120", "150"],
    ["Improve pipeline", "", "Dana", "", "", ""],
    ["", "Win deals", "Dana", "0", "10", "4"],
]
KOREAN_ROWS = [
    ["구분", "제목", "담당자", "시작값", "목표값", "현재값"],
    ["목표", "신규 고객 확보", "김민수", "", "", ""],
    ["핵심 결과", "월간 리드 200건 달성", "이지은", "50", "200", "140"],
    ["핵심 결과", "전환율 5% 달성", "박서준", "2%", "5%", "3.5%"],
]
NEEDS_OUTPUT = "cannot hold the tool's columns and tabs; add --output tracker.xlsx"


def write_table(
    path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    """Write rows as Excel writes a CSV (CRLF, quotes where needed) in an encoding."""
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def score_json(path: Path) -> dict[str, Any]:
    """`score PATH --format json`, which must succeed."""
    result = run("score", str(path), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def scores(path: Path) -> list[tuple[str, float, str]]:
    """Each objective and key result as title, score and health."""
    found = []
    for objective in score_json(path)["objectives"]:
        found.append((objective["title"], objective["score"], objective["health"]))
        found += [(kr["title"], kr["score"], kr["health"]) for kr in objective["key_results"]]
    return found


def titles(path: Path) -> list[str]:
    """The titles of every objective and key result, in order."""
    return [title for title, _, _ in scores(path)]


@pytest.fixture(name="export")
def _export(tmp_path: Path) -> Path:
    """The type-layout plan as a UTF-8 CSV file."""
    return write_table(tmp_path / "okr-export.csv", TYPE_ROWS)


@pytest.fixture(autouse=True)
def _state_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The state folder in tmp_path, and no SMTP settings from the environment."""
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(tmp_path / "state"))
    for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "FROM", "CA_FILE"):
        monkeypatch.delenv(f"SHEETS_OKR_SMTP_{name}", raising=False)


# --- decoding -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("제목,담당\n".encode(), "UTF-8"),
        (codecs.BOM_UTF8 + "제목,담당\n".encode(), "UTF-8"),
        ("제목,담당\n".encode("utf-16"), "UTF-16"),
        (codecs.BOM_UTF16_BE + "제목,담당\n".encode("utf-16-be"), "UTF-16"),
        ("제목,담당\n".encode("cp949"), "cp949"),
    ],
)
def test_decode_reads_each_encoding_people_export(data: bytes, encoding: str) -> None:
    """UTF-8 with or without a BOM, UTF-16 with a BOM and cp949 all give the same text."""
    decoded = decode(Path("x.csv"), data)
    assert decoded.text == "제목,담당\n"
    assert decoded.encoding == encoding


def test_decode_prefers_utf8_for_ascii() -> None:
    """Plain ASCII is read as UTF-8, whatever else it could be."""
    assert decode(Path("x.csv"), b"a,b\n").encoding == "UTF-8"


@pytest.mark.parametrize("data", [b"Title\n\x80\n", b"Title\nGrow,\xff\n"])
def test_decode_refuses_bytes_of_no_encoding_it_reads(data: bytes) -> None:
    """Bytes neither UTF-8 nor cp949 reads are refused, naming the line and saying to save
    the file as CSV UTF-8."""
    with pytest.raises(SourceUnreadable, match=r'line 2.*save it as "CSV UTF-8') as raised:
        decode(Path("x.csv"), data)
    assert "x.csv" in str(raised.value)


def test_decode_refuses_western_text_that_cp949_would_garble() -> None:
    """cp1252 text that cp949 happens to decode (into rare syllables) is refused, not garbled."""
    data = "Team’s goal;Ärger\n".encode("cp1252")
    data.decode("cp949")  # it does decode, into mojibake
    with pytest.raises(SourceUnreadable, match="no encoding sheets-okr reads"):
        decode(Path("x.csv"), data)


def test_decode_refuses_a_utf8_bom_over_other_bytes() -> None:
    """A UTF-8 mark over bytes that are not UTF-8 is refused, not read in another encoding."""
    with pytest.raises(SourceUnreadable, match="mark of UTF-8"):
        decode(Path("x.csv"), codecs.BOM_UTF8 + "제목".encode("cp949"))


@pytest.mark.parametrize(
    ("data", "phrase"),
    [(b"PK\x03\x04\x14\x00\x00\x00", "give it the .xlsx suffix"), (b"ab\x00cd", "binary data")],
)
def test_decode_refuses_binary_files(data: bytes, phrase: str) -> None:
    """A file holding NUL bytes (a renamed workbook, an image) is refused as not text."""
    with pytest.raises(SourceUnreadable, match=phrase):
        decode(Path("x.csv"), data)


# --- delimiters, titles, numbers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Type,Title,Start\nObjective,Grow,1\n", ","),
        ('Type;Title;Start\nKey Result;"Grow, fast";"12,5"\n', ";"),
        ("Type\tTitle\tStart\nKey Result\tGrow, fast\t12,5\n", "\t"),
        ('"Type;a",Title\n"x;y",z\n', ","),  # semicolons inside quotes do not count
        ("Title\nGrow\n", ","),  # one column: a comma, the default
        ("Title;Owner\nGrow, fast and far\n", ";"),  # the header decides over a ragged body
    ],
)
def test_guess_delimiter(text: str, delimiter: str) -> None:
    """A comma, a semicolon or a tab is found from the first lines; a comma when none shows."""
    assert guess_delimiter(text) == delimiter


def test_tsv_suffix_means_tab_and_sep_line_names_the_delimiter() -> None:
    """.tsv and .tab files are tab-separated; a first line `sep=;` names the delimiter."""
    assert layout_of(Path("a.TSV"), "a,b\tc\n").delimiter == "\t"
    assert layout_of(Path("a.tab"), "a,b\n").delimiter == "\t"
    layout = layout_of(Path("a.csv"), "sep=|\r\na|b\n")
    assert (layout.delimiter, layout.start) == ("|", 7)


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("okr-export.csv", "okr-export"),
        ("Q4: plan [v2]?.csv", "Q4_ plan _v2__"),
        ("'quoted'.csv", "quoted"),
        ("마케팅팀 OKR.csv", "마케팅팀 OKR"),
        ("x" * 40 + ".tsv", "x" * 31),
        ("  .csv", "Sheet1"),
    ],
)
def test_tab_title_is_a_legal_excel_tab_name(name: str, title: str) -> None:
    """The file's stem, with what Excel refuses in a tab name replaced or cut."""
    assert tab_title(Path(name)) == title


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), ("-3.5", -3.5), ("1200", 1200), ("0", 0), ("0.25", 0.25)],
)
def test_plain_numbers_become_numbers(text: str, number: float) -> None:
    """Text written as Excel shows a number becomes that number."""
    assert as_number(text) == number
    assert type(as_number(text)) is type(number)


@pytest.mark.parametrize(
    "text",
    ["1,200", "$12,000", "20%", "2026-10-15", "+5", "1e5", "007", "3.50", "1.0", "-0",
     ".5", "12 ", "1234567890123456", "١٢", "=1+1"],
)  # fmt: skip
def test_other_text_stays_text(text: str) -> None:
    """Numbers with separators, signs, units or a form Excel would change stay text."""
    assert as_number(text) is None


# --- reading ------------------------------------------------------------------------------


def test_read_gives_one_tab_of_text_named_after_the_file(tmp_path: Path) -> None:
    """One tab titled by the stem; cells as written, empty ones None, rows as long as their
    line; quoted newlines, commas and doubled quotes kept."""
    path = tmp_path / "okr-export.csv"
    path.write_bytes(b'A,B,C\r\n1,,"x, ""y""\r\nz"\r\n\r\n"$1,200",20%\r\nlast\r\n')
    grid = TextTable(path).read()
    assert grid.source == str(path)
    (sheet,) = grid.sheets
    assert sheet.title == "okr-export"
    assert sheet.rows == [
        ["A", "B", "C"],
        ["1", None, 'x, "y"\r\nz'],
        [],
        ["$1,200", "20%"],
        ["last"],
    ]


def test_read_refuses_an_unclosed_quote(tmp_path: Path) -> None:
    """A quote left open would swallow the rest of the file: refused, naming the line."""
    path = tmp_path / "plan.csv"
    path.write_text('Title,Owner\n"Grow,Sam\nShrink,Lee\n', "utf-8")
    with pytest.raises(SourceUnreadable, match=r"plan\.csv cannot be read as CSV: line 3"):
        TextTable(path).read()


def test_read_refuses_a_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file past the size limit is refused before it is read, naming the file."""
    monkeypatch.setattr(table, "SIZE_LIMIT", 10)
    path = write_table(tmp_path / "big.csv", TYPE_ROWS)
    assert_refused(run("score", str(path)), 1, str(path), "was not read", "MB")


def test_read_refuses_more_columns_than_excel_holds(tmp_path: Path) -> None:
    """A line of more cells than an Excel sheet has columns is refused."""
    path = tmp_path / "wide.csv"
    path.write_text("," * table.COLUMN_LIMIT + "\n", "utf-8")
    with pytest.raises(SourceUnreadable, match="16,384 columns"):
        TextTable(path).read()


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_missing_file_or_folder_is_a_usage_error(tmp_path: Path, kind: str) -> None:
    """A CSV path naming no file, or a folder, exits 2 naming the path."""
    path = tmp_path / "plan.csv"
    if kind == "folder":
        path.mkdir()
    phrase = "no such file" if kind == "missing" else "is a folder"
    assert_refused(run("score", str(path)), 2, str(path), phrase)
    with pytest.raises(UsageError):
        TextTable(path).read()


def test_binary_file_is_refused_by_score(tmp_path: Path) -> None:
    """A binary file named .csv exits 1 with a sentence naming it, never a traceback."""
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert_refused(run("score", str(path)), 1, str(path), "binary data")


def test_undecodable_file_is_refused_by_score(tmp_path: Path) -> None:
    """A file in an encoding not read exits 1 saying to save it as CSV UTF-8."""
    path = tmp_path / "plan.csv"
    path.write_bytes(b"Type,Title\nObjective,Grow \x80\xff\n")
    assert_refused(run("score", str(path)), 1, str(path), "byte 0x80 on line 2", "CSV UTF-8")


@pytest.mark.parametrize("name", ["a.csv", "B.CSV", "c.tsv", "d.tab", "e.txt"])
def test_text_suffixes_are_the_csv_kind(name: str) -> None:
    """Paths ending in .csv, .tsv, .tab or .txt, in any case, are opened as CSV files."""
    assert kind_of(name).name == "a CSV file"
    assert kind_of("okrs.xlsx").name == "an Excel workbook"


# --- the commands on a CSV file -------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_score_reads_a_tree_layout_csv(tmp_path: Path, encoding: str) -> None:
    """A tree-layout CSV, with or without a BOM, scores each objective and key result."""
    path = write_table(tmp_path / "okrs.csv", TREE_ROWS, encoding=encoding)
    assert scores(path) == [
        ("Grow traffic", 0.5, "at_risk"),
        ("Grow visits", 0.5, "at_risk"),
        ("Cut cost", 0.5, "at_risk"),
        ("Improve pipeline", 0.4, "at_risk"),
        ("Win deals", 0.4, "at_risk"),
    ]


def test_score_reads_korean_cp949_csv(tmp_path: Path) -> None:
    """A CSV that Korean Excel saved in cp949 gives its Korean titles right in the JSON."""
    path = tmp_path / "마케팅팀 OKR.csv"
    write_table(path, KOREAN_ROWS, encoding="cp949")
    assert path.read_bytes().decode("cp949").startswith("구분,제목")
    data = score_json(path)
    (objective,) = data["objectives"]
    assert objective["title"] == "신규 고객 확보"
    assert objective["tab"] == "마케팅팀 OKR"
    assert [kr["title"] for kr in objective["key_results"]] == [
        "월간 리드 200건 달성",
        "전환율 5% 달성",
    ]
    assert [kr["owner"] for kr in objective["key_results"]] == ["이지은", "박서준"]
    assert objective["key_results"][0]["progress"] == pytest.approx(0.6)


@pytest.mark.parametrize("name", ["okrs.txt", "okrs.tsv"])
def test_score_reads_excel_unicode_text(tmp_path: Path, name: str) -> None:
    """Excel's "Unicode Text" export (UTF-16LE with a BOM, tab-separated) is read."""
    path = write_table(tmp_path / name, TYPE_ROWS, delimiter="\t", encoding="utf-16")
    assert path.read_bytes().startswith(codecs.BOM_UTF16_LE)
    assert titles(path) == [row[1] for row in TYPE_ROWS[1:]]


def test_score_reads_a_semicolon_csv_with_decimal_text(tmp_path: Path) -> None:
    """A semicolon CSV (European Excel) is split on semicolons; decimals written as text
    score as numbers, and commas inside titles stay in the title."""
    rows = [
        HEADER,
        ["Objective", "Grow, and keep, customers", "Sam", "", "", ""],
        ["Key Result", "Raise NPS", "Lee", "20.5", "40.5", "30.5"],
    ]
    path = write_table(tmp_path / "okrs.csv", rows, delimiter=";")
    assert scores(path) == [
        ("Grow, and keep, customers", 0.5, "at_risk"),
        ("Raise NPS", 0.5, "at_risk"),
    ]


def _numbers(path: Path) -> list[tuple[Any, Any, Any]]:
    data = score_json(path)
    return [(kr["start"], kr["target"], kr["current"])
            for objective in data["objectives"] for kr in objective["key_results"]]  # fmt: skip


def test_a_semicolon_csv_reads_decimal_commas(tmp_path: Path) -> None:
    """A ";" file, as Excel writes where the comma is the decimal mark: "1,250" is 1.25,
    "1.250,5 €" is 1250.5, never a thousand times too much."""
    rows = [
        HEADER,
        ["Objective", "Grow, and keep, customers", "Sam", "", "", ""],
        ["Key Result", "Revenue", "Lee", "1.000 €", "1.250,5 €", "1.125,25 €"],
        ["Key Result", "Rate", "Lee", "0,5", "1,250", "0,875"],
    ]
    path = write_table(tmp_path / "okrs.csv", rows, delimiter=";")
    assert _numbers(path) == [(1000, 1250.5, 1125.25), (0.5, 1.25, 0.875)]


def test_plain_decimal_commas_are_read_in_any_file(tmp_path: Path) -> None:
    """A file whose numbers plainly use decimal commas ("12,5") reads them so, quoted in a
    comma-separated file too."""
    rows = [HEADER, ["Objective", "Grow", "", "", "", ""],
            ["Key Result", "Rate", "Lee", "0,5", "12,5", "6,5"]]  # fmt: skip
    path = write_table(tmp_path / "okrs.csv", rows)
    assert _numbers(path) == [(0.5, 12.5, 6.5)]


def test_a_comma_file_keeps_thousands_separators(tmp_path: Path) -> None:
    """In a comma-separated file with decimal points, "1,250" is twelve hundred and fifty."""
    rows = [HEADER, ["Objective", "Grow", "", "", "", ""],
            ["Key Result", "Leads", "Lee", "1,000", "1,250", "1,125.5"]]  # fmt: skip
    path = write_table(tmp_path / "okrs.csv", rows)
    assert _numbers(path) == [(1000, 1250, 1125.5)]


def test_score_reads_quoted_fields_with_newlines_and_commas(export: Path) -> None:
    """Titles holding a comma or a line break, in quotes, come out whole."""
    found = titles(export)
    assert "Cut cost per MQL, from $180 to $120" in found
    assert "Raise conversion\nfrom 2% to 4%" in found
    assert found[3:5] == ["=1+1", "+cmd"]


def test_lint_reads_a_csv(export: Path) -> None:
    """`lint` checks the plan in a CSV file and names its tab in the findings."""
    result = run("lint", str(export), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert data["source"] == str(export)
    assert data["findings"]


def test_report_and_email_dry_run_read_a_csv(export: Path, tmp_path: Path) -> None:
    """`report -o` and `email --dry-run -o` write a summary of a CSV file's plan."""
    page, eml = tmp_path / "x.html", tmp_path / "x.eml"
    result = run("report", str(export), "--as-of", AS_OF, "-o", str(page))
    assert result.exit_code == 0, result.output
    assert "Increase website traffic" in page.read_text("utf-8")
    result = run("email", str(export), "--to", "a@example.com", "--dry-run", "-o", str(eml),
                 "--as-of", AS_OF)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert parse_eml(eml)["To"] == "a@example.com"


# --- sync ----------------------------------------------------------------------------------


def test_sync_without_output_is_a_usage_error_and_writes_nothing(export: Path) -> None:
    """`sync FILE.csv` exits 2 saying to add --output; the folder is as it was."""
    before = export.read_bytes()
    result = run("sync", str(export), "--as-of", AS_OF)
    assert_refused(result, 2, f"{export} is a CSV file", NEEDS_OUTPUT)
    assert export.read_bytes() == before
    assert sorted(p.name for p in export.parent.iterdir()) == ["okr-export.csv"]


def test_sync_dry_run_lists_the_changes_and_the_refusal(export: Path) -> None:
    """`sync --dry-run FILE.csv` prints what would change and why a real sync would stop."""
    result = run("sync", "--dry-run", str(export), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "'okr-export'!G1: (blank) -> \"ID\"" in result.stdout
    assert f"a real sync would stop here: {export} is a CSV file" in result.stderr
    assert sorted(p.name for p in export.parent.iterdir()) == ["okr-export.csv"]


def test_sync_with_output_writes_a_new_workbook(export: Path, tmp_path: Path) -> None:
    """`sync FILE.csv --output NEW.xlsx` makes a workbook of the CSV's values (plain numbers
    as numbers, all else as text, never a formula) with the tool's columns and tabs, which
    scores as the CSV did; the CSV is unchanged and no temporary file is left."""
    before = export.read_bytes()
    output = tmp_path / "new.xlsx"
    result = run("sync", str(export), "--as-of", AS_OF, "--output", str(output))
    assert result.exit_code == 0, result.output
    assert export.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "state") == [
        "new.xlsx",
        "okr-export.csv",
    ]
    workbook = load_workbook(output)
    assert workbook.sheetnames == ["okr-export", "Summary", "History", "Checks"]
    sheet = workbook["okr-export"]
    assert [c.value for c in sheet[1]][:7] == [*HEADER, "ID"]
    assert [c.value for c in sheet[3]][3:6] == [20, 30, 25]
    assert [c.value for c in sheet[4]][3:6] == ["$180", "$120", "$150"]
    assert [c.value for c in sheet[6]][3:6] == [0, "1,200", 300]
    assert [c.value for c in sheet[7]][3:6] == ["2%", "4%", "3.5%"]
    for address in ("B5", "B6"):  # "=1+1" and "+cmd"
        assert sheet[address].data_type == "s", address
    assert (sheet["B5"].value, sheet["B6"].value) == ("=1+1", "+cmd")
    assert sheet["B7"].value == "Raise conversion\nfrom 2% to 4%"
    assert scores(output) == scores(export)


def test_sync_with_output_of_korean_csv_keeps_the_titles(tmp_path: Path) -> None:
    """A cp949 CSV synced into a workbook keeps its Korean tab name and titles."""
    path = write_table(tmp_path / "마케팅.csv", KOREAN_ROWS, encoding="cp949")
    output = tmp_path / "마케팅.xlsx"
    result = run("sync", str(path), "--as-of", AS_OF, "--output", str(output))
    assert result.exit_code == 0, result.output
    assert load_workbook(output).sheetnames[0] == "마케팅"
    assert scores(output) == scores(path)
    assert titles(output)[0] == "신규 고객 확보"


def test_sync_refuses_an_output_that_exists(export: Path, tmp_path: Path) -> None:
    """An existing output is never written over: exit 2, saying to sync it directly."""
    output = tmp_path / "new.xlsx"
    output.write_bytes(b"someone's workbook")
    result = run("sync", str(export), "--as-of", AS_OF, "--output", str(output))
    assert_refused(result, 2, f"{output} exists", f"sheets-okr sync {output}")
    assert output.read_bytes() == b"someone's workbook"
    dry = run("sync", "--dry-run", str(export), "--as-of", AS_OF, "--output", str(output))
    assert f"a real sync would stop here: {output} exists" in dry.stderr


def test_sync_refuses_an_output_that_is_not_xlsx(export: Path, tmp_path: Path) -> None:
    """The new workbook must be .xlsx: another suffix exits 2 and writes nothing."""
    output = tmp_path / "new.csv"
    result = run("sync", str(export), "--as-of", AS_OF, "--output", str(output))
    assert_refused(result, 2, "must be an .xlsx file")
    assert not output.exists()


def test_sync_output_then_syncs_as_a_workbook(export: Path, tmp_path: Path) -> None:
    """The workbook made from a CSV already holds every value when synced itself."""
    output = tmp_path / "new.xlsx"
    assert run("sync", str(export), "--as-of", AS_OF, "--output", str(output)).exit_code == 0
    result = run("sync", "--dry-run", str(output), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "Nothing to change" in result.stdout


def test_sync_leaves_nothing_when_the_write_fails(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When applying the plan fails, no output and no temporary file are left behind."""
    from sheets_okr.sources.excel.workbook import ExcelWorkbook

    def fail(self: ExcelWorkbook, plan: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ExcelWorkbook, "write", fail)
    result = run("sync", str(export), "--as-of", AS_OF, "--output", str(tmp_path / "new.xlsx"))
    assert result.exit_code == 1, result.output
    assert "No space left on device" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "state") == ["okr-export.csv"]


def test_sync_never_replaces_an_output_made_meanwhile(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that appears at the output's name during the sync is kept, and the sync
    refused: the new workbook is linked into place, never renamed over a file."""
    from sheets_okr.sources.excel.workbook import ExcelWorkbook

    output = tmp_path / "new.xlsx"
    write = ExcelWorkbook.write

    def write_then_race(self: ExcelWorkbook, plan: Any) -> str:
        where = write(self, plan)
        output.write_bytes(b"made meanwhile")
        return where

    monkeypatch.setattr(ExcelWorkbook, "write", write_then_race)
    result = run("sync", str(export), "--as-of", AS_OF, "--output", str(output))
    assert_refused(result, 2, f"{output} exists")
    assert output.read_bytes() == b"made meanwhile"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "state") == [
        "new.xlsx",
        "okr-export.csv",
    ]


def test_sync_refuses_a_cell_longer_than_excel_holds(tmp_path: Path) -> None:
    """A cell of more than 32,767 characters would make a damaged workbook: refused, named."""
    rows = [list(row) for row in TYPE_ROWS]
    rows[2][1] = "x" * 32_768
    path = write_table(tmp_path / "long.csv", rows)
    output = tmp_path / "new.xlsx"
    result = run("sync", str(path), "--as-of", AS_OF, "--output", str(output), "--allow-problems")
    assert_refused(result, 1, "cell B3", "32,767")
    assert not output.exists()

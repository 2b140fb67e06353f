"""Files that are not an .xlsx workbook end in one sentence saying what to do, never in a
reader's own error: password-protected workbooks, text, other spreadsheet formats, folders."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-untyped]

from tests.support.commands import AS_OF, assert_refused, run
from tests.support.workbooks import small_rows, write_workbook

# The first bytes of an OLE2 compound file (Excel 97-2003, or an encrypted .xlsx).
COMPOUND_FILE = bytes.fromhex("D0CF11E0A1B11AE1")
COMMANDS = [["score"], ["lint"], ["report", "-o", "summary.html"], ["sync", "--dry-run"], ["sync"]]


def command(words: list[str], source: Path) -> list[str]:
    """A command's words with SOURCE, the as-of date and any output file placed beside it."""
    args = [str(source.parent / w) if w.endswith(".html") else w for w in words]
    return [args[0], str(source), *args[1:], "--as-of", AS_OF]


@pytest.fixture(name="encrypted")
def _encrypted(tmp_path: Path) -> Path:
    """The sample plan saved with a password to open, encrypted as Excel does (agile, AES)."""
    plain = write_workbook(tmp_path / "plain.xlsx", {"2026-Q4": small_rows()})
    path = tmp_path / "locked.xlsx"
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("s3cret", target)
    return path


def test_encrypted_fixture_is_a_compound_file_with_encryption_info(encrypted: Path) -> None:
    """The fixture is what Excel writes: an OLE2 file holding an EncryptionInfo stream."""
    data = encrypted.read_bytes()
    assert data.startswith(COMPOUND_FILE)
    assert "EncryptionInfo".encode("utf-16-le") in data


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_password_protected_workbook_says_to_save_a_copy_without_it(
    encrypted: Path, words: list[str]
) -> None:
    """Every command on an encrypted workbook exits 1 saying to save a copy without a password."""
    result = run(*command(words, encrypted))
    assert_refused(result, 1, str(encrypted), "password-protected", "without a password")


@pytest.mark.parametrize(
    "text",
    [
        b"Type,Title,Owner\nObjective,Grow traffic,Sam\n",
        "Type\tTitle\n목표\t매출 성장\n".encode("utf-8-sig"),
        codecs.BOM_UTF16_LE + "Type\tTitle\r\nObjective\tGrow\r\n".encode("utf-16-le"),
        b"<html><body><table><tr><td>Type</td></tr></table></body></html>",
    ],
    ids=["csv", "utf-8 with BOM", "excel unicode text", "html export"],
)
def test_text_named_xlsx_says_it_holds_text(tmp_path: Path, text: bytes) -> None:
    """Text saved under an .xlsx name exits 1 saying it is text, to save it as .xlsx."""
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(text)
    result = run("score", str(path))
    assert_refused(result, 1, str(path), "holds text", "not a workbook", "save it as .xlsx")


def test_empty_file_says_it_is_empty(tmp_path: Path) -> None:
    """A 0-byte .xlsx (an interrupted save) exits 1 saying it is empty."""
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(b"")
    assert_refused(run("score", str(path)), 1, "is empty", "restore an earlier copy")


@pytest.mark.parametrize(
    ("suffix", "kind"),
    [
        (".xls", "Excel 97-2003 workbook"),
        (".xlsb", "Excel binary workbook"),
        (".ods", "OpenDocument spreadsheet"),
        (".XLS", "Excel 97-2003 workbook"),
    ],
)
def test_other_spreadsheet_formats_say_to_save_as_xlsx(
    tmp_path: Path, suffix: str, kind: str
) -> None:
    """An .xls, .xlsb or .ods file exits 2 naming its format and saying to save it as .xlsx."""
    path = tmp_path / f"tracker{suffix}"
    path.write_bytes(COMPOUND_FILE + bytes(504))
    result = run("score", str(path))
    assert_refused(result, 2, str(path), kind, "does not read", "save it as .xlsx (Excel Workbook)")


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_csv_and_tsv_are_read_as_text_tables(tmp_path: Path, suffix: str) -> None:
    """A CSV or TSV file is read (as one tab), not refused as a broken workbook."""
    path = tmp_path / f"okrs{suffix}"
    separator = "," if suffix == ".csv" else "\t"
    path.write_text(separator.join(["Type", "Title", "Target", "Current"]) + "\n"
                    + separator.join(["Objective", "Grow", "", ""]) + "\n"
                    + separator.join(["Key Result", "MQLs", "10", "5"]) + "\n")  # fmt: skip
    result = run("score", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "not an Excel workbook" not in result.stderr


def test_numbers_file_says_to_export_to_excel(tmp_path: Path) -> None:
    """An Apple Numbers file exits 2 saying to export it to Excel."""
    path = tmp_path / "okrs.numbers"
    path.write_bytes(b"PK\x03\x04")
    assert_refused(run("score", str(path)), 2, "Apple Numbers", "export it to Excel")


def test_unknown_suffix_says_what_sources_are_taken(tmp_path: Path) -> None:
    """A file of no spreadsheet kind exits 2 naming the sources that are read."""
    path = tmp_path / "okrs.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    assert_refused(run("score", str(path)), 2, "not an Excel workbook", ".xlsx", "gsheet:KEY")


def test_xls_saved_under_an_xlsx_name_says_to_save_as_xlsx(tmp_path: Path) -> None:
    """An Excel 97-2003 file renamed .xlsx exits 1 saying to save it as .xlsx."""
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(COMPOUND_FILE + bytes(504) + "Workbook".encode("utf-16-le"))
    assert_refused(run("score", str(path)), 1, "Excel 97-2003", "save it as .xlsx")


def test_ods_saved_under_an_xlsx_name_says_to_save_as_xlsx(tmp_path: Path) -> None:
    """An OpenDocument spreadsheet renamed .xlsx exits 1 naming its format."""
    path = tmp_path / "tracker.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert_refused(run("score", str(path)), 1, "OpenDocument spreadsheet", "save it as .xlsx")


def test_zip_without_a_workbook_says_to_name_the_xlsx(tmp_path: Path) -> None:
    """A zip archive holding no workbook exits 1 saying so."""
    path = tmp_path / "tracker.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("tracker.xlsx", b"")
    path.write_bytes(buffer.getvalue())
    assert_refused(run("score", str(path)), 1, "zip archive with no Excel workbook inside")


def test_folder_says_to_name_the_workbook_inside_it(tmp_path: Path) -> None:
    """A folder given as SOURCE exits 2 saying to name the workbook file inside it."""
    folder = tmp_path / "okrs"
    folder.mkdir()
    write_workbook(folder / "2026-Q4.xlsx", {"2026-Q4": small_rows()})
    (folder / "notes.txt").write_text("x")
    for words in COMMANDS:
        result = run(*command(words, folder))
        assert_refused(
            result, 2, f"{folder} is a folder", "name the workbook file inside it",
            str(folder / "2026-Q4.xlsx"),
        )  # fmt: skip


def test_excel_lock_file_says_to_name_the_workbook(tmp_path: Path) -> None:
    """Excel's ~$ lock file (which *.xlsx matches) exits 2 naming the workbook it stands for."""
    path = tmp_path / "~$tracker.xlsx"
    path.write_bytes(b"\x04Sam  " + bytes(157))
    assert_refused(run("score", str(path)), 2, "lock file Excel keeps", "(tracker.xlsx)")


def test_empty_folder_says_to_name_the_workbook_file(tmp_path: Path) -> None:
    """A folder holding no workbook still says to name the workbook file."""
    assert_refused(run("score", str(tmp_path)), 2, "is a folder", "name the workbook file")


def test_missing_file_says_to_check_the_path(tmp_path: Path) -> None:
    """A path that does not exist exits 2 naming it."""
    path = tmp_path / "nope.xlsx"
    assert_refused(run("score", str(path)), 2, str(path), "no such file", "check the path")


def test_damaged_zip_says_what_to_do(tmp_path: Path, small_tracker: Path) -> None:
    """A workbook cut short (an interrupted copy) exits 1 saying to save again or restore."""
    data = small_tracker.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert_refused(
        run("score", str(path)), 1, "cannot be read as a workbook", "restore an earlier copy"
    )

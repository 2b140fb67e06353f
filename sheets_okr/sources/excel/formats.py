"""Files named as a workbook that are not an .xlsx one, and the sentence that says what to do.

The readers' own errors ("Cannot detect file format", "File is not a zip file") tell people
nothing they can act on. A folder, a file of another format (by its suffix), or a file whose
first bytes show it is not a zip archive (empty, text, an encrypted or an old binary Office
file) is refused here, before any reader sees it, with one sentence naming the fix.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from sheets_okr.errors import SourceUnreadable, UsageError

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
SAVE_AS_XLSX = "save it as .xlsx (Excel Workbook)"

# Spreadsheet formats people keep plans in that the reader does not take, by suffix.
_OTHER_SPREADSHEETS = {
    ".xls": "an Excel 97-2003 workbook (.xls)",
    ".xlt": "an Excel 97-2003 template (.xlt)",
    ".xlsb": "an Excel binary workbook (.xlsb)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
    ".fods": "an OpenDocument spreadsheet (.fods)",
}
_TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})

# An OLE2 compound file: what Excel 97-2003 writes, and what Excel wraps an .xlsx in when it
# is saved with a password to open (the zip then sits encrypted in an EncryptedPackage stream,
# described by an EncryptionInfo stream). Stream names are stored in UTF-16LE.
_COMPOUND_FILE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")  # a part, an empty zip, spanned
_TEXT_SAMPLE = 8192
# Control characters no text file holds (tabs, line and page breaks are text).
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def refuse_unless_workbook_path(path: Path) -> None:
    """Raise UsageError, saying what to do, when `path` cannot name an .xlsx workbook file."""
    if path.is_dir():
        inside = sorted(p.name for p in path.iterdir() if p.suffix.lower() in EXCEL_SUFFIXES)
        example = f", such as {path / inside[0]}" if inside else ""
        raise UsageError(
            f"{path} is a folder, not a workbook; name the workbook file inside it{example}."
        )
    if not path.exists():
        raise UsageError(f"{path}: no such file; check the path and the file's name.")
    if not path.is_file():
        raise UsageError(f"{path} is not a regular file; name the .xlsx workbook itself.")
    if path.name.startswith("~$"):  # what `*.xlsx` also matches while Excel has a file open
        raise UsageError(
            f"{path} is the lock file Excel keeps while a workbook is open, not a workbook;"
            f" name the workbook itself ({path.with_name(path.name[2:]).name})."
        )
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return
    if suffix in _OTHER_SPREADSHEETS:
        raise UsageError(
            f"{path} is {_OTHER_SPREADSHEETS[suffix]}, which sheets-okr does not read;"
            f" open it in Excel or LibreOffice and {SAVE_AS_XLSX}."
        )
    if suffix == ".numbers":
        raise UsageError(
            f"{path} is an Apple Numbers file, which sheets-okr does not read;"
            " in Numbers, export it to Excel (File > Export To > Excel) and use the .xlsx file."
        )
    if suffix in _TEXT_SUFFIXES:
        raise UsageError(
            f"{path} is a {suffix[1:].upper()} file, not an Excel workbook, and sheets-okr does"
            f" not read those yet; open it in Excel and {SAVE_AS_XLSX}."
        )
    raise UsageError(
        f"{path} is not an Excel workbook (.xlsx or .xlsm); name the tracker's .xlsx file,"
        " or a Google Sheet as gsheet:KEY or by its URL."
    )


def refuse_unless_zip(path: Path, data: bytes) -> None:
    """Raise SourceUnreadable, saying what to do, when the bytes cannot be an .xlsx archive."""
    if data.startswith(_ZIP_STARTS):
        return
    if not data:
        raise SourceUnreadable(
            f"{path}: cannot be read as a workbook, because it is empty (0 bytes); save the"
            " workbook again from Excel, or restore an earlier copy."
        )
    if data.startswith(_COMPOUND_FILE):
        if _ENCRYPTION_INFO in data:
            raise SourceUnreadable(
                f"{path} is password-protected, so sheets-okr cannot read it; open it in Excel,"
                " save a copy without a password to open, and give sheets-okr that copy."
            )
        raise SourceUnreadable(
            f"{path} is an Excel 97-2003 workbook (.xls) or another old Office file under an"
            f" .xlsx name; open it in Excel and {SAVE_AS_XLSX}."
        )
    if _looks_like_text(data):
        raise SourceUnreadable(
            f"{path}: cannot be read as a workbook, because it holds text (such as CSV), not a"
            f" workbook; open it in Excel and {SAVE_AS_XLSX}."
        )
    raise SourceUnreadable(
        f"{path}: cannot be read as a workbook, because it is not in the .xlsx format (it may"
        f" be damaged, or another kind of file); if Excel opens it, {SAVE_AS_XLSX}, otherwise"
        " restore an earlier copy."
    )


def refuse_unless_workbook_archive(path: Path, archive: zipfile.ZipFile) -> None:
    """Raise SourceUnreadable when a sound zip archive holds no Excel workbook."""
    names = set(archive.namelist())
    if "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        kind = "an Excel binary workbook (.xlsb)"
    elif "content.xml" in names and "mimetype" in names:
        kind = "an OpenDocument spreadsheet (.ods)"
    else:
        raise SourceUnreadable(
            f"{path}: cannot be read as a workbook, because it is a zip archive with no Excel"
            " workbook inside; name the .xlsx file itself."
        )
    raise SourceUnreadable(
        f"{path} is {kind} under an .xlsx name, which sheets-okr does not read; open it in"
        f" Excel or LibreOffice and {SAVE_AS_XLSX}."
    )


def unreadable(path: Path, error: BaseException) -> SourceUnreadable:
    """The refusal for a file that looked like a workbook but broke a reader."""
    return SourceUnreadable(
        f"{path}: cannot be read as a workbook ({error_text(error)}); if Excel opens it, save"
        " it again as .xlsx (Excel Workbook), otherwise restore an earlier copy."
    )


def error_text(error: BaseException, limit: int = 200) -> str:
    """A reader's error on one line, cut short: some span lines and quote whole parts. A bare
    name (python-calamine's WorksheetNotFound('Notes'), a KeyError) gets its kind before it."""
    text = " ".join(str(error).split())
    if " " not in text:
        text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _looks_like_text(data: bytes) -> bool:
    """Whether the file starts as text people could have saved: UTF-8 or UTF-16 with a BOM."""
    sample = data[:_TEXT_SAMPLE]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoder = codecs.getincrementaldecoder("utf-16")("strict")
    else:
        decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
    try:
        # final=False: a character cut by the end of the sample is not a decoding error.
        text = decoder.decode(sample, final=len(sample) == len(data))
    except UnicodeDecodeError:
        return False
    return _BINARY_CONTROLS.search(text) is None

"""Turning a CSV file's bytes into text, in whichever encoding the spreadsheet saved it.

What people's exports come in: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8",
Google Sheets, most tools), UTF-16 with a mark (Excel's "Unicode Text"), and cp949, the
Korean superset of EUC-KR that Korean Excel writes for plain "CSV". A mark decides; without
one, strict UTF-8 is tried, then cp949. Text that fits neither is refused with what to do:
a guess at another code page would turn every accented or Korean letter into other letters
(mojibake) without a word, and the titles people read would be wrong.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from sheets_okr.errors import SourceUnreadable

SAVE_AS_UTF8 = 'in Excel, save it as "CSV UTF-8 (Comma delimited)" and use that file'

# Longest marks first: UTF-32's little-endian mark begins with UTF-16's.
_MARKS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_HANGUL = range(0xAC00, 0xD7A4)  # the 11,172 precomposed syllables


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read in, as messages name it."""

    text: str
    encoding: str


def decode(path: Path, data: bytes) -> Decoded:
    """The file's text; SourceUnreadable, saying what to do, when it is in no encoding read."""
    for mark, codec, label in _MARKS:
        if data.startswith(mark):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as error:
                raise SourceUnreadable(
                    f"{path} starts with the mark of {label} text but is not valid {label}"
                    f" ({_where(data, error)}); {SAVE_AS_UTF8}."
                ) from error
            if "\0" in text:  # UTF-16 and UTF-32 hold NUL bytes, but never a NUL character
                raise SourceUnreadable(_binary(path))
            return Decoded(text, label)
    refuse_binary(path, data)
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    korean = _cp949(data)
    if korean is not None:
        return Decoded(korean, "cp949")
    raise SourceUnreadable(
        f"{path} is in no encoding sheets-okr reads (UTF-8, UTF-16 with a byte-order mark, or"
        f" Korean cp949/EUC-KR): {_where(data, utf8_error)} is not UTF-8; {SAVE_AS_UTF8}."
    )


def refuse_binary(path: Path, data: bytes) -> None:
    """Raise when bytes without a byte-order mark cannot be text: no text file holds NUL."""
    if b"\0" not in data:
        return
    if data.startswith(b"PK\x03\x04"):  # a workbook renamed, or saved under the wrong name
        raise SourceUnreadable(
            f"{path} cannot be read as CSV: it is a zip archive, such as an Excel workbook,"
            " under a text file's name; if it is a workbook, give it the .xlsx suffix."
        )
    raise SourceUnreadable(_binary(path))


def _binary(path: Path) -> str:
    return (
        f"{path} cannot be read as CSV: it holds binary data (NUL bytes), not text; export"
        " the sheet again as CSV."
    )


def _cp949(data: bytes) -> str | None:
    """The bytes as Korean text, or None when cp949 cannot read them or reads them as letters
    Korean text does not use.

    Text in a Western code page often decodes as cp949 too (a curly apostrophe and the
    letter after it make one rare syllable: "Team's" would read "Team뭩"), so cp949 counts
    only when the text holds Korean syllables and most of them are among the 2,350 of
    everyday Korean (KS X 1001, the EUC-KR set) rather than the rare ones cp949 adds.
    """
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        return None
    wide = [char for char in text if ord(char) > 0x7F]
    syllables = [char for char in wide if ord(char) in _HANGUL]
    if not syllables or 2 * len(syllables) < len(wide):
        return None
    everyday = sum(1 for char in syllables if _in_euc_kr(char))
    return text if 10 * everyday >= 9 * len(syllables) else None


def _in_euc_kr(char: str) -> bool:
    # KS X 1001 puts its 2,350 syllables at lead bytes B0-C8 and trail bytes A1-FE; the
    # 8,822 cp949 adds fill the codes around them. (Encoding to euc_kr is no test: Python's
    # codec writes those others too, as eight-byte sequences of jamo.)
    encoded = char.encode("cp949")
    return len(encoded) == 2 and encoded[0] >= 0xB0 and encoded[1] >= 0xA1


def _where(data: bytes, error: UnicodeDecodeError) -> str:
    """Where decoding failed, as people find it in an editor: the line and the byte."""
    line = data.count(b"\n", 0, error.start) + 1
    return f"byte 0x{data[error.start]:02X} on line {line}"

"""Control characters that XML 1.0 forbids, as some programs still write them into workbooks.

python-calamine reads such a workbook; openpyxl, which a sync saves with, stops at the first
one with a parse error. Excel itself writes a control character in text as _xHHHH_ (the
ST_Xstring escape), which openpyxl keeps as it is and Excel and python-calamine read back as
the character: so that is what they become before openpyxl loads the workbook.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile

# Below U+0020 only tab, line feed and carriage return are allowed. In UTF-8 these bytes never
# occur inside a longer character, so they can be found in the raw bytes.
_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_UTF16_STARTS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"<\x00", b"\x00<")


def escape_control_characters(snapshot: bytes) -> bytes:
    """The workbook with every forbidden control character of its XML parts as _xHHHH_."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(snapshot)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith((".xml", ".rels")) and not data.startswith(_UTF16_STARTS):
                data = _FORBIDDEN.sub(lambda match: b"_x%04X_" % match.group(0)[0], data)
            target.writestr(info, data)
    return output.getvalue()

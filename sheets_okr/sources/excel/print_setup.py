"""How the tabs the tool owns print: landscape, one page wide, the header on every page.

A tab the tool adds is written with its print set-up (tool_tabs.py). A tool tab without
one (an earlier version made it, or a program's default set-up replaced it) gets it; one
people fit to pages their own way keeps theirs. Only the worksheet's short skeleton is
parsed (its rows are set aside): History reaches millions of cells.
"""

from __future__ import annotations

import re
import secrets

from lxml import etree

from sheets_okr.sources.excel.xml import (
    XmlPart,
    child,
    children,
    local_name,
    parse_part,
)

# CT_Worksheet's children that follow <pageSetup>, and those that follow <pageMargins>.
_AFTER_PAGE_SETUP = ("headerFooter", "rowBreaks", "colBreaks", "customProperties",
    "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
    "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
    "webPublishItems", "tableParts", "extLst")  # fmt: skip
# The children of <workbook> that come before <definedNames> (CT_Workbook).
_BEFORE_DEFINED_NAMES = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection",
                         "bookViews", "sheets", "functionGroups", "externalReferences")  # fmt: skip
PAGE_MARGINS = {"left": "0.4", "right": "0.4", "top": "0.6", "bottom": "0.6",
                "header": "0.3", "footer": "0.3"}  # fmt: skip
PAGE_SETUP = {"orientation": "landscape", "fitToWidth": "1", "fitToHeight": "0"}
_FIT_TO_PAGE = re.compile(rb'<(?:[\w.-]+:)?pageSetUpPr\b[^>]*\bfitToPage="(?:1|true)"')


def _element(name: str, attributes: dict[str, str]) -> bytes:
    pairs = " ".join(f'{key}="{value}"' for key, value in attributes.items())
    return f"<{name} {pairs}/>".encode()


# What follows the rows of a tab the tool adds.
PRINT_SETUP = _element("pageMargins", PAGE_MARGINS) + _element("pageSetup", PAGE_SETUP)


def fit_for_printing(head: bytes, tail: bytes, sheet_data: bytes) -> tuple[bytes, bytes] | None:
    """The bytes before and after a tool tab's rows with the tool's print set-up put in:
    fit to page in <sheetPr>, landscape one page wide in <pageSetup> (its other settings,
    such as the paper size, kept); None when the tab is fit to pages already (the tool's
    set-up, or people's own), and its bytes stay as they are.

    `head` ends with the <sheetData> opening tag and `tail` starts after its closing tag;
    `sheet_data` is the element's name as the part spells it (with any prefix). A default
    <pageSetup> (LibreOffice and Excel's page set-up dialog write one) is not a choice.
    """
    if _FIT_TO_PAGE.search(head):
        return None
    # The rows' place, marked by a processing instruction no part can already hold.
    marker = b"<?sheets-okr-rows %s?>" % secrets.token_hex(16).encode()
    skeleton = parse_part("worksheet", head + marker + b"</" + sheet_data + b">" + tail)
    root = skeleton.root
    properties = child(root, "sheetPr")
    if properties is None:
        properties = etree.Element(skeleton.tag("sheetPr"))
        root.insert(0, properties)
    fit = child(properties, "pageSetUpPr")
    if fit is None:
        fit = etree.SubElement(properties, skeleton.tag("pageSetUpPr"))  # its last child
    fit.set("fitToPage", "1")
    setup = child(root, "pageSetup")
    if setup is None:
        setup = etree.Element(skeleton.tag("pageSetup"))
        margins = child(root, "pageMargins")
        if margins is None:
            margins = etree.Element(skeleton.tag("pageMargins"), PAGE_MARGINS)
            following = next((e for e in root if local_name(e) in _AFTER_PAGE_SETUP), None)
            if following is None:
                root.append(margins)
            else:
                following.addprevious(margins)
        margins.addnext(setup)
    for key, value in PAGE_SETUP.items():
        setup.set(key, value)
    whole = skeleton.to_bytes()
    before, found, after = whole.partition(marker)
    if not found:
        raise ValueError("a tool tab's rows were lost in its print set-up")
    return before, after[after.index(b">") + 1 :]  # after the closing </sheetData>


def repeat_row(workbook: XmlPart, title: str, row: int) -> bool:
    """Name row `row` of a tab as the one printed at the top of every page (Excel's
    _xlnm.Print_Titles), unless the tab repeats rows already; says whether it did."""
    root = workbook.root
    sheets = child(root, "sheets")
    titles = [s.get("name", "") for s in children(sheets, "sheet")] if sheets is not None else []
    if title not in titles:
        return False
    index = str(titles.index(title))  # a name local to a tab counts the tab by its place
    defined = child(root, "definedNames")
    if defined is None:
        defined = etree.Element(workbook.tag("definedNames"))
        earlier = [e for e in root if local_name(e) in _BEFORE_DEFINED_NAMES]
        if earlier:
            earlier[-1].addnext(defined)
        else:
            root.insert(0, defined)
    for name in children(defined, "definedName"):
        if name.get("localSheetId") == index and name.get("name") == "_xlnm.Print_Titles":
            return False
    name = etree.SubElement(defined, workbook.tag("definedName"))
    name.set("name", "_xlnm.Print_Titles")
    name.set("localSheetId", index)
    name.text = "'" + title.replace("'", "''") + f"'!${row}:${row}"
    return True

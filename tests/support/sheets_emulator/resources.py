"""The fields of the Sheets API resources the emulator answers with, to check read masks.

Google refuses a `fields` parameter naming a field its resource does not have (400, "Error
expanding 'fields' parameter. Cannot find matching fields for path '...'."). Types the
emulator never fills in are OPEN: any path below them passes unchecked.
"""

from __future__ import annotations

from tests.support.sheets_emulator.errors import ApiError, bad_request
from tests.support.sheets_emulator.fields import Mask

SCALAR = ""
OPEN = "*"

# type -> field -> its type (SCALAR for a string, number, boolean or enum; a list's element
# type for a repeated field)
TYPES: dict[str, dict[str, str]] = {
    "Spreadsheet": {
        "spreadsheetId": SCALAR,
        "properties": "SpreadsheetProperties",
        "sheets": "Sheet",
        "namedRanges": OPEN,
        "spreadsheetUrl": SCALAR,
        "developerMetadata": "DeveloperMetadata",
        "dataSources": OPEN,
        "dataSourceSchedules": OPEN,
    },
    "SpreadsheetProperties": {
        "title": SCALAR,
        "locale": SCALAR,
        "autoRecalc": SCALAR,
        "timeZone": SCALAR,
        "defaultFormat": "CellFormat",
        "iterativeCalculationSettings": OPEN,
        "spreadsheetTheme": OPEN,
        "importFunctionsExternalUrlAccessAllowed": SCALAR,
    },
    "Sheet": {
        "properties": "SheetProperties",
        "data": "GridData",
        "merges": "GridRange",
        "conditionalFormats": "ConditionalFormatRule",
        "filterViews": OPEN,
        "protectedRanges": OPEN,
        "basicFilter": OPEN,
        "charts": OPEN,
        "bandedRanges": OPEN,
        "developerMetadata": "DeveloperMetadata",
        "rowGroups": OPEN,
        "columnGroups": OPEN,
        "slicers": OPEN,
        "tables": OPEN,
    },
    "SheetProperties": {
        "sheetId": SCALAR,
        "title": SCALAR,
        "index": SCALAR,
        "sheetType": SCALAR,
        "gridProperties": "GridProperties",
        "hidden": SCALAR,
        "tabColor": "Color",
        "tabColorStyle": OPEN,
        "rightToLeft": SCALAR,
        "dataSourceSheetProperties": OPEN,
    },
    "GridProperties": {
        "rowCount": SCALAR,
        "columnCount": SCALAR,
        "frozenRowCount": SCALAR,
        "frozenColumnCount": SCALAR,
        "hideGridlines": SCALAR,
        "rowGroupControlAfter": SCALAR,
        "columnGroupControlAfter": SCALAR,
    },
    "GridData": {
        "startRow": SCALAR,
        "startColumn": SCALAR,
        "rowData": "RowData",
        "rowMetadata": "DimensionProperties",
        "columnMetadata": "DimensionProperties",
    },
    "RowData": {"values": "CellData"},
    "CellData": {
        "userEnteredValue": "ExtendedValue",
        "effectiveValue": "ExtendedValue",
        "formattedValue": SCALAR,
        "userEnteredFormat": "CellFormat",
        "effectiveFormat": "CellFormat",
        "hyperlink": SCALAR,
        "note": SCALAR,
        "textFormatRuns": OPEN,
        "dataValidation": OPEN,
        "pivotTable": OPEN,
        "dataSourceTable": OPEN,
        "dataSourceFormula": OPEN,
        "chipRuns": OPEN,
    },
    "ExtendedValue": {
        "numberValue": SCALAR,
        "stringValue": SCALAR,
        "boolValue": SCALAR,
        "formulaValue": SCALAR,
        "errorValue": "ErrorValue",
    },
    "ErrorValue": {"type": SCALAR, "message": SCALAR},
    "CellFormat": {
        "numberFormat": "NumberFormat",
        "backgroundColor": "Color",
        "backgroundColorStyle": OPEN,
        "borders": OPEN,
        "padding": OPEN,
        "horizontalAlignment": SCALAR,
        "verticalAlignment": SCALAR,
        "wrapStrategy": SCALAR,
        "textDirection": SCALAR,
        "textFormat": "TextFormat",
        "hyperlinkDisplayType": SCALAR,
        "textRotation": OPEN,
    },
    "NumberFormat": {"type": SCALAR, "pattern": SCALAR},
    "Color": {"red": SCALAR, "green": SCALAR, "blue": SCALAR, "alpha": SCALAR},
    "TextFormat": {
        "foregroundColor": "Color",
        "foregroundColorStyle": OPEN,
        "fontFamily": SCALAR,
        "fontSize": SCALAR,
        "bold": SCALAR,
        "italic": SCALAR,
        "strikethrough": SCALAR,
        "underline": SCALAR,
        "link": OPEN,
    },
    "DimensionProperties": {
        "hiddenByFilter": SCALAR,
        "hiddenByUser": SCALAR,
        "pixelSize": SCALAR,
        "developerMetadata": "DeveloperMetadata",
        "dataSourceColumnReference": OPEN,
    },
    "DeveloperMetadata": {
        "metadataId": SCALAR,
        "metadataKey": SCALAR,
        "metadataValue": SCALAR,
        "location": OPEN,
        "visibility": SCALAR,
    },
    "GridRange": {
        "sheetId": SCALAR,
        "startRowIndex": SCALAR,
        "endRowIndex": SCALAR,
        "startColumnIndex": SCALAR,
        "endColumnIndex": SCALAR,
    },
    "ConditionalFormatRule": {
        "ranges": "GridRange",
        "booleanRule": "BooleanRule",
        "gradientRule": OPEN,
    },
    "BooleanRule": {"condition": "BooleanCondition", "format": "CellFormat"},
    "BooleanCondition": {"type": SCALAR, "values": OPEN},
    "BatchUpdateSpreadsheetResponse": {
        "spreadsheetId": SCALAR,
        "replies": OPEN,
        "updatedSpreadsheet": "Spreadsheet",
    },
}


def check_mask(mask: Mask | None, resource: str) -> None:
    """Refuse (400, as Google does) a mask naming a field `resource` does not have."""
    if mask is not None:
        _check(mask, resource, ())


def _check(mask: Mask, kind: str, at: tuple[str, ...]) -> None:
    fields = TYPES[kind]
    for name, sub in mask.items():
        path = (*at, name)
        if name == "*":
            continue  # what "*/x" may name is not checked
        field_kind = fields.get(name)
        if field_kind is None or (sub is not None and field_kind == SCALAR):
            below = sub
            while below is not None:  # Google names the whole path, as the mask wrote it
                first, below = next(iter(below.items()))
                path = (*path, first)
            raise unknown_field(path)
        if sub is not None and field_kind != OPEN:
            _check(sub, field_kind, path)


def unknown_field(path: tuple[str, ...]) -> ApiError:
    """Google's 400 for a mask path that names no field."""
    return bad_request(
        "Error expanding 'fields' parameter. Cannot find matching fields for path "
        f"'{'.'.join(path)}'."
    )

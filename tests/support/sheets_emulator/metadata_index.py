"""Every developer metadata entry with its location, found once per request, by id and key.

A values:batchUpdateByDataFilter of 2,000 rows looks up 2,000 metadataIds: walking a large
sheet's rows for each made that quadratic. Valid while the spreadsheet's rows, columns and
metadata stay put (values writes do not move them; see Context.metadata_index).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.support.sheets_emulator.model import DevMeta, Spreadsheet

Entry = tuple[DevMeta, dict[str, Any]]


class MetadataIndex:
    """book.all_metadata() as a list, and the same entries by metadataId and by metadataKey."""

    def __init__(self, book: Spreadsheet) -> None:
        self.entries: list[Entry] = list(book.all_metadata())
        self._by_id: dict[int, list[Entry]] = {}
        self._by_key: dict[str, list[Entry]] = {}
        for entry in self.entries:
            self._by_id.setdefault(entry[0].metadata_id, []).append(entry)
            self._by_key.setdefault(entry[0].key, []).append(entry)

    def candidates(self, lookup: dict[str, Any]) -> Sequence[Entry]:
        """The entries (in all_metadata order) that may match a DeveloperMetadataLookup:
        all of them but for its metadataId or metadataKey."""
        if not self.entries:
            return self.entries
        if "metadataId" in lookup:
            return self._by_id.get(int(lookup["metadataId"]), [])
        key = lookup.get("metadataKey")
        if isinstance(key, str):
            return self._by_key.get(key, [])
        return self.entries


def taken_ids(book: Spreadsheet) -> set[int]:
    """The metadataIds in use anywhere in the spreadsheet (book.metadata_ids(), faster)."""
    taken = {meta.metadata_id for meta in book.metadata} | book.hidden_metadata_ids
    for sheet in book.sheets:
        taken.update(meta.metadata_id for meta in sheet.metadata)
        for lines in (sheet.rows, sheet.columns):
            for line in lines:
                if line.metadata:
                    taken.update(meta.metadata_id for meta in line.metadata)
    return taken

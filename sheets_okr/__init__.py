"""sheets-okr: turn the OKR spreadsheet a team already edits into a live tracker."""

from __future__ import annotations

__version__ = "0.1.0"

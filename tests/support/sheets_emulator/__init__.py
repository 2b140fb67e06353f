"""A local Google Sheets API v4 emulator for tests, reached through real gspread + google-auth.

emu = SheetsEmulator()                      # serving on 127.0.0.1 at once
emu.create_spreadsheet("KEY", {"Key Results": [["Title", "Current"], ["Visits", 25]]})
...                                         # point the client at emu.base_url
emu.stop()
"""

from tests.support.sheets_emulator.emulator import CellState, SheetsEmulator
from tests.support.sheets_emulator.kinds import ErrorCell, Formula, Percent
from tests.support.sheets_emulator.server import LoggedRequest

__all__ = ["CellState", "ErrorCell", "Formula", "LoggedRequest", "Percent", "SheetsEmulator"]

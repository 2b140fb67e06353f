"""A sheet a team already keeps, in its own words, for the tests of `adopt` and column maps.

Three OKR tabs with headers the tool reads by name (`Actual`, `Key Result`), by content (the
Korean `목표` twice: the objective over text, the target over numbers), by a name with a unit
(`Target (USD)`), bilingually (`목표(Objective)`) and as a fallback (`End`), and one it will
not guess: `Base`, on every tab, which is the start. A notes tab is not an OKR tab.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.workbooks import write_workbook

AS_OF = "2026-11-30"
TEAM_TAB = "Team OKRs"
SALES_TAB = "Sales"
BRAND_TAB = "Brand"
NOTES_TAB = "Notes"

TABS: dict[str, list[list[Any]]] = {
    TEAM_TAB: [
        ["목표", "핵심 결과", "Owner", "Base", "목표", "Actual"],
        ["Grow the pipeline", "Grow MQLs from 100 to 200", "Kim", 100, 200, 150],
        ["Grow the pipeline", "Win 10 deals", "Lee", 2, 10, 6],
        ["Be known for results", "Publish 8 case studies", "Ann", 2, 8, 5],
    ],
    SALES_TAB: [
        ["목표(Objective)", "Key Result", "Owner", "Base", "Target (USD)", "Actual"],
        ["Close more business", "Grow new bookings", "Dana", 10000, 50000, 30000],
    ],
    BRAND_TAB: [
        ["Objective", "Key Result", "Base", "End", "Actual"],
        ["Be loved by customers", "Lift NPS", 20, 40, 30],
    ],
    NOTES_TAB: [["Plan notes"], ["Review every Monday at 10."]],
}
# The start of each key result once Base is read as the start (0 while it is not read).
STARTS = {
    "Grow MQLs from 100 to 200": 100,
    "Win 10 deals": 2,
    "Publish 8 case studies": 2,
    "Grow new bookings": 10000,
    "Lift NPS": 20,
}
# The one answer the map needs: Base is the start, on every tab.
BASE_QUESTION = '# "Base" = "start"'
BASE_ANSWER = '"Base" = "start"'

CSV_TEXT = "Objective,Key Result,Base,End,Actual\nBe loved by customers,Lift NPS,20,40,30\n"


def team_sheet(path: Path) -> Path:
    """The team's sheet as a real .xlsx workbook."""
    return write_workbook(path, TABS)


def answered(toml: str) -> str:
    """The proposed map with its one question answered: the Base line uncommented."""
    assert BASE_QUESTION in toml, toml
    return toml.replace(BASE_QUESTION, BASE_ANSWER, 1)


def starts(score_json: dict[str, Any]) -> dict[str, Any]:
    """Each key result's start in `score --format json`, by title."""
    return {kr["title"]: kr["start"] for objective in score_json["objectives"]
            for kr in objective["key_results"]}  # fmt: skip

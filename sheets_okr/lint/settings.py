"""What a team may tune in the plan checks, with its defaults and bounds: the one home of each.

Nothing heavy is imported, so the command line can show the defaults in --help quickly.
"""

from __future__ import annotations

from dataclasses import dataclass

STALE_AFTER = (1, 100)  # the range of stale_after


@dataclass(frozen=True)
class LintSettings:
    """When a key result counts as stale."""

    stale_after: int = 3  # syncs in a row with the same Current

    def __post_init__(self) -> None:
        if not STALE_AFTER[0] <= self.stale_after <= STALE_AFTER[1]:
            raise ValueError(f"stale_after must be {STALE_AFTER[0]} to {STALE_AFTER[1]}")


DEFAULT_LINT = LintSettings()

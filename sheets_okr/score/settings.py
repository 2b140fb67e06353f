"""What a team may tune in scoring, with its defaults and bounds: the one home of each.

The command line's options, the configuration file's [scoring] table and the scoring
engine all take their defaults and checks from here. Nothing heavy is imported, so the
command line can show the defaults in --help quickly.
"""

from __future__ import annotations

from dataclasses import dataclass

GAPS: tuple[float, float] = (0, 1)  # the range of either health threshold
MONTHS = (1, 12)  # the range of the fiscal year's first month


def gaps_in_order(on_track_gap: float, at_risk_gap: float) -> bool:
    """Whether the thresholds can be used together: being on track is never the wider band."""
    return GAPS[0] <= on_track_gap <= at_risk_gap <= GAPS[1]


@dataclass(frozen=True)
class ScoringSettings:
    """The health thresholds and the month the fiscal year starts."""

    on_track_gap: float = 0.15  # largest gap to the pace still on track
    at_risk_gap: float = 0.30  # largest gap to the pace still at risk
    fiscal_year_start_month: int = 1

    def __post_init__(self) -> None:
        if not gaps_in_order(self.on_track_gap, self.at_risk_gap):
            raise ValueError("health thresholds must satisfy 0 <= on_track_gap <= at_risk_gap")
        if not MONTHS[0] <= self.fiscal_year_start_month <= MONTHS[1]:
            raise ValueError("the fiscal year start month must be 1 to 12")


DEFAULT_SCORING = ScoringSettings()

"""The summary of a whole run: a company view of every tracker, then each tracker's section.

Plain data like summary/digest.py, built from how each tracker of a run ended. Each tracker that
could be read gets its own Digest; a tracker that failed is kept with its error, so the
summary says so. The company score is the plain mean of the trackers' quarter scores: each
tracker is one team's plan, scored on its own; weighting them by size would let the largest
plan drown the rest.

The company quarter is the one most trackers show (each shows the quarter of the as-of date,
or its latest one), not the as-of date's: in the first days of a quarter, trackers that only
have last quarter's plans are summarised as last quarter. Its expected pace is the mean of
those trackers' own. A tracker showing another quarter is labelled with it and left out of
the company figures, which would otherwise mix two quarters.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from sheets_okr.lint.findings import Finding
from sheets_okr.model.outcome import Outcome
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Health
from sheets_okr.score.scorecard import health, pace
from sheets_okr.score.scored import ScoredTracker
from sheets_okr.score.settings import DEFAULT_SCORING, ScoringSettings
from sheets_okr.summary.digest import Digest, KrLine, Limits, build_digest

MESSAGE_LIMIT = 300  # characters of a failure message the summary shows
# How much of each tracker's section the email shows, most first; a long run of big plans
# steps down until the email fits Gmail's clip: whole sections, then only what needs
# attention, then only the company view.
DETAIL = ("full", "brief", "headline")


class TrackerOutcome(Protocol):
    """One tracker of a run as the summary needs it: how its sync ended, and what was read."""

    @property
    def name(self) -> str: ...
    @property
    def outcome(self) -> Outcome: ...
    @property
    def message(self) -> str: ...  # what happened, in one line
    @property
    def cells(self) -> str: ...  # the unreadable cells alone, when the message says more
    @property
    def scored(self) -> ScoredTracker | None: ...
    @property
    def findings(self) -> Sequence[Finding]: ...  # the plan checks of what was read


@dataclass(frozen=True)
class TrackerSection:
    """One tracker in the summary: its digest when it could be read, else why not."""

    name: str
    outcome: str  # ok, partial, problems or failed (model.outcome.Outcome)
    message: str  # the failure or the unreadable cells; "" when ok
    digest: Digest | None


@dataclass(frozen=True)
class Furthest:
    """Who is furthest behind the pace: a team of a tracker, or a tracker as a whole."""

    tracker: str
    team: str | None  # None: the tracker as a whole; "": its rows without a team
    score: float
    expected: float

    @property
    def gap(self) -> float:
        """How far behind the pace (negative: ahead)."""
        return self.expected - self.score


@dataclass(frozen=True)
class _Shown:
    name: str
    digest: Digest


@dataclass(frozen=True)
class CompanyDigest:
    """Everything the summary of several trackers shows for one as-of date."""

    as_of: dt.date
    quarter: str
    expected: float
    score: float | None
    health: str
    delta: float | None
    key_result_count: int
    at_risk: int
    off_track: int
    no_check_in: int
    trackers: tuple[TrackerSection, ...]
    detail: str = DETAIL[0]

    @property
    def failed(self) -> int:
        """How many trackers did not sync: an error, or unreadable cells that stopped it."""
        return sum(not Outcome(t.outcome).synced for t in self.trackers)

    @property
    def synced(self) -> int:
        """How many trackers synced, those with unreadable cells left out included."""
        return len(self.trackers) - self.failed

    @property
    def unreadable(self) -> int:
        """How many trackers synced with unreadable cells left out (allow_problems)."""
        return sum(t.outcome == Outcome.PARTIAL for t in self.trackers)

    @property
    def quarter_start(self) -> dt.date:
        """The first day of the company's quarter."""
        return self._span()[0]

    @property
    def quarter_end(self) -> dt.date:
        """The last day of the company's quarter."""
        return self._span()[1]

    def _span(self) -> tuple[dt.date, dt.date]:
        for t in self.trackers:
            if t.digest is not None and t.digest.quarter == self.quarter:
                return t.digest.quarter_start, t.digest.quarter_end
        quarter = Quarter.parse(self.quarter) or Quarter.containing(self.as_of)
        return quarter.start(), quarter.end()

    @property
    def since(self) -> dt.date | None:
        """The date the change is counted from, when every key result of every tracker of
        the company's quarter last checked in before the as-of date on the same day; None
        when they differ ("since the last check-ins")."""
        days = {day for t in self._in_quarter() for day in t.digest.baselines}
        return days.pop() if len(days) == 1 else None

    @property
    def furthest(self) -> Furthest | None:
        """The team furthest behind its pace company-wide when any tracker has several teams
        (else the tracker furthest behind), of the company's quarter; None when there are
        not two to compare, or when none is behind."""
        shown = [t for t in self._in_quarter() if t.digest.score is not None]
        found: list[Furthest] = []
        by_team = any(len(t.digest.teams) > 1 for t in shown)
        for t in shown:
            if by_team:
                found += [Furthest(t.name, team or "", score, t.digest.expected)
                          for team, score, _, _ in t.digest.teams if score is not None]  # fmt: skip
            else:
                found.append(Furthest(t.name, None, t.digest.score or 0.0, t.digest.expected))
        worst = max(found, key=lambda f: f.gap, default=None)
        return worst if len(found) > 1 and worst is not None and worst.gap > 5e-3 else None

    def _in_quarter(self) -> list[_Shown]:
        return [_Shown(t.name, t.digest) for t in self.trackers
                if t.digest is not None and t.digest.quarter == self.quarter]  # fmt: skip

    @property
    def behind(self) -> tuple[str, KrLine] | None:
        """The key result furthest behind the pace in any tracker of the company's quarter,
        with its tracker's name."""
        found = [(t.name, t.digest.behind) for t in self.trackers
                 if t.digest is not None and t.digest.quarter == self.quarter
                 and t.digest.behind is not None]  # fmt: skip
        return max(found, key=lambda pair: pair[1].gap, default=None)

    @property
    def other_quarter(self) -> int:
        """How many trackers show another quarter than the company's (not in its figures)."""
        return sum(t.digest is not None and t.digest.quarter != self.quarter
                   for t in self.trackers)  # fmt: skip


def build_company(
    trackers: Sequence[TrackerOutcome],
    as_of: dt.date,
    settings: ScoringSettings = DEFAULT_SCORING,
    *,
    limits: Limits | None = None,
    detail: str = DETAIL[0],
) -> CompanyDigest:
    """The company view of a run's trackers at the as-of date."""
    limits = limits or Limits()
    sections = tuple(_section(run, limits) for run in trackers)
    shown = [s.digest for s in sections if s.digest is not None]
    month = settings.fiscal_year_start_month
    quarter = _company_quarter(shown, as_of, month)
    digests = [d for d in shown if d.quarter == quarter]
    scores = [d.score for d in digests if d.score is not None]
    score = sum(scores) / len(scores) if scores else None
    earlier = [d.score - d.delta for d in digests if d.score is not None and d.delta is not None]
    delta = score - sum(earlier) / len(earlier) if score is not None and len(earlier) == len(
        scores) else None  # fmt: skip
    paced = [d for d in digests if d.score is not None] or digests  # as the score is
    if paced:
        expected = sum(d.expected for d in paced) / len(paced)
    else:
        expected = pace(Quarter.containing(as_of, month), as_of, month)
    return CompanyDigest(
        as_of=as_of,
        quarter=quarter,
        expected=expected,
        score=score,
        health=_health(score, expected, settings),
        delta=delta,
        key_result_count=sum(d.key_result_count for d in digests),
        at_risk=sum(d.at_risk for d in digests),
        off_track=sum(d.off_track for d in digests),
        no_check_in=sum(d.no_check_in for d in digests),
        trackers=sections,
        detail=detail,
    )


def _company_quarter(digests: Sequence[Digest], as_of: dt.date, month: int) -> str:
    """The quarter most trackers show (on a tie, the latest); the as-of date's if none."""
    if not digests:
        return str(Quarter.containing(as_of, month))
    counts = Counter(d.quarter for d in digests)
    return max(counts, key=lambda quarter: (counts[quarter], quarter))


def _section(run: TrackerOutcome, limits: Limits) -> TrackerSection:
    message = (run.cells or run.message) if run.outcome is not Outcome.OK else ""
    if len(message) > MESSAGE_LIMIT:
        message = message[: MESSAGE_LIMIT - 1] + "…"
    scored = run.scored
    if scored is None or run.outcome is Outcome.FAILED:
        return TrackerSection(run.name, run.outcome.value, message, None)
    digest = build_digest(
        scored.tracker, scored.card, history=scored.history, findings=run.findings,
        source=scored.source, limits=limits,
    )  # fmt: skip
    return TrackerSection(run.name, run.outcome.value, message, digest)


def _health(score: float | None, expected: float, settings: ScoringSettings) -> str:
    if score is None:
        return Health.NO_DATA.value
    values = health(pd.Series([score]), pd.Series([expected]), pd.Series([True]),
                    settings)  # fmt: skip
    return str(values.iloc[0])

"""The summary of a whole run: a company view of every tracker, then each tracker's section.

Plain data like digest.py, built from a RunReport. Each tracker that could be read gets its
own Digest; a tracker that failed is kept with its error, so the summary says so. The
company score is the plain mean of the trackers' quarter scores: each tracker is one team's
plan, scored on its own; weighting them by size would let the largest plan drown the rest.

The company quarter is the one most trackers show (each shows the quarter of the as-of date,
or its latest one), not the as-of date's: in the first days of a quarter, trackers that only
have last quarter's plans are summarised as last quarter. Its expected pace is the mean of
those trackers' own. A tracker showing another quarter is labelled with it and left out of
the company figures, which would otherwise mix two quarters.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from sheets_okr.config import ScoringConfig
from sheets_okr.digest import Digest, Limits, build_digest
from sheets_okr.findings import Finding
from sheets_okr.lint import lint_tracker
from sheets_okr.mail import html_size_as_sent
from sheets_okr.model import Health
from sheets_okr.quarters import Quarter
from sheets_okr.render import Rendered, render_company
from sheets_okr.runner import Outcome, RunReport, TrackerRun
from sheets_okr.scoring import health, pace
from sheets_okr.summary import EMAIL_HTML_BUDGET

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 300  # characters of a failure message the summary shows
# How much of each tracker's section the email shows, most first; a long run of big plans
# steps down until the email fits Gmail's clip: whole sections, then only what needs
# attention, then only the company view.
DETAIL = ("full", "brief", "headline")


@dataclass(frozen=True)
class TrackerSection:
    """One tracker in the summary: its digest when it could be read, else why not."""

    name: str
    outcome: str  # ok, partial, problems or failed (runner.Outcome)
    message: str  # the failure or the unreadable cells; "" when ok
    digest: Digest | None


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
    def other_quarter(self) -> int:
        """How many trackers show another quarter than the company's (not in its figures)."""
        return sum(t.digest is not None and t.digest.quarter != self.quarter
                   for t in self.trackers)  # fmt: skip


def build_company(
    report: RunReport,
    scoring: ScoringConfig,
    *,
    limits: Limits | None = None,
    findings: dict[str, Sequence[Finding]] | None = None,
    detail: str = DETAIL[0],
) -> CompanyDigest:
    """The company view of a run; `findings` (by tracker name) saves linting again."""
    limits = limits or Limits()
    found = findings if findings is not None else plan_findings(report, scoring)
    sections = tuple(_section(run, limits, found.get(run.name, ())) for run in report.trackers)
    shown = [s.digest for s in sections if s.digest is not None]
    quarter = _company_quarter(shown, report.as_of, scoring)
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
        expected = pace(Quarter.containing(report.as_of, scoring.fiscal_year_start),
                        report.as_of, scoring.fiscal_year_start)  # fmt: skip
    return CompanyDigest(
        as_of=report.as_of,
        quarter=quarter,
        expected=expected,
        score=score,
        health=_health(score, expected, scoring),
        delta=delta,
        key_result_count=sum(d.key_result_count for d in digests),
        at_risk=sum(d.at_risk for d in digests),
        off_track=sum(d.off_track for d in digests),
        no_check_in=sum(d.no_check_in for d in digests),
        trackers=sections,
        detail=detail,
    )


def _company_quarter(digests: Sequence[Digest], as_of: dt.date, scoring: ScoringConfig) -> str:
    """The quarter most trackers show (on a tie, the latest); the as-of date's if none."""
    if not digests:
        return str(Quarter.containing(as_of, scoring.fiscal_year_start))
    counts = Counter(d.quarter for d in digests)
    return max(counts, key=lambda quarter: (counts[quarter], quarter))


def plan_findings(report: RunReport, scoring: ScoringConfig) -> dict[str, list[Finding]]:
    """The plan checks of every tracker that could be read, by tracker name."""
    found: dict[str, list[Finding]] = {}
    for run in report.trackers:
        scored = run.scored
        if scored is not None:
            found[run.name] = lint_tracker(
                scored.tracker, scored.card, history=scored.history, settings=scoring.lint
            )
    return found


def _section(run: TrackerRun, limits: Limits, findings: Sequence[Finding]) -> TrackerSection:
    message = (run.cells or run.message) if run.outcome is not Outcome.OK else ""
    if len(message) > MESSAGE_LIMIT:
        message = message[: MESSAGE_LIMIT - 1] + "…"
    scored = run.scored
    if scored is None or run.outcome is Outcome.FAILED:
        return TrackerSection(run.name, run.outcome.value, message, None)
    digest = build_digest(
        scored.tracker, scored.card, history=scored.history, findings=findings,
        source=scored.source, limits=limits,
    )  # fmt: skip
    return TrackerSection(run.name, run.outcome.value, message, digest)


def _health(score: float | None, expected: float, scoring: ScoringConfig) -> str:
    if score is None:
        return Health.NO_DATA.value
    values = health(pd.Series([score]), pd.Series([expected]), pd.Series([True]),
                    scoring.settings)  # fmt: skip
    return str(values.iloc[0])


def summarize_run(
    report: RunReport,
    scoring: ScoringConfig,
    *,
    lang: str = "en",
    subject: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[CompanyDigest, Rendered]:
    """Render the run's summary, shortening it until the email fits (see DETAIL).

    `now` dates it ("generated"): pass it on the configured time zone's clock.
    """
    found: dict[str, Sequence[Finding]] = dict(plan_findings(report, scoring))
    for detail in DETAIL:
        limits: Limits | None = Limits()
        while limits is not None:
            company = build_company(report, scoring, limits=limits, findings=found,
                                    detail=detail)  # fmt: skip
            rendered = render_company(company, lang, subject_template=subject, now=now)
            if html_size_as_sent(rendered.html) <= EMAIL_HTML_BUDGET:
                return company, rendered
            limits = limits.smaller()
    log.warning("the summary of %d trackers is longer than Gmail shows unclipped",
                len(report.trackers))  # fmt: skip
    return company, rendered

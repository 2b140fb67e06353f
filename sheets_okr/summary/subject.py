"""Subject lines an executive reads in five seconds: one tracker's, and a whole run's.

A run's subject may be a template of the configuration ([email] subject) naming the
placeholders of SubjectValues; the configuration tries it on SUBJECT_SAMPLE when it is read.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sheets_okr.summary.digest import Digest
from sheets_okr.summary.phrases import Phrases

if TYPE_CHECKING:
    from sheets_okr.summary.company import CompanyDigest


@dataclass(frozen=True)
class SubjectValues:
    """The placeholders of a run's subject: the quarter, the date and the score as text (the
    score already "55%"), the rest counts."""

    quarter: str
    as_of: str
    score: str
    trackers: int
    failed: int
    unreadable: int
    at_risk: int
    off_track: int
    no_check_in: int

    @classmethod
    def of(cls, company: CompanyDigest, phrases: Phrases) -> SubjectValues:
        """The values of a run's summary, in the reader's language."""
        return cls(
            quarter=company.quarter,
            as_of=phrases.date(company.as_of),
            score=phrases.percent(company.score),
            trackers=len(company.trackers),
            failed=company.failed,
            unreadable=company.unreadable,
            at_risk=company.at_risk,
            off_track=company.off_track,
            no_check_in=company.no_check_in,
        )

    def fill(self, template: str) -> str:
        """The template with these values, on one line."""
        return " ".join(template.format(**dataclasses.asdict(self)).split())


SUBJECT_FIELDS = tuple(field.name for field in dataclasses.fields(SubjectValues))
SUBJECT_SAMPLE = SubjectValues("2026-Q4", "Nov 30, 2026", "55%", 3, 1, 1, 2, 1, 0)


def subject(digest: Digest, phrases: Phrases) -> str:
    """The subject of one tracker's summary."""
    values = {
        "quarter": digest.quarter,
        "score": phrases.percent(digest.score),
        "delta": phrases.points(digest.delta),
        "at_risk": digest.at_risk,
        "off_track": digest.off_track,
        "no_check_in": digest.no_check_in,
    }
    line = phrases("subject" if digest.delta is not None else "subject_no_delta", **values)
    return " ".join(line.split())  # a title with a line break must not split the header


def company_subject(company: CompanyDigest, phrases: Phrases, template: str | None = None) -> str:
    """The subject of a run's summary: the configured template, or the language's own."""
    values = SubjectValues.of(company, phrases)
    if template is not None:  # tried when the configuration was read (config/notifications)
        return values.fill(template)
    if company.failed:
        key = "run_subject_failed"
    else:
        key = "run_subject_unreadable" if company.unreadable else "run_subject"
    return " ".join(phrases(key, **dataclasses.asdict(values)).split())

"""Subject lines an executive reads in five seconds, and the preheader beside them in the
inbox: one tracker's, and a whole run's. The subject says whose plan, the score against the
pace, the change and what is off track ("Marketing 2026-Q4: 55% vs 65% pace, +9.9, 2 off
track"); the preheader says what the subject does not: the key result (or tracker) furthest
behind and its owner, and who owes a check-in.

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


def _problems(phrases: Phrases, at_risk: int, off_track: int) -> str:
    """What is behind: "2 at risk, 2 off track" (off track always said, last); "nothing off
    track" when nothing is behind."""
    if not at_risk and not off_track:
        return phrases("all_on_pace")
    parts = [phrases("count_at_risk", count=at_risk)] if at_risk else []
    return ", ".join([*parts, phrases("count_off_track", count=off_track)])


def subject(digest: Digest, phrases: Phrases) -> str:
    """The subject of one tracker's summary."""
    values = {
        "name": _without_okr(digest.name or ""),
        "quarter": digest.quarter,
        "score": phrases.percent(digest.score),
        "expected": phrases.percent(digest.expected),
        "delta": phrases.points(digest.delta),
        "problems": _problems(phrases, digest.at_risk, digest.off_track),
    }
    line = phrases("subject" if digest.delta is not None else "subject_no_delta", **values)
    return " ".join(line.split())  # a title with a line break must not split the header


def _without_okr(name: str) -> str:
    """A plan's name without the word OKR, which the subject already starts with ("마케팅팀
    OKR" -> "마케팅팀"); "" for a plan with no name of its own (a Google Sheet's key)."""
    words = [w for w in name.split() if w.strip("()[]-_:·") not in ("OKR", "OKRs")]
    return " ".join(words)


def preheader(digest: Digest, phrases: Phrases) -> str:
    """The inbox's line under the subject: the key result furthest behind and its owner,
    and who owes a check-in."""
    parts = []
    kr = digest.behind
    if kr is not None:
        parts.append(phrases("preheader_behind", title=_short(kr.title),
                             owner=kr.owner or phrases("no_owner"),
                             score=phrases.percent(kr.score),
                             expected=phrases.percent(kr.expected)))  # fmt: skip
    elif digest.score is not None:
        parts.append(phrases("preheader_on_pace"))
    if digest.waiting:
        parts.append(phrases("waiting", owners=", ".join(digest.waiting)))
    return " ".join(" ".join(parts).split())


def _short(title: str, limit: int = 60) -> str:
    text = " ".join(title.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def company_subject(company: CompanyDigest, phrases: Phrases, template: str | None = None) -> str:
    """The subject of a run's summary: the configured template, or the language's own."""
    values = SubjectValues.of(company, phrases)
    if template is not None:  # tried when the configuration was read (config/notifications)
        return values.fill(template)
    if company.failed:
        key = "run_subject_failed"
    else:
        key = "run_subject_unreadable" if company.unreadable else "run_subject"
    problems = _problems(phrases, company.at_risk, company.off_track)
    summary = problems if company.delta is None else f"{phrases.points(company.delta)} · {problems}"
    line = phrases.plural(key, values.trackers, summary=summary,
                          expected=phrases.percent(company.expected),
                          **dataclasses.asdict(values))  # fmt: skip
    return " ".join(line.split())


def furthest_name(company: CompanyDigest, phrases: Phrases) -> str:
    """Who is furthest behind, as the summary names it: "Brand (Growth)" for a team of a
    tracker, the tracker's name when no tracker has several teams; "" when nobody is."""
    f = company.furthest
    if f is None:
        return ""
    if f.team is None:
        return f.tracker
    return phrases("team_of", team=f.team or phrases("team_none"), tracker=f.tracker)


def company_preheader(company: CompanyDigest, phrases: Phrases) -> str:
    """The run's preheader: who is furthest behind the pace (a team, else a tracker), and
    the key result furthest behind with its owner, of the company's quarter."""
    parts = []
    f = company.furthest
    if f is not None:
        name = _short(furthest_name(company, phrases), 50)
        parts.append(phrases("preheader_worst_tracker", name=name, score=phrases.percent(f.score),
                             expected=phrases.percent(f.expected)))  # fmt: skip
    if company.behind is not None:
        tracker, kr = company.behind
        parts.append(phrases("preheader_needs_help", title=_short(kr.title),
                             owner=kr.owner or phrases("no_owner"), tracker=_short(tracker, 40),
                             score=phrases.percent(kr.score),
                             expected=phrases.percent(kr.expected)))  # fmt: skip
    elif company.score is not None:
        parts.append(phrases("preheader_on_pace"))
    return " ".join(" ".join(parts).split())

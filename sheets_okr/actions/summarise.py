"""The leadership summary: of one source (`report`, `email`), or of a whole run (`run`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheets_okr.actions.lint import DEFAULT_CHECKS, LintOptions, lint_source
from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.trackers import RunReport
from sheets_okr.errors import UsageError
from sheets_okr.files import atomic_write
from sheets_okr.score.settings import ScoringSettings
from sheets_okr.summary.company import DETAIL, CompanyDigest, build_company
from sheets_okr.summary.digest import Digest, Limits, build_digest
from sheets_okr.summary.fit import fitted
from sheets_okr.summary.render import Rendered, render, render_company


def summarise(
    source: str, reading: ReadOptions, lang: str = "en", checks: LintOptions = DEFAULT_CHECKS
) -> tuple[Digest, Rendered]:
    """Read, score and check a source, and render its summary: the email short enough for
    Gmail, the page (Rendered.page) in full."""
    scored, findings = lint_source(source, reading, checks)

    def build(limits: Limits) -> Digest:
        return build_digest(
            scored.tracker, scored.card, history=scored.history, findings=findings,
            source=scored.source, limits=limits,
        )  # fmt: skip

    page = build(Limits.uncapped())  # the page shows everything; only the email is capped

    def make(limits: Limits, detail: str) -> tuple[Digest, Rendered]:
        digest = build(limits)
        return digest, render(digest, lang, page=page)

    return fitted(make, DETAIL[:1])  # one tracker's summary is always shown in full


def summarise_run(
    report: RunReport,
    settings: ScoringSettings,
    *,
    lang: str = "en",
    subject: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[CompanyDigest, Rendered]:
    """Render the run's summary, shortening the email until it fits (see DETAIL); the page
    keeps every tracker's section in full.

    `now` dates it ("generated"): pass it on the configured time zone's clock.
    """

    page = build_company(report.trackers, report.as_of, settings, limits=Limits.uncapped())

    def make(limits: Limits, detail: str) -> tuple[CompanyDigest, Rendered]:
        company = build_company(report.trackers, report.as_of, settings, limits=limits,
                                detail=detail)  # fmt: skip
        rendered = render_company(company, lang, subject_template=subject, page=page, now=now)
        return company, rendered

    count = len(report.trackers)
    too_long = f"the summary of {count} trackers is longer than Gmail shows unclipped"
    return fitted(make, DETAIL, too_long=too_long)


def write_report(rendered: Rendered, output: Path) -> None:
    """Write the self-contained page."""
    if output.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"{output}: the report is an .html file")
    atomic_write(output, lambda temporary: temporary.write_text(rendered.page, "utf-8"))

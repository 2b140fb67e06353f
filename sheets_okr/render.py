"""The summary as an HTML page, an email's HTML, its plain text and its subject (Jinja).

One environment renders every template; HTML templates are autoescaped, because every
title and name comes from a sheet that anybody with edit rights can type into.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from sheets_okr.chart import trend_alt, trend_png
from sheets_okr.digest import Digest, KrLine
from sheets_okr.i18n import Words
from sheets_okr.resources import templates_dir

if TYPE_CHECKING:
    from sheets_okr.company import CompanyDigest

FONTS = ("Arial, Helvetica, 'Apple SD Gothic Neo', 'Malgun Gothic', '맑은 고딕',"
         " 'Noto Sans CJK KR', sans-serif")  # fmt: skip


@cache
def environment() -> Environment:
    """The Jinja environment: templates/ folder, HTML autoescaped, undefined names fail."""
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        # select_autoescape matches the last extension only; list the .j2 spelling too.
        autoescape=select_autoescape(["html", "html.j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["oneline"] = oneline
    return env


def oneline(text: object) -> str:
    """Text from a cell on one line: a line break typed in a title must not break a list."""
    return " ".join(str(text).split())


def safe_url(url: str) -> str | None:
    """A link taken from a sheet, only when it is http(s) (never javascript: or data:)."""
    text = url.strip()
    return text if text.lower().startswith(("https://", "http://")) else None


@dataclass(frozen=True)
class Rendered:
    """Everything an email or page needs, rendered once."""

    subject: str
    text: str
    html: str  # email HTML with the chart as cid:CHART_CID, CSS inlined
    page: str  # self-contained page with the chart inlined
    chart_png: bytes


CHART_CID_PLACEHOLDER = "sheets-okr-chart"


def subject(digest: Digest, words: Words) -> str:
    """A subject line an executive reads in five seconds."""
    values = {
        "quarter": digest.quarter,
        "score": words.percent(digest.score),
        "delta": words.points(digest.delta),
        "at_risk": digest.at_risk,
        "off_track": digest.off_track,
        "no_check_in": digest.no_check_in,
    }
    line = words("subject" if digest.delta is not None else "subject_no_delta", **values)
    return " ".join(line.split())  # a title with a line break must not split the header


def render(digest: Digest, lang: str = "en", *, now: dt.datetime | None = None) -> Rendered:
    """Render the page, the email HTML, the plain text and the subject of a digest."""
    words = Words(lang)
    chart = trend_png(digest, words)
    generated = words.date((now or dt.datetime.now()).date())
    context: dict[str, Any] = {
        "d": digest,
        "t": words,
        "lang": lang,
        "fonts": Markup(FONTS),  # our own constant, quoted for CSS: not to be escaped
        "subject": subject(digest, words),
        "generated": generated,
        "chart_alt": trend_alt(digest, words),
        "source_url": safe_url(digest.source),
        "figures": lambda kr: figures(kr, words),
    }
    env = environment()
    preheader = context["subject"]
    email_html = env.get_template("email.html.j2").render(
        context, chart_src=f"cid:{CHART_CID_PLACEHOLDER}", preheader=preheader
    )
    data_uri = "data:image/png;base64," + base64.b64encode(chart).decode()
    page = env.get_template("report.html.j2").render(context, chart_src=data_uri)
    text = env.get_template("email.txt.j2").render(context)
    inliner = css_inline.CSSInliner(
        keep_at_rules=True, minify_css=True, load_remote_stylesheets=False
    )
    return Rendered(context["subject"], text, inliner.inline(email_html), page, chart)


def figures(kr: KrLine, words: Words) -> str:
    """From X to Y, now Z, in the KR's unit."""
    if kr.target is None:
        return words("milestone_done" if kr.score >= 1 else "milestone_open")
    start, target = words.number(kr.start, kr.unit), words.number(kr.target, kr.unit)
    if kr.current is None:
        return words("no_current", start=start, target=target)
    return words("from_to", start=start, target=target, current=words.number(kr.current, kr.unit))


def company_subject(company: CompanyDigest, words: Words, template: str | None = None) -> str:
    """The subject of a run's summary: the configured template, or the language's own."""
    values = {
        "quarter": company.quarter,
        "as_of": words.date(company.as_of),
        "score": words.percent(company.score),
        "trackers": len(company.trackers),
        "failed": company.failed,
        "unreadable": company.unreadable,
        "at_risk": company.at_risk,
        "off_track": company.off_track,
        "no_check_in": company.no_check_in,
    }
    if template is not None:  # checked when the configuration was read (config_email)
        line = template.format(**values)
    elif company.failed:
        line = words("run_subject_failed", **values)
    else:
        line = words("run_subject_unreadable" if company.unreadable else "run_subject", **values)
    return " ".join(line.split())


def render_company(
    company: CompanyDigest,
    lang: str = "en",
    *,
    subject_template: str | None = None,
    now: dt.datetime | None = None,
) -> Rendered:
    """Render the summary of several trackers: page, email HTML, plain text and subject.

    It has no chart (each tracker's bar says where it stands), so `chart_png` is empty.
    """
    words = Words(lang)
    context: dict[str, Any] = {
        "c": company,
        "t": words,
        "lang": lang,
        "fonts": Markup(FONTS),
        "subject": company_subject(company, words, subject_template),
        "generated": words.date((now or dt.datetime.now()).date()),
        "safe_url": safe_url,
        "figures": lambda kr: figures(kr, words),
        "content": "_company.html.j2",
        "chart_src": "",
    }
    env = environment()
    email_html = env.get_template("email.html.j2").render(context, preheader=context["subject"])
    page = env.get_template("report.html.j2").render(context)
    text = env.get_template("company.txt.j2").render(context)
    inliner = css_inline.CSSInliner(
        keep_at_rules=True, minify_css=True, load_remote_stylesheets=False
    )
    return Rendered(context["subject"], text, inliner.inline(email_html), page, b"")

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
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_environment,
    select_autoescape,
)
from jinja2.filters import do_truncate
from markupsafe import Markup

from sheets_okr.resources import templates_dir
from sheets_okr.summary.chart import trend_alt, trend_png
from sheets_okr.summary.digest import Digest, KrLine
from sheets_okr.summary.phrases import Phrases
from sheets_okr.summary.subject import company_subject, subject

if TYPE_CHECKING:
    from sheets_okr.summary.company import CompanyDigest

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
    env.filters["truncate"] = truncate
    return env


@pass_environment
def truncate(env: Environment, text: object, *args: Any, **kwargs: Any) -> str:
    """Jinja's truncate for a value of any type: a cell that holds a date, a number or a
    boolean where a title is expected is shown as text, not a TypeError ending the report."""
    return do_truncate(env, text if isinstance(text, str) else str(text), *args, **kwargs)


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


def render(digest: Digest, lang: str = "en", *, now: dt.datetime | None = None) -> Rendered:
    """Render the page, the email HTML, the plain text and the subject of one tracker."""
    phrases = Phrases(lang)
    context = _context(phrases, subject(digest, phrases), now)
    context.update(d=digest, content="_tracker.html.j2", chart_alt=trend_alt(digest, phrases))
    context["source_url"] = safe_url(digest.source)
    return _rendered(context, "email.txt.j2", trend_png(digest, phrases))


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
    phrases = Phrases(lang)
    context = _context(phrases, company_subject(company, phrases, subject_template), now)
    context.update(c=company, content="_company.html.j2")
    return _rendered(context, "company.txt.j2", b"")


def _context(phrases: Phrases, subject_line: str, now: dt.datetime | None) -> dict[str, Any]:
    """What every template is given: the language's phrases, the subject, the date."""
    return {
        "t": phrases,
        "lang": phrases.lang,
        "fonts": Markup(FONTS),  # our own constant, quoted for CSS: not to be escaped
        "subject": subject_line,
        "generated": phrases.date((now or dt.datetime.now()).date()),
        "safe_url": safe_url,
        "figures": lambda kr: figures(kr, phrases),
    }


def _rendered(context: dict[str, Any], text_template: str, chart: bytes) -> Rendered:
    """The email (chart by CID, CSS inlined), the page (chart inlined) and the plain text."""
    env = environment()
    cid = f"cid:{CHART_CID_PLACEHOLDER}" if chart else ""
    email_html = env.get_template("email.html.j2").render(
        context, chart_src=cid, preheader=context["subject"]
    )
    data_uri = "data:image/png;base64," + base64.b64encode(chart).decode() if chart else ""
    page = env.get_template("report.html.j2").render(context, chart_src=data_uri)
    text = env.get_template(text_template).render(context)
    return Rendered(context["subject"], text, _inliner().inline(email_html), page, chart)


@cache
def _inliner() -> css_inline.CSSInliner:
    return css_inline.CSSInliner(keep_at_rules=True, minify_css=True, load_remote_stylesheets=False)


def figures(kr: KrLine, phrases: Phrases) -> str:
    """From X to Y, now Z, in the KR's unit."""
    if kr.target is None:
        return phrases("milestone_done" if kr.score >= 1 else "milestone_open")
    start, target = phrases.number(kr.start, kr.unit), phrases.number(kr.target, kr.unit)
    if kr.current is None:
        return phrases("no_current", start=start, target=target)
    current = phrases.number(kr.current, kr.unit)
    return phrases("from_to", start=start, target=target, current=current)

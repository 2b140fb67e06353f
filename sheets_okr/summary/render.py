"""The summary as an HTML page, an email's HTML, its plain text and its subject (Jinja).

One environment renders every template; HTML templates are autoescaped, because every
title and name comes from a sheet that anybody with edit rights can type into.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
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

from sheets_okr.model.figures import shown_figures
from sheets_okr.resources import templates_dir
from sheets_okr.summary.chart import (
    chart_lines,
    company_alt,
    company_lines,
    company_png,
    trend_alt,
    trend_png,
)
from sheets_okr.summary.digest import Digest, KrLine, source_url
from sheets_okr.summary.phrases import Phrases
from sheets_okr.summary.subject import (
    company_preheader,
    company_subject,
    furthest_name,
    preheader,
    subject,
)

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


def nb(text: object) -> str:
    """Text that must not break across lines (a number and its unit, a date): its spaces
    made non-breaking. (Not a nowrap span: tags inside a sentence would split its words
    for anything that reads the HTML's text.)"""
    return str(text).replace(" ", "\u00a0")


def plain(text: object) -> str:
    """Text as it is: for the plain-text part, where the mail client wraps."""
    return str(text)


def source_name(source: str) -> str:
    """How the footer names the tracker: a file by its name, never the server's path; a
    Sheet's address as it is, gsheet:KEY as its address (it is linked too)."""
    url = source_url(source)
    if url:
        return url
    return source.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Rendered:
    """Everything an email or page needs, rendered once."""

    subject: str
    text: str
    html: str  # email HTML with the chart as cid:CHART_CID, CSS inlined
    page: str  # self-contained page with the chart inlined
    chart_png: bytes


CHART_CID_PLACEHOLDER = "sheets-okr-chart"


def render(
    digest: Digest,
    lang: str = "en",
    *,
    page: Digest | None = None,
    now: dt.datetime | None = None,
) -> Rendered:
    """Render the email HTML, the plain text and the subject of one tracker's (capped)
    digest, and the page of `page`, its uncapped twin (the digest itself when not given)."""
    phrases = Phrases(lang)
    png = trend_png(digest, phrases)
    email_context = _tracker_context(digest, phrases, now)
    page_context = _tracker_context(page or digest, phrases, now)
    return _rendered(email_context, page_context, "email.txt.j2", png)


def _tracker_context(digest: Digest, phrases: Phrases, now: dt.datetime | None) -> dict[str, Any]:
    context = _context(phrases, subject(digest, phrases), preheader(digest, phrases), now)
    url = source_url(digest.source)
    context.update(d=digest, content="_tracker.html.j2", chart_alt=trend_alt(digest, phrases),
                   chart_lines=chart_lines(digest, phrases), source_url=url, more_url=url,
                   source_name=source_name(digest.source))  # fmt: skip
    return context


def render_company(
    company: CompanyDigest,
    lang: str = "en",
    *,
    subject_template: str | None = None,
    page: CompanyDigest | None = None,
    now: dt.datetime | None = None,
) -> Rendered:
    """Render the summary of several trackers: email HTML, plain text and subject of
    `company`, and the page of `page`, its uncapped, fully detailed twin.

    Its chart has a line per tracker; before two dates there is none, and `chart_png` is
    empty.
    """
    phrases = Phrases(lang)

    def context_of(of: CompanyDigest) -> dict[str, Any]:
        line = company_subject(of, phrases, subject_template)
        context = _context(phrases, line, company_preheader(of, phrases), now)
        context.update(c=of, content="_company.html.j2", more_url=None,
                       furthest_name=furthest_name(of, phrases),
                       chart_lines=company_lines(of, phrases),
                       chart_alt=company_alt(of, phrases))  # fmt: skip
        return context

    png = company_png(company, phrases)
    return _rendered(context_of(company), context_of(page or company), "company.txt.j2", png)


def _context(
    phrases: Phrases, subject_line: str, preheader_line: str, now: dt.datetime | None
) -> dict[str, Any]:
    """What every template is given: the language's phrases, the subject, the date."""
    return {
        "t": phrases,
        "lang": phrases.lang,
        "fonts": Markup(FONTS),  # our own constant, quoted for CSS: not to be escaped
        "subject": subject_line,
        "preheader": preheader_line,
        "generated": phrases.date((now or dt.datetime.now()).date()),
        "safe_url": safe_url,
        "source_name": source_name,
        "link_of": source_url,  # where a tracker of the run opens
        "figures": lambda kr: figures(kr, phrases, nb),
        "nb": nb,
        # Korean breaks between words, never inside one, in either language (a Korean name
        # in an English email too); a long link may still break.
        "wrap": Markup("word-break:keep-all;overflow-wrap:anywhere;"),
    }


def _rendered(
    email: dict[str, Any], page: dict[str, Any], text_template: str, chart: bytes
) -> Rendered:
    """The email (chart by CID, CSS inlined), the page (chart inlined) and the plain text."""
    env = environment()
    cid = f"cid:{CHART_CID_PLACEHOLDER}" if chart else ""
    email_html = env.get_template("email.html.j2").render(email, chart_src=cid)
    data_uri = "data:image/png;base64," + base64.b64encode(chart).decode() if chart else ""
    page_html = env.get_template("report.html.j2").render(page, chart_src=data_uri)
    phrases = email["t"]
    text = env.get_template(text_template).render(
        email, chart_src=cid, figures=lambda kr: figures(kr, phrases)
    )
    return Rendered(email["subject"], text, _inliner().inline(email_html), page_html, chart)


@cache
def _inliner() -> css_inline.CSSInliner:
    return css_inline.CSSInliner(keep_at_rules=True, minify_css=True, load_remote_stylesheets=False)


_PREFIXED = frozenset({"$", "€", "£", "¥", "₩", "₹"})


def figures(kr: KrLine, phrases: Phrases, keep: Callable[[object], str] = plain) -> str:
    """From X to Y, now Z: the unit said once, on the target (a currency sign and % on each
    figure), kept with its number by `keep` (nb in HTML); in Korean with the particle the
    target takes."""
    if kr.target is None:
        return phrases("milestone_done" if kr.score >= 1 else "milestone_open")
    shown = shown_figures(kr.unit, kr.title, (kr.start, kr.target, kr.current))  # 0.02 -> 2%
    unit = shown.unit
    each = unit if unit in _PREFIXED or unit in ("%", "‰") else None
    if phrases.lang == "ko" and unit and (len(unit) <= 2 or unit in ("원", "₩")):
        each = unit  # 1,300명에서 1,500명으로
    target_text = phrases.number(shown(kr.target), unit)
    to = phrases.to(target_text)
    start, target = keep(phrases.number(shown(kr.start), each)), keep(target_text)
    current = None if kr.current is None else keep(phrases.number(shown(kr.current), each))
    if current is None:
        return phrases("no_current", start=start, target=target, to=to)
    return phrases("from_to", start=start, target=target, current=current, to=to)

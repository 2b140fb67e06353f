"""A reminder as an email: HTML in the summary's look and plain text, in the owner's language.

The fixed text is the [remind] table of templates/i18n/LANG.toml; numbers and dates are the
summary's (summary/phrases.py). The HTML template is autoescaped by the summary's Jinja
environment: every title comes from a sheet anybody with edit rights can type into.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from markupsafe import Markup

from sheets_okr.a1 import quote_tab
from sheets_okr.model.figures import shown_figures
from sheets_okr.remind.select import KrToUpdate, Reason, Reminder
from sheets_okr.resources import templates_dir
from sheets_okr.summary.phrases import Phrases
from sheets_okr.summary.render import FONTS, Rendered, environment

# Pill colours of the reasons, from the summary's palette (_macros.html.j2).
REASON_COLOURS = {Reason.NO_CHECK_IN: "#4B5563", Reason.STALE: "#B45309",
                  Reason.DUE_SOON: "#B91C1C", Reason.OVERDUE: "#B91C1C"}  # fmt: skip


@cache
def _catalogue(lang: str) -> dict[str, str]:
    text = (templates_dir() / "i18n" / f"{lang}.toml").read_text("utf-8")
    return {k: str(v) for k, v in tomllib.loads(text)["remind"].items()}


@dataclass(frozen=True)
class RemindPhrases:
    """The reminder's fixed text in one language, with the summary's number formats."""

    lang: str

    @property
    def numbers(self) -> Phrases:
        """The summary's phrases: numbers, dates."""
        return Phrases(self.lang)

    def __call__(self, key: str, **values: object) -> str:
        """The fixed text `key`, with {placeholders} filled in."""
        return _catalogue(self.lang)[key].format(**values)

    def date(self, value: dt.date) -> str:
        """A date as the summary writes it: Dec 3, 2026 / 2026년 12월 3일."""
        return self.numbers.date(value)

    def greeting(self, reminder: Reminder) -> str:
        """Hi Lee, / Hi Lee and Kim, / Hi, (an owner known by address only)."""
        names = reminder.greeted
        if not names:
            return self("greeting_nameless")
        if self.lang == "ko":
            return self("greeting", name="님, ".join(names))
        joined = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        return self("greeting", name=joined)

    def reason(self, item: KrToUpdate, reason: Reason) -> str:
        """Why the key result is listed: no check-in yet, unchanged, due on a day."""
        due = self.date(item.due) if item.due is not None else ""
        return self(f"reason_{reason.value}", syncs=item.stale_syncs, date=due)

    def figures(self, item: KrToUpdate) -> str:
        """Now X · target Y, in the key result's unit."""
        if item.target is None:
            return self("milestone")
        shown = shown_figures(item.unit, item.title, (item.start, item.target, item.current))
        target = self.numbers.number(shown(item.target), shown.unit)  # 0.05 under % -> 5%
        if item.current is None:
            return self("figures_no_current", target=target)
        current = self.numbers.number(shown(item.current), self.each(shown.unit))
        return self("figures", current=current, target=target)

    def each(self, unit: str | None) -> str | None:
        """The unit said on every figure, as the summary's figures do: one written onto its
        number by Phrases.number ($5, 5%, 5명); a word (4 case studies) only on the target."""
        bare = self.numbers.number(0)
        return unit if unit and self.numbers.number(0, unit) != f"{bare} {unit}" else None

    def cell(self, item: KrToUpdate) -> str:
        """The cell to edit, as a formula names it: 'Q4 2026'!H5."""
        return f"{quote_tab(item.tab)}!{item.cell}" if item.cell else quote_tab(item.tab)

    def edit(self, item: KrToUpdate) -> str:
        """What to do: update a cell, or add a row to the check-in log tab."""
        if item.log:
            return self("edit_log", tab=quote_tab(item.tab), id=item.id)
        return self("edit", cell=self.cell(item))


def subject(reminder: Reminder) -> str:
    """The reminder's subject line."""
    t = RemindPhrases(reminder.lang)
    count = len(reminder.items)
    return t("subject_one") if count == 1 else t("subject_many", count=count)


def render_reminder(reminder: Reminder, as_of: dt.date) -> Rendered:
    """The reminder's subject, plain text and email HTML (no chart, no page)."""
    t = RemindPhrases(reminder.lang)
    groups: dict[str, list[KrToUpdate]] = {}
    for item in reminder.items:
        groups.setdefault(item.tracker, []).append(item)
    count = len(reminder.items)
    context: dict[str, Any] = {
        "t": t,
        "lang": reminder.lang,
        "fonts": Markup(FONTS),  # our own constant, quoted for CSS: not to be escaped
        "subject": subject(reminder),
        "r": reminder,
        "groups": list(groups.items()),
        "intro": t("intro_one") if count == 1 else t("intro_many", count=count),
        "preheader": t("preheader_one") if count == 1 else t("preheader_many", count=count),
        "colours": {reason.value: colour for reason, colour in REASON_COLOURS.items()},
        "as_of": t.date(as_of),
    }
    env = environment()
    html = env.get_template("remind.html.j2").render(context)
    text = env.get_template("remind.txt.j2").render(context)
    return Rendered(context["subject"], text, html, "", b"")

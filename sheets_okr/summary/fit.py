"""Fitting a summary under Gmail's clip: shorter lists, then less detail, until it fits.

Gmail clips a message whose HTML passes about 102 KB as sent, hiding the rest behind a
link nobody clicks. The size is counted as the email carries it: quoted-printable turns
each Korean character into 9 bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from typing import TypeVar

from sheets_okr.summary.digest import Limits
from sheets_okr.summary.render import Rendered

log = logging.getLogger(__name__)

EMAIL_HTML_BUDGET = 90_000  # bytes of HTML as sent; a margin below Gmail's clip for headers
T = TypeVar("T")


def html_size_as_sent(html: str) -> int:
    """Bytes the HTML part takes in the message, in the transfer encoding the stdlib picks
    (quoted-printable turns each Korean character into 9 bytes)."""
    part = EmailMessage()
    part.set_content(html, subtype="html")
    return len(str(part.get_payload()))


def fitted(
    make: Callable[[Limits, str], tuple[T, Rendered]],
    details: Sequence[str],
    *,
    too_long: str | None = None,
) -> tuple[T, Rendered]:
    """The fullest summary whose email fits: `make` builds and renders one at a level of
    detail (most first) with lists capped by Limits; each level tries ever shorter lists.
    When nothing fits, the shortest is returned, and `too_long` is logged as a warning."""
    made: tuple[T, Rendered] | None = None
    for detail in details:
        limits: Limits | None = Limits()
        while limits is not None:
            made = make(limits, detail)
            if html_size_as_sent(made[1].html) <= EMAIL_HTML_BUDGET:
                return made
            limits = limits.smaller()  # a long plan: shorter lists, "and N more" says the rest
    assert made is not None, "at least one level of detail"
    if too_long:
        log.warning("%s", too_long)
    return made

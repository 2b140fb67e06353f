"""Who the owners are: a tracker's People tab (or the run's [people] table) as data.

An owner's name in an OKR row is matched to a person by `name_key` (case, width and runs of
spaces aside), never by a guess: a name that is not listed has no address.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """A name as it is matched: "  Lee  Min " and "lee min" are one person."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", name)).strip().casefold()


@dataclass(frozen=True)
class Person:
    """One person with an email address, and the language they read (None: unsaid)."""

    name: str
    email: str
    lang: str | None = None
    where: str = ""  # the People tab's cell, such as 'People'!A3; "": the configuration


@dataclass(frozen=True)
class People:
    """The people a tracker lists, and the rows of its People tab that could not be used."""

    entries: tuple[Person, ...] = ()
    # Rows that could not be used, each with its cell; never problems of the plan (they do
    # not hold up a sync).
    notes: tuple[str, ...] = ()
    tab: str | None = None  # the People tab read, if any
    # Names (name_key) listed with no usable address: twice with different addresses, or
    # with a cell that is not an address. Never looked up anywhere else.
    unusable: tuple[str, ...] = ()

    def find(self, name: str) -> Person | None:
        """The person of that name, if listed."""
        key = name_key(name)
        return next((p for p in self.entries if name_key(p.name) == key), None)

    def named(self, email: str) -> Person | None:
        """The person with that address, if listed."""
        key = email.casefold()
        return next((p for p in self.entries if p.email.casefold() == key), None)

    def lists_unusably(self, name: str) -> bool:
        """Whether the name is listed without a usable address (noted, never guessed)."""
        return name_key(name) in self.unusable


NO_PEOPLE = People()

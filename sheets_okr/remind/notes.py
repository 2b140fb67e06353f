"""What the reminders warn about a People tab: only the rows of people who have key results
to update in this run, each said once with the tracker whose tab holds the cell.

A People tab lists everybody; a bad cell in the row of someone with nothing to update holds
up nobody today, and saying it on every run would make a cron job mail on every run. The
notes are read/people.py's: a cell, then what is wrong with it (and whose row it is).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sheets_okr.model.people import People, Person, name_key

# read/people.py's notes: "'People'!C7: 'x' is not an email address ...; Lee is not reminded
# until it is one", "'People'!C9: Lee is listed again with another address (first at ...)".
# Anchored on the fixed words around the name: the quoted address before it may hold "; "
# (two addresses typed in one cell), the tab's name a "!".
_NOT_ADDRESS = re.compile(r"\(in ASCII\); (?P<name>.+) is not reminded until it is one$")
_LISTED_AGAIN = re.compile(
    r"^(?:'(?:[^']|'')*'|[^'!]*)![A-Z]{1,3}\d+: (?P<name>.+?) is listed again with another"
)
_ROW = re.compile(r"!\$?[A-Z]{1,3}\$?(?P<row>\d+)(?::|$)")


def _row(text: str) -> str | None:
    """The row of the first cell a note (or a Person's `where`) names."""
    found = _ROW.search(text)
    return found.group("row") if found else None


def people_notes(
    tracker: str, people: People, unusable: Collection[str], reminded: Collection[Person]
) -> list[str]:
    """The notes of `tracker`'s People tab worth saying in this run: about the name of an
    owner with key results to update (`unusable`, as name_key) or about the row of somebody
    reminded (a Language cell); a note of another form is kept. Each begins with the
    tracker: "Growth: 'People'!C7: ..."."""
    keys = {name_key(name) for name in unusable}
    rows = {_row(person.where) for person in reminded if person.where}
    kept: list[str] = []
    for note in people.notes:
        named = _NOT_ADDRESS.search(note) or _LISTED_AGAIN.match(note)
        if named is not None:
            if name_key(named.group("name")) in keys:
                kept.append(f"{tracker}: {note}")
        elif _row(note) is None or _row(note) in rows:
            kept.append(f"{tracker}: {note}")
    return kept


def shared(persons: list[Person]) -> str:
    """The warning of one address listed for several people: where, who, and what happens."""
    cells = ", ".join(p.where or f'[people] "{p.name}"' for p in persons)
    names = " and ".join(p.name for p in persons)
    return (
        f"{cells}: {names} share the address {persons[0].email}; one reminder goes to it,"
        " greeting them all (give each their own address if they are not one person)"
    )

"""The People tab: each owner's name and email address (and language), for the reminders.

A People tab is a tab named as one (People, Team, Owners, 구성원, 담당자, 명단 ...) that is not
an OKR tab, with a header row in its first rows naming a name column (Name, 이름, 성명 ...)
and an email column (Email, E-mail, 이메일 ...); a Language column (언어) is optional. Other
columns, blank rows and rows above the header are left alone. A row whose address is not
one, or a name listed twice with different addresses, is noted with its cell and left out:
an address is never guessed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection

from sheets_okr.a1 import cell_address, quote_tab
from sheets_okr.model.people import NO_PEOPLE, People, Person, name_key
from sheets_okr.read.columns import HEADER_SEARCH_ROWS, normalise
from sheets_okr.sources.grid import CellValue, SheetGrid, WorkbookGrid

log = logging.getLogger(__name__)
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")  # one label of a domain

# Tab titles (normalised) that name a list of people.
PEOPLE_TABS = ("people", "owners", "team", "teammembers", "members", "directory", "contacts",
               "roster", "staff", "employees", "emails", "addressbook", "사람", "사람들",
               "구성원", "담당자", "명단", "팀원", "인원", "직원", "연락처", "주소록",
               "이메일")  # fmt: skip
_NAME = {normalise(n) for n in ("Name", "Full name", "Person", "Owner", "이름", "성명",
                                "담당자", "성함")}  # fmt: skip
_EMAIL = {normalise(n) for n in ("Email", "E-mail", "Email address", "E-mail address", "Mail",
                                 "Work email", "Email (work)", "이메일", "이메일 주소", "메일",
                                 "전자우편")}  # fmt: skip
_LANG = {normalise(n) for n in ("Language", "Lang", "언어", "사용 언어")}
_LANGUAGES = {
    **dict.fromkeys(("en", "eng", "english", "영어"), "en"),
    **dict.fromkeys(("ko", "kor", "korean", "한국어", "한국말", "국문"), "ko"),
}


def is_people_title(title: str) -> bool:
    """Whether a tab's title names a list of people: People, Team members, 구성원 명단 ..."""
    text = normalise(title)
    return any(text == name or (len(name) > 2 and name in text) for name in PEOPLE_TABS)


def people_tab(grid: WorkbookGrid, skip: Collection[str] = ()) -> str | None:
    """The title of the workbook's People tab: the first tab titled as one (People, 구성원
    ...) with a Name and an Email header row; tabs in `skip` are never one."""
    for sheet in grid.sheets:
        if sheet.title in skip or not is_people_title(sheet.title):
            continue
        if _header(sheet) is not None:
            return sheet.title
        log.debug("tab %r has no Name and Email header row; not read as a People tab", sheet.title)
    return None


def read_people(grid: WorkbookGrid, skip: Collection[str] = (), only: str | None = None) -> People:
    """The people of the workbook's People tab (`only`, else the first found, tabs in `skip`
    aside). None found: no people."""
    title = only if only is not None else people_tab(grid, skip)
    for sheet in grid.sheets:
        header = _header(sheet) if sheet.title == title else None
        if header is not None:
            return _read(sheet, *header)
    return NO_PEOPLE


def _text(value: CellValue) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _header(sheet: SheetGrid) -> tuple[int, int, int, int | None] | None:
    """(header row, name column, email column, language column) of the first header row."""
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        names = [normalise(_text(value)) for value in row]
        name = next((i for i, text in enumerate(names) if text in _NAME), None)
        email = next((i for i, text in enumerate(names) if text in _EMAIL), None)
        if name is not None and email is not None:
            lang = next((i for i, text in enumerate(names) if text in _LANG), None)
            return index, name, email, lang
    return None


def is_address(text: str) -> bool:
    """One address as deliver/mail.py takes one (something, one @, a domain of dotted
    labels), in ASCII only (김민수@회사.kr cannot go in an SMTP envelope without SMTPUTF8);
    no spaces, commas, quotes or brackets."""
    if not text.isascii() or text.count("@") != 1 or len(text) > 254:
        return False
    if any(c.isspace() or ord(c) < 32 or c in ",;<>()[]\"'\\" for c in text):
        return False
    local, domain = text.split("@")
    labels = domain.split(".")
    return bool(local) and len(labels) >= 2 and all(_LABEL.fullmatch(label) for label in labels)


def _at(row: list[CellValue], column: int | None) -> CellValue:
    return row[column] if column is not None and column < len(row) else None


def _address(value: CellValue) -> str:
    text = _text(value)
    return text[len("mailto:") :] if text.lower().startswith("mailto:") else text


def _read(
    sheet: SheetGrid, header: int, name_at: int, email_at: int, lang_at: int | None
) -> People:
    tab = sheet.title
    found: dict[str, Person] = {}
    clashes: set[str] = set()
    notes: list[str] = []

    def cell(row: int, column: int) -> str:
        return f"{quote_tab(tab)}!{cell_address(row, column)}"

    for index in range(header + 1, len(sheet.rows)):
        row = sheet.rows[index]
        name, email = _text(_at(row, name_at)), _address(_at(row, email_at))
        if not name or not email:
            continue  # a blank row, a heading, or somebody without an address yet
        if not is_address(email):
            clashes.add(name_key(name))
            notes.append(f"{cell(index, email_at)}: {email!r} is not an email address (in"
                         f" ASCII); {name} is not reminded until it is one")  # fmt: skip
            continue
        lang_text = normalise(_text(_at(row, lang_at)))
        lang = _LANGUAGES.get(lang_text)
        if lang_text and lang is None:
            notes.append(f"{cell(index, lang_at or 0)}: {lang_text!r} is not a language sheets-okr"
                         " writes (English or 한국어); the tracker's is used")  # fmt: skip
        key = name_key(name)
        earlier = found.get(key)
        if earlier is None:
            found[key] = Person(name, email, lang, cell(index, name_at))
        elif earlier.email.casefold() != email.casefold():
            clashes.add(key)
            notes.append(f"{cell(index, email_at)}: {name} is listed again with another address"
                         f" (first at {earlier.where}); neither is used")  # fmt: skip
    people = tuple(person for key, person in found.items() if key not in clashes)
    log.debug("read %d people from tab %r", len(people), tab)
    return People(people, tuple(notes), tab, tuple(sorted(clashes)))

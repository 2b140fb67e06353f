"""Names as owners are matched: case, width and runs of spaces aside, never more."""

from __future__ import annotations

from sheets_okr.model.people import People, Person, name_key


def test_names_match_as_people_type_them() -> None:
    """Names "  Lee  Min ", "lee min" and full-width "Ｌｅｅ Min" are one; "Lee" is another."""
    assert name_key("  Lee  Min ") == name_key("lee min") == name_key("Ｌｅｅ Min")
    assert name_key("Lee") != name_key("Lee Min")


def test_find_gives_the_listed_person_or_none() -> None:
    """A listed name gives its person; an unlisted one gives None, never a near match."""
    people = People((Person("박지민", "jimin@example.com"), Person("Lee", "lee@example.com")))
    assert people.find(" 박지민 ") == people.entries[0]
    assert people.find("LEE") == people.entries[1]
    assert people.find("Le") is None


def test_a_person_is_found_by_address_and_unusable_names_are_known() -> None:
    """An address gives its listed person whatever its case; a name listed without a usable
    address is known as such, whatever its spacing."""
    people = People((Person("Lee", "lee@example.com"),), unusable=(name_key("Kim Min"),))
    assert people.named("LEE@example.com") == people.entries[0]
    assert people.named("kim@example.com") is None
    assert people.lists_unusably("  kim   min ")
    assert not people.lists_unusably("Lee")

"""Parsing and writing back one XML part of a workbook, with lxml.

lxml keeps what a round trip through the standard library loses: namespace prefixes and
declarations (`mc:Ignorable="x14ac xr"` names prefixes that must stay declared), comments
and processing instructions. The parser never fetches or expands anything (entities,
DTDs, network), and takes parts larger than libxml2's default limits (the archive check
has already bounded their size). Parts may use a prefix for the main namespace or the
Strict namespace, so elements are found by local name within the part's own namespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False, dtd_validation=False
)
# Below U+0020 only tab, line feed and carriage return are allowed in XML 1.0. In UTF-8 these
# bytes never occur inside a longer character, so they can be found in the raw bytes.
_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
# A formula element (<f>, <x:f>...) in a part's raw bytes: found without parsing the part.
FORMULA_TAG = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'  # as Excel writes it


def escape_forbidden(data: bytes) -> bytes:
    """A part's bytes with each control character XML forbids written as Excel does, _xHHHH_."""
    return _FORBIDDEN.sub(lambda match: b"_x%04X_" % match.group(0)[0], data)


@dataclass
class XmlPart:
    """A parsed part: its root element and the namespace its elements are in."""

    name: str
    root: etree._Element

    @property
    def namespace(self) -> str:
        """The namespace of the root element (the part's main namespace)."""
        return etree.QName(self.root).namespace or ""

    def tag(self, local: str) -> str:
        """The full tag of an element of the part's main namespace."""
        namespace = self.namespace
        return f"{{{namespace}}}{local}" if namespace else local

    def to_bytes(self) -> bytes:
        """The part as UTF-8 with the declaration Excel writes."""
        tree = etree.tostring(self.root.getroottree(), xml_declaration=False, encoding="UTF-8")
        return DECLARATION + tree


def parse_part(name: str, data: bytes) -> XmlPart:
    """Parse a part; control characters some programs write are read as Excel would.

    Raises etree.XMLSyntaxError when the part is not well-formed XML.
    """
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        if not _FORBIDDEN.search(data):
            raise
        root = etree.fromstring(escape_forbidden(data), _PARSER)
    return XmlPart(name, root)


def local_name(element: etree._Element) -> str:
    """An element's name without its namespace ("" for comments and the like)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def children(parent: etree._Element, name: str) -> list[etree._Element]:
    """The child elements of one local name, in order."""
    return [element for element in parent if local_name(element) == name]


def child(parent: etree._Element, name: str) -> etree._Element | None:
    """The first child element of a local name, or None."""
    return next((element for element in parent if local_name(element) == name), None)


def sub_element(parent: etree._Element, local: str, **attributes: str) -> etree._Element:
    """A new child in the parent's namespace (so it takes the parent's prefix)."""
    namespace = etree.QName(parent).namespace
    return etree.SubElement(parent, f"{{{namespace}}}{local}" if namespace else local, attributes)

"""Checking parts of an .xlsx package against the ECMA-376 Transitional XML schemas.

Excel's loader refuses a part that breaks its schema ("We found a problem with some
content..."). Excel is not at hand in tests, so the parts are validated with the published
schemas (tests/fixtures/ooxml_schemas, sources in SOURCES.md there) after the preprocessing
that ECMA-376 Part 3 (Markup Compatibility and Extensibility) prescribes for a consumer that
understands only the Transitional namespaces: elements and attributes of ignorable
namespaces go (or, for mc:ProcessContent, only their tags), `mc:AlternateContent` becomes
its `mc:Fallback` (Excel's `mc:Choice`s all require namespaces of its own), and `extLst` is
left as it is: the schema's `CT_Extension` takes any one element (`processContents="lax"`),
and an `ext` whose only child is in an ignorable namespace (x15 in workbook.xml) must keep it.
One deviation of Excel's from the schema is tolerated: `xml:space` on `<t>` (see `_element`).

Only worksheets, styles.xml, workbook.xml, [Content_Types].xml and relationship parts are
checked; Strict parts (http://purl.oclc.org/ooxml/...) are not. A check passed is not a
file Excel opens: the schema leaves out rules that Excel enforces, such as row numbers
(`r="0"` passes), cell references (`ST_CellRef` is any string), the order of rows and
cells, and whether an index into styles.xml exists.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, cast

from lxml import etree

SCHEMAS: Path = Path(__file__).resolve().parent.parent / "fixtures" / "ooxml_schemas"

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
STRICT = "http://purl.oclc.org/ooxml/"
_SPACE = f"{{{XML_NAMESPACE}}}space"

_SML = "sml.xsd"
# The SpreadsheetML roots checked, by local name.
_SML_ROOTS = frozenset({"worksheet", "styleSheet", "workbook"})
# Part names Excel gives them, and the root each must have.
_SML_PART = re.compile(r"xl/(?:worksheets/[^/]+\.xml|styles\.xml|workbook\.xml)")
_EXPECTED_ROOT = {"xl/styles.xml": "styleSheet", "xl/workbook.xml": "workbook"}

# Reading the parts: no DTD, no entities, no network.
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False
)


class _LogEntry(Protocol):
    """What lxml tells of one validation error (lxml-stubs leave _ErrorLog untyped)."""

    line: int
    message: str
    path: str


def validation_errors(part_name: str, data: bytes) -> list[str]:
    """Schema errors of one part of an .xlsx package (empty: valid), for the parts we can check:
    worksheets, styles.xml, workbook.xml, [Content_Types].xml and *.rels. Other parts: []."""
    name = part_name.lstrip("/")
    conventional = _SML_PART.fullmatch(name) is not None
    if name == "[Content_Types].xml":
        schema, expected = "opc-contentTypes.xsd", (CONTENT_TYPES, "Types")
    elif name.endswith(".rels"):
        schema, expected = "opc-relationships.xsd", (PACKAGE_RELATIONSHIPS, "Relationships")
    elif name.endswith(".xml"):
        schema, expected = _SML, None
    else:
        return []  # media, binary parts, VML
    try:
        tree = etree.ElementTree(etree.fromstring(data, _PARSER))
    except etree.XMLSyntaxError as error:
        if schema == _SML and not conventional:
            return []  # not a part this module checks
        return [f"{name}: not well-formed XML: {error}"]
    root = tree.getroot()
    qname = etree.QName(root)
    namespace = qname.namespace or ""
    if namespace.startswith(STRICT):
        return []
    if schema == _SML:
        if not conventional and (namespace != MAIN or qname.localname not in _SML_ROOTS):
            return []  # a part this module does not check (shared strings, drawings, ...)
        if conventional:
            expected = (MAIN, _EXPECTED_ROOT.get(name, "worksheet"))
    errors: list[str] = []
    dtd: etree.DTD | None = tree.docinfo.internalDTD  # None at run time when there is none
    if dtd is not None:
        # ISO/IEC 29500-2 (OPC): a consumer treats a DTD declaration in a part as an error.
        errors.append(f"{name}: has a DTD declaration (<!DOCTYPE {tree.docinfo.root_name}>)")
    if expected is not None and (namespace, qname.localname) != expected:
        errors.append(f"{name}: root is {root.tag}, expected {{{expected[0]}}}{expected[1]}")
    errors += _preprocess(name, root)
    validator = _schema(schema)
    if not validator.validate(tree):
        errors += [
            f"{name}:{entry.line}: {entry.message} (at {entry.path})"
            for entry in cast("Iterable[_LogEntry]", validator.error_log)
        ]
    return errors


@functools.cache
def _schema(file_name: str) -> etree.XMLSchema:
    """The compiled schema of one file of SCHEMAS (with what it imports), made once."""
    document = etree.parse(str(SCHEMAS / file_name), _PARSER)
    return etree.XMLSchema(document)


@functools.cache
def _understood() -> frozenset[str]:
    """The namespaces a Transitional-only consumer understands: the schemas' own, XML's, MC's."""
    namespaces = {XML_NAMESPACE, MC}
    for path in SCHEMAS.glob("*.xsd"):
        target = etree.parse(str(path), _PARSER).getroot().get("targetNamespace")
        if target:
            namespaces.add(target)
    return frozenset(namespaces)


# Markup Compatibility preprocessing (ECMA-376 Part 3, sections 10 and 13).

_Names = frozenset[tuple[str, str]]


def _preprocess(name: str, root: etree._Element) -> list[str]:
    """Rewrite `root` in place as a Transitional-only consumer sees it; MCE errors."""
    errors: list[str] = []
    _element(name, root, frozenset(), frozenset(), errors)
    return errors


def _element(
    name: str,
    element: etree._Element,
    ignorable: frozenset[str],
    process_content: _Names,
    errors: list[str],
) -> None:
    """Apply the compatibility rules to `element`, its attributes and its children."""
    ignorable, process_content = _rules(name, element, ignorable, process_content, errors)
    for attribute in list(element.attrib):
        namespace = etree.QName(attribute).namespace
        if namespace == MC or namespace in ignorable:
            del element.attrib[attribute]
    qname = etree.QName(element)
    if qname.namespace == MAIN and qname.localname == "t":
        # Excel writes <t xml:space="preserve"> (shared strings, rich text runs, inline
        # strings) though the schema gives `t` the simple type ST_Xstring, without attributes.
        # Tolerated there, and only with the two values XML 1.0 (2.10) defines.
        space = element.attrib.pop(_SPACE) if _SPACE in element.attrib else "preserve"
        if space not in ("preserve", "default"):
            errors.append(f"{name}:{element.sourceline}: xml:space={space!r} on <t>")
    elif qname.namespace == MAIN and qname.localname == "extLst":
        return  # extension lists are left alone: CT_Extension takes any content
    for node in list(element):
        _child(name, node, ignorable, process_content, errors)


def _child(
    name: str,
    node: etree._Element,
    ignorable: frozenset[str],
    process_content: _Names,
    errors: list[str],
) -> None:
    """Keep, drop or unwrap one child element, then process what stays."""
    if not isinstance(node.tag, str):
        return  # comments and processing instructions
    qname = etree.QName(node)
    namespace = qname.namespace or ""
    if namespace == MC and qname.localname == "AlternateContent":
        branch = _selected_branch(node)
        if branch is None:
            _replace(node, [])
            return
        inner_ignorable, inner_content = _rules(name, branch, ignorable, process_content, errors)
        for item in _replace(node, list(branch)):
            _child(name, item, inner_ignorable, inner_content, errors)
    elif namespace in ignorable:
        if {(namespace, qname.localname), (namespace, "*")} & process_content:
            for item in _replace(node, list(node)):
                _child(name, item, ignorable, process_content, errors)
        else:
            _replace(node, [])
    else:
        _element(name, node, ignorable, process_content, errors)


def _rules(
    name: str,
    element: etree._Element,
    ignorable: frozenset[str],
    process_content: _Names,
    errors: list[str],
) -> tuple[frozenset[str], _Names]:
    """The ignorable namespaces and ProcessContent names in effect at `element`."""
    understood = _understood()
    mc_ignorable = element.get(f"{{{MC}}}Ignorable")
    if mc_ignorable:
        declared = _namespaces(name, element, mc_ignorable.split(), errors)
        ignorable = ignorable | {uri for uri in declared if uri not in understood}
    must_understand = element.get(f"{{{MC}}}MustUnderstand")
    if must_understand:
        for uri in _namespaces(name, element, must_understand.split(), errors):
            if uri not in understood:
                errors.append(f"{name}:{element.sourceline}: mc:MustUnderstand names {uri}")
    mc_process = element.get(f"{{{MC}}}ProcessContent")
    if mc_process:
        names = set(process_content)
        for qualified in mc_process.split():
            prefix, _, local = qualified.partition(":")
            for uri in _namespaces(name, element, [prefix], errors):
                names.add((uri, local))
        process_content = frozenset(names)
    return ignorable, process_content


def _namespaces(
    name: str, element: etree._Element, prefixes: Iterable[str], errors: list[str]
) -> list[str]:
    """The namespaces `prefixes` stand for at `element`; an undeclared one is an error."""
    uris = []
    for prefix in prefixes:
        uri = element.nsmap.get(prefix)
        if uri is None:
            errors.append(f"{name}:{element.sourceline}: MC prefix {prefix!r} is not declared")
        else:
            uris.append(uri)
    return uris


def _selected_branch(alternate: etree._Element) -> etree._Element | None:
    """The first mc:Choice whose Requires are all understood, else mc:Fallback, else None."""
    understood = _understood()
    fallback = None
    for branch in alternate:
        if branch.tag == f"{{{MC}}}Choice":
            requires = (branch.get("Requires") or "").split()
            if requires and all(branch.nsmap.get(p) in understood for p in requires):
                return branch
        elif branch.tag == f"{{{MC}}}Fallback" and fallback is None:
            fallback = branch
    return fallback


def _replace(node: etree._Element, items: list[etree._Element]) -> list[etree._Element]:
    """Put `items` where `node` is, keeping the text around it; the items now in place."""
    parent = node.getparent()
    assert parent is not None, "the root element is never replaced"
    tail = node.tail
    index = parent.index(node)
    parent.remove(node)  # takes node.tail with it
    for offset, item in enumerate(items):
        parent.insert(index + offset, item)
    if tail:
        previous = parent[index + len(items) - 1] if index + len(items) > 0 else None
        if previous is None:
            parent.text = (parent.text or "") + tail
        else:
            previous.tail = (previous.tail or "") + tail
    return [item for item in items if isinstance(item.tag, str)]

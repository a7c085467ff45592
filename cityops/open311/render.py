"""Open311 documents as XML or JSON: one structure, two spellings.

A document is either a list of items (XML: a root element holding one element per item; JSON:
an array of objects) or a single object (XML: the root element with the object's fields; JSON:
an object). Inside an object a list becomes a container element with one child per entry, named
by ``ITEM_NAMES`` (``attributes`` → ``attribute``); a dict becomes a nested element. XML is built
with ElementTree, never by pasting strings.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from django.http import HttpResponse

Format = Literal["json", "xml"]
FORMATS: tuple[Format, ...] = ("json", "xml")

CONTENT_TYPES: dict[Format, str] = {
    "json": "application/json; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
}

# Child element names of the lists that appear inside Open311 objects.
ITEM_NAMES = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "media_urls": "media_url",
    "notes": "note",
}

# Characters XML 1.0 cannot carry at all, even escaped (citizens' text may contain them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Document = Sequence[Mapping[str, Any]] | Mapping[str, Any]


def parse_format(text: str) -> Format | None:
    """The format named by a URL suffix, or None for one we do not serve."""
    text = text.lower()
    return "json" if text == "json" else "xml" if text == "xml" else None


def render(
    document: Document,
    *,
    fmt: Format,
    root: str,
    item: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The HTTP response carrying ``document``; ``item`` names the elements of a list."""
    body = to_json(document) if fmt == "json" else to_xml(document, root=root, item=item)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def to_json(document: Document) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def to_xml(document: Document, *, root: str, item: str | None = None) -> bytes:
    element = ET.Element(root)
    if isinstance(document, Mapping):
        _fill(element, document)
    else:
        if item is None:
            raise ValueError("a list document needs an item element name")
        for entry in document:
            _fill(ET.SubElement(element, item), entry)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def json_item(entry: Mapping[str, Any]) -> bytes:
    """One item of a JSON list document, as ``to_json`` writes it inside the list."""
    return json.dumps(entry, ensure_ascii=False).encode()


def xml_item(entry: Mapping[str, Any], *, item: str) -> bytes:
    """One item of an XML list document, as ``to_xml`` writes it inside the root."""
    element = ET.Element(item)
    _fill(element, entry)
    return ET.tostring(element, encoding="unicode").encode()


def list_of_items(items: Sequence[bytes], *, fmt: Format, root: str) -> bytes:
    """A list document from items written by ``json_item`` or ``xml_item``: byte for byte
    what ``to_json`` or ``to_xml`` writes for the list of their entries."""
    if fmt == "json":
        return b"[" + b", ".join(items) + b"]"
    declaration = b"<?xml version='1.0' encoding='utf-8'?>\n"
    if not items:
        return declaration + f"<{root} />".encode()
    return declaration + f"<{root}>".encode() + b"".join(items) + f"</{root}>".encode()


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for name, child in value.items():
            _fill(ET.SubElement(element, name), child)
    elif isinstance(value, list | tuple):
        name = ITEM_NAMES.get(element.tag, element.tag.removesuffix("s"))
        for entry in value:
            _fill(ET.SubElement(element, name), entry)
    elif value is None:
        return  # an empty element, as Open311 servers write absent values
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = _NOT_XML.sub("", str(value))


def errors(problems: Sequence[str], *, fmt: Format, status: int) -> HttpResponse:
    """Open311's error document: one ``error`` (``code`` = the HTTP status) per problem."""
    document = [{"code": status, "description": problem} for problem in problems]
    return render(document, fmt=fmt, root="errors", item="error", status=status)

"""Readers for the Open311 tests: both formats are read into one shape.

``read`` parses a response of either format into plain lists and dicts whose leaves are the
text an XML client sees (JSON ``true`` → ``"true"``, ``null`` → ``""``), so one assertion checks
both formats; the XML is parsed with ElementTree and its element names are checked on the way.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from cityops.open311.render import ITEM_NAMES

BASE = "/open311/v2"
FORMATS = ["json", "xml"]

# The root and item element of each kind of document.
LISTS = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
    "updates": ("service_request_updates", "request_update"),
}


def _text(value: Any) -> Any:
    if isinstance(value, dict):
        return {name: _text(child) for name, child in value.items()}
    if isinstance(value, list):
        return [_text(child) for child in value]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(element: ET.Element) -> Any:
    if element.tag in ITEM_NAMES:
        assert all(child.tag == ITEM_NAMES[element.tag] for child in element), element.tag
        return [_element(child) for child in element]
    if len(element):
        return {child.tag: _element(child) for child in element}
    return element.text or ""


def xml_root(response) -> ET.Element:
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(response.content)  # noqa: S314 (our own server's output)


def read(response, fmt: str, kind: str | None = None) -> Any:
    """The document as text leaves; ``kind`` (a key of LISTS) for a list, else the root's name."""
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        return _text(json.loads(response.content))
    root = xml_root(response)
    if kind in LISTS:
        root_name, item = LISTS[kind]
        assert root.tag == root_name
        assert all(child.tag == item for child in root), [child.tag for child in root]
        return [_element(child) for child in root]
    if kind is not None:
        assert root.tag == kind
    return {child.tag: _element(child) for child in root}


def problems(response, fmt: str) -> list[str]:
    """The descriptions of an error document, after checking each code is the HTTP status."""
    found = read(response, fmt, "errors")
    assert found, "an error document lists at least one error"
    assert {error["code"] for error in found} == {str(response.status_code)}
    return [error["description"] for error in found]


def form(secret: str, /, **fields: str) -> dict[str, str]:
    """A valid POST for the ``potholes`` service, with ``fields`` added or replaced."""
    data = {
        "api_key": secret,
        "service_code": "potholes",
        "lat": "16.46",
        "long": "107.59",
        "description": "Ổ gà sâu trước số 12 Lê Lợi",
        "attribute[size]": "large",
    }
    data.update(fields)
    return data

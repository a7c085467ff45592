"""Reading CAP 1.2 (Common Alerting Protocol, OASIS) documents: pure functions, no database.

``cap_parse(data)`` returns a ``CapAlert`` or raises ``CapError`` with a human reason. The XML
goes through ``defusedxml`` (no DTDs, no entities: no billion laughs, no external entities).
Elements are matched by local name inside the CAP namespace (1.2, and 1.1 which shares its
shape), so a prefixed ``<cap:alert>`` reads the same as a default namespace; foreign elements
such as XML signatures are ignored.

Text is cleaned as people read it: single-line fields have their whitespace collapsed (some
feeds wrap ``<event>`` or ``<web>`` over indented lines); descriptions and instructions keep
their paragraphs (blank lines) and join the wrapped lines inside each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from cityops.platform import clock

CAP_NAMESPACES = (
    "urn:oasis:names:tc:emergency:cap:1.2",
    "urn:oasis:names:tc:emergency:cap:1.1",
)
DEFAULT_LANGUAGE = "en-US"  # CAP 1.2 §3.2.2: an <info> without <language> is en-US
MAX_BYTES = 5 * 1024 * 1024
_SPACES = re.compile(r"\s+")


class CapError(ValueError):
    """A document that is not a CAP alert we can read; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CapArea:
    description: str
    polygons: list[list[tuple[float, float]]] = field(default_factory=list)  # (lat, lon)
    circles: list[tuple[float, float, float]] = field(default_factory=list)  # lat, lon, km
    geocodes: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CapInfo:
    language: str
    categories: list[str]
    event: str
    urgency: str
    severity: str
    certainty: str
    headline: str = ""
    description: str = ""
    instruction: str = ""
    web: str = ""
    sender_name: str = ""
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    event_codes: list[tuple[str, str]] = field(default_factory=list)
    areas: list[CapArea] = field(default_factory=list)


@dataclass(frozen=True)
class CapReference:
    sender: str
    identifier: str
    sent: datetime


@dataclass(frozen=True)
class CapAlert:
    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    references: list[CapReference] = field(default_factory=list)
    infos: list[CapInfo] = field(default_factory=list)
    note: str = ""

    def info_for(self, languages: tuple[str, ...] = ("vi", "en")) -> CapInfo | None:
        """The ``<info>`` in the first of ``languages`` that has one (``vi`` matches ``vi-VN``),
        else the first."""
        for wanted in languages:
            for info in self.infos:
                if info.language.lower().split("-")[0] == wanted.lower():
                    return info
        return self.infos[0] if self.infos else None


def cap_parse(data: bytes | str) -> CapAlert:
    """Parse one CAP alert document."""
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise CapError(f"The document is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        root = fromstring(raw, forbid_dtd=True)
    except DefusedXmlException as error:
        raise CapError(f"Refused unsafe XML ({type(error).__name__}).") from None
    except ParseError as error:
        raise CapError(f"Not well-formed XML: {error}.") from None
    namespace, name = _split(root.tag)
    if name != "alert" or namespace not in CAP_NAMESPACES:
        raise CapError(f"Not a CAP alert: the root element is {root.tag!r}.")
    reader = _Reader(namespace)
    return reader.alert(root)


class _Reader:
    def __init__(self, namespace: str) -> None:
        self.ns = namespace

    def _children(self, element: Element, name: str) -> list[Element]:
        return [child for child in element if child.tag == f"{{{self.ns}}}{name}"]

    def _text(self, element: Element, name: str, *, paragraphs: bool = False) -> str:
        found = self._children(element, name)
        if not found:
            return ""
        return _paragraphs(found[0].text) if paragraphs else _line(found[0].text)

    def _required(self, element: Element, name: str) -> str:
        text = self._text(element, name)
        if not text:
            raise CapError(f"The alert has no <{name}>.")
        return text

    def _time(self, element: Element, name: str, *, required: bool = False) -> datetime | None:
        text = self._required(element, name) if required else self._text(element, name)
        return _datetime(text, name) if text else None

    def _pairs(self, element: Element, name: str) -> list[tuple[str, str]]:
        return [
            (self._text(pair, "valueName"), self._text(pair, "value"))
            for pair in self._children(element, name)
        ]

    def alert(self, root: Element) -> CapAlert:
        sent = self._time(root, "sent", required=True)
        assert sent is not None
        return CapAlert(
            identifier=self._required(root, "identifier"),
            sender=self._required(root, "sender"),
            sent=sent,
            status=self._required(root, "status"),
            msg_type=self._required(root, "msgType"),
            scope=self._text(root, "scope"),
            references=_references(self._text(root, "references")),
            infos=[self.info(info) for info in self._children(root, "info")],
            note=self._text(root, "note", paragraphs=True),
        )

    def info(self, element: Element) -> CapInfo:
        return CapInfo(
            language=self._text(element, "language") or DEFAULT_LANGUAGE,
            categories=[_line(c.text) for c in self._children(element, "category")],
            event=self._text(element, "event"),
            urgency=self._text(element, "urgency"),
            severity=self._text(element, "severity"),
            certainty=self._text(element, "certainty"),
            headline=self._text(element, "headline"),
            description=self._text(element, "description", paragraphs=True),
            instruction=self._text(element, "instruction", paragraphs=True),
            web=self._text(element, "web"),
            sender_name=self._text(element, "senderName"),
            effective=self._time(element, "effective"),
            onset=self._time(element, "onset"),
            expires=self._time(element, "expires"),
            event_codes=self._pairs(element, "eventCode"),
            areas=[self.area(area) for area in self._children(element, "area")],
        )

    def area(self, element: Element) -> CapArea:
        return CapArea(
            description=self._text(element, "areaDesc"),
            polygons=[_polygon(p.text) for p in self._children(element, "polygon")],
            circles=[_circle(c.text) for c in self._children(element, "circle")],
            geocodes=self._pairs(element, "geocode"),
        )


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _line(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def _paragraphs(text: str | None) -> str:
    """Paragraphs separated by blank lines; the lines inside each joined with a space."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n"))
    return "\n\n".join(line for line in (_line(block) for block in blocks) if line)


def _datetime(text: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CapError(f"<{name}> is not a CAP date and time: {text!r}.") from None
    if moment.tzinfo is None:
        raise CapError(f"<{name}> has no time zone offset: {text!r}.")
    if not clock.in_range(moment):
        first, last = clock.FIRST_DAY.year, clock.LAST_DAY.year
        raise CapError(f"<{name}> is not between the years {first} and {last}: {text!r}.")
    return moment


def _point(text: str) -> tuple[float, float]:
    lat_text, _, lon_text = text.partition(",")
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise CapError(f"Not a WGS 84 point: {text!r}.") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CapError(f"A point is out of range: {text!r}.")
    return lat, lon


def _polygon(text: str | None) -> list[tuple[float, float]]:
    points = [_point(pair) for pair in (text or "").split()]
    if len(points) < 4 or points[0] != points[-1]:
        raise CapError("A <polygon> needs at least 4 points, the first and last the same.")
    return points


def _circle(text: str | None) -> tuple[float, float, float]:
    parts = (text or "").split()
    if len(parts) != 2:
        raise CapError(f"A <circle> is 'lat,lon radius': {text!r}.")
    lat, lon = _point(parts[0])
    try:
        radius = float(parts[1])
    except ValueError:
        raise CapError(f"A <circle> radius is not a number: {parts[1]!r}.") from None
    if radius < 0:
        raise CapError("A <circle> radius is never negative.")
    return lat, lon, radius


def _references(text: str) -> list[CapReference]:
    """``sender,identifier,sent`` triples separated by whitespace."""
    references = []
    for triple in text.split():
        parts = triple.split(",")
        if len(parts) != 3:
            raise CapError(f"A reference is 'sender,identifier,sent': {triple!r}.")
        references.append(CapReference(parts[0], parts[1], _datetime(parts[2], "references")))
    return references


def area_geojson(areas: list[CapArea]) -> dict[str, Any] | None:
    """The areas' shapes as a GeoJSON FeatureCollection (longitude first, as GeoJSON wants);
    circles become points with ``radius_km``. None when no area has a shape."""
    features: list[dict[str, Any]] = []
    for area in areas:
        for polygon in area.polygons:
            ring = [[lon, lat] for lat, lon in polygon]
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": area.description},
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            )
        for lat, lon, radius in area.circles:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": area.description, "radius_km": radius},
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                }
            )
    return {"type": "FeatureCollection", "features": features} if features else None

"""Warning bulletins: written by an operator, or imported from CAP 1.2 documents and feeds.

An imported document is known by its CAP identity (identifier, sender, sent): importing it
again changes nothing. ``Update`` creates the new bulletin and supersedes the ones it
references; ``Cancel`` cancels them. Only ``Actual`` alerts are imported (tests and exercises
are skipped).
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlparse
from uuid import uuid4

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.agencies.models import Area
from cityops.alerts.cap import MAX_BYTES, CapAlert, CapError, CapInfo, area_geojson, cap_parse
from cityops.alerts.choices import (
    BulletinKind,
    BulletinOrigin,
    CapCertainty,
    CapMsgType,
    CapSeverity,
    CapUrgency,
)
from cityops.alerts.models import Bulletin
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted

logger = logging.getLogger(__name__)

KM_PER_DEGREE = 111.32
FEED_LINKS_MAX = 50
FETCH_TIMEOUT = 20


# --- written by an operator ---------------------------------------------------------------------


def _ensure_ioc_staff(actor: User) -> None:
    if not actor.is_active or Role(actor.role) not in (Role.OPERATOR, Role.ADMIN):
        raise NotPermitted(_("Only IOC operators publish warning bulletins."))


def geometry_clean(value: Any) -> dict[str, Any] | None:
    """A GeoJSON geometry, Feature or FeatureCollection of polygons → a FeatureCollection."""
    if value in (None, "", {}):
        return None
    message = _("Give a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection.")
    if not isinstance(value, dict):
        raise InvalidInput(message, fields={"geometry": [message]})
    if value.get("type") == "FeatureCollection":
        features = value.get("features")
    elif value.get("type") == "Feature":
        features = [value]
    else:
        features = [{"type": "Feature", "properties": {}, "geometry": value}]
    cleaned = []
    for feature in features if isinstance(features, list) else [None]:
        try:
            geometry = feature["geometry"]
            polygon = shape(geometry)
        except Exception:
            raise InvalidInput(message, fields={"geometry": [message]}) from None
        if polygon.geom_type not in ("Polygon", "MultiPolygon") or not polygon.is_valid:
            problem = _("Only valid polygons (in longitude, latitude) can be areas.")
            raise InvalidInput(problem, fields={"geometry": [problem]})
        minx, miny, maxx, maxy = polygon.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            problem = _("Coordinates are longitude (±180) then latitude (±90).")
            raise InvalidInput(problem, fields={"geometry": [problem]})
        cleaned.append({"type": "Feature", "properties": {}, "geometry": geometry})
    return {"type": "FeatureCollection", "features": cleaned}


@transaction.atomic
def bulletin_create(
    *,
    actor: User,
    kind: BulletinKind | str,
    headline: str,
    severity: CapSeverity | str,
    expires: datetime,
    description: str = "",
    instruction: str = "",
    urgency: CapUrgency | str = CapUrgency.EXPECTED,
    certainty: CapCertainty | str = CapCertainty.LIKELY,
    onset: datetime | None = None,
    areas: Sequence[Area] = (),
    area_description: str = "",
    geometry: dict[str, Any] | None = None,
    language: str = "vi",
    web: str = "",
    is_demo: bool = False,
) -> Bulletin:
    """Publish a bulletin written by an IOC operator; it is public at once until ``expires``."""
    _ensure_ioc_staff(actor)
    now = clock.now()
    problems: dict[str, list[str]] = {}
    if not headline.strip():
        problems["headline"] = [_("Write a headline.")]
    if kind not in BulletinKind.values:
        problems["kind"] = [f"One of: {', '.join(BulletinKind.values)}."]
    if severity not in CapSeverity.values:
        problems["severity"] = [f"One of: {', '.join(CapSeverity.values)}."]
    if urgency not in CapUrgency.values:
        problems["urgency"] = [f"One of: {', '.join(CapUrgency.values)}."]
    if certainty not in CapCertainty.values:
        problems["certainty"] = [f"One of: {', '.join(CapCertainty.values)}."]
    if not clock.in_range(expires):
        problems["expires"] = [clock.range_problem()]  # year 9999 cannot even be stored
    elif expires <= now:
        problems["expires"] = [_("The end of validity must be in the future.")]
    elif onset is not None and onset >= expires:
        problems["expires"] = [_("The end of validity must come after its start.")]
    if onset is not None and not clock.in_range(onset):
        problems["onset"] = [clock.range_problem()]
    if not areas and not area_description.strip() and not geometry:
        problems["areas"] = [_("Say where: choose areas or describe the area.")]
    try:
        geometry = geometry_clean(geometry)
    except InvalidInput as invalid:
        problems.update(invalid.fields)
    if problems:
        raise InvalidInput(
            _("The bulletin could not be published:")
            + " "
            + " ".join(message for messages in problems.values() for message in messages),
            fields=problems,
        )
    bulletin = Bulletin.objects.create(
        kind=kind,
        headline=headline.strip(),
        description=description.strip(),
        instruction=instruction.strip(),
        web=web.strip(),
        sender_name=settings.CITYOPS_BULLETIN_SENDER_NAME,
        area_description=area_description.strip(),
        geometry=geometry,
        severity=severity,
        urgency=urgency,
        certainty=certainty,
        onset=onset,
        expires=expires,
        language=language,
        identifier=f"cityops-{uuid4()}",
        sender=settings.CITYOPS_BULLETIN_SENDER,
        sent=now,
        msg_type=CapMsgType.ALERT,
        origin=BulletinOrigin.OPERATOR,
        created_by=actor,
        created_at=now,
        is_demo=is_demo,
    )
    bulletin.areas.set(areas)
    return bulletin


@transaction.atomic
def bulletin_cancel(*, bulletin: Bulletin, actor: User) -> Bulletin:
    """Withdraw a bulletin before it expires: it leaves the public list at once."""
    _ensure_ioc_staff(actor)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.cancelled_at is not None:
        raise Conflict(_("This bulletin is cancelled already."), code="bulletin_cancelled")
    bulletin.cancelled_at = clock.now()
    bulletin.save(update_fields=["cancelled_at"])
    return bulletin


# --- imported from CAP ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """What importing one CAP document did: ``outcome`` is created, updated (an Update stored,
    the earlier ones superseded), cancelled, duplicate or skipped."""

    outcome: str
    bulletin: Bulletin | None
    detail: str = ""
    affected: int = 0  # bulletins superseded or cancelled


_AIR = ("air quality", "ozone", "aqi", "pm2.5", "pm10", "smog", "haze", "không khí", "bụi mịn")
_FLOOD = ("flood", "lũ", "ngập", "inundation", "storm surge", "tsunami")
_FLOOD_SAME = {"FFW", "FFA", "FFS", "FLW", "FLA", "FLS", "CFW", "CFA", "TSW", "TSA"}
_FIRE = ("fire", "cháy", "wildfire", "bushfire")


def kind_of(info: CapInfo) -> BulletinKind:
    """Our kind for a CAP ``<info>``: by its words first (an air-quality alert is filed under
    CAP category Met in the USA), then by its CAP category."""
    text = f"{info.event} {info.headline}".lower()
    same = {value.upper() for name, value in info.event_codes if name.upper() == "SAME"}
    categories = {category.lower() for category in info.categories}
    if any(word in text for word in _AIR):
        return BulletinKind.AIR_QUALITY
    if any(word in text for word in _FLOOD) or same & _FLOOD_SAME:
        return BulletinKind.FLOOD
    if "fire" in categories or any(word in text for word in _FIRE):
        return BulletinKind.FIRE
    if "met" in categories:
        return BulletinKind.WEATHER
    return BulletinKind.OTHER


def _choice(value: str, choices: type[CapSeverity | CapUrgency | CapCertainty]) -> str:
    lowered = value.strip().lower()
    return lowered if lowered in choices.values else "unknown"


def _url(value: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return ""
    return value if len(value) <= 500 else ""


def _shapes(info: CapInfo) -> list[BaseGeometry]:
    shapes: list[BaseGeometry] = []
    for area in info.areas:
        for polygon in area.polygons:
            ring = Polygon([(lon, lat) for lat, lon in polygon])
            # A self-intersecting ring (it happens in feeds) still covers a place: repair it.
            shapes.append(ring if ring.is_valid else ring.buffer(0))
        for lat, lon, radius in area.circles:
            shapes.append(Point(lon, lat).buffer(max(radius, 0.01) / KM_PER_DEGREE))
    return shapes


def areas_covered(info: CapInfo) -> list[Area]:
    """The city's areas a CAP ``<info>`` concerns: those its shapes touch, and those it names."""
    shapes = _shapes(info)
    described = " ".join(area.description for area in info.areas).lower()
    found = []
    for area in Area.objects.all():
        named = len(area.name) > 3 and area.name.lower() in described
        touched = False
        if area.boundary and shapes:
            try:
                boundary = shape(area.boundary)
                touched = any(boundary.intersects(one) for one in shapes)
            except Exception:
                touched = False
        if named or touched:
            found.append(area)
    return found


def _find(reference: Any) -> Bulletin | None:
    candidates = Bulletin.objects.filter(
        sender=reference.sender, identifier=reference.identifier
    ).order_by("-sent")
    return next((b for b in candidates if b.sent == reference.sent), None) or candidates.first()


@transaction.atomic
def bulletin_import(*, alert: CapAlert, is_demo: bool = False) -> Imported:
    """Store one parsed CAP alert as a bulletin (see the module's docstring)."""
    if alert.status.lower() != "actual":
        return Imported("skipped", None, f"status {alert.status}: only actual alerts are shown")
    existing = Bulletin.objects.filter(
        identifier=alert.identifier[:300], sender=alert.sender[:300], sent=alert.sent
    ).first()
    if existing is not None:
        return Imported("duplicate", existing, "imported before")
    msg_type = alert.msg_type.lower()
    if msg_type not in CapMsgType.values:
        return Imported("skipped", None, f"message type {alert.msg_type} carries no warning")
    referenced = [found for found in (_find(ref) for ref in alert.references) if found]
    info = alert.info_for(("vi", "en"))
    if info is None and msg_type != CapMsgType.CANCEL:
        raise CapError("The alert has no <info> to show.")
    now = clock.now()
    if info is not None:
        start = info.effective or alert.sent
        expires = info.expires or start + timedelta(hours=settings.CITYOPS_BULLETIN_DEFAULT_HOURS)
    else:
        expires = max((b.expires for b in referenced), default=alert.sent)
    bulletin = Bulletin.objects.create(
        kind=kind_of(info) if info else (referenced[0].kind if referenced else BulletinKind.OTHER),
        headline=((info.headline or info.event) if info else "")[:300]
        or (referenced[0].headline if referenced else alert.identifier)[:300],
        event=(info.event if info else "")[:300],
        description=info.description if info else alert.note,
        instruction=info.instruction if info else "",
        web=_url(info.web) if info else "",
        sender_name=(info.sender_name if info else "")[:300],
        area_description="; ".join(a.description for a in info.areas if a.description)
        if info
        else "",
        geometry=area_geojson(info.areas) if info else None,
        severity=_choice(info.severity, CapSeverity) if info else CapSeverity.UNKNOWN,
        urgency=_choice(info.urgency, CapUrgency) if info else CapUrgency.UNKNOWN,
        certainty=_choice(info.certainty, CapCertainty) if info else CapCertainty.UNKNOWN,
        onset=(info.onset or info.effective) if info else None,
        expires=expires,
        language=(info.language if info else "")[:20],
        identifier=alert.identifier[:300],
        sender=alert.sender[:300],
        sent=alert.sent,
        msg_type=msg_type,
        references=" ".join(
            f"{r.sender},{r.identifier},{r.sent.isoformat()}" for r in alert.references
        ),
        origin=BulletinOrigin.CAP,
        created_at=now,
        is_demo=is_demo,
    )
    if info is not None:
        bulletin.areas.set(areas_covered(info))
    if msg_type == CapMsgType.CANCEL:
        ids = [b.pk for b in referenced]
        affected = Bulletin.objects.filter(pk__in=ids, cancelled_at=None).update(cancelled_at=now)
        return Imported("cancelled", bulletin, f"{affected} bulletin(s) cancelled", affected)
    if msg_type == CapMsgType.UPDATE:
        ids = [b.pk for b in referenced]
        affected = (
            Bulletin.objects.filter(pk__in=ids)
            .exclude(pk=bulletin.pk)
            .update(superseded_by=bulletin)
        )
        return Imported("updated", bulletin, f"{affected} earlier bulletin(s) superseded", affected)
    return Imported("created", bulletin)


def bulletins_import_document(*, data: bytes) -> Imported:
    """Parse and import one CAP document (``cityops bulletins import FILE``)."""
    return bulletin_import(alert=cap_parse(data))


def _fetch(url: str) -> bytes:
    if urlparse(url).scheme not in ("http", "https"):
        raise CapError(f"Only http and https addresses can be polled: {url}")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked just above
        url, headers={"User-Agent": "CityOps CAP poller", "Accept": "application/xml"}
    )
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310
        data: bytes = response.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CapError(f"{url} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    return data


def feed_links(data: bytes, *, base: str) -> list[str] | None:
    """The CAP documents an Atom or RSS feed links to; None when ``data`` is not a feed."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ParseError):
        return None
    local = root.tag.rsplit("}", 1)[-1]
    links: list[str] = []
    if local == "feed":  # Atom: <entry><link href=...> (the CAP one when typed)
        for entry in (e for e in root if e.tag.rsplit("}", 1)[-1] == "entry"):
            hrefs = [
                (link.get("type", ""), link.get("href", ""))
                for link in entry
                if link.tag.rsplit("}", 1)[-1] == "link" and link.get("href")
            ]
            typed = [href for kind, href in hrefs if "cap" in kind or "xml" in kind]
            if typed or hrefs:
                links.append((typed or [hrefs[0][1]])[0])
    elif local == "rss":
        for item in root.iter():
            if item.tag == "item":
                link = next((c.text for c in item if c.tag == "link" and c.text), None)
                if link:
                    links.append(link.strip())
    else:
        return None
    return [urljoin(base, link) for link in links[:FEED_LINKS_MAX]]


def bulletins_poll(*, url: str) -> list[tuple[str, Imported | CapError]]:
    """Fetch ``url``, a CAP document or an Atom/RSS feed of them, and import what it holds.

    Returns (address, result or error) per document: one bad entry does not stop the others.
    """
    data = _fetch(url)
    links = feed_links(data, base=url)
    if links is None:
        return [(url, bulletins_import_document(data=data))]
    results: list[tuple[str, Imported | CapError]] = []
    for link in links:
        try:
            results.append((link, bulletins_import_document(data=_fetch(link))))
        except CapError as error:
            results.append((link, error))
        except OSError as error:
            results.append((link, CapError(f"Could not fetch: {error}")))
    return results

"""Reading a place typed by a person: decimal degrees, degrees-minutes-seconds, or VN-2000
X/Y of Huế's 3° zone. Each refusal says what was wrong and how to write it.

- ``16.4637, 107.5909`` (latitude, longitude; the other order is recognised since Huế's
  longitude cannot be a latitude);
- ``16°27'49.3"N 107°35'27.2"E`` (also ``16 27 49.3 N, 107 35 27.2 E``, ′ ″ or ’ ”);
- ``X=1821350 Y=563400`` or ``1821350, 563400``: VN-2000, Huế's zone (central meridian 107°,
  k = 0.9999); X is the northing, Y the easting, in metres, as on a Vietnamese land map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _
from pyproj import Transformer

# Huế's VN-2000 zone with the national seven-parameter shift to WGS 84.
VN2000_HUE = (
    "+proj=tmerc +lat_0=0 +lon_0=107 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
    "+towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,-0.00427372,"
    "0.252906278 +units=m +no_defs"
)
# Vietnam's land and sea, generously: a point outside is surely a typing slip.
VIETNAM = (8.0, 102.0, 24.0, 118.0)  # min lat, min lon, max lat, max lon


class CoordinateError(ValueError):
    """Text that is no position; the message tells the person how to write one."""


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float
    system: str  # "decimal", "dms" or "vn2000"


_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_DECIMAL = re.compile(rf"^\s*({_NUMBER})\s*[,;\s]\s*({_NUMBER})\s*$")
_DMS_PART = (
    r"(\d{1,3})\s*(?:°|º|d|\s)\s*(\d{1,2})?\s*(?:'|′|’|m|\s)?\s*"
    r"(\d{1,2}(?:[.,]\d+)?)?\s*(?:\"|″|”|''|s)?\s*([NSEWnsewĐTđt])"
)
_DMS = re.compile(rf"^\s*{_DMS_PART}\s*[,;]?\s*{_DMS_PART}\s*$")
_VN2000 = re.compile(
    r"^\s*(?:x\s*[=:]?\s*)?(\d{6,7}(?:[.,]\d+)?)\s*[,;\s]\s*(?:y\s*[=:]?\s*)?(\d{6}(?:[.,]\d+)?)\s*$",
    re.IGNORECASE,
)


def looks_like_coordinates(text: str) -> bool:
    """Whether the text is meant as a position (digits only, with separators), not an address."""
    return bool(re.fullmatch(r"[\sxyXY=:0-9.,;°º'′’\"″”NSEWnsewdms+\-ĐTđt]+", text.strip()))


def parse_position(text: str) -> Position:
    """The position written in ``text``; CoordinateError with a clear message otherwise."""
    text = text.strip()
    if not text:
        raise CoordinateError(_("Type a position, e.g. 16.4637, 107.5909."))
    if match := _VN2000.match(text):
        x, y = (_float(group) for group in match.groups())
        return _checked(*_from_vn2000(x=x, y=y), system="vn2000")
    if match := _DECIMAL.match(text):
        first, second = (_float(group) for group in match.groups())
        if abs(first) > 90 >= abs(second):  # longitude first
            first, second = second, first
        return _checked(first, second, system="decimal")
    if match := _DMS.match(text):
        groups = match.groups()
        values = [_dms(*groups[:4]), _dms(*groups[4:])]
        hemispheres = [groups[3].upper(), groups[7].upper()]
        if hemispheres[0] in "EWĐT":
            values.reverse()
            hemispheres.reverse()
        if hemispheres[0] not in "NS" or hemispheres[1] not in "EWĐT":
            raise CoordinateError(
                _("Give one latitude (N or S) and one longitude (E or W), e.g. "
                  "16°27'49\"N 107°35'27\"E.")
            )  # fmt: skip
        lat = -values[0] if hemispheres[0] == "S" else values[0]
        lon = -values[1] if hemispheres[1] in "WT" else values[1]
        return _checked(lat, lon, system="dms")
    raise CoordinateError(
        _("This is not a position we can read. Write decimal degrees (16.4637, 107.5909), "
          "degrees, minutes and seconds (16°27'49\"N 107°35'27\"E) or VN-2000 metres "
          "(X=1821350 Y=563400).")
    )  # fmt: skip


def _float(text: str) -> float:
    return float(text.replace(",", "."))


def _dms(degrees: str, minutes: str | None, seconds: str | None, _hemisphere: str) -> float:
    minute = int(minutes or 0)
    second = _float(seconds) if seconds else 0.0
    if minute >= 60 or second >= 60:
        raise CoordinateError(_("Minutes and seconds must be below 60."))
    return int(degrees) + minute / 60 + second / 3600


@lru_cache(maxsize=1)
def _vn2000_to_wgs84() -> Transformer:
    return Transformer.from_crs(VN2000_HUE, "EPSG:4326", always_xy=True)


def _from_vn2000(*, x: float, y: float) -> tuple[float, float]:
    """VN-2000 northing X and easting Y (metres) → latitude, longitude."""
    lon, lat = _vn2000_to_wgs84().transform(y, x)
    return lat, lon


def to_vn2000(*, lat: float, lon: float) -> tuple[float, float]:
    """Latitude, longitude → VN-2000 northing X and easting Y (metres), for showing."""
    easting, northing = Transformer.from_crs("EPSG:4326", VN2000_HUE, always_xy=True).transform(
        lon, lat
    )
    return northing, easting


def _checked(lat: float, lon: float, *, system: str) -> Position:
    if not -90 <= lat <= 90:
        raise CoordinateError(_("A latitude lies between -90 and 90 degrees."))
    if not -180 <= lon <= 180:
        raise CoordinateError(_("A longitude lies between -180 and 180 degrees."))
    min_lat, min_lon, max_lat, max_lon = VIETNAM
    if not (min_lat <= lat <= max_lat and min_lon <= lon <= max_lon):
        raise CoordinateError(
            _("This position (%(lat).5f, %(lon).5f) is outside Vietnam: check the order and "
              "the digits.") % {"lat": lat, "lon": lon}
        )  # fmt: skip
    return Position(lat=round(lat, 7), lon=round(lon, 7), system=system)


def position_of(lat: str | None, lon: str | None) -> Position:
    """The position of a link's or the map's ``lat`` and ``lon`` parameters."""
    try:
        return _checked(float(lat or ""), float(lon or ""), system="decimal")
    except ValueError as error:
        if isinstance(error, CoordinateError):
            raise
        raise CoordinateError(_("lat and lon must be decimal degrees, e.g. lat=16.4637&lon="
                                "107.5909.")) from error  # fmt: skip

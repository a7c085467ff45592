"""Vietnamese number plates as a camera's OCR reads them, normalised or refused with a reason.

The civilian formats (Thông tư 79/2024/TT-BCA, as its predecessors 58/2020 and 24/2023):

- **one line** (cars, trucks, buses): the province code, the series and the number,
  ``75A-123.45`` (five digits, written ``NNN.NN``) or ``30A-1234`` (four, older plates). A few
  two-letter series exist for particular owners (``29LD-123.45``: enterprises with foreign
  capital; ``NG``, ``NN``, ``QT``, ``CV``: foreign missions; ``MK``, ``TĐ``, ``HC``, ``DA``).
- **two lines** (motorbikes): the province code and the series (a letter and a digit, ``C1``;
  two letters ``AA`` … for mopeds under 50 cm³; ``MĐ1`` for electric motorbikes) above the
  number: ``43-C1 / 234.56``. Written on one line here as ``43C1-234.56``.

OCR noise is forgiven where the format leaves no doubt: spaces, dots, dashes and slashes
anywhere, lower case, and letters that look like digits (``O``→``0``, ``I``→``1``, ``B``→``8``…)
in the places where the format demands a digit (the province code, the number, the series'
digit). Nothing else is guessed: a string that fits no format, or fits two (``43C12345`` is
``43C-123.45`` or ``43C1-2345``) without a separator or the vehicle type to choose, is refused
with a reason, and the caller keeps it as read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cityops.violations.choices import VehicleType

# Province codes on plates, 11-99 with gaps (13, 42, 44-46, 87, 91, 96 are nobody's). Plates
# issued before the 2025 merger of provinces keep their codes, so the list still reads them.
PROVINCE_NAMES: dict[str, str] = {
    "11": "Cao Bằng",
    "12": "Lạng Sơn",
    "14": "Quảng Ninh",
    "15": "Hải Phòng",
    "16": "Hải Phòng",
    "17": "Thái Bình",
    "18": "Nam Định",
    "19": "Phú Thọ",
    "20": "Thái Nguyên",
    "21": "Yên Bái",
    "22": "Tuyên Quang",
    "23": "Hà Giang",
    "24": "Lào Cai",
    "25": "Lai Châu",
    "26": "Sơn La",
    "27": "Điện Biên",
    "28": "Hòa Bình",
    "29": "Hà Nội",
    "30": "Hà Nội",
    "31": "Hà Nội",
    "32": "Hà Nội",
    "33": "Hà Nội",
    "34": "Hải Dương",
    "35": "Ninh Bình",
    "36": "Thanh Hóa",
    "37": "Nghệ An",
    "38": "Hà Tĩnh",
    "39": "Đồng Nai",
    "40": "Hà Nội",
    "41": "Thành phố Hồ Chí Minh",
    "43": "Đà Nẵng",
    "47": "Đắk Lắk",
    "48": "Đắk Nông",
    "49": "Lâm Đồng",
    **{str(code): "Thành phố Hồ Chí Minh" for code in range(50, 60)},
    "60": "Đồng Nai",
    "61": "Bình Dương",
    "62": "Long An",
    "63": "Tiền Giang",
    "64": "Vĩnh Long",
    "65": "Cần Thơ",
    "66": "Đồng Tháp",
    "67": "An Giang",
    "68": "Kiên Giang",
    "69": "Cà Mau",
    "70": "Tây Ninh",
    "71": "Bến Tre",
    "72": "Bà Rịa - Vũng Tàu",
    "73": "Quảng Bình",
    "74": "Quảng Trị",
    "75": "Huế",
    "76": "Quảng Ngãi",
    "77": "Bình Định",
    "78": "Phú Yên",
    "79": "Khánh Hòa",
    "80": "Cơ quan trung ương",  # central agencies' vehicles (Cục Cảnh sát giao thông)
    "81": "Gia Lai",
    "82": "Kon Tum",
    "83": "Sóc Trăng",
    "84": "Trà Vinh",
    "85": "Ninh Thuận",
    "86": "Bình Thuận",
    "88": "Vĩnh Phúc",
    "89": "Hưng Yên",
    "90": "Hà Nam",
    "92": "Quảng Nam",
    "93": "Bình Phước",
    "94": "Bạc Liêu",
    "95": "Hậu Giang",
    "97": "Bắc Kạn",
    "98": "Bắc Giang",
    "99": "Bắc Ninh",
}
PROVINCES = frozenset(PROVINCE_NAMES)

# Series letters: the Latin alphabet without I, J, O, Q, W (they look like digits or are not
# Vietnamese letters).
SERIES_LETTERS = frozenset("ABCDEFGHKLMNPRSTUVXYZ")
# Two-letter series of cars, trailers and tractors for particular owners.
CAR_SERIES = frozenset({"LD", "DA", "KT", "MK", "TĐ", "HC", "NG", "NN", "QT", "CV"})
# Letters an OCR engine gives for digits; used only where the format demands a digit.
_AS_DIGIT = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "G": "6", "B": "8"}
)
_SEPARATORS = re.compile(r"[\s\-._/·:|]+")
_ALLOWED = re.compile(r"[0-9A-ZĐ\s\-._/·:|]*")
MAX_LENGTH = 20
MOTORBIKE_TYPES = frozenset({VehicleType.MOTORBIKE})
CAR_TYPES = frozenset({VehicleType.CAR, VehicleType.TRUCK, VehicleType.BUS})


class PlateRefused(ValueError):
    """A string that is not a Vietnamese plate; ``code`` is machine-readable, ``reason`` human."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason

    def __reduce__(self) -> tuple[type[PlateRefused], tuple[str, str]]:
        return type(self), (self.code, self.reason)


@dataclass(frozen=True)
class Plate:
    """A plate in its canonical one-line form (``75A-123.45``, ``43C1-234.56``)."""

    province: str
    series: str
    number: str

    @property
    def two_line(self) -> bool:
        """Motorbikes' plates: a series with a digit, a moped's two letters, or ``MĐ`` + digit."""
        return _series_kind(self.series) == "motorbike"

    @property
    def text(self) -> str:
        return f"{self.province}{self.series}-{_grouped(self.number)}"

    @property
    def as_printed(self) -> str:
        """As it reads on the plate: ``43-C1 234.56`` on two lines, ``75A-123.45`` on one."""
        if self.two_line:
            return f"{self.province}-{self.series} {_grouped(self.number)}"
        return self.text

    @property
    def province_name(self) -> str:
        return PROVINCE_NAMES[self.province]

    def __str__(self) -> str:
        return self.text


def plate_normalise(text: str, *, vehicle_type: str | None = None) -> Plate:
    """The plate ``text`` (as OCR read it) stands for; ``PlateRefused`` when it is none or could
    be two. ``vehicle_type`` chooses between a car's five-digit and a motorbike's four-digit
    reading when no separator tells them apart."""
    cleaned = unicodedata.normalize("NFC", text or "").strip().upper()
    if not cleaned:
        raise PlateRefused("empty", _("No plate was read."))
    if len(cleaned) > MAX_LENGTH:
        raise PlateRefused(
            "too_long", _("A plate has at most %(n)s characters.") % {"n": MAX_LENGTH}
        )
    if not _ALLOWED.fullmatch(cleaned):
        raise PlateRefused("bad_characters", _("A plate has only letters, digits and separators."))
    groups = [group for group in _SEPARATORS.split(cleaned) if group]
    compact = "".join(groups)
    # Where the separators fall in the compact text: a real break between series and number.
    breaks, at = set(), 0
    for group in groups[:-1]:
        at += len(group)
        breaks.add(at)
    if len(compact) < 7:
        raise PlateRefused("too_short", _("Too few characters for a plate."))
    province = compact[:2].translate(_AS_DIGIT)
    if not province.isdigit() or province not in PROVINCES:
        message = _("%(code)s is not a province code.") % {"code": compact[:2]}
        raise PlateRefused("unknown_province", message)
    readings = _readings(compact, breaks)
    if not readings and compact[-4:].translate(_AS_DIGIT).strip("0") == "":
        raise PlateRefused("bad_number", _("A plate's number is never all zeros."))
    if not readings:
        raise PlateRefused("bad_format", _("The series or the number does not fit any plate."))
    if len(readings) > 1:
        readings = [r for r in readings if r[2]] or readings  # a separator where it breaks
    if len(readings) > 1 and vehicle_type:
        wanted = _kind_of_vehicle(vehicle_type)
        readings = [r for r in readings if _series_kind(r[0]) == wanted] or readings
    plates = {(series, number) for series, number, _separated in readings}
    if len(plates) > 1:
        shown = _(" or ").join(sorted(Plate(province, s, n).text for s, n in plates))
        raise PlateRefused("ambiguous", _("It could be %(plates)s.") % {"plates": shown})
    series, number = plates.pop()
    return Plate(province=province, series=series, number=number)


def plate_or_none(text: str, *, vehicle_type: str | None = None) -> Plate | None:
    try:
        return plate_normalise(text, vehicle_type=vehicle_type)
    except PlateRefused:
        return None


def _readings(compact: str, breaks: set[int]) -> list[tuple[str, str, bool]]:
    """Every (series, number, separated) the text after the province code can be read as."""
    found = []
    rest = compact[2:]
    for length in (1, 2, 3):
        series = _series(rest[:length])
        number = rest[length:].translate(_AS_DIGIT)
        if series is None or len(number) not in (4, 5) or not number.isdigit():
            continue
        if int(number) == 0:
            continue  # never issued: not a reading
        found.append((series, number, 2 + length in breaks))
    return found


def _series(raw: str) -> str | None:
    """The series ``raw`` stands for (a digit at its end may be misread), None if none."""
    if len(raw) == 1:
        return raw if raw in SERIES_LETTERS else None
    if len(raw) == 2:
        if raw in CAR_SERIES or (raw[0] == "A" and raw[1] in SERIES_LETTERS):
            return raw  # a car's particular series, or a moped's two letters
        digit = raw[1].translate(_AS_DIGIT)
        if raw[0] in SERIES_LETTERS and digit in "123456789":
            return raw[0] + digit  # a motorbike: a letter and a digit
        return None
    if len(raw) == 3 and raw[:2] == "MĐ":
        digit = raw[2].translate(_AS_DIGIT)
        return raw[:2] + digit if digit in "123456789" else None
    return None


def _series_kind(series: str) -> str:
    if series in CAR_SERIES:
        return "car"
    if len(series) == 1:
        return "car"
    return "motorbike"


def _kind_of_vehicle(vehicle_type: str) -> str:
    if vehicle_type in MOTORBIKE_TYPES:
        return "motorbike"
    if vehicle_type in CAR_TYPES:
        return "car"
    return ""


def _grouped(number: str) -> str:
    return f"{number[:3]}.{number[3:]}" if len(number) == 5 else number

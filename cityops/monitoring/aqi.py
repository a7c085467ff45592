"""VN_AQI per Decision 1459/QĐ-TCMT (12 Nov 2019): pure functions, no database.

All concentrations in µg/m³ (CO included). Arithmetic is exact (``fractions.Fraction`` built from
the decimal text of each value), and the index is rounded half up once, at the end: the
decision states no rounding rule, and this one reproduces its printed examples (109.5 → 110)
without the floating-point trap of 109.49999….

Hours are labelled by the END of their hour (the decision's convention): the hourly mean
labelled 14:00 covers 13:00–14:00, and a day runs from the hour labelled 01:00 to the one
labelled 00:00 of the next calendar day. Callers pass hourly means already labelled so.

The decision's worked example 2 prints NO2 = 60 where its own formula gives 59.35 (→ 59); we
follow the formula (docs/monitoring.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Number = float | int | Fraction

# Index values I_i and, per column, the breakpoints BP_i (µg/m³) of the decision's table 1.
INDEX_STEPS = (0, 50, 100, 150, 200, 300, 400, 500)
BREAKPOINTS: dict[str, tuple[int, ...]] = {
    "o3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "o3_8h": (0, 100, 120, 170, 210, 400),  # no breakpoints above 400 (index 300)
    "co": (0, 10000, 30000, 45000, 60000, 90000, 120000, 150000),
    "so2": (0, 125, 350, 550, 800, 1600, 2100, 2630),
    "no2": (0, 100, 200, 700, 1200, 2350, 3100, 3850),
    "pm10": (0, 50, 150, 250, 350, 420, 500, 600),
    "pm25": (0, 25, 50, 80, 150, 250, 350, 500),
}
# The pollutant each column measures (O3 has two columns).
POLLUTANT_OF_COLUMN = {column: column.split("_")[0] for column in BREAKPOINTS}
# Tie-break order for the dominant pollutant: particulate matter first.
POLLUTANT_ORDER = ("pm25", "pm10", "o3", "co", "no2", "so2")
NOWCAST_HOURS = 12


@dataclass(frozen=True)
class Band:
    """One of the six AQI levels with the decision's name and colour."""

    level: int
    low: int
    high: int
    name_vi: str
    name_en: str
    label: str | Promise  # translated for pages (msgid English)
    colour: str  # hex of the decision's RGB

    def as_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "low": self.low,
            "high": self.high,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "colour": self.colour,
        }


BANDS = (
    Band(1, 0, 50, "Tốt", "Good", _("Good"), "#00e400"),
    Band(2, 51, 100, "Trung bình", "Moderate", _("Moderate"), "#ffff00"),
    Band(3, 101, 150, "Kém", "Poor", _("Poor"), "#ff7e00"),
    Band(4, 151, 200, "Xấu", "Bad", _("Bad"), "#ff0000"),
    Band(5, 201, 300, "Rất xấu", "Very bad", _("Very bad"), "#8f3f97"),
    Band(6, 301, 500, "Nguy hại", "Hazardous", _("Hazardous"), "#7e0023"),
)


def band_of(aqi: int) -> Band:
    """The level of a (rounded) AQI value: 0–50 Good … 301+ Hazardous."""
    if aqi < 0:
        raise ValueError("AQI is never negative")
    for band in BANDS:
        if aqi <= band.high:
            return band
    return BANDS[-1]


def _exact(value: Number) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite concentration: {value}")
        # The decimal text, not the binary float: 55.7 means 557/10.
        return Fraction(repr(value))
    return Fraction(value)


def round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def sub_index_exact(column: str, concentration: Number) -> Fraction | None:
    """Formula 1 of the decision: linear interpolation between the column's breakpoints.

    Above the last breakpoint the index is 500; the O3 8-hour column has none above 400 µg/m³
    and gives None there (the decision then uses the 1-hour column alone).
    """
    steps = BREAKPOINTS[column]
    c = _exact(concentration)
    if c < 0:
        raise ValueError(f"negative concentration: {concentration}")
    for i in range(len(steps) - 1):
        low, high = steps[i], steps[i + 1]
        if c <= high:
            return (
                Fraction(INDEX_STEPS[i + 1] - INDEX_STEPS[i], high - low) * (c - low)
                + (INDEX_STEPS[i])
            )
    return None if column == "o3_8h" else Fraction(500)


def sub_index(column: str, concentration: Number) -> int | None:
    exact = sub_index_exact(column, concentration)
    return None if exact is None else round_half_up(exact)


def nowcast(hourly_means: Sequence[Number | None]) -> Fraction | None:
    """NowCast of PM2.5 or PM10 from hourly means c1 (current hour) … c12 (eleven hours before).

    At least two of c1, c2, c3 must be present, else None. w* = c_min / c_max; w = ½ when
    w* ≤ ½, else w = w*. For w > ½: Σ w^(i−1)·c_i / Σ w^(i−1); for w = ½: Σ (½)^i · c_i. A
    missing hour (None) drops out of the sums. Values beyond c12 are ignored.
    """
    hours = list(hourly_means[:NOWCAST_HOURS])
    if sum(1 for c in hours[:3] if c is not None) < 2:
        return None
    present = [(i, _exact(c)) for i, c in enumerate(hours, start=1) if c is not None]
    if any(c < 0 for _, c in present):
        raise ValueError("negative concentration")
    c_max = max(c for _, c in present)
    if c_max == 0:
        return Fraction(0)
    w_star = min(c for _, c in present) / c_max
    if w_star <= Fraction(1, 2):
        return sum((Fraction(1, 2) ** i * c for i, c in present), Fraction(0))
    numerator = sum((w_star ** (i - 1) * c for i, c in present), Fraction(0))
    denominator = sum((w_star ** (i - 1) for i, _ in present), Fraction(0))
    return numerator / denominator


@dataclass(frozen=True)
class AqiResult:
    """An AQI value with its level, dominant pollutant and every pollutant's sub-index."""

    aqi: int
    band: Band
    dominant: str
    sub_indices: dict[str, int] = field(default_factory=dict)

    @property
    def level(self) -> int:
        return self.band.level


def combine(sub_indices: Mapping[str, Fraction | None]) -> AqiResult | None:
    """Overall AQI = the largest sub-index; None unless PM2.5 or PM10 is among them."""
    known = {name: value for name, value in sub_indices.items() if value is not None}
    if "pm25" not in known and "pm10" not in known:
        return None
    rank = {name: position for position, name in enumerate(POLLUTANT_ORDER)}
    dominant = max(known, key=lambda name: (known[name], -rank.get(name, len(rank))))
    aqi = round_half_up(known[dominant])
    return AqiResult(
        aqi=aqi,
        band=band_of(aqi),
        dominant=dominant,
        sub_indices={name: round_half_up(value) for name, value in known.items()},
    )


def hourly_aqi(
    *,
    pm25: Sequence[Number | None] = (),
    pm10: Sequence[Number | None] = (),
    o3: Number | None = None,
    co: Number | None = None,
    no2: Number | None = None,
    so2: Number | None = None,
) -> AqiResult | None:
    """The hourly AQI (AQI_h): PM by NowCast over their last 12 hourly means (c1 first), the
    gases by the current hour's mean (O3 with its 1-hour column). None without PM.
    """
    pm25_nowcast, pm10_nowcast = nowcast(pm25), nowcast(pm10)
    return combine(
        {
            "pm25": None if pm25_nowcast is None else sub_index_exact("pm25", pm25_nowcast),
            "pm10": None if pm10_nowcast is None else sub_index_exact("pm10", pm10_nowcast),
            "o3": None if o3 is None else sub_index_exact("o3_1h", o3),
            "co": None if co is None else sub_index_exact("co", co),
            "no2": None if no2 is None else sub_index_exact("no2", no2),
            "so2": None if so2 is None else sub_index_exact("so2", so2),
        }
    )


def daily_aqi(
    *,
    pm25_mean_24h: Number | None = None,
    pm10_mean_24h: Number | None = None,
    o3_max_1h: Number | None = None,
    o3_max_8h: Number | None = None,
    co_max_1h: Number | None = None,
    no2_max_1h: Number | None = None,
    so2_max_1h: Number | None = None,
) -> AqiResult | None:
    """The daily AQI (AQI_d): PM by their 24-hour mean; O3 the larger of its 1-hour column at
    the day's maximum 1-hour mean and its 8-hour column at the day's maximum 8-hour mean (the
    latter dropped above 400 µg/m³); CO, NO2, SO2 by the day's maximum 1-hour mean.
    """
    o3_terms = [
        term
        for term in (
            None if o3_max_1h is None else sub_index_exact("o3_1h", o3_max_1h),
            None if o3_max_8h is None else sub_index_exact("o3_8h", o3_max_8h),
        )
        if term is not None
    ]
    return combine(
        {
            "pm25": None if pm25_mean_24h is None else sub_index_exact("pm25", pm25_mean_24h),
            "pm10": None if pm10_mean_24h is None else sub_index_exact("pm10", pm10_mean_24h),
            "o3": max(o3_terms) if o3_terms else None,
            "co": None if co_max_1h is None else sub_index_exact("co", co_max_1h),
            "no2": None if no2_max_1h is None else sub_index_exact("no2", no2_max_1h),
            "so2": None if so2_max_1h is None else sub_index_exact("so2", so2_max_1h),
        }
    )


def mean(values: Sequence[Number | None]) -> Fraction | None:
    """Mean of the present values (None drops out); None when none is present."""
    present = [_exact(v) for v in values if v is not None]
    return sum(present, Fraction(0)) / len(present) if present else None


# An 8-hour mean needs 6 of its 8 hours (75 %): the decision is silent, and one hour standing
# for eight would put a single afternoon peak into the 8-hour column.
MIN_HOURS_8H = 6


def rolling_means(
    values: Sequence[Number | None], *, window: int, min_present: int = 1
) -> list[Fraction | None]:
    """``result[k]`` = mean of ``values[k - window + 1 … k]`` (missing hours drop out; None
    with fewer than ``min_present``), for every k with a full window behind it.
    """
    means = []
    for k in range(window - 1, len(values)):
        part = values[k - window + 1 : k + 1]
        present = sum(1 for v in part if v is not None)
        means.append(mean(part) if present >= min_present else None)
    return means


def day_max_8h(o3_hourly: Sequence[Number | None]) -> Fraction | None:
    """The day's maximum O3 8-hour mean from 31 hourly means: the previous day's 18:00 … 00:00
    (7 hours) then the day's 24 hours labelled 01:00 … 00:00; each mean labelled H averages
    hours H−7 … H and needs ``MIN_HOURS_8H`` of them.
    """
    if len(o3_hourly) != 31:
        raise ValueError("day_max_8h needs the 7 hours before the day and its 24 hours")
    means = [
        m for m in rolling_means(o3_hourly, window=8, min_present=MIN_HOURS_8H) if m is not None
    ]
    return max(means) if means else None

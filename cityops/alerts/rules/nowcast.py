"""A station's hourly pollutant sums over the NowCast's hours, kept up to date by the evaluator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncHour

from cityops.monitoring.aqi import NOWCAST_HOURS, AqiResult, hourly_aqi
from cityops.monitoring.choices import POLLUTANTS
from cityops.monitoring.models import Reading
from cityops.monitoring.selectors import in_physical_range

_PM = ("pm25", "pm10")
_GASES = ("o3", "co", "no2", "so2")


@dataclass(slots=True)
class Hours:
    """A station's hourly sums and counts per pollutant, keyed by hour (``hour_of``): the
    decision labels each hour by its end, so key ``h`` is the mean labelled ``h + 1`` o'clock."""

    sums: dict[str, dict[int, list[float]]] = field(default_factory=dict)
    latest: datetime | None = None
    evaluated_at: datetime | None = None

    def add(self, metric: str, at: datetime, value: float) -> None:
        by_hour = self.sums.get(metric)
        if by_hour is None:
            by_hour = self.sums[metric] = {}
        hour = int(at.timestamp()) // 3600
        bucket = by_hour.get(hour)
        if bucket is None:
            by_hour[hour] = [value, 1]
        else:
            bucket[0] += value
            bucket[1] += 1
        if self.latest is None or at > self.latest:
            self.latest = at

    def merge(self, sums: dict[tuple[str, int], list[float]], *, latest: datetime) -> None:
        """Add a batch's sums of this station, keyed by (metric, hour)."""
        for (metric, hour), (total, count) in sums.items():
            bucket = self.sums.setdefault(metric, {}).get(hour)
            if bucket is None:
                self.sums[metric][hour] = [total, count]
            else:
                bucket[0] += total
                bucket[1] += count
        if self.latest is None or latest > self.latest:
            self.latest = latest

    def mean(self, metric: str, hour: int) -> float | None:
        bucket = self.sums.get(metric, {}).get(hour)
        return bucket[0] / bucket[1] if bucket and bucket[1] else None

    def aqi(self) -> AqiResult | None:
        """The hourly VN_AQI at the newest observation (its hour is c1 of the NowCast)."""
        if self.latest is None:
            return None
        current = hour_of(self.latest)
        hours = [current - i for i in range(NOWCAST_HOURS)]
        for by_hour in self.sums.values():  # forget what the NowCast no longer reads
            for hour in [hour for hour in by_hour if hour < hours[-1]]:
                del by_hour[hour]
        pm = {metric: [self.mean(metric, hour) for hour in hours] for metric in _PM}
        gases = {metric: self.mean(metric, current) for metric in _GASES}
        return hourly_aqi(pm25=pm["pm25"], pm10=pm["pm10"], **gases)


def hour_of(at: datetime) -> int:
    """The hour ``at`` falls in, as hours since the epoch (whole hours in Huế's time too)."""
    return int(at.timestamp()) // 3600


def hours_from_db(sensor_id: int, newest: datetime) -> Hours:
    """A station's hourly sums of the NowCast's 12 hours up to ``newest``, from the database."""
    readings = Reading.objects.filter(
        sensor_id=sensor_id,
        metric__in=POLLUTANTS,
        observed_at__gte=datetime.fromtimestamp((hour_of(newest) - NOWCAST_HOURS + 1) * 3600, UTC),
    ).filter(in_physical_range(POLLUTANTS))
    rows = (
        readings.annotate(hour=TruncHour("observed_at", tzinfo=UTC))
        .values("metric", "hour")
        .annotate(total=Sum("value"), n=Count("id"))
    )
    hours = Hours()
    for row in rows:
        hour = hour_of(row["hour"])
        hours.sums.setdefault(row["metric"], {})[hour] = [float(row["total"]), int(row["n"])]
    hours.latest = readings.aggregate(latest=Max("observed_at"))["latest"] or newest
    return hours

"""Press conditions operators must see: a watched name named far more than usual (a spike), a
negative story about a watched person or agency.

They are raised and cleared through the alerts services (one door into alarms). The alerts take
a monitoring ``Sensor`` as an alarm's source: each watch-list entry is one, an inactive sensor
``press-watch-<id>`` of kind ``press_watch`` (no readings, not checked for silence). The alarm's
de-duplication key (source and type) makes a spike one alarm while it lasts; ``PressAlarm``
makes a negative story one alarm per story and entry.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from cityops.agencies.models import Area
from cityops.alerts.choices import AlarmType, Severity
from cityops.alerts.models import Alarm
from cityops.alerts.services import alarm_clear_by_key, alarm_raise
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.models import Sensor
from cityops.monitoring.services import sensor_create
from cityops.platform import clock
from cityops.press.choices import PressAlarmKind, Tone, WatchKind
from cityops.press.models import PressAlarm, Story, WatchEntry

HOUR = timedelta(hours=1)
# A spike ends when the hour's count falls below half the level that raised it: a count
# wavering around the threshold is one spike, not a string of them.
CLEAR_SHARE = 0.5


def entry_source_code(entry: WatchEntry) -> str:
    return f"press-watch-{entry.pk}"


def _place_of(entry: WatchEntry) -> tuple[float, float]:
    area = entry.area or (entry.agency.area if entry.agency is not None else None)
    if area is not None:
        return area.centroid_lat, area.centroid_lon
    centre = Area.objects.aggregate(lat=Avg("centroid_lat"), lon=Avg("centroid_lon"))
    return centre["lat"] or 0.0, centre["lon"] or 0.0


def entry_source(entry: WatchEntry) -> Sensor:
    """The entry's alarm source, registered on its first alarm."""
    code = entry_source_code(entry)
    sensor = Sensor.objects.filter(code=code).first()
    if sensor is not None:
        return sensor
    lat, lon = _place_of(entry)
    return sensor_create(
        code=code,
        name=(_("Press: %(name)s") % {"name": entry.name})[:200],
        kind=SensorKind.PRESS_WATCH,
        lat=lat,
        lon=lon,
        area=entry.area,
        metrics=[],
        is_active=False,
    )


def _spike_key(entry: WatchEntry) -> str | None:
    sensor = Sensor.objects.filter(code=entry_source_code(entry)).first()
    return Alarm.key_for(sensor_id=sensor.pk, type=AlarmType.PRESS_SPIKE) if sensor else None


# --- spikes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """An entry's mentions in the last hour against its usual level."""

    count: int
    usual: float  # the greater of the same hour's median on the previous days and the mean hour
    threshold: float

    @property
    def spiking(self) -> bool:
        return self.count >= self.threshold


def levels_at(*, at: datetime, entries: list[WatchEntry]) -> dict[int, Level]:
    """Each entry's mentions in the hour up to ``at``, and its usual level: the median of the same
    hour on each of the previous ``spike_days`` days, or the mean hour of the last 7 days if
    higher. The spike threshold is ``spike_factor`` × usual, never under ``spike_min_count``."""
    config = settings.CITYOPS_PRESS
    days = int(config["spike_days"])
    factor, minimum = float(config["spike_factor"]), int(config["spike_min_count"])
    windows = {"now": (at - HOUR, at)}
    for day in range(1, days + 1):
        end = at - timedelta(days=day)
        windows[f"d{day}"] = (end - HOUR, end)
    week = (at - HOUR - timedelta(days=7), at - HOUR)
    windows["week"] = week
    counts = (
        WatchEntry.objects.filter(pk__in=[entry.pk for entry in entries])
        .annotate(
            **{
                name: Count(
                    "mentions",
                    filter=Q(mentions__dated_at__gt=start, mentions__dated_at__lte=end),
                )
                for name, (start, end) in windows.items()
            }
        )
        .values("pk", *windows)
    )
    levels = {}
    for row in counts:
        same_hour = statistics.median(row[f"d{day}"] for day in range(1, days + 1)) if days else 0
        usual = max(float(same_hour), row["week"] / (7 * 24))
        levels[row["pk"]] = Level(row["now"], usual, max(float(minimum), factor * usual))
    return levels


def press_spikes_check(*, at: datetime | None = None) -> dict[str, int]:
    """Raise one alarm for each watched entry whose last hour is a spike and that has none
    active; clear the alarm of each whose spike has ended. Returns raised and cleared counts."""
    at = at or clock.now()
    entries = list(WatchEntry.objects.filter(is_active=True).select_related("area", "agency"))
    levels = levels_at(at=at, entries=entries)
    raised = cleared = 0
    for entry in entries:
        level = levels.get(entry.pk)
        if level is None:
            continue
        key = _spike_key(entry)
        active = key is not None and Alarm.objects.filter(dedup_key=key, cleared_at=None).exists()
        if level.spiking and not active:
            _spike_raise(entry, level, at)
            raised += 1
        elif (
            active
            and key is not None
            and level.count < level.threshold * CLEAR_SHARE
            and alarm_clear_by_key(key=key) is not None
        ):
            cleared += 1
    return {"raised": raised, "cleared": cleared}


@transaction.atomic
def _spike_raise(entry: WatchEntry, level: Level, at: datetime) -> Alarm:
    message = _(
        "%(name)s named in %(count)d press items in the last hour (usually %(usual).1f)."
    ) % {"name": entry.name, "count": level.count, "usual": level.usual}
    alarm = alarm_raise(
        sensor=entry_source(entry),
        type=AlarmType.PRESS_SPIKE,
        severity=Severity.MINOR,
        message=message,
        value=float(level.count),
        observed_at=at,
    ).alarm
    PressAlarm.objects.create(
        alarm=alarm, entry=entry, kind=PressAlarmKind.SPIKE, value=float(level.count)
    )
    return alarm


# --- negative stories ------------------------------------------------------------------------


def story_alarms_check(*, story: Story) -> list[PressAlarm]:
    """A negative story naming watched people or agencies: one alarm per story and entry (the
    entry's active alarm is bumped when it has one)."""
    if story.tone != Tone.NEGATIVE:
        return []
    kinds = [kind for kind in WatchKind if kind.alarms_on_negative]
    entries = (
        WatchEntry.objects.filter(is_active=True, kind__in=kinds, mentions__item__story=story)
        .exclude(alarms__story=story, alarms__kind=PressAlarmKind.NEGATIVE)
        .select_related("area", "agency")
        .distinct()
        .order_by("pk")
    )
    made = []
    for entry in entries:
        message = _("Negative story about %(name)s in %(outlets)d outlet(s): %(headline)s") % {
            "name": entry.name,
            "outlets": story.outlet_count,
            "headline": story.headline,
        }
        try:
            with transaction.atomic():
                alarm = alarm_raise(
                    sensor=entry_source(entry),
                    type=AlarmType.PRESS_NEGATIVE,
                    severity=Severity.MINOR,
                    message=message,
                    value=story.tone_confidence,
                    observed_at=story.last_seen_at,
                ).alarm
                made.append(
                    PressAlarm.objects.create(
                        alarm=alarm, entry=entry, story=story, kind=PressAlarmKind.NEGATIVE
                    )
                )
        except IntegrityError:  # raised for this story by a concurrent worker meanwhile
            continue
    return made

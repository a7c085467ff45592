"""``feed_import``: a static GTFS feed (a zip) into the database, all of it or nothing.

Files are read in dependency order (agency, stops, routes, trips, stop_times, shapes, calendar,
calendar_dates) and inserted with ``bulk_create`` in batches into a new ``FeedVersion``; the
previous version is deleted and the new one made current in the same transaction, so readers
see one schedule or the other. Rows that cannot be used (a stop without coordinates, a stop
time of an unknown trip, a time that is not HH:MM:SS …) are skipped and reported with their
file, line and reason; a feed without a required file or column is refused whole.
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from django.db import models, transaction
from django.utils.translation import gettext as _

from cityops.platform import clock
from cityops.platform.errors import InvalidInput
from cityops.transit.choices import CALENDAR_FILES, REQUIRED_FILES, RouteType
from cityops.transit.models import (
    Agency,
    FeedVersion,
    Route,
    ServiceCalendar,
    ServiceException,
    ShapePoint,
    Stop,
    StopTime,
    Trip,
)

BATCH = 5000
KEPT_PROBLEMS = 1000  # stored on the version; the count is always whole
_ROUTE_TYPES = set(RouteType.values)


class GtfsError(InvalidInput):
    """The feed cannot be imported at all (not a zip, a required file or column missing)."""

    code = "gtfs_invalid"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class Progress(Protocol):
    """Told how far the import is (the command draws a bar with it)."""

    def start(self, file: str, total: int) -> None: ...
    def advance(self, rows: int) -> None: ...
    def finish(self) -> None: ...


class _Silent:
    def start(self, file: str, total: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass
class Imported:
    feed: FeedVersion
    counts: dict[str, int]
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


class _RowError(Exception):
    pass


def _time(text: str) -> int:
    parts = text.strip().split(":")
    if len(parts) != 3:
        raise _RowError(_("time %(value)r is not HH:MM:SS") % {"value": text})
    try:
        hours, minutes, seconds = (int(part) for part in parts)
    except ValueError:
        raise _RowError(_("time %(value)r is not HH:MM:SS") % {"value": text}) from None
    if hours < 0 or not 0 <= minutes < 60 or not 0 <= seconds < 60:
        raise _RowError(_("time %(value)r is not HH:MM:SS") % {"value": text})
    return hours * 3600 + minutes * 60 + seconds


def _date(text: str) -> date:
    try:
        return date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except (ValueError, IndexError):
        raise _RowError(_("date %(value)r is not YYYYMMDD") % {"value": text}) from None


def _float(text: str, name: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _RowError(
            _("%(name)s %(value)r is not a number") % {"name": name, "value": text}
        ) from None
    if not low <= value <= high:
        raise _RowError(_("%(name)s %(value)s is out of range") % {"name": name, "value": text})
    return value


def _optional_float(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return None


class _Feed:
    """The zip's files as rows of dicts, with the line number of each (the header is line 1)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        # Feeds are sometimes zipped with a folder around the files.
        self.names = {Path(name).name: name for name in archive.namelist() if name.endswith(".txt")}

    def has(self, name: str) -> bool:
        return name in self.names

    def line_count(self, name: str) -> int:
        with self.archive.open(self.names[name]) as raw:
            return max(sum(1 for _line in raw) - 1, 0)

    def rows(self, name: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
        with self.archive.open(self.names[name]) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = csv.DictReader(text)
            columns = [column.strip() for column in reader.fieldnames or []]
            reader.fieldnames = columns
            missing = [column for column in required if column not in columns]
            if missing:
                raise GtfsError(
                    _("%(file)s has no column %(columns)s.")
                    % {"file": name, "columns": ", ".join(missing)},
                    code="gtfs_missing_column",
                )
            for row in reader:
                yield reader.line_num, {key: (value or "").strip() for key, value in row.items()}


class _Loader:
    def __init__(self, feed: _Feed, version: FeedVersion, progress: Progress) -> None:
        self.feed, self.version, self.progress = feed, version, progress
        self.problems: list[Problem] = []
        self.counts: dict[str, int] = {}
        self.stops: dict[str, int] = {}
        self.routes: dict[str, int] = {}
        self.trips: dict[str, int] = {}

    def problem(self, file: str, line: int, reason: str) -> None:
        self.problems.append(Problem(file, line, reason))

    def load(
        self,
        name: str,
        required: tuple[str, ...],
        build: Callable[[dict[str, str]], models.Model | None],
        model: type[models.Model],
        keep: Callable[[list[Any]], None] | None = None,
    ) -> None:
        if not self.feed.has(name):
            self.counts[name] = 0
            return
        self.progress.start(name, self.feed.line_count(name))
        batch: list[Any] = []
        stored = 0
        for line, row in self.feed.rows(name, required):
            try:
                instance = build(row)
            except _RowError as error:
                self.problem(name, line, str(error))
                instance = None
            if instance is not None:
                batch.append(instance)
            if len(batch) >= BATCH:
                stored += self._flush(model, batch, keep)
                batch = []
            self.progress.advance(1)
        stored += self._flush(model, batch, keep)
        self.progress.finish()
        self.counts[name] = stored

    def _flush(
        self, model: type[models.Model], batch: list[Any], keep: Callable[[list[Any]], None] | None
    ) -> int:
        if not batch:
            return 0
        created = model.objects.bulk_create(batch, batch_size=BATCH)  # type: ignore[attr-defined]
        if keep is not None:
            keep(created)
        return len(created)

    # One builder per file: a row → an unsaved instance, or _RowError with the reason.

    def agency(self, row: dict[str, str]) -> Agency:
        if not row["agency_name"] or not row["agency_timezone"]:
            raise _RowError(_("agency_name and agency_timezone are required"))
        return Agency(
            feed=self.version,
            agency_id=row.get("agency_id", ""),
            name=row["agency_name"][:300],
            url=row.get("agency_url", "")[:500],
            timezone=row["agency_timezone"][:64],
            lang=row.get("agency_lang", "")[:20],
            phone=row.get("agency_phone", "")[:64],
        )

    def stop(self, row: dict[str, str]) -> Stop:
        stop_id = row["stop_id"]
        if not stop_id:
            raise _RowError(_("stop_id is empty"))
        if stop_id in self.stops:
            raise _RowError(_("stop %(id)s appears twice") % {"id": stop_id})
        self.stops[stop_id] = 0  # its primary key comes with the batch
        return Stop(
            feed=self.version,
            stop_id=stop_id,
            code=row.get("stop_code", "")[:50],
            name=row.get("stop_name", "")[:300],
            lat=_float(row.get("stop_lat", ""), "stop_lat", -90, 90),
            lon=_float(row.get("stop_lon", ""), "stop_lon", -180, 180),
            location_type=int(row.get("location_type") or 0),
            parent_station=row.get("parent_station", ""),
        )

    def route(self, row: dict[str, str]) -> Route:
        route_id = row["route_id"]
        if not route_id or route_id in self.routes:
            raise _RowError(_("route_id %(id)r is empty or appears twice") % {"id": route_id})
        try:
            kind = int(row["route_type"])
        except ValueError:
            kind = -1
        if kind not in _ROUTE_TYPES and not 100 <= kind <= 1799:  # extended types
            raise _RowError(_("route_type %(value)r is unknown") % {"value": row["route_type"]})
        self.routes[route_id] = 0
        return Route(
            feed=self.version,
            route_id=route_id,
            agency_id=row.get("agency_id", ""),
            short_name=row.get("route_short_name", "")[:50],
            long_name=row.get("route_long_name", "")[:300],
            description=row.get("route_desc", ""),
            type=kind,
            color=row.get("route_color", "")[:6],
            text_color=row.get("route_text_color", "")[:6],
        )

    def trip(self, row: dict[str, str]) -> Trip:
        trip_id, route_pk = row["trip_id"], self.routes.get(row["route_id"])
        if route_pk is None:
            raise _RowError(_("route %(id)s is not in routes.txt") % {"id": row["route_id"]})
        if not trip_id or trip_id in self.trips:
            raise _RowError(_("trip_id %(id)r is empty or appears twice") % {"id": trip_id})
        direction = row.get("direction_id", "")
        self.trips[trip_id] = 0
        return Trip(
            feed=self.version,
            trip_id=trip_id,
            route_id=route_pk,
            service_id=row["service_id"],
            headsign=row.get("trip_headsign", "")[:300],
            direction_id=int(direction) if direction in ("0", "1") else None,
            block_id=row.get("block_id", ""),
            shape_id=row.get("shape_id", ""),
        )

    def stop_time(self, row: dict[str, str]) -> StopTime:
        trip_pk, stop_pk = self.trips.get(row["trip_id"]), self.stops.get(row["stop_id"])
        if trip_pk is None:
            raise _RowError(_("trip %(id)s is not in trips.txt") % {"id": row["trip_id"]})
        if stop_pk is None:
            raise _RowError(_("stop %(id)s is not in stops.txt") % {"id": row["stop_id"]})
        arrival_text = row.get("arrival_time", "") or row.get("departure_time", "")
        departure_text = row.get("departure_time", "") or arrival_text
        try:
            sequence = int(row["stop_sequence"])
        except ValueError:
            raise _RowError(
                _("stop_sequence %(value)r is not a whole number") % {"value": row["stop_sequence"]}
            ) from None
        return StopTime(
            feed=self.version,
            trip_id=trip_pk,
            stop_id=stop_pk,
            stop_sequence=sequence,
            arrival=_time(arrival_text) if arrival_text else None,  # between timepoints
            departure=_time(departure_text) if departure_text else None,
            shape_dist_traveled=_optional_float(row.get("shape_dist_traveled", "")),
        )

    def shape_point(self, row: dict[str, str]) -> ShapePoint:
        try:
            sequence = int(row["shape_pt_sequence"])
        except ValueError:
            raise _RowError(
                _("shape_pt_sequence %(value)r is not a whole number")
                % {"value": row["shape_pt_sequence"]}
            ) from None
        return ShapePoint(
            feed=self.version,
            shape_id=row["shape_id"],
            sequence=sequence,
            lat=_float(row["shape_pt_lat"], "shape_pt_lat", -90, 90),
            lon=_float(row["shape_pt_lon"], "shape_pt_lon", -180, 180),
            dist_traveled=_optional_float(row.get("shape_dist_traveled", "")),
        )

    def calendar(self, row: dict[str, str]) -> ServiceCalendar:
        days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        weekdays = "".join("1" if row[day] == "1" else "0" for day in days)
        return ServiceCalendar(
            feed=self.version,
            service_id=row["service_id"],
            weekdays=weekdays,
            start_date=_date(row["start_date"]),
            end_date=_date(row["end_date"]),
        )

    def calendar_date(self, row: dict[str, str]) -> ServiceException:
        if row["exception_type"] not in ("1", "2"):
            raise _RowError(_("exception_type must be 1 or 2"))
        return ServiceException(
            feed=self.version,
            service_id=row["service_id"],
            date=_date(row["date"]),
            exception_type=int(row["exception_type"]),
        )


def _keep_ids(mapping: dict[str, int], attribute: str) -> Callable[[list[Any]], None]:
    def keep(created: list[Any]) -> None:
        for instance in created:
            mapping[getattr(instance, attribute)] = instance.pk

    return keep


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def feed_import(*, path: Path, progress: Progress | None = None) -> Imported:
    """Import the GTFS zip at ``path`` as the current schedule, replacing the previous one."""
    started = time.perf_counter()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise GtfsError(
            _("%(file)s is not a readable zip file: %(error)s") % {"file": path, "error": error},
            code="gtfs_not_zip",
        ) from error
    with archive:
        feed = _Feed(archive)
        missing = [name for name in REQUIRED_FILES if not feed.has(name)]
        if not any(feed.has(name) for name in CALENDAR_FILES):
            missing.append(" / ".join(CALENDAR_FILES))
        if missing:
            raise GtfsError(
                _("The feed lacks required files: %(files)s.") % {"files": ", ".join(missing)},
                code="gtfs_missing_file",
            )
        with transaction.atomic():
            version = FeedVersion.objects.create(
                source=path.name, sha256=_sha256(path), imported_at=clock.now()
            )
            loader = _Loader(feed, version, progress or _Silent())
            loader.load("agency.txt", ("agency_name", "agency_timezone"), loader.agency, Agency)
            loader.load(
                "stops.txt",
                ("stop_id", "stop_lat", "stop_lon"),
                loader.stop,
                Stop,
                _keep_ids(loader.stops, "stop_id"),
            )
            loader.load(
                "routes.txt",
                ("route_id", "route_type"),
                loader.route,
                Route,
                _keep_ids(loader.routes, "route_id"),
            )
            loader.load(
                "trips.txt",
                ("route_id", "service_id", "trip_id"),
                loader.trip,
                Trip,
                _keep_ids(loader.trips, "trip_id"),
            )
            loader.load(
                "stop_times.txt",
                ("trip_id", "stop_id", "stop_sequence"),
                loader.stop_time,
                StopTime,
            )
            loader.load(
                "shapes.txt",
                ("shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"),
                loader.shape_point,
                ShapePoint,
            )
            days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
            loader.load(
                "calendar.txt",
                ("service_id", *days, "start_date", "end_date"),
                loader.calendar,
                ServiceCalendar,
            )
            loader.load(
                "calendar_dates.txt",
                ("service_id", "date", "exception_type"),
                loader.calendar_date,
                ServiceException,
            )
            _retire_previous(keep=version)
            version.is_current = True
            version.counts = loader.counts
            version.problems = [str(problem) for problem in loader.problems[:KEPT_PROBLEMS]]
            version.problem_count = len(loader.problems)
            version.seconds = round(time.perf_counter() - started, 3)
            version.save()
    return Imported(version, loader.counts, loader.problems, version.seconds)


def _retire_previous(*, keep: FeedVersion) -> None:
    """Delete every other version's rows, children first (so each is one DELETE, not a
    cascade collected in memory)."""
    old = list(FeedVersion.objects.exclude(pk=keep.pk).values_list("pk", flat=True))
    if not old:
        return
    for model in (StopTime, ShapePoint, ServiceCalendar, ServiceException, Trip, Stop, Route):
        model.objects.filter(feed_id__in=old).delete()
    Agency.objects.filter(feed_id__in=old).delete()
    FeedVersion.objects.filter(pk__in=old).delete()

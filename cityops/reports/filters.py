"""The one filter definition for report lists: the API, Open311 and the console all use it.

``ReportFilter.from_params`` parses query parameters (canonical names below) into a typed
filter and reports every problem at once; ``apply`` narrows a queryset. Channels with their own
vocabulary (Open311's ``service_code``, ``start_date`` …) rename their parameters to these
before parsing, so the meaning of a filter never differs between channels.

| parameter | meaning |
|---|---|
| ``id`` | comma-separated report ids (other filters still apply) |
| ``category`` | comma-separated category codes (Open311 service codes) |
| ``status`` | comma-separated detailed statuses or groups (``open``, ``closed``) |
| ``area`` | comma-separated area codes |
| ``agency`` | comma-separated agency codes |
| ``bbox`` | ``min_lon,min_lat,max_lon,max_lat`` |
| ``submitted_from``, ``submitted_to`` | ISO-8601 date or datetime bounds of submission |
| ``updated_after``, ``updated_before`` | ISO-8601 bounds of the latest change |
| ``q`` | words that must all appear in the title, description or address (see below) |

Words are compared folded (``intel.text.fold``: "den duong" finds "Đèn đường" on every
database) with the report's stored search texts (``services.report_search_fields``). Unless the
caller says the reader may read the texts as written (IOC staff: ``reporter_identity_visible_to``),
only the words the public reads are searched — never a masked phone number, e-mail or citizen
ID, nor any part of one — so that no search confirms what a page hides.

Staff lists (the console) narrow further with ``StaffFilter``: ``priority``, ``channel`` and
``overdue``. They are kept out of ``ReportFilter`` so that the public API and Open311 offer
exactly the parameters they document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import ClassVar

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from cityops.intel.text import fold
from cityops.platform import clock
from cityops.platform.errors import InvalidInput
from cityops.reports.choices import Channel, Priority, ReportStatus, StatusGroup
from cityops.reports.models import Report

_MAX_IDS = 1000
_MAX_ID = 2**63 - 1  # the database's bigint
# The one range of dates accepted from outside (beyond, conversions to UTC overflow).
_FIRST_YEAR, _LAST_YEAR = clock.FIRST_DAY.year, clock.LAST_DAY.year
_MAX_WORDS = 10


@dataclass(frozen=True)
class BoundingBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


@dataclass(frozen=True)
class ReportFilter:
    """What a list of reports is narrowed to; empty fields do not filter."""

    ids: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: tuple[ReportStatus, ...] = ()
    areas: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    bbox: BoundingBox | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    words: tuple[str, ...] = field(default=())

    PARAMETERS: ClassVar[tuple[str, ...]] = (
        "id",
        "category",
        "status",
        "area",
        "agency",
        "bbox",
        "submitted_from",
        "submitted_to",
        "updated_after",
        "updated_before",
        "q",
    )

    @classmethod
    def from_params(cls, params: Mapping[str, str | None]) -> ReportFilter:
        """Parse query parameters; raises ``InvalidInput`` naming every bad parameter."""
        parser = _Parser({k: (v or "").strip() for k, v in params.items() if v})
        for name in sorted(parser.params):
            if "\x00" in parser.params[name]:
                parser.problem(name, "Contains a NUL character.")
        parsed = cls(
            ids=parser.ids("id"),
            categories=parser.words("category"),
            statuses=parser.statuses("status"),
            areas=parser.words("area"),
            agencies=parser.words("agency"),
            bbox=parser.bbox("bbox"),
            submitted_from=parser.moment("submitted_from", end_of_day=False),
            submitted_to=parser.moment("submitted_to", end_of_day=True),
            updated_after=parser.moment("updated_after", end_of_day=False),
            updated_before=parser.moment("updated_before", end_of_day=True),
            words=tuple(parser.text("q").split()[:_MAX_WORDS]),
        )
        for earlier, later in (
            ("submitted_from", "submitted_to"),
            ("updated_after", "updated_before"),
        ):
            start, end = getattr(parsed, earlier), getattr(parsed, later)
            if start and end and start > end:
                parser.problem(later, f"Must not be before {earlier}.")
        parser.raise_if_any()
        return parsed

    def apply(self, reports: QuerySet[Report], *, as_written: bool = False) -> QuerySet[Report]:
        """``reports`` narrowed; ``as_written``: the words are searched in the texts as written,
        personal data included (only for readers who see it: IOC staff)."""
        conditions = Q()
        if self.ids:
            conditions &= Q(pk__in=self.ids)
        if self.categories:
            conditions &= Q(category__code__in=self.categories)
        if self.statuses:
            conditions &= Q(status__in=self.statuses)
        if self.areas:
            conditions &= Q(area__code__in=self.areas)
        if self.agencies:
            conditions &= Q(agency__code__in=self.agencies)
        if self.bbox:
            conditions &= Q(
                lon__gte=self.bbox.min_lon,
                lon__lte=self.bbox.max_lon,
                lat__gte=self.bbox.min_lat,
                lat__lte=self.bbox.max_lat,
            )
        for name, lookup in (
            ("submitted_from", "submitted_at__gte"),
            ("submitted_to", "submitted_at__lte"),
            ("updated_after", "updated_at__gt"),
            ("updated_before", "updated_at__lte"),
        ):
            if value := getattr(self, name):
                conditions &= Q(**{lookup: value})
        searched = "search_text" if as_written else "search_text_public"
        for word in filter(None, (fold(word) for word in self.words)):
            # Both sides are folded: the database's own case and accent rules play no part.
            conditions &= Q(**{f"{searched}__contains": word})
        return reports.filter(conditions)


@dataclass(frozen=True)
class StaffFilter:
    """The staff's extra narrowing, applied on top of a ``ReportFilter``.

    | parameter | meaning |
    |---|---|
    | ``priority`` | comma-separated priorities (``urgent``, ``normal``, ``complex``) |
    | ``channel`` | comma-separated channels (``web``, ``hotline`` …) |
    | ``overdue`` | ``1``: only reports still in hand after their deadline |
    """

    priorities: tuple[Priority, ...] = ()
    channels: tuple[Channel, ...] = ()
    overdue_at: datetime | None = None  # only reports past their deadline at this moment

    PARAMETERS: ClassVar[tuple[str, ...]] = ("priority", "channel", "overdue")

    @classmethod
    def from_params(cls, params: Mapping[str, str | None], *, now: datetime) -> StaffFilter:
        """Parse query parameters; raises ``InvalidInput`` naming every bad parameter."""
        parser = _Parser(
            {k: (v or "").strip() for k, v in params.items() if v and k in cls.PARAMETERS}
        )
        parsed = cls(
            priorities=tuple(Priority(v) for v in parser.choices("priority", Priority.values)),
            channels=tuple(Channel(v) for v in parser.choices("channel", Channel.values)),
            overdue_at=now if parser.flag("overdue") else None,
        )
        parser.raise_if_any()
        return parsed

    def apply(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        conditions = Q()
        if self.priorities:
            conditions &= Q(priority__in=self.priorities)
        if self.channels:
            conditions &= Q(channel__in=self.channels)
        if self.overdue_at is not None:
            # Overdue is derived, never stored (Report.is_overdue says the same per report).
            conditions &= Q(status__in=ReportStatus.active(), due_at__lt=self.overdue_at)
        return reports.filter(conditions)


class _Parser:
    def __init__(self, params: Mapping[str, str]) -> None:
        self.params = params
        self.problems: dict[str, list[str]] = {}

    def problem(self, name: str, message: str) -> None:
        self.problems.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.problems:
            summary = "; ".join(f"{k}: {' '.join(v)}" for k, v in self.problems.items())
            raise InvalidInput(f"Invalid filter: {summary}", fields=self.problems)

    def text(self, name: str) -> str:
        return self.params.get(name, "")

    def words(self, name: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.text(name).split(",") if part.strip())

    def ids(self, name: str) -> tuple[int, ...]:
        values = self.words(name)
        if len(values) > _MAX_IDS:
            self.problem(name, f"At most {_MAX_IDS} ids.")
            return ()
        if not all(v.isascii() and v.isdigit() and int(v) <= _MAX_ID for v in values):
            self.problem(name, "Ids are whole numbers separated by commas.")
            return ()
        return tuple(int(v) for v in values)

    def choices(self, name: str, allowed: list[str]) -> tuple[str, ...]:
        chosen = self.words(name)
        unknown = [value for value in chosen if value not in allowed]
        if unknown:
            self.problem(name, f"Unknown value {unknown[0]!r}; use one of: {', '.join(allowed)}.")
            return ()
        return tuple(dict.fromkeys(chosen))

    def flag(self, name: str) -> bool:
        value = self.text(name).lower()
        if value in ("", "0", "false", "off", "no"):
            return False
        if value not in ("1", "true", "on", "yes"):
            self.problem(name, "Use 1 (yes) or 0 (no).")
            return False
        return True

    def statuses(self, name: str) -> tuple[ReportStatus, ...]:
        chosen: list[ReportStatus] = []
        for value in self.words(name):
            if value in StatusGroup.values:
                chosen.extend(ReportStatus.in_group(StatusGroup(value)))
            elif value in ReportStatus.values:
                chosen.append(ReportStatus(value))
            else:
                known = ", ".join([*StatusGroup.values, *ReportStatus.values])
                self.problem(name, f"Unknown status {value!r}; use one of: {known}.")
        return tuple(dict.fromkeys(chosen))

    def bbox(self, name: str) -> BoundingBox | None:
        text = self.text(name)
        if not text:
            return None
        try:
            min_lon, min_lat, max_lon, max_lat = (float(part) for part in text.split(","))
        except ValueError:
            self.problem(name, "Give four numbers: min_long,min_lat,max_long,max_lat.")
            return None
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            self.problem(name, "Corners out of range or in the wrong order.")
            return None
        return BoundingBox(min_lon, min_lat, max_lon, max_lat)

    def moment(self, name: str, *, end_of_day: bool) -> datetime | None:
        """A datetime (naive means the city's time zone) or a date (its start, or its end)."""
        text = self.text(name)
        if not text:
            return None
        try:
            # A bare date first: fromisoformat would read "2026-05-01" as its midnight.
            day = parse_date(text) if len(text) == 10 else None
            moment = None if day else parse_datetime(text)
        except ValueError:
            moment = day = None
        if moment is None and day is None:
            self.problem(name, "Use an ISO-8601 date or date-time, e.g. 2026-07-01T08:00:00+07:00.")
            return None
        if day is not None:
            moment = datetime.combine(day, time.max if end_of_day else time.min)
        assert moment is not None
        if not _FIRST_YEAR <= moment.year <= _LAST_YEAR:
            self.problem(name, f"Use a year between {_FIRST_YEAR} and {_LAST_YEAR}.")
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

"""Synthetic history in bulk: ``seed_bulk`` writes the rows ``life`` generates, in batches.

See ``cityops.demo.bulk.life`` for how each report's rows mirror the workflow.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from cityops.accounts.choices import Role
from cityops.agencies.choices import AgencyKind
from cityops.agencies.models import Agency
from cityops.demo.bulk.life import Cast, Generator, Story
from cityops.demo.demo_data import _citizens, _role_users, _suggested, _user
from cityops.demo.hue import catalogue
from cityops.reports.choices import EventKind, ReportStatus
from cityops.reports.models import Follow, Rating, Report, ReportEvent

S = ReportStatus

__all__ = ["seed_bulk"]


def _cast(rng: random.Random) -> Cast:
    users = _role_users()
    citizens = _citizens(rng, users["demo-citizen"])
    staff = {user.agency_id: user for user in users.values() if user.agency_id is not None}
    for agency in Agency.objects.all():
        if agency.pk not in staff:
            staff[agency.pk] = _user(
                f"demo-staff-{agency.code}", Role.AGENCY_STAFF, password=None, agency=agency
            )
    return Cast(
        operator=users["demo-operator"],
        citizens=citizens,
        staff=staff,
        ioc=Agency.objects.get(code=catalogue.IOC),
        others=list(Agency.objects.exclude(kind__in=[AgencyKind.IOC, AgencyKind.COMMITTEE])),
    )


def seed_bulk(
    *,
    reports: int,
    days: int = 365,
    seed: int = 2025,
    batch: int = 5_000,
    progress: bool = True,
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write ``reports`` synthetic reports over the last ``days`` days with bulk inserts.

    Needs the city configuration (``seed_configuration``). Each batch is its own transaction,
    so an interrupted seed keeps what it wrote.
    """
    rng = random.Random(seed)
    horizon = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=2)
    cast = _cast(rng)
    _suggested.cache_clear()
    generator = Generator(rng=rng, horizon=horizon, days=days, cast=cast)
    ids: list[int] = []  # every generated report's pk, in generation order
    originals: list[int] = []  # indexes (into ids) of reports that may be an original
    counts = {"reports": 0, "events": 0, "ratings": 0}
    bar = tqdm(total=reports, desc="Bulk reports", unit="report", disable=not progress)
    try:
        while counts["reports"] < reports:
            size = min(batch, reports - counts["reports"])
            stories: list[Story] = []
            for _ in range(size):
                index = len(ids) + len(stories)
                story = generator.story(index, reports, originals)
                stories.append(story)
                if story.report.status not in (S.REJECTED, S.DUPLICATE):
                    originals.append(index)
            with transaction.atomic():
                _write(stories, ids)
            counts["reports"] += size
            counts["events"] += sum(len(story.events) for story in stories)
            counts["ratings"] += sum(len(story.ratings) for story in stories)
            bar.update(size)
            if on_batch:
                on_batch(counts["reports"])
    finally:
        bar.close()
    return counts


def _write(stories: list[Story], ids: list[int]) -> None:
    """Insert one batch: reports (their pks come back), then events, ratings and follows."""
    first = len(ids)
    for story in stories:
        # An original from an earlier batch has its pk already; one from this batch is linked
        # once the batch is saved.
        if story.original_index is not None and story.original_index < first:
            story.report.duplicate_of_id = ids[story.original_index]
    created = Report.objects.bulk_create([story.report for story in stories])
    ids.extend(report.pk for report in created)
    late_links = []
    for story in stories:
        if story.original_index is not None and story.report.duplicate_of_id is None:
            story.report.duplicate_of_id = ids[story.original_index]
            late_links.append(story.report)
    if late_links:
        Report.objects.bulk_update(late_links, ["duplicate_of"])
    events = []
    for story in stories:
        original = story.report.duplicate_of_id
        for values in story.events:
            if values["kind"] in (EventKind.MERGED, EventKind.REJECTED) and original:
                values["data"]["original"] = original
            events.append(ReportEvent(report=story.report, **values))
    if connection.vendor == "postgresql":
        _copy_events(events)  # the same rows, through COPY: five times faster than INSERT
    else:
        ReportEvent.objects.bulk_create(events, batch_size=10_000)
    Rating.objects.bulk_create(
        [Rating(report=story.report, **values) for story in stories for values in story.ratings],
        batch_size=10_000,
    )
    follows = [
        Follow(
            report=story.report, user=story.report.reporter, created_at=story.report.submitted_at
        )
        for story in stories
        if story.report.reporter is not None
    ]
    # The reporter of a merged duplicate follows the original instead (report_merge does so).
    follows += [
        Follow(
            report=Report(pk=story.report.duplicate_of_id),
            user=story.report.reporter,
            created_at=story.report.updated_at,
        )
        for story in stories
        if story.report.status == S.DUPLICATE and story.report.reporter is not None
    ]
    Follow.objects.bulk_create(follows, batch_size=10_000, ignore_conflicts=True)


_EVENT_COLUMNS = (
    "report_id",
    "kind",
    "actor_id",
    "actor_role",
    "agency_id",
    "from_status",
    "to_status",
    "note",
    "visibility",
    "data",
    "created_at",
)


def _copy_events(events: list[ReportEvent]) -> None:
    """Write events with PostgreSQL's COPY (psycopg's ``copy``), row for row what bulk_create
    would insert; the timeline is by far the largest table of a synthetic history."""
    table = ReportEvent._meta.db_table
    columns = ", ".join(_EVENT_COLUMNS)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for event in events:
                copy.write_row(
                    (
                        event.report_id,
                        str(event.kind),
                        event.actor_id,
                        event.actor_role,
                        event.agency_id,
                        str(event.from_status),
                        str(event.to_status),
                        event.note,
                        str(event.visibility),
                        json.dumps(event.data, ensure_ascii=False),
                        event.created_at,
                    )
                )

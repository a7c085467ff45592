"""Intake on PostgreSQL writes a report without photos, its first event (and the reporter's
follow) in one statement: the same rows, the same event published, as row by row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityops.platform.events import subscribe
from cityops.reports.choices import Channel
from cityops.reports.models import Follow, Report, ReportEvent
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import submit
from cityops.reports.workflow import intake

pytestmark = pytest.mark.django_db

AT = datetime(2026, 12, 7, 8, 30, 15, 123456, tzinfo=UTC)


def _rows(report: Report) -> dict[str, Any]:
    """Everything written for ``report`` but the row ids (which differ between two reports)."""
    row = Report.objects.filter(pk=report.pk).values().get()
    events = list(ReportEvent.objects.filter(report=report).values())
    follows = list(Follow.objects.filter(report=report).values())
    for written in [row, *events, *follows]:
        written.pop("id")
        written.pop("report_id", None)
    return {"report": row, "events": events, "follows": follows}


@pytest.fixture
def published():
    seen: list[dict[str, Any]] = []
    unsubscribe = subscribe(lambda event: seen.append({"topic": event.topic, **event.payload}))
    yield seen
    unsubscribe()


@pytest.mark.parametrize("as_citizen", [False, True], ids=["anonymous", "citizen"])
def test_one_statement_writes_the_rows_the_orm_writes(
    monkeypatch, citizen, published, django_capture_on_commit_callbacks, as_citizen
):
    """(On SQLite both are row by row: this compares the two paths on PostgreSQL.)"""
    category = CategoryFactory(code="potholes")
    values: dict[str, Any] = {
        "category": category,
        "reporter": citizen if as_citizen else None,
        "channel": Channel.OPEN311,
        "address": "  12 Lê Lợi  ",
        "contact_name": "nguyễn văn an",
        "contact_phone": "0905 123 456",
        "contact_email": "an@example.vn",
        "device_id": "phone-42",
        "attributes": {"size": "large", "hazards": ["water", "night"]},
    }
    with time_machine.travel(AT, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            together = submit(**values)
        monkeypatch.setattr(intake, "inserts_together_supported", lambda: False)
        with django_capture_on_commit_callbacks(execute=True):
            one_by_one = submit(**values)

    assert _rows(together) == _rows(one_by_one)
    assert len(_rows(together)["follows"]) == (1 if as_citizen else 0)
    first, second = published
    assert (first["id"], second["id"]) == (together.pk, one_by_one.pk)
    assert {**first, "id": 0, "event": 0} == {**second, "id": 0, "event": 0}
    assert first["event"] == ReportEvent.objects.get(report=together).pk


def test_the_returned_report_is_the_saved_one():
    report = submit(description="Ổ gà lớn giữa đường Lê Lợi")

    assert not report._state.adding
    assert Report.objects.get(pk=report.pk).description == report.description
    report.title = "Ổ gà"
    report.save(update_fields=["title"])  # an ordinary saved row for whoever goes on with it
    assert Report.objects.get(pk=report.pk).title == "Ổ gà"


def test_a_report_and_its_event_are_one_statement_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no data-modifying WITH: row by row there")
    category = CategoryFactory(code="potholes")
    submit(category=category)  # configuration loaded once per process

    with CaptureQueriesContext(connection) as captured:
        submit(category=category)

    assert [q["sql"].split()[0] for q in captured.captured_queries] == ["WITH"]


def test_the_event_is_published_only_once_the_transaction_commits(
    published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = submit()

    assert published == []
    (publish,) = callbacks
    publish()
    assert published == [
        {
            "topic": "report.changed",
            "id": report.pk,
            "status": "submitted",
            "kind": "submitted",
            "agency": None,
            "event": ReportEvent.objects.get(report=report).pk,
        }
    ]

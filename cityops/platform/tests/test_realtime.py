"""Live events: the hub, the relays and the server-sent event streams of the console and agency."""

from __future__ import annotations

import json
import logging
import os
import uuid

import pytest
import redis
from asgiref.sync import async_to_sync
from django.test import AsyncClient, Client

from cityops.platform import realtime
from cityops.platform.events import Event, publish
from cityops.platform.tests.servers import redis_or_skip
from cityops.reports import workflow
from cityops.reports.choices import ReportStatus
from cityops.reports.tests.helpers import report_in

REDIS_URL = os.environ.get("CITYOPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def _fresh_relay(settings):
    settings.REDIS_URL = ""
    settings.CITYOPS_SSE_KEEPALIVE_SECONDS = 5
    realtime.relay_reset()
    yield
    realtime.relay_reset()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def parse(chunk: bytes | str) -> dict:
    """One SSE message as a dict of its fields; ``data`` decoded from JSON."""
    text = chunk.decode() if isinstance(chunk, bytes) else chunk
    fields = {}
    for line in text.strip().splitlines():
        name, _, value = line.partition(": ")
        fields[name] = value
    if "data" in fields:
        fields["data"] = json.loads(fields["data"])
    return fields


def open_stream(client: Client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    chunks = iter(response.streaming_content)
    assert next(chunks).startswith(b"retry: ")  # the listener is attached from here on
    return response, chunks


def test_the_hub_replays_what_a_reconnecting_client_missed():
    relay = realtime.LocalRelay()
    for n in range(5):
        relay.send(Event("report.changed", {"id": n}))
    ids = [m.id for m in relay.hub._recent]
    missed = relay.since(ids[1])
    assert [m.payload["id"] for m in missed] == [2, 3, 4]
    assert relay.since(ids[-1]) == []


@pytest.fixture
def passing_topic():
    realtime.topic_passing_add("bus.test-moved")
    yield "bus.test-moved"
    realtime._passing_topics.discard("bus.test-moved")


def test_a_passing_topic_goes_live_but_never_pushes_reports_out_of_the_backlog(passing_topic):
    relay = realtime.LocalRelay()
    relay.hub = realtime.Hub(backlog=3)
    listener = realtime.Listener()
    relay.hub.attach(listener)
    relay.send(Event("report.changed", {"id": 1}))
    for n in range(10):
        relay.send(Event(passing_topic, {"bus": n}))
    relay.send(Event("report.changed", {"id": 2}))

    seen = [listener.next(timeout=1) for _ in range(12)]
    assert [m.payload.get("bus") for m in seen if m.topic == passing_topic] == list(range(10))
    first_report = seen[0]
    assert [m.payload["id"] for m in relay.since(first_report.id)] == [2]  # no gap, no buses
    sse = next(m for m in seen if m.topic == passing_topic).as_sse()
    assert "id:" not in sse  # the browser's Last-Event-ID stays on the reports' feed
    assert sse.startswith(f"event: {passing_topic}\n")


def test_the_hub_asks_for_a_reload_when_the_missed_events_are_gone():
    relay = realtime.LocalRelay()
    relay.hub = realtime.Hub(backlog=3)
    for n in range(6):
        relay.send(Event("report.changed", {"id": n}))
    oldest_kept = relay.hub._recent[0]
    assert relay.since(f"{oldest_kept.id.split('-')[0]}-1") is None
    # An id from before a restart (another start time) cannot be continued either.
    assert relay.since("1-1") is None
    assert relay.since("garbage") is None


def test_an_operator_sees_a_committed_report_change_live(
    operator, django_capture_on_commit_callbacks
):
    response, chunks = open_stream(signed_in(operator), "/console/events/")
    report = report_in(ReportStatus.SUBMITTED, operator=operator)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_accept(report=report, actor=operator)
    message = parse(next(chunks))
    assert message["event"] == "report.changed"
    assert message["data"]["id"] == report.pk
    assert message["data"]["status"] == "accepted"
    assert message["data"]["kind"] == "accepted"
    response.close()
    assert realtime.relay().hub.connections == 0


def test_an_idle_stream_sends_keepalive_comments(operator, settings):
    settings.CITYOPS_SSE_KEEPALIVE_SECONDS = 0.05
    response, chunks = open_stream(signed_in(operator), "/console/events/")
    assert next(chunks) == b": keepalive\n\n"
    response.close()


def test_a_reconnecting_console_gets_the_missed_events_once_then_live_ones(operator):
    publish(Event("report.changed", {"id": 1, "agency": None}))
    publish(Event("report.changed", {"id": 2, "agency": None}))
    first_id = realtime.relay().hub._recent[0].id
    response, chunks = open_stream(
        signed_in(operator), "/console/events/", HTTP_LAST_EVENT_ID=first_id
    )
    assert parse(next(chunks))["data"]["id"] == 2
    publish(Event("report.changed", {"id": 3, "agency": None}))
    assert parse(next(chunks))["data"]["id"] == 3
    response.close()


def test_a_client_too_far_behind_is_told_to_reload(operator):
    publish(Event("report.changed", {"id": 1}))
    response, chunks = open_stream(
        signed_in(operator), "/console/events/", HTTP_LAST_EVENT_ID="1-1"
    )
    assert parse(next(chunks))["event"] == "reset"
    response.close()


def test_agency_staff_see_only_their_agency_s_reports_and_no_more_than_the_status(
    operator, agency, other_agency, agency_staff, django_capture_on_commit_callbacks
):
    response, chunks = open_stream(signed_in(agency_staff), "/agency/events/")
    elsewhere = report_in(ReportStatus.ACCEPTED, operator=operator)
    ours = report_in(ReportStatus.ACCEPTED, operator=operator)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_assign(report=elsewhere, agency=other_agency, actor=operator)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_assign(report=ours, agency=agency, actor=operator)
    message = parse(next(chunks))
    assert message["data"] == {"id": ours.pk, "status": "assigned", "kind": "assigned"}
    response.close()


def test_a_report_returned_by_the_agency_leaves_its_inbox_live(
    operator, agency, agency_staff, django_capture_on_commit_callbacks
):
    report = report_in(ReportStatus.ASSIGNED, operator=operator, agency=agency, staff=agency_staff)
    response, chunks = open_stream(signed_in(agency_staff), "/agency/events/")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_return(report=report, actor=agency_staff, reason="Không thuộc thẩm quyền")
    assert parse(next(chunks))["data"]["status"] == "accepted"
    response.close()


def test_alarm_events_reach_the_console_but_not_agencies(operator, agency_staff):
    console, console_chunks = open_stream(signed_in(operator), "/console/events/")
    inbox, inbox_chunks = open_stream(signed_in(agency_staff), "/agency/events/")
    publish(Event("alarm.changed", {"id": 7, "state": "active"}))
    publish(Event("report.changed", {"id": 8, "agency": agency_staff.agency_id}))
    assert parse(next(console_chunks))["event"] == "alarm.changed"
    assert parse(next(inbox_chunks))["data"]["id"] == 8  # the alarm was skipped
    console.close()
    inbox.close()


@pytest.mark.parametrize("url", ["/console/events/", "/agency/events/"])
def test_event_streams_are_closed_to_citizens_and_anonymous_visitors(url, citizen):
    assert Client().get(url).status_code == 302
    assert signed_in(citizen).get(url).status_code == 403


def test_under_asgi_the_stream_is_asynchronous_and_delivers_events(operator):
    async def first_event() -> dict:
        client = AsyncClient()
        await client.aforce_login(operator)
        response = await client.get("/console/events/")
        chunks = response.streaming_content.__aiter__()
        assert (await chunks.__anext__()).startswith(b"retry: ")
        publish(Event("report.changed", {"id": 42, "agency": None}))
        message = parse(await chunks.__anext__())
        await chunks.aclose()
        return message

    assert async_to_sync(first_event)()["data"]["id"] == 42


# The production relay: a Redis stream shared by processes.


@pytest.fixture
def redis_key():
    redis_or_skip(REDIS_URL)
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    key = f"cityops:test-events:{uuid.uuid4().hex}"
    yield key
    client.delete(key)


def test_an_event_sent_by_one_process_reaches_the_hub_of_another(redis_key):
    web_a = realtime.RedisRelay(REDIS_URL, key=redis_key)
    web_b = realtime.RedisRelay(REDIS_URL, key=redis_key)
    listener = realtime.Listener()
    web_b.hub.attach(listener)
    web_b.start()
    try:
        web_a.send(Event("report.changed", {"id": 5}))
        message = listener.next(timeout=5)
        assert message is not None
        assert message.payload == {"id": 5}
        # A client of web_a that reconnects with that id has nothing more to catch up on ...
        assert web_a.since(message.id) == []
        # ... and one that was a step behind gets it from the stream, in either process.
        web_a.send(Event("report.changed", {"id": 6}))
        assert [m.payload["id"] for m in web_a.since(message.id)] == [6]
    finally:
        web_b.stop()


def test_on_redis_a_passing_topic_travels_beside_the_replayable_stream(redis_key, passing_topic):
    web_a = realtime.RedisRelay(REDIS_URL, key=redis_key)
    web_b = realtime.RedisRelay(REDIS_URL, key=redis_key)
    listener = realtime.Listener()
    web_b.hub.attach(listener)
    web_b.start()
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        web_a.send(Event("report.changed", {"id": 7}))
        report = listener.next(timeout=5)
        for n in range(3):
            web_a.send(Event(passing_topic, {"bus": n}))
        buses = [listener.next(timeout=5) for _ in range(3)]
        assert [(m.id, m.payload["bus"]) for m in buses] == [("", 0), ("", 1), ("", 2)]
        assert client.xlen(redis_key) == 1  # only the report's event can be replayed
        assert web_a.since(report.id) == []
    finally:
        web_b.stop()
        client.delete(f"{redis_key}:passing")


def test_with_redis_down_a_state_change_still_commits_and_is_logged(
    caplog, operator, settings, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    realtime.relay_reset()
    report = report_in(ReportStatus.SUBMITTED, operator=operator)
    with (
        caplog.at_level(logging.ERROR, logger="cityops.platform.realtime"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workflow.report_accept(report=report, actor=operator)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert "could not relay report.changed to Redis" in caplog.text

"""The Messenger webhook: Meta's verification, signed messages to a report, news back on
Messenger; and many citizens at once, some deliveries repeated: nothing lost, nothing doubled."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from cityops.channels import outbound
from cityops.channels.choices import Direction
from cityops.channels.models import ChannelMessage, Conversation
from cityops.reports import workflow
from cityops.reports.choices import Channel
from cityops.reports.models import Report, ReportEvent
from cityops.webhooks.messenger import meta_signature
from cityops.webhooks.tests.conftest import INSIDE_HUE, META_APP_SECRET, META_VERIFY_TOKEN

pytestmark = pytest.mark.django_db
URL = "/webhooks/messenger/"
PAGE = "106433968765432"


def meta_call(*messages: tuple[str, str, dict]) -> bytes:
    """A page webhook call as Meta's documentation shows it: ``(sender, mid, message)``."""
    messaging = [
        {
            "sender": {"id": sender},
            "recipient": {"id": PAGE},
            "timestamp": 1765072800000,
            "message": {"mid": mid, **message},
        }
        for sender, mid, message in messages
    ]
    entry = [{"id": PAGE, "time": 1765072800000, "messaging": messaging}]
    return json.dumps({"object": "page", "entry": entry}, ensure_ascii=False).encode()


def location(lat: float, lon: float) -> dict:
    coordinates = {"lat": lat, "long": lon}
    return {"attachments": [{"type": "location", "payload": {"coordinates": coordinates}}]}


def deliver(client, body: bytes, *, signature: str | None = None):
    signature = signature or meta_signature(raw_body=body, app_secret=META_APP_SECRET)
    return client.post(
        URL, body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature
    )


def test_meta_verification_echoes_the_challenge_only_for_our_token(client, channels_on):
    asked = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}

    answer = client.get(URL, {**asked, "hub.verify_token": META_VERIFY_TOKEN})
    assert (answer.status_code, answer.content) == (200, b"1158201444")
    assert client.get(URL, {**asked, "hub.verify_token": "guess"}).status_code == 403


def test_a_citizen_reports_on_messenger_and_hears_of_the_report_there(
    client, channels_on, city, operator, settings
):
    fake = channels_on
    psid = "7012345678901234"
    text = {"text": "Ổ gà lớn giữa đường Lê Lợi rất nguy hiểm 16.4637, 107.5909"}
    assert deliver(client, meta_call((psid, "m_1", text))).status_code == 200
    assert "Hạ tầng giao thông" in fake.texts_to(psid)[-1]  # place read from the text; confirm

    assert deliver(client, meta_call((psid, "m_2", {"text": "2"}))).status_code == 200
    listing = fake.texts_to(psid)[-1]
    assert "1. Hạ tầng giao thông" in listing
    assert "Khác" in listing
    number = next(
        line.split(".")[0] for line in listing.splitlines() if line.endswith("Vệ sinh môi trường")
    )
    assert deliver(client, meta_call((psid, "m_3", {"text": number}))).status_code == 200

    report = Report.objects.get()
    assert (report.channel, report.category) == (Channel.FACEBOOK, city["sanitation"])
    assert report.description == "Ổ gà lớn giữa đường Lê Lợi rất nguy hiểm"
    assert f"{settings.CITYOPS_SITE_URL}/reports/{report.pk}" in fake.texts_to(psid)[-1]

    workflow.report_accept(report=report, actor=operator)
    event = ReportEvent.objects.filter(report=report).latest("created_at", "pk")
    assert outbound.channel_replies_send(event_id=event.pk) == 1
    assert f"#{report.pk}" in fake.texts_to(psid)[-1]
    assert ChannelMessage.objects.filter(direction=Direction.OUT).latest("pk").external_id == "m_4"


def test_a_bad_signature_is_refused_and_nothing_is_kept(client, channels_on):
    body = meta_call(("7012345678901234", "m_1", {"text": "Rác thải"}))
    wrong = meta_signature(raw_body=body, app_secret="not-our-secret")

    assert deliver(client, body, signature=wrong).status_code == 401
    assert client.post(URL, body, content_type="application/json").status_code == 401
    assert ChannelMessage.objects.count() == 0
    assert Conversation.objects.count() == 0
    assert channels_on.sent == []


def test_the_page_s_own_echoes_are_not_taken_as_citizens_messages(client, channels_on):
    echo = {"text": "Cảm ơn", "is_echo": True}
    assert deliver(client, meta_call(("7012345678901234", "m_echo", echo))).status_code == 200

    assert ChannelMessage.objects.count() == 0


def test_the_webhook_is_not_there_while_facebook_is_off(client, channels_on, settings):
    settings.CITYOPS_CHANNELS = {**settings.CITYOPS_CHANNELS, "facebook": False}

    assert client.get(URL, {"hub.mode": "subscribe"}).status_code == 404
    assert deliver(client, meta_call(("7012345678901234", "m_1", {"text": "x"}))).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_many_citizens_at_once_with_repeated_deliveries_lose_and_double_nothing(channels_on, city):
    """100 messages from 8 threads (50 citizens: a report with its place, then "1"), 20 of them
    delivered twice: every message kept once, one report per citizen."""
    citizens = [f"70000000000{n:05d}" for n in range(50)]
    first = [
        meta_call(
            (psid, f"m_{psid}_a", {"text": "Rác thải đổ bừa bãi, bốc mùi", **location(*INSIDE_HUE)})
        )
        for psid in citizens
    ]
    second = [meta_call((psid, f"m_{psid}_b", {"text": "1"})) for psid in citizens]
    # SQLite takes one writer at a time: there the same deliveries go one after another.
    threads = 8 if connection.vendor == "postgresql" else 1

    def send(bodies: list[bytes]) -> list[int]:
        client = Client()
        try:
            return [deliver(client, body).status_code for body in bodies]
        finally:
            connection.close()  # this thread's own connection

    statuses = []
    for batch in (first + first[:10], second + second[:10]):
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for answers in pool.map(send, [batch[n::threads] for n in range(threads)]):
                statuses += answers

    assert statuses == [200] * 120
    assert ChannelMessage.objects.filter(direction=Direction.IN).count() == 100
    assert Report.objects.count() == 50
    assert set(Report.objects.values_list("channel", flat=True)) == {Channel.FACEBOOK}
    assert Conversation.objects.filter(report__isnull=False).count() == 50


@pytest.mark.django_db(transaction=True)
def test_a_text_and_a_location_sent_at_once_make_one_conversation(channels_on, city):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (the PostgreSQL pass runs this)")
    psid = "7012345678900001"
    bodies = [
        meta_call((psid, "m_text", {"text": "Rác thải đổ bừa bãi ở đầu kiệt, bốc mùi hôi"})),
        meta_call((psid, "m_place", location(*INSIDE_HUE))),
    ]

    def send(body: bytes) -> int:
        try:
            return deliver(Client(), body).status_code
        finally:
            connection.close()

    for _ in range(5):
        Conversation.objects.all().delete()
        with ThreadPoolExecutor(max_workers=2) as pool:
            assert list(pool.map(send, bodies)) == [200, 200]
        conversation = Conversation.objects.get()
        assert conversation.draft["awaiting"] == "confirm"
        ChannelMessage.objects.all().delete()
        bodies = [body.replace(b'"m_', b'"m_x') for body in bodies]

"""The Zalo OA webhook: from a signed message to a report, and the report's news back on Zalo."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from cityops.channels import outbound
from cityops.channels.choices import ConversationState, Delivery, Direction
from cityops.channels.models import ChannelMessage, Conversation
from cityops.reports import workflow
from cityops.reports.choices import Channel
from cityops.reports.models import Report, ReportEvent
from cityops.webhooks.tests.conftest import INSIDE_HUE, OUTSIDE_HUE, ZALO_APP_ID, ZALO_OA_SECRET
from cityops.webhooks.zalo import zalo_signature

pytestmark = pytest.mark.django_db
URL = "/webhooks/zalo/"
CITIZEN = "2468458835296117922"


def zalo_event(msg_id: str, *, text: str = "", location=None, image_url: str = "") -> bytes:
    """A ``user_send_*`` event as Zalo's webhook documentation shows it."""
    message: dict = {"msg_id": msg_id, "text": text}
    name = "user_send_text"
    if location is not None:
        name = "user_send_location"
        coordinates = {"latitude": str(location[0]), "longitude": str(location[1])}
        message["attachments"] = [{"type": "location", "payload": {"coordinates": coordinates}}]
    if image_url:
        name = "user_send_image"
        message["attachments"] = [
            {"type": "image", "payload": {"thumbnail": image_url, "url": image_url}}
        ]
    event = {
        "app_id": ZALO_APP_ID,
        "user_id_by_app": "552177279717587730",
        "event_name": name,
        "timestamp": "1765072800000",
        "sender": {"id": CITIZEN},
        "recipient": {"id": "388613280878808645"},
        "message": message,
    }
    return json.dumps(event, ensure_ascii=False).encode()


def deliver(client, body: bytes, *, signature: str | None = None):
    if signature is None:
        signature = zalo_signature(
            raw_body=body, timestamp="1765072800000", app_id=ZALO_APP_ID,
            oa_secret_key=ZALO_OA_SECRET,
        )  # fmt: skip
    return client.post(
        URL, body, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE=signature
    )


def test_a_citizen_reports_on_zalo_and_hears_of_the_report_there(
    client, channels_on, city, operator, settings
):
    fake = channels_on
    assert (
        deliver(
            client, zalo_event("z1", text="Rác thải đổ bừa bãi ở đầu kiệt, bốc mùi hôi thối")
        ).status_code
        == 200
    )
    assert "16.4637, 107.5909" in fake.texts_to(CITIZEN)[-1]  # asked where it is

    assert deliver(client, zalo_event("z2", location=INSIDE_HUE)).status_code == 200
    assert "Vệ sinh môi trường" in fake.texts_to(CITIZEN)[-1]  # the guess, to confirm

    assert deliver(client, zalo_event("z3", text="có")).status_code == 200
    report = Report.objects.get()
    assert (report.channel, report.category, report.lat) == (
        Channel.ZALO,
        city["sanitation"],
        16.4637,
    )
    assert "Rác thải" in report.description
    acknowledgement = fake.texts_to(CITIZEN)[-1]
    assert f"#{report.pk}" in acknowledgement
    assert settings.CITYOPS_SITE_URL + reverse("portal:report", args=[report.pk]) in acknowledgement
    conversation = Conversation.objects.get()
    assert (conversation.state, conversation.report) == (ConversationState.FOLLOWING, report)
    kept = ChannelMessage.objects.filter(direction=Direction.IN)
    assert sorted(kept.values_list("external_id", flat=True)) == ["z1", "z2", "z3"]
    assert all(message.report == report for message in kept)
    assert '"msg_id": "z1"' in kept.get(external_id="z1").payload

    workflow.report_accept(report=report, actor=operator)
    event = ReportEvent.objects.filter(report=report).latest("created_at", "pk")
    assert outbound.channel_replies_send(event_id=event.pk) == 1
    news = fake.texts_to(CITIZEN)[-1]
    assert f"#{report.pk}" in news
    assert news != acknowledgement
    sent = ChannelMessage.objects.filter(direction=Direction.OUT, delivery=Delivery.SENT)
    assert sent.count() == 4
    assert sent.latest("pk").external_id.startswith("zmsg-")


def test_a_bad_or_missing_signature_is_refused_and_nothing_is_kept(client, channels_on):
    fake = channels_on
    body = zalo_event("z1", text="Rác thải đổ bừa bãi")
    signature_of_body = zalo_signature(
        raw_body=body, timestamp="1765072800000", app_id=ZALO_APP_ID, oa_secret_key=ZALO_OA_SECRET
    )
    tampered = body.replace("Rác".encode(), "Rắn".encode())

    assert deliver(client, body, signature="mac=" + "0" * 64).status_code == 401
    assert client.post(URL, body, content_type="application/json").status_code == 401
    assert deliver(client, tampered, signature=signature_of_body).status_code == 401
    assert ChannelMessage.objects.count() == 0
    assert Conversation.objects.count() == 0
    assert fake.sent == []


def test_a_repeated_delivery_makes_one_report(client, channels_on):
    fake = channels_on
    first = zalo_event("z1", text="Rác thải đổ bừa bãi ở đầu kiệt, bốc mùi hôi thối")
    for body in [first, first, zalo_event("z2", location=INSIDE_HUE), zalo_event("z3", text="1")]:
        assert deliver(client, body).status_code == 200
    assert deliver(client, zalo_event("z3", text="1")).status_code == 200

    assert Report.objects.count() == 1
    assert ChannelMessage.objects.filter(direction=Direction.IN).count() == 3
    assert len(fake.texts_to(CITIZEN)) == 3  # one answer per message, none for the repeats


def test_a_place_outside_the_city_is_refused_with_a_reason(client, channels_on):
    fake = channels_on
    deliver(client, zalo_event("z1", text="Ổ gà lớn giữa đường rất nguy hiểm"))
    deliver(client, zalo_event("z2", location=OUTSIDE_HUE))

    refusal, question = fake.texts_to(CITIZEN)[-2:]
    assert refusal != question
    assert "16.4637, 107.5909" in question
    assert Conversation.objects.get().draft.get("lat") is None
    assert Report.objects.count() == 0


def test_a_photo_sent_on_zalo_is_attached_to_the_report(client, channels_on):
    fake = channels_on
    deliver(client, zalo_event("z0", image_url=fake.url + "/cdn/photo.jpg"))
    deliver(client, zalo_event("z1", text="Rác thải đổ bừa bãi ở đầu kiệt, bốc mùi hôi thối"))
    deliver(client, zalo_event("z2", location=INSIDE_HUE))
    deliver(client, zalo_event("z3", text="đúng"))

    assert Report.objects.get().attachments.count() == 1


def test_a_photo_too_large_is_not_fetched_whole_and_the_citizen_is_told(client, channels_on):
    fake = channels_on
    deliver(client, zalo_event("z0", image_url=fake.url + "/cdn/huge.jpg"))

    problem, question = fake.texts_to(CITIZEN)
    assert problem != question
    assert Conversation.objects.get().draft.get("photos", []) == []
    assert ChannelMessage.objects.get(direction=Direction.IN).external_id == "z0"


def test_the_webhook_is_not_there_while_zalo_is_off(client, channels_on, settings):
    settings.CITYOPS_CHANNELS = {**settings.CITYOPS_CHANNELS, "zalo": False}

    assert deliver(client, zalo_event("z1", text="Rác")).status_code == 404
    assert client.get(URL).status_code == 404
    assert ChannelMessage.objects.count() == 0


def test_past_the_channel_rate_zalo_is_told_to_come_back_later(client, channels_on, settings):
    settings.CITYOPS_RATE_LIMITS = {**settings.CITYOPS_RATE_LIMITS, "webhook_per_channel": "2/h"}
    answers = [deliver(client, zalo_event(f"rate-{n}", text="Rác")) for n in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0


def test_a_refused_access_token_is_kept_as_a_failed_answer(client, channels_on, settings):
    settings.CITYOPS_ZALO_OA_ACCESS_TOKEN = "expired"
    deliver(client, zalo_event("z1", text="Rác thải đổ bừa bãi"))

    failed = ChannelMessage.objects.get(direction=Direction.OUT)
    assert failed.delivery == Delivery.FAILED
    assert "-216" in failed.error
    assert ChannelMessage.objects.filter(direction=Direction.IN).count() == 1

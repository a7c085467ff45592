"""The channels' common ground: a delivery kept once, a conversation that follows its report
and hears of its public changes on its own channel."""

from __future__ import annotations

import pytest

from cityops.channels import outbound
from cityops.channels.choices import ConversationState, Delivery, Direction
from cityops.channels.models import ChannelMessage
from cityops.channels.services import conversation_follow, conversation_open, message_receive
from cityops.reports import workflow
from cityops.reports.choices import Channel
from cityops.reports.models import ReportEvent
from cityops.reports.tests.helpers import report_in


@pytest.fixture
def sent_here():
    """A fake adapter for the Zalo channel that keeps what it was asked to send."""
    sent: list[tuple[str, str]] = []

    def adapter(*, conversation, text):
        if "refuse" in conversation.address:
            raise outbound.SendFailed("403 the user blocked the page")
        sent.append((conversation.address, text))
        return f"zalo-{len(sent)}"

    before = outbound.adapter_for(Channel.ZALO)
    outbound.adapter_register(channel=Channel.ZALO, adapter=adapter)
    yield sent
    if before is not None:
        outbound.adapter_register(channel=Channel.ZALO, adapter=before)


@pytest.mark.django_db
def test_the_same_delivery_twice_is_kept_once():
    first = message_receive(channel=Channel.ZALO, address="u1", external_id="m-1", text="Rác")
    again = message_receive(channel=Channel.ZALO, address="u1", external_id="m-1", text="Rác")

    assert first.new
    assert not again.new
    assert again.message.pk == first.message.pk
    assert ChannelMessage.objects.filter(direction=Direction.IN).count() == 1


@pytest.mark.django_db
def test_the_same_id_on_another_channel_is_another_message():
    message_receive(channel=Channel.ZALO, address="u1", external_id="m-1")
    other = message_receive(channel=Channel.FACEBOOK, address="u1", external_id="m-1")

    assert other.new


@pytest.mark.django_db
def test_a_citizen_keeps_one_gathering_conversation_per_channel():
    first = conversation_open(channel=Channel.ZALO, address="u1")

    assert conversation_open(channel=Channel.ZALO, address="u1") == first
    assert conversation_open(channel=Channel.ZALO, address="u2") != first
    assert conversation_open(channel=Channel.FACEBOOK, address="u1") != first


@pytest.mark.django_db
def test_a_public_change_goes_back_on_the_conversation_in_its_language(
    sent_here, citizen, operator, agency, agency_staff, settings
):
    report = report_in(
        "in_progress", operator=operator, reporter=citizen, agency=agency, staff=agency_staff
    )
    conversation = conversation_open(channel=Channel.ZALO, address="u1")
    message_receive(channel=Channel.ZALO, address="u1", text="Đèn hỏng", conversation=conversation)
    conversation_follow(conversation=conversation, report_id=report.pk)

    workflow.report_resolve(report=report, actor=agency_staff, result="Đã thay bóng đèn.")
    event = ReportEvent.objects.filter(report=report).latest("created_at", "pk")
    assert outbound.channel_replies_send(event_id=event.pk) == 1

    address, text = sent_here[0]
    assert address == "u1"
    assert f"#{report.pk}" in text
    assert "Đã xử lý" in text
    assert "Đã thay bóng đèn." in text
    assert f"{settings.CITYOPS_SITE_URL}/reports/{report.pk}" in text
    kept = ChannelMessage.objects.get(direction=Direction.OUT)
    assert (kept.delivery, kept.external_id, kept.report) == (Delivery.SENT, "zalo-1", report)
    assert conversation.messages.filter(direction=Direction.IN).get().report == report
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.FOLLOWING


@pytest.mark.django_db
def test_a_refused_send_is_kept_as_failed_with_the_reason(
    sent_here, citizen, operator, agency, agency_staff
):
    report = report_in(
        "in_progress", operator=operator, reporter=citizen, agency=agency, staff=agency_staff
    )
    conversation = conversation_open(channel=Channel.ZALO, address="refuse-me")
    conversation_follow(conversation=conversation, report_id=report.pk)

    message = outbound.message_send(conversation=conversation, text="Phản ánh đã được xử lý")

    assert message.delivery == Delivery.FAILED
    assert "blocked" in message.error
    assert sent_here == []

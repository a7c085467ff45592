"""A person's texts and browsers are their personal data: in their export, gone with their
account (Law 91/2025)."""

from __future__ import annotations

import pytest

from cityops.accounts.selectors import user_data_export
from cityops.accounts.services import user_delete
from cityops.accounts.tests.factories import UserFactory
from cityops.channels.choices import ConversationState, Direction
from cityops.channels.models import ChannelMessage, Conversation, PushSubscription
from cityops.channels.outbound import message_send
from cityops.channels.services import conversation_open, message_receive
from cityops.reports.choices import Channel

PASSWORD = "a-long-enough-passphrase-42"


@pytest.fixture
def texter(db):
    user = UserFactory(username="lan", phone="0905123456", email="")
    user.set_password(PASSWORD)
    user.save()
    conversation = conversation_open(channel=Channel.SMS, address="0905123456")
    message_receive(
        channel=Channel.SMS, address="0905123456", external_id="in-1",
        text="Cây đổ ở 12 Lê Lợi, gọi tôi 0905123456", conversation=conversation,
    )  # fmt: skip
    message_send(conversation=conversation, text="Phản ánh #1: Đã gửi.")
    PushSubscription.objects.create(
        user=user, endpoint="https://push.example/abc", p256dh="k", auth="a", user_agent="Firefox"
    )
    other = conversation_open(channel=Channel.SMS, address="0911000111")
    message_receive(
        channel=Channel.SMS, address="0911000111", text="Người khác", conversation=other
    )
    return user


@pytest.mark.django_db
def test_the_export_holds_the_person_s_texts_both_ways_and_their_browsers(texter):
    exported = user_data_export(user=texter)

    assert [c["address"] for c in exported["conversations"]] == ["0905123456"]
    texts = [(m["direction"], m["text"]) for m in exported["channel_messages"]]
    assert texts == [
        (Direction.IN, "Cây đổ ở 12 Lê Lợi, gọi tôi 0905123456"),
        (Direction.OUT, "Phản ánh #1: Đã gửi."),
    ]
    assert exported["push_subscriptions"][0]["browser"] == "Firefox"
    assert "Người khác" not in str(exported)


@pytest.mark.django_db
def test_deleting_the_account_blanks_its_texts_and_forgets_its_browsers(texter):
    user_delete(user=texter, password=PASSWORD)

    assert not PushSubscription.objects.exists()
    mine = Conversation.objects.exclude(address="0911000111").get()
    assert (mine.address, mine.state, mine.draft) == ("", ConversationState.CLOSED, {})
    blanked = ChannelMessage.objects.filter(conversation=mine)
    assert blanked.count() == 2
    assert set(blanked.values_list("address", "text", "payload")) == {("", "", "")}
    assert ChannelMessage.objects.filter(text="Người khác").exists()  # someone else's stays

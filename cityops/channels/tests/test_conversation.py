"""The short conversation that gathers a report on a chat channel, one question at a time."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from cityops.agencies.tests.factories import AreaFactory
from cityops.channels.choices import ConversationState
from cityops.channels.conversation import conversation_take
from cityops.channels.services import conversation_open
from cityops.reports.choices import Channel
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory

INSIDE_HUE = (16.4637, 107.5909)
OUTSIDE_HUE = (21.0285, 105.8542)
EXAMPLE = "16.4637, 107.5909"  # the example the place question gives
PROBLEM = "Rác thải đổ bừa bãi ở đầu kiệt, bốc mùi hôi thối"


@pytest.fixture
def conversation(db):
    AreaFactory()
    CategoryFactory(code="sanitation", name="Vệ sinh môi trường", name_en="Sanitation")
    CategoryFactory(code="other", name="Khác", name_en="Other")
    return conversation_open(channel=Channel.ZALO, address="zalo-user-1")


def take(conversation, **message):
    return conversation_take(conversation=conversation, **message)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_problem_without_a_place_is_asked_where_it_is(conversation):
    replies = take(conversation, text=PROBLEM)

    assert len(replies) == 1
    assert EXAMPLE in replies[0]
    conversation.refresh_from_db()
    assert conversation.draft["awaiting"] == "location"
    assert Report.objects.count() == 0


def test_a_place_without_a_problem_is_asked_what_is_wrong(conversation):
    (question,) = take(conversation, lat=INSIDE_HUE[0], lon=INSIDE_HUE[1])

    conversation.refresh_from_db()
    assert conversation.draft["awaiting"] == "text"
    assert EXAMPLE not in question


def test_the_guessed_field_is_confirmed_then_the_report_is_sent_with_its_link(
    conversation, settings
):
    take(conversation, text=PROBLEM)
    (question,) = take(conversation, lat=INSIDE_HUE[0], lon=INSIDE_HUE[1])
    assert "Vệ sinh môi trường" in question

    (acknowledgement,) = take(conversation, text="Có")

    report = Report.objects.get()
    assert (report.channel, report.category.code, report.description) == (
        Channel.ZALO, "sanitation", PROBLEM,
    )  # fmt: skip
    assert f"#{report.pk}" in acknowledgement
    assert f"{settings.CITYOPS_SITE_URL}/reports/{report.pk}" in acknowledgement
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.FOLLOWING
    assert conversation.report == report
    assert conversation.draft == {}


def test_coordinates_typed_in_the_text_are_the_place(conversation):
    (question,) = take(conversation, text=f"{PROBLEM} {INSIDE_HUE[0]}, {INSIDE_HUE[1]}")

    assert "Vệ sinh môi trường" in question
    conversation.refresh_from_db()
    assert (conversation.draft["lat"], conversation.draft["text"]) == (INSIDE_HUE[0], PROBLEM)


def test_a_refused_guess_offers_a_numbered_list_to_choose_from(conversation):
    take(conversation, text=PROBLEM, lat=INSIDE_HUE[0], lon=INSIDE_HUE[1])
    (listing,) = take(conversation, text="không")
    assert "1. Vệ sinh môi trường" in listing
    assert "2. Khác" in listing

    take(conversation, text="2")

    assert Report.objects.get().category.code == "other"


def test_a_place_outside_the_city_is_refused_and_asked_again(conversation):
    take(conversation, text=PROBLEM)
    refusal, question = take(conversation, lat=OUTSIDE_HUE[0], lon=OUTSIDE_HUE[1])

    assert EXAMPLE in question
    assert EXAMPLE not in refusal
    conversation.refresh_from_db()
    assert "lat" not in conversation.draft


def test_cancel_drops_the_draft_and_its_photos(conversation):
    take(conversation, photo=jpeg())
    conversation.refresh_from_db()
    (kept,) = conversation.draft["photos"]
    assert default_storage.exists(kept)

    take(conversation, text="Hủy")

    conversation.refresh_from_db()
    assert conversation.draft == {}
    assert not default_storage.exists(kept)
    assert EXAMPLE in take(conversation, text=PROBLEM)[-1]  # starts afresh


def test_a_photo_goes_with_the_report_and_a_file_that_is_no_photo_is_refused(conversation):
    problem, question = take(conversation, photo=b"%PDF-1.4 not a photo")
    assert problem != question
    take(conversation, photo=jpeg())
    take(conversation, text=PROBLEM, lat=INSIDE_HUE[0], lon=INSIDE_HUE[1])
    take(conversation, text="1")

    assert Report.objects.get().attachments.count() == 1

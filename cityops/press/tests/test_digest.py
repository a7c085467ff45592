"""The daily press digest: what it tells, to whom, in which language, once a day at 07:00."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from cityops.accounts.tests.factories import UserFactory
from cityops.platform import clock
from cityops.press.choices import ItemPart, StoryReportOrigin, Tone, WatchKind
from cityops.press.digest import (
    digest_recipients,
    press_digest_due,
    press_digest_send,
)
from cityops.press.models import Item, Mention, PressDigest, Source, Story, StoryReport
from cityops.press.services import story_refresh, watch_entry_create
from cityops.press.tasks import send_press_digest
from cityops.press.tests.conftest import HUE
from cityops.press.tests.factories import SourceFactory
from cityops.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

AT = datetime(2026, 12, 7, 7, 0, tzinfo=HUE)  # the digest of Monday 7 December
SITE = "https://ioc.hue.gov.vn"
REPORTER_NAME = "Trần Thị Bình"
REPORTER_PHONE = "0905123456"
REPORT_WORDS = "Nhà tôi ở kiệt 5 Nguyễn Sinh Cung bị ngập"


@pytest.fixture
def recipients(settings):
    """One address, no account: it reads the city's language, English in these tests (the
    language tests at the end read Vietnamese)."""
    settings.LANGUAGE_CODE = "en"
    settings.CITYOPS_SITE_URL = SITE
    settings.CITYOPS_PRESS = {**settings.CITYOPS_PRESS, "digest_recipients": ["lanhdao@hue.gov.vn"]}
    return settings.CITYOPS_PRESS


@pytest.fixture
def outlets() -> list[Source]:
    return [SourceFactory(name=name) for name in ("Báo Thừa Thiên Huế", "Tuổi Trẻ", "VnExpress")]


def told(
    headline: str,
    *,
    by: list[Source],
    at: datetime,
    tone: str = Tone.NEUTRAL,
) -> Story:
    """A story told by each of ``by`` at ``at``, its figures worked out as the pipeline does."""
    story = Story.objects.create(headline=headline, first_seen_at=at, last_seen_at=at)
    for n, source in enumerate(by):
        text = f"{headline} ({source.name})"
        Item.objects.create(
            source=source,
            url=f"https://{n}.example.vn/{hashlib.sha256(text.encode()).hexdigest()[:10]}.html",
            title=headline,
            text=text,
            dated_at=at + timedelta(minutes=n),
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            tone=tone,
            tone_confidence=0.9,
            story=story,
        )
    return story_refresh(story=story)


def mentioned(story: Story, name: str, *, kind: WatchKind = WatchKind.PERSON) -> None:
    entry = watch_entry_create(kind=kind, name=name)
    for item in story.items.all():
        Mention.objects.create(
            item=item,
            entry=entry,
            matched_text=name,
            part=ItemPart.TITLE,
            position=0,
            dated_at=item.dated_at,
        )


@pytest.fixture
def news(outlets):
    """The 24 hours before 07:00 on 7 December, and one story of the day before."""
    flood = told(
        "Ngập sâu ở phường Phú Hội sau mưa lớn, người dân bức xúc",
        by=outlets,
        at=AT - timedelta(hours=15),
        tone=Tone.NEGATIVE,
    )
    mentioned(flood, "Nguyễn Văn A")
    citizen = UserFactory(username="binh", full_name=REPORTER_NAME, phone=REPORTER_PHONE)
    report = ReportFactory(description=REPORT_WORDS, reporter=citizen, contact_phone=REPORTER_PHONE)
    StoryReport.objects.create(story=flood, report=report, origin=StoryReportOrigin.MATCHED)
    festival = told(
        "Lễ hội đèn lồng rực rỡ bên sông Hương thu hút du khách",
        by=outlets[:2],
        at=AT - timedelta(hours=3),
        tone=Tone.POSITIVE,
    )
    meeting = told(
        "Họp bàn kế hoạch chỉnh trang đô thị", by=outlets[:1], at=AT - timedelta(hours=8)
    )
    mentioned(meeting, "Sở Xây dựng", kind=WatchKind.AGENCY)
    old = told("Tin của hôm trước", by=outlets, at=AT - timedelta(hours=30), tone=Tone.NEGATIVE)
    return {"flood": flood, "festival": festival, "meeting": meeting, "old": old, "report": report}


def test_the_digest_tells_the_last_24_hours_top_stories(recipients, news):
    sent = press_digest_send(at=AT)

    assert sent == 1
    (message,) = mail.outbox
    assert message.to == ["lanhdao@hue.gov.vn"]
    assert "07/12/2026" in message.subject
    body = message.body
    flood, festival, meeting = news["flood"], news["festival"], news["meeting"]
    # Told by most outlets first; the day before is left out.
    assert body.index(flood.headline) < body.index(festival.headline) < body.index(meeting.headline)
    assert "Tin của hôm trước" not in body
    assert "From 06/12/2026 07:00 to 07/12/2026 07:00" in body
    for outlets in ("3 outlets ·", "2 outlets ·", "1 outlet ·"):
        assert outlets in body
    assert f"#{news['report'].pk}" in body
    assert "Nguyễn Văn A" in body
    assert "Sở Xây dựng" in body


def test_each_story_links_to_its_console_page_with_the_sites_address(recipients, news):
    press_digest_send(at=AT)

    (message,) = mail.outbox
    story_url = SITE + reverse("console:press:story", args=[news["flood"].pk])
    assert story_url in message.body
    assert f'href="{story_url}"' in message.alternatives[0][0]
    assert SITE + reverse("console:press:overview") in message.body


def test_without_the_consoles_press_pages_a_story_links_to_its_first_article(
    recipients, news, monkeypatch
):
    from cityops.press import digest

    monkeypatch.setattr(digest, "STORY_URL_NAME", "console:press:no-such-page")
    press_digest_send(at=AT)

    first = news["flood"].items.order_by("dated_at", "pk").first()
    assert first.url in mail.outbox[0].body


def test_the_tone_split_and_the_negative_stories(recipients, news):
    press_digest_send(at=AT)

    body = mail.outbox[0].body
    tones = body.split("== Tone of the stories ==")[1]
    assert "Negative: 1 (33 %)" in tones
    assert "Neutral: 1 (33 %)" in tones
    assert "Positive: 1 (33 %)" in tones
    negative = body.split("== Negative stories ==")[1]
    assert news["flood"].headline in negative
    assert news["festival"].headline not in negative
    assert "Nguyễn Văn A" in negative  # the watched names in the story


def test_the_watched_names_most_mentioned_with_their_negative_items(recipients, news):
    press_digest_send(at=AT)

    names = mail.outbox[0].body.split("== Watched names most mentioned ==")[1]
    assert "- Nguyễn Văn A: 3 items, 3 negative" in names
    assert "- Sở Xây dựng: 1 item\n" in names


def test_at_most_ten_stories(recipients, outlets):
    for n in range(12):
        told(f"Tin số {n:02d}", by=outlets[:1], at=AT - timedelta(hours=1, minutes=n))

    press_digest_send(at=AT)

    top = mail.outbox[0].body.split("== Stories told by most outlets ==")[1]
    assert "10. " in top
    assert "11. " not in top
    assert PressDigest.objects.get().stories == 10


def test_a_text_body_and_an_html_alternative(recipients, news):
    press_digest_send(at=AT)

    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<table" in html
    assert news["flood"].headline in html
    assert "<table" not in message.body


def test_reporters_never_appear_only_the_report_number(recipients, news):
    press_digest_send(at=AT)

    (message,) = mail.outbox
    for text in (message.subject, message.body, message.alternatives[0][0]):
        assert REPORTER_NAME not in text
        assert REPORTER_PHONE not in text
        assert REPORT_WORDS not in text
        assert "binh" not in text
    assert f"#{news['report'].pk}" in message.alternatives[0][0]


def test_an_empty_day_still_says_so(recipients):
    assert press_digest_send(at=AT) == 1

    assert "Nothing new in the press in these 24 hours." in mail.outbox[0].body


def test_sent_once_a_day_even_when_the_job_runs_twice(recipients, news):
    assert press_digest_send(at=AT) == 1
    assert press_digest_send(at=AT + timedelta(minutes=5)) == 0
    assert press_digest_send(at=AT + timedelta(hours=10)) == 0

    assert len(mail.outbox) == 1
    record = PressDigest.objects.get()
    assert (record.day.isoformat(), record.recipients, record.stories) == ("2026-12-07", 1, 3)
    assert record.period_end == AT


def test_the_next_day_gets_its_own_digest(recipients, news):
    press_digest_send(at=AT)
    press_digest_send(at=AT + timedelta(days=1))

    assert len(mail.outbox) == 2
    assert "08/12/2026" in mail.outbox[1].subject


def test_a_failed_sending_is_not_recorded_and_is_tried_again(recipients, news, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise OSError("the mail server is down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailBackend, "send_messages", refuse)
        with pytest.raises(OSError, match="mail server is down"):
            press_digest_send(at=AT)
    assert not PressDigest.objects.exists()

    assert press_digest_send(at=AT + timedelta(minutes=5)) == 1


def test_no_recipients_no_email_and_nothing_recorded(settings, news):
    settings.CITYOPS_PRESS = {**settings.CITYOPS_PRESS, "digest_recipients": []}

    assert press_digest_send(at=AT) == 0

    assert mail.outbox == []
    assert not PressDigest.objects.exists()


def test_the_job_sends_from_seven_oclock_city_time_once(recipients, news):
    with clock.frozen_at(AT - timedelta(minutes=5)):
        assert press_digest_due() is None
        assert send_press_digest.call() == 0
    with clock.frozen_at(AT):
        assert press_digest_due() == AT
        assert send_press_digest.call() == 1
    with clock.frozen_at(AT + timedelta(minutes=5)):
        assert press_digest_due() is None
        assert send_press_digest.call() == 0

    assert len(mail.outbox) == 1


def test_a_worker_back_after_seven_sends_the_days_digest_for_seven(recipients, news):
    with clock.frozen_at(AT + timedelta(hours=2, minutes=35)):
        assert send_press_digest.call() == 1

    assert PressDigest.objects.get().period_end == AT
    assert "06/12/2026 07:00" in mail.outbox[0].body


def test_the_digest_time_is_a_setting(settings, recipients):
    settings.CITYOPS_PRESS = {**settings.CITYOPS_PRESS, "digest_time": "06:30"}

    assert press_digest_due(now=AT - timedelta(minutes=20)) == AT - timedelta(minutes=30)


def test_each_address_once_and_in_its_accounts_language(settings):
    settings.CITYOPS_PRESS = {
        **settings.CITYOPS_PRESS,
        "digest_recipients": ["Lanhdao@hue.gov.vn", "lanhdao@hue.gov.vn", " ", "ioc@hue.gov.vn"],
    }
    UserFactory(username="leader-en", email="lanhdao@hue.gov.vn", language="en")

    recipients = [(r.address, r.language) for r in digest_recipients()]

    assert recipients == [("Lanhdao@hue.gov.vn", "en"), ("ioc@hue.gov.vn", "vi")]


def test_vietnamese_by_default_english_for_an_english_reader(settings, news):
    settings.CITYOPS_PRESS = {
        **settings.CITYOPS_PRESS,
        "digest_recipients": ["ioc@hue.gov.vn", "visitor-desk@hue.gov.vn"],
    }
    UserFactory(username="desk", email="visitor-desk@hue.gov.vn", language="en")

    assert press_digest_send(at=AT) == 2

    vietnamese, english = sorted(mail.outbox, key=lambda m: m.to[0])
    assert vietnamese.to == ["ioc@hue.gov.vn"]
    assert vietnamese.subject == "[CityOps] Điểm báo ngày 07/12/2026"
    assert "== Câu chuyện được nhiều báo đưa nhất ==" in vietnamese.body
    assert "3 báo · Sắc thái: Tiêu cực · Phản ánh hiện trường: #" in vietnamese.body
    assert 'lang="vi"' in vietnamese.alternatives[0][0]
    assert english.subject == "[CityOps] Press digest for 07/12/2026"
    assert "3 outlets · Tone: Negative · Field reports: #" in english.body
    assert 'lang="en"' in english.alternatives[0][0]

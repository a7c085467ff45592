"""The e-mail channel against real servers: Dovecot holds the city's mailbox (IMAP), aiosmtpd
receives what CityOps sends (SMTP)."""

# ruff: noqa: F811 (the servers' fixtures are imported, then named as test arguments)

from __future__ import annotations

import io
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from PIL import Image

from cityops.agencies.tests.factories import AreaFactory
from cityops.channels.choices import ConversationState, Direction
from cityops.channels.mail import parse
from cityops.channels.mail.imap import mailbox_poll
from cityops.channels.mail.services import mail_receive
from cityops.channels.models import ChannelMessage, Conversation
from cityops.channels.tests.mailservers import (  # noqa: F401
    Inbox,
    SentMail,
    dovecot,
    inbox,
    smtp_server,
)
from cityops.reports import workflow
from cityops.reports.choices import Channel, EventKind, Visibility
from cityops.reports.models import Report, ReportEvent
from cityops.reports.tests.factories import CategoryFactory

CITY = "phananh@hue.gov.vn"
HUE = (16.4637, 107.5909)


@pytest.fixture
def city(db, settings):
    settings.CITYOPS_EMAIL_ADDRESS = CITY
    settings.CITYOPS_SITE_URL = "https://phananh.hue.gov.vn"
    AreaFactory(centroid_lat=HUE[0], centroid_lon=HUE[1])
    return CategoryFactory(code="other", name="Khác", name_en="Other")


def photo(*, gps: tuple[float, float] | None = None) -> bytes:
    image = Image.new("RGB", (120, 90), "gray")
    exif = Image.Exif()
    if gps is not None:
        lat, lon = gps
        exif[0x8825] = {1: "N", 2: (lat, 0.0, 0.0), 3: "E", 4: (lon, 0.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def email(
    text: str,
    *,
    sender: str = "Nguyễn Văn An <an@example.vn>",
    to: str = CITY,
    subject: str = "Ổ gà trên đường Lê Lợi",
    photos: tuple[bytes, ...] = (),
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = make_msgid(domain="example.vn")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    for number, content in enumerate(photos, start=1):
        message.add_attachment(content, maintype="image", subtype="jpeg", filename=f"{number}.jpg")
    return message.as_bytes()


def poll(inbox: Inbox) -> dict[str, int]:
    return dict(mailbox_poll(mailbox=inbox.box))


def reply_address_of(sent: SentMail) -> str:
    return str(sent.message["Reply-To"])


@pytest.mark.django_db
def test_an_email_with_a_photo_and_coordinates_becomes_a_report_and_is_acknowledged(
    city, inbox, smtp_server
):
    raw = email("Ổ gà lớn giữa đường, rất nguy hiểm. Vị trí: 16.4637, 107.5909", photos=(photo(),))
    inbox.deliver(raw)

    assert poll(inbox) == {"report": 1}

    report = Report.objects.get()
    assert report.channel == Channel.EMAIL
    assert (report.lat, report.lon) == HUE
    assert report.title == "Ổ gà trên đường Lê Lợi"
    assert "Ổ gà lớn giữa đường" in report.description
    assert report.contact_email == "an@example.vn"
    assert report.contact_name == "Nguyễn Văn An"
    assert report.category == city
    assert report.attachments.count() == 1
    kept = ChannelMessage.objects.get(direction=Direction.IN)
    assert kept.report == report
    assert kept.channel == Channel.EMAIL
    assert kept.payload.replace("\r\n", "\n").encode() == raw  # the whole message, as evidence
    assert inbox.unseen() == 0

    (ack,) = smtp_server
    assert ack.recipients == ["an@example.vn"]
    assert "https://phananh.hue.gov.vn/" in ack.text
    assert f"#{report.pk}" in ack.text
    conversation = Conversation.objects.get()
    assert reply_address_of(ack) == f"phananh+{conversation.token}@hue.gov.vn"
    assert ack.message["Content-Language"] == "vi"  # written in Vietnamese
    assert ack.message["Auto-Submitted"] == "auto-replied"
    assert ack.message["In-Reply-To"] == kept.external_id


@pytest.mark.django_db
def test_a_photo_taken_on_the_spot_places_the_report(city, inbox, smtp_server):
    inbox.deliver(email("Rác thải đổ trộm cạnh chợ.", photos=(photo(gps=HUE),)))

    assert poll(inbox) == {"report": 1}
    report = Report.objects.get()
    assert (report.lat, report.lon) == pytest.approx(HUE)


@pytest.mark.django_db
def test_a_reply_in_the_thread_becomes_a_note_on_the_report(city, inbox, smtp_server):
    inbox.deliver(email("Đèn đường tắt cả tuần https://www.google.com/maps/@16.4637,107.5909,17z"))
    poll(inbox)
    (ack,) = smtp_server
    report = Report.objects.get()

    reply = email(
        "Tối nay đèn vẫn tắt.\n\nVào 7/12/2026, phananh@hue.gov.vn đã viết:\n> Xin chào,\n> ...",
        to=reply_address_of(ack),
        subject="Re: " + str(ack.message["Subject"]),
        photos=(photo(),),
    )
    inbox.deliver(reply)

    assert poll(inbox) == {"note": 1}
    assert Report.objects.count() == 1
    note = ReportEvent.objects.get(report=report, kind=EventKind.NOTE)
    assert note.note == "Tối nay đèn vẫn tắt."
    assert note.visibility == Visibility.INTERNAL
    assert report.attachments.count() == 1
    assert ChannelMessage.objects.filter(report=report, direction=Direction.IN).count() == 2
    assert len(smtp_server) == 1  # a note is not acknowledged again


@pytest.mark.django_db
def test_a_reply_to_the_plain_address_is_found_by_its_in_reply_to(city, inbox, smtp_server):
    inbox.deliver(email("Cây đổ chắn đường, 16.4637, 107.5909"))
    poll(inbox)
    (ack,) = smtp_server
    report = Report.objects.get()

    inbox.deliver(
        email(
            "Cây đã được dọn một nửa.",
            headers={"In-Reply-To": str(ack.message["Message-ID"])},
        )
    )

    assert poll(inbox) == {"note": 1}
    assert ReportEvent.objects.get(report=report, kind=EventKind.NOTE).note == (
        "Cây đã được dọn một nửa."
    )


@pytest.mark.django_db
def test_auto_replies_and_bounces_are_ignored(city, inbox, smtp_server):
    inbox.deliver(email("Tôi đang nghỉ phép.", headers={"Auto-Submitted": "auto-replied"}))
    inbox.deliver(email("Out of office 16.4637, 107.5909", headers={"X-Autoreply": "yes"}))
    inbox.deliver(email("Bulk 16.4637, 107.5909", headers={"Precedence": "bulk"}))
    bounce = EmailMessage()
    bounce["From"] = "Mail Delivery System <MAILER-DAEMON@mx.example.vn>"
    bounce["To"], bounce["Subject"] = CITY, "Undelivered Mail Returned to Sender"
    bounce["Message-ID"] = make_msgid(domain="mx.example.vn")
    bounce.set_content("The mail system: 16.4637, 107.5909 <an@example.vn>: user unknown")
    bounce.add_attachment("Reporting-MTA: dns; mx.example.vn\n", subtype="delivery-status")
    bounce.replace_header("Content-Type", 'multipart/report; report-type="delivery-status"; '
                          f'boundary="{bounce.get_boundary()}"')  # fmt: skip
    inbox.deliver(bounce.as_bytes())

    assert poll(inbox) == {"ignored": 4}
    assert not Report.objects.exists()
    assert not ChannelMessage.objects.exists()
    assert smtp_server == []
    assert inbox.unseen() == 0


@pytest.mark.django_db
def test_the_same_message_polled_twice_is_one_report_and_one_acknowledgement(
    city, inbox, smtp_server
):
    raw = email("Nước ngập sâu 16.4637, 107.5909")
    inbox.deliver(raw)
    inbox.deliver(raw)  # the sender's server delivered it twice

    assert poll(inbox) == {"report": 1, "repeated": 1}
    inbox.mark_all_unseen()  # a poll that died before flagging them
    assert poll(inbox) == {"repeated": 2}

    assert Report.objects.count() == 1
    assert ChannelMessage.objects.filter(direction=Direction.IN).count() == 1
    assert len(smtp_server) == 1


@pytest.mark.django_db
def test_without_a_place_the_sender_is_asked_and_the_answer_sends_the_report(
    city, inbox, smtp_server
):
    inbox.deliver(email("Có người lấn chiếm vỉa hè bán hàng.", photos=(photo(),)))

    assert poll(inbox) == {"waiting": 1}
    assert not Report.objects.exists()
    conversation = Conversation.objects.get()
    assert conversation.state == ConversationState.GATHERING
    (question,) = smtp_server
    assert "16.4637, 107.5909" in question.text  # the example of what to send
    assert reply_address_of(question) == f"phananh+{conversation.token}@hue.gov.vn"

    inbox.deliver(
        email(
            "Trước số 12 Lê Lợi, phường Thuận Hóa\n\n> Xin chào,",
            to=reply_address_of(question),
        )
    )

    assert poll(inbox) == {"report": 1}
    report = Report.objects.get()
    assert report.address == "Trước số 12 Lê Lợi, phường Thuận Hóa"
    assert report.description == "Có người lấn chiếm vỉa hè bán hàng."
    assert report.attachments.count() == 1  # the first message's photo
    ack = smtp_server[1]
    assert f"/{report.pk}" in ack.text


@pytest.mark.django_db
def test_an_answer_with_a_map_link_places_the_waiting_report(city, inbox, smtp_server):
    inbox.deliver(email("Cống bị tắc, nước bốc mùi."))
    poll(inbox)
    (question,) = smtp_server

    inbox.deliver(
        email(
            "https://www.openstreetmap.org/?mlat=16.4637&mlon=107.5909#map=18/16.4637/107.5909",
            to=reply_address_of(question),
        )
    )

    assert poll(inbox) == {"report": 1}
    assert (Report.objects.get().lat, Report.objects.get().lon) == HUE


@pytest.mark.django_db
def test_an_english_sender_is_answered_in_english(city, inbox, smtp_server):
    inbox.deliver(
        email(
            "There is a broken street light near the bridge, at 16.4637, 107.5909",
            sender="Tourist <jane@example.com>",
            subject="Broken light",
        )
    )
    poll(inbox)

    (ack,) = smtp_server
    assert ack.message["Content-Language"] == "en"
    assert "received your report" in ack.text


@pytest.mark.django_db
def test_a_status_change_is_emailed_in_the_thread(
    city, inbox, smtp_server, operator, django_capture_on_commit_callbacks
):
    inbox.deliver(email("Biển báo bị đổ 16.4637, 107.5909"))
    poll(inbox)
    report = Report.objects.get()
    conversation = Conversation.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_accept(report=report, actor=operator)

    assert len(smtp_server) == 2
    change = smtp_server[1]
    assert change.recipients == ["an@example.vn"]
    assert f"#{report.pk}" in change.text
    assert reply_address_of(change) == f"phananh+{conversation.token}@hue.gov.vn"
    sent = ChannelMessage.objects.filter(direction=Direction.OUT).order_by("pk")
    assert [m.delivery for m in sent] == ["sent", "sent"]


@pytest.mark.django_db
def test_an_unreachable_smtp_server_is_recorded_and_the_report_still_kept(city, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    handled = mail_receive(raw=email("Cột điện nghiêng 16.4637, 107.5909"))

    assert handled.report is not None
    failed = ChannelMessage.objects.get(direction=Direction.OUT)
    assert failed.delivery == "failed"
    assert failed.error


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Ở đây: 16.4637, 107.5909", HUE),
        ("16.4637;107.5909", HUE),
        ("https://maps.google.com/?q=16.4637,107.5909", HUE),
        ("https://www.google.com/maps/place/x/@16.4637,107.5909,17z", HUE),
        ("https://www.openstreetmap.org/#map=17/16.4637/107.5909", HUE),
        ("Gọi 0234.3822.123 hoặc số nhà 12", None),
        ("Không có vị trí", None),
    ],
)
def test_a_place_is_read_from_coordinates_and_map_links(text, place):
    assert parse.location_in_text(text) == place


def test_an_html_only_email_is_read_as_text_without_its_quote():
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "an@example.vn", CITY, "x"
    message.set_content(
        "<p>Đường <b>Lê Lợi</b> ngập</p><br>16.4637, 107.5909"
        "<blockquote>thư cũ 10.0, 20.0</blockquote>",
        subtype="html",
    )
    mail = parse.mail_parse(message.as_bytes())
    assert mail.text == "Đường Lê Lợi ngập\n\n16.4637, 107.5909" or "Lê Lợi ngập" in mail.text
    assert "thư cũ" not in mail.text
    assert mail.location == HUE

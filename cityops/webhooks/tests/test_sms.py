"""The SMS channel end to end: a real HTTP gateway peer takes what CityOps texts, and the
gateway's signed webhook calls bring citizens' texts in."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from cityops.agencies.tests.factories import AreaFactory
from cityops.channels.adapters.sms import SMS_LENGTH, sms_signature, sms_text
from cityops.channels.choices import ConversationState, Delivery, Direction
from cityops.channels.models import ChannelMessage, Conversation
from cityops.channels.tests.http_peers import SMS_TOKEN, SmsGatewayFake
from cityops.reports import workflow
from cityops.reports.choices import Channel, ReportStatus
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in

SECRET = "sms-webhook-secret-for-tests"
CITIZEN = "+84905123456"  # as the gateway writes the sender
STORED = "0905123456"  # as CityOps keeps it


@pytest.fixture
def gateway():
    fake = SmsGatewayFake().start()
    yield fake
    fake.stop()


@pytest.fixture
def sms_on(settings, gateway):
    settings.CITYOPS_CHANNELS = {**settings.CITYOPS_CHANNELS, "sms": True}
    settings.CITYOPS_SMS_GATEWAY_URL = gateway.url
    settings.CITYOPS_SMS_GATEWAY_TOKEN = SMS_TOKEN
    settings.CITYOPS_SMS_WEBHOOK_SECRET = SECRET
    settings.CITYOPS_RATE_LIMITS = {**settings.CITYOPS_RATE_LIMITS, "webhook_per_channel": "1000/m"}
    cache.clear()
    return gateway


@pytest.fixture
def sms_city(db, trained):
    AreaFactory()
    return {
        code: CategoryFactory(code=code, name=name)
        for code, name in [
            ("urban-infrastructure", "Hạ tầng đô thị"),
            ("sanitation", "Vệ sinh môi trường"),
            ("other", "Khác"),
        ]
    }


def text_in(client, text, *, message_id="m-1", sender=CITIZEN, secret=SECRET, signature=None):
    body = json.dumps(
        {"from": sender, "text": text, "id": message_id, "received_at": "2026-12-07T08:15:00+07:00"}
    ).encode()
    headers = {}
    if signature is not False:
        headers["X-CityOps-Signature"] = signature or "sha256=" + sms_signature(
            body=body, secret=secret
        )
    return client.post("/webhooks/sms/", body, content_type="application/json", headers=headers)


# --- the webhook's door -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("signature", [False, "sha256=00ff", "not-even-hex"])
def test_a_text_without_a_valid_signature_is_refused_and_not_kept(client, sms_on, signature):
    response = text_in(client, "PA 1", signature=signature)

    assert response.status_code == 401
    assert not ChannelMessage.objects.exists()
    assert sms_on.sent == []


@pytest.mark.django_db
def test_a_text_signed_with_another_secret_is_refused(client, sms_on):
    assert text_in(client, "PA 1", secret="guessed").status_code == 401
    assert not ChannelMessage.objects.exists()


@pytest.mark.django_db
def test_the_webhook_is_not_there_while_sms_is_off(client, settings, gateway):
    settings.CITYOPS_SMS_WEBHOOK_SECRET = SECRET
    settings.CITYOPS_CHANNELS = {**settings.CITYOPS_CHANNELS, "sms": False}

    assert text_in(client, "PA 1").status_code == 404
    assert not ChannelMessage.objects.exists()


@pytest.mark.django_db
def test_a_gateway_past_the_rate_limit_is_told_to_wait(client, sms_on, settings):
    settings.CITYOPS_RATE_LIMITS = {**settings.CITYOPS_RATE_LIMITS, "webhook_per_channel": "2/m"}
    answers = [text_in(client, "PA 1", message_id=f"m-{n}") for n in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert int(answers[2]["Retry-After"]) > 0
    assert ChannelMessage.objects.filter(direction=Direction.IN).count() == 2


@pytest.mark.django_db
def test_the_same_text_delivered_twice_is_kept_and_answered_once(client, sms_on, sms_city):
    first = text_in(client, "PA 77", message_id="gw-in-1")
    again = text_in(client, "PA 77", message_id="gw-in-1")

    assert (first.json()["new"], again.json()["new"]) == (True, False)
    assert ChannelMessage.objects.filter(direction=Direction.IN).count() == 1
    assert len(sms_on.texts_to(CITIZEN)) == 1


# --- asking a report's status ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["PA {n}", "pa{n}", "PA #{n}", "Pa  # {n}", "Phản ánh {n}",
                                   "phan anh {n}", "PẢ {n}"])  # fmt: skip
def test_pa_and_a_number_answers_the_public_status_without_diacritics(
    client, sms_on, asked, operator, agency, agency_staff, settings
):
    report = report_in(
        ReportStatus.IN_PROGRESS, operator=operator, agency=agency, staff=agency_staff
    )

    assert text_in(client, asked.format(n=report.pk)).status_code == 200

    [answer] = sms_on.texts_to(CITIZEN)
    assert f"#{report.pk}" in answer
    assert "Dang xu ly" in answer  # "Đang xử lý", as a phone without Vietnamese shows it
    assert f"{settings.CITYOPS_SITE_URL}/reports/{report.pk}" in answer
    assert answer.isascii()
    assert len(answer) <= SMS_LENGTH
    kept = ChannelMessage.objects.get(direction=Direction.OUT)
    assert (kept.delivery, kept.external_id, kept.address) == (Delivery.SENT, "gw-1", STORED)


@pytest.mark.django_db
def test_a_hidden_report_answers_as_not_found(client, sms_on, operator):
    rejected = report_in(ReportStatus.REJECTED, operator=operator)

    text_in(client, f"PA {rejected.pk}")

    [answer] = sms_on.texts_to(CITIZEN)
    assert "khong tim thay" in answer.lower() or "not found" in answer.lower()
    assert "Khong duoc tiep nhan" not in answer  # "Not accepted" would confirm it exists


@pytest.mark.django_db
def test_a_report_not_yet_checked_answers_only_to_the_number_that_sent_it(client, sms_on, sms_city):
    mine = workflow.report_submit(
        description="Rác", address="Lê Lợi", category=sms_city["sanitation"],
        channel=Channel.SMS, contact_phone=STORED,
    )  # fmt: skip

    text_in(client, f"PA {mine.pk}", message_id="a")
    text_in(client, f"PA {mine.pk}", message_id="b", sender="+84911222333")

    assert "Da gui" in sms_on.texts_to(CITIZEN)[0]  # "Đã gửi": waiting to be checked
    assert "Da gui" not in sms_on.texts_to("+84911222333")[0]


# --- a report by text ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_report_without_diacritics_is_gathered_in_two_texts_and_classified(
    client, sms_on, sms_city
):
    text_in(client, "den duong hong o kiet 5, toi om", message_id="1")

    [ask] = sms_on.texts_to(CITIZEN)
    assert not Report.objects.exists()
    assert "dia danh" in ask.lower() or "landmark" in ask.lower()  # asks where it is

    text_in(client, "Kiet 5 Le Loi, phuong Thuan Hoa", message_id="2")

    report = Report.objects.get()
    assert report.channel == Channel.SMS
    assert report.description == "den duong hong o kiet 5, toi om"
    assert report.address == "Kiet 5 Le Loi, phuong Thuan Hoa"
    assert report.contact_phone == STORED
    assert report.category.code == "urban-infrastructure"
    assert report.status == ReportStatus.SUBMITTED
    confirmation = sms_on.texts_to(CITIZEN)[1]
    assert f"#{report.pk}" in confirmation
    assert f"PA {report.pk}" in confirmation
    conversation = Conversation.objects.get(report=report)
    assert conversation.state == ConversationState.FOLLOWING
    assert conversation.messages.filter(direction=Direction.IN).count() == 2
    assert all(text.isascii() for text in sms_on.texts_to(CITIZEN))


@pytest.mark.django_db
def test_the_sms_reporter_gets_each_public_change_by_text(
    client, sms_on, sms_city, operator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        text_in(client, "Rac don ong o cho Dong Ba", message_id="1")
        text_in(client, "Cho Dong Ba", message_id="2")
        report = Report.objects.get()
        workflow.report_accept(report=report, actor=operator)

    latest = sms_on.texts_to(CITIZEN)[-1]
    assert f"#{report.pk}" in latest
    assert "Da tiep nhan" in latest  # "Đã tiếp nhận"


@pytest.mark.django_db
def test_a_gateway_that_refuses_leaves_the_answer_kept_as_failed(client, sms_on, sms_city):
    sms_on.status = 402

    assert text_in(client, "PA 5").status_code == 200

    kept = ChannelMessage.objects.get(direction=Direction.OUT)
    assert kept.delivery == Delivery.FAILED
    assert "no credit left" in kept.error


# --- phone-only reporters -------------------------------------------------------------------------


def hotline_call(client, operator, category, *, phone="0914 555 777"):
    client.force_login(operator)
    return client.post(
        "/console/hotline/submit/",
        {
            "contact_phone": phone,
            "contact_name": "Bà Lan",
            "category": category.code,
            "description": "Cây đổ chắn ngang đường",
            "address": "12 Lê Lợi",
        },
    )


@pytest.mark.django_db
def test_a_hotline_caller_hears_of_the_report_and_its_changes_by_sms(
    client, sms_on, sms_city, operator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = hotline_call(client, operator, sms_city["other"])
    assert response.status_code == 302
    report = Report.objects.get()

    [recorded] = sms_on.texts_to("+84914555777")
    assert f"#{report.pk}" in recorded
    assert f"PA {report.pk}" in recorded
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_accept(report=report, actor=operator)
    changes = sms_on.texts_to("+84914555777")
    assert len(changes) == 2
    assert "Da tiep nhan" in changes[1]


@pytest.mark.django_db
def test_a_reporter_with_an_email_gets_no_sms(
    client, sms_on, sms_city, citizen, django_capture_on_commit_callbacks
):
    citizen.email, citizen.phone = "lan@example.vn", "0914555777"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_submit(
            description="Cây đổ", address="Lê Lợi", category=sms_city["other"],
            reporter=citizen, contact_phone="0914555777",
        )  # fmt: skip

    assert sms_on.sent == []
    assert not Conversation.objects.exists()


@pytest.mark.django_db
def test_no_sms_is_sent_while_the_channel_is_off(
    client, settings, sms_city, operator, gateway, django_capture_on_commit_callbacks
):
    settings.CITYOPS_CHANNELS = {**settings.CITYOPS_CHANNELS, "sms": False}

    with django_capture_on_commit_callbacks(execute=True):
        hotline_call(client, operator, sms_city["other"])

    assert gateway.sent == []
    assert not Conversation.objects.exists()


# --- the texts themselves -----------------------------------------------------------------------


def test_an_outgoing_text_is_plain_and_fits_one_sms_keeping_status_and_link():
    link = "https://ioc.hue.gov.vn/reports/123456"
    long_note = "Đội công trình đô thị đã đến hiện trường và sẽ thay bóng đèn " * 4
    text = sms_text(f"Phản ánh #123456: Đang xử lý.\n{long_note}\n{link}")

    assert text.isascii()
    assert len(text) <= SMS_LENGTH
    assert text.startswith("Phan anh #123456: Dang xu ly.")
    assert text.endswith(link)
    assert "..." in text

"""An application's life through the services: documents, fees by date, deadlines in working
days, the paid hook, every step an event."""

from datetime import date, datetime

import pytest
from django.core import mail

from cityops.agencies.calendar import VIETNAM_TZ
from cityops.online import services
from cityops.online.choices import ApplicationStatus as S
from cityops.online.tests.conftest import MONDAY
from cityops.online.tests.factories import PDF, FeeFactory, photo_bytes
from cityops.payments.choices import PaymentStatus
from cityops.payments.services import payment_mark_paid
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


def submit(service, citizen, **files):
    return services.application_submit(
        service=service, applicant=citizen, details="Cho con đi học", files=files or {"cccd": PDF}
    )


def test_a_free_application_is_received_at_once_with_its_deadline_in_working_days(
    monday, free_service, citizen
):
    application = submit(free_service, citizen, cccd=photo_bytes(), **{"to-khai": PDF})
    assert application.number == "HS-2026-000001"
    assert application.status == S.SUBMITTED
    assert application.submitted_at == MONDAY
    # 3 working days from Monday 09:00: Thursday 09:00.
    assert application.due_at == datetime(2026, 3, 5, 9, 0, tzinfo=VIETNAM_TZ)
    assert sorted(d.key for d in application.documents.all()) == ["cccd", "to-khai"]
    assert [e.kind for e in application.events.all()] == ["created", S.SUBMITTED]
    assert submit(free_service, citizen).number == "HS-2026-000002"


def test_the_deadline_skips_the_weekend_and_holidays(free_service, citizen):
    # Thursday 10:00 + 3 working days: Tuesday 10:00 (Saturday and Sunday left out).
    with clock.frozen_at(datetime(2026, 3, 5, 10, 0, tzinfo=VIETNAM_TZ)):
        application = submit(free_service, citizen)
    assert application.due_at == datetime(2026, 3, 10, 10, 0, tzinfo=VIETNAM_TZ)
    # 29/4/2026: Reunification Day and Labour Day (30/4, 1/5) are days off.
    with clock.frozen_at(datetime(2026, 4, 29, 10, 0, tzinfo=VIETNAM_TZ)):
        application = submit(free_service, citizen)
    assert application.due_at.astimezone(VIETNAM_TZ).date() == date(2026, 5, 6)


def test_a_missing_or_bad_document_is_refused_with_a_clear_message(monday, free_service, citizen):
    with pytest.raises(InvalidInput) as missing:
        services.application_submit(service=free_service, applicant=citizen, files={})
    assert "Căn cước công dân is required." in missing.value.message
    with pytest.raises(InvalidInput) as bad:
        submit(free_service, citizen, cccd=b"MZ\x90\x00 not a document")
    assert bad.value.fields["cccd"] == [
        "Căn cước công dân: the file is neither a PDF nor a photo (JPEG, PNG or WebP)."
    ]
    with pytest.raises(InvalidInput) as script:
        submit(free_service, citizen, cccd=PDF.replace(b"<<>>", b"<< /JavaScript (x) >>", 1))
    assert "scripts" in script.value.message
    with pytest.raises(InvalidInput):
        submit(free_service, citizen, cccd=PDF, other=PDF)
    assert not free_service.applications.exists()


def test_too_large_a_document_is_refused(settings, monday, free_service, citizen):
    settings.CITYOPS_UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(InvalidInput) as large:
        submit(free_service, citizen, cccd=PDF + b" " * (1024 * 1024))
    assert "larger than 1 MB" in large.value.message


def test_the_fee_is_the_one_valid_on_the_day_of_submission(paid_service, citizen):
    FeeFactory(service=paid_service, valid_from=date(2026, 4, 1), amount_vnd=10000)
    with clock.frozen_at(datetime(2026, 3, 31, 16, 0, tzinfo=VIETNAM_TZ)):
        before = submit(paid_service, citizen)
    with clock.frozen_at(datetime(2026, 4, 1, 8, 0, tzinfo=VIETNAM_TZ)):
        after = submit(paid_service, citizen)
    assert (before.fee_vnd, after.fee_vnd) == (8000, 10000)
    assert after.payment.amount_vnd == 10000


def test_a_paid_application_is_received_when_its_payment_is_marked_paid(
    monday, paid_service, citizen
):
    application = submit(paid_service, citizen)
    assert application.status == S.AWAITING_PAYMENT
    assert application.due_at is None
    payment = application.payment
    assert (payment.purpose, payment.reference, payment.status) == (
        "online",
        application.number,
        PaymentStatus.PENDING,
    )
    assert payment_mark_paid(payment=payment, gateway_transaction="VNP1", amount_vnd=8000)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.due_at == datetime(2026, 3, 5, 9, 0, tzinfo=VIETNAM_TZ)
    # A replay changes nothing.
    assert not payment_mark_paid(payment=payment, gateway_transaction="VNP1", amount_vnd=8000)
    assert application.events.filter(kind=S.SUBMITTED).count() == 1


def test_the_applicant_is_mailed_when_the_fee_is_paid_with_the_day_it_is_due(
    monday, paid_service, citizen, django_capture_on_commit_callbacks
):
    application = submit(paid_service, citizen)
    with django_capture_on_commit_callbacks(execute=True):
        assert payment_mark_paid(
            payment=application.payment, gateway_transaction="VNP1", amount_vnd=8000
        )
    sent = [message for message in mail.outbox if application.number in message.subject]
    assert [message.to for message in sent] == [[citizen.email]]
    # In the applicant's language: received, and the day the agency must answer by.
    assert "Đã tiếp nhận" in sent[0].subject
    assert "05-03-2026" in sent[0].body
    assert "Chào ," not in sent[0].body  # no empty name: "Xin chào," when there is none


def test_a_wrong_amount_leaves_the_application_waiting(monday, paid_service, citizen):
    application = submit(paid_service, citizen)
    assert not payment_mark_paid(payment=application.payment, gateway_transaction="X", amount_vnd=1)
    application.refresh_from_db()
    assert application.status == S.AWAITING_PAYMENT


def test_the_steps_each_leave_an_event_and_mail_the_applicant(
    monday, free_service, citizen, agency_staff, django_capture_on_commit_callbacks
):
    application = submit(free_service, citizen)
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_accept(application=application, actor=agency_staff)
        application = services.application_ask_info(
            application=application, actor=agency_staff, text="Xin bổ sung tờ khai."
        )
    assert application.status == S.NEEDS_INFO
    assert len(mail.outbox) == 2
    assert "HS-2026-000001" in mail.outbox[1].subject
    assert "Xin bổ sung tờ khai." in mail.outbox[1].body
    # The applicant answers a working day later: the deadline moves by that day.
    with clock.frozen_at(datetime(2026, 3, 3, 9, 0, tzinfo=VIETNAM_TZ)):
        application = services.application_reply(
            application=application, actor=citizen, text="Đã bổ sung.", files={"to-khai": PDF}
        )
    assert application.status == S.IN_PROGRESS
    assert application.due_at == datetime(2026, 3, 6, 9, 0, tzinfo=VIETNAM_TZ)
    with clock.frozen_at(datetime(2026, 3, 3, 10, 0, tzinfo=VIETNAM_TZ)):
        services.application_message(application=application, actor=agency_staff, text="Đang xử lý")
        application = services.application_finish(
            application=application, actor=agency_staff, result="Mời nhận kết quả tại nhà."
        )
    assert application.status == S.DONE
    assert application.result == "Mời nhận kết quả tại nhà."
    assert [e.kind for e in application.events.all()] == [
        "created", S.SUBMITTED, S.IN_PROGRESS, S.NEEDS_INFO, "reply", "message", S.DONE,
    ]  # fmt: skip
    with pytest.raises(Conflict):
        services.application_refuse(application=application, actor=agency_staff, reason="x")
    with pytest.raises(Conflict):
        services.application_withdraw(application=application, actor=citizen)


def test_refusal_needs_a_reason_and_withdrawal_stops_the_application(
    monday, free_service, citizen, agency_staff
):
    application = submit(free_service, citizen)
    with pytest.raises(InvalidInput):
        services.application_refuse(application=application, actor=agency_staff, reason=" ")
    refused = services.application_refuse(
        application=application, actor=agency_staff, reason="Không thuộc thẩm quyền."
    )
    assert refused.status == S.REFUSED
    other = services.application_withdraw(application=submit(free_service, citizen), actor=citizen)
    assert other.status == S.WITHDRAWN

"""The citizens' pages, the agency's pages and the dashboard, as a browser sees them."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.calendar import VIETNAM_TZ
from cityops.online import services
from cityops.online.choices import ApplicationStatus as S
from cityops.online.tests.factories import PDF, photo_bytes
from cityops.platform import clock

pytestmark = pytest.mark.django_db


def english() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def signed_in(user) -> Client:
    client = english()
    client.force_login(user)
    return client


def upload(content: bytes, name: str = "cccd.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_the_catalogue_shows_fee_time_documents_and_agency_and_searches(
    monday, free_service, paid_service
):
    page = english().get(reverse("online:catalogue")).content.decode()
    assert "Cấp bản sao trích lục hộ tịch" in page
    assert "8.000 đ" in page
    assert "3 working days" in page
    assert "Căn cước công dân" in page
    assert "Sở Xây dựng" in page
    found = english().get(reverse("online:catalogue"), {"q": "trich luc"}).content.decode()
    assert "Cấp bản sao trích lục hộ tịch" in found
    assert "Xác nhận thông tin cư trú" not in found


def test_a_citizen_requests_a_service_and_sees_a_bad_file_refused(monday, free_service, citizen):
    client = signed_in(citizen)
    url = reverse("online:request", args=[free_service.code])
    assert english().get(url).status_code == 302  # anonymous: sign in first
    bad = client.post(url, {"details": "", "doc_cccd": upload(b"GIF89a not really", "x.pdf")})
    assert bad.status_code == 200
    assert "the file is neither a PDF nor a photo" in bad.content.decode()
    sent = client.post(url, {"details": "Cho con đi học", "doc_cccd": upload(photo_bytes())})
    application = free_service.applications.get()
    assert sent.url == reverse("online:application", args=[application.number])
    page = client.get(sent.url).content.decode()
    assert "Received" in page
    assert application.number in page
    mine = client.get(reverse("online:mine")).content.decode()
    assert application.number in mine


def test_only_the_applicant_and_the_agency_see_an_application(
    monday, free_service, citizen, agency_staff, other_agency_staff
):
    application = services.application_submit(
        service=free_service, applicant=citizen, details="Số nhà 12 Lê Lợi", files={"cccd": PDF}
    )
    url = reverse("online:application", args=[application.number])
    neighbour = UserFactory(username="neighbour", role=Role.CITIZEN)
    assert signed_in(neighbour).get(url).status_code == 404
    assert signed_in(other_agency_staff).get(url).status_code == 404
    document = application.documents.get()
    doc_url = reverse("online:document", args=[application.number, document.pk])
    assert signed_in(neighbour).get(doc_url).status_code == 404
    served = signed_in(agency_staff).get(doc_url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"%PDF")
    assert served["Cache-Control"] == "private, no-store"
    assert (
        application.number not in signed_in(neighbour).get(reverse("online:mine")).content.decode()
    )


def test_a_paid_application_shows_its_fee_and_the_payment_state(monday, paid_service, citizen):
    application = services.application_submit(
        service=paid_service, applicant=citizen, files={"cccd": PDF}
    )
    page = signed_in(citizen).get(reverse("online:application", args=[application.number]))
    html = page.content.decode()
    assert "Waiting for the fee" in html
    assert "8.000 đ" in html
    assert f'href="/payments/pay/{application.payment.txn_ref}"' in html  # pay here


def test_the_agency_processes_an_application_and_the_applicant_follows(
    monday, free_service, citizen, agency_staff
):
    application = services.application_submit(
        service=free_service, applicant=citizen, files={"cccd": PDF}
    )
    number = application.number
    staff = signed_in(agency_staff)
    listing = staff.get(reverse("agency:online")).content.decode()
    assert number in listing
    staff.post(reverse("agency:online_accept", args=[number]))
    refused = staff.post(reverse("agency:online_ask", args=[number]), {"text": ""})
    assert refused.status_code == 400
    staff.post(reverse("agency:online_ask", args=[number]), {"text": "Xin bổ sung tờ khai."})
    applicant = signed_in(citizen)
    page = applicant.get(reverse("online:application", args=[number])).content.decode()
    assert "More information needed" in page
    assert "Xin bổ sung tờ khai." in page
    applicant.post(
        reverse("online:reply", args=[number]),
        {"details": "Đã bổ sung", "doc_to-khai": upload(PDF, "to-khai.pdf")},
    )
    staff.post(
        reverse("agency:online_finish", args=[number]), {"result": "Đã cấp, gửi qua bưu điện."}
    )
    application.refresh_from_db()
    assert application.status == S.DONE
    assert application.documents.count() == 2
    page = applicant.get(reverse("online:application", args=[number])).content.decode()
    assert "Đã cấp, gửi qua bưu điện." in page


def test_overdue_applications_are_marked_in_the_agency_list(free_service, citizen, agency_staff):
    with clock.frozen_at(datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TZ)):
        application = services.application_submit(
            service=free_service, applicant=citizen, files={"cccd": PDF}
        )
    with clock.frozen_at(datetime(2026, 3, 9, 9, 0, tzinfo=VIETNAM_TZ)):
        listing = signed_in(agency_staff).get(reverse("agency:online")).content.decode()
    assert application.number in listing
    assert "Overdue" in listing


def test_the_dashboard_counts_received_on_time_late_and_overdue(
    free_service, paid_service, citizen, agency_staff, leader
):
    def at(day: int, hour: int = 9) -> datetime:
        return datetime(2026, 3, day, hour, 0, tzinfo=VIETNAM_TZ)

    with clock.frozen_at(at(2)):
        on_time, late, overdue = (
            services.application_submit(
                service=free_service, applicant=citizen, files={"cccd": PDF}
            )
            for _ in range(3)
        )
        unpaid = services.application_submit(
            service=paid_service, applicant=citizen, files={"cccd": PDF}
        )
    with clock.frozen_at(at(4)):
        services.application_finish(application=on_time, actor=agency_staff, result="Xong")
    with clock.frozen_at(at(9)):
        services.application_finish(application=late, actor=agency_staff, result="Xong")
    with clock.frozen_at(at(10)):
        response = signed_in(leader).get(reverse("dashboard:online"), {"days": 30})
    figures = response.context["figures"]
    total = figures["total"]
    assert (total.received, total.processed, total.on_time, total.late) == (3, 2, 1, 1)
    assert (total.open, total.overdue) == (1, 1)
    assert unpaid.status == S.AWAITING_PAYMENT  # not received: not counted
    assert [row.name for row in figures["agencies"]] == ["Sở Xây dựng"]
    assert [(row.name, row.received) for row in figures["services"]] == [
        ("Xác nhận thông tin cư trú", 3)
    ]
    body = response.content.decode()
    assert '<dd data-kpi="on_time">1 (50%)</dd>' in body
    # The overdue one is listed, linked to its page; the applicant is not named.
    assert figures["overdue"] == [overdue]
    assert reverse("online:application", args=[overdue.number]) in body
    assert citizen.email not in body
    assert (
        signed_in(leader).get(reverse("online:application", args=[overdue.number])).status_code
        == 200
    )
    assert overdue.pk

"""Agency staff never read the reporter's name, in whatever order or spelling it was written:
the account keeps it in the Vietnamese order, the portal fills the contact name from it, and the
agency pages blank it in any form (``accounts.names``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityops.accounts.tests.factories import UserFactory
from cityops.reports import workflow
from cityops.reports.choices import ReportStatus, Visibility

S = ReportStatus
NAME = "Nguyễn Văn Bình"
FORMS = ("Nguyễn Văn Bình", "Bình Nguyễn Văn", "NGUYỄN VĂN BÌNH", "nguyen van binh", "Văn Bình")


@pytest.mark.django_db
@pytest.mark.parametrize("written", FORMS)
def test_the_reporters_name_never_reaches_agency_staff_in_any_form(
    staff_client, make_report, operator, written
):
    reporter = UserFactory(username="binh", full_name=NAME, phone="0911222333")
    report = make_report(
        S.IN_PROGRESS,
        reporter=reporter,
        contact_name=reporter.get_full_name(),  # what the portal fills in
        title=f"Đèn hỏng trước nhà {written}",
        description=(
            f"Tôi là {written}. Đèn đường hỏng ở kiệt 12 Kim Long, vẫn bình thường ban ngày."
        ),
    )
    workflow.report_add_note(
        report=report,
        actor=operator,
        text=f"Đã gọi cho {written}.",
        visibility=Visibility.INTERNAL,
    )

    pages = [
        staff_client.get(reverse("agency:report", args=[report.pk])).content.decode(),
        staff_client.get(reverse("agency:inbox")).content.decode(),
    ]

    for html in pages:
        assert "Đèn" in html  # the report is there …
        for name in {written, NAME, "Bình Nguyễn Văn"}:
            assert name not in html  # … its reporter is not
    assert "Kim Long, vẫn bình thường ban ngày." in pages[0]  # ordinary words stay

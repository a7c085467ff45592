"""Every read of a reporter's identity by IOC staff leaves a row in the access log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from cityops.accounts.models import IdentityAccess
from cityops.platform import clock
from cityops.reports.tests.helpers import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(citizen):
    return submit(reporter=citizen, contact_phone="0905123456")


def test_an_operator_opening_the_triage_page_is_logged_once(client, operator, report):
    client.force_login(operator)
    moment = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    with clock.frozen_at(moment):
        response = client.get(reverse("console:report", args=[report.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert b"0905123456" in response.content
    access = IdentityAccess.objects.get()
    assert (access.user, access.username, access.report, access.what) == (
        operator,
        "operator",
        report,
        IdentityAccess.What.TRIAGE,
    )
    assert (access.at, access.ip) == (moment, "10.1.2.3")


def test_a_leader_sees_no_identity_on_the_triage_page_and_nothing_is_logged(client, leader, report):
    client.force_login(leader)
    response = client.get(reverse("console:report", args=[report.pk]))
    assert response.status_code == 200
    assert b"0905123456" not in response.content
    assert not IdentityAccess.objects.exists()


def test_an_operators_export_is_logged_with_its_filters(client, operator, report):
    client.force_login(operator)
    response = client.get(reverse("dashboard:export", args=["csv"]), {"status": "submitted"})
    b"".join(response.streaming_content)
    client.get(reverse("dashboard:export_events"))
    accesses = list(IdentityAccess.objects.order_by("pk"))
    assert [a.what for a in accesses] == ["reports_export", "events_export"]
    assert accesses[0].report is None
    assert accesses[0].detail == "status=submitted"


def test_a_leaders_export_without_identities_is_not_logged(client, leader, report):
    client.force_login(leader)
    client.get(reverse("dashboard:export", args=["csv"]))
    assert not IdentityAccess.objects.exists()


def test_the_log_outlives_the_staff_account_and_cannot_be_edited_in_the_admin(
    client, admin_user, operator, report
):
    client.force_login(operator)
    client.get(reverse("console:report", args=[report.pk]))
    operator.delete()
    access = IdentityAccess.objects.get()
    assert (access.user, access.username) == (None, "operator")

    client.force_login(admin_user)
    listing = client.get(reverse("admin:accounts_identityaccess_changelist"))
    assert listing.status_code == 200
    assert b"operator" in listing.content
    assert client.get(reverse("admin:accounts_identityaccess_add")).status_code == 403
    delete_url = reverse("admin:accounts_identityaccess_delete", args=[access.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert IdentityAccess.objects.count() == 1


def test_an_admin_opening_a_report_in_the_admin_is_logged(client, admin_user, report):
    client.force_login(admin_user)
    response = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    assert response.status_code == 200
    assert b"0905123456" in response.content
    access = IdentityAccess.objects.get()
    assert (access.user, access.report, access.what) == (admin_user, report, "admin")
    client.get(reverse("admin:reports_report_changelist"))
    assert IdentityAccess.objects.count() == 1

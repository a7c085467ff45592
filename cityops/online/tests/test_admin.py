"""The catalogue in the admin: a fee row charged to an application is never edited again."""

import pytest
from django.test import Client
from django.urls import reverse

from cityops.online import services
from cityops.online.tests.factories import PDF

pytestmark = pytest.mark.django_db


def test_a_used_fee_is_read_only_and_a_new_one_is_added_from_a_later_date(
    monday, paid_service, citizen, admin_user
):
    fee = paid_service.fees.get()
    services.application_submit(service=paid_service, applicant=citizen, files={"cccd": PDF})
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin_user)
    change = reverse("admin:online_fee_change", args=[fee.pk])
    assert client.post(change, {"amount_vnd": 1, "valid_from": "2020-01-01"}).status_code == 403
    assert client.get(reverse("admin:online_fee_delete", args=[fee.pk])).status_code == 403
    page = client.get(reverse("admin:online_onlineservice_change", args=[paid_service.pk]))
    assert page.status_code == 200
    assert 'name="fees-0-amount_vnd"' not in page.content.decode()  # the used row: read-only
    fee.refresh_from_db()
    assert fee.amount_vnd == 8000

"""A citizen's account in the portal: sign up, sign in and out, my pages, the data rights."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from cityops.accounts.models import ApiToken, User
from cityops.accounts.services import token_issue
from cityops.accounts.tests.factories import UserFactory
from cityops.reports.choices import ReportStatus
from cityops.reports.models import Follow, Report
from cityops.reports.services import follow_create

S = ReportStatus
PASSWORD = "correct horse battery"


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.django_db
def test_a_citizen_signs_up_with_an_email_and_is_signed_in(client):
    response = client.post(
        reverse("portal:sign_up"),
        {
            "name": "Nguyễn Văn An",
            "login": "an@example.vn",
            "password": "song-huong-2026",
            "accepted_terms": "on",
            "next": "/reports/new",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/reports/new"
    user = User.objects.get(email="an@example.vn")
    assert (user.full_name, user.language) == ("Nguyễn Văn An", "vi")
    assert user.terms_accepted_at is not None
    assert signed_in(client)


@pytest.mark.django_db
def test_sign_up_problems_are_shown_per_field_and_the_typing_is_kept(client):
    UserFactory(username="taken", phone="0905123456")

    response = client.post(
        reverse("portal:sign_up"),
        {"name": "Trần Bình", "login": "0905 123 456", "password": "123"},
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"login", "password", "accepted_terms"}
    html = response.content.decode()
    assert 'value="Trần Bình"' in html
    assert 'value="0905 123 456"' in html
    assert not signed_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["citizen@example.vn", "0905 111 222", "+84905111222", "citizen"])
def test_a_citizen_signs_in_with_email_phone_or_user_name(client, citizen, login):
    citizen.phone = "0905111222"
    citizen.save()

    response = client.post(
        reverse("portal:sign_in"),
        {"login": login, "password": PASSWORD, "next": "/account/follows"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/account/follows"
    assert signed_in(client)


@pytest.mark.django_db
def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, citizen):
    response = client.post(reverse("portal:sign_in"), {"login": "citizen", "password": "nope"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not signed_in(client)


@pytest.mark.django_db
def test_sign_in_ignores_a_next_on_another_site(client, citizen):
    response = client.post(
        reverse("portal:sign_in"),
        {"login": "citizen", "password": PASSWORD, "next": "https://evil.example/x"},
    )
    assert response["Location"] == reverse("portal:my_reports")


@pytest.mark.django_db
def test_the_sign_in_page_keeps_the_next_address(client):
    html = client.get(reverse("portal:sign_in"), {"next": "/reports/new"}).content.decode()
    assert 'name="next" value="/reports/new"' in html
    assert f"{reverse('portal:sign_up')}?next=/reports/new" in html.replace("%2F", "/")


@pytest.mark.django_db
def test_sign_in_attempts_are_throttled_per_address(client, settings, citizen):
    settings.CITYOPS_RATE_LIMITS = {**settings.CITYOPS_RATE_LIMITS, "login_per_ip": "3/m"}
    for _ in range(3):
        client.post(reverse("portal:sign_in"), {"login": "citizen", "password": "nope"})

    response = client.post(reverse("portal:sign_in"), {"login": "citizen", "password": PASSWORD})

    assert response.status_code == 429
    assert not signed_in(client)


@pytest.mark.django_db
def test_signing_out_is_a_csrf_protected_post(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.get(reverse("portal:sign_out")).status_code == 405
    assert client.post(reverse("portal:sign_out")).status_code == 403
    assert signed_in(client)
    plain = Client()
    plain.force_login(citizen)
    assert plain.post(reverse("portal:sign_out")).status_code == 302
    assert not signed_in(plain)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["my_reports", "my_follows", "preferences", "data_export", "account_delete"]
)
def test_account_pages_need_sign_in(client, name):
    response = client.get(reverse(f"portal:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:sign_in"))


@pytest.mark.django_db
def test_my_reports_lists_only_mine_whatever_their_status(client, citizen, make_report):
    mine = make_report(S.SUBMITTED, reporter=citizen, description="Của tôi, chưa duyệt")
    rejected = make_report(S.REJECTED, reporter=citizen, description="Của tôi, bị từ chối")
    make_report(S.ACCEPTED, description="Của người khác")
    client.force_login(citizen)

    response = client.get(reverse("portal:my_reports"))

    assert set(response.context["page"]) == {mine, rejected}
    html = response.content.decode()
    assert "Của tôi, chưa duyệt" in html
    assert "Của người khác" not in html


@pytest.mark.django_db
def test_my_follows_lists_what_i_follow_with_a_way_to_stop(client, citizen, make_report):
    followed = make_report(S.ACCEPTED, description="Theo dõi cái này")
    make_report(S.ACCEPTED, description="Không theo dõi")
    follow_create(report=followed, user=citizen)
    client.force_login(citizen)

    response = client.get(reverse("portal:my_follows"))

    assert list(response.context["page"]) == [followed]
    assert reverse("portal:unfollow", args=[followed.pk]) in response.content.decode()
    client.post(
        reverse("portal:unfollow", args=[followed.pk]), {"next": reverse("portal:my_follows")}
    )
    assert not Follow.objects.filter(user=citizen).exists()


@pytest.mark.django_db
def test_notification_preferences_are_saved(client, citizen):
    client.force_login(citizen)

    response = client.post(
        reverse("portal:preferences"),
        {"email": "moi@example.vn", "language": "en"},  # the box unticked: notifications off
    )

    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.email_notifications, citizen.language, citizen.email) == (
        False,
        "en",
        "moi@example.vn",
    )


@pytest.mark.django_db
def test_a_bad_email_in_preferences_is_explained(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("portal:preferences"), {"email": "không phải email", "email_notifications": "on"}
    )
    assert response.status_code == 400
    assert "email" in response.context["form"].errors


@pytest.mark.django_db
def test_my_data_downloads_as_json(client, citizen, make_report):
    report = make_report(S.ACCEPTED, reporter=citizen, contact_phone="0905000111")
    client.force_login(citizen)

    response = client.get(reverse("portal:data_export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["username"] == "citizen"
    assert [r["id"] for r in data["reports"]] == [report.pk]
    assert data["reports"][0]["contact_phone"] == "0905000111"
    assert [f["report"] for f in data["follows"]] == [report.pk]


@pytest.mark.django_db
def test_deleting_my_account_needs_my_password(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("portal:account_delete"), {"password": "sai"})
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    assert User.objects.filter(pk=citizen.pk).exists()


@pytest.mark.django_db
def test_deleting_my_account_anonymises_my_reports_and_signs_me_out(client, citizen, make_report):
    report = make_report(S.ACCEPTED, reporter=citizen, contact_name="Nguyễn Văn An")
    token_issue(user=citizen, name="phone")
    client.force_login(citizen)

    response = client.post(reverse("portal:account_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not signed_in(client)
    assert not User.objects.filter(pk=citizen.pk).exists()
    assert not ApiToken.objects.exists()
    report = Report.objects.get(pk=report.pk)
    assert (report.reporter, report.contact_name) == (None, "")
    assert client.get(reverse("portal:report", args=[report.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["sign_up", "sign_in", "preferences", "account_delete"])
def test_account_forms_are_csrf_protected(citizen, name):
    client = Client(enforce_csrf_checks=True)
    if name in ("preferences", "account_delete"):
        client.force_login(citizen)
    response = client.post(reverse(f"portal:{name}"), {"password": PASSWORD, "login": "citizen"})
    assert response.status_code == 403
    assert User.objects.filter(pk=citizen.pk).exists()

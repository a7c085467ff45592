"""One sign-in for everyone: each role lands on its own workspace, the header offers the
workspaces a user may open, and the admin's sign-in page sends other staff to the right place."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

PASSWORD = "correct horse battery"  # accounts.tests.factories.UserFactory


@pytest.fixture(autouse=True)
def _fresh_sign_in_limits():
    cache.clear()  # the sign-in rate limit counts in the cache


def sign_in(client, user, next_url: str = ""):
    data = {"login": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("portal:sign_in"), data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("operator", "/console/"),
        ("agency_staff", "/agency/"),
        ("leader", "/dashboard/"),
        ("admin_user", "/console/"),
        ("citizen", "/account/reports"),
    ],
)
def test_each_role_lands_on_its_own_workspace_after_signing_in(client, request, role, landing):
    user = request.getfixturevalue(role)

    response = sign_in(client, user)

    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.get(response["Location"]).status_code == 200
    # Signed in already, the sign-in page sends them there too.
    assert client.get(reverse("portal:sign_in"))["Location"] == landing


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "next_url", "landing"),
    [
        ("leader", "/console/map/", "/console/map/"),  # leaders may read the console
        ("operator", "/reports/new", "/reports/new"),
        ("citizen", "/console/", "/account/reports"),  # not theirs: no 403 after signing in
        ("agency_staff", "/dashboard/", "/agency/"),
        ("operator", "/admin/", "/console/"),
        ("operator", "https://evil.example/console/", "/console/"),
        ("leader", "/no-such-page", "/dashboard/"),
    ],
)
def test_next_is_honoured_only_when_the_user_may_open_it(client, request, role, next_url, landing):
    response = sign_in(client, request.getfixturevalue(role), next_url)

    assert response["Location"] == landing


@pytest.mark.django_db
def test_a_staff_page_sends_a_visitor_to_the_one_sign_in_and_back(client, operator):
    asked = client.get("/console/map/")
    assert asked["Location"] == reverse("portal:sign_in") + "?next=/console/map/"

    assert sign_in(client, operator, "/console/map/")["Location"] == "/console/map/"


@pytest.mark.django_db
def test_the_footer_staff_link_goes_to_the_portal_sign_in_not_the_admin(client):
    html = client.get("/").content.decode()

    assert f'<a href="{reverse("portal:sign_in")}">Đăng nhập dành cho cán bộ</a>' in html
    assert 'href="/admin/"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shown", "not_shown"),
    [
        ("operator", ["/console/", "/dashboard/"], ["/agency/", "/admin/"]),
        ("agency_staff", ["/agency/"], ["/console/", "/dashboard/", "/admin/"]),
        ("leader", ["/console/", "/dashboard/"], ["/agency/", "/admin/"]),
        ("admin_user", ["/console/", "/dashboard/", "/admin/"], ["/agency/"]),
        ("citizen", [], ["/console/", "/agency/", "/dashboard/", "/admin/"]),
    ],
)
def test_the_header_offers_the_workspaces_the_user_may_open(
    client, request, role, shown, not_shown
):
    client.force_login(request.getfixturevalue(role))

    html = client.get("/").content.decode()
    offered = [url for url in shown + not_shown if f'class="workspace" href="{url}"' in html]

    assert offered == shown
    for url in offered:
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_staff_header_links_the_other_workspaces_only(client, leader):
    client.force_login(leader)

    html = client.get("/dashboard/").content.decode()

    assert 'class="workspace" href="/console/"' in html
    assert 'class="workspace" href="/dashboard/"' not in html  # the page's own workspace


@pytest.mark.django_db
def test_the_admin_sign_in_tells_an_operator_where_staff_sign_in(client, operator):
    page = client.get("/admin/login/")
    assert f'href="{reverse("portal:sign_in")}" id="staff-sign-in"' in page.content.decode()

    refused = client.post(
        "/admin/login/", {"username": operator.username, "password": PASSWORD}
    ).content.decode()

    assert "tài khoản không phải của quản trị viên" in refused
    assert "đăng nhập tại trang đăng nhập dành cho cán bộ" in refused
    assert "Vui lòng nhập chính xác" not in refused  # Django's "enter the correct password"


@pytest.mark.django_db
def test_the_admin_sign_in_sends_a_signed_in_operator_to_their_workspace(client, operator):
    client.force_login(operator)

    page = client.get("/admin/", follow=True).content.decode()

    assert 'href="/console/"' in page
    assert "operator" in page


@pytest.mark.django_db
def test_an_administrator_still_signs_in_to_the_admin(client, admin_user):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD}
    )

    assert response["Location"] == "/admin/"

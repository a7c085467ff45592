"""Web push: a citizen turns notifications on in their browser, and each public change of a
report they follow reaches it, encrypted and signed with the city's VAPID key, through a real
HTTP push service."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from cityops.accounts.tests.factories import UserFactory
from cityops.channels import push
from cityops.channels.models import PushSubscription
from cityops.channels.push import push_subscription_save
from cityops.channels.tests.http_peers import PushServiceFake, VapidKeys
from cityops.reports import workflow
from cityops.reports.choices import ReportStatus
from cityops.reports.services import follow_create
from cityops.reports.tests.helpers import report_in

SUBJECT = "mailto:ioc@hue.gov.vn"


@pytest.fixture
def push_service(settings, monkeypatch):
    keys = VapidKeys.generate()
    settings.CITYOPS_CHANNELS = {**settings.CITYOPS_CHANNELS, "webpush": True}
    settings.CITYOPS_VAPID_PUBLIC_KEY = keys.public
    settings.CITYOPS_VAPID_PRIVATE_KEY = keys.private
    settings.CITYOPS_VAPID_SUBJECT = SUBJECT
    monkeypatch.setattr(push, "ENDPOINT_SCHEMES", ("https://", "http://127.0.0.1"))
    service = PushServiceFake(vapid_public=keys.public, subject=SUBJECT).start()
    yield service
    service.stop()


def subscribed(service: PushServiceFake, user, name: str = "browser-1") -> PushSubscription:
    data = service.subscription(name)
    return push_subscription_save(
        user=user, endpoint=data["endpoint"], user_agent="Firefox", **data["keys"]
    )


@pytest.fixture
def followed(db, operator, agency, agency_staff, citizen):
    return report_in(
        ReportStatus.IN_PROGRESS,
        operator=operator,
        agency=agency,
        staff=agency_staff,
        reporter=citizen,
        description="Đèn đường hỏng trước nhà số 5",
    )


@pytest.mark.django_db
def test_a_follower_s_browser_gets_the_change_encrypted_and_signed(
    push_service, followed, citizen, agency_staff, settings, django_capture_on_commit_callbacks
):
    subscribed(push_service, citizen)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_resolve(report=followed, actor=agency_staff, result="Đã thay bóng đèn.")

    [message] = push_service.received  # decrypted with the browser's keys
    assert f"#{followed.pk}: Đã xử lý" in message["title"]  # the public status, in Vietnamese
    assert "Đã thay bóng đèn." in message["body"]
    assert message["url"] == f"{settings.CITYOPS_SITE_URL}/reports/{followed.pk}"
    headers = push_service.headers[0]
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid t=")
    assert f"k={settings.CITYOPS_VAPID_PUBLIC_KEY}" in headers["authorization"]
    assert int(headers["ttl"]) > 0


@pytest.mark.django_db
@pytest.mark.parametrize("status", [404, 410])
def test_a_browser_the_push_service_no_longer_knows_is_forgotten(
    push_service, followed, citizen, status
):
    subscription = subscribed(push_service, citizen, "gone")
    push_service.gone, push_service.gone_status = {"/push/gone"}, status
    event = followed.events.latest("created_at", "pk")

    assert push.followers_push(event_id=event.pk) == 0
    assert not PushSubscription.objects.filter(pk=subscription.pk).exists()


@pytest.mark.django_db
def test_a_push_signed_with_another_key_is_refused_by_the_push_service(
    push_service, followed, citizen, settings
):
    subscription = subscribed(push_service, citizen)
    settings.CITYOPS_VAPID_PRIVATE_KEY = VapidKeys.generate().private
    event = followed.events.latest("created_at", "pk")

    assert push.followers_push(event_id=event.pk) == 0
    assert push_service.received == []
    subscription.refresh_from_db()
    assert subscription.failures == 1  # refused once, kept for the next change


@pytest.mark.django_db
def test_while_a_report_is_hidden_only_its_reporter_s_browser_hears_of_it(
    push_service, operator, citizen, django_capture_on_commit_callbacks
):
    follower = UserFactory(username="follower")
    report = report_in(ReportStatus.SUBMITTED, operator=operator, reporter=citizen)
    follow_create(report=report, user=follower)
    subscribed(push_service, citizen, "reporter")
    subscribed(push_service, follower, "follower")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_reject(report=report, actor=operator, reason="spam", note="")

    assert [message["endpoint"].rsplit("/", 1)[1] for message in push_service.received] == [
        "reporter"
    ]


@pytest.mark.django_db
def test_nothing_is_pushed_while_web_push_is_off(
    push_service, followed, citizen, agency_staff, settings, django_capture_on_commit_callbacks
):
    subscribed(push_service, citizen)
    settings.CITYOPS_CHANNELS = {**settings.CITYOPS_CHANNELS, "webpush": False}

    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_resolve(report=followed, actor=agency_staff, result="Xong.")

    assert push_service.received == []


# --- the portal's button ----------------------------------------------------------------------


def _csrf_client(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get("/account/preferences")
    return client, str(page.context["csrf_token"])


@pytest.mark.django_db
def test_a_citizen_turns_notifications_on_and_off_in_their_browser(push_service, citizen):
    client, token = _csrf_client(citizen)
    subscription = push_service.subscription("mine")

    on = client.post(
        "/account/push/subscribe", json.dumps(subscription), content_type="application/json",
        headers={"X-CSRFToken": token},
    )  # fmt: skip

    assert on.status_code == 201
    assert on.json()["message"]
    kept = PushSubscription.objects.get()
    assert (kept.user, kept.endpoint) == (citizen, subscription["endpoint"])
    off = client.post(
        "/account/push/unsubscribe", json.dumps(subscription), content_type="application/json",
        headers={"X-CSRFToken": token},
    )  # fmt: skip
    assert off.status_code == 200
    assert not PushSubscription.objects.exists()


@pytest.mark.django_db
def test_saving_a_subscription_needs_the_csrf_token(push_service, citizen):
    client, _token = _csrf_client(citizen)

    response = client.post(
        "/account/push/subscribe",
        json.dumps(push_service.subscription("x")),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


@pytest.mark.django_db
def test_someone_signed_out_cannot_save_a_subscription(push_service, client):
    response = client.post(
        "/account/push/subscribe",
        json.dumps(push_service.subscription("x")),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


@pytest.mark.django_db
def test_a_subscription_without_the_browser_keys_is_refused(push_service, citizen):
    client, token = _csrf_client(citizen)
    data = push_service.subscription("x")
    data["keys"] = {}

    response = client.post(
        "/account/push/subscribe", json.dumps(data), content_type="application/json",
        headers={"X-CSRFToken": token},
    )  # fmt: skip

    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


@pytest.mark.django_db
def test_the_preferences_page_offers_the_button_in_vietnamese_only_when_push_is_set_up(
    push_service, citizen, client, settings
):
    client.force_login(citizen)
    page = client.get("/account/preferences").content.decode()
    assert 'id="push"' in page
    assert settings.CITYOPS_VAPID_PUBLIC_KEY in page
    assert 'aria-pressed="false"' in page

    settings.CITYOPS_VAPID_PRIVATE_KEY = ""
    assert 'id="push"' not in client.get("/account/preferences").content.decode()


@pytest.mark.django_db
def test_the_service_worker_is_served_for_the_whole_site(client):
    response = client.get("/push-worker.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert b"showNotification" in response.content

"""Failed sign-ins are counted per account and per address, together for every way in (the
portal, the API's token, the admin), with Redis, without it, and while it is down."""

import os
import socket
from datetime import UTC, datetime

import pytest
import redis
import time_machine
from django.core.cache import cache

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.platform import ratelimit
from cityops.platform.tests.servers import redis_or_skip

PASSWORD = "correct horse battery"  # UserFactory's
NOON = datetime(2026, 3, 9, 5, 0, 10, tzinfo=UTC)  # 10 s into a 15-minute window
REDIS_URL = os.environ.get("CITYOPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _unreachable_redis() -> str:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{probe.getsockname()[1]}/0"


def _forget_counts(url: str) -> None:
    cache.clear()
    ratelimit._counts_while_redis_is_down.clear()
    if url == REDIS_URL:
        client = redis.Redis.from_url(url)
        for counter in client.scan_iter("cityops:ratelimit:sign-in:*"):
            client.delete(counter)
    ratelimit._redis.cache_clear()


@pytest.fixture(params=["no redis", "redis", "redis down"])
def store(request, settings):
    """Where the counts are kept: the local cache, Redis, or each process while Redis is down."""
    url = {"no redis": "", "redis": REDIS_URL, "redis down": _unreachable_redis()}[request.param]
    if request.param == "redis":
        redis_or_skip(url)
    settings.REDIS_URL = url
    _forget_counts(url)
    with time_machine.travel(NOON, tick=False):
        yield request.param
    _forget_counts(url)


@pytest.fixture
def limits(settings):
    """The defaults for accounts; the edge's per-address limits out of the way."""
    settings.CITYOPS_RATE_LIMITS = {
        **settings.CITYOPS_RATE_LIMITS,
        "login_per_ip": "1000/m",
        "login_failures_per_account": "5/15m",
        "login_failures_per_ip": "1000/h",
    }


@pytest.fixture
def staff_admin(db):
    return UserFactory(username="quantri", role=Role.ADMIN, is_staff=True, is_superuser=True)


def portal(client, login, password, address):
    return client.post(
        "/account/sign-in",
        {"login": login, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def api(client, login, password, address):
    return client.post(
        "/api/v1/auth/token",
        {"login": login, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def admin(client, login, password, address):
    return client.post(
        "/admin/login/",
        {"username": login, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


WAYS_IN = {"portal": portal, "api": api, "admin": admin}
WAIT = "Too many failed sign-ins. Try again in 15 minutes."  # 890 s left in the window


@pytest.mark.django_db
@pytest.mark.parametrize("way_in", WAYS_IN)
def test_five_failures_on_any_ways_in_make_the_account_wait_on_every_way_in(
    client, store, limits, staff_admin, way_in
):
    # Five guesses spread over the three ways in and five addresses (no per-address limit).
    guesses = [portal, api, admin, portal, api]
    for n, guess in enumerate(guesses):
        guess(client, "quantri", f"guess-{n}", f"10.0.0.{n}")

    refused = WAYS_IN[way_in](client, "quantri", PASSWORD, "10.9.9.9")  # the right password

    if way_in == "api":
        assert refused.status_code == 429
        assert refused.json()["code"] == "rate_limited"
        assert refused.json()["message"] == "Too many failed sign-ins; retry in 890 seconds."
        assert refused["Retry-After"] == "890"
    else:
        assert refused.status_code == (429 if way_in == "portal" else 200)
        assert WAIT in refused.content.decode()
        if way_in == "portal":
            assert refused["Retry-After"] == "890"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_account_may_sign_in_again_when_the_window_ends(client, store, limits, citizen):
    for n in range(5):
        assert api(client, "citizen", f"guess-{n}", "10.0.0.1").status_code == 401
    assert api(client, "citizen", PASSWORD, "10.0.0.1").status_code == 429

    with time_machine.travel(NOON.replace(minute=15), tick=False):
        assert api(client, "citizen", PASSWORD, "10.0.0.1").status_code == 201


@pytest.mark.django_db
def test_other_accounts_are_not_affected_and_right_passwords_are_not_counted(
    client, store, limits, citizen, operator
):
    for _ in range(6):
        assert api(client, "operator", PASSWORD, "10.0.0.1").status_code == 201
    for n in range(5):
        api(client, "citizen", f"guess-{n}", "10.0.0.1")

    assert api(client, "operator", PASSWORD, "10.0.0.1").status_code == 201
    assert api(client, "citizen", PASSWORD, "10.0.0.2").status_code == 429


@pytest.mark.django_db
def test_an_account_is_one_account_whichever_login_names_it(client, store, limits, citizen):
    citizen.email = "dan@example.vn"
    citizen.save(update_fields=["email"])
    for n, login in enumerate(["citizen", "dan@example.vn", "DAN@example.vn"] * 2):
        api(client, login, f"guess-{n}", "10.0.0.1")

    assert api(client, "citizen", PASSWORD, "10.0.0.1").status_code == 429


@pytest.mark.django_db
def test_an_unknown_login_is_throttled_like_a_known_one(client, store, limits):
    statuses = [api(client, "nobody", f"guess-{n}", "10.0.0.1").status_code for n in range(6)]
    assert statuses == [401] * 5 + [429]


@pytest.mark.django_db
def test_the_admin_sign_in_is_throttled_per_address(client, store, settings, staff_admin):
    settings.CITYOPS_RATE_LIMITS = {
        **settings.CITYOPS_RATE_LIMITS,
        "login_failures_per_account": "1000/m",
        "login_failures_per_ip": "3/15m",
    }
    for n in range(3):
        page = admin(client, f"someone-{n}", "guess", "10.0.0.1").content.decode()
        assert WAIT not in page

    refused = admin(client, "quantri", PASSWORD, "10.0.0.1")
    elsewhere = admin(client, "quantri", PASSWORD, "10.0.0.2")

    assert WAIT in refused.content.decode()
    assert elsewhere.status_code == 302  # signed in from another address

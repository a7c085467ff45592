"""The read cache: anonymous public reads answered before Django, as Django would answer them.

Who is kept from it (a session, a key, a token), that a change of a report shows on the very
next request (in this process, and through Redis as every process sees it), the CSRF tokens of
kept pages, ETag / Last-Modified and their 304s, languages, and the switch that turns it off.
"""

from __future__ import annotations

import math
import re
import time

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.utils.http import http_date

from cityops.accounts.choices import Role
from cityops.accounts.services import apikey_create
from cityops.accounts.tests.factories import UserFactory
from cityops.platform import readcache
from cityops.platform.asgi import SyncChainASGIHandler
from cityops.platform.readcache import Store
from cityops.platform.tests.readcache_client import Site
from cityops.reports.choices import ReportStatus
from cityops.reports.services import personal_data_erase
from cityops.reports.tests.helpers import report_in

S = ReportStatus
TOKEN = re.compile(r'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{64})"')


@pytest.fixture(autouse=True)
def _django_inline(monkeypatch, settings):
    # InlineDjango runs Django in the event loop's thread, the test's transaction with it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.CITYOPS_READ_CACHE = True
    settings.REDIS_URL = ""


@pytest.fixture
def site():
    site = Site()
    yield site
    site.close()


@pytest.fixture
def later(time_machine):
    """A whole second after the report's last change: its answers may say Last-Modified."""

    def move(seconds: float = 2.5) -> float:
        moment = math.floor(time.time()) + seconds
        time_machine.move_to(moment, tick=False)
        return moment

    return move


def _tokens(body: str) -> list[str]:
    return TOKEN.findall(body)


def _without_tokens(body: bytes) -> bytes:
    return TOKEN.sub("TOKEN", body.decode()).encode()


PUBLIC_READS = [
    "/api/v1/reports?page_size=20",
    "/open311/v2/requests.json",
    "/open311/v2/requests.xml?page_size=20",
]


@pytest.mark.parametrize("path", PUBLIC_READS)
def test_a_kept_answer_is_byte_for_byte_the_one_django_gave(site, report, later, path):
    later()
    first = site.get(path)
    second = site.get(path)

    assert first.status == 200
    assert site.django.answered == 1  # the second came from the cache
    assert (second.status, second.headers, second.body) == (first.status, first.headers, first.body)
    assert first.header("ETag")
    assert first.header("Last-Modified")
    assert first.header("Cache-Control") == "no-cache"
    assert "Content-Security-Policy" in dict(first.headers)


@pytest.mark.parametrize("path", ["/api/v1/reports/{pk}", "/open311/v2/requests/{pk}.json"])
def test_one_report_is_kept_too(site, report, path):
    site.get(path.format(pk=report.pk))
    again = site.get(path.format(pk=report.pk))

    assert again.status == 200
    assert site.django.answered == 1


@pytest.mark.django_db(transaction=True)
def test_the_real_handler_opts_in_through_the_scope(operator, agency, agency_staff):
    report_in(S.ASSIGNED, operator=operator, agency=agency, staff=agency_staff)
    calls = []
    handler = SyncChainASGIHandler()

    async def counted(scope, receive, send):
        calls.append(scope["path"])
        await handler(scope, receive, send)

    site = Site(counted)
    try:
        first = site.get("/open311/v2/requests.json")
        second = site.get("/open311/v2/requests.json")
        site.get("/healthz")
        site.get("/healthz")
    finally:
        site.close()

    assert (second.headers, second.body) == (first.headers, first.body)
    assert calls == ["/open311/v2/requests.json", "/healthz", "/healthz"]  # not opted in


@pytest.mark.parametrize(
    "path", ["/", "/reports/{pk}", "/api/v1/reports", "/open311/v2/requests/{pk}.xml"]
)
def test_a_status_change_shows_on_the_very_next_request(site, report, change, path):
    path = path.format(pk=report.pk)
    site.get(path)
    kept = site.get(path)
    assert site.django.answered == 1

    change(report)
    after = site.get(path)

    assert site.django.answered == 2
    assert _without_tokens(after.body) != _without_tokens(kept.body)
    assert _without_tokens(site.get(path).body) == _without_tokens(after.body)
    assert site.django.answered == 2


def test_a_change_of_another_report_keeps_a_reports_page(
    site, report, change, operator, agency, agency_staff
):
    other = report_in(S.ASSIGNED, operator=operator, agency=agency, staff=agency_staff)
    site.get(f"/reports/{report.pk}")
    site.get("/api/v1/reports")

    change(other)
    site.get(f"/reports/{report.pk}")
    site.get("/api/v1/reports")

    assert site.django.answered == 3  # the list again, not the page


def test_an_unreachable_redis_sends_every_read_to_django(settings, report):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    site = Site()
    try:
        assert site.get("/api/v1/reports").status == 200
        assert site.get("/api/v1/reports").status == 200
    finally:
        site.close()
    assert site.django.answered == 2


def test_if_none_match_is_answered_not_modified_until_the_report_changes(site, report, change):
    path = f"/open311/v2/requests/{report.pk}.json"
    etag = site.get(path).header("ETag")

    same = site.get(path, if_none_match=etag)
    assert (same.status, same.body, same.header("ETag")) == (304, b"", etag)

    change(report)
    changed = site.get(path, if_none_match=etag)
    assert changed.status == 200
    assert changed.header("ETag") != etag


def test_if_modified_since_is_answered_not_modified_until_the_report_changes(
    site, report, change, later
):
    path = "/api/v1/reports"
    moment = later(2.5)
    first = site.get(path)
    assert first.header("Last-Modified") == http_date(math.floor(moment))
    assert site.get(path, if_modified_since=first.header("Last-Modified")).status == 304

    change(report)  # in the same second
    after = site.get(path, if_modified_since=first.header("Last-Modified"))
    assert after.status == 200
    assert after.header("Last-Modified") is None  # a second two states share says nothing

    moment = later(60)
    again = site.get(path, if_modified_since=first.header("Last-Modified"))
    assert again.status == 200  # the copy made in the second of the change is not kept
    assert site.get(path).header("Last-Modified") is None
    site.cache.store.clear()
    fresh = site.get(path, if_modified_since=first.header("Last-Modified"))
    assert fresh.status == 200
    assert fresh.header("Last-Modified") == http_date(math.floor(moment))


def test_the_first_answer_has_its_validators_too(site, report):
    first = site.get("/api/v1/reports", if_none_match='"nothing"')
    assert first.status == 200
    etag = first.header("ETag")

    site.cache.store.clear()  # made again: the same ETag
    again = site.get("/api/v1/reports", if_none_match=etag)
    assert again.status == 304
    assert site.django.answered == 2


def test_english_and_vietnamese_are_kept_apart(site, report):
    vietnamese = site.get(f"/reports/{report.pk}")
    english = site.get(f"/reports/{report.pk}", accept_language="en-GB,en;q=0.9")
    by_cookie = site.get(f"/reports/{report.pk}", cookie="django_language=en")
    again = site.get(f"/reports/{report.pk}", accept_language="vi")

    assert vietnamese.header("Content-Language") == "vi"
    assert english.header("Content-Language") == by_cookie.header("Content-Language") == "en"
    assert "Timeline" in english.text
    assert "Timeline" not in vietnamese.text
    assert _without_tokens(again.body) == _without_tokens(vietnamese.body)
    assert site.django.answered == 2


def test_a_kept_page_gives_each_visitor_tokens_of_their_own_csrf_secret(site, report):
    first = site.get("/")  # a new visitor: Django makes their secret
    cookie = first.header("Set-Cookie")
    secret = re.match(r"csrftoken=(\w+);", cookie).group(1)
    assert {_unmask_cipher_token(t) for t in _tokens(first.text)} == {secret}

    newcomer = site.get("/")
    other = re.match(r"csrftoken=(\w+);", newcomer.header("Set-Cookie")).group(1)
    returning = site.get("/", cookie=f"csrftoken={secret}")

    assert site.django.answered == 1
    assert other != secret
    assert {_unmask_cipher_token(t) for t in _tokens(newcomer.text)} == {other}
    assert {_unmask_cipher_token(t) for t in _tokens(returning.text)} == {secret}
    assert _without_tokens(newcomer.body) == _without_tokens(first.body)
    assert newcomer.header("Cache-Control") == "private, no-cache"
    assert "Cookie" in newcomer.header("Vary")
    # The token works: the language switch of a kept page is accepted.
    token = _tokens(returning.text)[0]
    switched = site.request(
        "/i18n/setlang/",
        method="POST",
        headers={
            "cookie": f"csrftoken={secret}",
            "content-type": "application/x-www-form-urlencoded",
        },
        body=f"language=en&next=/&csrfmiddlewaretoken={token}".encode(),
    )
    assert switched.status == 302


def test_a_visitors_own_copy_of_a_page_is_not_another_visitors(site, report):
    mine = site.get("/", cookie="csrftoken=" + "a" * 32)
    theirs = site.get("/", cookie="csrftoken=" + "b" * 32, if_none_match=mine.header("ETag"))

    assert theirs.status == 200  # their copy must hold their tokens


def test_a_staff_page_is_never_kept_for_the_public(site, report, client, operator):
    report.contact_name = "Nguyễn Văn Bình"
    report.save()
    client.force_login(operator)
    session = f"sessionid={client.cookies['sessionid'].value}"

    staff = site.get(f"/reports/{report.pk}", cookie=session)
    staff_again = site.get(f"/reports/{report.pk}", cookie=session)
    public = site.get(f"/reports/{report.pk}")

    assert site.django.answered == 3
    assert staff.header("ETag") is None
    assert staff_again.status == public.status == 200
    assert "Nguyễn Văn Bình" not in public.text


@pytest.mark.parametrize(
    "credential",
    [
        {"authorization": "Bearer nope"},
        {"x-api-key": "KEY"},
        {"cookie": "sessionid=abc"},
        {"cookie": "messages=abc"},
    ],
)
def test_a_request_with_credentials_is_never_answered_from_the_cache(site, report, credential):
    site.get("/api/v1/reports")

    site.request("/api/v1/reports", headers=credential)
    site.request("/api/v1/reports", headers=credential)

    assert site.django.answered == 3


def test_a_key_in_the_query_goes_to_django(site, report):
    secret = apikey_create(name="client").secret
    for _ in range(2):
        site.get(f"/open311/v2/requests.json?api_key={secret}")
        site.get("/open311/v2/requests.json?token=abc")

    assert site.django.answered == 4


def test_an_api_key_answer_does_not_fill_the_cache(site, report, citizen):
    site.request(f"/api/v1/reports/{report.pk}", headers={"authorization": "Bearer nope"})
    site.get(f"/api/v1/reports/{report.pk}")

    assert site.django.answered == 2


def test_an_unknown_page_or_a_miss_is_not_kept(site, report):
    for _ in range(2):
        site.get("/api/v1/reports/999999")
        site.get("/privacy")

    assert site.django.answered == 4


def test_head_is_answered_from_the_kept_get(site, report):
    got = site.get("/api/v1/reports")
    head = site.request("/api/v1/reports", method="HEAD")

    assert head.body == b""
    assert head.headers == got.headers
    assert site.django.answered == 1


def test_the_switch_turns_the_cache_off(site, report, settings):
    settings.CITYOPS_READ_CACHE = False

    first = site.get("/api/v1/reports")
    site.get("/api/v1/reports")

    assert site.django.answered == 2
    assert first.header("ETag") is None


def test_a_signed_in_citizen_is_answered_by_django(site, report, client):
    citizen = UserFactory(username="reader", role=Role.CITIZEN)
    client.force_login(citizen)
    site.get("/")
    page = site.get("/", cookie=f"sessionid={client.cookies['sessionid'].value}")

    assert site.django.answered == 2
    assert "account/reports" in page.text  # their own menu


def test_the_store_keeps_the_most_recently_used_within_its_bounds():
    store = Store(entries=2, size=1000)

    def entry(size):
        return readcache.Entry(
            headers=[], parts=[b"x" * size], digest="", depends_on=(), generations=[],
            last_modified=None, expires=0,
        )  # fmt: skip

    store.put(("a",), entry(100))
    store.put(("b",), entry(100))
    store.get(("a",))
    store.put(("c",), entry(100))  # one too many: the least recently used goes
    assert store.get(("b",)) is None
    assert store.get(("a",)) is not None
    store.put(("d",), entry(950))  # too many bytes: the least recently used go
    assert (store.get(("a",)), store.get(("c",))) == (None, None)
    assert store.get(("d",)) is not None
    assert (len(store), store.size) == (1, 950)


def test_an_answer_is_kept_no_longer_than_its_time(site, report, settings):
    settings.CITYOPS_READ_CACHE_SECONDS = 0  # a change no report event tells: a category's name

    site.get("/api/v1/reports")
    site.get("/api/v1/reports")

    assert site.django.answered == 2


def test_an_erased_reporters_name_is_not_shown_again(
    site, operator, agency, agency_staff, django_capture_on_commit_callbacks
):
    reporter = UserFactory(username="binh", role=Role.CITIZEN, full_name="Nguyễn Văn Bình")
    with django_capture_on_commit_callbacks(execute=True):
        report = report_in(
            S.ASSIGNED, operator=operator, agency=agency, staff=agency_staff, reporter=reporter
        )
    assert "Bình" in site.get(f"/reports/{report.pk}").text

    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(user=reporter)

    assert "Bình" not in site.get(f"/reports/{report.pk}").text

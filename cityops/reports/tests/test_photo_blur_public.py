"""No public URL exists for a photo before it is blurred; afterwards only the blurred copy is
served outside the IOC, and IOC staff open the original in the console."""

from __future__ import annotations

import pytest
from django.test import Client

from cityops.platform.tests.readcache_client import Site
from cityops.reports.choices import BlurStatus, ReportStatus
from cityops.reports.models import Attachment, Report
from cityops.reports.tests.helpers import report_in
from cityops.reports.tests.photo_blur import (
    FACE,
    blur_now,
    detailed_jpeg,
    detector_finding,
    difference_inside,
    streamed,
)

PHOTO_PATH = "/media/attachments/"


@pytest.fixture
def resolved(monkeypatch, operator, agency, agency_staff, citizen) -> Report:
    """A citizen's report with a photo, resolved by the agency with a photo of the result:
    public, with both photos still waiting for the blur job."""
    detector_finding(monkeypatch, FACE)
    report = report_in(
        ReportStatus.IN_PROGRESS,
        operator=operator,
        agency=agency,
        staff=agency_staff,
        reporter=citizen,
        photos=[detailed_jpeg()],
    )
    from cityops.reports import workflow

    workflow.report_resolve(
        report=report, actor=agency_staff, result="Đã vá.", photos=[detailed_jpeg()]
    )
    assert set(Attachment.objects.values_list("blur_status", flat=True)) == {BlurStatus.PENDING}
    return Report.objects.get(pk=report.pk)


def _public_reads(pk: int) -> list[str]:
    reads = [
        "/",
        f"/reports/{pk}",
        f"/api/v1/reports/{pk}",
        "/api/v1/reports",
        "/open-data/reports.csv",
        "/open-data/reports.geojson",
    ]
    for fmt in ("json", "xml"):
        reads += [
            f"/open311/v2/requests/{pk}.{fmt}",
            f"/open311/v2/requests.{fmt}?extensions=true",
            f"/open311/v2/servicerequestupdates.{fmt}",
        ]
    return reads


def _read(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _original(photo: Attachment) -> bytes:
    with photo.file.open("rb") as file:
        return file.read()


def test_a_photo_waiting_for_blurring_has_no_url_anywhere_public(resolved, client):
    for url in _public_reads(resolved.pk):
        assert PHOTO_PATH not in _read(client, url), url
    assert client.get(f"/api/v1/reports/{resolved.pk}").json()["photos"] == []
    (request,) = client.get(f"/open311/v2/requests/{resolved.pk}.json").json()
    assert request["media_url"] == ""


def test_nobody_gets_a_photo_waiting_for_blurring_at_its_public_url(
    resolved, citizen, agency_staff, operator, leader
):
    for photo in resolved.attachments.all():
        for user in (None, citizen, agency_staff, operator, leader):
            for variant in (".jpg", ".thumb.jpg"):
                response = _client(user).get(f"{PHOTO_PATH}{photo.pk}{variant}")
                assert response.status_code == 404, (user, variant)


def test_a_failed_photo_stays_without_a_public_url(resolved, client, monkeypatch):
    from cityops.reports.tests.photo_blur import detector_failing

    detector_failing(monkeypatch)
    assert blur_now() == {"blurred": 0, "failed": 2}
    for url in _public_reads(resolved.pk):
        assert PHOTO_PATH not in _read(client, url), url
    photo = resolved.attachments.first()
    assert client.get(f"{PHOTO_PATH}{photo.pk}.jpg").status_code == 404


def test_once_blurred_every_public_read_shows_the_blurred_copy(resolved, client):
    blur_now()
    photos = list(resolved.attachments.order_by("kind", "pk"))  # the problem, then the result
    page = _read(client, f"/reports/{resolved.pk}")
    api = client.get(f"/api/v1/reports/{resolved.pk}").json()["photos"]
    (request,) = client.get(f"/open311/v2/requests/{resolved.pk}.json?extensions=true").json()
    for photo in photos:
        assert f"{PHOTO_PATH}{photo.pk}.jpg?v=" in page
    assert [item["url"].split("?")[0] for item in api] == [
        f"http://testserver{PHOTO_PATH}{photo.pk}.jpg" for photo in photos
    ]
    assert [url.split("?")[0] for url in request["media_urls"]] == [
        f"http://testserver{PHOTO_PATH}{photo.pk}.jpg" for photo in photos
    ]


def test_the_public_url_serves_the_blurred_bytes_and_the_console_the_original(
    resolved, client, agency_staff, operator, admin_user, leader
):
    blur_now()
    photo = resolved.attachments.first()
    original = _original(photo)
    with photo.public_file.open("rb") as file:
        public = file.read()

    for reader in (client, _client(agency_staff), _client(operator)):
        served = streamed(reader.get(f"{PHOTO_PATH}{photo.pk}.jpg"))
        assert served == public
        assert difference_inside(original, served, FACE) > 40
    for staff in (operator, admin_user):
        response = _client(staff).get(f"/console/photos/{photo.pk}/original.jpg")
        assert response["Cache-Control"] == "private, no-store"
        assert streamed(response) == original
    for outsider in (agency_staff, leader):
        assert _client(outsider).get(f"/console/photos/{photo.pk}/original.jpg").status_code == 403
    assert client.get(f"/console/photos/{photo.pk}/original.jpg").status_code == 302


def test_a_kept_public_page_shows_the_photo_once_it_is_blurred(
    resolved, monkeypatch, django_capture_on_commit_callbacks
):
    """The read cache keeps the anonymous report page; the blur job makes it stale."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Django inline, in the loop's thread
    site = Site()
    try:
        for url in (f"/reports/{resolved.pk}", f"/open311/v2/requests/{resolved.pk}.json"):
            assert PHOTO_PATH not in site.get(url).text
            answered = site.django.answered
            assert PHOTO_PATH not in site.get(url).text
            assert site.django.answered == answered  # kept

        with django_capture_on_commit_callbacks(execute=True):
            blur_now()

        for url in (f"/reports/{resolved.pk}", f"/open311/v2/requests/{resolved.pk}.json"):
            assert PHOTO_PATH in site.get(url).text, url
    finally:
        site.close()

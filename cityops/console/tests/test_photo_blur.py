"""The console's photo page /console/reports/<id>/photos/: the originals with the boxes blurred
for the public, and the form that adds or removes a box (operators and administrators only)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cityops.console.tests.conftest import signed_in
from cityops.reports.choices import BlurStatus, EventKind, ReportStatus
from cityops.reports.models import Attachment, ReportEvent
from cityops.reports.photos import attachment_blur
from cityops.reports.tests.photo_blur import (
    FACE,
    PLATE,
    blur_now,
    detailed_jpeg,
    detector_failing,
    detector_finding,
    difference_inside,
    region_dicts,
)

DETECTED = region_dicts([FACE], kind="face", source="detector")


@pytest.fixture
def photo(monkeypatch, make_report) -> Attachment:
    """A photo of an accepted (public) report, blurred with the face the detector found."""
    detector_finding(monkeypatch, FACE)
    report = make_report(ReportStatus.ACCEPTED, photos=[detailed_jpeg()])
    blur_now()
    return report.attachments.get()


def page_url(photo: Attachment) -> str:
    return f"/console/reports/{photo.report_id}/photos/"


def save_url(photo: Attachment) -> str:
    return f"/console/photos/{photo.pk}/blur/"


def revision_on(page: str) -> str:
    found = re.search(r'name="revision" value="([0-9a-f]+)"', page)
    assert found, "the form carries the revision it shows"
    return found.group(1)


def add(box: tuple[int, int, int, int], kind: str = "plate") -> dict[str, str]:
    return {
        "add-x": str(box[0]),
        "add-y": str(box[1]),
        "add-width": str(box[2]),
        "add-height": str(box[3]),
        "add-kind": kind,
    }


def public_bytes(photo: Attachment) -> bytes:
    photo.refresh_from_db()
    with photo.public_file.open("rb") as file:
        return file.read()


def test_an_operator_sees_the_original_with_the_detected_boxes(operator_client, photo):
    page = operator_client.get(page_url(photo)).content.decode()

    assert f'href="/console/photos/{photo.pk}/original.jpg"' in page
    assert (
        '<rect class="blur-box blur-face" data-index="0" x="40" y="30" width="80" height="100">'
        in page
    )
    assert f'action="/console/photos/{photo.pk}/blur/"' in page
    assert 'name="remove" value="0"' in page
    assert 'name="add-x"' in page
    assert 'name="add-height"' in page
    assert f'href="/media/attachments/{photo.pk}.jpg?v=' in page  # the public copy
    assert "console/photoblur.js" in page


def test_an_operator_adds_a_box_by_its_numbers(operator_client, photo):
    page = operator_client.get(page_url(photo)).content.decode()
    before = public_bytes(photo)

    response = operator_client.post(save_url(photo), {"revision": revision_on(page), **add(PLATE)})

    assert response.status_code == 302
    assert response["Location"] == f"{page_url(photo)}#photo-{photo.pk}"
    photo.refresh_from_db()
    assert photo.blur_regions == DETECTED + region_dicts([PLATE], kind="plate", source="operator")
    assert difference_inside(before, public_bytes(photo), PLATE) > 40
    event = ReportEvent.objects.get(kind=EventKind.BLUR_EDITED)
    assert (event.report_id, event.visibility) == (photo.report_id, "internal")
    followed = operator_client.get(response["Location"]).content.decode()
    assert "blurred again with the regions you saved" in followed


def test_an_operator_adds_several_boxes_at_once(operator_client, photo):
    rows = {name: [] for name in ("add-x", "add-y", "add-width", "add-height", "add-kind")}
    for box in (PLATE, (5, 5, 10, 10)):
        for name, value in add(box, kind="manual").items():
            rows[name].append(value)
    rows["add-x"].append("")  # an empty row, as the form always offers one
    response = operator_client.post(save_url(photo), rows)

    assert response.status_code == 302
    photo.refresh_from_db()
    assert len(photo.blur_regions) == 3


def test_an_operator_removes_a_box_by_ticking_it(operator_client, photo):
    response = operator_client.post(save_url(photo), {"remove": "0"})

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.blur_regions == []
    with photo.file.open("rb") as original:
        assert difference_inside(original.read(), public_bytes(photo), FACE) < 15


@pytest.mark.parametrize(
    ("posted", "problem"),
    [
        ({"add-x": "12.5", "add-y": "4", "add-width": "10", "add-height": "10"}, "whole number"),
        ({"add-x": "1", "add-y": "", "add-width": "10", "add-height": "10"}, "whole number"),
        ({**add((10, 10, 0, 10))}, "at least 1"),
        ({**add((900, 10, 20, 10))}, "outside the 320 × 240 photo"),
        ({**add((10, 10, 20, 10), kind="tattoo")}, "kind must be one of"),
    ],
)
def test_a_bad_box_is_refused_on_the_page_and_nothing_is_saved(
    operator_client, photo, posted, problem
):
    before = public_bytes(photo)

    response = operator_client.post(save_url(photo), {"remove": "0", **posted})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert problem in page
    assert 'name="remove" value="0" id="photo-' in page
    assert "checked" in page
    photo.refresh_from_db()
    assert photo.blur_regions == DETECTED
    assert public_bytes(photo) == before
    assert not ReportEvent.objects.filter(kind=EventKind.BLUR_EDITED).exists()


def test_an_edit_from_a_page_older_than_the_boxes_is_refused(operator_client, photo):
    stale = revision_on(operator_client.get(page_url(photo)).content.decode())
    operator_client.post(save_url(photo), {"remove": "0"})

    response = operator_client.post(save_url(photo), {"revision": stale, **add(PLATE)})

    assert response.status_code == 409
    assert "changed since the page was opened" in response.content.decode()
    photo.refresh_from_db()
    assert photo.blur_regions == []


def test_a_photo_still_being_looked_at_offers_no_form(operator_client, make_report):
    report = make_report(ReportStatus.ACCEPTED, photos=[detailed_jpeg()])
    photo = report.attachments.get()

    page = operator_client.get(page_url(photo)).content.decode()

    assert "still being looked for" in page
    assert f'action="/console/photos/{photo.pk}/blur/"' not in page
    assert operator_client.post(save_url(photo), {}).status_code == 409


def test_a_failed_photo_is_listed_and_published_by_marking_it_by_hand(
    operator_client, make_report, monkeypatch
):
    detector_failing(monkeypatch)
    report = make_report(ReportStatus.ACCEPTED, photos=[detailed_jpeg()])
    photo = report.attachments.get()
    attachment_blur(attachment_id=photo.pk)

    listed = operator_client.get("/console/photos/").content.decode()
    assert f'href="/console/reports/{report.pk}/photos/#photo-{photo.pk}"' in listed
    assert "Blurring failed" in listed
    assert (
        "Mark every face and plate by hand" in operator_client.get(page_url(photo)).content.decode()
    )

    operator_client.post(save_url(photo), add(FACE, kind="face"))

    photo.refresh_from_db()
    assert photo.blur_status == BlurStatus.BLURRED
    assert (
        "Every photo has its blurred copy"
        in operator_client.get("/console/photos/").content.decode()
    )
    assert Client().get(f"/media/attachments/{photo.pk}.jpg").status_code == 200


def test_the_form_needs_its_csrf_token(operator, photo):
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(operator)
    page = browser.get(page_url(photo)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    assert browser.post(save_url(photo), {"remove": "0"}).status_code == 403
    photo.refresh_from_db()
    assert photo.blur_regions == DETECTED

    sent = browser.post(save_url(photo), {"remove": "0", "csrfmiddlewaretoken": token})
    assert sent.status_code == 302
    photo.refresh_from_db()
    assert photo.blur_regions == []


@pytest.mark.parametrize("who", ["leader", "agency_staff", "citizen"])
def test_only_operators_and_administrators_open_or_change_the_boxes(who, request, photo):
    browser = signed_in(request.getfixturevalue(who))

    for url in (page_url(photo), "/console/photos/", f"/console/photos/{photo.pk}/original.jpg"):
        assert browser.get(url).status_code == 403, url
    assert browser.post(save_url(photo), {"remove": "0"}).status_code == 403
    photo.refresh_from_db()
    assert photo.blur_regions == DETECTED


def test_an_administrator_changes_the_boxes(admin_user, photo):
    browser = signed_in(admin_user)
    assert browser.post(save_url(photo), {"remove": "0"}).status_code == 302


def test_anonymous_visitors_are_sent_to_sign_in(client, photo):
    assert client.get(page_url(photo)).status_code == 302
    assert client.post(save_url(photo), {"remove": "0"}).status_code == 302


def test_the_triage_page_shows_originals_to_operators_and_blurred_copies_to_leaders(
    operator_client, leader_client, photo
):
    triage = f"/console/reports/{photo.report_id}/"
    operator_page = operator_client.get(triage).content.decode()
    assert f'src="/console/photos/{photo.pk}/original.thumb.jpg"' in operator_page
    assert f'href="/console/reports/{photo.report_id}/photos/"' in operator_page

    leader_page = leader_client.get(triage).content.decode()
    assert "/original" not in leader_page
    assert f'src="/media/attachments/{photo.pk}.thumb.jpg?v=' in leader_page
    assert f"/console/reports/{photo.report_id}/photos/" not in leader_page

"""Sending a report from the portal: sign-in, validation that keeps what was typed, photos,
similar reports nearby, rate limits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cityops.reports.choices import Channel, ReportStatus
from cityops.reports.models import Follow, Report
from cityops.reports.tests.helpers import jpeg_with_gps

S = ReportStatus
NEW = "/reports/new"


def photo(name: str = "o-ga.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or jpeg_with_gps(), content_type="image/jpeg")


@pytest.fixture
def valid(category) -> dict:
    return {
        "lat": "16.4637",
        "lon": "107.5909",
        "address": "12 Lê Lợi, Phú Xuân",
        "category": category.code,
        "description": "Rác thải đổ trộm bên đường",
        "contact_name": "Nguyễn Văn An",
        "contact_phone": "0905 123 456",
        "contact_email": "an@example.vn",
        "consent": "on",
    }


@pytest.mark.django_db
def test_sending_needs_an_account_and_the_sign_in_keeps_the_way_back(client):
    response = client.get(NEW)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal:sign_in')}?next=/reports/new"


@pytest.mark.django_db
def test_the_form_offers_map_location_photos_anonymity_contact_and_consent(client, citizen):
    client.force_login(citizen)
    html = client.get(NEW).content.decode()
    for piece in (
        'id="pick-map"',
        'id="use-location"',
        'name="lat"',
        'name="lon"',
        'name="address"',
        'name="category"',
        'name="description"',
        'type="file" name="photos"',
        "multiple",
        'name="is_anonymous"',
        'name="contact_phone"',
        'name="consent"',
        "91/2025",
        'enctype="multipart/form-data"',
        "csrfmiddlewaretoken",
        "/static/portal/submit.js",
    ):
        assert piece in html, piece
    assert 'value="citizen@example.vn"' in html  # contact defaults from the account


@pytest.mark.django_db
def test_a_citizen_sends_a_report_with_a_photo(client, citizen, valid):
    client.force_login(citizen)

    response = client.post(NEW, {**valid, "photos": [photo()], "is_anonymous": "on"})

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:report", args=[report.pk])
    assert (report.status, report.channel, report.reporter) == (S.SUBMITTED, Channel.WEB, citizen)
    assert report.description == "Rác thải đổ trộm bên đường"
    assert (report.lat, report.lon, report.is_anonymous) == (16.4637, 107.5909, True)
    assert report.contact_email == "an@example.vn"
    assert report.attachments.count() == 1
    assert Follow.objects.filter(report=report, user=citizen).exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f"#{report.pk}" in page.content.decode()


@pytest.mark.django_db
def test_an_address_alone_is_enough(client, citizen, valid):
    client.force_login(citizen)
    client.post(NEW, {**valid, "lat": "", "lon": ""})
    assert Report.objects.get().address == "12 Lê Lợi, Phú Xuân"


@pytest.mark.django_db
def test_errors_are_shown_next_to_fields_and_nothing_typed_is_lost(client, citizen, valid):
    client.force_login(citizen)
    typed = {**valid, "description": "  ", "lat": "", "lon": "", "address": "", "consent": ""}
    typed["contact_name"] = "Trần Thị Bình"

    response = client.post(NEW, typed)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"description", "address", "consent"}
    html = response.content.decode()
    assert 'value="Trần Thị Bình"' in html
    assert 'value="0905 123 456"' in html
    assert f'<option value="{valid["category"]}" selected>' in html
    assert "Hãy mô tả vấn đề." in html
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_bad_photo_is_refused_and_the_citizen_is_told_to_choose_photos_again(
    client, citizen, valid
):
    client.force_login(citizen)

    response = client.post(
        NEW, {**valid, "photos": [photo(), photo("virus.jpg", b"MZ not an image")]}
    )

    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    html = response.content.decode()
    assert "Ảnh 2" in html
    assert "chọn lại ảnh" in html
    assert "Rác thải đổ trộm bên đường" in html
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_at_most_five_photos(client, citizen, valid):
    client.force_login(citizen)
    response = client.post(NEW, {**valid, "photos": [photo(f"{n}.jpg") for n in range(6)]})
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors


@pytest.mark.django_db
def test_a_half_given_position_is_refused(client, citizen, valid):
    client.force_login(citizen)
    response = client.post(NEW, {**valid, "lon": ""})
    assert "lat" in response.context["form"].errors


@pytest.mark.django_db
def test_domain_refusals_land_next_to_the_right_field(client, citizen, valid, category):
    client.force_login(citizen)
    category.is_active = False
    category.save()
    response = client.post(NEW, valid)
    assert response.status_code == 400
    assert "category" in response.context["form"].errors


@pytest.mark.django_db
def test_sending_is_csrf_protected(citizen, valid):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post(NEW, valid).status_code == 403
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_sending_is_rate_limited_with_a_friendly_page(client, settings, citizen, valid):
    settings.CITYOPS_RATE_LIMITS = {**settings.CITYOPS_RATE_LIMITS, "write_per_ip": "1/m"}
    client.force_login(citizen)
    assert client.post(NEW, valid).status_code == 302
    limited = client.post(NEW, valid)
    assert limited.status_code == 429
    assert limited["Retry-After"]
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_similar_open_reports_nearby_are_offered_to_follow_instead(
    client, citizen, make_report, category
):
    near = make_report(S.ACCEPTED, lat=16.4638, lon=107.5910, description="Rác ở góc chợ")
    make_report(S.ACCEPTED, lat=16.50, lon=107.60, description="Rác ở xa")
    make_report(S.SUBMITTED, lat=16.4637, lon=107.5909, description="Chưa kiểm duyệt")
    client.force_login(citizen)

    response = client.get(
        reverse("portal:similar"), {"lat": "16.4637", "lon": "107.5909", "category": category.code}
    )

    html = response.content.decode()
    assert [found.report for found in response.context["nearby"]] == [near]
    assert "Rác ở góc chợ" in html
    assert reverse("portal:follow", args=[near.pk]) in html


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"lat": "x", "lon": "1"}, {"lat": "95", "lon": "1"}])
def test_the_similar_panel_is_empty_without_a_place(client, params):
    response = client.get(reverse("portal:similar"), params)
    assert response.status_code == 200
    assert response.context["nearby"] is None

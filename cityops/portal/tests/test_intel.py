"""The portal and text intelligence: the category suggested while typing, and personal data
written in a report masked on the public pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityops.reports.choices import ReportStatus
from cityops.reports.tests.factories import CategoryFactory

S = ReportStatus
SUGGEST = "/reports/suggest"
PHONE_TEXT = "Rác đổ trộm trước nhà, ai biết gọi 0905 123 456 giúp"


@pytest.mark.django_db
def test_the_description_suggests_a_category_to_pre_select(client, trained, category):
    response = client.get(SUGGEST, {"text": "rac thai do trom ben bo song boc mui hoi thoi qua"})

    answer = response.json()
    assert response.status_code == 200
    assert answer["category"] == "sanitation"
    assert answer["preselect"] is True
    assert answer["label"] == "Gợi ý: Vệ sinh môi trường"
    assert answer["reason"] == ""


@pytest.mark.django_db
def test_a_one_word_description_is_suggested_but_never_pre_selected(client, trained, category):
    answer = client.get(SUGGEST, {"text": "rác"}).json()

    assert answer["reason"] == "too_short"
    assert answer["preselect"] is False


@pytest.mark.django_db
def test_nothing_is_suggested_for_an_empty_text_or_a_category_not_offered(client, trained):
    CategoryFactory(code="tourism", is_active=False)

    empty = client.get(SUGGEST).json()
    inactive = client.get(
        SUGGEST, {"text": "xich lo cheo keo khach du lich o dai noi hue, doi gia gap ba"}
    ).json()

    assert empty == {
        "category": None,
        "label": "",
        "confidence": 0.0,
        "reason": "empty",
        "preselect": False,
    }
    assert inactive["category"] is None
    assert inactive["preselect"] is False


@pytest.mark.django_db
def test_the_submit_form_has_a_place_for_the_suggestion_and_works_without_it(client, citizen):
    client.force_login(citizen)

    html = client.get("/reports/new").content.decode()

    assert 'id="category-suggestion"' in html
    assert f'data-url="{reverse("portal:suggest")}"' in html


@pytest.mark.django_db
def test_a_phone_number_in_a_description_is_masked_on_the_public_report_page(client, make_report):
    report = make_report(S.ACCEPTED, description=PHONE_TEXT, title="Gọi 0905123456")

    html = client.get(reverse("portal:report", args=[report.pk])).content.decode()

    assert "0905 123 456" not in html
    assert "0905123456" not in html
    assert "gọi 090•••••56 giúp" in html


@pytest.mark.django_db
def test_personal_data_is_masked_in_the_home_list_and_the_map_points(client, make_report):
    make_report(S.ACCEPTED, description=PHONE_TEXT, lat=16.4637, lon=107.5909)

    home = client.get("/").content.decode()
    points = client.get(reverse("portal:points")).content.decode()

    assert "0905 123 456" not in home
    assert "090•••••56" in home
    assert "0905 123 456" not in points


@pytest.mark.django_db
def test_the_reporter_and_the_operators_read_the_text_intact(
    client, make_report, citizen, operator
):
    report = make_report(S.ACCEPTED, description=PHONE_TEXT, reporter=citizen)
    page = reverse("portal:report", args=[report.pk])

    client.force_login(citizen)
    as_reporter = client.get(page).content.decode()
    mine = client.get(reverse("portal:my_reports")).content.decode()
    client.force_login(operator)
    as_operator = client.get(page).content.decode()

    assert "0905 123 456" in as_reporter
    assert "0905 123 456" in mine
    assert "0905 123 456" in as_operator

"""Vietnamese phone numbers: one check (``accounts.phones``) for every form and API that takes one.

Accepted as people write them and stored in the national form; anything else — letters, markup,
too few or too many digits — refused with a clear message naming the field.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from cityops.accounts.admin import UserChangeForm
from cityops.accounts.models import User
from cityops.accounts.phones import phone_clean
from cityops.accounts.services import apikey_create, user_sign_up
from cityops.accounts.tests.factories import UserFactory
from cityops.platform.errors import InvalidInput
from cityops.reports.choices import Channel
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import submit

WRITTEN = {
    "0905 123 456": "0905123456",
    "0905.123.456": "0905123456",
    "0905-123-456": "0905123456",
    "+84 905 123 456": "0905123456",
    "+84 (0) 905 123 456": "0905123456",
    "0084 905 123 456": "0905123456",
    "84905123456": "0905123456",
    "(0234) 3822 222": "02343822222",
    "+84 234 3822 222": "02343822222",
    " 0912345678 ": "0912345678",
}
REFUSED = [
    "<script>alert(1)</script>",
    "abc",
    "0905 abc 456",
    "12345",
    "090512345",  # 9 digits
    "090512345678",  # 12 digits
    "0005123456",
    "+1 202 555 0100",
    "0905123456; DROP TABLE",
    "０９０５１２３４５６",  # full-width digits
]


@pytest.mark.parametrize(("written", "stored"), WRITTEN.items())
def test_a_number_is_accepted_as_people_write_it_and_stored_in_the_national_form(written, stored):
    assert phone_clean(written) == stored


@pytest.mark.parametrize("text", REFUSED)
def test_anything_else_is_refused_with_a_message_in_the_readers_language(text):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            phone_clean(text)
        assert refused.value.messages == [
            "Enter a Vietnamese phone number, such as 0905 123 456 or +84 905 123 456 "
            "(digits, spaces, dots or dashes only)."
        ]


# --- every channel --------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def category(db):
    return CategoryFactory(code="sanitation", name="Vệ sinh môi trường", name_en="Sanitation")


@pytest.mark.django_db
@pytest.mark.parametrize("text", [SCRIPT, "abc"])
def test_the_workflow_refuses_a_contact_phone_from_any_channel(category, text):
    with pytest.raises(InvalidInput) as refused:
        submit(category=category, contact_phone=text)
    assert list(refused.value.fields) == ["contact_phone"]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_workflow_stores_the_contact_phone_in_the_national_form(category):
    report = submit(category=category, contact_phone="+84 905 123 456")
    assert report.contact_phone == "0905123456"


@pytest.mark.django_db
@pytest.mark.parametrize("text", [SCRIPT, "abc"])
def test_the_portal_form_names_the_phone_field(client, citizen, category, text):
    client.force_login(citizen)
    response = client.post(
        "/reports/new",
        {
            "lat": "16.4637",
            "lon": "107.5909",
            "category": category.code,
            "description": "Rác thải đổ trộm bên đường",
            "contact_phone": text,
            "consent": "on",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Enter a Vietnamese phone number" in response.content.decode()
    assert "contact_phone" in response.context["form"].errors
    assert SCRIPT not in response.content.decode()  # the typing is kept, escaped
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_hotline_form_refuses_a_callers_phone_that_is_no_number(category, operator):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(operator)
    response = client.post(
        "/console/hotline/submit/",
        {
            "contact_phone": "abc",
            "category": category.code,
            "description": "Cây đổ chắn ngang đường Nguyễn Huệ",
            "lat": "16.4601",
            "lon": "107.5902",
        },
    )
    assert response.status_code == 400
    assert "contact_phone" in response.context["form"].errors
    assert not Report.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("text", [SCRIPT, "abc"])
def test_api_v1_answers_400_naming_contact_phone(api_client, category, text):
    response = api_client.post(
        "/api/v1/reports",
        {
            "category": category.code,
            "description": "Rác thải đổ trộm bên bờ sông Hương",
            "lat": 16.46,
            "lon": 107.59,
            "contact_phone": text,
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Enter a Vietnamese phone number" in response.json()["fields"]["contact_phone"][0]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_api_v1_stores_a_valid_contact_phone_normalised(api_client, category):
    response = api_client.post(
        "/api/v1/reports",
        {
            "category": category.code,
            "description": "Rác thải đổ trộm bên bờ sông Hương",
            "lat": 16.46,
            "lon": 107.59,
            "contact_phone": "090-123-4567",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Report.objects.get().contact_phone == "0901234567"


@pytest.mark.django_db
@pytest.mark.parametrize("text", [SCRIPT, "abc"])
def test_open311_answers_400_naming_phone(client, category, text):
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": apikey_create(name="app").secret,
            "service_code": category.code,
            "lat": "16.46",
            "long": "107.59",
            "description": "Rác thải đổ trộm",
            "phone": text,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    [error] = response.json()
    assert error["description"].startswith("phone: Enter a Vietnamese phone number")
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_open311_stores_the_phone_normalised(client, category):
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": apikey_create(name="app").secret,
            "service_code": category.code,
            "lat": "16.46",
            "long": "107.59",
            "description": "Rác thải đổ trộm",
            "phone": "+84 905 111 222",
        },
    )
    assert response.status_code == 200
    report = Report.objects.get()
    assert (report.channel, report.contact_phone) == (Channel.OPEN311, "0905111222")


@pytest.mark.django_db
@pytest.mark.parametrize("text", [SCRIPT, "abc"])
def test_signing_up_with_a_login_that_is_no_phone_nor_email_is_refused(text):
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        user_sign_up(
            name="Nguyễn Văn An", login=text, password="song-huong-2026", accepted_terms=True
        )
    assert list(refused.value.fields) == ["login"]
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "stored"), [("+84 905 123 456", "0905123456"), ("", None)])
def test_the_admin_user_form_stores_the_phone_normalised(text, stored):
    user = UserFactory(username="an")
    form = UserChangeForm(
        data={
            "username": "an",
            "full_name": "Nguyễn  Văn An",
            "phone": text,
            "role": user.role,
            "date_joined": "2026-10-06 09:00:00",
        },
        instance=user,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == stored
    assert form.cleaned_data["full_name"] == "Nguyễn Văn An"


@pytest.mark.django_db
@pytest.mark.parametrize("text", [SCRIPT, "abc"])
def test_the_admin_user_form_refuses_a_phone_that_is_no_number(text):
    user = UserFactory(username="an")
    form = UserChangeForm(
        data={"username": "an", "phone": text, "role": user.role, "date_joined": "2026-10-06"},
        instance=user,
    )
    assert not form.is_valid()
    assert "phone" in form.errors

"""Citizens' own accounts: sign-up, preferences, the data export and deleting the account."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from cityops.accounts.models import ApiToken, User
from cityops.accounts.selectors import user_data_export
from cityops.accounts.services import (
    token_issue,
    user_delete,
    user_preferences_update,
    user_sign_up,
)
from cityops.accounts.tests.factories import UserFactory
from cityops.platform.errors import InvalidInput
from cityops.reports import workflow
from cityops.reports.choices import RatingValue
from cityops.reports.models import Follow, Rating, Report
from cityops.reports.services import follow_create
from cityops.reports.tests.helpers import report_in

PASSWORD = "song-huong-2026"


@pytest.mark.django_db
def test_signing_up_with_an_email_makes_a_citizen_who_can_sign_in_with_it():
    user = user_sign_up(
        name="  Nguyễn   Văn An ",
        login="An@Example.VN",
        password=PASSWORD,
        accepted_terms=True,
        language="en",
    )

    assert user.role == "citizen"
    assert user.full_name == "Nguyễn Văn An"
    assert user.email == "An@example.vn"
    assert user.phone is None
    assert user.language == "en"
    assert user.terms_accepted_at is not None
    assert user.check_password(PASSWORD)
    assert user.email_notifications


@pytest.mark.django_db
def test_signing_up_with_a_phone_number_stores_it_normalised():
    user = user_sign_up(
        name="Bình", login="+84 905 123 456", password=PASSWORD, accepted_terms=True
    )
    assert (user.phone, user.email, user.full_name) == ("0905123456", "", "Bình")


@pytest.mark.django_db
def test_every_sign_up_problem_is_reported_at_once_in_the_citizens_language():
    with translation.override("vi"), pytest.raises(InvalidInput) as refused:
        user_sign_up(name="", login="not-a-phone", password="123", accepted_terms=False)

    assert set(refused.value.fields) == {"name", "login", "password", "accepted_terms"}
    assert refused.value.fields["name"] == ["Hãy nhập tên của bạn."]
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["citizen@EXAMPLE.vn", "0905 123 456"])
def test_an_email_or_phone_already_used_is_refused(login):
    UserFactory(username="citizen", email="citizen@example.vn", phone="0905123456")
    with pytest.raises(InvalidInput) as refused:
        user_sign_up(name="Ai đó", login=login, password=PASSWORD, accepted_terms=True)
    assert "login" in refused.value.fields
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_a_password_like_the_name_is_refused():
    with pytest.raises(InvalidInput) as refused:
        user_sign_up(
            name="Hoa", login="hoa@example.vn", password="hoa@example", accepted_terms=True
        )
    assert "password" in refused.value.fields


@pytest.mark.django_db
def test_preferences_change_notifications_language_and_email(citizen):
    user_preferences_update(
        user=citizen, email_notifications=False, language="en", email="moi@example.vn"
    )
    citizen.refresh_from_db()
    assert (citizen.email_notifications, citizen.language, citizen.email) == (
        False,
        "en",
        "moi@example.vn",
    )


@pytest.mark.django_db
def test_preferences_refuse_another_accounts_email_and_an_unknown_language(citizen, operator):
    with pytest.raises(InvalidInput) as refused:
        user_preferences_update(
            user=citizen, email_notifications=True, language="fr", email=operator.email
        )
    assert set(refused.value.fields) == {"email", "language"}


@pytest.mark.django_db
def test_an_account_without_a_phone_keeps_its_email(citizen):
    with pytest.raises(InvalidInput):
        user_preferences_update(user=citizen, email_notifications=True, language="", email="")


@pytest.fixture
def history(citizen, operator, agency, agency_staff):
    """The citizen's resolved and rated report, and a follow of someone else's report."""
    mine = report_in(
        "resolved",
        operator=operator,
        reporter=citizen,
        agency=agency,
        staff=agency_staff,
        contact_name="Nguyễn Văn An",
        contact_phone="0905000111",
    )
    workflow.report_add_note(report=mine, actor=agency_staff, text="Nội bộ")  # internal
    workflow.report_rate(report=mine, actor=citizen, value=RatingValue.SATISFIED, comment="Tốt")
    theirs = report_in("accepted", operator=operator)
    follow_create(report=theirs, user=citizen)
    return mine, theirs


@pytest.mark.django_db
def test_the_data_export_has_the_profile_reports_with_public_timeline_follows_and_ratings(
    citizen, history
):
    mine, theirs = history

    data = json.loads(json.dumps(user_data_export(user=citizen)))

    assert data["profile"]["username"] == "citizen"
    assert data["profile"]["email"] == "citizen@example.vn"
    (report,) = data["reports"]
    assert report["id"] == mine.pk
    assert report["contact_phone"] == "0905000111"
    kinds = [step["kind"] for step in report["timeline"]]
    assert kinds == [
        "submitted",
        "accepted",
        "assigned",
        "agency_accepted",
        "resolved",
        "rated",
    ]
    assert "Nội bộ" not in json.dumps(data, ensure_ascii=False)
    assert {follow["report"] for follow in data["follows"]} == {mine.pk, theirs.pk}
    assert [(r["report"], r["value"]) for r in data["ratings"]] == [(mine.pk, "satisfied")]


@pytest.mark.django_db
def test_deleting_an_account_anonymises_its_reports_and_removes_follows_and_tokens(
    citizen, history
):
    mine, theirs = history
    token_issue(user=citizen, name="Hue-S")

    user_delete(user=citizen, password="correct horse battery")

    assert not User.objects.filter(username="citizen").exists()
    report = Report.objects.get(pk=mine.pk)
    assert report.reporter is None
    assert (report.contact_name, report.contact_phone, report.contact_email) == ("", "", "")
    assert report.status == "closed"  # still part of the public record
    assert not Follow.objects.filter(report__in=[mine, theirs]).exists()
    assert not ApiToken.objects.exists()
    assert Rating.objects.get(report=mine).rater is None


@pytest.mark.django_db
def test_deleting_an_account_needs_the_right_password(citizen):
    with pytest.raises(InvalidInput) as refused:
        user_delete(user=citizen, password="wrong")
    assert refused.value.code == "wrong_password"
    assert User.objects.filter(pk=citizen.pk).exists()

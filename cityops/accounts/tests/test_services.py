"""API keys and users: what the account services accept and refuse."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from cityops.accounts.choices import Role
from cityops.accounts.models import ApiKey, User
from cityops.accounts.services import (
    apikey_authenticate,
    apikey_create,
    apikey_revoke,
    user_create,
)
from cityops.platform.errors import InvalidInput


@pytest.mark.django_db
def test_a_new_api_key_authenticates_with_its_secret():
    issued = apikey_create(name="  Ứng dụng Hue-S  ")

    assert issued.api_key.name == "Ứng dụng Hue-S"
    assert apikey_authenticate(secret=issued.secret) == issued.api_key
    assert ApiKey.objects.get(pk=issued.api_key.pk).last_used_at is not None


@pytest.mark.django_db
def test_last_use_is_written_at_most_once_a_minute(django_assert_num_queries):
    issued = apikey_create(name="Ứng dụng Hue-S")
    with time_machine.travel(datetime(2026, 3, 9, 8, 0, tzinfo=UTC), tick=False):
        apikey_authenticate(secret=issued.secret)
        with django_assert_num_queries(1):  # the lookup, no write: a busy client shares no row
            apikey_authenticate(secret=issued.secret)
    with time_machine.travel(datetime(2026, 3, 9, 8, 1, tzinfo=UTC), tick=False):
        apikey_authenticate(secret=issued.secret)

    last_used = ApiKey.objects.get(pk=issued.api_key.pk).last_used_at
    assert last_used == datetime(2026, 3, 9, 8, 1, tzinfo=UTC)


@pytest.mark.django_db
def test_only_the_hash_of_an_api_key_is_stored():
    issued = apikey_create(name="Open311 client")

    stored = ApiKey.objects.filter(pk=issued.api_key.pk).values().get()
    assert all(issued.secret not in str(value) for value in stored.values())
    assert len(stored["key_hash"]) == 64
    assert issued.secret.startswith(f"co_{stored['prefix']}_")


@pytest.mark.django_db
@pytest.mark.parametrize("wrong", ["", "co_deadbeef_guess", "not-a-key"])
def test_a_wrong_secret_does_not_authenticate(wrong):
    issued = apikey_create(name="Open311 client")
    assert apikey_authenticate(secret=wrong) is None
    assert apikey_authenticate(secret=issued.secret[:-1]) is None


@pytest.mark.django_db
def test_a_revoked_api_key_no_longer_authenticates():
    issued = apikey_create(name="Ứng dụng cũ")
    kept = apikey_create(name="Ứng dụng mới")

    apikey_revoke(api_key=issued.api_key)

    assert apikey_authenticate(secret=issued.secret) is None
    assert apikey_authenticate(secret=kept.secret) == kept.api_key


@pytest.mark.django_db
def test_two_api_keys_never_share_a_secret():
    secrets = {apikey_create(name=f"client {n}").secret for n in range(5)}
    assert len(secrets) == 5


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   "])
def test_an_api_key_without_a_name_is_refused(name):
    with pytest.raises(InvalidInput) as refused:
        apikey_create(name=name)
    assert "name" in refused.value.fields
    assert not ApiKey.objects.exists()


@pytest.mark.django_db
def test_agency_staff_without_an_agency_are_refused():
    with pytest.raises(InvalidInput) as refused:
        user_create(username="nhanvien", password="mat-khau-dai", role=Role.AGENCY_STAFF)
    assert "agency" in refused.value.fields
    assert not User.objects.filter(username="nhanvien").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CITIZEN, Role.OPERATOR, Role.LEADER, Role.ADMIN])
def test_only_agency_staff_belong_to_an_agency(role, agency):
    with pytest.raises(InvalidInput) as refused:
        user_create(username="ai-do", password="mat-khau-dai", role=role, agency=agency)
    assert "agency" in refused.value.fields
    assert not User.objects.filter(username="ai-do").exists()


@pytest.mark.django_db
def test_only_agency_staff_can_lead_an_agency():
    with pytest.raises(InvalidInput):
        user_create(
            username="ai-do", password="mat-khau-dai", role=Role.CITIZEN, is_agency_lead=True
        )
    assert not User.objects.filter(username="ai-do").exists()


@pytest.mark.django_db
def test_agency_staff_are_created_in_their_agency_and_can_log_in(agency):
    user = user_create(
        username="nhanvien",
        password="mat-khau-dai",
        role=Role.AGENCY_STAFF,
        agency=agency,
        is_agency_lead=True,
        phone="",
    )

    saved = User.objects.get(pk=user.pk)
    assert (saved.role, saved.agency, saved.is_agency_lead) == (Role.AGENCY_STAFF, agency, True)
    assert saved.phone is None
    assert saved.check_password("mat-khau-dai")
    assert not saved.is_staff


@pytest.mark.django_db
def test_an_administrator_gets_the_django_admin_and_a_user_without_password_cannot_log_in():
    admin = user_create(username="quantri", password="mat-khau-dai", role=Role.ADMIN)
    hotline = user_create(username="tong-dai", password=None)

    assert (admin.is_staff, admin.is_superuser) == (True, True)
    assert (hotline.role, hotline.is_staff) == (Role.CITIZEN, False)
    assert not hotline.has_usable_password()

"""Names in the Vietnamese order: stored as written, shown so everywhere, and blanked for agency
staff however they are written."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from cityops.accounts.names import name_given, name_of, names_blanked
from cityops.accounts.services import user_sign_up
from cityops.accounts.tests.factories import UserFactory

NAME = "Nguyễn Văn Bình"


@pytest.mark.django_db
def test_a_name_signed_up_in_the_vietnamese_order_is_shown_in_that_order():
    user = user_sign_up(
        name="  Nguyễn  Văn   Bình ", login="binh@example.vn", password="song-huong-2026",
        accepted_terms=True,
    )  # fmt: skip
    user.refresh_from_db()
    assert user.full_name == NAME
    assert user.get_full_name() == NAME  # console, admin, alarm pages, hotline credit
    assert user.get_short_name() == "Bình"  # the given name: emails' greeting, public pages


@pytest.mark.django_db
def test_the_portal_prefills_the_contact_name_in_the_vietnamese_order(client):
    client.force_login(UserFactory(full_name=NAME))
    html = client.get("/reports/new").content.decode()
    assert f'value="{NAME}"' in html
    assert "Bình Nguyễn Văn" not in html


@pytest.mark.django_db
def test_the_console_shows_the_reporters_name_in_the_vietnamese_order(operator):
    from cityops.reports.tests.helpers import submit

    report = submit(reporter=UserFactory(full_name=NAME))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(operator)
    html = client.get(f"/console/reports/{report.pk}/").content.decode()
    assert NAME in html
    assert "Bình Nguyễn Văn" not in html


def test_open311s_first_and_last_names_join_family_name_first():
    assert name_of(family="Nguyễn", given="Văn Bình") == NAME
    assert name_of(family="", given="Lan") == "Lan"
    assert name_given(NAME) == "Bình"


@pytest.mark.parametrize(
    "written",
    [
        "Nguyễn Văn Bình",
        "Bình Nguyễn Văn",
        "NGUYỄN VĂN BÌNH",
        "nguyen van binh",
        "Nguyen Van Binh",
        "Nguyễn\n Văn  Bình",
        "Văn Bình",
        "Bình Nguyễn",
    ],
)
def test_a_name_is_blanked_in_any_order_case_spelling_or_spacing(written):
    text = f"Tôi là {written}, nhà ở kiệt 12 Kim Long."
    assert names_blanked(text, names=[NAME], replacement="•••") == (
        "Tôi là •••, nhà ở kiệt 12 Kim Long."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Gia đình họ Nguyễn Văn ở đây.",  # family and middle name alone: millions share them
        "Mọi việc vẫn bình thường.",  # the given name as an ordinary word
        "Hòa bình, văn minh đô thị.",
    ],
)
def test_ordinary_words_and_shared_family_names_stay(text):
    assert names_blanked(text, names=[NAME], replacement="•••") == text


def test_a_one_word_name_is_blanked_only_when_long_enough_not_to_be_a_word():
    assert names_blanked("Khánh gọi, An nghe", names=["Khánh", "An"], replacement="…") == (
        "… gọi, An nghe"
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_joins_existing_names_family_name_first():
    executor = MigrationExecutor(connection)
    before = [("accounts", "0005_identity_access")]
    after = [("accounts", "0006_full_name_in_vietnamese_order")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("accounts", "User")
        old.objects.create(username="binh", first_name="Bình", last_name="Nguyễn Văn")
        old.objects.create(username="lan", first_name="Lan", last_name="")
        old.objects.create(username="nobody", first_name="", last_name="")
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps.get_model("accounts", "User")
        names = dict(new.objects.values_list("username", "full_name"))
        assert names == {"binh": NAME, "lan": "Lan", "nobody": ""}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_the_admin_edits_one_full_name_and_lists_it(admin_user):
    person = UserFactory(username="binh", full_name=NAME)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin_user)
    change = client.get(f"/admin/accounts/user/{person.pk}/change/").content.decode()
    assert 'name="full_name"' in change
    assert f'value="{NAME}"' in change
    assert 'name="first_name"' not in change
    listing = client.get("/admin/accounts/user/", {"q": "Văn Bình"}).content.decode()
    assert NAME in listing

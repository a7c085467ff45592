"""The admin: sources and the watch list configured, items and stories read, the watch list
imported from a CSV file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityops.press.models import Item, Story, WatchEntry
from cityops.press.services import source_poll
from cityops.press.tests.factories import SourceFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def test_the_press_admin_pages_open(client, admin_user, press_server, categories, frozen):
    source_poll(source=SourceFactory(url=press_server.url("/a/rss.xml")))
    client.force_login(admin_user)
    item, story = Item.objects.first(), Story.objects.first()

    for url in (
        reverse("admin:press_source_changelist"),
        reverse("admin:press_watchentry_changelist"),
        reverse("admin:press_watchentry_import"),
        reverse("admin:press_item_changelist"),
        reverse("admin:press_item_change", args=[item.pk]),
        reverse("admin:press_story_changelist"),
        reverse("admin:press_story_change", args=[story.pk]),
        reverse("admin:press_pressalarm_changelist"),
    ):
        assert client.get(url).status_code == 200, url


def test_an_entry_saved_in_the_admin_gets_its_folded_forms(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:press_watchentry_add"),
        {"kind": "person", "name": "Trần Thị Bích", "aliases": "Bà Bích", "is_active": "on"},
    )

    assert response.status_code == 302
    assert WatchEntry.objects.get().folded == ["tran thi bich", "ba bich"]


def test_the_watch_list_is_imported_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("watch.csv", (DATA / "watch.csv").read_bytes(), "text/csv")

    response = client.post(reverse("admin:press_watchentry_import"), {"file": upload})

    assert response.status_code == 302
    assert WatchEntry.objects.count() == 4


def test_operators_cannot_import_the_watch_list(client, operator):
    client.force_login(operator)

    response = client.get(reverse("admin:press_watchentry_import"))

    assert response.status_code == 302  # to the admin's sign-in

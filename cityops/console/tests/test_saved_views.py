"""Saved views: an operator names the queue's filters, finds them above the queue, deletes them."""

from __future__ import annotations

from cityops.accounts.choices import Role
from cityops.accounts.models import SavedView
from cityops.accounts.services import saved_view_create
from cityops.accounts.tests.factories import UserFactory

SAVE = "/console/views/"


def test_an_operator_saves_the_filters_and_finds_the_view_above_the_queue(
    operator_client, operator
):
    response = operator_client.post(
        SAVE, {"name": "Urgent hotline", "query": "?priority=urgent&channel=hotline&page=3"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/console/?priority=urgent&channel=hotline"
    saved = SavedView.objects.get(user=operator)
    assert (saved.name, saved.query) == ("Urgent hotline", "priority=urgent&channel=hotline")
    page = operator_client.get("/console/").content.decode()
    assert '<a href="/console/?priority=urgent&amp;channel=hotline">Urgent hotline</a>' in page


def test_saving_a_name_again_replaces_its_filters(operator_client, operator):
    operator_client.post(SAVE, {"name": "Mine", "query": "status=open"})
    operator_client.post(SAVE, {"name": "Mine", "query": "status=closed"})
    assert list(SavedView.objects.filter(user=operator).values_list("query", flat=True)) == [
        "status=closed"
    ]


def test_a_view_needs_a_name(operator_client, operator):
    response = operator_client.post(SAVE, {"name": "  ", "query": "status=all"})
    assert response.status_code == 400
    assert "Give the view a name." in response.content.decode()
    assert not SavedView.objects.filter(user=operator).exists()


def test_saved_views_are_each_operators_own(operator_client, operator):
    colleague = UserFactory(role=Role.OPERATOR)
    theirs = saved_view_create(user=colleague, name="Their night shift", query="overdue=1")
    saved_view_create(user=operator, name="My morning", query="status=submitted")
    page = operator_client.get("/console/").content.decode()
    assert "My morning" in page
    assert "Their night shift" not in page
    response = operator_client.post(f"/console/views/{theirs.pk}/delete/")
    assert response.status_code == 404
    assert SavedView.objects.filter(pk=theirs.pk).exists()


def test_an_operator_deletes_a_saved_view(operator_client, operator):
    saved = saved_view_create(user=operator, name="Old", query="status=open")
    response = operator_client.post(f"/console/views/{saved.pk}/delete/")
    assert response.status_code == 302
    assert not SavedView.objects.filter(pk=saved.pk).exists()
    assert "Old" not in operator_client.get("/console/").content.decode()


def test_leaders_may_not_save_or_delete_views(leader_client, leader, operator):
    saved = saved_view_create(user=operator, name="Operators'", query="")
    assert leader_client.post(SAVE, {"name": "Mine", "query": ""}).status_code == 403
    assert leader_client.post(f"/console/views/{saved.pk}/delete/").status_code == 403
    assert not SavedView.objects.filter(user=leader).exists()


def test_saving_and_deleting_are_post_only(operator_client, operator):
    saved = saved_view_create(user=operator, name="Mine", query="")
    assert operator_client.get(SAVE).status_code == 405
    assert operator_client.get(f"/console/views/{saved.pk}/delete/").status_code == 405

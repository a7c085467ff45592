"""Security headers on every response (cityops.platform.security, docs/security.md)."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient, Client, override_settings

from cityops.platform.security import content_security_policy, tile_origin


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/air/", "/api/v1/categories", "/console/", "/nowhere"])
def test_every_response_carries_the_security_headers(client: Client, path: str):
    response = client.get(path)
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert "https://tile.openstreetmap.org" in policy["img-src"]
    assert not any("unsafe" in value for values in policy.values() for value in values)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    assert "geolocation=(self)" in permissions
    assert "camera=()" in permissions
    assert "microphone=()" in permissions


def test_the_map_tile_host_of_the_settings_is_allowed_for_images():
    with override_settings(
        CITYOPS_MAP_TILES_URL="https://{s}.tiles.example.vn/hue/{z}/{x}/{y}.png"
    ):
        images = directives(content_security_policy())["img-src"]
    assert "https://*.tiles.example.vn" in images
    assert "https://tile.openstreetmap.org" not in images


def test_tiles_served_by_the_city_itself_need_no_other_origin():
    assert tile_origin("/tiles/{z}/{x}/{y}.png") == ""
    assert tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org"
    )


def test_a_view_that_sets_its_own_policy_keeps_it(rf):
    from django.http import HttpResponse

    from cityops.platform.security import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "geolocation=(self)" in response["Permissions-Policy"]


@pytest.mark.django_db(transaction=True)
def test_the_headers_are_also_set_under_asgi():
    response = async_to_sync(AsyncClient().get)("/air/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "geolocation=(self)" in response["Permissions-Policy"]

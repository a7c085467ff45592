"""The interactive docs page, served with the Swagger UI files ninja ships: no CDN, ever.

Ninja falls back to a CDN unless "ninja" is an installed app; instead the page here is our own
template and its four assets are served by the API itself from ninja's package directory, so the
docs work on an air-gapped IOC network and need no ``collectstatic`` step.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

_ASSET_DIR = Path(ninja.__file__).parent / "static" / "ninja"
ASSETS = frozenset(
    {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png", "favicon.svg"}
)


class LocalSwagger(DocsBase):
    settings: dict[str, Any] = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "persistAuthorization": True,
        # Swagger UI would otherwise send the schema to validator.swagger.io for a badge.
        "validatorUrl": None,
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        def asset(name: str) -> str:
            return reverse(f"{api.urls_namespace}:docs-asset", kwargs={"name": name})

        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "api": api,
            "swagger_settings": settings,
            "assets": {name.replace("-", "_").replace(".", "_"): asset(name) for name in ASSETS},
        }
        return render(request, "api/docs.html", context)


def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in ASSETS:
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse((_ASSET_DIR / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response

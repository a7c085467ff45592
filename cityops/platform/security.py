"""Security headers on every response: a Content-Security-Policy without 'unsafe-inline' and a
Permissions-Policy (docs/security.md).

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy (settings SECURE_*); this one adds what Django 5.2 lacks. A view that
needs a narrower or wider policy sets the header itself; the middleware never overwrites it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = ", ".join(
    [
        "geolocation=(self)",  # the portal's "use my location"
        "camera=()",
        "microphone=()",
        "payment=()",
        "usb=()",
    ]
)


def tile_origin(template: str) -> str:
    """The origin of a Leaflet tile URL template, ``{s}`` subdomains as a wildcard."""
    parts = urlsplit(template)
    if not parts.scheme or not parts.netloc:
        return ""  # a relative URL: tiles served by ourselves ('self')
    host = parts.netloc.replace("{s}", "*")
    if "{" in host:  # any other placeholder in the host: allow the host's subdomains
        host = "*." + host.rsplit("}", 1)[-1].lstrip(".-")
    return f"{parts.scheme}://{host}"


def content_security_policy() -> str:
    images = ["'self'", "data:", "blob:"]
    tiles = tile_origin(settings.CITYOPS_MAP_TILES_URL)
    if tiles:
        images.append(tiles)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": images,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class SecurityHeadersMiddleware:
    """Sync and async (the event streams run under ASGI): no thread hop on either path."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.csp = content_security_policy()
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if self.async_mode:
            return self._acall(request)
        return self._headers(self.get_response(request))

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        return self._headers(await self.get_response(request))

    def _headers(self, response: HttpResponse) -> HttpResponse:
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

"""Request bodies are capped before they are read: 413 for a body larger than any CityOps form.

Django limits form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not uploaded files, and its ASGI
handler reads the whole body to a temporary file before any view runs: a 300 MB "photo" was
read, and written to disk, before the photo checks refused it. The largest body CityOps takes is
a report with the most photos at the largest size (``CITYOPS_MAX_PHOTOS`` ×
``CITYOPS_UPLOAD_MAX_BYTES``) and its fields; anything larger is refused unread:

- ``SyncChainASGIHandler`` (``asgi.py``) does not read a body whose ``Content-Length`` is over
  the limit, and stops reading a chunked body once it passes the limit; it marks the request's
  scope, and answers with ``Connection: close`` so that the server drops the rest.
- ``RequestBodyLimitMiddleware`` answers those requests 413, and any other whose
  ``Content-Length`` is over the limit (under WSGI the body is read lazily, so it is not read
  either), in the format of the API the path belongs to (registered by the delivery apps with
  ``too_large_answer_add``), else as a short page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Room for a report's text fields and the multipart boundaries around its photos.
MARGIN_BYTES = 1024 * 1024
# Set in an ASGI request's scope when its body was refused (not read, or not read to the end).
REFUSED = "cityops.body_too_large"

# (request, message) → the 413 response, in the format of the API the path belongs to.
Answer = Callable[[HttpRequest, str], HttpResponse]

_answers: dict[str, Answer] = {}


def too_large_answer_add(*, prefix: str, answer: Answer) -> None:
    """Answer too-large requests under ``prefix`` (e.g. ``/api/``) this way."""
    _answers[prefix] = answer


def request_body_limit() -> int:
    """The largest body accepted, in bytes: every photo at the largest size, with room to spare
    (never below Django's own limit for form fields and JSON bodies)."""
    photos = settings.CITYOPS_MAX_PHOTOS * settings.CITYOPS_UPLOAD_MAX_BYTES + MARGIN_BYTES
    return max(photos, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)


def declared_length(headers: Mapping[str, Any] | list[tuple[bytes, bytes]]) -> int | None:
    """The ``Content-Length`` of ASGI headers, or of a request's META; None if absent or bad."""
    if isinstance(headers, list):
        values = [value for name, value in headers if name.lower() == b"content-length"]
        value: Any = values[0] if values else None
    else:
        value = headers.get("CONTENT_LENGTH")
    try:
        return int(value) if value else None
    except ValueError:
        return None


def is_too_large(request: HttpRequest) -> bool:
    scope = getattr(request, "scope", None) or {}
    if scope.get(REFUSED):
        return True
    length = declared_length(request.META)
    return length is not None and length > request_body_limit()


def too_large_response(request: HttpRequest) -> HttpResponse:
    megabytes = request_body_limit() / (1024 * 1024)
    message = _(
        "The request is too large: at most %(megabytes).0f MB can be sent at once "
        "(%(photos)d photos of up to %(photo).0f MB each). Send smaller photos."
    ) % {
        "megabytes": megabytes,
        "photos": settings.CITYOPS_MAX_PHOTOS,
        "photo": settings.CITYOPS_UPLOAD_MAX_BYTES / (1024 * 1024),
    }
    answer = next(
        (answer for prefix, answer in _answers.items() if request.path.startswith(prefix)), _page
    )
    response = answer(request, message)
    if getattr(request, "scope", None) is not None:
        # The rest of the body is still on its way: the server closes the connection rather
        # than read it (WSGI servers forbid an application to set this header).
        response["Connection"] = "close"
    return response


def _page(request: HttpRequest, message: str) -> HttpResponse:
    title = _("Request too large")
    html = format_html(
        '<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>'
        "<body><h1>{}</h1><p>{}</p></body></html>",
        get_language() or "vi",
        title,
        title,
        message,
    )
    return HttpResponse(html, status=413, content_type="text/html; charset=utf-8")


class RequestBodyLimitMiddleware(MiddlewareMixin):
    """413 before anything reads a body over the limit (after LocaleMiddleware: in the
    visitor's language)."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        return too_large_response(request) if is_too_large(request) else None

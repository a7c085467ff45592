"""The database cannot be reached: 503 with ``Retry-After``, in the caller's own format.

When PostgreSQL crashes, restarts or fails over, every query fails for a few seconds. Instead of
Django's bare 500 page, clients get ``503 Service Unavailable`` with ``Retry-After`` — the signal
to keep the report and send it again — in the shape their API uses for every other error. The
delivery apps say how for their URL prefix (``unavailable_answer_add`` from their
``AppConfig.ready``, the API also from its exception handler, since Ninja catches errors itself);
any other path gets a short page that needs no database.

When a connection was lost, the pool also checks its idle connections: after a restart they
are all dead, and without the check each would fail one more request before being
discarded. The check runs only then, so requests pay no round trip for it while the database is
healthy.
docs/reliability.md describes the whole fault.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import psycopg
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from psycopg_pool import PoolTimeout

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5

# (request, message) → the response, in the format of the API the path belongs to.
Answer = Callable[[HttpRequest, str], HttpResponse]

_answers: dict[str, Answer] = {}


def unavailable_answer_add(*, prefix: str, answer: Answer) -> None:
    """Answer requests under ``prefix`` (e.g. ``/api/``) this way while the database is down."""
    _answers[prefix] = answer


def is_database_unavailable(error: BaseException) -> bool:
    # Lost or refused connections, a pool that found none in time, and other failures that
    # retrying cures (lock timeouts, serialization failures) are all OperationalError.
    return isinstance(error, OperationalError | InterfaceError)


def database_unavailable_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The 503 for ``request``; logs ``error`` and tells error reporters, as Django would."""
    logger.error(
        "Database unavailable on %s %s: %s", request.method, request.path, error, exc_info=error
    )
    got_request_exception.send(sender=None, request=request)
    _check_pooled_connections(error)
    message = _("The service cannot reach its database; try again in a few seconds.")
    answer = next(
        (answer for prefix, answer in _answers.items() if request.path.startswith(prefix)), _page
    )
    response = answer(request, message)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _check_pooled_connections(error: BaseException) -> None:
    """Drop the pool's dead connections now, rather than one failed request at a time.

    Only when a connection was lost (the server went away, shut down or refused us): the others
    of the same age are then likely dead too. A lock timeout, a serialization failure or a pool
    that found no connection in time leave the pool alone.
    """
    if not _connection_lost(error.__cause__ or error):
        return
    for connection in connections.all(initialized_only=True):
        pool = getattr(connection, "pool", None)  # PostgreSQL with OPTIONS["pool"] only
        if pool is None:
            continue
        try:
            pool.check()
        except Exception:  # a failed check must not turn the 503 into a 500
            logger.warning("Could not check the pool of %s", connection.alias, exc_info=True)


def _connection_lost(error: BaseException) -> bool:
    """psycopg's error for a lost connection: no SQLSTATE (the socket closed), or class 08
    (connection exception) or 57P (the server shut down or is starting)."""
    if not isinstance(error, psycopg.OperationalError) or isinstance(error, PoolTimeout):
        return False
    state = error.sqlstate
    return state is None or state.startswith(("08", "57P"))


def _page(request: HttpRequest, message: str) -> HttpResponse:
    html = format_html(
        '<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>'
        "<body><h1>{}</h1><p>{}</p></body></html>",
        get_language() or "vi",
        _("Service unavailable"),
        _("Service unavailable"),
        message,
    )
    return HttpResponse(html, status=503, content_type="text/html; charset=utf-8")


class DatabaseUnavailableMiddleware(MiddlewareMixin):
    """Turns a view's database failure into the 503 above (sync and async, no thread hop)."""

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        return database_unavailable_response(request, exception)

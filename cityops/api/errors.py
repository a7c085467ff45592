"""The one error shape of the API, ``{"code", "message", "fields"}``, and the errors only it raises.

Domain errors (``cityops.platform.errors``) carry their own code and HTTP status; the handlers in
``api.py`` and the write guard in ``writes.py`` render every refusal through ``error_response``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpResponse

from cityops.platform.errors import CityOpsError

CONTENT_TYPE = "application/json; charset=utf-8"

# Codes for refusals that do not come from a domain error.
CODES_BY_STATUS = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "rate_limited",
    500: "server_error",
}


class Unauthenticated(CityOpsError):
    """No credentials where they are required, or credentials that are unknown or revoked."""

    code = "unauthenticated"
    http_status = 401


class RateLimited(CityOpsError):
    """Too many requests from one address or with one credential in the current window."""

    code = "rate_limited"
    http_status = 429

    def __init__(self, *, retry_after: int, message: str = "") -> None:
        super().__init__(message or f"Too many requests; retry in {retry_after} seconds.")
        self.retry_after = retry_after


def error_response(
    *,
    status: int,
    message: str,
    code: str | None = None,
    fields: Mapping[str, Iterable[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body = {
        "code": code or CODES_BY_STATUS.get(status, "error"),
        "message": message,
        "fields": {name: [str(m) for m in messages] for name, messages in (fields or {}).items()},
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def domain_error_response(error: CityOpsError) -> HttpResponse:
    headers: dict[str, Any] = {}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, Unauthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="cityops"'
    return error_response(
        status=error.http_status,
        code=error.code,
        message=error.message,
        fields=error.fields,
        headers=headers,
    )


def field_problems(
    errors: Iterable[Mapping[str, Any]], *, skip: int = 0, default: str = "body"
) -> dict[str, list[str]]:
    """Pydantic's errors per field: ``loc`` without its first ``skip`` parts, dotted."""
    problems: dict[str, list[str]] = {}
    for error in errors:
        location = [str(part) for part in tuple(error.get("loc", ()))[skip:]]
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        problems.setdefault(".".join(location) or default, []).append(message)
    return problems


def summary_of(problems: Mapping[str, list[str]]) -> str:
    return "Invalid request: " + "; ".join(
        f"{name}: {' '.join(messages)}" for name, messages in problems.items()
    )

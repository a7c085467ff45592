"""The CityOps REST API v1 (``/api/v1/``): the instance, its routers and its error handlers.

Every refusal has one JSON shape, ``{"code", "message", "fields"}`` (``errors.py``), whether it
comes from a domain error, request validation, authentication, routing (404, 405) or the
write guard (409, 429); a database that cannot be reached is answered 503 ``unavailable`` with
``Retry-After``; unexpected failures are logged and answered 500 ``server_error``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

import pydantic
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver, path, re_path, reverse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from cityops.api.docs import LocalSwagger, docs_asset
from cityops.api.errors import (
    CODES_BY_STATUS,
    domain_error_response,
    error_response,
    field_problems,
    summary_of,
)
from cityops.api.routers import (
    areas,
    auth,
    cameras,
    categories,
    intel,
    online,
    planning,
    report_actions,
    reports,
    sensors,
    services,
    tourist,
    vehicles,
    violations,
)
from cityops.platform.errors import CityOpsError
from cityops.platform.http import MalformedJSON, json_body
from cityops.platform.unavailable import database_unavailable_response

logger = logging.getLogger(__name__)

DESCRIPTION = """
The REST API of CityOps, the Intelligent Operations Center: citizens' field reports (phản ánh
hiện trường), their public timeline, ratings and follows. Guide: `docs/api.md`.

- **Authentication**: `POST /auth/token` gives a bearer token (`Authorization: Bearer …`);
  client systems may also send an API key (`X-API-Key`). Reports may be sent anonymously.
- **Errors** are always `{"code", "message", "fields"}`.
- **Writes** accept an `Idempotency-Key` header; a retry with the same key returns the first
  response. Public writes are rate limited (429 with `Retry-After`).
"""


class CityOpsAPI(NinjaAPI):
    """Ninja with JSON answers also for unknown paths (404) and methods (405)."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if not isinstance(pattern, URLPattern):
                continue
            if pattern.name == "api-root":
                pattern.callback = self._index
            else:
                pattern.callback = _json_method_not_allowed(pattern.callback)
        return [
            path("docs/assets/<str:name>", docs_asset, name="docs-asset"),
            *patterns,
            re_path(r"^", _not_found, name="not-found"),
        ]

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__  # route functions have unique names

    def _index(self, request: HttpRequest, **kwargs: Any) -> JsonResponse:
        namespace = self.urls_namespace
        return JsonResponse(
            {
                "title": self.title,
                "version": self.version,
                "openapi": request.build_absolute_uri(reverse(f"{namespace}:openapi-json")),
                "docs": request.build_absolute_uri(reverse(f"{namespace}:openapi-view")),
            }
        )


class Utf8JSONRenderer(JSONRenderer):
    # Vietnamese stays readable. Infinity and NaN are not JSON: a value that reaches here
    # non-finite is a bug answered 500, never a body clients cannot parse.
    json_dumps_params = {"ensure_ascii": False, "allow_nan": False}


class CityOpsJSONParser(Parser):
    """Bodies through the project's one JSON reader: depth-limited, parsed once per request."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json_body(request)


def _json_method_not_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            return error_response(
                status=405,
                message=f"{request.method} is not allowed here; use {allowed}.",
                headers={"Allow": allowed},
            )
        return response

    return wrapper


def _not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error_response(status=404, message=f"There is no API endpoint at {request.path}.")


api = CityOpsAPI(
    title="CityOps API",
    version="1",
    description=DESCRIPTION,
    docs=LocalSwagger(),
    renderer=Utf8JSONRenderer(),
    parser=CityOpsJSONParser(),
    urls_namespace="api-v1",
)
api.add_router("/auth", auth.router)
api.add_router("/categories", categories.router)
api.add_router("/areas", areas.router)
api.add_router("/classify", intel.classify_router)
api.add_router("/reports", intel.router)
api.add_router("/reports", reports.router)
api.add_router("/reports", report_actions.router)
api.add_router("/sensors", sensors.router)
api.add_router("/cameras", cameras.router)
api.add_router("/cameras", violations.router)
api.add_router("/vehicles", vehicles.router)
api.add_router("/service-offices", services.router)
api.add_router("/tourist", tourist.router)
api.add_router("/online", online.router)
api.add_router("/planning", planning.router)


@api.exception_handler(CityOpsError)
def _domain_error(request: HttpRequest, error: CityOpsError) -> HttpResponse:
    return domain_error_response(error)


@api.exception_handler(ValidationError)
def _invalid_request(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = []
    for item in error.errors:
        location = tuple(item.get("loc", ()))
        # ("query", "page") → page; ("body", "payload", "value") → value.
        skip = 2 if location and location[0] in ("body", "form", "file") else 1
        errors.append({**item, "loc": location[skip:]})
    problems = field_problems(errors)
    return error_response(status=400, message=summary_of(problems), fields=problems)


@api.exception_handler(pydantic.ValidationError)
def _invalid_data(request: HttpRequest, error: pydantic.ValidationError) -> HttpResponse:
    problems = field_problems(error.errors(include_url=False))
    return error_response(status=400, message=summary_of(problems), fields=problems)


@api.exception_handler(Http404)
def _not_found_error(request: HttpRequest, error: Http404) -> HttpResponse:
    return error_response(status=404, message="Not found.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return error_response(
        status=401,
        message="Sign in first: send 'Authorization: Bearer <token>' (POST /auth/token).",
        headers={"WWW-Authenticate": 'Bearer realm="cityops"'},
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    message, fields = error.message, None
    if error.status_code == 400 and message.startswith("Cannot parse request body"):
        # Ninja says no more than that; the parser kept the reason on the request.
        try:
            json_body(request)
            message = "The body is not valid JSON."
        except MalformedJSON as malformed:
            message = malformed.message
        except RequestDataTooBig as too_big:
            return _too_big(request, too_big)
        fields = {"body": [message]}
    return error_response(
        status=error.status_code,
        code=CODES_BY_STATUS.get(error.status_code, "error"),
        message=message,
        fields=fields,
    )


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    return error_response(status=413, message="The request body is too large.")


@api.exception_handler(BadRequest)
@api.exception_handler(SuspiciousOperation)
@api.exception_handler(MultiPartParserError)
def _bad_request(request: HttpRequest, error: Exception) -> HttpResponse:
    return error_response(status=400, message=f"Malformed request: {error}")


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
    return database_unavailable_response(request, error)  # 503 with Retry-After


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, error: Exception) -> HttpResponse:
    # Answer in the API's shape, but let logging and error reporters see it as Django would.
    logger.error("Unexpected error on %s %s", request.method, request.path, exc_info=error)
    got_request_exception.send(sender=None, request=request)
    return error_response(status=500, message="Something went wrong on our side; try again.")

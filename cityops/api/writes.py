"""One guard for every API write: rate limits first, then ``Idempotency-Key`` replay.

``@api_write()`` sits under the route decorator and wraps the whole operation (authentication,
validation, the domain call and the error handlers), so what it stores is exactly the response
the client got:

- A request over a rate limit is refused with 429 and ``Retry-After`` before anything else.
- With an ``Idempotency-Key`` header, the operation's authentication runs first (a replay is
  an answer like any other: it goes only to a caller the operation accepts); then the first
  response to (credentials, key) is kept for 24 hours and a retry gets it again, byte for byte,
  with ``Idempotent-Replayed: true``, and writes nothing. The key belongs to the exact
  credentials sent (the token and the API key; the client's address without either): another
  token or key with the same ``Idempotency-Key`` is another request. The same key with another
  payload is refused with 409 ``idempotency_key_reused``.
- 2xx and 4xx answers are kept; 401 and 429 are not (they are about the credential or the
  traffic, not the request, so the client may retry with the same key once fixed), nor are 5xx
  answers or exceptions: the reservation, the write and the answer are one transaction, rolled
  back together, and a retry runs again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial, wraps
from typing import Any, Literal, TypeVar

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from ninja.decorators import decorate_view
from ninja.operation import Operation
from ninja.utils import contribute_operation_callback

from cityops.api.auth import API_KEY_HEADER, Caller, caller_of
from cityops.api.errors import RateLimited, Unauthenticated, domain_error_response, error_response
from cityops.platform.errors import Conflict
from cityops.platform.http import MalformedJSON, client_ip, json_body
from cityops.platform.idempotency import fingerprint_of, idempotency_begin, idempotency_finish
from cityops.platform.ratelimit import Hit, rate_for, rate_limits_hit

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255
_NOT_KEPT = frozenset({401, 429})

F = TypeVar("F", bound=Callable[..., Any])
Run = Callable[..., HttpResponseBase]


@dataclass(frozen=True)
class Limit:
    """A rate from ``settings.CITYOPS_RATE_LIMITS`` counted per client address or credential."""

    rate: str
    per: Literal["ip", "credential"]


WRITE_LIMITS = (Limit("write_per_ip", "ip"), Limit("write_per_key", "credential"))
LOGIN_LIMITS = (Limit("login_per_ip", "ip"),)


def api_write(
    *, limits: tuple[Limit, ...] = WRITE_LIMITS, idempotent: bool = True
) -> Callable[[F], F]:
    """Guard a write route (put it under ``@router.post/put/delete``)."""

    def decorator(func: F) -> F:
        contribute_operation_callback(func, partial(_document, idempotent=idempotent))
        return decorate_view(partial(_guard, limits=limits, idempotent=idempotent))(func)

    return decorator


def _guard(run: Run, *, limits: tuple[Limit, ...], idempotent: bool) -> Run:
    # decorate_view wraps the operation's ``run`` method, so the operation is its ``__self__``.
    operation = run.__self__  # type: ignore[attr-defined]
    assert isinstance(operation, Operation), "put @api_write() under the route decorator"

    @wraps(run)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        retry_after = _rate_limited(request, limits)
        if retry_after is not None:
            return domain_error_response(RateLimited(retry_after=retry_after))
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if not idempotent or key is None:
            return run(request, *args, **kwargs)
        if not 1 <= len(key) <= MAX_KEY_LENGTH:
            message = f"Use 1 to {MAX_KEY_LENGTH} characters, e.g. a UUID."
            return error_response(
                status=400, message=message, fields={IDEMPOTENCY_HEADER: [message]}
            )
        # Authentication before any replay: Ninja's own checks, as the route declares them
        # (run again by ``run``, from the per-request cache of ``caller_of``).
        refused = operation._run_checks(request)
        if refused is not None:
            return refused  # 401, not kept
        try:
            scope = _scope(request, caller_of(request))
            fingerprint = _fingerprint(request)
        except Unauthenticated:
            return run(request, *args, **kwargs)  # answers 401, which is not kept
        except RequestDataTooBig:
            return error_response(status=413, message="The request body is too large.")
        except (MultiPartParserError, BadRequest, SuspiciousOperation) as error:
            return error_response(status=400, message=f"Malformed request body: {error}")
        # The reservation, the write and the kept answer commit together: if anything fails
        # (the database goes away, an unexpected error), nothing of it remains and a retry
        # runs afresh. A concurrent retry waits on the reservation's unique key until this
        # one commits, then gets its answer.
        with transaction.atomic():
            try:
                replay = idempotency_begin(
                    scope=scope, key=key, fingerprint=fingerprint, ttl=IDEMPOTENCY_TTL
                )
            except Conflict as conflict:
                return domain_error_response(conflict)
            if replay is not None:
                replayed = HttpResponse(
                    replay.body, status=replay.status_code, content_type=replay.content_type
                )
                replayed["Idempotent-Replayed"] = "true"
                return replayed
            response = run(request, *args, **kwargs)
            if response.status_code >= 500 or response.status_code in _NOT_KEPT:
                transaction.set_rollback(True)
            else:
                assert isinstance(response, HttpResponse)  # API writes never stream
                idempotency_finish(
                    scope=scope,
                    key=key,
                    status_code=response.status_code,
                    body=response.content.decode(response.charset or "utf-8"),
                    content_type=response["Content-Type"],
                )
        return response

    return guarded


def _rate_limited(request: HttpRequest, limits: tuple[Limit, ...]) -> int | None:
    """Count this request against every limit; the longest wait if any is exceeded."""
    hits = []
    for limit in limits:
        if limit.per == "ip":
            keys = [client_ip(request)]
        else:
            # The presented credential, hashed, before any database lookup: unknown tokens
            # are counted too, so guessing them is as slow as anything else.
            presented = (request.headers.get(h, "") for h in ("Authorization", API_KEY_HEADER))
            keys = [hashlib.sha256(v.encode()).hexdigest()[:32] for v in presented if v]
        rate = rate_for(limit.rate)
        hits += [Hit(f"api:{limit.rate}", key, rate) for key in keys]
    return rate_limits_hit(hits)


def _scope(request: HttpRequest, caller: Caller) -> str:
    """Whose keys: the credentials sent, each of them, or the address of an anonymous caller."""
    credentials = [
        *([f"token:{caller.token.pk}"] if caller.token is not None else []),
        *([f"key:{caller.api_key.pk}"] if caller.api_key is not None else []),
    ]
    return "api:" + ":".join(credentials or [f"ip:{client_ip(request)}"])


def _fingerprint(request: HttpRequest) -> str:
    """What the request asks for: method, path, query, body fields and photo hashes."""
    body: Any
    if request.content_type == "multipart/form-data":
        body = {
            "fields": {name: request.POST.getlist(name) for name in request.POST},
            "files": {
                name: [_file_hash(upload) for upload in request.FILES.getlist(name)]
                for name in request.FILES
            },
        }
    else:
        try:
            body = json_body(request) if request.body else None
        except MalformedJSON:  # the route refuses it (400), and that answer is kept
            body = hashlib.sha256(request.body).hexdigest()
    return fingerprint_of(
        {
            "method": request.method,
            "path": request.path,
            "query": {name: request.GET.getlist(name) for name in request.GET},
            "body": body,
        }
    )


def _file_hash(upload: Any) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _document(operation: Operation, *, idempotent: bool) -> None:
    """Declare the guard in the OpenAPI document: the key header, and Retry-After on 429."""
    extra: dict[str, Any] = {
        "responses": {
            429: {
                "headers": {
                    "Retry-After": {
                        "description": "Seconds until the rate limit window resets.",
                        "schema": {"type": "integer", "minimum": 1},
                    }
                }
            }
        }
    }
    if idempotent:
        extra["parameters"] = [
            {
                "in": "header",
                "name": IDEMPOTENCY_HEADER,
                "required": False,
                "description": (
                    "Any unique string (a UUID): a retry with the same key returns the first "
                    "response instead of writing again, for 24 hours."
                ),
                "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
            }
        ]
    operation.openapi_extra = _merged(operation.openapi_extra or {}, extra)


def _merged(base: dict[Any, Any], extra: dict[Any, Any]) -> dict[Any, Any]:
    result = dict(base)
    for name, value in extra.items():
        if isinstance(value, dict) and isinstance(result.get(name), dict):
            result[name] = _merged(result[name], value)
        elif isinstance(value, list) and isinstance(result.get(name), list):
            result[name] = [*result[name], *value]
        else:
            result[name] = value
    return result

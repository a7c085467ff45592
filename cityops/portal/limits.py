"""Rate limits on the portal's writes, per client address, with a friendly 429 page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cityops.platform.http import client_ip
from cityops.platform.ratelimit import rate_for, rate_limit_hit

View = Callable[..., HttpResponse]


def too_many_requests(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    response = render(request, "portal/429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def posts_limited(rate: str) -> Callable[[View], View]:
    """Count every POST to the view against the client's ``rate`` (a CITYOPS_RATE_LIMITS name)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                wait = rate_limit_hit(
                    scope=f"portal:{rate}", key=client_ip(request), rate=rate_for(rate)
                )
                if wait is not None:
                    return too_many_requests(request, retry_after=wait)
            return view(request, *args, **kwargs)

        return limited

    return decorate

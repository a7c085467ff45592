"""What a view declares: its answer may be kept, and what it depends on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest

OFFER = "cityops.read_cache"  # the scope key (WSGI: environ key) of the request's ``Offer``
LISTS = "lists"  # every list of public reports, and the home page
EVERYTHING = "all"  # every kept answer


# -- what a view declares ---------------------------------------------------------------------


@dataclass
class Offer:
    """Set by the view: its answer may be kept, and what it depends on."""

    depends_on: tuple[str, ...] | None = None


def report_generation(report_id: int) -> str:
    return f"report:{report_id}"


def read_cache_offer(request: HttpRequest, *, report_id: int | None = None) -> None:
    """Declare that this request's answer is the same for every anonymous visitor and may be
    kept: until any public report changes, or only ``report_id`` when given."""
    scope = getattr(request, "scope", None)
    offer = scope.get(OFFER) if scope is not None else request.META.get(OFFER)
    if isinstance(offer, Offer):
        depends = report_generation(report_id) if report_id is not None else LISTS
        offer.depends_on = (EVERYTHING, depends)


def read_cached(*, report: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: ``read_cache_offer`` for each request; ``report`` names the URL argument
    holding the one report the answer depends on (an id that is not a number: nothing kept)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if report is None:
                read_cache_offer(request)
            elif (value := str(kwargs.get(report, ""))).isascii() and value.isdigit():
                read_cache_offer(request, report_id=int(kwargs[report]))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate

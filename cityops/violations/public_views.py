"""The public lookup of a violation case: the case number and the secret code printed on the
notice (the QR code opens ``/violations/<number>?code=…``).

The page shows what the notice's recipient needs: the status, the violation, when and where,
the fine band and its legal basis, the frames' BLURRED copies and how to pay or contest. Never
the owner's data, never an original. A wrong code is answered exactly like a case that does not
exist, and lookups are rate limited per address, misses more tightly (no guessing codes).
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cityops.platform.http import client_ip
from cityops.platform.ratelimit import (
    Hit,
    Rate,
    rate_limit_hit,
    rate_limits_hit,
    rate_limits_reached,
)
from cityops.portal.limits import too_many_requests
from cityops.violations.choices import EvidenceKind
from cityops.violations.forms import LookupForm
from cityops.violations.models import Case
from cityops.violations.selectors import case_public

LOOKUPS = Rate(30, 60)  # per address: someone typing a code, or opening a QR code, now and then
MISSES = Rate(10, 15 * 60)  # per address: wrong numbers or codes before lookups wait
FRAMES = Rate(120, 60)  # per address: each page shows three frames


def lookup_path_of(case: Case) -> str:
    """The case's public page on this site (the notice's QR code holds the same, absolute)."""
    path = reverse("violations:case", args=[case.number])
    return f"{path}?{urlencode({'code': case.lookup_code})}"


def _private(response: HttpResponse) -> HttpResponse:
    """The code is a secret: no cache, no referrer, no search engine."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _wait(
    request: HttpRequest, *, scope: str = "violations:lookup", rate: Rate = LOOKUPS
) -> int | None:
    """Seconds to wait before another lookup from this address, if it must: too many misses
    lately, or too many lookups this minute."""
    address = client_ip(request)
    return rate_limits_reached([Hit("violations:miss", address, MISSES)]) or rate_limits_hit(
        [Hit(scope, address, rate)]
    )


def _found(request: HttpRequest, number: str, code: str) -> Case | None:
    case = case_public(number=number, code=code)
    if case is None:
        rate_limit_hit(scope="violations:miss", key=client_ip(request), rate=MISSES)
    return case


def _form_page(request: HttpRequest, form: LookupForm, *, status: int = 200) -> HttpResponse:
    return _private(
        render(
            request,
            "violations/public/lookup.html",
            {"form": form, "not_found": status == 404},
            status=status,
        )
    )


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """The lookup form; a found case opens its page (the same address as the QR code's)."""
    if not request.GET:
        return _form_page(request, LookupForm())
    form = LookupForm(request.GET)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    wait = _wait(request)
    if wait is not None:
        return _private(too_many_requests(request, retry_after=wait))
    number, code = form.cleaned_data["number"], form.cleaned_data["code"]
    case = _found(request, number, code)
    if case is None:
        return _form_page(request, form, status=404)
    return _private(cast(HttpResponse, redirect(lookup_path_of(case))))


@require_GET
def case(request: HttpRequest, number: str) -> HttpResponse:
    """A case as its notice's recipient sees it (what the QR code opens)."""
    form = LookupForm({"number": number, "code": request.GET.get("code", "")})
    if not form.is_valid():
        return _form_page(request, form, status=404)
    wait = _wait(request)
    if wait is not None:
        return _private(too_many_requests(request, retry_after=wait))
    found = _found(request, form.cleaned_data["number"], form.cleaned_data["code"])
    if found is None:
        return _form_page(request, form, status=404)
    frames = [item for item in found.evidence.all() if item.kind == EvidenceKind.FRAME]
    context: dict[str, Any] = {
        "case": found,
        "frames": frames,
        "code": form.cleaned_data["code"],
    }
    return _private(render(request, "violations/public/case.html", context))


@require_GET
def frame(request: HttpRequest, number: str, position: int) -> HttpResponse:
    """A frame's blurred copy, for whoever holds the case's code; there is no other way to an
    image of a case from outside."""
    wait = _wait(request, scope="violations:frames", rate=FRAMES)
    if wait is not None:
        return _private(too_many_requests(request, retry_after=wait))
    found = _found(request, number.strip().upper(), request.GET.get("code", "").strip()[:16])
    if found is None:
        raise Http404
    item = found.evidence.filter(kind=EvidenceKind.FRAME, position=position).first()
    if item is None or not item.public_file:
        raise Http404  # never the original, even while its copy is being blurred
    response = cast(
        HttpResponse, FileResponse(item.public_file.open("rb"), content_type="image/jpeg")
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)

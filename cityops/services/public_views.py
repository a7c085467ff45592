"""The public side: the rating page a QR code opens on a phone (a desk's, a dossier's, or the
desk's tablet in kiosk mode), the thank-you page, and the ranking of offices.

No account is needed and nothing about the rater is kept. Repeats are held back so (docs/
services.md, "Repeats"):

- a dossier's QR code carries a signed token valid ``TOKEN_MAX_AGE`` (30 days) after the
  dossier was received; the dossier is rated once, a second rating is refused (409);
- every rating POST counts against its client address (``PHONE_PER_IP``; the desk's tablet has
  its own, looser ``KIOSK_PER_IP``, since the whole office shares one address); the address
  is a key of a counter that expires, never stored with the rating;
- a phone that rated a desk gets a signed cookie and may rate that desk again only after
  ``DEVICE_COOLDOWN``; the desk's tablet takes one rating per ``KIOSK_COOLDOWN`` (counted on
  the server per desk, so clearing the cookies does not help), then resets for the next person.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput
from cityops.platform.http import client_ip
from cityops.platform.ratelimit import Rate, rate_limit_hit
from cityops.portal.limits import too_many_requests
from cityops.services.choices import Via
from cityops.services.forms import RatingForm
from cityops.services.models import Desk, Dossier, Rating
from cityops.services.selectors import MIN_RATINGS, offices_ranking
from cityops.services.services import rating_submit
from cityops.services.tokens import TOKEN_MAX_AGE, BadToken, dossier_id_of, dossier_token

PHONE_PER_IP = Rate(20, 60 * 60)
KIOSK_PER_IP = Rate(240, 60 * 60)
DEVICE_COOLDOWN = timedelta(minutes=15)
KIOSK_COOLDOWN = timedelta(seconds=20)
THANKS_SALT = "cityops.services.thanks"
COOKIE_PREFIX = "svc_rated_"
COOKIE_SALT = "cityops.services.device"


def dossier_path(dossier: Dossier) -> str:
    return reverse("services:dossier", args=[dossier_token(dossier.pk)])


def desk_path(desk: Desk, *, kiosk: bool = False) -> str:
    path = reverse("services:desk", args=[desk.key])
    return f"{path}?kiosk=1" if kiosk else path


def _private(response: HttpResponse) -> HttpResponse:
    """A token or a desk's key is in the address: no cache, no referrer to other sites, no
    search engine."""
    response["Cache-Control"] = "private, no-store"
    # Not "no-referrer": the form's POST would carry "Origin: null", which CSRF refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(request: HttpRequest, context: dict[str, object], *, status: int = 200) -> HttpResponse:
    return _private(render(request, "services/public/rate.html", context, status=status))


def _refused(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return _private(
        render(request, "services/public/refused.html", {"message": message}, status=status)
    )


def _rated_recently(request: HttpRequest, desk: Desk) -> bool:
    stamp = request.get_signed_cookie(
        f"{COOKIE_PREFIX}{desk.pk}",
        default=None,
        salt=COOKIE_SALT,
        max_age=DEVICE_COOLDOWN,
    )
    return stamp is not None


def _thanks(rating: Rating, *, kiosk: bool) -> HttpResponse:
    token = signing.dumps(
        {"r": rating.report_id, "k": rating.desk.key if kiosk else ""}, salt=THANKS_SALT
    )
    response = redirect("services:thanks", token=token)
    if not kiosk:
        response.set_signed_cookie(
            f"{COOKIE_PREFIX}{rating.desk_id}",
            str(int(time.time())),
            salt=COOKIE_SALT,
            max_age=int(DEVICE_COOLDOWN.total_seconds()),
            httponly=True,
            samesite="Lax",
        )
    return _private(response)


def _rate(
    request: HttpRequest, *, desk: Desk, dossier: Dossier | None, kiosk: bool
) -> HttpResponse:
    context: dict[str, object] = {
        "desk": desk,
        "office": desk.office,
        "dossier": dossier,
        "kiosk": kiosk,
    }
    if request.method != "POST":
        return _page(request, {**context, "form": RatingForm()})
    rate = KIOSK_PER_IP if kiosk else PHONE_PER_IP
    wait = rate_limit_hit(
        scope=f"services:rate:{'kiosk' if kiosk else 'phone'}", key=client_ip(request), rate=rate
    )
    if wait is not None:
        return too_many_requests(request, retry_after=wait)
    if dossier is None and not kiosk and _rated_recently(request, desk):
        return _refused(request, _("You rated this desk a moment ago. Thank you!"), status=409)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _page(request, {**context, "form": form}, status=400)
    if kiosk and not cache.add(
        f"services:kiosk:{desk.pk}", 1, timeout=int(KIOSK_COOLDOWN.total_seconds())
    ):
        return _refused(
            request,
            _("A rating was just given at this desk. Please wait a few seconds and try again."),
            status=429,
        )
    via = Via.DOSSIER if dossier else Via.KIOSK if kiosk else Via.DESK
    try:
        rating = rating_submit(desk=desk, answers=form.answers(), via=via, dossier=dossier)
    except Conflict as refused:
        return _refused(request, refused.message, status=409)
    except InvalidInput as invalid:
        for name, messages in invalid.fields.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return _page(request, {**context, "form": form}, status=400)
    return _thanks(rating, kiosk=kiosk)


@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest, key: str) -> HttpResponse:
    """A desk's QR code (a phone), or its tablet with ``?kiosk=1``."""
    found = get_object_or_404(
        Desk.objects.select_related("office"), key=key, is_active=True, office__is_active=True
    )
    kiosk = request.GET.get("kiosk") == "1" or request.POST.get("kiosk") == "1"
    return _rate(request, desk=found, dossier=None, kiosk=kiosk)


@require_http_methods(["GET", "POST"])
def dossier(request: HttpRequest, token: str) -> HttpResponse:
    """A dossier's QR code: its signed, expiring token."""
    try:
        pk = dossier_id_of(token)
    except BadToken as bad:
        if bad.expired:
            return _refused(
                request,
                _("This QR code has expired: a dossier can be rated within 30 days."),
                status=410,
            )
        raise Http404 from bad
    found = (
        Dossier.objects.select_related("desk__office", "procedure", "officer")
        .filter(pk=pk, desk__is_active=True)
        .first()
    )
    if found is None:
        raise Http404
    if found.issued_at + TOKEN_MAX_AGE < clock.now():
        return _refused(
            request,
            _("This QR code has expired: a dossier can be rated within 30 days."),
            status=410,
        )
    if Rating.objects.filter(dossier=found).exists():
        return _refused(request, _("This dossier has already been rated. Thank you!"), status=409)
    return _rate(request, desk=found.desk, dossier=found, kiosk=False)


@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = signing.loads(token, salt=THANKS_SALT, max_age=timedelta(hours=1))
    except signing.BadSignature as error:
        raise Http404 from error
    report_id, kiosk_key = data.get("r"), data.get("k") or ""
    context = {
        "report_url": reverse("portal:report", kwargs={"pk": report_id}) if report_id else "",
        "next_url": f"{reverse('services:desk', args=[kiosk_key])}?kiosk=1" if kiosk_key else "",
        "reset_seconds": 8,
    }
    return _private(render(request, "services/public/thanks.html", context))


@require_GET
def ranking(request: HttpRequest) -> HttpResponse:
    """The offices ranked by the share of satisfied ratings (at least ``MIN_RATINGS``)."""
    return render(
        request,
        "services/public/ranking.html",
        {"rows": offices_ranking(), "minimum": MIN_RATINGS},
    )

"""The public GTFS-realtime feeds: protobuf (``application/x-protobuf``) or ``?format=json``."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from google.protobuf.json_format import MessageToJson
from google.transit import gtfs_realtime_pb2 as rt

from cityops.platform.http import client_ip
from cityops.platform.ratelimit import rate_for, rate_limit_hit
from cityops.transit import realtime


def _feed(build: Callable[[], rt.FeedMessage]) -> Callable[[HttpRequest], HttpResponse]:
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        wait = rate_limit_hit(
            scope="gtfs-rt", key=client_ip(request), rate=rate_for("gtfs_rt_per_ip")
        )
        if wait is not None:
            response = HttpResponse(
                _("Too many requests: please try again in a minute.") + "\n",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(wait)
            return response
        message = build()
        if request.GET.get("format") == "json":
            response = HttpResponse(
                MessageToJson(message), content_type="application/json; charset=utf-8"
            )
        else:
            response = HttpResponse(
                message.SerializeToString(), content_type="application/x-protobuf"
            )
        response["Cache-Control"] = "public, max-age=10"
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return view


vehicle_positions = _feed(realtime.vehicle_positions_feed)
trip_updates = _feed(realtime.trip_updates_feed)
alerts = _feed(realtime.alerts_feed)

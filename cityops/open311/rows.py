"""The request list's rows, kept written: a page of up to 1000 requests costs one query for
their ids and the few rows not yet written.

A row is written by ``serializers.request`` (the spec's output, byte for byte) and kept by its
report's id and ``updated_at``, which every change of the report moves (``record_event``), with
what else it depends on: language, format, extensions and the site's address. Names of
categories, agencies and areas move nothing: the rows are all written again after
``KEPT_SECONDS`` and at once when this process saves one of those (``platform.kept``). A
report's event drops its rows here too (a frozen clock in tests moves no ``updated_at``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from cityops.agencies.models import Agency, Area
from cityops.open311 import serializers
from cityops.open311.render import Format, json_item, list_of_items, xml_item
from cityops.platform.events import Event
from cityops.platform.kept import kept
from cityops.reports.models import Category, Report
from cityops.reports.selectors import reports_public

KEPT_SECONDS = 30  # as CITYOPS_READ_CACHE_SECONDS: a change without an event (an admin edit)
MAX_ROWS = 12_000  # ≈ 12 MB: 1000 requests in 2 formats, 2 languages and 3 variants

Variant = tuple[str, str, bool, str]  # language, format, extensions, the site's address


class Rows:
    """Written rows, least recently used dropped first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: OrderedDict[tuple[int, Variant], tuple[str, bytes]] = OrderedDict()

    def get(self, pk: int, version: str, variant: Variant) -> bytes | None:
        with self._lock:
            row = self._rows.get((pk, variant))
            if row is None or row[0] != version:
                return None
            self._rows.move_to_end((pk, variant))
            return row[1]

    def put(self, pk: int, version: str, variant: Variant, row: bytes) -> None:
        with self._lock:
            self._rows[(pk, variant)] = (version, row)
            self._rows.move_to_end((pk, variant))
            while len(self._rows) > MAX_ROWS:
                self._rows.popitem(last=False)

    def drop(self, pk: int) -> None:
        with self._lock:
            for key in [key for key in self._rows if key[0] == pk]:
                del self._rows[key]


@kept(seconds=KEPT_SECONDS, depends_on=(Category, Agency, Area))
def written_rows() -> Rows:
    """This process's written rows (new ones when names they show may have changed)."""
    return Rows()


def on_event(event: Event) -> None:
    if event.topic == "report.changed" and isinstance(event.payload.get("id"), int):
        written_rows().drop(event.payload["id"])


def request_list_body(
    reports: QuerySet[Report],
    *,
    start: int,
    stop: int,
    lang: serializers.Language,
    fmt: Format,
    extensions: bool,
    absolute: Callable[[str], str],
) -> bytes:
    """The ``service_requests`` document of ``reports[start:stop]`` (ordered), as
    ``request_list`` would write it with ``serializers.request`` for every report."""
    # ``updated_at`` as text: a thousand timestamps are parsed in more time than the page takes.
    order = list(
        reports.annotate(version=Cast("updated_at", TextField())).values_list("pk", "version")[
            start:stop
        ]
    )
    variant: Variant = (lang, fmt, extensions, absolute("/"))
    rows = written_rows()
    found: dict[int, bytes] = {}
    for pk, version in order:
        row = rows.get(pk, version, variant)
        if row is not None:
            found[pk] = row
    missing = [pk for pk, _ in order if pk not in found]
    if missing:
        versions = dict(order)
        still_public = reports_public().filter(pk__in=missing)
        # Keyed by the version the page read: the rows read after it are as new or newer.
        for report in serializers.with_request_relations(still_public, extensions=extensions):
            row = _written(report, lang=lang, fmt=fmt, extensions=extensions, absolute=absolute)
            rows.put(report.pk, versions[report.pk], variant, row)
            found[report.pk] = row
    # A report gone between the two queries (hidden meanwhile) is left out.
    items = [found[pk] for pk, _ in order if pk in found]
    return list_of_items(items, fmt=fmt, root="service_requests")


def _written(report: Report, *, lang: Any, fmt: Format, extensions: bool, absolute: Any) -> bytes:
    fields = serializers.request(report, lang=lang, absolute=absolute, extensions=extensions)
    return json_item(fields) if fmt == "json" else xml_item(fields, item="request")

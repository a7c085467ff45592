"""Exports of reports and their timelines: CSV, XLSX and GeoJSON, produced row by row.

Every export reads the database through ``.iterator(chunk_size=...)`` (a server-side cursor on
PostgreSQL) and yields encoded chunks, so a million rows neither fill memory nor wait for the
last row before the first byte leaves. XLSX cannot be written as a stream (it is a zip whose
directory comes last): xlsxwriter's ``constant_memory`` mode writes it into a temporary file
row by row, which is then streamed and removed.

Who sees what (ARCHITECTURE §2, Law 91/2025): the reporter's identity and contact details only
in the IOC staff's export (``reporter_identity_visible_to``); everyone else, leaders included,
reads the texts with personal data masked; open data holds public reports only, masked, and
no personal field at all.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import xlsxwriter
from django.db.models import QuerySet

from cityops.accounts.models import User
from cityops.intel.masking import mask_personal_data
from cityops.reports.deadlines import working_calendar
from cityops.reports.filters import ReportFilter
from cityops.reports.models import ReportEvent
from cityops.reports.selectors import (
    reporter_identity_visible_to,
    reports_public,
    reports_visible_to,
)

CHUNK = 2_000
XLSX_MAX_ROWS = 1_048_576  # Excel's limit per sheet, the header included
_FILE_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Column:
    """One exported field: its header, the ``values()`` path it reads, and how to show it."""

    header: str
    path: str
    masked: bool = False  # free text that may hold personal data


REPORT_COLUMNS = (
    Column("id", "pk"),
    Column("submitted_at", "submitted_at"),
    Column("category", "category__code"),
    Column("status", "status"),
    Column("priority", "priority"),
    Column("channel", "channel"),
    Column("agency", "agency__code"),
    Column("area_code", "area__code"),
    Column("area", "area__name"),
    Column("title", "title", masked=True),
    Column("description", "description", masked=True),
    Column("address", "address", masked=True),
    Column("lat", "lat"),
    Column("lon", "lon"),
    Column("due_at", "due_at"),
    Column("extended_at", "extended_at"),
    Column("resolved_at", "resolved_at"),
    Column("closed_at", "closed_at"),
    Column("rejection_reason", "rejection_reason"),
    Column("duplicate_of", "duplicate_of_id"),
    Column("result", "result_text", masked=True),
)
PERSONAL_COLUMNS = (
    Column("reporter_username", "reporter__username"),
    Column("reporter_name", "reporter__first_name"),
    Column("reporter_family_name", "reporter__last_name"),
    Column("is_anonymous", "is_anonymous"),
    Column("contact_name", "contact_name"),
    Column("contact_phone", "contact_phone"),
    Column("contact_email", "contact_email"),
)
OPEN_DATA_COLUMNS = tuple(
    column
    for column in REPORT_COLUMNS
    if column.header not in ("priority", "channel", "rejection_reason", "duplicate_of")
)
EVENT_COLUMNS = (
    Column("report", "report_id"),
    Column("time", "created_at"),
    Column("kind", "kind"),
    Column("from_status", "from_status"),
    Column("to_status", "to_status"),
    Column("agency", "agency__code"),
    Column("actor_role", "actor_role"),
    Column("visibility", "visibility"),
    Column("note", "note", masked=True),
)
EVENT_PERSONAL_COLUMNS = (Column("actor", "actor__username"),)


@dataclass(frozen=True)
class Table:
    """An export's header and its rows, ready for any format; ``rows`` is consumed once."""

    columns: tuple[Column, ...]
    rows: Iterator[tuple[Any, ...]]

    @property
    def header(self) -> list[str]:
        return [column.header for column in self.columns]


def _rows(
    queryset: QuerySet[Any], columns: Sequence[Column], *, mask: bool
) -> Iterator[tuple[Any, ...]]:
    paths = [column.path for column in columns]
    masked = [mask and column.masked for column in columns]
    for values in queryset.values_list(*paths).iterator(chunk_size=CHUNK):
        yield tuple(
            mask_personal_data(value) if hide and value else value
            for value, hide in zip(values, masked, strict=True)
        )


def reports_export(*, filters: ReportFilter, user: User) -> Table:
    """The reports ``user`` may read, narrowed like the console; personal data for IOC staff."""
    staff = reporter_identity_visible_to(user=user)
    columns = REPORT_COLUMNS + (PERSONAL_COLUMNS if staff else ())
    reports = filters.apply(reports_visible_to(user=user)).order_by("pk")
    return Table(columns, _rows(reports, columns, mask=not staff))


def events_export(*, filters: ReportFilter, user: User) -> Table:
    """The timelines of the same reports, oldest event first within each report."""
    staff = reporter_identity_visible_to(user=user)
    columns = EVENT_COLUMNS + (EVENT_PERSONAL_COLUMNS if staff else ())
    reports = filters.apply(reports_visible_to(user=user))
    events = ReportEvent.objects.filter(report__in=reports.values("pk")).order_by(
        "report_id", "created_at", "pk"
    )
    return Table(columns, _rows(events, columns, mask=not staff))


def reports_open_data(*, filters: ReportFilter) -> Table:
    """Public, reviewed reports only; free text masked; never a reporter or a contact."""
    reports = filters.apply(reports_public(reviewed_only=True)).order_by("pk")
    return Table(OPEN_DATA_COLUMNS, _rows(reports, OPEN_DATA_COLUMNS, mask=True))


def open_data_last_change() -> datetime | None:
    """When the public reports last changed: the open-data files' Last-Modified."""
    latest = (
        reports_public(reviewed_only=True)
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )
    return latest


# --- formats ----------------------------------------------------------------------------------


def _text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return "" if value is None else value


class _Line:
    """A file-like object that hands back what csv.writer writes, so each row is yielded."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(table: Table, *, excel_bom: bool = False) -> Iterator[bytes]:
    """UTF-8 CSV, a few hundred rows per chunk; the BOM makes Excel read Vietnamese right."""
    writer = csv.writer(_Line())
    yield (("\ufeff" if excel_bom else "") + writer.writerow(table.header)).encode()
    batch: list[str] = []
    for row in table.rows:
        batch.append(writer.writerow([_text(value) for value in row]))
        if len(batch) >= 500:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def geojson_chunks(table: Table) -> Iterator[bytes]:
    """A FeatureCollection: a Point per located row, ``null`` geometry for the others."""
    names = table.header
    lat_at, lon_at = names.index("lat"), names.index("lon")
    yield b'{"type":"FeatureCollection","features":['
    first = True
    batch: list[str] = []
    for row in table.rows:
        lat, lon = row[lat_at], row[lon_at]
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None else None
        properties = {
            name: _text(value) if value is not None else None
            for name, value in zip(names, row, strict=True)
            if name not in ("lat", "lon")
        }
        feature = json.dumps(
            {"type": "Feature", "geometry": geometry, "properties": properties},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        batch.append(feature if first else "," + feature)
        first = False
        if len(batch) >= 500:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()
    yield b"]}"


def xlsx_chunks(table: Table, *, sheet: str = "reports") -> Iterator[bytes]:
    """An XLSX workbook written row by row (constant memory) into a temporary file, then read
    out in chunks; past Excel's row limit the rows go on in a further sheet."""
    handle, path = tempfile.mkstemp(prefix="cityops-export-", suffix=".xlsx")
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(
            path, {"constant_memory": True, "remove_timezone": True, "strings_to_urls": False}
        )
        bold = workbook.add_format({"bold": True})
        when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        page, row_number, worksheet = 0, XLSX_MAX_ROWS, None
        for row in table.rows:
            if row_number >= XLSX_MAX_ROWS:
                page += 1
                worksheet = workbook.add_worksheet(sheet if page == 1 else f"{sheet} {page}")
                worksheet.write_row(0, 0, table.header, bold)
                worksheet.freeze_panes(1, 0)
                row_number = 1
            assert worksheet is not None
            for column, value in enumerate(row):
                if isinstance(value, datetime):
                    worksheet.write_datetime(row_number, column, _local(value), when)
                elif value is not None and value != "":
                    worksheet.write(row_number, column, value)
            row_number += 1
        if worksheet is None:
            worksheet = workbook.add_worksheet(sheet)
            worksheet.write_row(0, 0, table.header, bold)
        workbook.close()
        with open(path, "rb") as produced:
            while chunk := produced.read(_FILE_CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def _local(moment: datetime) -> datetime:
    """Spreadsheets have no time zones: show the city's wall clock."""
    return moment.astimezone(working_calendar().tz).replace(tzinfo=None)


FORMATS: dict[str, tuple[str, Callable[[Table], Iterable[bytes]]]] = {
    "csv": ("text/csv; charset=utf-8", lambda table: csv_chunks(table, excel_bom=True)),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        xlsx_chunks,
    ),
    "geojson": ("application/geo+json", geojson_chunks),
}

"""Exports of reports and their timelines: CSV, XLSX and GeoJSON, produced row by row.

Every export reads the database through ``.iterator(chunk_size=...)`` (a server-side cursor on
PostgreSQL) and yields encoded chunks, so a million rows neither fill memory nor wait for the
last row before the first byte leaves. XLSX cannot be written as a stream (it is a zip whose
directory comes last): xlsxwriter's ``constant_memory`` mode writes it into a temporary file
row by row, which is then streamed and removed.

Who sees what (ARCHITECTURE §2, Law 91/2025): the reporter's identity and contact details only
in the IOC staff's export (``reporter_identity_visible_to``); everyone else, leaders included,
reads the citizens' texts and internal notes with personal data masked, and staff's words for
the public (results, public notes) as written (``reports.visibility``); open data holds public
reports only, masked, and no personal field at all.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import xlsxwriter
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

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
from cityops.reports.visibility import Reader, note_shown, reader_of, shown

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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
    Column("result", "result_text"),  # the agency's public answer, as written
)
PERSONAL_COLUMNS = (
    Column("reporter_username", "reporter__username"),
    Column("reporter_name", "reporter__full_name"),  # in the Vietnamese order
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
    Column("note", "note"),  # as ``reports.visibility`` shows it to the reader: ``_notes_shown``
)
EVENT_PERSONAL_COLUMNS = (Column("actor", "actor__username"),)


# The column headers of CSV and XLSX files, in the reader's language (GeoJSON keeps the names).
HEADER_LABELS: dict[str, StrOrPromise] = {
    "id": _("ID"),
    "submitted_at": _("Submitted at"),
    "category": _("Category"),
    "status": _("Status"),
    "priority": _("Priority"),
    "channel": _("Channel"),
    "agency": _("Agency"),
    "area_code": _("Area code"),
    "area": _("Area"),
    "title": _("Title"),
    "description": _("Description"),
    "address": _("Address"),
    "lat": _("Latitude"),
    "lon": _("Longitude"),
    "due_at": _("Due at"),
    "extended_at": _("Extended at"),
    "resolved_at": _("Resolved at"),
    "closed_at": _("Closed at"),
    "rejection_reason": _("Rejection reason"),
    "duplicate_of": _("Duplicate of"),
    "result": _("Result"),
    "reporter_username": _("Reporter's username"),
    "reporter_name": _("Reporter's full name"),
    "is_anonymous": _("Anonymous"),
    "contact_name": _("Contact name"),
    "contact_phone": _("Contact phone"),
    "contact_email": _("Contact email"),
    "report": _("Report"),
    "time": _("Recorded at"),
    "kind": _("Event"),
    "from_status": _("From status"),
    "to_status": _("To status"),
    "actor_role": _("Actor's role"),
    "visibility": _("Visibility"),
    "note": _("Note"),
    "actor": _("Actor"),
}


@dataclass(frozen=True)
class Table:
    """An export's header and its rows, ready for any format; ``rows`` is consumed once.

    ``labels`` are the headers in the language active when the table is made (the request's):
    the rows are written later, by a streaming response, when no request language is active.
    """

    columns: tuple[Column, ...]
    rows: Iterator[tuple[Any, ...]]
    labels: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        labels = tuple(str(HEADER_LABELS.get(name, name)) for name in self.header)
        object.__setattr__(self, "labels", labels)

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
    reports = filters.apply(reports_visible_to(user=user), as_written=staff).order_by("pk")
    return Table(columns, _rows(reports, columns, mask=not staff))


def events_export(*, filters: ReportFilter, user: User) -> Table:
    """The timelines of the same reports, oldest event first within each report."""
    staff = reporter_identity_visible_to(user=user)
    columns = EVENT_COLUMNS + (EVENT_PERSONAL_COLUMNS if staff else ())
    reports = filters.apply(reports_visible_to(user=user), as_written=staff)
    events = ReportEvent.objects.filter(report__in=reports.values("pk")).order_by(
        "report_id", "created_at", "pk"
    )
    rows = _rows(events, columns, mask=not staff)
    return Table(columns, _notes_shown(rows, columns, reader=reader_of(user)))


def _notes_shown(
    rows: Iterator[tuple[Any, ...]], columns: Sequence[Column], *, reader: Reader
) -> Iterator[tuple[Any, ...]]:
    """Each event's note as ``reports.visibility`` shows it to ``reader``: a citizen's words and
    internal notes masked for anyone but IOC staff, staff's public words as written."""
    paths = [column.path for column in columns]
    role, visibility, note = (paths.index(path) for path in ("actor_role", "visibility", "note"))
    for row in rows:
        how = note_shown(  # readers of exports read every report: no author, no agency
            actor_role=row[role],
            visibility=row[visibility],
            author_id=None,
            agency_id=None,
            reader=reader,
        )
        yield (*row[:note], shown(row[note] or "", how), *row[note + 1 :])


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


# What a spreadsheet reads as the start of a formula (OWASP "CSV injection"): "=", "+", "-",
# "@", and tab or carriage return, which some spreadsheets skip before looking.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class FormulaLike(str):
    """Text a spreadsheet would run as a formula: each format writes it as inert text."""


def export_cells(row: Iterable[Any]) -> list[Any]:
    """A row as every export writes it, CSV and XLSX alike: no value is ""; times are the
    city's (Asia/Ho_Chi_Minh) with their offset; numbers stay numbers (-5 is a number, not a
    formula); text starting like a formula becomes ``FormulaLike``."""
    cells: list[Any] = []
    for value in row:
        if value is None:
            cells.append("")
        elif isinstance(value, datetime):
            cells.append(value.astimezone(working_calendar().tz))
        elif isinstance(value, str) and value.startswith(_FORMULA_START):
            cells.append(FormulaLike(value))
        else:
            cells.append(value)
    return cells


def _csv_text(cell: Any) -> Any:
    if isinstance(cell, FormulaLike):
        return "'" + cell  # shown as text by Excel, LibreOffice and Google Sheets
    if isinstance(cell, datetime):
        return cell.isoformat(timespec="seconds")  # 2026-10-06T09:00:00+07:00
    return cell


class _Line:
    """A file-like object that hands back what csv.writer writes, so each row is yielded."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(table: Table) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (so Excel reads Vietnamese right), a few hundred rows per chunk."""
    writer = csv.writer(_Line())
    header = [_csv_text(cell) for cell in export_cells(table.labels)]
    yield ("\ufeff" + writer.writerow(header)).encode()
    batch: list[str] = []
    for row in table.rows:
        batch.append(writer.writerow([_csv_text(cell) for cell in export_cells(row)]))
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
            name: value.astimezone(working_calendar().tz).isoformat()
            if isinstance(value, datetime)
            else value
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
        # A quote prefix keeps the cell text even when someone edits it (never a formula).
        inert = workbook.add_format({"quote_prefix": True})
        header = export_cells(table.labels)
        page, row_number, worksheet = 0, XLSX_MAX_ROWS, None
        for row in table.rows:
            if row_number >= XLSX_MAX_ROWS:
                page += 1
                worksheet = workbook.add_worksheet(sheet if page == 1 else f"{sheet} {page}")
                _xlsx_row(worksheet, 0, header, bold=bold, when=when, inert=inert)
                worksheet.freeze_panes(1, 0)
                row_number = 1
            assert worksheet is not None
            _xlsx_row(worksheet, row_number, export_cells(row), when=when, inert=inert)
            row_number += 1
        if worksheet is None:
            worksheet = workbook.add_worksheet(sheet)
            _xlsx_row(worksheet, 0, header, bold=bold, when=when, inert=inert)
        workbook.close()
        with open(path, "rb") as produced:
            while chunk := produced.read(_FILE_CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def _xlsx_row(
    worksheet: Any, number: int, cells: list[Any], *, when: Any, inert: Any, bold: Any = None
) -> None:
    """One row of ``export_cells``, each cell typed: never ``write()``, which turns text
    starting with "=" into a formula."""
    for column, cell in enumerate(cells):
        if isinstance(cell, datetime):
            # Spreadsheets have no time zones: the city's wall clock.
            worksheet.write_datetime(number, column, cell.replace(tzinfo=None), when)
        elif isinstance(cell, bool):
            worksheet.write_boolean(number, column, cell, bold)
        elif isinstance(cell, int | float):
            worksheet.write_number(number, column, cell, bold)
        elif isinstance(cell, FormulaLike):
            worksheet.write_string(number, column, cell, inert)
        elif cell != "":
            worksheet.write_string(number, column, str(cell), bold)


FORMATS: dict[str, tuple[str, Callable[[Table], Iterable[bytes]]]] = {
    "csv": ("text/csv; charset=utf-8", csv_chunks),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        xlsx_chunks,
    ),
    "geojson": ("application/geo+json", geojson_chunks),
}

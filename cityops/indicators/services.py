"""Writes of the indicators app: an upload of figures (a file, or an API's answer), row by row.

Rows that pass every check become ``Value`` rows pointing at the upload and their row number;
the others are listed in the upload's ``errors``, one entry per row with every problem it has.
Figures are never changed afterwards: a later upload for the same period and area adds rows, and
its figures become the current ones."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityops.agencies.models import Agency, Area
from cityops.indicators import importing
from cityops.indicators.choices import Source
from cityops.indicators.importing import BadNumber, ImportRefused, RawRow
from cityops.indicators.models import Indicator, Upload, Value
from cityops.indicators.periods import BadPeriod, period_label, period_parse
from cityops.platform import clock

READERS = {
    Source.CSV: importing.rows_from_csv,
    Source.XLSX: importing.rows_from_xlsx,
    Source.HTTP: importing.rows_from_json,
}


def _text(cell: Any) -> str:
    if isinstance(cell, float) and cell == int(cell):
        cell = int(cell)  # a spreadsheet's number cell holding a code
    return "" if cell is None else str(cell).strip()


def _area(cell: Any, areas: dict[str, Area]) -> tuple[Area | None, bool]:
    """The area a cell names (None: the whole province), and whether the code is known."""
    code = _text(cell)
    if not code:
        return None, True
    area = areas.get(code) or (areas.get(code.zfill(5)) if code.isdigit() else None)
    return area, area is not None


def _check(
    raw: RawRow,
    *,
    indicators: dict[str, Indicator],
    areas: dict[str, Area],
    seen: dict[tuple[int, date, int | None], int],
    today: date,
    department: Agency | None,
) -> tuple[Value | None, list[str]]:
    problems: list[str] = []
    code = _text(raw.indicator)
    indicator = indicators.get(code.lower())
    if indicator is None:
        problems.append(
            _("unknown indicator “%s”") % code if code else _("the indicator is missing")
        )
    elif department is not None and indicator.department_id != department.pk:
        problems.append(_("the indicator “%s” belongs to another department") % code)
    area, known = _area(raw.area, areas)
    if not known:
        problems.append(_("unknown area code “%s”") % _text(raw.area))
    period = None
    if indicator is not None:
        try:
            period = period_parse(raw.period, indicator.frequency)
        except BadPeriod:
            problems.append(
                _("the period “%(period)s” is not a %(frequency)s period (e.g. %(example)s)")
                % {
                    "period": _text(raw.period),
                    "frequency": indicator.get_frequency_display().lower(),
                    "example": period_label(date(2025, 7, 1), indicator.frequency),
                }
            )
        else:
            if period > today:
                problems.append(_("the period %s has not begun") % _text(raw.period))
    try:
        number = importing.number_parse(raw.value)
    except BadNumber as error:
        number = None
        if str(error) == "ambiguous":
            problems.append(
                _("the value “%s” is ambiguous: write 1234 for a thousands figure or 1,234 for a "
                  "decimal one") % _text(raw.value)
            )  # fmt: skip
        else:
            problems.append(_("the value “%s” is not a number") % _text(raw.value))
    if indicator is not None and period is not None and known:
        key = (indicator.pk, period, area.pk if area else None)
        if key in seen:
            problems.append(_("the same indicator, period and area as row %d") % seen[key])
        else:
            seen[key] = raw.number
    if problems or indicator is None or period is None or number is None:
        return None, problems
    return Value(indicator=indicator, period=period, area=area, value=number, row=raw.number), []


def _safe_name(name: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    return base.strip("-.")[:100] or "upload"


@transaction.atomic
def upload_import(
    *,
    source: Source,
    content: bytes,
    actor: Any | None,
    file_name: str = "",
    url: str = "",
    department: Agency | None = None,
) -> Upload:
    """Read ``content`` (a CSV file, a workbook or an API's JSON), keep its good rows as figures
    and list the others; raises ``ImportRefused`` when nothing in it can be read as rows.

    With a ``department`` (an agency's staff uploading), rows of another department's
    indicators are refused."""
    if len(content) > importing.MAX_FILE_BYTES:
        raise ImportRefused(
            _("The file is larger than %d MB.") % (importing.MAX_FILE_BYTES // (1024 * 1024))
        )
    rows = READERS[Source(source)](content)
    if not rows:
        raise ImportRefused(_("The file has no rows of figures under its header."))
    indicators = {indicator.code.lower(): indicator for indicator in Indicator.objects.all()}
    areas = {area.code: area for area in Area.objects.only("pk", "code", "name")}
    today = timezone.localdate(clock.now())
    seen: dict[tuple[int, date, int | None], int] = {}
    values: list[Value] = []
    errors: list[dict[str, Any]] = []
    for raw in rows:
        value, problems = _check(
            raw, indicators=indicators, areas=areas, seen=seen, today=today, department=department
        )
        if value is not None:
            values.append(value)
        else:
            errors.append({"row": raw.number, "message": "; ".join(problems)})
    upload = Upload.objects.create(
        source=source,
        file_name=file_name[:255],
        url=url[:500],
        sha256=hashlib.sha256(content).hexdigest(),
        rows_total=len(rows),
        rows_accepted=len(values),
        errors=errors,
        uploaded_by=actor,
    )
    if source != Source.HTTP:
        upload.file.save(_safe_name(file_name or f"upload.{source}"), ContentFile(content))
    for value in values:
        value.upload = upload
    Value.objects.bulk_create(values)
    return upload


def upload_fetch(*, url: str, actor: Any | None, department: Agency | None = None) -> Upload:
    """Import the rows an HTTP API answers at ``url`` (JSON, the same four columns)."""
    content = importing.json_fetch(url)
    return upload_import(
        source=Source.HTTP, content=content, actor=actor, url=url, department=department
    )

"""Reading figures from a CSV file, an Excel workbook or an HTTP API into plain rows.

Every source gives the same four columns: the indicator's code, the period (``2025``,
``2025-Q3``, ``2025-07`` or a date), the area's national code (empty: the whole province) and
the value. Checking the rows against the registry is ``services.upload_import``'s business;
here a file is only read, or refused whole when it cannot be read at all."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

import requests
from django.utils.translation import gettext as _

from cityops.platform.errors import InvalidInput

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
CONNECT_TIMEOUT, READ_TIMEOUT = 5.0, 20.0

COLUMNS = ("indicator", "period", "area", "value")
# Header names a department may use, folded (lower case, no diacritics, "_" for spaces).
ALIASES = {
    "indicator": "indicator",
    "indicator_code": "indicator",
    "code": "indicator",
    "chi_tieu": "indicator",
    "ma_chi_tieu": "indicator",
    "period": "period",
    "ky": "period",
    "ky_bao_cao": "period",
    "area": "area",
    "area_code": "area",
    "dia_ban": "area",
    "ma_dia_ban": "area",
    "ma_xa": "area",
    "value": "value",
    "gia_tri": "value",
    "so_lieu": "value",
}


class ImportRefused(InvalidInput):
    """The whole file or answer cannot be read (not its rows: those are refused one by one)."""

    code = "import_refused"


@dataclass(frozen=True)
class RawRow:
    """A row as read: ``number`` is the line in the file (the header is 1), or the position
    in the API's list (from 1)."""

    number: int
    indicator: Any
    period: Any
    area: Any
    value: Any


def _fold(text: object) -> str:
    plain = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "d")
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def _columns(header: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        column = ALIASES.get(_fold(name))
        if column and column not in found:
            found[column] = index
    missing = [column for column in COLUMNS if column not in found]
    if missing:
        raise ImportRefused(
            _("The first row must name the columns indicator, period, area and value; missing: %s.")
            % ", ".join(missing)
        )
    return found


def _rows(table: list[list[Any]]) -> list[RawRow]:
    if not table:
        raise ImportRefused(_("The file is empty."))
    columns = _columns(table[0])
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue  # blank lines are no rows
        cell = {
            column: cells[index] if index < len(cells) else None
            for column, index in columns.items()
        }
        rows.append(RawRow(number, cell["indicator"], cell["period"], cell["area"], cell["value"]))
    if len(rows) > MAX_ROWS:
        raise ImportRefused(_("The file has more than %d rows; split it.") % MAX_ROWS)
    return rows


def rows_from_csv(content: bytes) -> list[RawRow]:
    """A UTF-8 CSV file (with or without a byte-order mark), commas or semicolons."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_("The CSV file is not in UTF-8: save it as “CSV UTF-8”.")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return _rows([list(cells) for cells in csv.reader(io.StringIO(text), delimiter=delimiter)])


def rows_from_xlsx(content: bytes) -> list[RawRow]:
    """The first sheet of an Excel workbook (.xlsx), read only."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        raise ImportRefused(_("The file is not an Excel workbook (.xlsx).")) from None
    try:
        sheet = workbook.worksheets[0]
        table = []
        for cells in sheet.iter_rows(values_only=True):
            table.append(list(cells))
            if len(table) > MAX_ROWS + 1:
                break
    finally:
        workbook.close()
    return _rows(table)


def rows_from_json(content: bytes) -> list[RawRow]:
    """An API's answer: a list of objects with the four keys, or ``{"rows": [...]}``."""
    try:
        data = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportRefused(_("The answer is not JSON.")) from None
    if isinstance(data, dict):
        data = data.get("rows")
    if not isinstance(data, list):
        raise ImportRefused(_("The answer must be a list of rows (or an object with “rows”)."))
    if len(data) > MAX_ROWS:
        raise ImportRefused(_("The answer has more than %d rows.") % MAX_ROWS)
    rows = []
    for number, item in enumerate(data, start=1):
        item = item if isinstance(item, dict) else {}
        named = {ALIASES.get(_fold(key)): value for key, value in item.items()}
        rows.append(
            RawRow(
                number,
                named.get("indicator"),
                named.get("period"),
                named.get("area"),
                named.get("value"),
            )
        )
    return rows


def json_fetch(url: str, *, max_bytes: int | None = None) -> bytes:
    """The body at ``url``, read no further than ``max_bytes`` (default ``MAX_FILE_BYTES``);
    ``ImportRefused`` otherwise."""
    max_bytes = max_bytes or MAX_FILE_BYTES
    if not url.startswith(("https://", "http://")):
        raise ImportRefused(_("The address must start with http:// or https://."))
    try:
        with requests.get(
            url,
            stream=True,
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
            headers={"Accept": "application/json"},
        ) as answer:
            if answer.status_code != 200:
                raise ImportRefused(_("The API answered HTTP %d.") % answer.status_code)
            length = answer.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise ImportRefused(_("The API's answer is too large."))
            data = bytearray()
            for chunk in answer.iter_content(64 * 1024):
                data += chunk
                if len(data) > max_bytes:
                    raise ImportRefused(_("The API's answer is too large."))
            return bytes(data)
    except requests.RequestException as error:
        raise ImportRefused(
            _("The API could not be reached (%s).") % type(error).__name__
        ) from None


class BadNumber(ValueError):
    pass


_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def number_parse(value: object) -> float:
    """A figure from a cell: a number, or text in Vietnamese (``93,41``, ``1.234.567,5``) or
    English (``93.41``, ``1,234,567.5``) notation.

    One separator followed by exactly three digits (``1.234``, ``93,410``) could be either a
    decimal or a thousands separator: such a figure is refused rather than guessed."""
    if isinstance(value, bool):
        raise BadNumber("a yes/no cell")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value or "").strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
        if not text:
            raise BadNumber("empty")
        sign = ""
        if text[0] in "+-":
            sign, text = text[0], text[1:]
        if not re.fullmatch(r"[\d.,]+", text) or not text[0].isdigit():
            raise BadNumber("not a number")
        dots, commas = text.count("."), text.count(",")
        if dots and commas:
            decimal = "." if text.rfind(".") > text.rfind(",") else ","
            whole, _sep, fraction = text.rpartition(decimal)
            if decimal in whole or not (_GROUPED.match(whole) or whole.isdigit()):
                raise BadNumber("misplaced separators")
            whole = re.sub(r"[.,]", "", whole)
            text = f"{whole}.{fraction}"
        elif dots + commas == 1:
            whole, _sep, fraction = text.partition("." if dots else ",")
            if len(fraction) == 3 and whole != "0":
                raise BadNumber("ambiguous")
            text = f"{whole}.{fraction}"
        elif dots + commas > 1:
            if not _GROUPED.match(text):
                raise BadNumber("misplaced separators")
            text = re.sub(r"[.,]", "", text)
        try:
            number = float(sign + text)
        except ValueError:
            raise BadNumber("not a number") from None
    if not math.isfinite(number):
        raise BadNumber("not finite")
    return number

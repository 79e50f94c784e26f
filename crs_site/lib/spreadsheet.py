"""Cells of the CSV and Excel files people open in a spreadsheet: one rule against formula
injection, and the download of a table in either format."""

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

import tablib
from django.http import HttpResponse
from django.utils import timezone

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Return a value as a CSV cell that no spreadsheet will run as a formula.

    Numbers are written as numbers (so -3.5 stays a number); only text is escaped, with a
    leading apostrophe, which spreadsheets hide.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # 75, as a spreadsheet writes it, rather than 75.0.
        return str(int(value))
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


# ---- downloads of a table: CSV and Excel from one list of rows -----------------------------

EXPORT_FORMATS = ("csv", "xlsx")
_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def spreadsheet_value(value):
    """Return a value as an Excel cell keeps it: numbers as numbers, dates as dates.

    Text goes through the same rule as a CSV cell (csv_cell), so no format runs a formula.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        # Excel has no time zones: the organisation's local time, as the pages show it.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, int | float | dt.date):
        return value
    return csv_cell(str(value))


def table_download(
    *, file_format: str, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """Return a table as a CSV (UTF-8 with a BOM, so Excel reads Latvian and Cyrillic names)
    or an .xlsx file with real numbers and dates; `headers` are translated, units included."""
    if file_format not in EXPORT_FORMATS:
        raise ValueError(f"No export format {file_format!r}.")
    dataset = tablib.Dataset(headers=[str(header) for header in headers], title=title[:31])
    for row in rows:
        if file_format == "csv":
            dataset.append([csv_cell(_csv_plain(value)) for value in row])
        else:
            dataset.append([spreadsheet_value(value) for value in row])
    if file_format == "csv":
        content: bytes = "\ufeff".encode() + dataset.export("csv").encode("utf-8")
    else:
        content = dataset.export("xlsx")
    response = HttpResponse(content, content_type=_CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


def _csv_plain(value):
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value

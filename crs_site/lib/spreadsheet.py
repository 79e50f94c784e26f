"""Cells of the CSV and Excel files people open in a spreadsheet: one rule against formula
injection, and the download of a table in either format."""

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import tablib
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from crs_site.lib.quantities import unit_label

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
# A download holds at most this many rows (the first ones in the page's order): a file is built
# in memory, and a spreadsheet past this is no longer read by a person. A capped file says so in
# its name ("…-first-20000.csv"); the page's filters narrow a longer list.
EXPORT_MAX_ROWS = 20_000
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
    or an .xlsx file with real numbers and dates; `headers` are translated, units included.

    At most EXPORT_MAX_ROWS rows: past that the file name ends "-first-<cap>"."""
    if file_format not in EXPORT_FORMATS:
        raise ValueError(f"No export format {file_format!r}.")
    dataset = tablib.Dataset(headers=[str(header) for header in headers], title=title[:31])
    for count, row in enumerate(itertools.islice(rows, EXPORT_MAX_ROWS + 1)):
        if count == EXPORT_MAX_ROWS:
            filename = f"{filename}-first-{EXPORT_MAX_ROWS}"
            break
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


# ---- the list pages' downloads: one way to ask, one way to describe the columns -------------


def export_format(request: HttpRequest) -> str | None:
    """Return the format a list page is asked to download (`?format=csv|xlsx`), or None."""
    file_format = request.GET.get("format")
    return file_format if file_format in EXPORT_FORMATS else None


def with_unit(header, unit: str) -> str:
    """Return a column heading with its unit, "Total (points)": the cells are plain numbers."""
    return f"{header} ({unit_label(unit)})"


@dataclass(frozen=True)
class Column:
    """One column of a download: its translated heading (with the unit, if any) and the cell
    of one item, a number, date or text as `spreadsheet_value` keeps it."""

    header: Any
    value: Callable[[Any], Any]


def columns_download(
    *,
    file_format: str,
    name: str,
    title: Any,
    columns: Sequence[Column],
    items: Iterable[Any],
    dated: bool = True,
) -> HttpResponse:
    """Return the items of a list page, all pages of it in the page's order, as CSV or Excel.

    `items` is what the page lists (its filters, search, sort and the user's visibility
    applied); `name` starts the file name and today's date ends it (unless `dated` is False,
    for a name that has its period already).
    """
    if isinstance(items, QuerySet):
        # One row past the cap tells table_download that the list was longer.
        items = items[: EXPORT_MAX_ROWS + 1]
    return table_download(
        file_format=file_format,
        filename=f"{name}-{timezone.localdate().isoformat()}" if dated else name,
        title=str(title),
        headers=[column.header for column in columns],
        rows=([column.value(item) for column in columns] for item in items),
    )

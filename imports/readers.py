"""Reading an uploaded table row by row: CSV with the standard `csv` module, Excel with openpyxl.

Both stream: a CSV is read line by line from its file, an .xlsx sheet through openpyxl's
read-only mode, which parses the sheet's XML as it goes instead of building the workbook in
memory. Memory stays flat in the file's size (BENCHMARKS.md). tablib and django-import-export
were not used for this reason: both load the whole data set before the first row is seen.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

EXCEL_SUFFIXES = (".xlsx",)
CSV_SUFFIXES = (".csv", ".txt")
# A row whose cells are all empty is skipped; a header must name its columns.
_SNIFF_BYTES = 64 * 1024


class TableUnreadable(ValueError):
    """The file is not a table this reader can read; the message says why, for the user."""


@dataclass
class Table:
    headers: list[str]
    # (row number in the file, counting the header as row 1; the row's cells)
    rows: Iterator[tuple[int, list[Any]]]


def is_excel(name: str) -> bool:
    return name.lower().endswith(EXCEL_SUFFIXES)


def _headers(cells: list[Any] | tuple[Any, ...] | None) -> list[str]:
    if not cells:
        raise TableUnreadable(_("The file is empty: its first row must name the columns."))
    headers = ["" if cell is None else str(cell).strip() for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise TableUnreadable(_("The file is empty: its first row must name the columns."))
    if "" in headers:
        raise TableUnreadable(
            _("Column %(number)d has no name in the first row.") % {"number": headers.index("") + 1}
        )
    seen: set[str] = set()
    for header in headers:
        if header in seen:
            raise TableUnreadable(
                _("Two columns are named “%(name)s”; name each column once.") % {"name": header}
            )
        seen.add(header)
    return headers


def _is_blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _numbered(rows, width: int) -> Iterator[tuple[int, list[Any]]]:
    for number, cells in enumerate(rows, start=2):
        if _is_blank(cells):
            continue
        cells = list(cells[:width])
        cells.extend([None] * (width - len(cells)))
        yield number, cells


def _csv_text(binary: IO[bytes]) -> io.TextIOWrapper:
    # utf-8-sig drops the byte-order mark spreadsheets put at the start of a UTF-8 CSV.
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def _csv_dialect(text: io.TextIOWrapper) -> type[csv.Dialect] | csv.Dialect:
    sample = text.read(_SNIFF_BYTES)
    text.seek(0)
    try:
        # Excel in much of Europe writes `;` between cells, because `,` is the decimal mark.
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


@contextmanager
def _csv_table(binary: IO[bytes]) -> Iterator[Table]:
    text = _csv_text(binary)
    try:
        reader = csv.reader(text, dialect=_csv_dialect(text))
        headers = _headers(next(reader, None))
        yield Table(headers=headers, rows=_numbered(reader, len(headers)))
    except UnicodeDecodeError as exc:
        raise TableUnreadable(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        ) from exc
    except csv.Error as exc:
        raise TableUnreadable(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    finally:
        text.detach()


@contextmanager
def _excel_table(binary: IO[bytes]) -> Iterator[Table]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise TableUnreadable(
            _("The file is not an Excel workbook (.xlsx). Save it as .xlsx or CSV.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        headers = _headers(next(rows, None))
        yield Table(headers=headers, rows=_numbered(rows, len(headers)))
    finally:
        workbook.close()


@contextmanager
def table_open(binary: IO[bytes], *, name: str) -> Iterator[Table]:
    """Open the uploaded file as a table of its first sheet; TableUnreadable says what is wrong."""
    binary.seek(0)
    opener = _excel_table if is_excel(name) else _csv_table
    with opener(binary) as table:
        yield table

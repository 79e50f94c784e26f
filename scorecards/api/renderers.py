"""CSV output and cursor pagination for the score endpoints."""

import csv
import io

from rest_framework.pagination import CursorPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Return a value as a CSV cell that no spreadsheet will run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # 75, as a spreadsheet writes it, rather than 75.0.
        return str(int(value))
    text = str(value)
    # Numbers are written as numbers: only text is escaped, so "-3.5" stays a number.
    if isinstance(value, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _flatten(row: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, prefix=f"{name}."))
        else:
            flat[name] = value
    return flat


class CsvRenderer(BaseRenderer):
    """Render a list of rows (or a page of them) as CSV, one column per nested field."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict):
            # A page renders its rows.
            data = data.get("results", [data])
        rows = [_flatten(row) for row in data]
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(row))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([csv_cell(column) for column in columns])
        for row in rows:
            writer.writerow([csv_cell(row.get(column)) for column in columns])
        return buffer.getvalue().encode(self.charset)


class JSONText(str):
    """A page's results already encoded as a JSON array (by the database), sent as they are."""


_RESULTS = "\u0000results\u0000"


class PageJSONRenderer(JSONRenderer):
    """JSON, taking a page whose results are `JSONText` without encoding them again."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, JSONText):
            return super().render(data, accepted_media_type, renderer_context)
        envelope = super().render(
            {**data, "results": _RESULTS}, accepted_media_type, renderer_context
        )
        placeholder = super().render(_RESULTS, accepted_media_type, renderer_context)
        return envelope.replace(placeholder, results.encode(), 1)


class DayCursorPagination(CursorPagination):
    """Page through long date ranges by (date, id) without counting the rows."""

    ordering = ("day", "id")
    page_size = 500
    page_size_query_param = "page_size"
    max_page_size = 5000

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # CSV has no room for the next link, so it travels in a Link header for every format.
        next_link = self.get_next_link()
        if next_link:
            response["Link"] = f'<{next_link}>; rel="next"'
        return response

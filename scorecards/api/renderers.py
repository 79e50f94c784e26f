"""JSON with pre-encoded parts, CSV output and cursor pagination for the score endpoints."""

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator

import orjson
from django.db.models import Q
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.serializers import Serializer
from rest_framework.utils.encoders import JSONEncoder as DRFJSONEncoder

from crs_site.lib.spreadsheet import csv_cell
from staff.filtersets import MAX_ID


class PreEncoded:
    """A part of a response that is JSON text already (a score row's `api_metrics`).

    `PreEncodedJSONRenderer` writes it into the document as it is; `flatten` (CSV) decodes it.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def decoded(self):
        return json.loads(self.text)


def _decoded(data):
    """Return the data with every `PreEncoded` part decoded (the plain path)."""
    if isinstance(data, PreEncoded):
        return data.decoded()
    if isinstance(data, dict):
        return {key: _decoded(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_decoded(value) for value in data]
    return data


_drf_default = DRFJSONEncoder().default


def _default(o):
    if isinstance(o, PreEncoded):
        return orjson.Fragment(o.text)
    # What orjson leaves to us (dates and times, Decimals, lazy strings...) is encoded as DRF
    # encodes it.
    return _drf_default(o)


# orjson hands these to `_default` rather than writing them its own way.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
# DRF escapes the two JavaScript line separators, which JSON itself allows unescaped.
_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class PreEncodedJSONRenderer(JSONRenderer):
    """DRF's JSON document, written by orjson with each `PreEncoded` part's text in place.

    The score pages' fast path (docs/PERFORMANCE.md, "API score pages"): a page of 100 rows
    carries 2,000 figures the engine wrote as JSON when it computed the rows; decoding and
    encoding them again took most of a request, and DRF's encoder took a tenth of what was left.
    orjson writes the same bytes as DRF's compact UTF-8 JSON for what these pages hold (a float
    past them, such as 1e-07, it spells 1e-7: the same number); whatever
    it would write differently (an indent asked for, settings other than DRF's defaults, a value
    it refuses) takes the plain path: the parts decoded and DRF's own renderer.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if indent is None and self.compact and not self.ensure_ascii:
            try:
                rendered = orjson.dumps(data, default=_default, option=_ORJSON_OPTIONS)
            except orjson.JSONEncodeError:
                pass
            else:
                for raw, escaped in _LINE_SEPARATORS:
                    if raw in rendered:
                        rendered = rendered.replace(raw, escaped)
                return rendered
        return super().render(_decoded(data), accepted_media_type, renderer_context)


def flatten(row: dict, prefix: str = "") -> dict:
    """Return a nested row as one level, its keys joined by dots (`metrics.fcr.score`)."""
    flat = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, PreEncoded):
            value = value.decoded()
        if isinstance(value, dict):
            flat.update(flatten(value, prefix=f"{name}."))
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
        rows = [flatten(row) for row in data]
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(row))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([csv_cell(column) for column in columns])
        for row in rows:
            writer.writerow([csv_cell(row.get(column)) for column in columns])
        return buffer.getvalue().encode(self.charset)


def csv_columns(serializer: Serializer, prefix: str = "") -> list[str]:
    """Return the flattened column names of the serializer's rows, in its field order."""
    columns = []
    for name, field in serializer.fields.items():
        if isinstance(field, Serializer):
            columns += csv_columns(field, prefix=f"{prefix}{name}.")
        else:
            columns.append(f"{prefix}{name}")
    return columns


def csv_lines(*, columns: list[str], rows: Iterable[dict], batch: int = 500) -> Iterator[bytes]:
    """Yield the header and then the flat rows as UTF-8 CSV, a batch of lines at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(column) for column in columns])
    for written, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(row.get(column)) for column in columns])
        # Whole batches rather than single lines: a server writes each yielded piece apart.
        if written % batch == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


def rows_after(queryset, *, day: dt.date, pk: int):
    """Return the queryset's rows that come after (day, pk) in (day, id) order."""
    # The plain bound on the day lets the (day, id) index start at the position.
    return queryset.filter(Q(day__gt=day) | Q(day=day, id__gt=pk), day__gte=day)


class DayCursorPagination(CursorPagination):
    """Page through long date ranges by (date, id) without counting the rows.

    The cursor holds the (date, id) of the row a page ended at, and the next page starts right
    after it in the order of the (day, id) index: a page costs the same wherever it is in the
    range. DRF's own cursor keeps only the date and counts rows of the same day as an offset,
    which with a thousand rows a day walks and compares every row of the page a few times over.
    """

    ordering = ("day", "id")
    page_size = 500
    page_size_query_param = "page_size"
    max_page_size = 5000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.cursor = self.decode_cursor(request)
        reverse = self.cursor is not None and self.cursor.reverse
        after = None if self.cursor is None else self._key(self.cursor.position)
        if reverse:
            queryset = queryset.order_by("-day", "-id")
            if after is not None:
                day, pk = after
                # The plain bound on the day lets the index start at the cursor.
                queryset = queryset.filter(Q(day__lt=day) | Q(day=day, id__lt=pk), day__lte=day)
        else:
            queryset = queryset.order_by("day", "id")
            if after is not None:
                day, pk = after
                queryset = rows_after(queryset, day=day, pk=pk)
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        if reverse:
            self.page.reverse()
        # Coming back (reverse) from a cursor, there are rows after this page by definition.
        self.has_next = more if not reverse else after is not None
        self.has_previous = after is not None if not reverse else more
        self.next_position = self.previous_position = None
        if self.page:
            self.previous_position, self.next_position = (
                self._position(self.page[0]),
                self._position(self.page[-1]),
            )
        elif self.cursor is not None:
            # An empty page (its rows were deleted): both links lead on from the cursor.
            self.previous_position = self.next_position = self.cursor.position
        return self.page

    def get_next_link(self):
        if not self.has_next:
            return None
        return self.encode_cursor(Cursor(offset=0, reverse=False, position=self.next_position))

    def get_previous_link(self):
        if not self.has_previous:
            return None
        return self.encode_cursor(Cursor(offset=0, reverse=True, position=self.previous_position))

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # CSV has no room for the next link, so it travels in a Link header for every format.
        next_link = response.data["next"]
        if next_link:
            response["Link"] = f'<{next_link}>; rel="next"'
        return response

    @staticmethod
    def _position(row: dict) -> str:
        # The views page through values("id", "day").
        return f"{row['day'].isoformat()}.{row['id']}"

    def _key(self, position: str | None) -> tuple[dt.date, int]:
        try:
            day, pk = (position or "").split(".")
            key = dt.date.fromisoformat(day), int(pk)
        except ValueError:
            key = None
        # An id the database could not compare (past bigint) is as invalid as text.
        if key is None or not 0 < key[1] <= MAX_ID:
            raise NotFound(self.invalid_cursor_message)
        return key

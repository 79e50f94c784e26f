"""JSON with pre-encoded parts, CSV output and cursor pagination for the score endpoints."""

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator

from django.db.models import Q
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.serializers import Serializer

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


# Where a pre-encoded part goes: a string no value can hold (PostgreSQL text has no NUL).
_PLACE = re.compile(rb'"\\u0000(\d+)\\u0000"')


class PreEncodedJSONRenderer(JSONRenderer):
    """DRF's JSON renderer, writing each `PreEncoded` part's text in place without decoding it.

    The score pages' fast path (docs/PERFORMANCE.md, "API score pages"): a page of 100 rows
    carries 2,000 figures the engine wrote as JSON when it computed the rows; decoding and
    encoding them again took most of a request. Every other value goes through DRF's encoder.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        parts: list[bytes] = []
        encoder_class = self.encoder_class

        class Encoder(encoder_class):  # type: ignore[valid-type,misc]
            def default(self, o):
                if isinstance(o, PreEncoded):
                    parts.append(o.text.encode())
                    return f"\0{len(parts) - 1}\0"
                return super().default(o)

        self.encoder_class = Encoder
        try:
            rendered = super().render(data, accepted_media_type, renderer_context)
        finally:
            self.encoder_class = encoder_class
        if not parts:
            return rendered
        return _PLACE.sub(lambda match: parts[int(match[1])], rendered)


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


def rows_between(queryset, *, first: tuple[dt.date, int], last: tuple[dt.date, int]):
    """Return the queryset's rows from (day, pk) `first` to `last`, both included, in (day, id)
    order (unordered: callers order or key them)."""
    (first_day, first_pk), (last_day, last_pk) = first, last
    # The plain bounds on the day let the (day, id) index start and stop at the positions.
    return queryset.filter(
        Q(day__gt=first_day) | Q(day=first_day, id__gte=first_pk),
        Q(day__lt=last_day) | Q(day=last_day, id__lte=last_pk),
        day__gte=first_day,
        day__lte=last_day,
    )


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

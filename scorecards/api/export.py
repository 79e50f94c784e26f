"""CSV export of daily score rows: the whole filtered range, streamed in (day, id) order."""

from collections.abc import Iterator
from typing import Any

from rest_framework.serializers import Serializer

from scorecards.api.renderers import csv_columns, csv_lines, flatten, rows_after

# Rows read per query. Memory holds one chunk, whatever the length of the range.
CHUNK_ROWS = 1000


def score_rows_in_order(
    *, queryset, values: tuple[str, ...], chunk_rows: int
) -> Iterator[dict[str, Any]]:
    """Yield the queryset's rows as `values()` dicts in (day, id) order, one query per chunk."""
    # Keyset chunks rather than one server-side cursor: each query is short, holds no
    # transaction open while the client reads, works behind a transaction-pooling proxy, and
    # walks the (day, id) index as the JSON pages do. Score rows are upserted in place, so an
    # id keeps its place while the export runs.
    ordered = queryset.order_by("day", "id").values(*values)
    after = ordered
    while True:
        chunk = list(after[:chunk_rows])
        yield from chunk
        if len(chunk) < chunk_rows:
            return
        after = rows_after(ordered, day=chunk[-1]["day"], pk=chunk[-1]["id"])
        # Released before the next chunk is read, so that only one is ever held.
        del chunk


def score_rows_csv(*, queryset, values: tuple[str, ...], serializer: Serializer) -> Iterator[bytes]:
    """Yield every row of the queryset as CSV: the serializer's columns, one header line."""
    # The database is chosen now, inside the request: the rows are read while the response
    # streams, after the middleware that sends a GET's reads to the replica has returned.
    queryset = queryset.using(queryset.db)
    rows = score_rows_in_order(queryset=queryset, values=values, chunk_rows=CHUNK_ROWS)
    return csv_lines(
        columns=csv_columns(serializer),
        rows=(flatten(serializer.to_representation(row)) for row in rows),
    )

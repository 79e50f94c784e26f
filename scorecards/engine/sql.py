"""The engine's only hand-written SQL: COPY and the INSERT ... ON CONFLICT upsert of daily rows."""

import csv
import io
from collections.abc import Sequence

from django.db import IntegrityError, connection, models, transaction

from scorecards.selectors.stats import STAT_COLUMNS

# Rows per INSERT: well under PostgreSQL's 65,535 parameters with ~27 columns a row.
_SCORE_BATCH_SIZE = 1000


# A daily row's scored columns, in the order `_score_values` returns them.
_SCORE_COLUMNS = (
    "total",
    "band",
    "metric_scores",
    "is_worked",
    "is_final",
    "computed_at",
    *STAT_COLUMNS,
)


def _copy_supported() -> bool:
    return connection.vendor == "postgresql"


def _copy(*, model, columns: Sequence[str], rows: Sequence[tuple], table: str) -> None:
    """Stream the rows into the table (quoted name) with PostgreSQL's COPY, as CSV."""
    quote = connection.ops.quote_name
    data = io.StringIO()
    csv.writer(data, lineterminator="\n").writerows(rows)
    data.seek(0)
    # CSV writes None as an empty field, which COPY reads as NULL; in text columns that take
    # no NULL an empty field is the empty string.
    fields = {field.column: field for field in model._meta.concrete_fields}
    texts = [
        quote(column)
        for column in columns
        if isinstance(fields[column], models.CharField | models.TextField)
        and not fields[column].null
    ]
    not_null = f", FORCE_NOT_NULL ({', '.join(texts)})" if texts else ""
    # The driver's own cursor, wrapped so that its errors are Django's (IntegrityError).
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(map(quote, columns))}) FROM STDIN "
            f"WITH (FORMAT csv{not_null})",
            data,
        )


def _scores_upsert(
    *, model, columns: Sequence[str], rows: Sequence[tuple], unique_fields, fresh: bool = False
) -> None:
    """Insert daily score rows (tuples in `columns` order), updating them on their key.

    On PostgreSQL the rows are streamed with COPY into a temporary table and upserted from it
    with one INSERT ... SELECT: a multi-row INSERT of ~30 literals a row took a quarter of a
    backfill, mostly in the server parsing them. `fresh` says none of the rows was stored when
    the caller looked: they are then copied straight into the table, and upserted after all
    should a concurrent computation have written some meanwhile. Elsewhere (the embedded
    SQLite), plain multi-row INSERT ... ON CONFLICT statements. Call inside a transaction.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(map(quote, columns))
    update = f" ON CONFLICT ({', '.join(map(quote, unique_fields))}) DO UPDATE SET " + ", ".join(
        f"{quote(column)} = EXCLUDED.{quote(column)}"
        for column in columns
        if column not in unique_fields
    )
    if _copy_supported():
        if fresh:
            try:
                with transaction.atomic():
                    _copy(model=model, columns=columns, rows=rows, table=table)
                return
            except IntegrityError:
                pass
        incoming = quote(f"{model._meta.db_table}_incoming")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{incoming}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {incoming} ON COMMIT DROP AS "
                f"SELECT {names} FROM {table} WITH NO DATA"
            )
            _copy(model=model, columns=columns, rows=rows, table=incoming)
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {incoming}{update}")
        return
    with connection.cursor() as cursor:
        batch_size = min(_SCORE_BATCH_SIZE, connection.ops.bulk_batch_size(columns, rows))
        values = "(" + ", ".join(["%s"] * len(columns)) + ")"
        insert = f"INSERT INTO {table} ({names}) VALUES "
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            cursor.execute(
                insert + ", ".join([values] * len(batch)) + update,
                [value for row in batch for value in row],
            )

"""The engine's only hand-written SQL: daily score rows streamed by COPY and upserted on their key.

Statements are composed with the driver's SQL composition (`psycopg2.sql`): table and column
names go in as `sql.Identifier`, quoted by the driver, never pasted into a string.
"""

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.db import connection, models

# psycopg2 ships no type information: its composition is held by the engine's tests.
from psycopg2 import sql  # type: ignore[import-untyped]

from scorecards.selectors.stats import STAT_COLUMNS

# A daily row's scored columns, in the order `rows._score_values` returns them.
SCORE_COLUMNS: tuple[str, ...] = (
    "total",
    "band",
    "api_metrics",
    "is_worked",
    "is_final",
    "computed_at",
    *STAT_COLUMNS,
)
# Rows per statement on other databases: well under SQLite's bound parameters with ~30 a row.
_ORM_BATCH_SIZE = 500

Row = tuple[Any, ...]


def _copy_supported() -> bool:
    return connection.vendor == "postgresql"


def scores_upsert(
    *,
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Row],
    unique_fields: Sequence[str],
) -> None:
    """Insert daily score rows (tuples in `columns` order), updating them on their key.

    On PostgreSQL the rows are streamed with COPY into a temporary table and upserted from it
    with one INSERT ... SELECT ... ON CONFLICT: a multi-row INSERT of ~30 literals a row took a
    quarter of a backfill, mostly in the server parsing them. Elsewhere (the embedded SQLite of
    `make run`) the ORM's `bulk_create` upserts them. Call inside a transaction.
    """
    if not rows:
        return
    if _copy_supported():
        _copy_upsert(model=model, columns=columns, rows=rows, unique_fields=unique_fields)
    else:
        _orm_upsert(model=model, columns=columns, rows=rows, unique_fields=unique_fields)


def _copy_upsert(
    *,
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Row],
    unique_fields: Sequence[str],
) -> None:
    db_table = model._meta.db_table
    names = sql.SQL(", ").join(map(sql.Identifier, columns))
    table = sql.Identifier(db_table)
    incoming = sql.Identifier("pg_temp", f"{db_table}_incoming")
    updates = sql.SQL(", ").join(
        sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(column))
        for column in columns
        if column not in unique_fields
    )
    statements = (
        sql.SQL("DROP TABLE IF EXISTS {incoming}"),
        sql.SQL(
            "CREATE TEMPORARY TABLE {incoming} ON COMMIT DROP AS "
            "SELECT {names} FROM {table} WITH NO DATA"
        ),
        sql.SQL("COPY {incoming} ({names}) FROM STDIN WITH (FORMAT csv{not_null})"),
        sql.SQL(
            "INSERT INTO {table} ({names}) SELECT {names} FROM {incoming} "
            "ON CONFLICT ({keys}) DO UPDATE SET {updates}"
        ),
    )
    parts = {
        "table": table,
        "incoming": incoming,
        "names": names,
        "keys": sql.SQL(", ").join(map(sql.Identifier, unique_fields)),
        "updates": updates,
        "not_null": _not_null(model=model, columns=columns),
    }
    data = io.StringIO()
    csv.writer(data, lineterminator="\n").writerows(rows)
    data.seek(0)
    with connection.cursor() as cursor:
        drop, create, copy, insert = (
            statement.format(**parts).as_string(cursor.cursor) for statement in statements
        )
        cursor.execute(drop)
        cursor.execute(create)
        # The driver's own COPY, wrapped so that its errors are Django's (IntegrityError).
        with connection.wrap_database_errors:
            cursor.cursor.copy_expert(copy, data)
        cursor.execute(insert)


def _not_null(*, model: type[models.Model], columns: Sequence[str]) -> sql.Composable:
    """Return COPY's FORCE_NOT_NULL option for the text columns that take no NULL, if any."""
    # CSV writes None as an empty field, which COPY reads as NULL; in text columns that take
    # no NULL an empty field is the empty string.
    fields = {field.column: field for field in model._meta.concrete_fields}
    texts = [
        sql.Identifier(column)
        for column in columns
        if isinstance(fields[column], models.CharField | models.TextField)
        and not fields[column].null
    ]
    if not texts:
        return sql.SQL("")
    return sql.SQL(", FORCE_NOT_NULL ({})").format(sql.SQL(", ").join(texts))


def _orm_upsert(
    *,
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Row],
    unique_fields: Sequence[str],
) -> None:
    objects = []
    for row in rows:
        objects.append(model(**dict(zip(columns, row, strict=True))))
    model._default_manager.bulk_create(
        objects,
        batch_size=_ORM_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=list(unique_fields),
        update_fields=[column for column in columns if column not in unique_fields],
    )

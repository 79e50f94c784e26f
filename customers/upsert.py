"""The write of a checked batch of interactions: one INSERT … ON CONFLICT per batch.

A fast path for `customers.services.interactions_upsert` (docs/PERFORMANCE.md, "Interaction
upsert"): Django's bulk_create prepares each field of each row one by one (get_db_prep_save),
which costs more Python time than the whole insert costs PostgreSQL. The rows written here have
been through `interactions_upsert`'s checks, so every value already has its field's Python type
(`clean_fields` gave it, or the time checks found it exactly of that type); PostgreSQL takes
them as one typed array per column (UNNEST), as Django itself does for a plain bulk insert.
Anything else (another database, a naive time that Django would make aware with a warning)
takes bulk_create, which `tests/customers/test_upsert.py` holds equal to this path.
"""

import datetime as dt
from collections.abc import Sequence

from django.db import connection
from django.db.models import Field
from django.utils import timezone
from psycopg2 import sql

from customers.models import Interaction

BATCH_SIZE = 500


def _columns() -> list[Field]:
    return [f for f in Interaction._meta.concrete_fields if not f.primary_key]


def _is_plain(interactions: Sequence[Interaction], fields: list[Field]) -> bool:
    """True if every time is aware: a naive one is Django's to convert (with its warning)."""
    times = [f.attname for f in fields if f.get_internal_type() == "DateTimeField"]
    for interaction in interactions:
        for name in times:
            value = getattr(interaction, name)
            if isinstance(value, dt.datetime) and timezone.is_naive(value):
                return False
    return True


def _statement(fields: list[Field], update_fields: Sequence[str]) -> sql.Composed:
    by_name = {f.name: f for f in fields}
    casts = [
        sql.SQL("%s::{}[]").format(sql.SQL(f.db_type(connection).split("(")[0])) for f in fields
    ]
    return sql.SQL(
        "INSERT INTO {table} ({columns}) SELECT * FROM UNNEST({arrays}) "
        "ON CONFLICT ({keys}) DO UPDATE SET {updates} RETURNING {pk}"
    ).format(
        table=sql.Identifier(Interaction._meta.db_table),
        columns=sql.SQL(", ").join(sql.Identifier(f.column) for f in fields),
        arrays=sql.SQL(", ").join(casts),
        keys=sql.SQL(", ").join(
            sql.Identifier(by_name[name].column) for name in ("source", "external_id")
        ),
        updates=sql.SQL(", ").join(
            sql.SQL("{column} = EXCLUDED.{column}").format(
                column=sql.Identifier(by_name[name].column)
            )
            for name in update_fields
        ),
        pk=sql.Identifier(Interaction._meta.pk.column),
    )


def interactions_write(
    interactions: Sequence[Interaction], *, update_fields: Sequence[str]
) -> None:
    """Insert the interactions, or update `update_fields` of those whose (source, external_id)
    is stored; set each one's id. Written in the order given (the caller sorts by key)."""
    fields = _columns()
    if connection.vendor != "postgresql" or not _is_plain(interactions, fields):
        Interaction.objects.bulk_create(
            interactions,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["source", "external_id"],
            update_fields=update_fields,
        )
        return
    # What bulk_create's pre_save does: both stamps are now for a new row, and the update
    # sets only updated_at (created_at is not among the fields a conflict updates).
    now = timezone.now()
    for interaction in interactions:
        interaction.created_at = interaction.updated_at = now
    attnames = [f.attname for f in fields]
    alias = connection.alias
    with connection.cursor() as cursor:
        statement = _statement(fields, update_fields).as_string(cursor.cursor)
        for start in range(0, len(interactions), BATCH_SIZE):
            batch = interactions[start : start + BATCH_SIZE]
            columns = [[getattr(i, name) for i in batch] for name in attnames]
            cursor.execute(statement, columns)
            for interaction, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                interaction.pk = pk
                interaction._state.adding = False
                interaction._state.db = alias

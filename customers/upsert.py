"""The write of a checked batch of rows: one INSERT … ON CONFLICT … RETURNING per 500 rows.

A fast path for the batch upserts, `customers.services.interactions_upsert` and
`feedback.services.survey_responses_upsert` (docs/PERFORMANCE.md, "Batch upserts: one typed
array per column"): Django's bulk_create prepares each field of each row one by one
(get_db_prep_save), which costs more Python time than the whole upsert costs PostgreSQL. The rows
written here have been through their service's checks, so every value already has its field's
Python type; PostgreSQL takes them as one typed array per column (UNNEST), as Django itself does
for a plain bulk insert. Anything else (another database, a naive time that Django would make
aware with a warning) takes bulk_create, which `tests/customers/test_upsert.py` holds equal to
this path.
"""

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone
from psycopg2 import sql

BATCH_SIZE = 500

M = TypeVar("M", bound=Model)


@functools.cache
def _attnames(model: type[Model]) -> tuple[tuple[str, ...], frozenset[str]]:
    names = tuple(f.attname for f in model._meta.concrete_fields)
    return names, frozenset(names)


def instance_build(model: type[M], values: Mapping[str, Any]) -> M:
    """`model(**values)`, built from positional values when every key is a column's attname
    (`employee_id`, not `employee`): Django's keyword path looks each field up by name and
    costs three times as much, a batch's rows are built a thousand at a time. Any other key
    (a related object, a property) takes the keyword path."""
    names, known = _attnames(model)
    if not known.issuperset(values):
        return model(**values)
    return model(
        *[
            values[name] if name in values else field.get_default()
            for name, field in zip(names, model._meta.concrete_fields, strict=True)
        ]
    )


def _is_plain(objs: Sequence[Model], fields: list[Field]) -> bool:
    """True if every time is aware: a naive one is Django's to convert (with its warning)."""
    times = [f.attname for f in fields if f.get_internal_type() == "DateTimeField"]
    for obj in objs:
        for name in times:
            value = getattr(obj, name)
            if isinstance(value, dt.datetime) and timezone.is_naive(value):
                return False
    return True


def _statement(
    model: type[Model],
    fields: list[Field],
    unique_fields: Sequence[str],
    update_fields: Sequence[str],
) -> sql.Composed:
    by_name = {f.name: f for f in fields}
    return sql.SQL(
        "INSERT INTO {table} ({columns}) SELECT * FROM UNNEST({arrays}) "
        "ON CONFLICT ({keys}) DO UPDATE SET {updates} RETURNING {pk}"
    ).format(
        table=sql.Identifier(model._meta.db_table),
        columns=sql.SQL(", ").join(sql.Identifier(f.column) for f in fields),
        # As Django's own UNNEST insert: the type without its length (varchar, not varchar(40)).
        arrays=sql.SQL(", ").join(
            sql.SQL("%s::{}[]").format(sql.SQL(f.db_type(connection).split("(")[0])) for f in fields
        ),
        keys=sql.SQL(", ").join(sql.Identifier(by_name[name].column) for name in unique_fields),
        updates=sql.SQL(", ").join(
            sql.SQL("{column} = EXCLUDED.{column}").format(
                column=sql.Identifier(by_name[name].column)
            )
            for name in update_fields
        ),
        pk=sql.Identifier(model._meta.pk.column),
    )


def objects_upsert(
    model: type[Model],
    objs: Sequence[Model],
    *,
    unique_fields: Sequence[str],
    update_fields: Sequence[str],
) -> None:
    """Insert the objects, or update `update_fields` of those whose `unique_fields` are stored;
    set each one's id, as `bulk_create(update_conflicts=True)` does. Written in the order given
    (callers sort by key, so concurrent batches lock shared rows in one order)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if not objs:
        return
    if connection.vendor != "postgresql" or not _is_plain(objs, fields):
        model._default_manager.bulk_create(
            objs,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=unique_fields,
            update_fields=update_fields,
        )
        return
    # What bulk_create's pre_save does for auto_now and auto_now_add: now, for a new row; an
    # update sets only the fields the conflict updates.
    now = timezone.now()
    stamped = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for obj in objs:
        for name in stamped:
            setattr(obj, name, now)
    attnames = [f.attname for f in fields]
    alias = connection.alias
    with connection.cursor() as cursor:
        statement = _statement(model, fields, unique_fields, update_fields).as_string(cursor.cursor)
        for start in range(0, len(objs), BATCH_SIZE):
            batch = objs[start : start + BATCH_SIZE]
            cursor.execute(statement, [[getattr(o, name) for o in batch] for name in attnames])
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = alias

"""The write of a checked batch of rows: one INSERT … ON CONFLICT … RETURNING per 500 rows.

A fast path for the batch upserts, `customers.services.interactions_upsert` and
`feedback.services.survey_responses_upsert` (docs/PERFORMANCE.md, "Batch upserts: one array
literal per column"). Django's bulk_create prepares each field of each row one by one
(get_db_prep_save), and its UNNEST hands PostgreSQL one typed expression per value
(ARRAY['…'::timestamptz, …]): for a 1,000-row batch more Python time than the whole upsert costs
PostgreSQL, and as much again for the server to parse. The rows written here have been through
their service's checks, so every value already has its field's Python type; each column goes as
one array literal ('{"…","…",NULL}'::timestamptz[]), which PostgreSQL reads with the type's
own input function. Anything else (another database, a naive time that Django would make aware
with a warning, a type without an array syntax here) takes bulk_create, which
`tests/customers/test_upsert.py` holds equal to this path.
"""

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone
from psycopg2 import sql

BATCH_SIZE = 500

M = TypeVar("M", bound=Model)


# Defaults of these types are shared by every instance as they are; any other (a callable's
# fresh list, a database default) is asked of the field for each instance.
_CONSTANT_DEFAULTS = (type(None), str, int, bool)
_ASK = object()


@functools.cache
def _columns(model: type[Model]) -> tuple[tuple[str, ...], frozenset[str], tuple[Any, ...]]:
    """The model's attnames, as a tuple and a set, and each one's constant default (or _ASK)."""
    fields = model._meta.concrete_fields
    defaults = []
    for field in fields:
        default = field.get_default()
        constant = (
            not (field.has_default() and callable(field.default))
            and not field.has_db_default()
            and type(default) in _CONSTANT_DEFAULTS
        )
        defaults.append(default if constant else _ASK)
    names = tuple(f.attname for f in fields)
    return names, frozenset(names), tuple(defaults)


def instance_build(model: type[M], values: Mapping[str, Any]) -> M:
    """`model(**values)`, built from positional values when every key is a column's attname
    (`employee_id`, not `employee`): Django's keyword path looks each field up by name and asks
    each missing one for its default, three times the cost, and a batch's rows are built a
    thousand at a time. Any other key (a related object, a property) takes the keyword path."""
    names, known, defaults = _columns(model)
    if not known.issuperset(values):
        return model(**values)
    return model(
        *[
            values[name]
            if name in values
            else (field.get_default() if default is _ASK else default)
            for name, default, field in zip(
                names, defaults, model._meta.concrete_fields, strict=True
            )
        ]
    )


class _NotPlain(Exception):
    """A value this path does not write (a naive time, a type it has no array syntax for)."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _NotPlain
    if '"' in value or "\\" in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{value}"'


def _integer(value: Any) -> str:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _NotPlain
    return str(int(value))


def _boolean(value: Any) -> str:
    if type(value) is not bool:
        raise _NotPlain
    return "t" if value else "f"


def _moment(value: Any) -> str:
    # A naive time is Django's to make aware (with its warning), in the default time zone.
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise _NotPlain
    return f'"{value.isoformat()}"'


def _day(value: Any) -> str:
    if type(value) is not dt.date:
        raise _NotPlain
    return value.isoformat()


def _duration(value: Any) -> str:
    if not isinstance(value, dt.timedelta):
        raise _NotPlain
    return f'"{value.days} days {value.seconds} seconds {value.microseconds} microseconds"'


# Each column's values as one PostgreSQL array literal ('{"a","b",NULL}'), by the field's type.
_ELEMENT = {
    "CharField": _text,
    "TextField": _text,
    "SlugField": _text,
    "EmailField": _text,
    "BooleanField": _boolean,
    "DateTimeField": _moment,
    "DateField": _day,
    "DurationField": _duration,
    **dict.fromkeys(
        (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
        ),
        _integer,
    ),
}


def _element(field: Field) -> Callable[[Any], str]:
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    try:
        return _ELEMENT[target.get_internal_type()]
    except KeyError:
        raise _NotPlain from None


def _arrays(objs: Sequence[Model], fields: list[Field]) -> list[str]:
    """Each field's values in the objects as one array literal; _NotPlain if one cannot be."""
    arrays = []
    for field in fields:
        element, name = _element(field), field.attname
        values = [getattr(obj, name) for obj in objs]
        arrays.append("{" + ",".join("NULL" if v is None else element(v) for v in values) + "}")
    return arrays


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
    batches = [objs[start : start + BATCH_SIZE] for start in range(0, len(objs), BATCH_SIZE)]
    try:
        if connection.vendor != "postgresql":
            raise _NotPlain
        arrays = [_arrays(batch, fields) for batch in batches]
    except _NotPlain:
        model._default_manager.bulk_create(
            objs,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=unique_fields,
            update_fields=update_fields,
        )
        return
    alias = connection.alias
    with connection.cursor() as cursor:
        statement = _statement(model, fields, unique_fields, update_fields).as_string(cursor.cursor)
        for batch, columns in zip(batches, arrays, strict=True):
            cursor.execute(statement, columns)
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = alias

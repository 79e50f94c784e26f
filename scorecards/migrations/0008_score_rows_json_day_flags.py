"""On PostgreSQL, the functions that write daily score rows as the API's JSON documents, now
with whether the day is worked and final (0006 wrote them first).

`score_rows_json_employee(ids)` and `score_rows_json_team(ids)` return (id, document) for the
rows whose ids are given, each the same document as `ScoreRowSerializer` writes (numbers
written as PostgreSQL does: 75 or 91.30 where Python writes 75.0 or 91.3). The score API sends a page of them without decoding
them: turning 100 rows of forty figures into Decimals, dictionaries and JSON again was most of a
page's time. PL/pgSQL, so the query is planned once per connection rather than per page.

A metric added to the catalog needs a migration that replaces both functions (the API test
that compares these documents with the serializer's fails until then).
"""

from django.db import migrations

METRIC_CODES = (
    "response_sla",
    "first_response_minutes",
    "fcr",
    "resolution_hours",
    "follow_up",
    "escalation",
    "csat",
    "nps",
    "qa",
    "volume",
)


def _json_number(column: str) -> str:
    return f"COALESCE({column}, 'null')"


def _json_string(column: str) -> str:
    return f"COALESCE(to_json({column})::text, 'null')"


def _function(*, employee: bool) -> str:
    if employee:
        # As Employee.full_name: the full name, else the user name.
        name = "COALESCE(NULLIF(TRIM(u.first_name || ' ' || u.last_name), ''), u.username)"
        subject = [
            ('"type":"employee","id":%s', "s.employee_id"),
            (',"name":%s', f"to_json({name})"),
            (',"external_id":%s', _json_string("e.external_id")),
        ]
        table = "scorecards_employeedailyscore"
        people = (
            "JOIN staff_employee e ON e.id = s.employee_id JOIN auth_user u ON u.id = e.user_id"
        )
    else:
        subject = [
            ('"type":"team","id":%s', "s.team_id"),
            (',"name":%s', "to_json(t.name)"),
            (',"external_id":null', None),
        ]
        table = "scorecards_teamdailyscore"
        people = ""
    parts = [
        ('{"id":%s', "s.id"),
        (',"subject":{', None),
        *subject,
        ('},"team":%s', "to_json(t.slug)"),
        (',"date":"%s"', "to_char(s.day, 'YYYY-MM-DD')"),
        (',"scorecard":%s', "to_json(c.slug)"),
        (',"version":%s', "v.number"),
        (',"total":%s', _json_number("s.total::text")),
        (',"band":%s', "to_json(s.band)"),
        (',"is_worked":%s', "CASE WHEN s.is_worked THEN 'true' ELSE 'false' END"),
        (',"is_final":%s', "CASE WHEN s.is_final THEN 'true' ELSE 'false' END"),
        (',"metrics":{', None),
    ]
    for index, code in enumerate(METRIC_CODES):
        # Value and score are stored as numbers in JSON strings ("93.51"), written out bare.
        parts += [
            (
                f'{"," if index else ""}"{code}":{{"value":%s',
                _json_number(f"s.metric_scores->'{code}'->>'value'"),
            ),
            (',"score":%s', _json_number(f"s.metric_scores->'{code}'->>'score'")),
            # Without the stored trailing zeros: 63, not 63.0000 (as Python writes 63.0).
            (',"num":%s', f"trim_scale(s.{code}_num)"),
            (',"den":%s}', f"trim_scale(s.{code}_den)"),
        ]
    parts.append(
        (
            '},"computed_at":"%s"}',
            "to_char(s.computed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
        )
    )
    # One format() call per row: a chain of || or nested concat() made PostgreSQL resolve and
    # call a few hundred operators and functions per row.
    template = "".join(piece for piece, _value in parts)
    values = ", ".join(value for _piece, value in parts if value is not None)
    kind = "employee" if employee else "team"
    return f"""
CREATE OR REPLACE FUNCTION score_rows_json_{kind}(ids bigint[])
RETURNS TABLE (id bigint, document text) LANGUAGE plpgsql STABLE AS $fn$
BEGIN
    RETURN QUERY
    SELECT s.id::bigint, format('{template}', {values})
    FROM {table} s
    JOIN staff_team t ON t.id = s.team_id
    JOIN scorecards_scorecardversion v ON v.id = s.version_id
    JOIN scorecards_scorecard c ON c.id = v.scorecard_id
    {people}
    WHERE s.id = ANY(ids);
END $fn$
"""


FORWARD = [_function(employee=True), _function(employee=False)]


def _previous(apps, schema_editor):
    # Back to the documents without the two flags, as migration 0006 wrote them.
    from importlib import import_module

    previous = import_module("scorecards.migrations.0006_score_rows_json")
    if schema_editor.connection.vendor == "postgresql":
        for sql in previous.FORWARD:
            schema_editor.execute(sql, params=None)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0007_score_day_worked_final")]

    operations = [migrations.RunPython(_run(FORWARD), _previous)]

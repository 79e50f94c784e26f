"""Score rows carry the API's figures; the PostgreSQL functions that wrote the API's JSON go.

From here the engine writes every metric's value, score, num and den into `metric_scores` as
JSON numbers when it computes a row (`scorecards.engine.rows.metric_figures_json`), and the API
serves them through its serializer on every database. The rows stored before held only the
version's metrics, with value and score as strings ("93.51"): they are rewritten here from
those and the row's num/den columns, in the engine's form (a float's shortest form, catalogue
order). Backwards, the figures keep their new form (the old readers ignore num and den) and
the functions of migration 0008 come back.
"""

from importlib import import_module

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
_BATCH = 2000


def _number(text):
    return None if text is None else float(text)


def _figures(row) -> dict:
    stored = row.metric_scores if isinstance(row.metric_scores, dict) else {}
    figures = {}
    for code in METRIC_CODES:
        old = stored.get(code) if isinstance(stored.get(code), dict) else {}
        value, score = _number(old.get("value")), _number(old.get("score"))
        if value is None or score is None:
            value = score = None
        figures[code] = {
            "value": value,
            "score": score,
            "num": float(getattr(row, f"{code}_num")),
            "den": float(getattr(row, f"{code}_den")),
        }
    return figures


def figures_rewrite(apps, schema_editor):
    for name in ("EmployeeDailyScore", "TeamDailyScore"):
        model = apps.get_model("scorecards", name)
        rows = model.objects.using(schema_editor.connection.alias).order_by("pk")
        last = 0
        while batch := list(rows.filter(pk__gt=last)[:_BATCH]):
            for row in batch:
                row.metric_scores = _figures(row)
            model.objects.using(schema_editor.connection.alias).bulk_update(
                batch, ["metric_scores"]
            )
            last = batch[-1].pk


def functions_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS score_rows_json_employee(bigint[])")
        schema_editor.execute("DROP FUNCTION IF EXISTS score_rows_json_team(bigint[])")


def functions_restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in import_module("scorecards.migrations.0008_score_rows_json_day_flags").FORWARD:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0008_score_rows_json_day_flags")]

    operations = [
        migrations.RunPython(functions_drop, functions_restore),
        migrations.RunPython(figures_rewrite, migrations.RunPython.noop),
    ]

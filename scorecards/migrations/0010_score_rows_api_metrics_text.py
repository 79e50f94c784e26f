"""A score row's figures become the JSON text the API sends (`api_metrics`), not a jsonb value.

The engine has written every metric's figures as JSON when it computes a row since 0009; the
API decoded them from jsonb and encoded them again on every request, which took most of a page
of 100 rows. From here the text is kept as the engine wrote it and sent as it is
(`scorecards.api.serializers.row_metrics`), the same bytes on every database. The stored figures
are copied over in catalogue order, each number in the form Python's JSON writes a float, compact (as
the engine writes them now); backwards, the text is decoded into the jsonb column again.
"""

import json

from django.db import migrations, models

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
_KEYS = ("value", "score", "num", "den")


def _text(figures: dict) -> str:
    ordered = {code: figures[code] for code in METRIC_CODES if code in figures}
    ordered |= figures
    return json.dumps(
        {
            code: {key: figure.get(key) for key in _KEYS} if isinstance(figure, dict) else figure
            for code, figure in ordered.items()
        },
        separators=(",", ":"),
    )


def _copy(apps, schema_editor, *, source: str, target: str, convert) -> None:
    for name in ("EmployeeDailyScore", "TeamDailyScore"):
        model = apps.get_model("scorecards", name)
        rows = model.objects.using(schema_editor.connection.alias).order_by("pk")
        last = 0
        while batch := list(rows.filter(pk__gt=last).only("pk", source)[:_BATCH]):
            for row in batch:
                setattr(row, target, convert(getattr(row, source)))
            model.objects.using(schema_editor.connection.alias).bulk_update(batch, [target])
            last = batch[-1].pk


def figures_to_text(apps, schema_editor):
    _copy(apps, schema_editor, source="metric_scores", target="api_metrics", convert=_text)


def text_to_figures(apps, schema_editor):
    _copy(apps, schema_editor, source="api_metrics", target="metric_scores", convert=json.loads)


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0009_score_rows_figures")]

    operations = [
        migrations.AddField(
            model_name=model,
            name="api_metrics",
            field=models.TextField(blank=True, default="{}", verbose_name="metric figures (JSON)"),
        )
        for model in ("employeedailyscore", "teamdailyscore")
    ] + [
        migrations.RunPython(figures_to_text, text_to_figures),
    ] + [
        migrations.RemoveField(model_name=model, name="metric_scores")
        for model in ("employeedailyscore", "teamdailyscore")
    ]

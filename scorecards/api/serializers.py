import datetime as dt
import json

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from scorecards.api.renderers import PreEncoded
from scorecards.choices import Band
from scorecards.models import Metric, QACriterion, QASection, Scorecard, ScorecardVersion
from scorecards.selectors.stats import METRIC_CODES
from staff.bounds import ApiDayField


class MetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = Metric
        fields = [
            "code",
            "label",
            "weight",
            "target",
            "floor",
            "min_sample",
            "rule_what",
            "rule_why",
            "rule_how",
        ]


class QASectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = QASection
        fields = ["code", "label", "weight", "auto_fail"]


class QACriterionSerializer(serializers.ModelSerializer):
    section = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text=_("The code of the criterion's QA section; null when the version has none."),
    )

    class Meta:
        model = QACriterion
        fields = ["code", "label", "section", "description", "examples", "weight", "is_critical"]


class ScorecardVersionSerializer(serializers.ModelSerializer):
    metrics = MetricSerializer(many=True, read_only=True)
    qa_sections = QASectionSerializer(many=True, read_only=True)
    qa_criteria = QACriterionSerializer(many=True, read_only=True)

    class Meta:
        model = ScorecardVersion
        fields = [
            "number",
            "status",
            "effective_from",
            "published_at",
            "intro",
            "change_summary",
            "sla_minutes",
            "green_from",
            "amber_from",
            "metrics",
            "qa_sections",
            "qa_criteria",
        ]


class ScorecardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scorecard
        fields = ["id", "name", "slug", "description"]


class ScorecardDetailSerializer(ScorecardSerializer):
    version_in_force = ScorecardVersionSerializer(
        allow_null=True, read_only=True, help_text=_("Null when no version is in force yet.")
    )

    class Meta(ScorecardSerializer.Meta):
        fields = [*ScorecardSerializer.Meta.fields, "version_in_force"]


# ---- score rows ----------------------------------------------------------------------------


def _number(value) -> float | None:
    # Floats, not Decimals: JSON has only one number type, and encoding Decimals one by one
    # through the encoder's fallback is most of the cost of rendering a page.
    return None if value is None else float(value)


class MetricFigureSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text=_("Null when the metric is N/A."))
    score = serializers.FloatField(allow_null=True, help_text=_("0–100; null when N/A."))
    num = serializers.FloatField()
    den = serializers.FloatField()


MetricFiguresSerializer = type(
    "MetricFiguresSerializer",
    (serializers.Serializer,),
    {code: MetricFigureSerializer() for code in METRIC_CODES},
)


class SubjectSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["employee", "team"])
    id = serializers.IntegerField()
    name = serializers.CharField()
    external_id = serializers.CharField(allow_null=True)


def _subject(row: dict) -> dict:
    if row.get("employee_id") is not None:
        first, last = row["employee__user__first_name"], row["employee__user__last_name"]
        return {
            "type": "employee",
            "id": row["employee_id"],
            # As Employee.full_name: the full name, else the user name.
            "name": f"{first} {last}".strip() or row["employee__user__username"],
            "external_id": row["employee__external_id"],
        }
    return {"type": "team", "id": row["team_id"], "name": row["team__name"], "external_id": None}


def metric_figures(*, stats, values) -> dict:
    """Return every metric's value, score, num and den; value and score None when N/A."""
    figures = {}
    for code in METRIC_CODES:
        num, den = stats[code]
        value, score = values.get(code, (None, None))
        figures[code] = {
            "value": _number(value),
            "score": _number(score),
            "num": _number(num),
            "den": _number(den),
        }
    return figures


class ScoreRowSerializer(serializers.Serializer):
    """A subject's daily score row: total, band and every metric's figures."""

    id = serializers.IntegerField()
    subject = SubjectSerializer()
    team = serializers.SlugField()
    date = serializers.DateField()
    scorecard = serializers.SlugField()
    version = serializers.IntegerField()
    total = serializers.FloatField(allow_null=True, help_text=_("Null for a day with no data."))
    band = serializers.ChoiceField(
        choices=[*Band.values, ""], help_text=_("Empty on a day not worked or not final yet.")
    )
    is_worked = serializers.BooleanField(
        help_text=_("An interaction was opened or resolved that day: only then is there a total.")
    )
    is_final = serializers.BooleanField(
        help_text=_(
            "Every SLA deadline of the day has passed: until then the figures are so far, "
            "with no band."
        )
    )
    metrics = MetricFiguresSerializer()
    computed_at = serializers.DateTimeField()

    def to_representation(self, row):
        # Built by hand from a `values()` row (`SCORE_ROW_VALUES`): a page of rows of forty
        # figures each through model instances and field objects is several times slower.
        return {
            "id": row["id"],
            "subject": _subject(row),
            "team": row["team__slug"],
            "date": row["day"].isoformat(),
            "scorecard": row["version__scorecard__slug"],
            "version": row["version__number"],
            "total": _number(row["total"]),
            "band": row["band"],
            "is_worked": row["is_worked"],
            "is_final": row["is_final"],
            "metrics": row_metrics(row["api_metrics"]),
            "computed_at": utc_timestamp(row["computed_at"]),
        }


# The key of every metric as the engine writes it (`engine.rows.metric_figures_json`).
_METRIC_KEYS = tuple(f'"{code}":{{' for code in METRIC_CODES)

# A metric added to the catalogue after a row was computed: its new num and den columns hold 0
# until the row is computed again.
_NOT_COMPUTED = {"value": None, "score": None, "num": 0.0, "den": 0.0}


def row_metrics(text: str) -> PreEncoded | dict:
    """Return a row's metrics as the API sends them, from the JSON text the engine wrote.

    The text goes out as it is (`PreEncoded`, written in place by `PreEncodedJSONRenderer`)
    when it holds exactly the catalogue's metrics, which the engine writes in catalogue order
    in the form JSON writes floats. A row computed before the catalogue changed is decoded
    and put in catalogue order, a metric it lacks as not computed: the plain path, which
    tests hold equal to the fast one.
    """
    if text.count('"value"') == len(_METRIC_KEYS) and all(key in text for key in _METRIC_KEYS):
        return PreEncoded(text)
    stored = json.loads(text)
    return {code: _stored_figure(stored.get(code)) for code in METRIC_CODES}


def _stored_figure(figure: dict | None) -> dict:
    if figure is None:
        return dict(_NOT_COMPUTED)
    return {
        "value": figure["value"],
        "score": figure["score"],
        "num": figure["num"],
        "den": figure["den"],
    }


def utc_timestamp(moment: dt.datetime) -> str:
    """Return the moment in UTC as RFC 3339 with microseconds."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# A daily score row's own columns, for `values()`: a page reads these and takes the labels of
# its employee, team and version from scorecards.api.labels.
SCORE_ROW_COLUMNS = (
    "id",
    "day",
    "total",
    "band",
    "is_worked",
    "is_final",
    "api_metrics",
    "computed_at",
    "team_id",
    "version_id",
)
EMPLOYEE_SCORE_ROW_COLUMNS = (*SCORE_ROW_COLUMNS, "employee_id")
# The same with the labels joined, for `values()`: what `ScoreRowSerializer` is built from. The
# CSV export reads these (one query for the whole file).
SCORE_ROW_VALUES = (
    *SCORE_ROW_COLUMNS,
    "team__slug",
    "team__name",
    "version__number",
    "version__scorecard__slug",
)
EMPLOYEE_SCORE_ROW_VALUES = (
    *SCORE_ROW_VALUES,
    "employee_id",
    "employee__external_id",
    "employee__user__username",
    "employee__user__first_name",
    "employee__user__last_name",
)


class SummaryQuerySerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=["employee", "team"], default="employee")
    date_from = ApiDayField(required=False, help_text=_("Default: 29 days before date_to."))
    date_to = ApiDayField(required=False, help_text=_("Default: today."))
    team = serializers.SlugField(required=False, help_text=_("Only this team (slug)."))

    def to_internal_value(self, data):
        # DRF takes `team=` in a query string as no team given; the schema calls it invalid.
        blank = {
            name: _("This field may not be blank.") for name in self.fields if data.get(name) == ""
        }
        if blank:
            raise serializers.ValidationError(blank)
        return super().to_internal_value(data)

    def validate(self, attrs):
        date_from, date_to = attrs.get("date_from"), attrs.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise serializers.ValidationError(
                {"date_to": _("The end date is before the start date.")}
            )
        return attrs


class SummaryRowSerializer(serializers.Serializer):
    """A subject's figures pooled over the period, scored once (never an average of days)."""

    subject = SubjectSerializer()
    team = serializers.SlugField(allow_null=True)
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    days = serializers.IntegerField(help_text=_("Scored days in the period."))
    scorecard = serializers.SlugField(allow_null=True)
    version = serializers.IntegerField(allow_null=True)
    total = serializers.FloatField(allow_null=True)
    band = serializers.ChoiceField(choices=[*Band.values, ""])
    metrics = MetricFiguresSerializer()

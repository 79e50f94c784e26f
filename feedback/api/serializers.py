from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crs_site.api_schema import KnownFieldsOnly
from feedback.choices import (
    DisputeOutcome,
    ReviewAction,
    ReviewReason,
    ReviewStatus,
    SamplingRuleKind,
)
from feedback.models import SurveyResponse
from staff.bounds import ApiMomentField
from staff.choices import Language
from staff.filtersets import MAX_ID


class SurveyResponseWriteSerializer(KnownFieldsOnly, serializers.Serializer):
    """A survey answer collected by another tool, about one interaction."""

    interaction = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_(
            "The interaction's id; or send interaction_source and interaction_external_id."
        ),
    )
    interaction_source = serializers.CharField(required=False, max_length=40)
    interaction_external_id = serializers.CharField(required=False, max_length=100)
    csat = serializers.IntegerField(min_value=1, max_value=5)
    nps = serializers.IntegerField(min_value=0, max_value=10, required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    submitted_at = ApiMomentField(required=False)
    source = serializers.CharField(max_length=40, required=False, default="api")
    external_id = serializers.CharField(
        max_length=100,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("With source, makes re-sending the same answer harmless."),
    )

    def validate(self, attrs):
        by_id = "interaction" in attrs
        by_key = "interaction_external_id" in attrs
        if by_id == by_key:
            raise serializers.ValidationError(
                {
                    "interaction": _(
                        "Send either interaction or interaction_external_id (with "
                        "interaction_source)."
                    )
                }
            )
        return attrs


class SurveyResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "interaction",
            "csat",
            "nps",
            "comment",
            "language",
            "submitted_at",
            "source",
            "external_id",
        ]
        read_only_fields = fields


# ---- reads: survey responses and QA reviews --------------------------------------------------


class PersonSerializer(serializers.Serializer):
    """An employee as the API names one: id, full name and the HR system's id."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    external_id = serializers.CharField(allow_null=True)


class SurveyResponseListSerializer(SurveyResponseSerializer):
    """A survey answer with the agent whose interaction it is about."""

    agent = PersonSerializer(source="interaction.employee")

    class Meta(SurveyResponseSerializer.Meta):
        fields = [*SurveyResponseSerializer.Meta.fields, "agent"]
        read_only_fields = fields


class ReviewInteractionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()
    external_id = serializers.CharField(allow_null=True)
    subject = serializers.CharField()
    opened_at = serializers.DateTimeField()


class QARatingReadSerializer(serializers.Serializer):
    """One criterion's rating; `rating` 0–4, null for not applicable."""

    criterion = serializers.CharField(source="criterion.code", help_text=_("The criterion's code."))
    label = serializers.CharField(source="criterion.label")
    section = serializers.CharField(
        source="criterion.section.code",
        allow_null=True,
        help_text=_("The code of the criterion's section; null when the version has none."),
    )
    section_label = serializers.CharField(source="criterion.section.label", allow_null=True)
    weight = serializers.FloatField(source="criterion.weight")
    is_critical = serializers.BooleanField(source="criterion.is_critical")
    rating = serializers.IntegerField(allow_null=True, help_text=_("0–4; null for N/A."))
    comment = serializers.CharField()


# Empty until decided.
DISPUTE_OUTCOMES = [*DisputeOutcome.choices, ("", "")]


class QADisputeItemReadSerializer(serializers.Serializer):
    """One disputed criterion: the rating disputed, the one the agent proposed, the decision."""

    criterion = serializers.CharField(source="criterion.code")
    label = serializers.CharField(source="criterion.label")
    disputed_rating = serializers.IntegerField(source="original_rating", allow_null=True)
    proposed_rating = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    decision = serializers.ChoiceField(
        source="outcome",
        choices=DISPUTE_OUTCOMES,
        help_text=_("Empty until the dispute is resolved."),
    )
    decided_rating = serializers.IntegerField(
        source="resolved_rating",
        allow_null=True,
        help_text=_("The rating that stands; null until decided (or N/A)."),
    )


class QADisputeSerializer(serializers.Serializer):
    reason = serializers.CharField(source="dispute_reason")
    disputed_at = serializers.DateTimeField()
    outcome = serializers.ChoiceField(source="dispute_outcome", choices=DISPUTE_OUTCOMES)
    resolution_note = serializers.CharField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolved_by = PersonSerializer(allow_null=True)
    items = QADisputeItemReadSerializer(source="dispute_items.all", many=True)


class QAReviewEventReadSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ReviewAction.choices)
    at = serializers.DateTimeField()
    by = PersonSerializer(source="actor")
    note = serializers.CharField()
    total = serializers.FloatField(allow_null=True)


class QAReviewSerializer(serializers.Serializer):
    """A QA review with its ratings, its dispute (null if never disputed) and its history."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    reason = serializers.ChoiceField(choices=ReviewReason.choices)
    sampled_by = serializers.ChoiceField(
        choices=[*SamplingRuleKind.choices, ("", "")],
        help_text=_("The sampling rule that picked the interaction; empty for other reviews."),
    )
    interaction = ReviewInteractionSerializer()
    agent = PersonSerializer(source="interaction.employee")
    reviewer = PersonSerializer()
    scorecard = serializers.SlugField(source="version.scorecard.slug")
    version = serializers.IntegerField(source="version.number")
    total = serializers.FloatField(allow_null=True, help_text=_("0–100; null until rated."))
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    seen_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the agent marked the review read; null until then.")
    )
    ratings = QARatingReadSerializer(source="ratings.all", many=True)
    dispute = serializers.SerializerMethodField()
    events = QAReviewEventReadSerializer(source="events.all", many=True)

    @extend_schema_field(QADisputeSerializer(allow_null=True))
    def get_dispute(self, review):
        if review.disputed_at is None:
            return None
        return QADisputeSerializer(review).data


REVIEW_FILE_COLUMNS = [
    "review_id",
    "status",
    "reason",
    "sampled_by",
    "interaction_id",
    "interaction_external_id",
    "interaction_subject",
    "agent_id",
    "agent_name",
    "agent_external_id",
    "reviewer_name",
    "scorecard",
    "version",
    "total",
    "created_at",
    "published_at",
    "seen_at",
    "section",
    "criterion",
    "criterion_label",
    "weight",
    "rating",
    "rating_comment",
    "disputed_rating",
    "proposed_rating",
    "dispute_reason",
    "decision",
    "decided_rating",
]


def review_file_rows(review: dict) -> list[list]:
    """Return a serialized review as file lines: one per rated criterion, the review's columns
    repeated, with the criterion's dispute (if it was disputed) beside its rating."""
    head = [
        review["id"],
        review["status"],
        review["reason"],
        review["sampled_by"],
        review["interaction"]["id"],
        review["interaction"]["external_id"],
        review["interaction"]["subject"],
        review["agent"]["id"],
        review["agent"]["name"],
        review["agent"]["external_id"],
        review["reviewer"]["name"],
        review["scorecard"],
        review["version"],
        review["total"],
        _moment(review["created_at"]),
        _moment(review["published_at"]),
        _moment(review["seen_at"]),
    ]
    disputed = {item["criterion"]: item for item in (review["dispute"] or {}).get("items", [])}
    lines = []
    for rating in review["ratings"] or [None]:
        if rating is None:
            # A review not rated yet still has its line.
            lines.append(head + [None] * 11)
            continue
        item = disputed.get(rating["criterion"])
        lines.append(
            head
            + [
                rating["section"],
                rating["criterion"],
                rating["label"],
                rating["weight"],
                rating["rating"],
                rating["comment"],
            ]
            + (
                [
                    item["disputed_rating"],
                    item["proposed_rating"],
                    item["reason"],
                    item["decision"],
                    item["decided_rating"],
                ]
                if item
                else [None] * 5
            )
        )
    return lines


SURVEY_FILE_COLUMNS = [
    "id",
    "interaction_id",
    "agent_id",
    "agent_name",
    "agent_external_id",
    "csat",
    "nps",
    "comment",
    "language",
    "submitted_at",
    "source",
    "external_id",
]


def survey_file_row(response: dict) -> list:
    """Return a serialized survey answer as one file line."""
    return [
        response["id"],
        response["interaction"],
        response["agent"]["id"],
        response["agent"]["name"],
        response["agent"]["external_id"],
        response["csat"],
        response["nps"],
        response["comment"],
        response["language"],
        _moment(response["submitted_at"]),
        response["source"],
        response["external_id"],
    ]


def _moment(value: str | None):
    """A serialized time back as a datetime, so a spreadsheet gets a real date and time."""
    return None if value is None else parse_datetime(value)

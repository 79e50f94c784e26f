from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from crs_site.api_schema import KnownFieldsOnly
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

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from crs_site.api_auth import principal_for_request
from customers.api.serializers import API_SOURCE
from customers.models import Interaction
from feedback.api.serializers import SurveyResponseSerializer, SurveyResponseWriteSerializer
from feedback.models import SurveyResponse
from feedback.services import survey_response_create
from staff.choices import ApiScope
from staff.permissions import employees_writable, rows_visible


class SurveyResponseCreate(APIView):
    """Record a survey answer collected by another tool (CSAT 1–5, optional NPS 0–10)."""

    required_scopes = {"POST": ApiScope.FEEDBACK_WRITE}

    @extend_schema(
        request=SurveyResponseWriteSerializer,
        responses={201: SurveyResponseSerializer, 200: SurveyResponseSerializer},
        description=(
            "201 with the new answer; 200 with the stored one when the same source and "
            "external_id were sent before."
        ),
    )
    def post(self, request):
        payload = SurveyResponseWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        interactions = rows_visible(
            queryset=Interaction.objects.select_related("customer"),
            principal=principal_for_request(request),
            day_field="opened_at__date",
        )
        # Answers are written for current members only, as every other write (README).
        interactions = interactions.filter(
            employee__in=employees_writable(principal=principal_for_request(request)).values("pk")
        )
        if "interaction" in data:
            interactions = interactions.filter(pk=data.pop("interaction"))
        else:
            interactions = interactions.filter(
                source=data.pop("interaction_source", API_SOURCE),
                external_id=data.pop("interaction_external_id"),
            )
        interaction = interactions.first()
        if interaction is None:
            raise serializers.ValidationError({"interaction": _("Unknown interaction.")})
        if data["external_id"] is not None:
            stored = SurveyResponse.objects.filter(
                source=data["source"], external_id=data["external_id"]
            ).first()
            if stored is not None:
                if stored.interaction_id != interaction.pk:
                    raise serializers.ValidationError(
                        {"external_id": _("This external id is already in use.")}
                    )
                return Response(SurveyResponseSerializer(stored).data, status=status.HTTP_200_OK)
        response = survey_response_create(interaction=interaction, **data)
        return Response(SurveyResponseSerializer(response).data, status=status.HTTP_201_CREATED)

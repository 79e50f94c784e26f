from collections.abc import Callable, Iterator

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from crs_site.api_auth import principal_for_request
from crs_site.api_export import (
    FILE_FORMAT_PARAMETER,
    FILE_RENDERERS,
    api_table_download,
    wants_file,
)
from customers.api.serializers import API_SOURCE
from customers.api.views import IdCursorPagination
from customers.models import Interaction
from feedback.api.serializers import (
    REVIEW_FILE_COLUMNS,
    SURVEY_FILE_COLUMNS,
    QAReviewSerializer,
    SurveyResponseListSerializer,
    SurveyResponseSerializer,
    SurveyResponseWriteSerializer,
    review_file_rows,
    survey_file_row,
)
from feedback.filtersets import QAReviewFilter, SurveyResponseFilter
from feedback.models import SurveyResponse
from feedback.qa_selectors import reviews_for_export, reviews_visible
from feedback.services import survey_response_create
from staff.choices import ApiScope
from staff.permissions import employees_writable, rows_visible

# Rows read per query when a whole list is written to a file.
FILE_CHUNK_ROWS = 500


class NewestFirstPagination(IdCursorPagination):
    """Pages of a list, the newest row first, by a cursor on the id: rows added while a client
    pages never shift the pages."""

    ordering = "-id"


class FileListMixin:
    """A list endpoint that also answers `?format=csv` and `?format=xlsx` with the whole
    filtered list in one file: `file_name`, `file_columns` and `file_rows(item)` (a serialized
    row to the file's lines) say what goes in it."""

    renderer_classes = [JSONRenderer, *FILE_RENDERERS]
    file_name: str
    file_columns: list[str]
    file_rows: Callable[[dict], list[list]]

    def list(self, request, *args, **kwargs):
        if not wants_file(request):
            return super().list(request, *args, **kwargs)
        # Paging does not apply to a file, but a bad page size or cursor is refused as for a
        # page (the schema says so); filtered here, so a bad filter is a 400 before any file.
        self.paginator.get_page_size(request)
        self.paginator.decode_cursor(request)
        rows = self.filter_queryset(self.get_queryset()).order_by("-id")
        return api_table_download(
            request=request,
            filename=self.file_name,
            columns=self.file_columns,
            rows=self._file_lines(rows),
        )

    def _file_lines(self, rows) -> Iterator[list]:
        serializer = self.get_serializer()
        # In chunks (prefetches included): a year of rows is never all held as objects at once.
        for row in rows.iterator(chunk_size=FILE_CHUNK_ROWS):
            yield from self.file_rows(serializer.to_representation(row))


@extend_schema(parameters=[FILE_FORMAT_PARAMETER])
class QAReviewList(FileListMixin, generics.ListAPIView):
    """QA reviews with their ratings, dispute trail and history, newest first; filter by agent,
    team, the day the review was started and status. Agents see their own reviews once
    published; a reviewer also their own drafts; keys never drafts."""

    serializer_class = QAReviewSerializer
    filterset_class = QAReviewFilter
    pagination_class = NewestFirstPagination
    required_scopes = {"GET": ApiScope.QA_READ}
    file_name = "qa-reviews"
    file_columns = REVIEW_FILE_COLUMNS
    file_rows = staticmethod(review_file_rows)

    def get_queryset(self):
        return reviews_for_export(reviews_visible(principal=principal_for_request(self.request)))


class SurveyResponseList(FileListMixin, generics.ListAPIView):
    """Survey answers about the interactions of the people the caller may see, newest first;
    POST records one collected by another tool (CSAT 1–5, optional NPS 0–10)."""

    serializer_class = SurveyResponseListSerializer
    filterset_class = SurveyResponseFilter
    pagination_class = NewestFirstPagination
    required_scopes = {"GET": ApiScope.FEEDBACK_READ, "POST": ApiScope.FEEDBACK_WRITE}
    file_name = "survey-responses"
    file_columns = SURVEY_FILE_COLUMNS

    @staticmethod
    def file_rows(response: dict) -> list[list]:
        return [survey_file_row(response)]

    def get_renderers(self):
        # A write answers in JSON: only lists are written to files. (Methods the view does not
        # have keep every renderer, so that they get their 405 whatever format they name.)
        if self.request.method == "POST":
            return [JSONRenderer()]
        return super().get_renderers()

    def get_queryset(self):
        return rows_visible(
            queryset=SurveyResponse.objects.select_related("interaction__employee__user"),
            principal=principal_for_request(self.request),
            day_field="interaction__opened_at__date",
            employee_field="interaction__employee",
        )

    @extend_schema(parameters=[FILE_FORMAT_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

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

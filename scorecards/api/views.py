import datetime as dt

from django.db.models import prefetch_related_objects
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from crs_site.api_auth import principal_for_request
from crs_site.api_pagination import StrictPageSize
from scorecards.api.export import score_rows_csv
from scorecards.api.labels import score_rows_labelled
from scorecards.api.renderers import (
    CsvRenderer,
    DayCursorPagination,
    PreEncodedJSONRenderer,
)
from scorecards.api.serializers import (
    EMPLOYEE_SCORE_ROW_COLUMNS,
    EMPLOYEE_SCORE_ROW_VALUES,
    SCORE_ROW_COLUMNS,
    SCORE_ROW_VALUES,
    ScorecardDetailSerializer,
    ScorecardSerializer,
    ScorecardVersionSerializer,
    ScoreRowSerializer,
    SummaryQuerySerializer,
    SummaryRowSerializer,
    metric_figures,
)
from scorecards.choices import VersionStatus
from scorecards.filtersets import EmployeeDailyScoreFilter, TeamDailyScoreFilter
from scorecards.models import EmployeeDailyScore, Scorecard, TeamDailyScore
from scorecards.selectors.periods import period_summaries
from scorecards.selectors.versions import version_in_force
from staff.choices import ApiScope
from staff.models import Employee, Team
from staff.permissions import rows_visible, teams_visible

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description=(
        "csv: one row per line, one column per figure (spreadsheet-safe); the daily score lists "
        "stream every row of the filtered range in one file, without pages."
    ),
)


class ScorecardViewSet(viewsets.ReadOnlyModelViewSet):
    """Scorecards and their rules: the version in force today and every published version."""

    queryset = Scorecard.objects.order_by("name")
    lookup_field = "slug"
    pagination_class = None

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ScorecardDetailSerializer
        if self.action == "versions":
            return ScorecardVersionSerializer
        return ScorecardSerializer

    def retrieve(self, request, *args, **kwargs):
        scorecard = self.get_object()
        scorecard.version_in_force = version_in_force(scorecard=scorecard, day=timezone.localdate())
        if scorecard.version_in_force is not None:
            prefetch_related_objects(
                [scorecard.version_in_force], "metrics", "qa_sections", "qa_criteria__section"
            )
        return Response(self.get_serializer(scorecard).data)

    @extend_schema(responses=ScorecardVersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request, slug=None):
        """List the scorecard's published versions, newest first, with their rules."""
        scorecard = self.get_object()
        versions = (
            scorecard.versions.filter(status=VersionStatus.PUBLISHED)
            .prefetch_related("metrics", "qa_sections", "qa_criteria__section")
            .order_by("-effective_from")
        )
        return Response(self.get_serializer(versions, many=True).data)


class ScorePagination(StrictPageSize, DayCursorPagination):
    """The score rows' cursor pagination, refusing a page size it would not serve."""


class _DailyScoreList(generics.ListAPIView):
    serializer_class = ScoreRowSerializer
    row_columns = SCORE_ROW_COLUMNS
    row_values = SCORE_ROW_VALUES
    pagination_class = ScorePagination
    renderer_classes = [PreEncodedJSONRenderer, CsvRenderer]
    required_scopes = {"GET": ApiScope.SCORES_READ}

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            return self._csv_export()
        # One query of the rows' own table, in the order of the (day, id) index from right after
        # the cursor, at most page_size + 1 rows; their employees', teams' and versions' labels
        # from the process memos (docs/PERFORMANCE.md, "API memos").
        visible = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(visible.values(*self.row_columns))
        serializer = self.get_serializer(score_rows_labelled(page, now=timezone.now()), many=True)
        return self.get_paginated_response(serializer.data)

    def _csv_export(self) -> StreamingHttpResponse:
        # A spreadsheet has no way to follow a next link: the file holds the whole filtered
        # range, streamed, so its length costs the server no more memory. Filtering happens here,
        # so a bad filter is still a 400 before the first line is sent.
        rows = self.filter_queryset(self.get_queryset())
        # Paging does not apply to the file, but a bad page size or cursor is refused as for a
        # page, as the other lists' files do.
        self.paginator.get_page_size(self.request)
        self.paginator.decode_cursor(self.request)
        lines = score_rows_csv(
            queryset=rows, values=self.row_values, serializer=self.get_serializer()
        )
        return StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")


@extend_schema(parameters=[FORMAT_PARAMETER])
class EmployeeScoreList(_DailyScoreList):
    """Employees' daily scores, oldest first; filter by dates, team, employee and band."""

    filterset_class = EmployeeDailyScoreFilter
    row_columns = EMPLOYEE_SCORE_ROW_COLUMNS
    row_values = EMPLOYEE_SCORE_ROW_VALUES

    def get_queryset(self):
        # Both paths read with values(), which joins what it names: no select_related.
        rows = EmployeeDailyScore.objects.all()
        return rows_visible(
            queryset=rows, principal=principal_for_request(self.request), day_field="day"
        )


@extend_schema(parameters=[FORMAT_PARAMETER])
class TeamScoreList(_DailyScoreList):
    """Teams' daily scores (members pooled), oldest first; filter by dates, team and band."""

    filterset_class = TeamDailyScoreFilter

    def get_queryset(self):
        teams = teams_visible(principal=principal_for_request(self.request)).values("pk")
        return TeamDailyScore.objects.filter(team__in=teams)


class ScoreSummary(APIView):
    """Each employee's or team's figures pooled over a period and scored once."""

    renderer_classes = [JSONRenderer, CsvRenderer]
    required_scopes = {"GET": ApiScope.SCORES_READ}

    @extend_schema(
        parameters=[SummaryQuerySerializer, FORMAT_PARAMETER],
        responses=SummaryRowSerializer(many=True),
    )
    def get(self, request):
        query = SummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        group_by = query.validated_data["group_by"]
        date_to = query.validated_data.get("date_to") or timezone.localdate()
        date_from = query.validated_data.get("date_from") or date_to - dt.timedelta(days=29)
        principal = principal_for_request(request)
        if group_by == "employee":
            rows = rows_visible(
                queryset=EmployeeDailyScore.objects.all(), principal=principal, day_field="day"
            )
        else:
            teams = teams_visible(principal=principal).values("pk")
            rows = TeamDailyScore.objects.filter(team__in=teams)
        team = None
        if "team" in query.validated_data:
            team = Team.objects.filter(slug=query.validated_data["team"]).first()
            rows = rows.filter(team=team)
        summaries = period_summaries(
            rows=rows, subject_field=group_by, date_from=date_from, date_to=date_to, team=team
        )
        return Response(
            _summary_rows(
                summaries=summaries, group_by=group_by, date_from=date_from, date_to=date_to
            )
        )


def _summary_rows(*, summaries, group_by, date_from, date_to) -> list[dict]:
    subject_ids = [summary.subject_id for summary in summaries]
    team_ids = {summary.team_id for summary in summaries}
    teams = Team.objects.in_bulk(team_ids)
    if group_by == "employee":
        employees = Employee.objects.select_related("user").in_bulk(subject_ids)
        subjects = {
            pk: {"type": "employee", "id": pk, "name": e.full_name, "external_id": e.external_id}
            for pk, e in employees.items()
        }
    else:
        subjects = {
            pk: {"type": "team", "id": pk, "name": teams[pk].name, "external_id": None}
            for pk in subject_ids
        }
    rows = []
    for summary in summaries:
        values = {code: (result.value, result.score) for code, result in summary.metrics.items()}
        team = teams.get(summary.team_id)
        rows.append(
            {
                "subject": subjects[summary.subject_id],
                "team": team.slug if team else None,
                "date_from": date_from.isoformat(),
                "date_to": date_to.isoformat(),
                "days": summary.days,
                "scorecard": summary.version.scorecard.slug if summary.version else None,
                "version": summary.version.number if summary.version else None,
                "total": summary.total,
                "band": summary.band,
                "metrics": metric_figures(stats=summary.stats, values=values),
            }
        )
    return rows

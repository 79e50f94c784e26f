from drf_spectacular.utils import extend_schema
from rest_framework import generics

from coaching.api.serializers import (
    SESSION_FILE_COLUMNS,
    CoachingSessionSerializer,
    session_file_rows,
)
from coaching.filtersets import CoachingSessionFilter
from coaching.selectors import sessions_for_export
from crs_site.api_auth import principal_for_request
from crs_site.api_export import FILE_FORMAT_PARAMETER
from feedback.api.views import FileListMixin, NewestFirstPagination
from staff.choices import ApiScope
from staff.permissions import rows_visible


@extend_schema(parameters=[FILE_FORMAT_PARAMETER])
class CoachingSessionList(FileListMixin, generics.ListAPIView):
    """Coaching sessions, newest first, with their topics, links, actions and the agent's
    acknowledgement; filter by agent, team, the day held and whether acknowledged. Agents see
    their own; managers their teams' people on the days they were members."""

    serializer_class = CoachingSessionSerializer
    filterset_class = CoachingSessionFilter
    pagination_class = NewestFirstPagination
    required_scopes = {"GET": ApiScope.COACHING_READ}
    file_name = "coaching-sessions"
    file_columns = SESSION_FILE_COLUMNS
    file_rows = staticmethod(session_file_rows)

    def get_queryset(self):
        return rows_visible(
            queryset=sessions_for_export(),
            principal=principal_for_request(self.request),
            day_field="held_on",
            employee_field="agent",
        )

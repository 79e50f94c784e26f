from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from rest_framework import viewsets

from crs_site.api_auth import principal_for_request
from staff.api.serializers import EmployeeSerializer, TeamSerializer
from staff.filtersets import EmployeeFilter
from staff.models import TeamMembership
from staff.permissions import employees_visible, teams_visible
from staff.selectors import employee_for_user


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    """The teams the caller may see, with their scorecard and managers."""

    serializer_class = TeamSerializer
    lookup_field = "slug"
    pagination_class = None

    def get_queryset(self):
        teams = teams_visible(principal=principal_for_request(self.request))
        return teams.select_related("scorecard").prefetch_related("managers").order_by("name")


class EmployeeViewSet(viewsets.ReadOnlyModelViewSet):
    """The employees the caller may see, with the team each is in today."""

    serializer_class = EmployeeSerializer
    filterset_class = EmployeeFilter
    pagination_class = None

    def get_queryset(self):
        principal = principal_for_request(self.request)
        current = TeamMembership.objects.filter(employee=OuterRef("pk")).on_day(
            timezone.localdate()
        )
        if not principal.sees_everything:
            # Where a former member went is not the old team's business: a team is shown only
            # when the caller may see it (or it is the caller's own).
            own = getattr(employee_for_user(user=principal.user), "pk", None)
            current = current.filter(
                Q(team__in=teams_visible(principal=principal).values("pk")) | Q(employee_id=own)
            )
        current_team = current.values("team__slug")[:1]
        employees = employees_visible(principal=principal)
        return (
            employees.select_related("user")
            .annotate(current_team_slug=Subquery(current_team))
            .order_by("user__last_name", "user__first_name", "pk")
        )

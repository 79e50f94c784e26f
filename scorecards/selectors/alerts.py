"""Alerts a user may see and act on."""

from django.db.models import Q, QuerySet

from crs_site.lib.users import SiteUser
from scorecards.models import Alert
from scorecards.selectors.team import manages_teams
from staff.selectors import employees_writable_by, is_admin, rows_visible_to, teams_visible_to

ALERT_STATUSES = ("open", "acknowledged", "all")


def alerts_visible_to(*, user: SiteUser) -> QuerySet[Alert]:
    """Return the alerts the user may read: their teams', and their people's of the days those
    people were in their teams (admins: all)."""
    if is_admin(user=user):
        return Alert.objects.all()
    if not manages_teams(user=user):
        return Alert.objects.none()
    of_people = rows_visible_to(
        user=user, queryset=Alert.objects.filter(employee__isnull=False), day_field="day"
    )
    return Alert.objects.filter(
        Q(team__in=teams_visible_to(user=user)) | Q(pk__in=of_people.values("pk"))
    )


def alerts_writable_by(*, user: SiteUser) -> QuerySet[Alert]:
    """Return the alerts the user may acknowledge: a former member's stay as they are."""
    return alerts_visible_to(user=user).filter(
        Q(employee__isnull=True) | Q(employee__in=employees_writable_by(user=user).values("pk"))
    )


def alert_list(*, user: SiteUser, status: str = "open") -> QuerySet[Alert]:
    """Return the user's visible alerts, newest first, filtered by open/acknowledged/all."""
    alerts = alerts_visible_to(user=user).select_related(
        "employee__user", "team", "acknowledged_by"
    )
    if status == "open":
        alerts = alerts.filter(acknowledged_at__isnull=True)
    elif status == "acknowledged":
        alerts = alerts.filter(acknowledged_at__isnull=False)
    return alerts.order_by("-day", "-pk")

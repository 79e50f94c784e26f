"""The onboarding page: new hires and who has acknowledged the rules in force."""

import datetime as dt
from collections.abc import Collection, Mapping

from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery

from crs_site.lib.users import SiteUser
from scorecards.models import RuleAcknowledgement
from scorecards.selectors.rules import RULE_READERS, versions_in_force_on
from staff.choices import Role
from staff.models import Employee, Team, TeamMembership
from staff.selectors import employee_for_user, role_for_user

NEW_HIRE_DAYS = 90


def onboarding_allowed(*, user: SiteUser) -> bool:
    """Tell whether the user may open the onboarding page: onboarding staff, managers, admins."""
    return user.is_authenticated and role_for_user(user=user) in RULE_READERS


ONBOARDING_ORDERINGS: Mapping[str, tuple] = {
    "status": (F("acknowledged_at").asc(nulls_first=True), "-hire_date", "pk"),
    "name": ("user__first_name", "user__last_name", "pk"),
    "hire_date": ("-hire_date", "pk"),
    "team": (F("team_name").asc(nulls_last=True), "user__first_name", "pk"),
}
ONBOARDING_FILTERS = ("all", "pending", "new")


def onboarding_employees(
    *,
    user: SiteUser,
    day: dt.date,
    show: str = "all",
    ordering: str = "status",
    employee_ids: Collection[int] | None = None,
) -> QuerySet[Employee]:
    """Return the active new hires and everyone yet to acknowledge the rules in force.

    `show` narrows the list to "pending" (rules in force not acknowledged) or "new" (hired in
    the last NEW_HIRE_DAYS days). Onboarding staff and admins see everyone, managers the
    members of their teams. Each employee carries `team_name`, `scorecard_name`,
    `scorecard_slug`, `version_number`, `version_effective_from`, `acknowledged_at`,
    `is_new_hire` and `is_pending`, all from one query.
    """
    if not onboarding_allowed(user=user):
        return Employee.objects.none()
    membership = (
        TeamMembership.objects.on_day(day).filter(employee=OuterRef("pk")).order_by("-starts_on")
    )
    in_force = versions_in_force_on(day)
    employees = (
        Employee.objects.filter(is_active=True)
        .select_related("user")
        .annotate(
            team_pk=Subquery(membership.values("team_id")[:1]),
            team_name=Subquery(membership.values("team__name")[:1]),
            scorecard_pk=Subquery(membership.values("team__scorecard_id")[:1]),
            scorecard_name=Subquery(membership.values("team__scorecard__name")[:1]),
            scorecard_slug=Subquery(membership.values("team__scorecard__slug")[:1]),
        )
        .annotate(
            version_id=Subquery(in_force.values("pk")[:1]),
            version_number=Subquery(in_force.values("number")[:1]),
            version_effective_from=Subquery(in_force.values("effective_from")[:1]),
        )
        .annotate(
            acknowledged_at=Subquery(
                RuleAcknowledgement.objects.filter(
                    employee_id=OuterRef("pk"), version_id=OuterRef("version_id")
                ).values("acknowledged_at")[:1]
            )
        )
    )
    is_new_hire = Q(hire_date__gte=day - dt.timedelta(days=NEW_HIRE_DAYS))
    is_pending = Q(version_id__isnull=False, acknowledged_at__isnull=True)
    employees = employees.annotate(
        is_new_hire=ExpressionWrapper(is_new_hire, output_field=BooleanField()),
        is_pending=ExpressionWrapper(is_pending, output_field=BooleanField()),
    )
    if role_for_user(user=user) == Role.MANAGER:
        employees = employees.filter(
            team_pk__in=Team.objects.filter(managers=employee_for_user(user=user)).values("pk")
        )
    employees = employees.filter(
        {"pending": is_pending, "new": is_new_hire}.get(show, is_pending | is_new_hire)
    )
    if employee_ids is not None:
        employees = employees.filter(pk__in=employee_ids)
    return employees.order_by(*ONBOARDING_ORDERINGS.get(ordering, ONBOARDING_ORDERINGS["status"]))

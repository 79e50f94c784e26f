from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.choices import Role
from staff.models import Employee, Team


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str


def employee_for_user(*, user) -> Employee | None:
    """Return the user's employee record, or None for an account without one."""
    return getattr(user, "employee", None)


def role_for_user(*, user) -> str | None:
    """Return the role that drives what the user sees: superusers act as admins."""
    employee = employee_for_user(user=user)
    if employee is not None:
        return employee.role
    return Role.ADMIN if user.is_superuser else None


_NAVIGATION = {
    Role.AGENT: [
        ("me", _("My scorecard"), "scorecards:me"),
        ("log", _("Log interaction"), "customers:interaction_log"),
        ("interactions", _("My interactions"), "customers:interaction_list"),
        ("goals", _("My goals"), "scorecards:my_goals"),
        ("reviews", _("Reviews"), "qa:my_reviews"),
        ("followups", _("Follow-ups"), "qa:my_follow_ups"),
        ("surveys", _("Survey comments"), "surveys:comments"),
        ("rules", _("Rules"), "scorecards:rules_list"),
    ],
    Role.MANAGER: [
        ("teams", _("My teams"), "scorecards:team_list"),
        ("customers", _("Customers"), "customers:customer_list"),
        ("log", _("Log interaction"), "customers:interaction_log"),
        ("compare", _("Compare teams"), "scorecards:team_compare"),
        ("reviews", _("Reviews"), "qa:queue"),
        ("followups", _("Follow-ups"), "qa:team_follow_ups"),
        ("changes", _("Changes"), "scorecards:change_list"),
        ("alerts", _("Alerts"), "scorecards:alert_list"),
        ("onboarding", _("Onboarding"), "scorecards:onboarding"),
        ("surveys", _("Survey comments"), "surveys:comments"),
        ("rules", _("Rules"), "scorecards:rules_list"),
    ],
    Role.ONBOARDING: [
        ("onboarding", _("Onboarding"), "scorecards:onboarding"),
        ("rules", _("Rules"), "scorecards:rules_list"),
    ],
    Role.ADMIN: [
        ("teams", _("Teams"), "scorecards:team_list"),
        ("customers", _("Customers"), "customers:customer_list"),
        ("compare", _("Compare teams"), "scorecards:team_compare"),
        ("reviews", _("Reviews"), "qa:queue"),
        ("followups", _("Follow-ups"), "qa:team_follow_ups"),
        ("changes", _("Changes"), "scorecards:change_list"),
        ("alerts", _("Alerts"), "scorecards:alert_list"),
        ("onboarding", _("Onboarding"), "scorecards:onboarding"),
        ("surveys", _("Survey comments"), "surveys:comments"),
        ("rules", _("Rules and scorecards"), "scorecards:rules_list"),
    ],
}


def navigation_for_employee(*, employee: Employee | None, user) -> list[NavItem]:
    """Return the navigation entries the user's role allows, in display order."""
    role = employee.role if employee is not None else role_for_user(user=user)
    items = [
        NavItem(label=str(label), url=reverse(name), key=key)
        for key, label, name in _NAVIGATION.get(role, [])
    ]
    if user.is_staff:
        items.append(
            NavItem(label=str(_("Administration")), url=reverse("admin:index"), key="admin")
        )
    return items


def teams_for_employee(*, employee: Employee):
    """Return the teams the employee manages (managers) or belongs to today (everyone else)."""
    if employee.is_manager:
        return list(employee.managed_teams.all())
    today = timezone.localdate()
    return list(
        Team.objects.filter(memberships__employee=employee, memberships__starts_on__lte=today)
        .exclude(memberships__ends_on__lt=today)
        .distinct()
    )


def is_admin(*, user) -> bool:
    """Return whether the user sees everything: superusers and employees with the admin role."""
    return user.is_authenticated and role_for_user(user=user) == Role.ADMIN


def teams_visible_to(*, user) -> QuerySet[Team]:
    """Return the teams whose figures the user may read: all (admins), managed ones (managers)."""
    if is_admin(user=user):
        return Team.objects.all()
    employee = employee_for_user(user=user)
    if employee is None or employee.role != Role.MANAGER:
        return Team.objects.none()
    return Team.objects.filter(managers=employee)


def employees_visible_to(*, user) -> QuerySet[Employee]:
    """Return the employees whose individual figures the user may read.

    Admins see everyone; managers the people who are or were members of the teams they manage;
    agents only themselves; onboarding staff no one (they read rules and acknowledgements only).
    Every page and API endpoint that shows a person's scores, interactions or reviews filters
    through this, so the rule is written once.
    """
    if is_admin(user=user):
        return Employee.objects.all()
    employee = employee_for_user(user=user)
    if employee is None:
        return Employee.objects.none()
    if employee.role == Role.MANAGER:
        return Employee.objects.filter(memberships__team__managers=employee).distinct()
    if employee.role == Role.AGENT:
        return Employee.objects.filter(pk=employee.pk)
    return Employee.objects.none()

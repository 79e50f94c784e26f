import datetime as dt
from dataclasses import dataclass

from django.db.models import DateField, Exists, OuterRef, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.choices import Role
from staff.models import Employee, Team, TeamMembership


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str
    menu: str = ""


@dataclass(frozen=True)
class NavMenu:
    """A drop-down of the navbar: the items of one group, shown under the group's name."""

    key: str
    label: str
    items: tuple[NavItem, ...]


def employee_for_user(*, user) -> Employee | None:
    """Return the user's employee record, or None for an account without one."""
    return getattr(user, "employee", None)


def role_for_user(*, user) -> str | None:
    """Return the role that drives what the user sees, or None for someone who may see nothing.

    Superusers without an employee record act as admins. A deactivated employee, and any other
    account without one, has no role: every page, the API and the visibility selectors below
    start from this, so such an account sees and does nothing (README).
    """
    if not user.is_authenticated:
        return None
    employee = employee_for_user(user=user)
    if employee is not None:
        return employee.role if employee.is_active else None
    return Role.ADMIN if user.is_superuser else None


def has_access(*, user) -> bool:
    """Tell whether a signed-in user may use the application beyond signing out."""
    return role_for_user(user=user) is not None


# The navbar's groups, in the order their menus show. An item names its group in _NAVIGATION;
# the menu appears where its first item would, so a new page is one line in one table.
_MENUS = {
    "team": _("Team"),
    "quality": _("Quality"),
    "data": _("Data"),
}

# Per role: (key, label, URL name, group or "" for a top-level link), in display order.
_NAVIGATION = {
    Role.AGENT: [
        ("me", _("My scorecard"), "scorecards:me", ""),
        ("log", _("Log interaction"), "customers:interaction_log", ""),
        ("interactions", _("My interactions"), "customers:interaction_list", ""),
        ("goals", _("My goals"), "scorecards:my_goals", ""),
        ("reviews", _("Reviews"), "qa:my_reviews", "quality"),
        ("followups", _("Follow-ups"), "qa:my_follow_ups", "quality"),
        ("coaching", _("Coaching"), "coaching:session_list", "quality"),
        ("surveys", _("Survey comments"), "surveys:comments", "quality"),
        ("rules", _("Rules"), "scorecards:rules_list", ""),
    ],
    Role.MANAGER: [
        ("teams", _("My teams"), "scorecards:team_list", "team"),
        ("compare", _("Compare teams"), "scorecards:team_compare", "team"),
        ("changes", _("Changes"), "scorecards:change_list", "team"),
        ("alerts", _("Alerts"), "scorecards:alert_list", "team"),
        ("digest", _("Weekly digest"), "scorecards:digest_preview", "team"),
        ("onboarding", _("Onboarding"), "scorecards:onboarding", "team"),
        ("customers", _("Customers"), "customers:customer_list", ""),
        ("log", _("Log interaction"), "customers:interaction_log", ""),
        ("reviews", _("Reviews"), "qa:queue", "quality"),
        ("followups", _("Follow-ups"), "qa:team_follow_ups", "quality"),
        ("sampling", _("Sampling and quotas"), "qa:sampling", "quality"),
        ("surveys", _("Survey comments"), "surveys:comments", "quality"),
        ("coaching", _("Coaching"), "coaching:session_list", "quality"),
        ("imports", _("Import"), "imports:list", "data"),
        ("rules", _("Rules"), "scorecards:rules_list", ""),
    ],
    Role.ONBOARDING: [
        ("onboarding", _("Onboarding"), "scorecards:onboarding", ""),
        ("rules", _("Rules"), "scorecards:rules_list", ""),
    ],
    Role.ADMIN: [
        ("teams", _("Teams"), "scorecards:team_list", "team"),
        ("compare", _("Compare teams"), "scorecards:team_compare", "team"),
        ("changes", _("Changes"), "scorecards:change_list", "team"),
        ("alerts", _("Alerts"), "scorecards:alert_list", "team"),
        ("onboarding", _("Onboarding"), "scorecards:onboarding", "team"),
        ("customers", _("Customers"), "customers:customer_list", ""),
        ("reviews", _("Reviews"), "qa:queue", "quality"),
        ("followups", _("Follow-ups"), "qa:team_follow_ups", "quality"),
        ("sampling", _("Sampling and quotas"), "qa:sampling", "quality"),
        ("surveys", _("Survey comments"), "surveys:comments", "quality"),
        ("coaching", _("Coaching"), "coaching:session_list", "quality"),
        ("imports", _("Import"), "imports:list", "data"),
        ("connections", _("Helpdesk connections"), "integrations:connection_list", "data"),
        ("agents", _("Agent mapping"), "integrations:agent_queue", "data"),
        ("rules", _("Rules and scorecards"), "scorecards:rules_list", ""),
    ],
}


def navigation_for_employee(*, employee: Employee | None, user) -> list[NavItem]:
    """Return the navigation entries the user's role allows, in display order."""
    role = role_for_user(user=user)
    items = [
        NavItem(label=str(label), url=reverse(name), key=key, menu=menu)
        for key, label, name, menu in _NAVIGATION.get(role, [])
    ]
    if user.is_staff:
        items.append(
            NavItem(label=str(_("Administration")), url=reverse("admin:index"), key="admin")
        )
    return items


def navigation_grouped(*, items: list[NavItem]) -> list[NavItem | NavMenu]:
    """Return the navbar's entries: top-level items, and one menu per group where it starts."""
    entries: list[NavItem | NavMenu] = []
    menus: dict[str, list[NavItem]] = {}
    for item in items:
        if not item.menu:
            entries.append(item)
            continue
        if item.menu not in menus:
            menus[item.menu] = []
            entries.append(NavMenu(key=item.menu, label="", items=()))
        menus[item.menu].append(item)
    return [
        NavMenu(key=entry.key, label=str(_MENUS[entry.key]), items=tuple(menus[entry.key]))
        if isinstance(entry, NavMenu)
        else entry
        for entry in entries
    ]


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
    role = role_for_user(user=user)
    if role == Role.ADMIN:
        return Team.objects.all()
    if role != Role.MANAGER:
        return Team.objects.none()
    return Team.objects.filter(managers=employee_for_user(user=user))


def employees_visible_to(*, user) -> QuerySet[Employee]:
    """Return the people the user may look up: whose rows, on some days, they may read.

    Admins see everyone; managers the people who are or were members of the teams they manage;
    agents only themselves; onboarding staff no one (they read rules and acknowledgements only).
    Which of a person's rows are shown is `rows_visible_to`: for a manager only those of the
    days the person was in one of their teams.
    """
    role = role_for_user(user=user)
    if role == Role.ADMIN:
        return Employee.objects.all()
    if role == Role.MANAGER:
        return Employee.objects.filter(
            pk__in=TeamMembership.objects.filter(team__in=teams_visible_to(user=user)).values(
                "employee_id"
            )
        )
    if role == Role.AGENT:
        return Employee.objects.filter(pk=employee_for_user(user=user).pk)
    return Employee.objects.none()


def employees_writable_by(*, user) -> QuerySet[Employee]:
    """Return the people whose rows the user may change (reviews, follow-ups, goals, alerts).

    Admins anyone; everyone themselves; managers also the current members of their teams, not
    former ones (README).
    """
    role = role_for_user(user=user)
    if role == Role.ADMIN:
        return Employee.objects.all()
    if role not in (Role.MANAGER, Role.AGENT):
        return Employee.objects.none()
    own = Employee.objects.filter(pk=employee_for_user(user=user).pk)
    if role == Role.AGENT:
        return own
    return own | employees_member_on(teams=teams_visible_to(user=user))


def employees_member_on(*, teams) -> QuerySet[Employee]:
    """Return the people who are members of one of `teams` today."""
    members = TeamMembership.objects.filter(team__in=teams).on_day(timezone.localdate())
    return Employee.objects.filter(pk__in=members.values("employee_id"))


def rows_on_member_days(
    *, queryset: QuerySet, teams, day_field: str, employee_field: str = "employee"
) -> QuerySet:
    """Keep the rows about a person dated on a day that person was a member of one of `teams`.

    `day_field` names the row's day: a date field, or a datetime with `__date` (the local day).
    """
    memberships = TeamMembership.objects.filter(
        team__in=teams, employee=OuterRef(employee_field)
    ).on_day(OuterRef(day_field))
    return queryset.filter(Exists(memberships))


def rows_visible_to(
    *, user, queryset: QuerySet, day_field: str, employee_field: str = "employee"
) -> QuerySet:
    """Limit rows about people (days, interactions, reviews, feedback) to what the user may read.

    The one rule of README for signed-in users: admins everything; everyone their own rows;
    managers also a person's rows of the days that person was in one of their teams.
    """
    role = role_for_user(user=user)
    if role == Role.ADMIN:
        return queryset
    if role not in (Role.MANAGER, Role.AGENT):
        return queryset.none()
    own = queryset.filter(**{employee_field: employee_for_user(user=user).pk})
    if role == Role.AGENT:
        return own
    of_members = rows_on_member_days(
        queryset=queryset,
        teams=teams_visible_to(user=user),
        day_field=day_field,
        employee_field=employee_field,
    )
    return own | of_members


def employee_day_visible(*, user, employee: Employee, day: dt.date) -> bool:
    """Tell whether the user may read the person's figures of that day (`rows_visible_to`)."""
    person = Employee.objects.filter(pk=employee.pk).annotate(
        day=Value(day, output_field=DateField())
    )
    return rows_visible_to(
        user=user, queryset=person, day_field="day", employee_field="pk"
    ).exists()


def employee_visible_until(*, user, employee: Employee, today: dt.date) -> dt.date | None:
    """Return the last day of the person the user may read (today, or the day a former member
    left the manager's teams), or None for a person the user may not read at all.

    It ends a page of one person's trend; the rows on it are still limited by `rows_visible_to`.
    """
    role = role_for_user(user=user)
    if role == Role.ADMIN or (role is not None and employee == employee_for_user(user=user)):
        return today
    if role != Role.MANAGER:
        return None
    ends = TeamMembership.objects.filter(
        team__in=teams_visible_to(user=user), employee=employee, starts_on__lte=today
    ).values_list("ends_on", flat=True)
    if not ends:
        return None
    return min(today, max(end or today for end in ends))

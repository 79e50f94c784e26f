"""Who may do what through the API: a principal's scopes and the rows it may reach.

A principal is a signed-in user or an API key. Users get exactly the rows the pages show them
(`staff.selectors.employees_visible_to` / `teams_visible_to`) and the scopes of their role; a
key gets the scopes an admin gave it and, when it names teams, only those teams' people.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from staff.choices import ApiScope, Role
from staff.models import ApiKey, Employee, Team, TeamMembership
from staff.selectors import (
    employees_member_on,
    employees_visible_to,
    employees_writable_by,
    role_for_user,
    rows_on_member_days,
    rows_visible_to,
    teams_visible_to,
)

ALL_SCOPES = frozenset(ApiScope.values)

# What a signed-in user may do, by role; which rows is decided by the visibility selectors.
ROLE_SCOPES: dict[str, frozenset[str]] = {
    Role.ADMIN: ALL_SCOPES,
    Role.MANAGER: ALL_SCOPES,
    Role.AGENT: frozenset(
        {
            ApiScope.SCORES_READ,
            ApiScope.INTERACTIONS_WRITE,
            ApiScope.CUSTOMERS_READ,
            ApiScope.CUSTOMERS_WRITE,
            # Their own reviews (never drafts), sessions and customers' answers, as the pages.
            ApiScope.QA_READ,
            ApiScope.COACHING_READ,
            ApiScope.FEEDBACK_READ,
        }
    ),
    # Onboarding staff read rules and acknowledgements, never scores or customer data.
    Role.ONBOARDING: frozenset(),
}


@dataclass(frozen=True)
class Principal:
    """A signed-in user or an API key, with the scopes it holds."""

    scopes: frozenset[str]
    user: Any = None
    api_key: ApiKey | None = None
    # For a key: None means every team, otherwise only these teams' people (none: nothing).
    team_ids: frozenset[int] | None = None
    # False for a signed-out visitor, a deactivated employee or an account without one.
    is_allowed: bool = True
    # A connection to another tool writing on its own (e.g. "chatwoot:3"): it reaches everyone.
    system: str = ""

    @property
    def sees_everything(self) -> bool:
        """Tell whether no row is hidden from the principal (admins, keys without teams)."""
        if self.system:
            return True
        if self.api_key is not None:
            return self.team_ids is None
        return self.is_allowed and role_for_user(user=self.user) == Role.ADMIN


def principal_for_api_key(*, api_key: ApiKey) -> Principal:
    """Return the principal of an API key: its scopes, limited to its teams if it names any."""
    team_ids = None
    if api_key.is_team_restricted:
        # Fail closed: a key whose teams were deleted keeps its restriction and sees nothing.
        team_ids = frozenset(api_key.teams.values_list("pk", flat=True))
    return Principal(
        scopes=frozenset(api_key.scopes) & ALL_SCOPES, api_key=api_key, team_ids=team_ids
    )


def principal_for_system(*, name: str) -> Principal:
    """Return the principal of a connection to another tool (a helpdesk connector, an import
    run by the system): it writes interactions for everyone, like a key without teams."""
    return Principal(scopes=frozenset({ApiScope.INTERACTIONS_WRITE}), system=name)


def principal_for_user(*, user) -> Principal:
    """Return the principal of a user; one without a role (`role_for_user`) may see nothing."""
    role = role_for_user(user=user)
    if role is None:
        return Principal(scopes=frozenset(), user=user, is_allowed=False)
    return Principal(scopes=ROLE_SCOPES[role], user=user)


def employees_visible(*, principal: Principal) -> QuerySet[Employee]:
    """Return the people the principal may look up (whose rows it reads on some days)."""
    if not principal.is_allowed:
        return Employee.objects.none()
    if principal.api_key is None:
        return employees_visible_to(user=principal.user)
    if principal.team_ids is None:
        return Employee.objects.all()
    members = TeamMembership.objects.filter(team_id__in=principal.team_ids)
    return Employee.objects.filter(pk__in=members.values("employee_id"))


def employees_writable(*, principal: Principal) -> QuerySet[Employee]:
    """Return the people whose rows the principal may write: current members only (README)."""
    if not principal.is_allowed:
        return Employee.objects.none()
    if principal.system:
        return Employee.objects.all()
    if principal.api_key is None:
        return employees_writable_by(user=principal.user)
    if principal.team_ids is None:
        return Employee.objects.all()
    return employees_member_on(teams=principal.team_ids)


def teams_visible(*, principal: Principal) -> QuerySet[Team]:
    """Return the teams whose aggregate rows the principal may read."""
    if not principal.is_allowed:
        return Team.objects.none()
    if principal.api_key is None:
        return teams_visible_to(user=principal.user)
    if principal.team_ids is None:
        return Team.objects.all()
    return Team.objects.filter(pk__in=principal.team_ids)


def rows_visible(
    *, queryset: QuerySet, principal: Principal, day_field: str, employee_field: str = "employee"
) -> QuerySet:
    """Limit rows about people to those the principal may read, by the days of membership."""
    if principal.sees_everything:
        return queryset
    if not principal.is_allowed:
        return queryset.none()
    if principal.api_key is None:
        return rows_visible_to(
            user=principal.user,
            queryset=queryset,
            day_field=day_field,
            employee_field=employee_field,
        )
    return rows_on_member_days(
        queryset=queryset,
        teams=principal.team_ids,
        day_field=day_field,
        employee_field=employee_field,
    )

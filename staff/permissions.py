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
from staff.selectors import employees_visible_to, role_for_user, teams_visible_to

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
    # For a key: None means every team, otherwise only these teams' people.
    team_ids: frozenset[int] | None = None
    # False for a signed-out visitor or a deactivated employee: nothing is visible.
    is_allowed: bool = True

    @property
    def sees_everything(self) -> bool:
        """Tell whether no row is hidden from the principal (admins, keys without teams)."""
        if self.api_key is not None:
            return self.team_ids is None
        return self.is_allowed and role_for_user(user=self.user) == Role.ADMIN


def principal_for_api_key(*, api_key: ApiKey) -> Principal:
    """Return the principal of an API key: its scopes, limited to its teams if it names any."""
    if getattr(api_key, "names_teams", True):
        team_ids = frozenset(api_key.teams.values_list("pk", flat=True))
    else:
        # Read with the key (ApiKeyManager.get_from_key): it names no team.
        team_ids = frozenset()
    return Principal(
        scopes=frozenset(api_key.scopes) & ALL_SCOPES, api_key=api_key, team_ids=team_ids or None
    )


def principal_for_user(*, user) -> Principal:
    """Return the principal of a user; a signed-out or deactivated one may see nothing."""
    employee = getattr(user, "employee", None)
    if not user.is_authenticated or (employee is not None and not employee.is_active):
        return Principal(scopes=frozenset(), user=user, is_allowed=False)
    role = role_for_user(user=user)
    return Principal(scopes=ROLE_SCOPES.get(role, frozenset()), user=user)


def employees_visible(*, principal: Principal) -> QuerySet[Employee]:
    """Return the employees whose rows the principal may read and write."""
    if not principal.is_allowed:
        return Employee.objects.none()
    if principal.api_key is None:
        return employees_visible_to(user=principal.user)
    if principal.team_ids is None:
        return Employee.objects.all()
    members = TeamMembership.objects.filter(team_id__in=principal.team_ids)
    return Employee.objects.filter(pk__in=members.values("employee_id"))


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
    *, queryset: QuerySet, principal: Principal, employee_field: str = "employee"
) -> QuerySet:
    """Limit rows about employees (scores, interactions) to those the principal may see."""
    if principal.sees_everything:
        return queryset
    visible = employees_visible(principal=principal).values("pk")
    return queryset.filter(**{f"{employee_field}__in": visible})

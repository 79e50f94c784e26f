"""The managers' weekly digests."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from scorecards.models import Alert, EmployeeDailyScore, ScorecardVersion, TeamDailyScore
from scorecards.selectors.periods import NOTHING, Period, Pooled, pooled_periods
from scorecards.selectors.versions import period_versions
from staff.models import Employee, Team


@dataclass(frozen=True)
class PersonAttention:
    """A team member who needs a look: red over the week, or with open alerts."""

    employee: Employee
    week: Pooled
    alerts: list[Alert]


@dataclass(frozen=True)
class TeamWeek:
    team: Team
    week: Pooled
    previous: Pooled
    attention: list[PersonAttention]

    @property
    def change(self) -> Decimal | None:
        """Return the change of the pooled total since the week before, when both exist."""
        if self.week.total is None or self.previous.total is None:
            return None
        return self.week.total - self.previous.total


@dataclass(frozen=True)
class ManagerDigest:
    manager: Employee
    week: Period
    teams: list[TeamWeek]


def manager_digests(
    *, week_ending: dt.date, manager: Employee | None = None
) -> list[ManagerDigest]:
    """Return, per active manager with an e-mail address, their teams' week and who needs a look.

    A fixed number of grouped queries, whatever the number of managers, teams and people.
    `manager` narrows it to one manager, address or not (the preview in the app).
    """
    week = Period(date_from=week_ending - dt.timedelta(days=6), date_to=week_ending)
    windows = {"cur": week, "prev": week.previous()}
    chosen = Employee.objects.filter(is_active=True, managed_teams__isnull=False)
    chosen = chosen.filter(pk=manager.pk) if manager else chosen.exclude(user__email="")
    managers = list(
        chosen.select_related("user").prefetch_related("managed_teams").distinct().order_by("pk")
    )
    team_ids = {team.pk for manager in managers for team in manager.managed_teams.all()}
    team_rows = TeamDailyScore.objects.filter(team_id__in=team_ids)
    teams_by_id = {team.pk: team for manager in managers for team in manager.managed_teams.all()}
    versions = period_versions(
        scorecard_of={pk: team.scorecard_id for pk, team in teams_by_id.items()},
        date_to=week.date_to,
    )

    def team_version(key: tuple) -> ScorecardVersion | None:
        return versions.get(key[0])

    team_pooled = pooled_periods(
        rows=team_rows, group=("team_id",), windows=windows, version=team_version
    )
    member_pooled = pooled_periods(
        rows=EmployeeDailyScore.objects.filter(team_id__in=team_ids),
        group=("team_id", "employee_id"),
        windows={"cur": week},
        version=team_version,
    )
    open_alerts: dict[int, list[Alert]] = {}
    for alert in Alert.objects.filter(
        acknowledged_at__isnull=True,
        day__lte=week_ending,
        employee_id__in=[employee_id for _team_id, employee_id in member_pooled],
    ).order_by("day", "pk"):
        if alert.employee_id is not None:  # always: filtered by employee above
            open_alerts.setdefault(alert.employee_id, []).append(alert)
    employees = Employee.objects.select_related("user").in_bulk(
        [employee_id for _team_id, employee_id in member_pooled]
    )

    weeks: dict[int, TeamWeek] = {}
    for team in {team.pk: team for m in managers for team in m.managed_teams.all()}.values():
        pooled_team = team_pooled.get((team.pk,), {})
        attention = []
        for (team_id, employee_id), entry in member_pooled.items():
            if team_id != team.pk or "cur" not in entry:
                continue
            pooled = entry["cur"]
            alerts = open_alerts.get(employee_id, [])
            if pooled.band == "red" or alerts:
                attention.append(
                    PersonAttention(employee=employees[employee_id], week=pooled, alerts=alerts)
                )
        attention.sort(key=lambda person: person.employee.full_name.casefold())
        weeks[team.pk] = TeamWeek(
            team=team,
            week=pooled_team.get("cur", NOTHING),
            previous=pooled_team.get("prev", NOTHING),
            attention=attention,
        )
    return [
        ManagerDigest(
            manager=manager,
            week=week,
            teams=[
                weeks[team.pk]
                for team in sorted(manager.managed_teams.all(), key=lambda team: team.name)
            ],
        )
        for manager in managers
    ]

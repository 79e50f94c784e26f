"""The team pages: the dashboard and the comparison of teams."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from crs_site.lib.users import SiteUser
from scorecards.metrics import CATALOGUE, MetricSpec
from scorecards.metrics import metrics as metric_specs
from scorecards.models import (
    Alert,
    ChangeEvent,
    EmployeeDailyScore,
    Metric,
    ScorecardVersion,
    TeamDailyScore,
)
from scorecards.scoring import MetricResult
from scorecards.selectors.memberships import memberships_overlapping
from scorecards.selectors.periods import NOTHING, Period, Pooled, TrendPoint, pooled_periods
from scorecards.selectors.versions import period_version, period_versions
from staff.choices import Role
from staff.models import Employee, Team
from staff.selectors import is_admin

_BAND_ORDER = {"green": 0, "amber": 1, "red": 2}


@dataclass(frozen=True)
class MemberFigures:
    """A team member's pooled figures in the period and in the period before."""

    employee: Employee
    current: Pooled
    previous: Pooled

    @property
    def change(self) -> Decimal | None:
        """Return the change of the total since the previous period, when both exist."""
        if self.current.total is None or self.previous.total is None:
            return None
        return self.current.total - self.previous.total


@dataclass(frozen=True)
class TeamDashboard:
    """Everything the team dashboard shows for one period."""

    team: Team
    period: Period
    previous_period: Period
    version: ScorecardVersion | None
    current: Pooled
    previous: Pooled
    trend: list[TrendPoint]
    events: list[ChangeEvent]
    members: list[MemberFigures]
    member_count: int
    member_page: Page | None  # None: every member, in `members`
    alerts: list[Alert]
    as_of: dt.datetime | None

    @property
    def change(self) -> Decimal | None:
        """Return the change of the team total since the previous period, when both exist."""
        if self.current.total is None or self.previous.total is None:
            return None
        return self.current.total - self.previous.total

    @property
    def metrics(self) -> list[tuple[Metric, MetricResult | None]]:
        """Return the version's metrics, each with its pooled result for the period."""
        if self.version is None:
            return []
        return [
            (metric, self.current.metrics.get(metric.code)) for metric in self.version.metrics.all()
        ]

    @property
    def metric_specs(self) -> list[MetricSpec]:
        """Return the catalogue entries of the version's metrics, in the version's order."""
        if self.version is None:
            return []
        return metric_specs(metric.code for metric in self.version.metrics.all())


MEMBER_SORT_KEYS: tuple[str, ...] = ("name", "total", "band", "change", *CATALOGUE)
DASHBOARD_ALERT_LIMIT = 20
MEMBERS_PER_PAGE = 25


def _name_key(employee: Employee) -> str:
    return employee.full_name.casefold()


def _member_sort_value(member: MemberFigures, key: str) -> Any:
    if key == "total":
        return member.current.total
    if key == "band":
        return _BAND_ORDER.get(member.current.band)
    if key == "change":
        return member.change
    result = member.current.metrics.get(key)
    return result.value if result is not None else None


def members_sorted(members: Iterable[MemberFigures], *, sort: str) -> list[MemberFigures]:
    """Sort members by "name", "total", "band", "change" or a metric code; "-" descends.

    Members without a figure for the column come last either way; ties keep name order.
    """
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    by_name = sorted(members, key=lambda member: _name_key(member.employee))
    if key not in MEMBER_SORT_KEYS or key == "name":
        return by_name[::-1] if descending and key == "name" else by_name
    present = [m for m in by_name if _member_sort_value(m, key) is not None]
    missing = [m for m in by_name if _member_sort_value(m, key) is None]
    present.sort(key=lambda member: _member_sort_value(member, key), reverse=descending)
    return present + missing


def _member_figures(
    *,
    team: Team,
    windows: Mapping[str, Period],
    version: ScorecardVersion | None,
    sort: str,
    member_page: int | str | None,
) -> tuple[list[MemberFigures], Page | None, set[int]]:
    """Return the members to show (a page of them with `member_page`), the page, every id."""
    period = windows["cur"]
    # Who is listed comes from the memberships (the engine writes a team's rows only for
    # employees who were its members that day), whatever the sort or page.
    member_ids = {
        span.employee_id
        for span in memberships_overlapping(
            date_from=period.date_from, date_to=period.date_to, team_ids=[team.pk]
        )
    }
    employees = list(Employee.objects.select_related("user").filter(pk__in=member_ids))
    page: Page | None = None
    if member_page is not None and sort.removeprefix("-") == "name":
        # In name order only the page's members need figures: summing every member's rows
        # would make a large team's first page as slow as its CSV export.
        employees.sort(key=_name_key, reverse=sort == "-name")
        page = Paginator(employees, MEMBERS_PER_PAGE).get_page(member_page)
        employees = list(page)
    member_pooled = pooled_periods(
        rows=EmployeeDailyScore.objects.filter(
            team=team, employee_id__in=[employee.pk for employee in employees]
        ),
        group=("employee_id",),
        windows=windows,
        version=version,
    )
    members = []
    for employee in employees:
        pooled = member_pooled.get((employee.pk,), {})
        members.append(
            MemberFigures(
                employee=employee,
                current=pooled.get("cur", NOTHING),
                previous=pooled.get("prev", NOTHING),
            )
        )
    if page is None:
        members = members_sorted(members, sort=sort)
        if member_page is not None:
            page = Paginator(members, MEMBERS_PER_PAGE).get_page(member_page)
            members = list(page)
    return members, page, member_ids


def team_dashboard(
    *, team: Team, period: Period, sort: str = "name", member_page: int | str | None = None
) -> TeamDashboard:
    """Return the team's pooled figures, trend, members, events and open alerts for a period.

    With `member_page`, `members` holds that page (MEMBERS_PER_PAGE, in `sort` order) and
    `member_page` the Paginator's page; without it, every member.

    A fixed number of queries whatever the team's size or the period's length: the team's and
    the members' num/den are summed by grouped queries over both periods at once.
    """
    previous = period.previous()
    windows = {"cur": period, "prev": previous}
    team_rows = TeamDailyScore.objects.filter(team=team)
    # Both periods are scored with the current period's version, so a new version taking
    # effect cannot itself look like a change in performance.
    version = period_version(scorecard_id=team.scorecard_id, date_to=period.date_to)
    team_pooled = pooled_periods(rows=team_rows, windows=windows, version=version).get((), {})
    members, page, member_ids = _member_figures(
        team=team, windows=windows, version=version, sort=sort, member_page=member_page
    )
    stored = {
        row["day"]: row
        for row in team_rows.filter(day__gte=period.date_from, day__lte=period.date_to).values(
            "day", "total", "band", "is_worked", "is_final"
        )
    }
    trend = [TrendPoint.of(day=day, row=stored.get(day)) for day in period.day_list()]
    events = list(
        ChangeEvent.objects.filter(Q(team=team) | Q(team__isnull=True))
        .filter(day__gte=period.date_from, day__lte=period.date_to)
        .order_by("day", "pk")
    )
    alerts = list(
        Alert.objects.filter(acknowledged_at__isnull=True)
        .filter(Q(team=team) | Q(employee_id__in=member_ids))
        .select_related("employee__user", "team")
        .order_by("-day", "-pk")[:DASHBOARD_ALERT_LIMIT]
    )
    return TeamDashboard(
        team=team,
        period=period,
        previous_period=previous,
        version=version,
        current=team_pooled.get("cur", NOTHING),
        previous=team_pooled.get("prev", NOTHING),
        trend=trend,
        events=events,
        members=members,
        member_count=len(member_ids),
        member_page=page,
        alerts=alerts,
        as_of=max((pooled.as_of for pooled in team_pooled.values() if pooled.as_of), default=None),
    )


@dataclass(frozen=True)
class TeamFigures:
    team: Team
    version: ScorecardVersion | None
    current: Pooled


@dataclass(frozen=True)
class TeamsComparison:
    """Teams side by side over one period, with each team's daily totals for a chart."""

    period: Period
    teams: list[TeamFigures]
    metric_codes: list[str]
    trend: dict[int, list[Decimal | None]]
    as_of: dt.datetime | None


def teams_comparison(*, teams: QuerySet[Team], period: Period) -> TeamsComparison:
    """Return every given team's pooled figures and daily totals over the period."""
    ordered = list(teams.order_by("name"))
    team_ids = [team.pk for team in ordered]
    rows = TeamDailyScore.objects.filter(team_id__in=team_ids)
    versions = period_versions(
        scorecard_of={team.pk: team.scorecard_id for team in ordered}, date_to=period.date_to
    )
    pooled = pooled_periods(
        rows=rows,
        group=("team_id",),
        windows={"cur": period},
        version=lambda key: versions.get(key[0]),
    )
    figures = [
        TeamFigures(
            team=team,
            version=versions.get(team.pk),
            current=pooled.get((team.pk,), {}).get("cur", NOTHING),
        )
        for team in ordered
    ]
    codes = {
        metric.code for version in versions.values() if version for metric in version.metrics.all()
    }
    days = {day: index for index, day in enumerate(period.day_list())}
    trend: dict[int, list[Decimal | None]] = {team_id: [None] * len(days) for team_id in team_ids}
    for team_id, day, total in rows.filter(
        day__gte=period.date_from, day__lte=period.date_to
    ).values_list("team_id", "day", "total"):
        trend[team_id][days[day]] = total
    as_of = max(
        (entry["cur"].as_of for entry in pooled.values() if "cur" in entry and entry["cur"].as_of),
        default=None,
    )
    return TeamsComparison(
        period=period,
        teams=figures,
        metric_codes=[code for code in CATALOGUE if code in codes],
        trend=trend,
        as_of=as_of,
    )


def manages_teams(*, user: SiteUser) -> bool:
    """Tell whether the user reads team pages: admins and managers."""
    if is_admin(user=user):
        return True
    employee = getattr(user, "employee", None)
    return employee is not None and employee.role == Role.MANAGER

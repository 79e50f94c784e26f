"""Team members and their scored days, shared by the team page tests."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scorecards.choices import MetricCode
from scorecards.engine.rows import scores_compute_teams
from scorecards.models import EmployeeDailyScore
from staff.choices import Role
from tests.factories import (
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    TeamMembershipFactory,
    UserFactory,
)

METRICS = [
    {"code": MetricCode.FCR, "target": 80, "floor": 40, "weight": 2},
    {"code": MetricCode.CSAT, "target": 90, "floor": 50},
]


def member(team, *, first_name: str = "", starts_on=dt.date(2020, 1, 1), **kwargs):
    user = UserFactory(first_name=first_name) if first_name else UserFactory()
    employee = EmployeeFactory(user=user, role=Role.AGENT, **kwargs)
    TeamMembershipFactory(employee=employee, team=team, starts_on=starts_on)
    return employee


def score_rows(*, team, version, rows) -> None:
    """Store employee rows [(employee, day, {code: (num, den)})] and compute the team's rows."""
    objects = []
    for employee, day, stats in rows:
        columns = {}
        for code, (num, den) in stats.items():
            columns[f"{code}_num"] = Decimal(num)
            columns[f"{code}_den"] = Decimal(den)
        objects.append(
            EmployeeDailyScoreFactory.build(
                employee=employee, team=team, version=version, day=day, **columns
            )
        )
    EmployeeDailyScore.objects.bulk_create(objects)
    days = [day for _employee, day, _stats in rows]
    scores_compute_teams(team_ids=[team.pk], date_from=min(days), date_to=max(days))


def scored_team(*, team, version, members: int, days: int, today):
    people = [member(team) for _ in range(members)]
    rows = []
    for offset in range(days):
        day = today - dt.timedelta(days=offset)
        for position, person in enumerate(people):
            fcr = 5 + (position + offset) % 5
            rows.append((person, day, {"fcr": (fcr, 10), "csat": (3 + position % 2, 4)}))
    score_rows(team=team, version=version, rows=rows)
    return people


def dashboard_url(team, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("scorecards:team_dashboard", args=[team.slug]) + (f"?{query}" if query else "")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)

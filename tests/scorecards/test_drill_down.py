"""Drill-down from the team pages: a point of the team trend or of the comparison opens that
team's day, and a member's figure of one day opens that person's day explained; the tables
under the charts carry the same links for keyboard users."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scorecards.choices import MetricCode
from scorecards.engine.rows import scores_compute_teams
from scorecards.models import EmployeeDailyScore
from staff.choices import Role
from tests.factories import (
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    PublishedVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def version():
    return PublishedVersionFactory(
        effective_from=dt.date(2020, 1, 1),
        metrics=[{"code": MetricCode.FCR, "target": 80, "floor": 40}],
    )


@pytest.fixture
def team(version):
    return TeamFactory(name="Riga Support", slug="riga", scorecard=version.scorecard)


@pytest.fixture
def manager(team):
    employee = EmployeeFactory(role=Role.MANAGER, user=UserFactory(username="lead"))
    team.managers.add(employee)
    return employee


@pytest.fixture
def agent(team, version):
    """A member scored yesterday only."""
    employee = EmployeeFactory(role=Role.AGENT, user=UserFactory(first_name="Anna"))
    TeamMembershipFactory(employee=employee, team=team, starts_on=dt.date(2020, 1, 1))
    EmployeeDailyScore.objects.bulk_create(
        [
            EmployeeDailyScoreFactory.build(
                employee=employee,
                team=team,
                version=version,
                day=YESTERDAY,
                fcr_num=Decimal(7),
                fcr_den=Decimal(10),
                is_worked=True,
                is_final=True,
            )
        ]
    )
    scores_compute_teams(team_ids=[team.pk], date_from=YESTERDAY, date_to=YESTERDAY)
    return employee


def _day_url(team, day) -> str:
    iso = day.isoformat()
    dashboard = reverse("scorecards:team_dashboard", args=[team.slug])
    return f"{dashboard}?date_from={iso}&date_to={iso}#members"


def _chart(response, chart_id: str) -> dict:
    html = response.content.decode()
    start = html.index(f'<script id="{chart_id}" type="application/json">') + len(
        f'<script id="{chart_id}" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_a_point_of_the_team_trend_opens_that_day_of_the_team(client, team, manager, agent):
    client.force_login(manager.user)

    response = client.get(reverse("scorecards:team_dashboard", args=["riga"]) + "?days=7")

    chart = _chart(response, "team-trend")
    assert len(chart["links"]) == len(chart["labels"]) == 7
    # Only the scored day has something behind it.
    assert chart["links"].count(None) == 6
    assert _day_url(team, YESTERDAY) in chart["links"]
    table = response.content.decode().split('data-testid="trend-table"')[1]
    assert _day_url(team, YESTERDAY).replace("&", "&amp;") in table
    assert table.count('data-drill="day"') == 1


def test_a_members_figure_of_one_day_opens_that_persons_day_explained(client, team, manager, agent):
    client.force_login(manager.user)
    explained = reverse("scorecards:agent_explain", args=[agent.pk, YESTERDAY])

    one_day = client.get(_day_url(team, YESTERDAY).split("#")[0])
    period = client.get(reverse("scorecards:team_dashboard", args=["riga"]) + "?days=7")

    assert f'href="{explained}#metric-fcr"' in one_day.content.decode()
    detail = reverse("scorecards:agent_detail", args=[agent.pk])
    assert f'href="{detail}?days=7#metric-fcr"' in period.content.decode()
    # The drill-down lands on a page the manager may read, with that metric's heading.
    landing = client.get(explained)
    assert landing.status_code == 200
    assert 'id="metric-fcr"' in landing.content.decode()


def test_a_teams_point_of_the_comparison_opens_that_teams_day(client, team, manager, agent):
    client.force_login(manager.user)

    response = client.get(reverse("scorecards:team_compare") + "?days=7")

    chart = _chart(response, "compare-trend")
    (dataset,) = chart["datasets"]
    assert len(dataset["links"]) == len(chart["labels"])
    assert dataset["links"][-2] == _day_url(team, YESTERDAY)
    assert dataset["links"][-1] is None
    table = response.content.decode().split('data-testid="trend-table"')[1]
    assert _day_url(team, YESTERDAY).replace("&", "&amp;") in table


def test_another_managers_drill_down_stays_out_of_the_team(client, team, agent):
    outsider = EmployeeFactory(role=Role.MANAGER, user=UserFactory(username="other"))
    TeamFactory(slug="elsewhere").managers.add(outsider)
    client.force_login(outsider.user)

    assert client.get(_day_url(team, YESTERDAY).split("#")[0]).status_code == 404
    explained = reverse("scorecards:agent_explain", args=[agent.pk, YESTERDAY])
    assert client.get(explained).status_code == 404

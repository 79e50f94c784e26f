"""One period, one total: every page, export and endpoint scores a period with the version in
force on its last day, or today if it runs past today (docs/SCORING.md), even right after a new
version is published and before anything is recomputed."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scorecards.choices import MetricCode
from scorecards.engine.rows import scores_compute
from scorecards.selectors.agent import employee_overview
from scorecards.selectors.goals import goals_progress
from scorecards.selectors.periods import Period
from scorecards.selectors.team import team_dashboard, teams_comparison
from scorecards.services.versions import scorecard_version_publish
from staff.choices import Role
from staff.models import Team
from tests.factories import (
    EmployeeFactory,
    GoalFactory,
    InteractionFactory,
    MetricFactory,
    PublishedVersionFactory,
    ScorecardVersionFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAYS = 7


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def world():
    today = timezone.localdate()
    first = today - dt.timedelta(days=DAYS - 1)
    version = PublishedVersionFactory(
        effective_from=dt.date(2024, 1, 1),
        metrics=[
            {"code": MetricCode.FCR, "target": 80, "floor": 40, "weight": 3},
            {"code": MetricCode.CSAT, "target": 90, "floor": 50, "weight": 1},
        ],
    )
    team = TeamFactory(scorecard=version.scorecard, slug="desk")
    agent = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=agent, team=team, starts_on=dt.date(2024, 1, 1))
    manager = EmployeeFactory(role=Role.MANAGER, user=UserFactory(is_staff=True))
    team.managers.add(manager)
    for offset in range(DAYS - 1):
        day = first + dt.timedelta(days=offset)
        for hour, first_time in ((9, offset % 3 != 0), (10, True), (11, offset % 2 == 0)):
            interaction = InteractionFactory(
                employee=agent,
                opened_at=_at(day, hour),
                first_response_at=_at(day, hour),
                resolved_at=_at(day, hour) + dt.timedelta(minutes=20),
                is_first_contact_resolution=first_time,
            )
        SurveyResponseFactory(
            interaction=interaction, csat=3 + offset % 3, submitted_at=_at(day, 15)
        )
    scores_compute(date_from=first, date_to=today)
    goal = GoalFactory(
        employee=agent, metric=MetricCode.FCR, target=Decimal(70), starts_on=first, ends_on=today
    )
    return {
        "today": today,
        "first": first,
        "team": team,
        "agent": agent,
        "manager": manager,
        "version": version,
        "goal": goal,
    }


def _figures(world, client) -> dict[str, tuple]:
    """Return each surface's (total, version number) for the agent's last seven days."""
    today, first, team, agent = world["today"], world["first"], world["team"], world["agent"]
    period = Period(date_from=first, date_to=today)
    figures = {}
    overview = employee_overview(employee=agent, user=world["manager"].user, today=today, days=DAYS)
    figures["agent page"] = (overview.period_total, overview.version.number)
    dashboard = team_dashboard(team=team, period=period)
    (member,) = dashboard.members
    figures["team dashboard"] = (member.current.total, dashboard.version.number)
    comparison = teams_comparison(teams=Team.objects.filter(pk=team.pk), period=period)
    (figured,) = comparison.teams
    # One member: the team's pooled period is the agent's.
    figures["comparison"] = (figured.current.total, figured.version.number)

    client.force_login(world["manager"].user)
    url = reverse("scorecards:team_dashboard", args=[team.slug])
    response = client.get(
        url, {"format": "csv", "date_from": first.isoformat(), "date_to": today.isoformat()}
    )
    (row,) = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    figures["member CSV"] = (Decimal(row["Total (points)"]), dashboard.version.number)
    summary = client.get(
        "/api/v1/scores/summary/",
        {"group_by": "employee", "date_from": first.isoformat(), "date_to": today.isoformat()},
    ).json()
    (subject,) = summary if isinstance(summary, list) else summary["results"]
    figures["API summary"] = (Decimal(str(subject["total"])), subject["version"])
    return figures, subject


def _assert_one_total(figures: dict[str, tuple]) -> None:
    assert len(set(figures.values())) == 1, figures


def test_every_surface_reports_one_total_and_version_for_a_period(world, client):
    figures, subject = _figures(world, client)
    _assert_one_total(figures)
    assert next(iter(figures.values()))[1] == world["version"].number
    (goal,) = goals_progress(goals=world["goal"].__class__.objects.all(), now=timezone.now())
    api_value = Decimal(str(subject["metrics"]["fcr"]["value"])).quantize(Decimal("0.01"))
    assert api_value == goal.value


def test_right_after_a_version_is_published_every_surface_uses_it(world, client):
    draft = ScorecardVersionFactory(
        scorecard=world["version"].scorecard, effective_from=world["today"]
    )
    MetricFactory(version=draft, code=MetricCode.FCR, target=95, floor=50, weight=1)
    scorecard_version_publish(version=draft, effective_from=world["today"])

    figures, _subject = _figures(world, client)

    _assert_one_total(figures)
    assert next(iter(figures.values()))[1] == draft.number


def test_a_moved_agent_is_scored_like_on_the_old_teams_dashboard_when_asked_for_that_team(
    world, client
):
    today, first, old_team, agent = world["today"], world["first"], world["team"], world["agent"]
    other = PublishedVersionFactory(
        effective_from=dt.date(2024, 1, 1),
        metrics=[{"code": MetricCode.FCR, "target": 100, "floor": 0, "weight": 1}],
    )
    new_team = TeamFactory(scorecard=other.scorecard, slug="elsewhere")
    moved_on = today - dt.timedelta(days=2)
    membership = agent.memberships.get()
    membership.ends_on = moved_on - dt.timedelta(days=1)
    membership.save()
    TeamMembershipFactory(employee=agent, team=new_team, starts_on=moved_on)
    scores_compute(date_from=first, date_to=today)
    new_team.managers.add(world["manager"])

    dashboard = team_dashboard(team=old_team, period=Period(date_from=first, date_to=today))
    (member,) = dashboard.members
    client.force_login(world["manager"].user)
    summary = client.get(
        "/api/v1/scores/summary/",
        {
            "group_by": "employee",
            "team": old_team.slug,
            "date_from": first.isoformat(),
            "date_to": today.isoformat(),
        },
    ).json()
    (subject,) = summary if isinstance(summary, list) else summary["results"]

    assert (Decimal(str(subject["total"])), subject["version"]) == (
        member.current.total,
        dashboard.version.number,
    )

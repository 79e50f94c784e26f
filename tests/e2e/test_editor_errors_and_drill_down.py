"""The scorecard editor's error summary (focus on the banner, a link per error to its field) and
a chart's drill-down (a point of the team trend opens that day, a member's figure the day
explained), in Chromium, with axe-core on each page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from scorecards.choices import MetricCode
from scorecards.engine.rows import scores_compute_teams
from scorecards.models import EmployeeDailyScore
from staff.choices import Role
from tests.e2e.sweep import page_measure
from tests.factories import (
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    MetricFactory,
    PublishedVersionFactory,
    ScorecardFactory,
    ScorecardVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

PASSWORD = "pass-word-123"
TODAY = timezone.localdate()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is added as a script tag, which the site's CSP refuses (as test_pages.py does).
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def people():
    version = PublishedVersionFactory(
        scorecard=ScorecardFactory(name="Support", slug="support"),
        number=1,
        effective_from=dt.date(2020, 1, 1),
        metrics=[{"code": MetricCode.FCR, "target": 80, "floor": 40}],
    )
    draft = ScorecardVersionFactory(
        scorecard=version.scorecard, number=2, effective_from=TODAY + dt.timedelta(days=1)
    )
    MetricFactory(version=draft, code=MetricCode.FCR, label="First contact resolution")
    team = TeamFactory(name="Riga Support", slug="riga", scorecard=version.scorecard)
    manager = EmployeeFactory(
        role=Role.MANAGER, user=UserFactory(username="maris", first_name="Māris")
    )
    team.managers.add(manager)
    manager.user.user_permissions.add(Permission.objects.get(codename="change_scorecardversion"))
    agent = EmployeeFactory(
        role=Role.AGENT, user=UserFactory(username="anna", first_name="Anna", last_name="Ozola")
    )
    TeamMembershipFactory(employee=agent, team=team, starts_on=dt.date(2020, 1, 1))
    days = [TODAY - dt.timedelta(days=offset) for offset in range(1, 8)]
    EmployeeDailyScore.objects.bulk_create(
        [
            EmployeeDailyScoreFactory.build(
                employee=agent,
                team=team,
                version=version,
                day=day,
                fcr_num=Decimal(5 + position % 4),
                fcr_den=Decimal(10),
                is_worked=True,
                is_final=True,
            )
            for position, day in enumerate(days)
        ]
    )
    scores_compute_teams(team_ids=[team.pk], date_from=min(days), date_to=max(days))
    return manager, agent, team


def _point_click(page, chart_id: str, index: int) -> None:
    """Click the point of the chart's first dataset at the index, as a mouse user does."""
    x, y = page.evaluate(
        """([chartId, index]) => {
            const canvas = document.querySelector(`canvas[data-chart="${chartId}"]`);
            canvas.scrollIntoView({block: "center"});
            const point = Chart.getChart(canvas).getDatasetMeta(0).data[index];
            const box = canvas.getBoundingClientRect();
            return [box.left + point.x, box.top + point.y];
        }""",
        [chart_id, index],
    )
    page.mouse.click(x, y)


def _no_axe_problems(page, path: str) -> None:
    assert page_measure(page, path).problems() == []


@pytest.mark.django_db(transaction=True)
def test_editor_errors_take_the_focus_and_link_to_their_fields(
    page, sign_in, live_server, screenshot, people
):
    sign_in("maris", PASSWORD)
    page.goto(f"{live_server.url}/scorecards/support/edit/2/")
    page.locator("#id_version-sla_minutes").fill("0")
    page.locator("#id_metrics-0-weight").fill("-1")
    page.get_by_test_id("save-draft").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The draft was not saved.")
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.first).to_have_attribute("href", "#id_version-sla_minutes")
    _no_axe_problems(page, "/scorecards/support/edit/2/ (errors)")
    screenshot("editor-error-summary")

    links.first.click()
    expect(page.locator("#id_version-sla_minutes")).to_be_focused()
    links.nth(1).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_metrics-0-weight")).to_be_focused()


@pytest.mark.django_db(transaction=True)
def test_a_point_of_the_team_trend_drills_down_to_a_day_explained(
    page, sign_in, live_server, people
):
    _manager, agent, team = people
    sign_in("maris", PASSWORD)
    page.goto(f"{live_server.url}/teams/riga/?days=7")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))"
    )
    _no_axe_problems(page, "/teams/riga/?days=7")
    yesterday = TODAY - dt.timedelta(days=1)
    # The point of yesterday: the last but one of the seven days.
    _point_click(page, "team-trend", 5)

    iso = yesterday.isoformat()
    expect(page).to_have_url(re.compile(rf"date_from={iso}&date_to={iso}#members$"))
    cell = page.get_by_test_id("member-table").locator("a[data-drill=fcr]")
    expect(cell).to_have_attribute("href", f"/agents/{agent.pk}/explain/{iso}/#metric-fcr")
    cell.click()
    expect(page).to_have_url(re.compile(rf"/agents/{agent.pk}/explain/{iso}/#metric-fcr$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("explained")
    _no_axe_problems(page, f"/agents/{agent.pk}/explain/{iso}/")

    # The agent's own trend: a point opens that day explained.
    page.goto(f"{live_server.url}/agents/{agent.pk}/?days=7")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))"
    )
    _point_click(page, "trend-chart", 5)
    expect(page).to_have_url(re.compile(rf"/agents/{agent.pk}/explain/{iso}/$"))

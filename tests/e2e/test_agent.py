import datetime as dt
import math
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from scorecards.choices import GoalStatus, MetricCode
from scorecards.engine.rows import scores_compute
from scorecards.scoring import quantize
from scorecards.selectors.versions import version_score
from staff.choices import Role
from tests.factories import (
    CustomerFactory,
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    GoalFactory,
    InteractionFactory,
    PublishedQAReviewFactory,
    PublishedVersionFactory,
    QAReviewFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

PASSWORD = "pass-word-123"
METRICS = [
    {
        "code": MetricCode.RESPONSE_SLA,
        "label": "Answered within SLA",
        "target": 90,
        "floor": 60,
        "weight": 2,
        "rule_what": "Share of contacts answered within 60 minutes.",
        "rule_why": "Customers judge us first by how fast we answer.",
        "rule_how": "Check the queue at the top of every hour.",
    },
    {
        "code": MetricCode.FCR,
        "label": "Solved on first contact",
        "target": 75,
        "floor": 40,
        "weight": 2,
        "rule_what": "Share of contacts solved without the customer coming back.",
    },
    {"code": MetricCode.CSAT, "label": "Customer satisfaction", "target": 90, "floor": 60},
    {
        "code": MetricCode.FIRST_RESPONSE_MINUTES,
        "label": "First response time",
        "target": 10,
        "floor": 60,
    },
    {"code": MetricCode.QA, "label": "Quality review", "target": 85, "floor": 50},
]


def seed(agent, *, team, version, days=30):
    """Give the agent a month of plausible daily rows, feedback, reviews and goals."""
    today = timezone.localdate()
    for offset in range(days):
        day = today - dt.timedelta(days=offset)
        wave = math.sin(offset / 3)
        handled = 8 + offset % 5
        stats = {
            MetricCode.RESPONSE_SLA: (Decimal(handled - 1 - int(wave > 0.5)), Decimal(handled)),
            MetricCode.FCR: (Decimal(handled - 3 + round(wave)), Decimal(handled)),
            MetricCode.CSAT: (Decimal(3 + (offset % 3 != 0)), Decimal(4)),
            MetricCode.FIRST_RESPONSE_MINUTES: (
                Decimal(handled * (14 + 6 * wave)).quantize(Decimal("0.01")),
                Decimal(handled),
            ),
            MetricCode.QA: (Decimal(80 + 10 * wave), Decimal(1)),
        }
        score = version_score(version=version, stats=stats)
        columns = {}
        for code, (num, den) in stats.items():
            columns[f"{code}_num"], columns[f"{code}_den"] = num, den
        EmployeeDailyScoreFactory(
            employee=agent,
            team=team,
            version=version,
            day=day,
            total=quantize(score.total),
            band=score.band,
            **columns,
        )
    customers = [CustomerFactory(name=name) for name in ("Ilze Kalniņa", "Jonas Petraitis")]
    for index, subject in enumerate(
        ["Invoice shows the wrong VAT", "Cannot log in to the portal", "Router keeps rebooting"]
    ):
        interaction = InteractionFactory(
            employee=agent,
            customer=customers[index % 2],
            subject=subject,
            opened_at=timezone.now() - dt.timedelta(hours=3 * index + 1),
        )
        SurveyResponseFactory(
            interaction=interaction, csat=5 - index, comment="Quick, friendly and solved it."
        )
    PublishedQAReviewFactory(
        interaction=interaction,
        total=Decimal("87.5"),
        comment="Clear greeting, checked the fix with the customer.",
    )
    QAReviewFactory(
        interaction=InteractionFactory(employee=agent, subject="Refund for a double charge")
    )
    # Today's row is computed from the records above, so "explain" shows what made it.
    scores_compute(date_from=today, date_to=today, employee_ids=[agent.pk])
    GoalFactory(
        employee=agent,
        metric=MetricCode.FCR,
        target=Decimal("75"),
        starts_on=today - dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=16),
        why="I want customers to need only one call.",
    )
    GoalFactory(
        employee=agent,
        metric=MetricCode.FIRST_RESPONSE_MINUTES,
        target=Decimal("15"),
        starts_on=today - dt.timedelta(days=40),
        ends_on=today - dt.timedelta(days=10),
        status=GoalStatus.MET,
        why="Nobody should wait a quarter of an hour.",
    )


@pytest.fixture
def people():
    version = PublishedVersionFactory(effective_from=dt.date(2020, 1, 1), metrics=METRICS)
    team = TeamFactory(name="Riga Support", slug="riga-support", scorecard=version.scorecard)
    agent = EmployeeFactory(
        user=UserFactory(username="anna", first_name="Anna", last_name="Ozola"), role=Role.AGENT
    )
    TeamMembershipFactory(employee=agent, team=team)
    manager = EmployeeFactory(
        user=UserFactory(username="maris", first_name="Māris", last_name="Bērziņš"),
        role=Role.MANAGER,
    )
    team.managers.add(manager)
    seed(agent, team=team, version=version)
    return agent, manager


@pytest.mark.django_db(transaction=True)
def test_agent_sees_their_scorecard_and_explains_a_day(page, sign_in, screenshot, people):
    agent, _manager = people
    sign_in("anna", PASSWORD)
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_role("heading", name="My scorecard")).to_be_visible()
    expect(page.get_by_test_id("as-of")).to_contain_text("Scores as of")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))"
    )
    table = page.get_by_test_id("metric-table")
    expect(table.locator("tbody tr")).to_have_count(len(METRICS))
    expect(table).to_contain_text("Answered within SLA")
    expect(page.get_by_test_id("goals")).to_contain_text("I want customers to need only one call.")
    expect(page.get_by_test_id("survey-comments")).to_contain_text("Quick, friendly")
    expect(page.get_by_test_id("reviews")).to_contain_text("Clear greeting")
    expect(page.get_by_test_id("reviews")).not_to_contain_text("Refund for a double charge")
    screenshot("agent-me")

    page.get_by_test_id("trend-table").locator("summary").click()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    expect(page.locator(f"a[href$='/me/explain/{yesterday.isoformat()}/']")).to_be_visible()
    page.get_by_role("link", name="Explain today's score").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("explained")
    csat = page.locator("[data-metric=csat]")
    expect(csat.get_by_test_id("num-den")).to_contain_text("Counted: 2 out of 3.")
    csat.locator("summary").click()
    expect(csat).to_contain_text("Survey: satisfaction 5 of 5")
    screenshot("agent-explain")


@pytest.mark.django_db(transaction=True)
def test_manager_opens_an_agent_and_changes_the_period(
    page, sign_in, screenshot, live_server, people
):
    agent, _manager = people
    sign_in("maris", PASSWORD)
    page.goto(f"{live_server.url}/agents/{agent.pk}/")
    expect(page.get_by_role("heading", name="Anna Ozola")).to_be_visible()
    expect(page.get_by_test_id("period")).to_contain_text("Last 30 days")
    expect(page.get_by_test_id("reviews-to-do")).to_contain_text("Refund for a double charge")
    screenshot("agent-detail-30-days")

    page.get_by_test_id("period-picker").get_by_role("link", name="7 days").click()
    expect(page).to_have_url(re.compile(r"\?days=7$"))
    expect(page.get_by_test_id("period")).to_contain_text("Last 7 days")
    expect(
        page.get_by_test_id("period-picker").get_by_role("link", name="7 days")
    ).to_have_attribute("aria-current", "page")
    screenshot("agent-detail-7-days")


@pytest.mark.django_db(transaction=True)
def test_agent_sets_a_goal_and_sees_the_error_at_the_field(page, sign_in, live_server, people):
    sign_in("anna", PASSWORD)
    page.goto(f"{live_server.url}/me/goals/new/")
    page.get_by_label("Metric").select_option(MetricCode.CSAT)
    page.get_by_label("Target").fill("120")
    page.get_by_label("Why this goal matters to me").fill("Happy customers come back.")
    page.get_by_role("button", name="Save goal").click()
    expect(page.locator("#id_target")).to_have_class(re.compile(r"is-invalid"))
    expect(page.get_by_text("between 0 and 100")).to_be_visible()
    page.get_by_label("Target").fill("92")
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_test_id("goal-list")).to_contain_text("Happy customers come back.")

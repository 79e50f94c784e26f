"""The main pages run under the Content Security Policy with nothing refused.

Chromium reports each refusal twice: as a console error and as a `securitypolicyviolation`
event in the page; both are collected for every page of every role. Charts and Swagger UI
must also have run (their scripts were allowed, not merely absent).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.survey_selectors import survey_token
from scorecards.choices import MetricCode
from staff.choices import Role
from tests.factories import (
    ChangeEventFactory,
    CustomerFactory,
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    GoalFactory,
    InteractionFactory,
    PublishedVersionFactory,
    SurveyInvitationFactory,
    TeamDailyScoreFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

PASSWORD = "pass-word-123"

# Recorded in the page before any of its own scripts run.
COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture
def site(transactional_db):
    """Two teams with a month of scores, a goal, a change event and a customer."""
    version = PublishedVersionFactory(
        metrics=[
            {"code": MetricCode.FCR, "target": 80, "floor": 40},
            {"code": MetricCode.CSAT, "target": 90, "floor": 50},
        ]
    )
    teams = [
        TeamFactory(name="Riga", slug="riga", scorecard=version.scorecard),
        TeamFactory(name="Vilnius", slug="vilnius", scorecard=version.scorecard),
    ]
    users = {
        role: UserFactory(
            username=role, is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN
        )
        for role in (Role.AGENT, Role.MANAGER, Role.ADMIN)
    }
    agent = EmployeeFactory(user=users[Role.AGENT], role=Role.AGENT)
    manager = EmployeeFactory(user=users[Role.MANAGER], role=Role.MANAGER)
    EmployeeFactory(user=users[Role.ADMIN], role=Role.ADMIN)
    TeamMembershipFactory(employee=agent, team=teams[0])
    for team in teams:
        team.managers.add(manager)
    today = timezone.localdate()
    for offset in range(30):
        day = today - dt.timedelta(days=offset)
        total = Decimal(60 + offset % 30)
        EmployeeDailyScoreFactory(
            employee=agent, team=teams[0], version=version, day=day, total=total
        )
        for team in teams:
            TeamDailyScoreFactory(team=team, version=version, day=day, total=total)
    GoalFactory(employee=agent, target=Decimal("85"), starts_on=today - dt.timedelta(days=10))
    event = ChangeEventFactory(
        team=teams[0], day=today - dt.timedelta(days=7), notes="Line 1\nLine 2"
    )
    interaction = InteractionFactory(employee=agent, customer=CustomerFactory(name="Acme buyer"))
    invitation = SurveyInvitationFactory(interaction=interaction)
    return {
        "scorecard": version.scorecard,
        "agent": agent,
        "event": event,
        "survey": f"/s/{survey_token(invitation=invitation)}/",
    }


def _visit(page, url: str, console: list[str]) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    refused = page.evaluate("() => window.__csp")
    return refused + [message for message in console if "Content Security Policy" in message]


def _browse(browser, live_server, username: str | None, paths: list[str]) -> dict[str, list]:
    context = browser.new_context()
    context.add_init_script(COLLECT_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    if username:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_test_id("current-user")).to_be_visible()
    found = {}
    for path in paths:
        console.clear()
        found[path] = _visit(page, f"{live_server.url}{path}", console)
        if path in CHARTED:
            charts = page.evaluate("() => window.Chart ? Object.keys(Chart.instances).length : 0")
            found[path] += [] if charts else ["no chart was drawn"]
        if path == "/api/docs/":
            expect(page.locator(".swagger-ui .info")).to_be_visible()
    context.close()
    return {path: problems for path, problems in found.items() if problems}


CHARTED = {"/me/", "/teams/riga/", "/teams/compare/"}


def test_main_pages_raise_no_csp_violations(browser, live_server, site):
    event = site["event"]
    slug = site["scorecard"].slug
    agent = site["agent"]
    problems = {
        "anonymous": _browse(
            browser, live_server, None, ["/accounts/login/", "/api/docs/", site["survey"]]
        ),
        "agent": _browse(
            browser,
            live_server,
            "agent",
            [
                "/me/",
                "/me/goals/",
                "/rules/",
                f"/rules/{slug}/",
                "/interactions/new/",
                "/qa/reviews/",
            ],
        ),
        "manager": _browse(
            browser,
            live_server,
            "manager",
            [
                "/teams/riga/",
                "/teams/compare/",
                f"/agents/{agent.pk}/",
                f"/changes/{event.pk}/",
                "/customers/",
                "/qa/",
            ],
        ),
        "admin": _browse(
            browser,
            live_server,
            "admin",
            ["/admin/", "/admin/scorecards/goal/", f"/admin/staff/employee/{agent.pk}/change/"],
        ),
    }

    assert problems == {"anonymous": {}, "agent": {}, "manager": {}, "admin": {}}

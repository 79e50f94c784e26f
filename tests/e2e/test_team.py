import datetime as dt
import random
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from scorecards.choices import AlertKind, ChangeKind, MetricCode
from scorecards.engine.rows import scores_compute_teams
from scorecards.models import EmployeeDailyScore
from scorecards.scoring import quantize
from scorecards.selectors.versions import version_score
from staff.choices import Role
from tests.e2e.conftest import nav_open
from tests.factories import (
    AlertFactory,
    ChangeEventFactory,
    EmployeeFactory,
    PublishedVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

PASSWORD = "pass-word-123"
DAYS = 90
METRICS = [
    {"code": MetricCode.RESPONSE_SLA, "target": 90, "floor": 50, "weight": 2},
    {"code": MetricCode.FIRST_RESPONSE_MINUTES, "target": 5, "floor": 60},
    {"code": MetricCode.FCR, "target": 80, "floor": 40, "weight": 2},
    {"code": MetricCode.ESCALATION, "target": 5, "floor": 30},
    {"code": MetricCode.CSAT, "target": 90, "floor": 50, "weight": 2},
    {"code": MetricCode.QA, "target": 90, "floor": 50},
]
PEOPLE = {
    "riga": [
        ("Anna", "Ozola", 0.92),
        ("Jānis", "Bērziņš", 0.85),
        ("Ilze", "Kalniņa", 0.78),
        ("Dmitrijs", "Petrovs", 0.70),
        ("Līga", "Liepa", 0.88),
        ("Rūta", "Zariņa", 0.62),
        ("Oskars", "Krūmiņš", 0.81),
        ("Marina", "Sokolova", 0.74),
    ],
    "vilnius": [
        ("Tomas", "Kazlauskas", 0.80),
        ("Eglė", "Petrauskaitė", 0.86),
        ("Lukas", "Jankauskas", 0.69),
        ("Agnė", "Stankevičiūtė", 0.77),
        ("Mantas", "Vasiliauskas", 0.83),
    ],
    "tallinn": [
        ("Kadri", "Tamm", 0.75),
        ("Martin", "Saar", 0.71),
        ("Liis", "Sepp", 0.79),
    ],
}


def _day_stats(rng: random.Random, skill: float, boost: float) -> dict:
    skill = min(skill + boost, 0.98)
    handled = rng.randint(10, 18)
    answered = rng.randint(handled - 2, handled)
    resolved = rng.randint(max(handled - 4, 1), handled)
    surveys = rng.randint(1, 4)
    reviews = 1 if rng.random() < 0.3 else 0
    return {
        "response_sla": (round(answered * min(skill + 0.05, 1)), handled),
        "first_response_minutes": (
            Decimal(answered) * Decimal(round(40 - 35 * skill, 1)),
            answered,
        ),
        "fcr": (round(resolved * skill), resolved),
        "escalation": (round(resolved * (1 - skill) * 0.4), resolved),
        "csat": (sum(rng.random() < skill + 0.02 for _ in range(surveys)), surveys),
        "qa": (Decimal(round(100 * skill, 1)) * reviews, reviews),
        "volume": (resolved, 1),
    }


def _build_team(*, name, slug, version, people, manager, today, rng, training_day=None):
    team = TeamFactory(name=name, slug=slug, scorecard=version.scorecard)
    team.managers.add(manager)
    employees = []
    for first, last, skill in people:
        employee = EmployeeFactory(
            user=UserFactory(username=f"{slug}-{first.lower()}", first_name=first, last_name=last),
            role=Role.AGENT,
        )
        TeamMembershipFactory(employee=employee, team=team, starts_on=today - dt.timedelta(400))
        employees.append((employee, skill))
    rows = []
    for offset in range(DAYS * 2):
        day = today - dt.timedelta(days=offset)
        if day.weekday() == 6:
            continue
        for employee, skill in employees:
            boost = 0.08 if training_day and day >= training_day else 0.0
            stats = _day_stats(rng, skill - 0.04 * (offset > DAYS), boost)
            score = version_score(
                version=version,
                stats={code: (Decimal(num), Decimal(den)) for code, (num, den) in stats.items()},
            )
            columns = {}
            for code, (num, den) in stats.items():
                columns[f"{code}_num"], columns[f"{code}_den"] = num, den
            rows.append(
                EmployeeDailyScore(
                    employee=employee,
                    team=team,
                    version=version,
                    day=day,
                    total=quantize(score.total),
                    band=score.band,
                    computed_at=timezone.now(),
                    **columns,
                )
            )
    EmployeeDailyScore.objects.bulk_create(rows)
    scores_compute_teams(
        team_ids=[team.pk], date_from=today - dt.timedelta(days=DAYS * 2), date_to=today
    )
    return team, [employee for employee, _skill in employees]


def _realistic_teams():
    rng = random.Random(2026)
    today = timezone.localdate()
    version = PublishedVersionFactory(effective_from=dt.date(2020, 1, 1), metrics=METRICS)
    manager = EmployeeFactory(
        user=UserFactory(username="lead", first_name="Kristīne", last_name="Vītola"),
        role=Role.MANAGER,
    )
    training_day = today - dt.timedelta(days=20)
    riga, riga_people = _build_team(
        name="Riga Support",
        slug="riga",
        version=version,
        people=PEOPLE["riga"],
        manager=manager,
        today=today,
        rng=rng,
        training_day=training_day,
    )
    for key, name in (("vilnius", "Vilnius Sales"), ("tallinn", "Tallinn Billing")):
        _build_team(
            name=name,
            slug=key,
            version=version,
            people=PEOPLE[key],
            manager=manager,
            today=today,
            rng=rng,
        )
    training = ChangeEventFactory(
        team=riga,
        day=training_day,
        kind=ChangeKind.TRAINING,
        title="De-escalation training",
        notes="Half-day workshop for the whole team, with role play on difficult calls.",
        created_by=manager,
    )
    ChangeEventFactory(
        team=None,
        day=today - dt.timedelta(days=55),
        kind=ChangeKind.POLICY,
        title="New refund policy",
    )
    ChangeEventFactory(
        team=riga,
        day=today - dt.timedelta(days=72),
        kind=ChangeKind.PROCEDURE,
        title="Callback script",
    )
    AlertFactory(employee=riga_people[5], kind=AlertKind.RED_STREAK, day=today)
    AlertFactory(
        employee=riga_people[3],
        kind=AlertKind.DROP,
        day=today - dt.timedelta(days=2),
        details={"current_total": "58.40", "previous_total": "71.20"},
    )
    return riga, riga_people, training


@pytest.mark.django_db(transaction=True)
def test_manager_reads_the_dashboard_sorts_members_and_drills_into_an_agent(
    page, sign_in, screenshot, live_server
):
    riga, people, _training = _realistic_teams()
    sign_in("lead", PASSWORD)

    nav_open(page, "teams")
    page.get_by_role("link", name="Riga Support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riga Support")
    page.get_by_role("link", name="90 days").click()
    expect(page).to_have_url(re.compile(r"days=90"))
    expect(page.get_by_test_id("team-total")).to_contain_text("Team total")
    expect(page.get_by_test_id("member-table").locator("tbody tr")).to_have_count(8)
    expect(page.get_by_test_id("events")).to_contain_text("De-escalation training")
    screenshot("team-dashboard")

    page.get_by_role("link", name="7 days").click()
    expect(page).to_have_url(re.compile(r"days=7"))
    page.locator("[data-sort=total]").click()
    expect(page).to_have_url(re.compile(r"sort=-total"))
    first_row = page.get_by_test_id("member-table").locator("tbody tr").first
    # The strongest agent of the team tops the table sorted by total, best first.
    expect(first_row).to_contain_text("Anna Ozola")
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Total")
    page.locator("[data-sort=total]").click()
    expect(page).to_have_url(re.compile(r"sort=total"))
    expect(page.get_by_test_id("member-table").locator("tbody tr").first).to_contain_text(
        "Rūta Zariņa"
    )

    page.get_by_role("link", name="Anna Ozola").click()
    expect(page).to_have_url(re.compile(rf"/agents/{people[0].pk}/$"))


@pytest.mark.django_db(transaction=True)
def test_manager_compares_teams_and_reads_a_change_impact(page, sign_in, screenshot, live_server):
    _riga, _people, training = _realistic_teams()
    sign_in("lead", PASSWORD)

    nav_open(page, "compare")
    table = page.get_by_test_id("compare-table")
    for name in ("Riga Support", "Tallinn Billing", "Vilnius Sales"):
        expect(table).to_contain_text(name)
    screenshot("team-compare")

    nav_open(page, "changes")
    page.get_by_role("link", name="De-escalation training").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("De-escalation training")
    expect(page.locator("[data-metric=fcr] [data-verdict]")).to_have_attribute(
        "data-verdict", "changed"
    )
    screenshot("change-impact")

    nav_open(page, "alerts")
    expect(page.get_by_test_id("alerts").locator("tbody tr")).to_have_count(2)
    page.get_by_role("button", name=re.compile("Acknowledge")).first.click()
    expect(page.get_by_role("alert")).to_contain_text("Alert acknowledged")
    expect(page.get_by_test_id("alerts").locator("tbody tr")).to_have_count(1)


@pytest.mark.django_db(transaction=True)
def test_manager_records_a_change_and_sees_the_field_error_first(page, sign_in, live_server):
    manager = EmployeeFactory(user=UserFactory(username="lead"), role=Role.MANAGER)
    TeamFactory(name="Riga Support", slug="riga").managers.add(manager)
    sign_in("lead", PASSWORD)
    page.goto(f"{live_server.url}/changes/new/")

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_label("Day").fill(tomorrow.isoformat())
    page.get_by_label("Kind").select_option("training")
    page.get_by_label("Title").fill("Objection handling training")
    page.get_by_role("button", name="Record the change").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("once it has happened")

    page.get_by_label("Day").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Objection handling training")
    expect(page.get_by_role("alert")).to_contain_text("The change is recorded.")

"""Data and helpers shared by the rules, onboarding and editor page tests."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scorecards.choices import MetricCode
from tests.factories import EmployeeFactory, TeamMembershipFactory, UserFactory

TODAY = timezone.localdate()
METRICS = [
    {
        "code": MetricCode.FCR,
        "label": "First contact resolution",
        "weight": 3,
        "target": 80,
        "floor": 40,
        "min_sample": 2,
        "rule_what": "Share of contacts solved the first time.",
        "rule_how": "Ask one more question before you close.",
        "translations": {"lv": {"label": "Atrisināts pirmajā kontaktā"}},
    },
    {"code": MetricCode.CSAT, "label": "Customer satisfaction", "target": 90, "floor": 50},
]
CRITERIA = [
    {
        "code": "greeting",
        "label": "Greeting",
        "description": "Name, company, offer to help.",
        "examples": "Good morning, Acme support, this is Anna.",
    },
    {"code": "courtesy", "label": "Courtesy", "is_critical": True, "weight": 2},
]


def signed_in(client, employee):
    client.force_login(employee.user)
    return client


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def member(team, *, username, hired_days_ago, email=True, language="en"):
    employee = EmployeeFactory(
        user=UserFactory(username=username, email=f"{username}@example.com" if email else ""),
        hire_date=TODAY - dt.timedelta(days=hired_days_ago),
        language=language,
    )
    TeamMembershipFactory(employee=employee, team=team)
    return employee

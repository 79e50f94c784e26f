"""A published scorecard with its team and the people who read or edit its rules."""

import datetime as dt

import pytest

from staff.choices import Role
from tests.factories import (
    EmployeeFactory,
    PublishedVersionFactory,
    ScorecardFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.scorecards.rules.helpers import CRITERIA, METRICS, TODAY


@pytest.fixture
def version():
    return PublishedVersionFactory(
        scorecard=ScorecardFactory(name="Support", slug="support"),
        number=1,
        effective_from=TODAY - dt.timedelta(days=400),
        intro="Welcome to the support team.",
        metrics=METRICS,
        criteria=CRITERIA,
    )


@pytest.fixture
def team(version):
    return TeamFactory(name="Riga support", scorecard=version.scorecard)


@pytest.fixture
def agent(team):
    employee = EmployeeFactory(role=Role.AGENT, user=UserFactory(username="agent"))
    TeamMembershipFactory(employee=employee, team=team)
    return employee


@pytest.fixture
def manager(team):
    employee = EmployeeFactory(role=Role.MANAGER, user=UserFactory(username="manager"))
    team.managers.add(employee)
    return employee


@pytest.fixture
def onboarding_staff(db):
    return EmployeeFactory(role=Role.ONBOARDING, user=UserFactory(username="onboarding"))


@pytest.fixture
def admin(db):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return EmployeeFactory(role=Role.ADMIN, user=user)


@pytest.fixture
def other_scorecard(db):
    version = PublishedVersionFactory(
        scorecard=ScorecardFactory(name="Sales", slug="sales"),
        number=1,
        effective_from=TODAY - dt.timedelta(days=30),
    )
    TeamFactory(name="Sales team", scorecard=version.scorecard)
    return version.scorecard

"""A team on a published scorecard and its manager; a fresh cache for each test."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from staff.choices import Role
from tests.factories import EmployeeFactory, PublishedVersionFactory, TeamFactory, UserFactory
from tests.scorecards.team.helpers import METRICS


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def version():
    return PublishedVersionFactory(effective_from=dt.date(2020, 1, 1), metrics=METRICS)


@pytest.fixture
def team(version):
    return TeamFactory(name="Riga Support", slug="riga", scorecard=version.scorecard)


@pytest.fixture
def manager(team):
    employee = EmployeeFactory(role=Role.MANAGER, user=UserFactory(username="lead"))
    team.managers.add(employee)
    return employee


@pytest.fixture
def admin_user():
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    EmployeeFactory(user=user, role=Role.ADMIN)
    return user

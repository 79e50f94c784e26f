"""Shared pieces of the fault tests: dead brokers, a queue of one's own, a staffed team."""

import datetime as dt
import importlib
import sys
from types import ModuleType

import pytest
from django.utils import timezone

from tests.celery_worker import queue_purge, unique_queue
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    PublishedVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "faults: breaks Redis, a worker or PostgreSQL on purpose and checks recovery"
    )


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


@pytest.fixture
def queue():
    """A Celery queue no other test run consumes, emptied before and after."""
    name = unique_queue()
    queue_purge(name)
    yield name
    queue_purge(name)


def production_settings(monkeypatch, **environ: str) -> ModuleType:
    """Import the production settings afresh with this environment; return the module."""
    import crs_site.settings

    defaults = {
        "SECRET_KEY": "fault-test",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
    }
    for name, value in {**defaults, **environ}.items():
        monkeypatch.setenv(name, value)
    for name in ("base", "production"):
        module = f"crs_site.settings.{name}"
        if module in sys.modules:
            monkeypatch.delitem(sys.modules, module)
        if hasattr(crs_site.settings, name):
            monkeypatch.setattr(crs_site.settings, name, getattr(crs_site.settings, name))
    return importlib.import_module("crs_site.settings.production")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def staffed_team(*, size: int, days: list[dt.date]):
    """Return a team with a version in force and `size` members who worked on each day."""
    team = TeamFactory()
    PublishedVersionFactory(
        scorecard=team.scorecard,
        effective_from=dt.date(2020, 1, 1),
        metrics=[{"code": "fcr"}, {"code": "volume", "target": 4, "floor": 0}],
    )
    employees = [EmployeeFactory() for _ in range(size)]
    for index, employee in enumerate(employees):
        TeamMembershipFactory(employee=employee, team=team)
        for day in days:
            for n in range((index + day.day) % 3 + 1):
                InteractionFactory(
                    employee=employee,
                    opened_at=at(day, 9 + n),
                    first_response_at=at(day, 9 + n, 5),
                    resolved_at=at(day, 12 + n),
                    is_first_contact_resolution=(n + index) % 2 == 0,
                )
    return team, employees

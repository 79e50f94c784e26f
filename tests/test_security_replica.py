"""The replica router: only read-only requests read computed rows there; writes stay primary."""

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from crs_site.db_router import ReplicaReadsMiddleware, ReplicaRouter
from customers.models import Interaction
from scorecards.models import EmployeeDailyScore, TeamDailyScore

router = ReplicaRouter()


def _route_inside(method: str, model) -> str | None:
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(model)

    ReplicaReadsMiddleware(view)(getattr(RequestFactory(), method.lower())("/teams/a/"))
    return seen["db"]


@pytest.fixture
def with_replica(monkeypatch):
    # Only the alias's presence matters to the router; no connection to it is opened here.
    monkeypatch.setitem(django_settings.DATABASES, "replica", django_settings.DATABASES["default"])


def test_dashboard_reads_of_score_rows_go_to_the_replica(with_replica):
    assert _route_inside("GET", EmployeeDailyScore) == "replica"
    assert _route_inside("HEAD", TeamDailyScore) == "replica"


def test_posts_and_other_models_stay_on_the_primary(with_replica):
    assert _route_inside("POST", EmployeeDailyScore) is None
    assert _route_inside("GET", Interaction) is None
    assert router.db_for_read(EmployeeDailyScore) is None  # outside a request: Celery, commands


def test_without_a_replica_nothing_is_routed():
    assert "replica" not in django_settings.DATABASES
    assert _route_inside("GET", EmployeeDailyScore) is None


def test_writes_and_migrations_never_go_to_the_replica():
    assert router.db_for_write(EmployeeDailyScore) == "default"
    assert router.allow_migrate("replica", "scorecards") is False
    assert router.allow_migrate("default", "scorecards") is None

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from scorecards.choices import MetricCode
from staff.choices import ApiScope
from staff.models import ApiKey
from staff.services import api_key_teams_set
from tests.factories import (
    CustomerFactory,
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    PublishedVersionFactory,
    TeamDailyScoreFactory,
    TeamFactory,
    TeamMembershipFactory,
)

ALL_SCOPES = list(ApiScope.values)
DAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # The throttle counts requests in the cache; each test starts with none.
    cache.clear()


@pytest.fixture
def make_key(db):
    def make(*, scopes=ALL_SCOPES, teams=(), **fields):
        api_key, raw = ApiKey.objects.create_key(name="tool", scopes=list(scopes), **fields)
        api_key_teams_set(api_key=api_key, teams=teams)
        return api_key, raw

    return make


@pytest.fixture
def client_for(make_key):
    """Return an API client sending a fresh key with the given scopes and teams."""

    def build(*, scopes=ALL_SCOPES, teams=()):
        _, raw = make_key(scopes=scopes, teams=teams)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
        return client

    return build


@pytest.fixture
def world(db):
    """Two teams on one scorecard, an agent in each, scored on DAY, and a customer."""
    version = PublishedVersionFactory(
        metrics=[
            {"code": MetricCode.FCR, "target": Decimal("80"), "floor": Decimal("40")},
            {"code": MetricCode.CSAT, "target": Decimal("90"), "floor": Decimal("50")},
        ],
        criteria=[{"code": "greeting", "label": "Greeting"}],
    )
    teams = {}
    agents = {}
    for name in ("north", "south"):
        teams[name] = TeamFactory(slug=name, name=name.title(), scorecard=version.scorecard)
        agents[name] = EmployeeFactory(external_id=f"E-{name}")
        TeamMembershipFactory(employee=agents[name], team=teams[name])
        EmployeeDailyScoreFactory(
            employee=agents[name],
            team=teams[name],
            version=version,
            day=DAY,
            total=Decimal("70"),
            band="amber",
            fcr_num=Decimal("7"),
            fcr_den=Decimal("10"),
            figures={"fcr": {"value": "70", "score": "75"}},
        )
        TeamDailyScoreFactory(team=teams[name], version=version, day=DAY)
    customer = CustomerFactory(external_id="C-1")
    return {"version": version, "teams": teams, "agents": agents, "customer": customer}

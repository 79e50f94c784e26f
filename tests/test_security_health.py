"""GET /health/: ok, degraded when only Redis or the score runs are behind, down without a DB."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable

from crs_site.health import HealthView
from tests.factories import ScoreFillStateFactory

# A port nothing listens on: connections are refused at once.
UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"

pytestmark = pytest.mark.django_db(transaction=True)


def _health(client):
    response = client.get(reverse("health"))
    return response.status_code, response.json()


def test_everything_up_and_a_recent_run_is_ok(client):
    ScoreFillStateFactory(computed_at=timezone.now() - dt.timedelta(minutes=5))

    status, body = _health(client)

    assert status == 200
    assert body["status"] == "ok"
    assert {name for name, check in body["checks"].items() if check["ok"]} == {
        "Database",
        "Cache",
        "Broker",
        "ScoreRunAge",
    }


def test_without_redis_the_site_is_degraded_not_down(client, settings):
    ScoreFillStateFactory(computed_at=timezone.now())
    settings.CELERY_BROKER_URL = UNREACHABLE_REDIS
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    from crs_site.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = UNREACHABLE_REDIS
    try:
        status, body = _health(client)
    finally:
        app.conf.broker_url = previous

    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["Database"]["ok"] is True
    assert body["checks"]["Broker"]["ok"] is False
    assert body["checks"]["Cache"]["ok"] is False


def test_a_stale_score_run_is_degraded_and_says_how_old(client, settings):
    settings.CRS_HEALTH_MAX_SCORE_AGE_MINUTES = 60
    ScoreFillStateFactory(computed_at=timezone.now() - dt.timedelta(hours=3))

    status, body = _health(client)

    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["ScoreRunAge"]["ok"] is False
    assert "180 min ago" in body["checks"]["ScoreRunAge"]["detail"]


def test_no_score_run_yet_is_degraded(client):
    status, body = _health(client)

    assert status == 200
    assert body["status"] == "degraded"
    assert "No score run" in body["checks"]["ScoreRunAge"]["detail"]


def test_without_the_database_the_site_is_down(client, monkeypatch):
    def fail(self):
        raise ServiceUnavailable("connection refused")

    monkeypatch.setattr(Database, "run", fail)
    ScoreFillStateFactory(computed_at=timezone.now())

    status, body = _health(client)

    assert status == 503
    assert body["status"] == "down"
    assert body["checks"]["Database"]["ok"] is False


@pytest.mark.parametrize("check", [Database, Cache])
def test_a_failed_check_says_only_down_to_anonymous_callers_and_details_to_staff(
    client, admin_client, monkeypatch, check
):
    def fail(self):
        raise ServiceUnavailable("connection to db.internal:5432 refused")

    monkeypatch.setattr(check, "run", fail)

    _, anonymous = _health(client)
    _, staff = _health(admin_client)

    assert anonymous["checks"][check.__name__]["detail"] == "down"
    assert "5432" not in json.dumps(anonymous)
    assert "db.internal:5432" in staff["checks"][check.__name__]["detail"]


def test_health_needs_no_sign_in_and_is_never_cached(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert HealthView.checks[0] is Database

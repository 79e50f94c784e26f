"""PostgreSQL drops the app's connections, or refuses new ones for a while, under a running server.

The app server (gunicorn, one worker, production's CONN_MAX_AGE and CONN_HEALTH_CHECKS) keeps
running throughout: during the gap every request gets a clean answer (a 500, never a hang),
and afterwards every request succeeds again without a restart.
"""

import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator

import psycopg2
import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from customers.models import Interaction
from staff.choices import ApiScope, Role
from staff.models import ApiKey
from tests.celery_worker import wait_for
from tests.factories import CustomerFactory, EmployeeFactory
from tests.faults.conftest import production_settings, staffed_team

# A request that takes longer than this is hanging, not answering.
HANG = 10


def _free_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def app_server() -> Iterator[str]:
    """Run gunicorn on the test database; yield its base URL."""
    port = _free_port()
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed after the server)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.server_settings",
        # The test database itself, not the one its name is derived from.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "crs_site.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            f"--timeout={HANG * 3}",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: _accepts(port) or server.poll() is not None, what="gunicorn", timeout=30)
        if server.poll() is not None:
            log.seek(0)
            raise AssertionError(f"gunicorn did not start:\n{log.read()}")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=HANG)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _backends_terminate() -> int:
    """End every other session on the test database, as a PostgreSQL restart would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _connections_allow(allowed: bool) -> None:
    """Let the test database take new connections, or refuse them (from outside it)."""
    db = connection.settings_dict
    admin = psycopg2.connect(
        dbname="postgres", user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(
                f'ALTER DATABASE "{db["NAME"]}" WITH ALLOW_CONNECTIONS {str(allowed).lower()}'
            )
    finally:
        admin.close()


def test_production_reuses_connections_and_checks_them_first(monkeypatch):
    database = production_settings(monkeypatch).DATABASES["default"]
    assert database["CONN_MAX_AGE"] > 0
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_requests_answer_through_dropped_and_refused_connections_and_recover(app_server):
    day = timezone.localdate() - dt.timedelta(days=2)
    team, employees = staffed_team(size=2, days=[day])
    manager = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(manager)
    customer = CustomerFactory()
    _, raw_key = ApiKey.objects.create_key(
        name="helpdesk", scopes=[ApiScope.INTERACTIONS_WRITE, ApiScope.SCORES_READ]
    )
    signed_in = Client()
    signed_in.force_login(manager.user)
    session = requests.Session()
    cookie = settings.SESSION_COOKIE_NAME
    session.cookies.set(cookie, signed_in.cookies[cookie].value)
    api_headers = {"Authorization": f"Api-Key {raw_key}"}
    sent = 0

    def round_trip() -> list[int]:
        """Load the dashboard, pull scores and log an interaction; return the statuses."""
        nonlocal sent
        sent += 1
        opened = timezone.now() - dt.timedelta(hours=1)
        calls = [
            lambda: session.get(f"{app_server}/teams/{team.slug}/", timeout=HANG),
            lambda: session.get(
                f"{app_server}/api/v1/scores/employees/?date_from={day}&date_to={day}",
                headers=api_headers,
                timeout=HANG,
            ),
            lambda: session.post(
                f"{app_server}/api/v1/interactions/",
                json={
                    "customer": customer.pk,
                    "employee": employees[0].pk,
                    "channel": "chat",
                    "subject": "Order status",
                    "opened_at": opened.isoformat(),
                    "source": "chat",
                    "external_id": f"PG-{sent}",
                },
                headers=api_headers,
                timeout=HANG,
            ),
        ]
        # A timeout raises here and fails the test: that is the hang this test rules out.
        return [call().status_code for call in calls]

    assert round_trip() == [200, 200, 200]
    assert _backends_terminate() >= 1

    # The connections the server kept are dead: the health check finds out and reconnects.
    assert round_trip() == [200, 200, 200]

    # PostgreSQL down for a while: every request gets a clean error, none hangs.
    _connections_allow(False)
    try:
        _backends_terminate()
        during_gap = [round_trip() for _ in range(2)]
    finally:
        _connections_allow(True)
    assert {status for statuses in during_gap for status in statuses} <= {500, 503}

    # Back up: the same server process answers again.
    assert round_trip() == [200, 200, 200]
    stored = set(Interaction.objects.filter(source="chat").values_list("external_id", flat=True))
    assert stored == {"PG-1", "PG-2", "PG-5"}

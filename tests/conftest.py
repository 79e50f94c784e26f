import hashlib
import math
import socket
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from staff.choices import Role
from tests.factories import EmployeeFactory, TeamFactory, TeamMembershipFactory


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last (the sort keeps pytest-django's order otherwise).

    From the first browser test on, Playwright's sync API keeps an event loop running in the
    main thread, and Django refuses to run an async view (/health/) from a thread with one.
    """
    items.sort(key=lambda item: "tests/e2e/" in str(item.path))


# Test databases are kept between runs (--reuse-db). Django then only runs `migrate` on them,
# which applies a new migration but not an edited or removed one (a branch switch, a squash), so
# each database carries, as its comment, a fingerprint of the migrations that built it, and one
# built from other migrations is created afresh.
_MIGRATIONS_MARK = "crs-migrations:"


def _migrations_fingerprint() -> str:
    """Hash every migration file on disk, third-party packages' included, with its name."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256()
    for key, migration in sorted(loader.disk_migrations.items()):
        digest.update(repr(key).encode())
        digest.update(Path(sys.modules[migration.__module__].__file__).read_bytes())
    return _MIGRATIONS_MARK + digest.hexdigest()


def _test_database_comment() -> str | None:
    """Return the kept test database's comment ("" without one), None when there is none."""
    from django.db import connection

    name = connection.creation._get_test_db_name()
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        )
        row = cursor.fetchone()
    return None if row is None else row[0] or ""


@pytest.fixture(scope="session")
def django_db_createdb(request, django_db_modify_db_settings, django_db_blocker):
    """Create the test database afresh on --create-db, or when other migrations built it."""
    from django.db import connection

    if request.config.getvalue("create_db") or connection.vendor != "postgresql":
        return request.config.getvalue("create_db")
    with django_db_blocker.unblock():
        comment = _test_database_comment()
    return comment is not None and comment != _migrations_fingerprint()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Mark the test database with the fingerprint of the migrations that built it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"COMMENT ON DATABASE {name} IS %s", [_migrations_fingerprint()])


@pytest.fixture(autouse=True)
def _default_language():
    """A request by the test client leaves its user's language active in the test's thread."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start every test with an empty cache: rate limits (survey pages, sign-in) count in it,
    and one test's requests must not throttle the next one's."""
    from django.core.cache import cache

    from crs_site.lib.memo import memos_forget

    cache.clear()
    # Nor may one test's memo of keys and score-row labels answer the next's.
    memos_forget()


@pytest.fixture
def team(db):
    return TeamFactory()


@pytest.fixture
def agent(team):
    employee = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=employee, team=team)
    return employee


@pytest.fixture
def manager(team):
    employee = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(employee)
    return employee


@pytest.fixture
def silent_port():
    """A local port that accepts connections and never answers: a hung Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield server.getsockname()[1]
    server.close()


@pytest.fixture
def closed_port():
    """A local port nobody listens on: a stopped Redis."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


class _RecordedSocket(socket.socket):
    """A client socket that remembers every timeout set on it (None: it may block for ever)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timeouts: list[float | None] = []

    def settimeout(self, value):
        self.timeouts.append(value)
        super().settimeout(value)

    def connect(self, address):
        # Only client sockets count: a test's own listening socket waits on nobody.
        _RecordedSocket.opened.append(self)
        return super().connect(address)


class SocketWaits:
    """The sockets code opened while recording, and the longest it could have waited on them.

    A socket to a hung server costs at most each timeout set on it (connect, then read), so the
    sum over the sockets bounds how long the code can be held, without timing anything. A socket
    left without a timeout could hold it for ever.
    """

    def __init__(self, opened: list[_RecordedSocket]):
        self._opened = opened
        self._start = 0

    @property
    def sockets(self) -> list[_RecordedSocket]:
        return self._opened[self._start :]

    @property
    def worst_case_seconds(self) -> float:
        return sum(
            math.inf if not s.timeouts or None in s.timeouts else sum(s.timeouts)
            for s in self.sockets
        )

    def bound(self, call):
        """Run `call()`; return its result and the longest the sockets it opened could hold it."""
        self._start = len(self._opened)
        return call(), self.worst_case_seconds


@pytest.fixture
def socket_waits(monkeypatch):
    """Record the sockets opened (to Redis, say) from here on: see SocketWaits."""
    opened: list[_RecordedSocket] = []
    monkeypatch.setattr(_RecordedSocket, "opened", opened, raising=False)
    monkeypatch.setattr(socket, "socket", _RecordedSocket)
    return SocketWaits(opened)

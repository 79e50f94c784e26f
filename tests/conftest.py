import math
import socket

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


@pytest.fixture(autouse=True)
def _default_language():
    """A request by the test client leaves its user's language active in the test's thread."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


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

"""The Zendesk poller's task path on a real Celery worker (tests/celery_worker.py), reading the
loopback export (tests/integrations/zendesk_fake.py; its documents are cited in
tests/integrations/test_zendesk_poller.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from crs_site.celery import app
from customers.models import Interaction
from integrations.choices import ConnectionKind
from integrations.models import Connection
from integrations.zendesk import tasks
from staff.choices import Role
from tests.celery_worker import celery_worker, queue_purge, unique_queue, wait_for
from tests.factories import EmployeeFactory, TeamMembershipFactory
from tests.integrations.zendesk_fake import ticket, user


@pytest.fixture
def queue(monkeypatch):
    name = unique_queue()
    queue_purge(name)
    monkeypatch.setitem(app.conf, "task_default_queue", name)
    yield name
    queue_purge(name)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_beat_s_poll_reads_every_page_on_the_worker(zendesk, queue, monkeypatch, settings, team):
    # The worker is another process: it reads the stand-in's address from its environment.
    monkeypatch.setenv("CRS_ZENDESK_URL", settings.CRS_ZENDESK_URL)
    agent = EmployeeFactory(role=Role.AGENT, user__email="ann@acme.example")
    TeamMembershipFactory(employee=agent, team=team)
    zendesk.users = [user(501, name="Ann", email="ann@acme.example")]
    t0 = (timezone.now() - dt.timedelta(days=2)).replace(microsecond=0)
    zendesk.add(*(ticket(n, created_at=t0 + dt.timedelta(minutes=n)) for n in range(1, 6)))
    connection = Connection.objects.create(
        kind=ConnectionKind.ZENDESK,
        name="Acme",
        secret=zendesk.api_token,
        settings={"subdomain": zendesk.subdomain, "email": zendesk.email},
    )
    with celery_worker(queue=queue) as worker:
        tasks.zendesk_poll_all.apply_async(queue=queue)
        wait_for(
            lambda: Interaction.objects.filter(source=connection.source).count() == 5,
            what="five interactions",
            worker=worker,
        )
    assert "integrations.zendesk.tasks.zendesk_poll_connection[" in worker.log
    connection.refresh_from_db()
    assert connection.state["end_of_stream"] is True
    assert connection.events_accepted == 5

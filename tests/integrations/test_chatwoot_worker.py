"""The Chatwoot connector's task path on a real Celery worker (tests/celery_worker.py).

Payloads: tests/integrations/chatwoot_payloads.py (written from Chatwoot's source, cited there).
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from crs_site.celery import app
from customers.models import Interaction
from integrations import tasks
from integrations.choices import ConnectionKind, EventStatus
from integrations.models import InboundEvent
from integrations.services import connection_create
from tests.celery_worker import celery_worker, queue_purge, unique_queue, use_broker, wait_for
from tests.factories import EmployeeFactory
from tests.integrations import chatwoot_payloads as cw


@pytest.fixture
def queue(monkeypatch):
    name = unique_queue()
    queue_purge(name)
    monkeypatch.setitem(app.conf, "task_default_queue", name)
    yield name
    queue_purge(name)


def _post(client, connection, display_id):
    opened = timezone.now() - dt.timedelta(hours=2)
    payload = cw.conversation_event(
        "conversation_status_changed",
        display_id=display_id,
        created=opened,
        updated=opened + dt.timedelta(hours=1),
        status="resolved",
        first_reply=opened + dt.timedelta(minutes=3),
    )
    url = reverse(
        "integrations:chatwoot_webhook",
        kwargs={"connection_uuid": connection.uuid, "secret": connection.secret},
    )
    return client.post(url, cw.body(payload), content_type="application/json")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_received_event_is_processed_by_the_worker(client, queue):
    EmployeeFactory(external_id="7")
    connection = connection_create(kind=ConnectionKind.CHATWOOT, name="Support")
    with celery_worker(queue=queue) as worker:
        response = _post(client, connection, 12)
        assert response.status_code == 202
        wait_for(
            lambda: InboundEvent.objects.filter(status=EventStatus.ACCEPTED).exists(),
            what="the event accepted",
            worker=worker,
        )
    assert "integrations.tasks.inbound_event_process[" in worker.log
    interaction = Interaction.objects.get()
    assert (interaction.external_id, interaction.resolved_at is not None) == ("12", True)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_events_received_with_the_broker_down_are_stored_and_swept_to_the_worker(
    client, queue, monkeypatch, closed_port
):
    EmployeeFactory(external_id="7")
    connection = connection_create(kind=ConnectionKind.CHATWOOT, name="Support")
    with monkeypatch.context() as down:
        use_broker(down, f"redis://127.0.0.1:{closed_port}/0")
        responses = [_post(client, connection, n) for n in (21, 22, 23)]
    # The sender is told "received": the events are in the database, not in the broker.
    assert [r.status_code for r in responses] == [202] * 3
    assert InboundEvent.objects.filter(status=EventStatus.PENDING).count() == 3
    InboundEvent.objects.update(received_at=timezone.now() - dt.timedelta(minutes=2))
    with celery_worker(queue=queue) as worker:
        assert tasks.inbound_events_sweep() == 3
        wait_for(
            lambda: InboundEvent.objects.filter(status=EventStatus.ACCEPTED).count() == 3,
            what="the swept events accepted",
            worker=worker,
        )
    assert Interaction.objects.count() == 3

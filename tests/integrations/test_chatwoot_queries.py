"""What receiving and processing one Chatwoot delivery costs in statements (docs/PERFORMANCE.md,
*Webhook*). The counts are taken inside the test's transaction, where Django writes the
processing's own transaction as a savepoint.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.choices import ConnectionKind, EventStatus
from integrations.models import InboundEvent
from integrations.services import connection_create, event_process
from tests.factories import EmployeeFactory
from tests.integrations import chatwoot_payloads as cw

pytestmark = pytest.mark.django_db

OPENED = timezone.now().replace(microsecond=0) - dt.timedelta(hours=5)


@pytest.fixture
def connection():
    EmployeeFactory(external_id="7")
    return connection_create(kind=ConnectionKind.CHATWOOT, name="Support inbox")


def _resolved(display_id: int, minutes: int) -> dict:
    return cw.conversation_event(
        "conversation_status_changed",
        display_id=display_id,
        created=OPENED,
        updated=OPENED + dt.timedelta(minutes=minutes),
        status="resolved",
        first_reply=OPENED + dt.timedelta(minutes=4),
    )


def _post(client, connection, payload) -> int:
    url = reverse(
        "integrations:chatwoot_webhook",
        kwargs={"connection_uuid": connection.uuid, "secret": connection.secret},
    )
    response = client.post(url, cw.body(payload), content_type="application/json")
    assert response.status_code == 202, response.content
    return response.json()["id"]


def test_a_delivery_is_received_with_one_read_and_one_insert(
    client, connection, django_assert_num_queries
):
    # The connection with every field the receipt reads (none deferred), then the insert.
    with django_assert_num_queries(2):
        _post(client, connection, _resolved(12, 60))


def test_processing_writes_what_it_changed_and_reads_the_conversations_events_once(
    client, connection, django_assert_num_queries
):
    # The agent is added and mapped by the first event that names it.
    event_process(event_id=_post(client, connection, _resolved(11, 60)))
    first = _post(client, connection, _resolved(12, 60))
    with django_assert_num_queries(22) as captured:
        assert event_process(event_id=first) == EventStatus.ACCEPTED
    statements = [query["sql"] for query in captured.captured_queries]
    [update] = [sql for sql in statements if sql.startswith('UPDATE "integrations_inboundevent"')]
    assert '"body"' not in update
    assert '"customer_keys"' not in update
    reads = [s for s in statements if s.startswith("SELECT") and "integrations_inboundevent" in s]
    # The event itself, and the conversation's other events (newer state, held ones).
    assert len(reads) == 2
    later = _post(client, connection, _resolved(12, 90))
    with django_assert_num_queries(19):
        assert event_process(event_id=later) == EventStatus.ACCEPTED
    assert InboundEvent.objects.filter(status=EventStatus.ACCEPTED).count() == 3

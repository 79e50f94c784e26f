"""The Chatwoot connector end to end on PostgreSQL: the receiver, the processing, the mapping.

Payloads are built in tests/integrations/chatwoot_payloads.py from Chatwoot's own source
(app/listeners/webhook_listener.rb, app/presenters/conversations/event_data_presenter.rb,
app/models/message.rb#webhook_data, lib/webhooks/trigger.rb); the module says which field
comes from where.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer, Interaction
from feedback.models import SurveyResponse
from integrations.choices import ConnectionKind, EventStatus
from integrations.models import ExternalAgent, InboundEvent
from integrations.services import agent_map, connection_create, event_process, events_reprocess
from scorecards.dirty import local_day
from scorecards.models import DirtyDay
from tests.factories import EmployeeFactory
from tests.integrations import chatwoot_payloads as cw

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
OPENED = NOW - dt.timedelta(hours=5)


@pytest.fixture
def connection():
    return connection_create(kind=ConnectionKind.CHATWOOT, name="Support inbox")


@pytest.fixture
def ilze():
    return EmployeeFactory(external_id="7")


def _url(connection, secret=None):
    return reverse(
        "integrations:chatwoot_webhook",
        kwargs={"connection_uuid": connection.uuid, "secret": secret or connection.secret},
    )


def _post(client, connection, payload, **headers):
    raw = payload if isinstance(payload, bytes) else cw.body(payload)
    return client.post(_url(connection), raw, content_type="application/json", **headers)


def _deliver(client, connection, payload) -> InboundEvent:
    """POST, then run the processing the task would run; return the stored event."""
    response = _post(client, connection, payload)
    assert response.status_code == 202, response.content
    event_process(event_id=response.json()["id"])
    return InboundEvent.objects.get(pk=response.json()["id"])


def _created(**kwargs):
    return cw.conversation_event(
        "conversation_created", created=OPENED, updated=OPENED + dt.timedelta(seconds=1), **kwargs
    )


def _resolved(at, **kwargs):
    return cw.conversation_event(
        "conversation_status_changed",
        created=OPENED,
        updated=at,
        status="resolved",
        first_reply=OPENED + dt.timedelta(minutes=4),
        **kwargs,
    )


def test_a_conversation_becomes_an_interaction_with_its_customer(client, connection, ilze):
    event = _deliver(client, connection, _created())
    assert event.status == EventStatus.ACCEPTED, event.error
    interaction = Interaction.objects.get()
    assert (interaction.source, interaction.external_id) == (f"chatwoot:{connection.pk}", "12")
    assert interaction.employee == ilze
    assert interaction.opened_at == OPENED
    assert interaction.resolved_at is None
    assert interaction.channel == "chat"
    customer = Customer.objects.get()
    assert (customer.name, customer.email) == ("Marta Customer", "marta@example.com")
    assert event.interaction == interaction


def test_first_agent_reply_is_the_first_response_and_private_notes_are_not(
    client, connection, ilze
):
    _deliver(client, connection, _created())
    conversation = cw.conversation(created=OPENED, updated=OPENED + dt.timedelta(minutes=9))
    note = cw.message_event(
        "message_created",
        message_id=100,
        at=OPENED + dt.timedelta(minutes=2),
        conversation_data=conversation,
        private=True,
    )
    _deliver(client, connection, note)
    assert Interaction.objects.get().first_response_at is None
    reply = cw.message_event(
        "message_created",
        message_id=101,
        at=OPENED + dt.timedelta(minutes=9),
        conversation_data=conversation,
    )
    event = _deliver(client, connection, reply)
    assert event.status == EventStatus.ACCEPTED, event.error
    assert Interaction.objects.get().first_response_at == OPENED + dt.timedelta(minutes=9)


def test_a_redelivery_is_stored_and_processed_once(client, connection, ilze):
    payload = _resolved(OPENED + dt.timedelta(hours=1))
    first = _post(client, connection, payload)
    again = _post(client, connection, payload)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == {"id": first.json()["id"]}
    assert event_process(event_id=first.json()["id"]) == EventStatus.ACCEPTED
    assert event_process(event_id=first.json()["id"]) is None
    assert InboundEvent.objects.count() == 1
    assert Interaction.objects.count() == 1


def test_an_older_event_delivered_late_does_not_roll_the_conversation_back(
    client, connection, ilze
):
    resolved_at = OPENED + dt.timedelta(hours=1)
    assert _deliver(client, connection, _resolved(resolved_at)).status == EventStatus.ACCEPTED
    # The agent's reply happened before the resolution but arrives after it.
    earlier = cw.conversation(created=OPENED, updated=OPENED + dt.timedelta(minutes=3))
    reply = cw.message_event(
        "message_created",
        message_id=101,
        at=OPENED + dt.timedelta(minutes=3),
        conversation_data=earlier,
    )
    event = _deliver(client, connection, reply)
    assert event.status == EventStatus.ACCEPTED
    assert "older state" in event.error
    interaction = Interaction.objects.get()
    assert interaction.resolved_at == resolved_at
    assert interaction.first_response_at == OPENED + dt.timedelta(minutes=3)


def test_a_message_before_its_conversation_created_event_writes_the_conversation(
    client, connection, ilze
):
    conversation = cw.conversation(created=OPENED, updated=OPENED + dt.timedelta(minutes=5))
    reply = cw.message_event(
        "message_created",
        message_id=101,
        at=OPENED + dt.timedelta(minutes=5),
        conversation_data=conversation,
    )
    assert _deliver(client, connection, reply).status == EventStatus.ACCEPTED
    created = _deliver(client, connection, _created())
    assert created.status == EventStatus.ACCEPTED
    interaction = Interaction.objects.get()
    assert interaction.first_response_at == OPENED + dt.timedelta(minutes=5)


def test_a_wrong_secret_and_an_unknown_connection_get_the_same_404(client, connection):
    raw = cw.body(_created())
    wrong = client.post(_url(connection, "nope"), raw, content_type="application/json")
    other = reverse(
        "integrations:chatwoot_webhook",
        kwargs={"connection_uuid": "00000000-0000-4000-8000-000000000000", "secret": "x"},
    )
    unknown = client.post(other, raw, content_type="application/json")
    assert (wrong.status_code, unknown.status_code) == (404, 404)
    assert wrong.json() == unknown.json()
    assert not InboundEvent.objects.exists()


def test_a_signing_connection_refuses_unsigned_forged_and_stale_deliveries(client, connection):
    connection.signing_secret = "chatwoot-webhook-secret"
    connection.save()
    raw = cw.body(_created())
    now = int(timezone.now().timestamp())
    unsigned = _post(client, connection, raw)
    forged = _post(
        client, connection, raw, **cw.signed_headers(secret="guess", raw=raw, timestamp=now)
    )
    stale = _post(
        client,
        connection,
        raw,
        **cw.signed_headers(secret=connection.signing_secret, raw=raw, timestamp=now - 3600),
    )
    # The signature covers the raw bytes: the same JSON with other spacing is not signed.
    respaced = _post(
        client,
        connection,
        raw.replace(b", ", b","),
        **cw.signed_headers(secret=connection.signing_secret, raw=raw, timestamp=now),
    )
    assert [r.status_code for r in (unsigned, forged, stale, respaced)] == [401] * 4
    assert not InboundEvent.objects.exists()
    good = _post(
        client,
        connection,
        raw,
        **cw.signed_headers(secret=connection.signing_secret, raw=raw, timestamp=now),
    )
    assert good.status_code == 202


def test_an_unknown_agent_waits_in_the_queue_and_is_scored_once_mapped(client, connection):
    resolved_at = OPENED + dt.timedelta(hours=1)
    event = _deliver(client, connection, _resolved(resolved_at))
    assert event.status == EventStatus.HELD
    agent = ExternalAgent.objects.get()
    assert (agent.external_id, agent.name, agent.employee) == ("7", "Ilze Agent", None)
    assert event.agent == agent
    assert not Interaction.objects.exists()

    employee = EmployeeFactory()
    assert agent_map(agent=agent, employee=employee) == 1
    event.refresh_from_db()
    assert event.status == EventStatus.PENDING
    assert event_process(event_id=event.pk) == EventStatus.ACCEPTED
    interaction = Interaction.objects.get()
    assert interaction.employee == employee
    assert interaction.resolved_at == resolved_at
    assert (employee.pk, local_day(resolved_at)) in set(
        DirtyDay.objects.values_list("employee_id", "day")
    )
    # The next conversation of that agent needs no mapping.
    later = cw.conversation_event(
        "conversation_created", display_id=13, created=OPENED, updated=OPENED
    )
    assert _deliver(client, connection, later).status == EventStatus.ACCEPTED


def test_an_agent_is_matched_by_e_mail_when_no_employee_has_its_id(client, connection):
    employee = EmployeeFactory(user__email="ilze@example.com")
    conversation = cw.conversation(
        created=OPENED,
        updated=OPENED + dt.timedelta(minutes=5),
        assignee=None,
    )
    reply = cw.message_event(
        "message_created",
        message_id=101,
        at=OPENED + dt.timedelta(minutes=5),
        conversation_data=conversation,
        sender={**cw.AGENT, "email": "Ilze@example.com"},
    )
    assert _deliver(client, connection, reply).status == EventStatus.ACCEPTED
    assert Interaction.objects.get().employee == employee
    assert ExternalAgent.objects.get().employee == employee


def test_a_reopened_conversation_loses_its_resolution_until_resolved_again(
    client, connection, ilze
):
    first = OPENED + dt.timedelta(hours=1)
    _deliver(client, connection, _resolved(first))
    assert Interaction.objects.get().is_first_contact_resolution
    DirtyDay.objects.all().delete()
    reopened = cw.conversation_event(
        "conversation_status_changed",
        created=OPENED,
        updated=OPENED + dt.timedelta(hours=2),
        status="open",
        first_reply=OPENED + dt.timedelta(minutes=4),
    )
    _deliver(client, connection, reopened)
    interaction = Interaction.objects.get()
    assert (interaction.resolved_at, interaction.is_first_contact_resolution) == (None, False)
    assert interaction.reopen_count == 1
    assert (ilze.pk, local_day(first)) in set(DirtyDay.objects.values_list("employee_id", "day"))
    second = OPENED + dt.timedelta(hours=3)
    _deliver(client, connection, _resolved(second))
    interaction.refresh_from_db()
    assert interaction.resolved_at == second
    assert interaction.is_first_contact_resolution is False


def test_a_csat_answer_in_two_deliveries_is_one_survey_answer(client, connection, ilze):
    _deliver(client, connection, _resolved(OPENED + dt.timedelta(hours=1)))
    conversation = cw.conversation(
        created=OPENED, updated=OPENED + dt.timedelta(hours=1), status="resolved"
    )
    rating = cw.csat_event(message_id=200, at=NOW, conversation_data=conversation, rating=4)
    text = cw.csat_event(
        message_id=200, at=NOW, conversation_data=conversation, rating=4, feedback="Quick, thanks"
    )
    assert _deliver(client, connection, rating).status == EventStatus.ACCEPTED
    assert _deliver(client, connection, text).status == EventStatus.ACCEPTED
    answer = SurveyResponse.objects.get()
    assert (answer.csat, answer.comment) == (4, "Quick, thanks")
    assert answer.interaction == Interaction.objects.get()
    assert answer.source == f"chatwoot:{connection.pk}"


def test_a_csat_answer_for_an_unknown_conversation_writes_the_conversation_too(
    client, connection, ilze
):
    conversation = cw.conversation(
        display_id=30, created=OPENED, updated=OPENED + dt.timedelta(hours=1), status="resolved"
    )
    rating = cw.csat_event(message_id=201, at=NOW, conversation_data=conversation, rating=5)
    assert _deliver(client, connection, rating).status == EventStatus.ACCEPTED
    assert SurveyResponse.objects.get().interaction.external_id == "30"


def test_a_csat_answer_without_an_agent_waits_for_the_conversation_to_name_one(
    client, connection, ilze
):
    unassigned = cw.conversation(
        created=OPENED, updated=OPENED + dt.timedelta(hours=1), status="resolved", assignee=None
    )
    rating = cw.csat_event(message_id=202, at=NOW, conversation_data=unassigned, rating=2)
    held = _deliver(client, connection, rating)
    assert held.status == EventStatus.HELD
    assert not SurveyResponse.objects.exists()
    _deliver(client, connection, _resolved(OPENED + dt.timedelta(hours=1)))
    held.refresh_from_db()
    assert held.status == EventStatus.PENDING
    assert event_process(event_id=held.pk) == EventStatus.ACCEPTED
    assert SurveyResponse.objects.get().csat == 2


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"not json", "not JSON"),
        (b'{"event": "conversation_created", "id": 5, "created_at": "yesterday"}', "unix time"),
        (
            b'{"event": "message_updated", "conversation": {"id": 5}, "content_attributes": '
            b'{"submitted_values": {"csat_survey_response": {"rating": 9}}}}',
            "outside 1-5",
        ),
    ],
)
def test_a_bad_body_is_refused_with_its_reason_and_can_be_processed_again(
    client, connection, raw, reason
):
    event = _deliver(client, connection, raw)
    assert event.status == EventStatus.REFUSED
    assert reason in event.error
    assert event.body == raw.decode()
    connection.refresh_from_db()
    assert connection.events_refused == 1
    assert events_reprocess(connection=connection) == 1
    event.refresh_from_db()
    assert event.status == EventStatus.PENDING


def test_an_event_crs_does_not_use_is_accepted_and_changes_nothing(client, connection):
    event = _deliver(client, connection, {"event": "contact_created", "id": 41})
    assert event.status == EventStatus.ACCEPTED
    assert not Interaction.objects.exists()


def test_a_paused_connection_stores_events_and_processes_them_on_resume(client, connection, ilze):
    from integrations.services import connection_set_paused

    connection_set_paused(connection=connection, paused=True)
    response = _post(client, connection, _created())
    assert response.status_code == 202
    assert event_process(event_id=response.json()["id"]) is None
    connection_set_paused(connection=connection, paused=False)
    assert event_process(event_id=response.json()["id"]) == EventStatus.ACCEPTED


def test_a_message_whose_conversation_comes_without_state_neither_reopens_nor_is_lost(
    client, connection, ilze
):
    slim = {"id": 12, "inbox_id": 1, "labels": [], "can_reply": True}
    reply = cw.message_event(
        "message_created",
        message_id=300,
        at=OPENED + dt.timedelta(minutes=2),
        conversation_data=slim,
    )
    # Before the conversation is known: held, and processed again once it is.
    early = _deliver(client, connection, reply)
    assert early.status == EventStatus.HELD
    _deliver(client, connection, _resolved(OPENED + dt.timedelta(hours=1)))
    early.refresh_from_db()
    assert early.status == EventStatus.PENDING
    assert event_process(event_id=early.pk) == EventStatus.ACCEPTED
    interaction = Interaction.objects.get()
    assert interaction.resolved_at == OPENED + dt.timedelta(hours=1)
    assert interaction.first_response_at == OPENED + dt.timedelta(minutes=2)
    assert interaction.reopen_count == 0

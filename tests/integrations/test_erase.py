"""Erasing a customer erases every raw helpdesk event naming it, written into an interaction
or not (privacy.services.customer_erase, integrations.personal).

Chatwoot bodies: tests/integrations/chatwoot_payloads.py (from Chatwoot's source, cited there).
Zendesk pages: tests/integrations/zendesk_fake.py (from the Incremental Exports and Ticket
Metrics documents, cited in tests/integrations/test_zendesk_poller.py).
"""

import datetime as dt
import importlib

import pytest
from django.utils import timezone

from customers.models import Customer, Interaction
from integrations.choices import ConnectionKind, EventStatus
from integrations.models import Connection, InboundEvent
from integrations.personal import event_customer_keys
from integrations.services import connection_create, connection_set_paused, event_process
from integrations.services import event_receive as receive
from integrations.zendesk.poller import zendesk_poll
from privacy.services import customer_erase
from staff.choices import Role
from tests.factories import (
    CustomerFactory,
    EmployeeFactory,
    InboundEventFactory,
    TeamMembershipFactory,
)
from tests.integrations import chatwoot_payloads as cw
from tests.integrations.zendesk_fake import ticket, user

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
OPENED = NOW - dt.timedelta(hours=5)
OTHER = {**cw.CONTACT, "id": 99, "name": "Olga Other", "email": "olga@example.com"}


def _conversation(display_id=12, contact=cw.CONTACT, assignee=cw.AGENT, **kwargs):
    data = cw.conversation(
        display_id=display_id,
        created=OPENED,
        updated=OPENED + dt.timedelta(seconds=display_id),
        assignee=assignee,
        **kwargs,
    )
    data["meta"]["sender"] = contact
    return data


def _event(connection, payload, *, process=True) -> InboundEvent:
    event = receive(connection=connection, body=cw.body(payload))
    if process:
        event_process(event_id=event.pk)
    return InboundEvent.objects.get(pk=event.pk)


@pytest.fixture
def chatwoot():
    return connection_create(kind=ConnectionKind.CHATWOOT, name="Support inbox")


def test_a_chatwoot_event_keeps_the_keys_of_the_customer_it_names(chatwoot):
    event = _event(chatwoot, {**_conversation(), "event": "conversation_created"}, process=False)
    assert event.customer_keys == [
        f"email:{cw.CONTACT['email']}",
        f"id:chatwoot-{chatwoot.pk}-{cw.CONTACT['id']}",
    ]
    with_identifier = {**cw.CONTACT, "identifier": "crm-77", "email": "Marta@Example.com"}
    keys = event_customer_keys(
        kind=ConnectionKind.CHATWOOT,
        connection_id=chatwoot.pk,
        settings={},
        body=cw.body({**_conversation(contact=with_identifier), "event": "x"}).decode(),
    )
    assert {"id:crm-77", "email:marta@example.com"} <= set(keys)
    # A body that is not JSON still gives its addresses.
    assert event_customer_keys(
        kind=ConnectionKind.CHATWOOT, connection_id=1, settings={}, body="oops marta@example.com"
    ) == ["email:marta@example.com"]


def test_erase_removes_chatwoot_events_that_never_wrote_an_interaction(chatwoot):
    EmployeeFactory(external_id="7")  # the Chatwoot agent 7, mapped by external id
    written = _event(chatwoot, {**_conversation(), "event": "conversation_created"})
    assert written.status == EventStatus.ACCEPTED, written.error
    marta = Customer.objects.get(email=cw.CONTACT["email"])
    # Refused: a CSAT answer whose rating is not a number.
    refused = _event(
        chatwoot,
        cw.csat_event(message_id=501, at=NOW, conversation_data=_conversation(), rating="great"),
    )
    # Held: a conversation of an agent nobody is mapped to yet.
    stranger = {**cw.AGENT, "id": 8, "name": "New Agent"}
    held = _event(
        chatwoot,
        {**_conversation(display_id=13, assignee=stranger), "event": "conversation_created"},
    )
    # A survey answer about a conversation CRS never heard of.
    survey = _event(
        chatwoot,
        cw.csat_event(
            message_id=502,
            at=NOW,
            conversation_data={"id": 14, "meta": {"sender": cw.CONTACT}},
            rating=5,
        ),
    )
    # A message from the customer herself (sender, not meta.sender), and a pending one.
    connection_set_paused(connection=chatwoot, paused=True)
    from_contact = _event(
        chatwoot,
        cw.message_event(
            "message_created",
            message_id=503,
            at=NOW,
            conversation_data={"id": 15},
            message_type="incoming",
            sender=cw.CONTACT,
        ),
    )
    pending = _event(chatwoot, {**_conversation(display_id=16), "event": "conversation_updated"})
    assert (refused.status, held.status, pending.status) == (
        EventStatus.REFUSED,
        EventStatus.HELD,
        EventStatus.PENDING,
    )
    assert survey.interaction_id is None
    assert from_contact.interaction_id is None
    # Another customer's events stay.
    olga = _event(chatwoot, {**_conversation(display_id=20, contact=OTHER), "event": "x"})

    customer_erase(customer=marta)

    assert list(InboundEvent.objects.values_list("pk", flat=True)) == [olga.pk]
    assert Interaction.objects.filter(customer=marta).count() == 1  # the statistics stay


def test_erase_finds_events_by_e_mail_when_the_customer_has_another_external_id(chatwoot):
    connection_set_paused(connection=chatwoot, paused=True)
    event = _event(chatwoot, {**_conversation(), "event": "conversation_created"})
    kept = _event(chatwoot, {**_conversation(display_id=20, contact=OTHER), "event": "x"})
    customer = CustomerFactory(external_id="crm-1", email="MARTA@example.com")

    customer_erase(customer=customer)

    assert not InboundEvent.objects.filter(pk=event.pk).exists()
    assert InboundEvent.objects.filter(pk=kept.pk).exists()


@pytest.fixture
def zendesk_connection(zendesk, team):
    ann = EmployeeFactory(role=Role.AGENT, user__email="ann@acme.example")
    TeamMembershipFactory(employee=ann, team=team)
    zendesk.users = [
        user(501, name="Ann Agent", email="ann@acme.example"),
        user(502, name="Nobody Mapped", email="new@acme.example"),
        user(9001, name="Carl Customer", email="carl@customer.example", role="end-user"),
        user(9002, name="Dora Other", email="dora@customer.example", role="end-user"),
    ]
    return Connection.objects.create(
        kind=ConnectionKind.ZENDESK,
        name="Acme support",
        secret=zendesk.api_token,
        settings={"subdomain": zendesk.subdomain, "email": zendesk.email},
    )


def test_erase_removes_zendesk_tickets_that_were_never_written(zendesk, zendesk_connection):
    t0 = (timezone.now() - dt.timedelta(days=3)).replace(microsecond=0)
    zendesk.add(
        ticket(1, created_at=t0),  # Ann's: written
        ticket(2, created_at=t0 + dt.timedelta(minutes=1), assignee_id=502),  # held
        ticket(3, created_at=t0 + dt.timedelta(minutes=2), assignee_id=None),  # no assignee
        ticket(4, created_at=t0 + dt.timedelta(minutes=3), requester_id=9002),  # Dora's
    )
    zendesk_poll(connection_id=zendesk_connection.pk)
    events = {e.external_id: e for e in InboundEvent.objects.filter(connection=zendesk_connection)}
    assert events["2"].status == EventStatus.HELD
    assert events["2"].interaction_id is None
    assert events["3"].status == EventStatus.HELD
    assert events["3"].interaction_id is None
    assert f"id:zendesk:{zendesk.subdomain}:9001" in events["2"].customer_keys
    assert "email:carl@customer.example" in events["3"].customer_keys
    carl = Customer.objects.get(external_id=f"zendesk:{zendesk.subdomain}:9001")

    customer_erase(customer=carl)

    remaining = set(
        InboundEvent.objects.filter(connection=zendesk_connection).values_list(
            "external_id", flat=True
        )
    )
    assert remaining == {"4"}


def test_events_stored_before_keep_their_keys_from_the_migration(chatwoot):
    from django.apps import apps

    migration = importlib.import_module("integrations.migrations.0003_inbound_event_customer_keys")
    body = cw.body({**_conversation(), "event": "conversation_created"}).decode()
    old = InboundEventFactory(connection=chatwoot, body=body, customer_keys=[])

    migration._keys_fill(apps, None)

    old.refresh_from_db()
    assert f"id:chatwoot-{chatwoot.pk}-{cw.CONTACT['id']}" in old.customer_keys

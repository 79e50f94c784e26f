"""The helpdesk connection pages: admins only; add (secret once), state, events, raw body,
pause and resume, re-process, the agent queue mapped in one click."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import Interaction
from integrations.choices import ConnectionKind, EventStatus
from integrations.models import Connection, ExternalAgent, InboundEvent
from integrations.services import connection_create, event_process, event_receive
from staff.choices import Role
from tests.factories import EmployeeFactory
from tests.integrations import chatwoot_payloads as cw

pytestmark = pytest.mark.django_db

LIST_URL = reverse("integrations:connection_list")
QUEUE_URL = reverse("integrations:agent_queue")


@pytest.fixture
def admin(client):
    employee = EmployeeFactory(role=Role.ADMIN)
    client.force_login(employee.user)
    return employee


def _resolved(display_id=12):
    opened = timezone.now() - dt.timedelta(hours=3)
    return cw.body(
        cw.conversation_event(
            "conversation_status_changed",
            display_id=display_id,
            created=opened,
            updated=opened + dt.timedelta(hours=1),
            status="resolved",
        )
    )


@pytest.mark.parametrize("role", [Role.AGENT, Role.MANAGER, Role.ONBOARDING])
def test_only_admins_open_the_pages(client, role):
    connection = connection_create(kind=ConnectionKind.CHATWOOT, name="Support")
    client.force_login(EmployeeFactory(role=role).user)
    detail = reverse("integrations:connection_detail", args=[connection.pk])
    for url in (LIST_URL, QUEUE_URL, reverse("integrations:connection_add"), detail):
        assert client.get(url).status_code == 403
    pause = reverse("integrations:connection_pause", args=[connection.pk])
    assert client.post(pause, {"paused": "1"}).status_code == 403
    connection.refresh_from_db()
    assert not connection.is_paused


def test_adding_a_connection_shows_its_secret_once(client, admin):
    response = client.post(
        reverse("integrations:connection_add"), {"kind": "chatwoot", "name": "Support inbox"}
    )
    connection = Connection.objects.get()
    assert response.url == reverse("integrations:connection_detail", args=[connection.pk])
    assert connection.created_by == admin
    first = client.get(response.url).content.decode()
    assert connection.secret in first
    assert str(connection.uuid) in first
    assert connection.secret not in client.get(response.url).content.decode()


def test_a_nameless_connection_is_refused_at_the_field(client, admin):
    response = client.post(
        reverse("integrations:connection_add"), {"kind": "chatwoot", "name": " "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not Connection.objects.exists()


def test_the_state_counts_events_and_the_raw_body_is_one_click_away(client, admin):
    connection = connection_create(kind=ConnectionKind.CHATWOOT, name="Support")
    EmployeeFactory(external_id="7")
    accepted = event_receive(connection=connection, body=_resolved())
    refused = event_receive(connection=connection, body=b"not json at all")
    event_process(event_id=accepted.pk)
    event_process(event_id=refused.pk)
    page = client.get(reverse("integrations:connection_detail", args=[connection.pk]))
    html = page.content.decode()
    assert page.context["state"].counts == {
        "pending": 0,
        "accepted": 1,
        "refused": 1,
        "held": 0,
    }
    assert page.context["state"].health == "failing"
    raw_url = reverse("integrations:event_detail", args=[connection.pk, refused.pk])
    assert raw_url in html
    raw = client.get(raw_url).content.decode()
    assert "not json at all" in raw
    assert "The body is not JSON." in raw
    filtered = client.get(
        reverse("integrations:connection_detail", args=[connection.pk]), {"status": "accepted"}
    )
    assert [e.pk for e in filtered.context["page"]] == [accepted.pk]
    listing = client.get(LIST_URL, {"q": "supp", "sort": "-last_event"})
    assert [c.pk for c in listing.context["page"]] == [connection.pk]
    assert client.get(LIST_URL, {"q": "nothing"}).context["page"].paginator.count == 0


def test_pause_keeps_events_and_resume_processes_them(client, admin):
    connection = connection_create(kind=ConnectionKind.CHATWOOT, name="Support")
    pause = reverse("integrations:connection_pause", args=[connection.pk])
    client.post(pause, {"paused": "1"})
    connection.refresh_from_db()
    assert connection.is_paused
    event = event_receive(connection=connection, body=_resolved())
    assert event_process(event_id=event.pk) is None
    client.post(pause, {"paused": "0"})
    connection.refresh_from_db()
    assert not connection.is_paused


def test_refused_events_are_processed_again_from_the_page(client, admin):
    connection = connection_create(kind=ConnectionKind.CHATWOOT, name="Support")
    event = event_receive(connection=connection, body=b"[]")
    event_process(event_id=event.pk)
    client.post(reverse("integrations:connection_reprocess", args=[connection.pk]))
    event.refresh_from_db()
    assert event.status == EventStatus.PENDING


def test_the_queue_maps_an_agent_in_one_click_and_its_held_events_are_scored(client, admin):
    connection = connection_create(kind=ConnectionKind.CHATWOOT, name="Support")
    employee = EmployeeFactory(user__first_name="Ilze", user__last_name="Agent")
    event = event_receive(connection=connection, body=_resolved())
    assert event_process(event_id=event.pk) == EventStatus.HELD
    page = client.get(QUEUE_URL)
    [(agent, suggested)] = page.context["rows"]
    # The employee with the agent's name is pre-selected: one click maps it.
    assert suggested == employee
    response = client.post(
        reverse("integrations:agent_map", args=[agent.pk]), {"employee": employee.pk}
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.employee == employee
    assert event_process(event_id=event.pk) == EventStatus.ACCEPTED
    assert Interaction.objects.get().employee == employee
    assert client.get(QUEUE_URL).context["rows"] == []
    assert len(client.get(QUEUE_URL, {"show": "all"}).context["rows"]) == 1


def test_mapping_to_nobody_is_refused_with_a_message(client, admin):
    connection = connection_create(kind=ConnectionKind.CHATWOOT, name="Support")
    agent = ExternalAgent.objects.create(connection=connection, external_id="9", name="X")
    response = client.post(
        reverse("integrations:agent_map", args=[agent.pk]), {"employee": "nope"}, follow=True
    )
    assert "Pick an active employee" in response.content.decode()
    agent.refresh_from_db()
    assert agent.employee is None


def test_empty_states(client, admin):
    assert "No helpdesk is connected yet" in client.get(LIST_URL).content.decode()
    assert "No helpdesk agent is waiting" in client.get(QUEUE_URL).content.decode()
    assert not InboundEvent.objects.exists()

"""The Zendesk poller against a loopback Zendesk (tests/integrations/zendesk_fake.py).

The stand-in and the payloads follow Zendesk's developer documentation:
- "Incremental Exports" (developer.zendesk.com/api-reference/ticketing/ticket-management/
  incremental_exports/): the cursor-based ticket export, `after_cursor`, `end_of_stream`, 10
  requests a minute, 429 with Retry-After;
- "Using the Incremental Export API" (developer.zendesk.com/documentation/ticketing/
  managing-tickets/using-the-incremental-export-api): start_time against `generated_timestamp`,
  deleted tickets returned with status `deleted`, side-loading `metric_sets`;
- "Ticket Metrics" (developer.zendesk.com/api-reference/ticketing/tickets/ticket_metrics/):
  `reply_time_in_minutes` {calendar, business}, `solved_at`, `reopens`, `group_stations`, nulls
  for metrics not reached;
- "Tickets" and "Satisfaction Ratings" (legacy CSAT): `satisfaction_rating` {id, score:
  unoffered | offered | good | bad, comment}; API token authentication `{email}/token`.
"""

import datetime as dt
import json

import pytest
from django.utils import timezone

from customers.models import Customer, Interaction
from feedback.models import SurveyResponse
from integrations.choices import ConnectionKind, EventStatus
from integrations.models import Connection, ExternalAgent, InboundEvent
from integrations.services import agent_map, event_process, events_reprocess
from integrations.zendesk import poller
from integrations.zendesk.poller import connections_to_poll, zendesk_poll
from scorecards.models import DirtyDay
from staff.choices import Role
from tests.factories import EmployeeFactory, TeamMembershipFactory
from tests.integrations.poll_scenario import polled_names
from tests.integrations.zendesk_fake import deleted_ticket, ticket, user
from tests.on_sqlite import run_on_sqlite

pytestmark = pytest.mark.django_db

ANN = 501


@pytest.fixture
def t0():
    return (timezone.now() - dt.timedelta(days=3)).replace(microsecond=0)


@pytest.fixture
def ann(team):
    employee = EmployeeFactory(role=Role.AGENT, user__email="ann@acme.example")
    TeamMembershipFactory(employee=employee, team=team)
    return employee


@pytest.fixture
def connection(zendesk, ann):
    zendesk.users = [
        user(ANN, name="Ann Agent", email="ann@acme.example"),
        user(9001, name="Carl Customer", email="carl@customer.example", role="end-user"),
    ]
    return Connection.objects.create(
        kind=ConnectionKind.ZENDESK,
        name="Acme support",
        secret=zendesk.api_token,
        settings={"subdomain": zendesk.subdomain, "email": zendesk.email},
    )


def _poll(connection, **kwargs):
    result = zendesk_poll(connection_id=connection.pk, **kwargs)
    connection.refresh_from_db()
    return result


def _tickets(t0, *ids, **kwargs):
    return [ticket(i, created_at=t0 + dt.timedelta(minutes=i), **kwargs) for i in ids]


def test_pages_are_followed_to_the_end_of_the_stream(zendesk, connection, t0, ann):
    zendesk.add(*_tickets(t0, 1, 2, 3, 4, 5))
    result = _poll(connection)
    assert (result.pages, result.tickets, result.stopped) == (3, 5, "end_of_stream")
    assert Interaction.objects.filter(source=connection.source, employee=ann).count() == 5
    assert connection.state["end_of_stream"] is True
    assert connection.state["cursor"]
    assert connection.events_accepted == 5
    newest = max(t["generated_timestamp"] for t, _m in zendesk.tickets)
    assert (
        connection.state["newest_change_at"]
        == dt.datetime.fromtimestamp(newest, tz=dt.UTC).isoformat()
    )
    assert "start_time" in zendesk.requests[0]["query"]
    assert [r["query"].get("cursor") is not None for r in zendesk.requests] == [False, True, True]
    # The next poll goes on from the stored cursor and finds only what is new.
    stored = connection.state["cursor"]
    zendesk.add(*_tickets(t0, 6))
    assert _poll(connection).tickets == 1
    assert zendesk.requests[-1]["query"]["cursor"] == [stored]
    assert Interaction.objects.filter(source=connection.source).count() == 6


def test_an_interaction_is_mapped_from_the_ticket_and_its_metrics(zendesk, connection, t0, ann):
    zendesk.add(ticket(7, created_at=t0, reply_minutes=12, solved_after_minutes=95))
    _poll(connection)
    interaction = Interaction.objects.get(source=connection.source, external_id="7")
    assert interaction.employee == ann
    assert interaction.opened_at == t0
    assert interaction.first_response_at == t0 + dt.timedelta(minutes=12)
    assert interaction.resolved_at == t0 + dt.timedelta(minutes=95)
    assert interaction.is_first_contact_resolution
    customer = interaction.customer
    assert (customer.email, customer.name) == ("carl@customer.example", "Carl Customer")
    assert customer.external_id == "zendesk:acme:9001"
    event = InboundEvent.objects.get(connection=connection)
    assert (event.status, event.interaction_id, event.external_id) == (
        EventStatus.ACCEPTED,
        interaction.pk,
        "7",
    )


def test_429_is_honoured_then_the_poll_goes_on(zendesk, connection, t0):
    zendesk.add(*_tickets(t0, 1, 2, 3))
    zendesk.rate_limit_next(retry_after="30")
    now = timezone.now()
    result = _poll(connection, now=now)
    assert result.stopped == "rate_limited"
    assert connection.state["retry_at"] == (now + dt.timedelta(seconds=30)).isoformat()
    assert "30" in connection.state["error"]
    assert not Interaction.objects.exists()
    # Before Retry-After has passed no request is made at all.
    asked = len(zendesk.requests)
    assert _poll(connection, now=now + dt.timedelta(seconds=10)).stopped == "rate_limited"
    assert len(zendesk.requests) == asked
    result = _poll(connection, now=now + dt.timedelta(seconds=31))
    assert (result.stopped, result.tickets) == ("end_of_stream", 3)
    assert connection.state["error"] == ""
    assert connection.state["retry_at"] is None


def test_a_crash_mid_stream_resumes_from_the_stored_cursor(zendesk, connection, t0, monkeypatch):
    zendesk.add(*_tickets(t0, 1, 2, 3, 4, 5))
    real = poller.zendesk_page_process
    calls = []

    def crash_on_second_page(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(poller, "zendesk_page_process", crash_on_second_page)
    with pytest.raises(RuntimeError):
        _poll(connection)
    connection.refresh_from_db()
    after_first_page = connection.state["cursor"]
    # The second page was rolled back whole: its events, interactions and cursor.
    assert sorted(Interaction.objects.values_list("external_id", flat=True)) == ["1", "2"]
    assert InboundEvent.objects.count() == 2

    monkeypatch.setattr(poller, "zendesk_page_process", real)
    asked = len(zendesk.requests)
    assert _poll(connection).stopped == "end_of_stream"
    assert zendesk.requests[asked]["query"]["cursor"] == [after_first_page]
    assert sorted(Interaction.objects.values_list("external_id", flat=True)) == list("12345")
    assert InboundEvent.objects.count() == 5


def test_a_page_fetched_twice_is_stored_once(zendesk, connection, t0):
    zendesk.add(*_tickets(t0, 1, 2))
    _poll(connection)
    Connection.objects.filter(pk=connection.pk).update(state={})
    connection.refresh_from_db()
    _poll(connection)
    assert InboundEvent.objects.count() == 2
    assert Interaction.objects.count() == 2


def test_a_deleted_ticket_removes_its_interaction(zendesk, connection, t0):
    zendesk.add(
        *_tickets(t0, 1, satisfaction={"id": 31, "score": "good"}),
        *_tickets(t0, 2, satisfaction={"id": 32, "score": "good"}),
    )
    _poll(connection)
    assert SurveyResponse.objects.count() == 2
    gone, _metric_set = deleted_ticket(1, created_at=t0)
    gone["generated_timestamp"] += 3600
    zendesk.add((gone, None))
    _poll(connection)
    assert list(Interaction.objects.values_list("external_id", flat=True)) == ["2"]
    assert SurveyResponse.objects.count() == 1
    event = InboundEvent.objects.get(event_type="ticket.deleted")
    assert event.status == EventStatus.ACCEPTED


@pytest.mark.parametrize("mode", ["inline", "side_loaded"])
def test_metric_sets_inline_or_side_loaded_give_the_same_interaction(zendesk, connection, t0, mode):
    zendesk.metric_sets = mode
    zendesk.add(ticket(7, created_at=t0, reply_minutes=20, reopens=1, group_stations=2))
    _poll(connection)
    interaction = Interaction.objects.get()
    assert interaction.first_response_at == t0 + dt.timedelta(minutes=20)
    assert interaction.resolved_at is not None
    assert not interaction.is_first_contact_resolution
    assert interaction.is_escalated


def test_unreached_metrics_stay_empty(zendesk, connection, t0):
    zendesk.add(
        ticket(7, created_at=t0, status="open", reply_minutes=None, solved_after_minutes=None)
    )
    _poll(connection)
    interaction = Interaction.objects.get()
    assert interaction.first_response_at is None
    assert interaction.resolved_at is None
    assert not interaction.is_first_contact_resolution


def test_good_and_bad_ratings_are_five_and_one(zendesk, connection, t0):
    zendesk.add(
        *_tickets(t0, 1, satisfaction={"id": 31, "score": "good", "comment": "Fast"}),
        *_tickets(t0, 2, satisfaction={"id": 32, "score": "bad", "comment": "Slow"}),
        *_tickets(t0, 3, satisfaction={"score": "offered"}),
    )
    _poll(connection)
    answers = {
        r.interaction.external_id: (r.csat, r.comment, r.external_id, r.source)
        for r in SurveyResponse.objects.select_related("interaction")
    }
    assert answers == {
        "1": (5, "Fast", "31", connection.source),
        "2": (1, "Slow", "32", connection.source),
    }


def test_escalation_by_tag_when_the_connection_says_so(zendesk, connection, t0):
    connection.settings = {**connection.settings, "escalation": "tag", "escalation_tag": "tier2"}
    connection.save()
    zendesk.add(*_tickets(t0, 1, tags=["tier2"], group_stations=1))
    zendesk.add(*_tickets(t0, 2, tags=[], group_stations=3))
    _poll(connection)
    assert dict(Interaction.objects.values_list("external_id", "is_escalated")) == {
        "1": True,
        "2": False,
    }


def test_an_unknown_agent_is_held_then_scored_once_mapped(zendesk, connection, t0, team):
    zendesk.users.append(user(777, name="Bob New", email="bob@elsewhere.example"))
    zendesk.add(*_tickets(t0, 1, 2, assignee_id=777))
    _poll(connection)
    assert not Interaction.objects.exists()
    agent = ExternalAgent.objects.get(connection=connection, external_id="777")
    assert agent.employee is None
    assert (agent.email, agent.name) == ("bob@elsewhere.example", "Bob New")
    held = InboundEvent.objects.filter(status=EventStatus.HELD, agent=agent)
    assert held.count() == 2

    bob = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=bob, team=team)
    held_ids = list(held.values_list("pk", flat=True))
    DirtyDay.objects.all().delete()
    # The mapping queue's one click: the held events are queued again; the worker runs each.
    assert agent_map(agent=agent, employee=bob) == 2
    assert [event_process(event_id=pk) for pk in held_ids] == [EventStatus.ACCEPTED] * 2
    assert Interaction.objects.filter(employee=bob).count() == 2
    assert not InboundEvent.objects.filter(status=EventStatus.HELD).exists()
    assert DirtyDay.objects.filter(employee=bob).exists()
    connection.refresh_from_db()
    assert connection.events_accepted == 2


def test_refused_tickets_are_processed_again_once_fixed(zendesk, connection, t0, team):
    newcomer = EmployeeFactory(role=Role.ONBOARDING, user__email="New@Acme.example")
    zendesk.users.append(user(888, name="New", email="new@acme.example"))
    zendesk.add(*_tickets(t0, 1, assignee_id=888))
    _poll(connection)
    refused = InboundEvent.objects.get(status=EventStatus.REFUSED)
    newcomer.role = Role.AGENT
    newcomer.save()
    assert events_reprocess(connection=connection) == 1
    assert event_process(event_id=refused.pk) == EventStatus.ACCEPTED
    assert Interaction.objects.get().employee == newcomer


def test_an_agent_with_an_employee_e_mail_is_mapped_at_once(zendesk, connection, t0, ann):
    zendesk.add(*_tickets(t0, 1))
    _poll(connection)
    agent = ExternalAgent.objects.get(external_id=str(ANN))
    assert agent.employee == ann
    assert agent.mapped_at is not None


def test_a_refused_ticket_does_not_stop_the_others(zendesk, connection, t0, team):
    newcomer = EmployeeFactory(role=Role.ONBOARDING, user__email="new@acme.example")
    zendesk.users.append(user(888, name="New", email="new@acme.example"))
    zendesk.add(*_tickets(t0, 1), *_tickets(t0, 2, assignee_id=888), *_tickets(t0, 3))
    _poll(connection)
    assert sorted(Interaction.objects.values_list("external_id", flat=True)) == ["1", "3"]
    refused = InboundEvent.objects.get(status=EventStatus.REFUSED)
    assert refused.external_id == "2"
    assert "employee" in refused.error
    assert connection.events_refused == 1
    assert ExternalAgent.objects.get(external_id="888").employee == newcomer


def test_an_unassigned_ticket_waits_and_a_later_update_supersedes_it(zendesk, connection, t0):
    body, metric_set = ticket(1, created_at=t0, status="new", assignee_id=None, reply_minutes=None)
    zendesk.add((body, metric_set))
    _poll(connection)
    assert InboundEvent.objects.get().status == EventStatus.HELD
    assigned, metric_set = ticket(1, created_at=t0)
    assigned["generated_timestamp"] += 3600
    zendesk.add((assigned, metric_set))
    _poll(connection)
    assert Interaction.objects.count() == 1
    assert set(InboundEvent.objects.values_list("status", flat=True)) == {EventStatus.ACCEPTED}


def test_wrong_credentials_are_an_error_on_the_connection(zendesk, connection):
    connection.secret = "wrong"
    connection.save()
    result = _poll(connection)
    assert result.stopped == "error"
    assert connection.state["error"] == "Zendesk refused the e-mail and API token."
    assert connection.state["errors"] == 1
    assert not InboundEvent.objects.exists()


def test_a_paused_connection_is_not_polled(zendesk, connection):
    connection.is_paused = True
    connection.save()
    assert _poll(connection).stopped == "paused"
    assert zendesk.requests == []


def test_the_first_poll_starts_at_the_chosen_date(zendesk, connection, t0):
    connection.settings = {**connection.settings, "start_date": "2026-01-15"}
    connection.save()
    _poll(connection)
    start = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
    assert zendesk.requests[0]["query"]["start_time"] == [str(int(start.timestamp()))]


def test_the_poll_is_in_the_beat_schedule(settings):
    entries = {e["task"]: e for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "integrations.zendesk.tasks.zendesk_poll_all" in entries


def test_customers_found_by_e_mail_are_reused(zendesk, connection, t0):
    known = Customer.objects.create(name="Carl", email="carl@customer.example")
    zendesk.add(*_tickets(t0, 1))
    _poll(connection)
    assert Interaction.objects.get().customer == known


def test_beat_polls_every_running_zendesk_connection_but_not_a_recorded_one(connection):
    paused = Connection.objects.create(kind=ConnectionKind.ZENDESK, name="P", is_paused=True)
    recorded = Connection.objects.create(
        kind=ConnectionKind.ZENDESK, name="R", settings={"recorded": True}
    )
    chatwoot = Connection.objects.create(kind=ConnectionKind.CHATWOOT, name="C")
    polled = connections_to_poll()
    assert connection.pk in polled
    assert not {paused.pk, recorded.pk, chatwoot.pk} & set(polled)


def test_an_unreadable_ticket_is_refused_with_its_raw_body_and_the_rest_written(
    zendesk, connection, t0
):
    broken, metric_set = ticket(2, created_at=t0)
    broken["created_at"] = None
    zendesk.add(*_tickets(t0, 1), (broken, metric_set), *_tickets(t0, 3))
    _poll(connection)
    assert sorted(Interaction.objects.values_list("external_id", flat=True)) == ["1", "3"]
    refused = InboundEvent.objects.get(status=EventStatus.REFUSED)
    assert refused.external_id == "2"
    assert "creation time" in refused.error
    assert '"id":2' in refused.body
    assert connection.state["end_of_stream"] is True


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ((200, {}, "<html>maintenance</html>"), "not JSON"),
        ((503, {}, "{}"), "HTTP 503"),
        ((200, {}, '{"count": 0}'), "no list of tickets"),
    ],
)
def test_a_bad_answer_is_an_error_on_the_connection_and_the_cursor_stays(
    zendesk, connection, t0, answer, message
):
    zendesk.add(*_tickets(t0, 1, 2, 3))
    _poll(connection)
    cursor = connection.state["cursor"]
    zendesk.add(*_tickets(t0, 4))
    zendesk.scripted.append(answer)
    assert _poll(connection).stopped == "error"
    assert message in connection.state["error"]
    assert connection.state["cursor"] == cursor
    assert _poll(connection).tickets == 1
    assert connection.state["error"] == ""


def test_events_are_stored_as_sent_whatever_their_characters(zendesk, connection, t0):
    # The page's events go to PostgreSQL as COPY data (docs/PERFORMANCE.md): tabs, line ends
    # and backslashes are escaped there and must come back as they were.
    subject = 'Tab\there, line\nend, CR\r, back\\slash, "quotes", ünïcode, \\N'
    zendesk.add(ticket(11, created_at=t0, subject=subject))
    _poll(connection)
    event = InboundEvent.objects.get(connection=connection)
    body = json.loads(event.body)
    assert body["ticket"]["subject"] == subject
    assert "description" not in body["ticket"]
    assert event.customer_keys == [
        "email:ann@acme.example",
        "email:carl@customer.example",
        "email:support@example.com",
        "id:zendesk:acme:9001",
    ]
    assert event.occurred_at is None
    assert event.status == EventStatus.ACCEPTED
    assert Interaction.objects.get(source=connection.source).subject == subject.strip()


def test_the_beat_polls_the_same_connections_on_sqlite_and_postgresql(db, tmp_path):
    # `make run` keeps its data in SQLite, which has no JSON containment: the beat's poll
    # failed there on every run.
    on_sqlite = run_on_sqlite("tests.integrations.poll_scenario", tmp_path)

    assert on_sqlite == polled_names() == ["Running", "Not recorded"]

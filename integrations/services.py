"""Writes of the integrations app: connections, the events they receive, the agent mapping.

An event goes: received (stored raw, `event_receive`) -> processed by a task (`event_process`)
-> accepted, refused (with the reason; `events_reprocess` tries again) or held (waiting for its
agent to be mapped, `agent_map`). A beat sweep queues pending events whose task was lost.
"""

import hashlib
import json
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection as db
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from crs_site.celery import enqueue_on_commit
from customers.services import InteractionRowsInvalid
from integrations.choices import ConnectionKind, EventStatus
from integrations.models import Connection, ExternalAgent, InboundEvent, new_secret
from integrations.personal import event_customer_keys
from staff.models import Employee

logger = logging.getLogger(__name__)

# A delivery larger than this is refused at the door: no helpdesk event comes near it.
MAX_BODY_BYTES = 1024 * 1024
_ERROR_CHARS = 2000


class Held(Exception):  # noqa: N818 - an outcome, not a failure
    """Processing waits for something an admin does (an agent mapped)."""

    def __init__(self, message: str, *, agent: ExternalAgent | None = None):
        super().__init__(message)
        self.agent = agent


def connection_create(
    *,
    kind: str,
    name: str,
    created_by: Employee | None = None,
    signing_secret: str = "",
    settings: dict[str, Any] | None = None,
) -> Connection:
    """Add a connection with a new random secret (the caller shows it once)."""
    connection = Connection(
        kind=kind,
        name=name,
        created_by=created_by,
        signing_secret=signing_secret,
        settings=settings or {},
        secret=new_secret(),
    )
    connection.full_clean()
    connection.save()
    return connection


@transaction.atomic
def connection_set_paused(*, connection: Connection, paused: bool) -> Connection:
    """Pause (events are still stored, not processed) or resume (the waiting ones are queued)."""
    connection.is_paused = paused
    connection.save(update_fields=["is_paused"])
    if not paused:
        events_requeue(
            InboundEvent.objects.filter(connection=connection, status=EventStatus.PENDING)
        )
    return connection


def _enqueue(event_ids: Iterable[int]) -> None:
    from integrations import tasks  # the tasks module imports this one

    for event_id in event_ids:
        enqueue_on_commit(tasks.inbound_event_process, event_id)


def _peek(body: bytes) -> tuple[str, str, dict | None]:
    """The event type and conversation id, for the pages, and the decoded body (None if it is
    not a JSON object); the task reads the body properly."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return "", "", None
    if not isinstance(payload, dict):
        return "", "", None
    event_type = str(payload.get("event") or "")[:60]
    conversation = payload.get("conversation") if event_type.startswith("message_") else payload
    conversation_id = conversation.get("id") if isinstance(conversation, dict) else None
    return event_type, ("" if conversation_id is None else str(conversation_id)[:100]), payload


def event_receive(*, connection: Connection, body: bytes) -> InboundEvent:
    """Store a delivery before anything else and queue it; return the stored event.

    The same body delivered again is the same event (its SHA-256 is the dedupe key): one
    statement inserts it or finds the stored one, in autocommit, so the sender waits for a
    single write. Its task is queued once that write is committed; with the broker down the
    beat sweep queues it later, so a stored event is never lost. A repeated delivery queues a
    task that finds the event processed and does nothing.
    """
    event_type, external_id, payload = _peek(body)
    text = body.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
    event = InboundEvent(
        connection=connection,
        dedupe_key=hashlib.sha256(body).hexdigest(),
        event_type=event_type,
        external_id=external_id,
        body=text,
        customer_keys=event_customer_keys(
            kind=connection.kind,
            connection_id=connection.pk,
            settings=connection.settings,
            body=text,
            payload=payload,
        ),
    )
    # INSERT ... ON CONFLICT DO UPDATE of the key itself: the stored row is left as it was,
    # and its id comes back either way.
    InboundEvent.objects.bulk_create(
        [event],
        update_conflicts=True,
        unique_fields=["connection", "dedupe_key"],
        update_fields=["dedupe_key"],
    )
    if not connection.is_paused:
        _enqueue([event.pk])
    return event


def _conversation_lock(*, connection_id: int, external_id: str) -> None:
    """Take turns per conversation: two events of one conversation never interleave."""
    if db.vendor != "postgresql":
        # SQLite (the local `make run`) writes one transaction at a time anyway.
        return
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [connection_id, external_id]
        )


def _error_text(exc: Exception) -> str:
    if isinstance(exc, InteractionRowsInvalid):
        messages = [
            f"{field or 'row'}: {message}"
            for fields in exc.row_errors.values()
            for field, items in fields.items()
            for message in items
        ]
    elif isinstance(exc, ValidationError):
        messages = [
            f"{field}: {message}" if field != "__all__" else message
            for field, items in getattr(exc, "message_dict", {"__all__": exc.messages}).items()
            for message in items
        ]
    else:
        messages = [str(exc)]
    return "; ".join(messages)[:_ERROR_CHARS]


# The fields of an event that processing writes (event_process, chatwoot_event_apply).
_PROCESSED_FIELDS = (
    "event_type",
    "external_id",
    "message_id",
    "occurred_at",
    "status",
    "error",
    "attempts",
    "agent",
    "interaction",
    "processed_at",
)


def event_process(*, event_id: int) -> str | None:
    """Process one pending event; return its new status (None if it was not pending)."""
    from integrations.chatwoot_apply import PayloadInvalid, chatwoot_event_apply

    with transaction.atomic():
        event = (
            InboundEvent.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("connection")
            .filter(pk=event_id, status=EventStatus.PENDING, connection__is_paused=False)
            .first()
        )
        if event is None:
            return None
        if event.connection.kind == ConnectionKind.ZENDESK:
            # A polled ticket processed again (its agent mapped, or a re-process): the
            # Zendesk processor settles it, its counters and what it writes.
            from integrations.zendesk.services import zendesk_events_process

            zendesk_events_process(connection=event.connection, events=[event])
            return event.status
        _conversation_lock(connection_id=event.connection_id, external_id=event.external_id)
        event.attempts += 1
        event.error = ""
        event.agent = None
        try:
            with transaction.atomic():
                if event.connection.kind != ConnectionKind.CHATWOOT:
                    raise PayloadInvalid(_("This connection does not receive events."))
                event.error = chatwoot_event_apply(event=event) or ""
            event.status = EventStatus.ACCEPTED
        except Held as held:
            event.status, event.error = EventStatus.HELD, str(held)
            event.agent = _held_agent(event=event, agent=held.agent)
        except (PayloadInvalid, ValidationError) as exc:
            event.status, event.error = EventStatus.REFUSED, _error_text(exc)
        event.processed_at = timezone.now()
        # What processing changes, not the raw body: rewriting it is most of the statement.
        event.save(update_fields=_PROCESSED_FIELDS)
        counter = {EventStatus.ACCEPTED: "events_accepted", EventStatus.REFUSED: "events_refused"}
        updates: dict[str, Any] = {"last_event_at": event.received_at}
        if event.status in counter:
            updates[counter[event.status]] = F(counter[event.status]) + 1
        Connection.objects.filter(pk=event.connection_id).update(**updates)
        return event.status


def events_requeue(events: QuerySet[InboundEvent]) -> int:
    """Make the events pending again and queue them (unless their connection is paused)."""
    found = list(events.order_by("received_at", "pk").values_list("pk", "connection__is_paused"))
    InboundEvent.objects.filter(pk__in=[pk for pk, _paused in found]).update(
        status=EventStatus.PENDING
    )
    _enqueue(pk for pk, paused in found if not paused)
    return len(found)


def _held_agent(*, event: InboundEvent, agent: ExternalAgent | None) -> ExternalAgent | None:
    """The agent an event waits for, written again: holding rolled back the event's writes."""
    if agent is None:
        return None
    return agent_for(
        connection=event.connection,
        external_id=agent.external_id,
        name=agent.name,
        email=agent.email,
    )


@transaction.atomic
def events_reprocess(*, connection: Connection, status: str = EventStatus.REFUSED) -> int:
    """Queue a connection's refused (or held) events again, oldest first; return how many."""
    return events_requeue(InboundEvent.objects.filter(connection=connection, status=status))


def events_pending_stale(*, older_than_seconds: int = 60, limit: int = 1000) -> list[int]:
    """Pending events of running connections whose task seems lost (the beat sweep)."""
    before = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(
        InboundEvent.objects.filter(
            status=EventStatus.PENDING, received_at__lt=before, connection__is_paused=False
        )
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def agent_for(*, connection: Connection, external_id: str, name: str, email: str) -> ExternalAgent:
    """Return the helpdesk agent, added on first sight and matched to an employee if one has
    its external id, else its e-mail (an active one); otherwise it waits in the queue."""
    agent, created = ExternalAgent.objects.get_or_create(
        connection=connection, external_id=external_id, defaults={"name": name, "email": email}
    )
    changed = [f for f, v in (("name", name), ("email", email)) if v and getattr(agent, f) != v]
    for field in changed:
        setattr(agent, field, {"name": name, "email": email}[field])
    if agent.employee_id is None:
        employees = Employee.objects.filter(is_active=True)
        employee = employees.filter(external_id=external_id).first()
        if employee is None and agent.email:
            employee = employees.filter(user__email__iexact=agent.email).order_by("pk").first()
        if employee is not None:
            agent.employee, agent.mapped_at = employee, timezone.now()
            changed += ["employee", "mapped_at"]
    if changed:
        agent.save(update_fields=changed)
    return agent


@transaction.atomic
def agent_map(*, agent: ExternalAgent, employee: Employee) -> int:
    """Map a helpdesk agent to an employee and queue the events held for it; return how many.

    Processing them writes their interactions, which marks the days they count on for
    rescoring (customers.services.interactions_upsert).
    """
    if not employee.is_active:
        raise ValidationError({"employee": _("An inactive employee cannot be mapped.")})
    agent.employee, agent.mapped_at = employee, timezone.now()
    agent.save(update_fields=["employee", "mapped_at"])
    return events_requeue(InboundEvent.objects.filter(agent=agent, status=EventStatus.HELD))

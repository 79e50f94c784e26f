"""Zendesk Support tickets into CRS: a page of the export processed and stored as events.

Each ticket of a page is kept raw as an `InboundEvent` (keyed on the ticket and its
`generated_timestamp`, so a page fetched twice is stored once). The page's events, the
interactions and survey answers they make and the connection's new cursor are written in one
transaction: a crash mid-stream leaves the cursor of the last whole page, and the next poll
fetches the rest again (a pull needs no store-first step: Zendesk keeps what is not yet read).
Interactions go through the batch service every pusher uses (`customers.batch.interactions_push`)
with the connection as principal. A ticket whose assignee is not mapped to an employee waits
(held) with its agent in the mapping queue.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection as db
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg2 import sql
from psycopg2.extras import execute_values

from customers.batch import interactions_push
from customers.models import Interaction
from customers.services import InteractionRowsInvalid, interaction_delete
from customers.upsert import instance_build
from feedback.services import survey_responses_upsert
from integrations.choices import EventStatus
from integrations.models import Connection, ExternalAgent, InboundEvent
from integrations.personal import event_customer_keys
from integrations.zendesk.client import ExportPage
from integrations.zendesk.mapping import (
    ESCALATION_GROUPS,
    ESCALATION_TAG,
    EscalationRule,
    Person,
    TicketInvalid,
    TicketRow,
    metric_sets_by_ticket,
    ticket_row,
    users_by_id,
)
from staff.models import Employee
from staff.permissions import principal_for_system

EVENT_TICKET = "ticket"
# Ticket fields with the customer's own words that CRS never reads: not kept in the stored
# body at all (personal data kept only where it is used; the first comment can be pages long).
UNREAD_PERSONAL = frozenset({"description"})
EVENT_DELETED = "ticket.deleted"
# One encoder for a page's thousand bodies (json.dumps with separators builds one per call).
_encode = json.JSONEncoder(separators=(",", ":")).encode


@dataclass
class _Work:
    """An event being processed and what it became."""

    event: InboundEvent
    # The ticket, its metric set and the page's users by id, when at hand (a fresh page); else
    # they are read from the stored event's body. Kept apart rather than as the decoded body:
    # the body's own dicts are then garbage as soon as it is encoded, not kept for the page.
    ticket: dict[str, Any] | None = None
    metric_set: dict[str, Any] | None = None
    users: dict[int, dict[str, Any]] | None = None
    row: TicketRow | None = None
    employee_id: int | None = None


def escalation_rule(connection: Connection) -> EscalationRule:
    return EscalationRule(
        kind=connection.settings.get("escalation", ESCALATION_GROUPS),
        tag=connection.settings.get("escalation_tag", ""),
    )


def _page_works(*, connection: Connection, page: ExportPage) -> list[_Work]:
    """One unsaved event per ticket of the page, its body the ticket as Zendesk sent it."""
    metric_sets = metric_sets_by_ticket(tickets=page.tickets, side_loaded=page.metric_sets)
    users = users_by_id(page.users)
    works = []
    for ticket in page.tickets:
        ticket_id = ticket.get("id")
        stamp = ticket.get("generated_timestamp") or ticket.get("updated_at") or ""
        named = [
            users[i] for i in (ticket.get("assignee_id"), ticket.get("requester_id")) if i in users
        ]
        kept = {key: value for key, value in ticket.items() if key not in UNREAD_PERSONAL}
        payload = {"ticket": kept, "metric_set": metric_sets.get(ticket_id), "users": named}
        body = _encode(payload)
        event = instance_build(
            InboundEvent,
            {
                "connection_id": connection.pk,
                "dedupe_key": f"ticket:{ticket_id}:{stamp}"[:200],
                "event_type": EVENT_DELETED if ticket.get("status") == "deleted" else EVENT_TICKET,
                "external_id": str(ticket_id)[:100],
                "body": body,
                "customer_keys": event_customer_keys(
                    kind=connection.kind,
                    connection_id=connection.pk,
                    settings=connection.settings,
                    body=body,
                    payload=payload,
                ),
            },
        )
        works.append(
            _Work(event=event, ticket=ticket, metric_set=payload["metric_set"], users=users)
        )
    return works


def _agents_resolve(
    *, connection: Connection, people: dict[str, Person]
) -> dict[str, ExternalAgent]:
    """The connection's agents for these Zendesk users, new ones created and, where an employee
    has the same external id or e-mail, mapped at once; the rest wait in the mapping queue."""
    agents = {
        a.external_id: a
        for a in ExternalAgent.objects.filter(connection=connection, external_id__in=people)
    }
    missing = [p for key, p in people.items() if key not in agents]
    if missing:
        emails = {p.email for p in missing if p.email}
        by_external: dict[str, int] = {}
        by_email: dict[str, int] = {}
        for pk, external_id, email in (
            Employee.objects.filter(is_active=True)
            .annotate(email_lower=Lower("user__email"))
            .filter(Q(external_id__in=[p.external_id for p in missing]) | Q(email_lower__in=emails))
            .order_by("pk")
            .values_list("pk", "external_id", "email_lower")
        ):
            if external_id:
                by_external[external_id] = pk
            if email:
                by_email.setdefault(email.lower(), pk)
        now = timezone.now()
        new = []
        for person in missing:
            employee_id = by_external.get(person.external_id) or by_email.get(person.email)
            new.append(
                ExternalAgent(
                    connection=connection,
                    external_id=person.external_id,
                    email=person.email,
                    name=person.name[:200],
                    employee_id=employee_id,
                    mapped_at=now if employee_id else None,
                )
            )
        ExternalAgent.objects.bulk_create(new, ignore_conflicts=True)
        agents.update(
            (a.external_id, a)
            for a in ExternalAgent.objects.filter(
                connection=connection, external_id__in=[p.external_id for p in missing]
            )
        )
    return agents


def _customer_fields(*, connection: Connection, requester: Person | None) -> dict[str, Any]:
    if requester is None:
        return {"customer_name": _("Zendesk requester")}
    # Customer external ids are one namespace for every source: this names the account.
    subdomain = connection.settings.get("subdomain", "")
    fields: dict[str, Any] = {
        "customer_external_id": f"zendesk:{subdomain}:{requester.external_id}"[:100],
        "customer_name": requester.name or requester.email or f"Zendesk #{requester.external_id}",
    }
    if requester.email:
        fields["customer_email"] = requester.email
    return fields


def _open(work: _Work) -> bool:
    return work.event.status == EventStatus.PENDING


def _settle(work: _Work, status: str, error: str = "") -> None:
    work.event.status = status
    work.event.error = error
    work.event.processed_at = timezone.now()
    work.event.attempts += 1


def _parse(*, connection: Connection, works: Sequence[_Work]) -> None:
    rule = escalation_rule(connection)
    # The persons of the page's users, read once for all its tickets.
    people: dict[int, Person] = {}
    for work in works:
        try:
            if work.ticket is not None and work.users is not None:
                ticket, metric_set, users = work.ticket, work.metric_set, work.users
                shared: dict[int, Person] | None = people
            else:
                body = json.loads(work.event.body)
                ticket, metric_set = body["ticket"], body.get("metric_set")
                users, shared = users_by_id(body.get("users") or []), None
            work.row = ticket_row(
                ticket=ticket,
                metric_set=metric_set,
                users=users,
                rule=rule,
                source=connection.source,
                people=shared,
            )
        except (ValueError, KeyError, TypeError, TicketInvalid) as error:
            _settle(work, EventStatus.REFUSED, str(error) or _("The ticket could not be read."))


def _deleted(*, connection: Connection, works: Sequence[_Work]) -> None:
    ids = [w.row.external_id for w in works if _open(w) and w.row and w.row.deleted]
    for interaction in Interaction.objects.filter(source=connection.source, external_id__in=ids):
        interaction_delete(interaction=interaction)
    for work in works:
        if _open(work) and work.row and work.row.deleted:
            _settle(work, EventStatus.ACCEPTED)


def _assign(*, connection: Connection, works: Sequence[_Work]) -> list[_Work]:
    """Attach each ticket's agent; return the works ready to be written."""
    live = [w for w in works if _open(w) and w.row and not w.row.deleted]
    people = {w.row.assignee.external_id: w.row.assignee for w in live if w.row and w.row.assignee}
    agents = _agents_resolve(connection=connection, people=people)
    ready = []
    for work in live:
        assert work.row is not None
        if work.row.assignee is None:
            _settle(work, EventStatus.HELD, _("The ticket has no assignee yet."))
            continue
        agent = agents[work.row.assignee.external_id]
        # By id: the event is only written, never read back through the relation.
        work.event.agent_id = agent.pk
        if agent.employee_id is None:
            _settle(work, EventStatus.HELD, _("The agent is not mapped to an employee yet."))
            continue
        work.employee_id = agent.employee_id
        ready.append(work)
    return ready


def _push(*, connection: Connection, works: list[_Work]) -> list[tuple[_Work, Interaction]]:
    """Write the interactions; a refused row refuses its own event, the others are written."""
    principal = principal_for_system(name=connection.source)
    for _attempt in range(2):
        rows = {
            index: {
                **w.row.fields,  # type: ignore[union-attr]
                "employee": w.employee_id,
                **_customer_fields(connection=connection, requester=w.row.requester),  # type: ignore[union-attr]
            }
            for index, w in enumerate(works)
        }
        try:
            with transaction.atomic():
                interactions = interactions_push(principal=principal, rows=rows)
        except InteractionRowsInvalid as invalid:
            for index, fields in invalid.row_errors.items():
                messages = [f"{field or '-'}: {' '.join(m)}" for field, m in fields.items()]
                _settle(works[index], EventStatus.REFUSED, "\n".join(messages))
            works = [w for w in works if _open(w)]
            continue
        return list(zip(works, interactions, strict=True))
    return []


def _ratings(*, connection: Connection, written: list[tuple[_Work, Interaction]]) -> None:
    rated = [(w, i) for w, i in written if w.row and w.row.rating]
    now = timezone.now()
    rows = [
        {
            "interaction_id": interaction.pk,
            "csat": work.row.rating.csat,  # type: ignore[union-attr]
            "comment": work.row.rating.comment,  # type: ignore[union-attr]
            # A helpdesk clock ahead of ours records the answer as now.
            "submitted_at": min(work.row.rating.submitted_at or now, now),  # type: ignore[union-attr]
            "source": connection.source,
            "external_id": work.row.rating.external_id,  # type: ignore[union-attr]
        }
        for work, interaction in rated
    ]
    if rows:
        for index, fields in survey_responses_upsert(rows=rows).errors.items():
            work = rated[index][0]
            work.event.error = " ".join(m for ms in fields.values() for m in ms)


def _supersede(*, connection: Connection, works: Sequence[_Work]) -> None:
    """Older events of the same tickets still waiting would undo the newer: close them.

    New events are newer than every stored one; stored events processed again (after a
    mapping) supersede only those stored before them.
    """
    stored = [w.event.pk for w in works if w.event.pk is not None]
    older = InboundEvent.objects.filter(
        connection=connection,
        external_id__in={w.event.external_id for w in works},
        status__in=[EventStatus.PENDING, EventStatus.HELD, EventStatus.REFUSED],
    ).exclude(pk__in=stored)
    if len(stored) == len(works):
        older = older.filter(pk__lt=min(stored))
    older.update(
        status=EventStatus.ACCEPTED,
        error=_("Superseded by a newer update of the ticket."),
        processed_at=timezone.now(),
    )


# COPY's text format: a backslash, tab, newline or carriage return in a value is escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: str) -> str:
    # Most values have nothing to escape: four scans are cheaper than a translation.
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def _copy_value(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return _copy_text(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, list | dict):
        return _copy_text(json.dumps(value))
    return str(value)


def _copy_column(values: list[object]) -> list[str]:
    """One column's values in COPY's text format; a column of text alone (the bodies, most of
    the data) takes the short way."""
    if all(type(v) is str for v in values):
        return [_copy_text(v) for v in values]  # type: ignore[arg-type]
    return [_copy_value(v) for v in values]


def _events_insert(*, events: Sequence[InboundEvent]) -> None:
    """Insert events with one COPY: a page's raw bodies are megabytes, which PostgreSQL reads
    far faster as COPY data than as the literals of an INSERT statement, and Django's
    bulk_create would prepare each field of each row one by one (bench/zendesk.py,
    docs/PERFORMANCE.md). Other databases than PostgreSQL (SQLite for `make run`) take the
    ORM's bulk_create."""
    if not events:
        return
    now = timezone.now()
    fields = [f for f in InboundEvent._meta.concrete_fields if not f.primary_key]
    for event in events:
        event.received_at = now
    if db.vendor != "postgresql":
        InboundEvent.objects.bulk_create(events, batch_size=1000)
        return
    statement = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
        table=sql.Identifier(InboundEvent._meta.db_table),
        columns=sql.SQL(", ").join(sql.Identifier(f.column) for f in fields),
    )
    columns = [_copy_column([getattr(e, f.attname) for e in events]) for f in fields]
    data = "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"
    with db.cursor() as cursor:
        cursor.cursor.copy_expert(statement.as_string(cursor.cursor), io.StringIO(data))


def _events_settle(*, events: Sequence[InboundEvent]) -> None:
    """Write each event's outcome in one UPDATE … FROM (VALUES …): Django's bulk_update builds
    a CASE per field and row, seconds for a page of 1,000 (bench/zendesk.py)."""
    if db.vendor != "postgresql":
        InboundEvent.objects.bulk_update(
            events,
            ["status", "error", "processed_at", "attempts", "agent", "interaction"],
            batch_size=1000,
        )
        return
    statement = sql.SQL(
        """UPDATE {table} AS e SET status = v.status, error = v.error,
            processed_at = v.processed_at, attempts = v.attempts,
            agent_id = v.agent_id, interaction_id = v.interaction_id
          FROM (VALUES %s) AS v(id, status, error, processed_at, attempts, agent_id,
                                interaction_id)
          WHERE e.id = v.id"""
    ).format(table=sql.Identifier(InboundEvent._meta.db_table))
    with db.cursor() as cursor:
        execute_values(
            cursor.cursor,
            statement.as_string(cursor.cursor),
            [
                (e.pk, e.status, e.error, e.processed_at, e.attempts, e.agent_id, e.interaction_id)
                for e in events
            ],
            template="(%s, %s, %s, %s::timestamptz, %s, %s::bigint, %s::bigint)",
            page_size=1000,
        )


def _process(*, connection: Connection, works: list[_Work]) -> dict[str, int]:
    """Decide every event's outcome and write what it makes; the events are left to the caller."""
    if not works:
        return {EventStatus.ACCEPTED: 0, EventStatus.REFUSED: 0, EventStatus.HELD: 0}
    _supersede(connection=connection, works=works)
    newest = {w.event.external_id: w for w in works}
    for work in works:
        work.event.status = EventStatus.PENDING
        if newest[work.event.external_id] is not work:
            _settle(work, EventStatus.ACCEPTED, _("Superseded by a newer update of the ticket."))
    _parse(connection=connection, works=works)
    _deleted(connection=connection, works=works)
    written = _push(connection=connection, works=_assign(connection=connection, works=works))
    _ratings(connection=connection, written=written)
    for work, interaction in written:
        work.event.interaction_id = interaction.pk
        _settle(work, EventStatus.ACCEPTED, work.event.error)
    counts = {
        status: sum(1 for w in works if w.event.status == status)
        for status in (EventStatus.ACCEPTED, EventStatus.REFUSED, EventStatus.HELD)
    }
    Connection.objects.filter(pk=connection.pk).update(
        events_accepted=F("events_accepted") + counts[EventStatus.ACCEPTED],
        events_refused=F("events_refused") + counts[EventStatus.REFUSED],
        last_event_at=timezone.now(),
    )
    return {str(k): v for k, v in counts.items()}


@transaction.atomic
def zendesk_page_process(*, connection: Connection, page: ExportPage) -> dict[str, int]:
    """Store and process one export page; its tickets stored before are left as they are.

    The events are inserted with their outcome, after the processing, in the same transaction
    as everything the page makes (and, in the poller, the cursor): if anything fails, nothing
    of the page is kept and the page is fetched again. Zendesk keeps the tickets meanwhile.
    """
    works = _page_works(connection=connection, page=page)
    stored = dict(
        InboundEvent.objects.filter(
            connection=connection, dedupe_key__in=[w.event.dedupe_key for w in works]
        ).values_list("dedupe_key", "status")
    )
    works = [w for w in works if w.event.dedupe_key not in stored]
    counts = _process(connection=connection, works=works)
    _events_insert(events=[w.event for w in works])
    return counts


@transaction.atomic
def zendesk_events_process(
    *, connection: Connection, events: Sequence[InboundEvent]
) -> dict[str, int]:
    """Process stored Zendesk events again (held ones after their agent is mapped, refused ones
    after their cause is fixed)."""
    works = [_Work(event=e) for e in sorted(events, key=lambda e: e.pk)]
    counts = _process(connection=connection, works=works)
    _events_settle(events=[w.event for w in works])
    return counts


@transaction.atomic
def zendesk_settings_save(
    *,
    connection: Connection,
    subdomain: str,
    email: str,
    api_token: str = "",
    escalation: str = ESCALATION_GROUPS,
    escalation_tag: str = "",
    start_date: dt.date | None = None,
) -> Connection:
    """Save a Zendesk connection's account, token and escalation rule.

    Another account (or another start date before the first page) starts the stream afresh:
    a cursor is only meaningful for the account and start it was opened with. An empty token
    keeps the saved one.
    """
    old = dict(connection.settings)
    connection.settings = {
        **old,
        "subdomain": subdomain,
        "email": email,
        "escalation": escalation,
        "escalation_tag": escalation_tag if escalation == ESCALATION_TAG else "",
        "start_date": start_date.isoformat() if start_date else None,
    }
    if api_token:
        connection.secret = api_token
    restart = old.get("subdomain") != subdomain or (
        not connection.state.get("cursor")
        and old.get("start_date") != connection.settings["start_date"]
    )
    if restart:
        connection.state = {}
    if connection.pk is None:
        connection.save()
    else:
        connection.save(update_fields=["settings", "secret", "state"])
    return connection

"""Demo connections for `make run`: one healthy Chatwoot inbox and one failing, so a newcomer
sees what each looks like. Called by the demo builder (`seed_demo`) once staff exist.

The deliveries are shaped as Chatwoot sends them (see integrations/chatwoot.py) and go through
the same path as real ones: stored, then processed.
"""

import datetime as dt
import json

from django.db import transaction

from integrations.choices import ConnectionKind
from integrations.models import ExternalAgent
from integrations.services import connection_create, event_process, event_receive
from staff.choices import Role
from staff.models import Employee


def _conversation(*, number: int, opened: dt.datetime, updated: dt.datetime, status: str, agent):
    return {
        "id": number,
        "inbox_id": 1,
        "channel": "Channel::WebWidget",
        "status": status,
        "additional_attributes": {},
        "messages": [],
        "meta": {
            "sender": {
                "id": 500 + number,
                "name": f"Demo visitor {number}",
                "email": f"visitor{number}@example.com",
                "type": "contact",
            },
            "assignee": agent,
        },
        "first_reply_created_at": (opened + dt.timedelta(minutes=6)).isoformat(),
        "created_at": int(opened.timestamp()),
        "timestamp": int(updated.timestamp()),
        "updated_at": updated.timestamp(),
    }


def _deliveries(*, now: dt.datetime, agent: dict, first: int) -> list[dict]:
    """A conversation opened, answered, resolved and rated, per number."""
    events = []
    for offset, number in enumerate(range(first, first + 3)):
        opened = now - dt.timedelta(hours=6 + offset * 5)
        resolved = opened + dt.timedelta(hours=1)
        created = _conversation(
            number=number, opened=opened, updated=opened, status="open", agent=agent
        )
        done = _conversation(
            number=number, opened=opened, updated=resolved, status="resolved", agent=agent
        )
        events += [
            {**created, "event": "conversation_created"},
            {**done, "event": "conversation_status_changed", "changed_attributes": None},
            {
                "event": "message_updated",
                "id": 9000 + number,
                "message_type": "template",
                "content_type": "input_csat",
                "created_at": resolved.isoformat(),
                "private": False,
                "sender": None,
                "content_attributes": {
                    "submitted_values": {
                        "csat_survey_response": {
                            "rating": 5 - offset,
                            "feedback_message": "Quick and friendly" if offset == 0 else "",
                        }
                    }
                },
                "conversation": done,
            },
        ]
    return events


def _receive_all(connection, payloads: list) -> None:
    for payload in payloads:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        event = event_receive(connection=connection, body=body)
        event_process(event_id=event.pk)


@transaction.atomic
def demo_connections_create(*, now: dt.datetime) -> dict[str, int]:
    """Add the demo connections with their recorded events; return how many of each."""
    employee = (
        Employee.objects.filter(is_active=True, role=Role.AGENT, memberships__isnull=False)
        .order_by("pk")
        .first()
    )
    if employee is None:
        return {"connections": 0, "events": 0}
    healthy = connection_create(kind=ConnectionKind.CHATWOOT, name="Chatwoot: website chat")
    agent = {"id": 1, "name": employee.full_name, "type": "user"}
    ExternalAgent.objects.create(
        connection=healthy, external_id="1", name=employee.full_name, employee=employee
    )
    _receive_all(healthy, _deliveries(now=now, agent=agent, first=101))

    failing = connection_create(kind=ConnectionKind.CHATWOOT, name="Chatwoot: old e-mail inbox")
    stranger = {"id": 2, "name": "Temporary agent", "type": "user"}
    broken = {
        "event": "message_updated",
        "conversation": {"id": 7},
        "content_attributes": {"submitted_values": {"csat_survey_response": {"rating": 9}}},
    }
    _receive_all(
        failing,
        [_deliveries(now=now, agent=stranger, first=201)[1], broken, b"<html>502 Bad Gateway"],
    )
    return {"connections": 2, "events": healthy.events.count() + failing.events.count()}

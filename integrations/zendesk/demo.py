"""The demo's Zendesk connection: a healthy one, with a recorded page of tickets processed.

The page is written in the export's documented shape (tickets, side-loaded metric sets and
users) and goes through the same storing and processing as a polled one. The connection is
marked `recorded` so the poller leaves it alone: its account does not exist.
"""

import datetime as dt
import random

from django.utils import timezone

from integrations.choices import ConnectionKind
from integrations.models import Connection
from integrations.zendesk.client import ExportPage
from integrations.zendesk.services import zendesk_page_process
from staff.models import Employee

TICKETS = 12


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _recorded_page(*, agents: list[Employee], now: dt.datetime, seed: int) -> ExportPage:
    rng = random.Random(seed)
    tickets, metric_sets, users = [], [], []
    for index, agent in enumerate(agents):
        users.append(
            {
                "id": 360_000 + index,
                "name": agent.full_name,
                "email": agent.user.email,
                "role": "agent",
            }
        )
    for n in range(TICKETS):
        ticket_id = 4_100 + n
        created = (now - dt.timedelta(hours=6 + 7 * n)).replace(microsecond=0)
        solved = n % 4 != 3
        reply = rng.randint(4, 55)
        updated = created + dt.timedelta(minutes=reply + 60)
        requester_id = 720_000 + n
        users.append(
            {
                "id": requester_id,
                "name": f"Zendesk customer {n + 1}",
                "email": f"zendesk.customer{n + 1}@example.com",
                "role": "end-user",
            }
        )
        tickets.append(
            {
                "id": ticket_id,
                "via": {"channel": ("email", "web", "chat")[n % 3]},
                "created_at": _iso(created),
                "updated_at": _iso(updated),
                "generated_timestamp": int(updated.timestamp()),
                "subject": ("Refund not received", "Cannot log in", "Change delivery address")[
                    n % 3
                ],
                "status": "solved" if solved else "open",
                "requester_id": requester_id,
                "assignee_id": 360_000 + n % len(agents),
                "tags": ["escalated"] if n % 5 == 0 else [],
                "satisfaction_rating": (
                    {"id": 88_000 + n, "score": "good" if n % 3 else "bad", "comment": ""}
                    if solved and n % 2 == 0
                    else {"score": "offered" if solved else "unoffered"}
                ),
            }
        )
        metric_sets.append(
            {
                "ticket_id": ticket_id,
                "group_stations": 2 if n % 5 == 0 else 1,
                "reopens": 1 if n == 1 else 0,
                "solved_at": _iso(created + dt.timedelta(minutes=reply + 45)) if solved else None,
                "reply_time_in_minutes": {"calendar": reply, "business": reply},
            }
        )
    return ExportPage(
        tickets=tickets,
        after_cursor="MTc2NDk5MDAwMC4wfHw0MTExfA==",
        end_of_stream=True,
        metric_sets=metric_sets,
        users=users,
    )


def zendesk_demo_create(
    *, agents: list[Employee], seed: int = 2026, now: dt.datetime | None = None
) -> Connection:
    """Add the demo's Zendesk connection with a recorded page of tickets by these agents."""
    now = now or timezone.now()
    connection = Connection.objects.create(
        kind=ConnectionKind.ZENDESK,
        name="Zendesk (Acme support)",
        secret="recorded-demo-token",
        settings={
            "subdomain": "acme-demo",
            "email": "admin@acme-demo.example",
            "escalation": "group_changes",
            "recorded": True,
        },
    )
    page = _recorded_page(agents=agents, now=now, seed=seed)
    zendesk_page_process(connection=connection, page=page)
    connection.refresh_from_db()
    connection.state = {
        "cursor": page.after_cursor,
        "end_of_stream": True,
        "last_poll_at": now.isoformat(),
        "last_page_at": now.isoformat(),
        "tickets": len(page.tickets),
        "newest_change_at": dt.datetime.fromtimestamp(
            max(t["generated_timestamp"] for t in page.tickets), tz=dt.UTC
        ).isoformat(),
        "error": "",
        "errors": 0,
        "retry_at": None,
    }
    connection.save(update_fields=["state"])
    return connection

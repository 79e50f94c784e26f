"""A Zendesk ticket and its metric set, read as one CRS interaction (pure: no database, no I/O).

Facts of the format this relies on (Zendesk's "Tickets", "Ticket Metrics" and "Satisfaction
Ratings" references): times are ISO 8601 in UTC; a metric Zendesk has not reached yet is null
(`reply_time_in_minutes: {"calendar": null, "business": null}` until the first public agent
reply); durations are whole minutes; `solved_at` keeps the last solve after a reopen, so only the
ticket's status says whether it is solved now; `reopens` counts reopenings; `group_stations`
counts the groups a ticket passed through; a deleted ticket comes back with status `deleted` and
its subject scrubbed; the legacy satisfaction score is `unoffered`, `offered`, `good` or `bad`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from customers.choices import Channel

SOLVED = frozenset({"solved", "closed"})
DELETED = "deleted"
SUBJECT_MAX = 200

# Escalation rules an admin picks per connection.
ESCALATION_GROUPS = "group_changes"
ESCALATION_TAG = "tag"
ESCALATION_NONE = "none"

# `via.channel` of a ticket → the CRS channel. Web forms, the API and anything new count as
# e-mail: a written, asynchronous request.
_CHANNELS = {
    "email": Channel.EMAIL,
    "web": Channel.EMAIL,
    "api": Channel.EMAIL,
    "voice": Channel.PHONE,
    "phone": Channel.PHONE,
    "chat": Channel.CHAT,
    "native_messaging": Channel.CHAT,
    "messaging": Channel.CHAT,
    "whatsapp": Channel.CHAT,
    "line": Channel.CHAT,
    "wechat": Channel.CHAT,
    "twitter": Channel.SOCIAL,
    "facebook": Channel.SOCIAL,
    "instagram_dm": Channel.SOCIAL,
}


@dataclass(frozen=True)
class EscalationRule:
    kind: str = ESCALATION_GROUPS
    tag: str = ""

    def applies(self, *, ticket: dict[str, Any], metric_set: dict[str, Any] | None) -> bool:
        if self.kind == ESCALATION_TAG:
            return bool(self.tag) and self.tag in (ticket.get("tags") or [])
        if self.kind == ESCALATION_GROUPS:
            return _int(metric_set, "group_stations") > 1
        return False


@dataclass(frozen=True)
class Person:
    """A Zendesk user a ticket names: its id, and e-mail and name when side-loaded."""

    external_id: str
    email: str = ""
    name: str = ""


@dataclass(frozen=True)
class Rating:
    """A satisfaction answer, as a CRS survey answer (1–5)."""

    external_id: str
    csat: int
    comment: str
    submitted_at: dt.datetime


@dataclass(frozen=True)
class TicketRow:
    external_id: str
    deleted: bool
    fields: dict[str, Any]
    assignee: Person | None
    requester: Person | None
    rating: Rating | None
    updated_at: dt.datetime | None


class TicketInvalid(ValueError):
    """The ticket lacks what every interaction needs (an id, a creation time)."""


def parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _int(mapping: dict[str, Any] | None, key: str) -> int:
    value = (mapping or {}).get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _minutes(metric_set: dict[str, Any] | None, key: str) -> int | None:
    """Calendar minutes of a duration metric, None while Zendesk has not reached it."""
    value = (metric_set or {}).get(key)
    if isinstance(value, dict):
        value = value.get("calendar")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def metric_sets_by_ticket(
    *, tickets: list[dict[str, Any]], side_loaded: list[dict[str, Any]]
) -> dict[int, dict[str, Any]]:
    """Each ticket's metric set, whether inline (`ticket["metric_set"]`) or side-loaded."""
    found: dict[int, dict[str, Any]] = {}
    for metric_set in side_loaded:
        if isinstance(metric_set.get("ticket_id"), int):
            found[metric_set["ticket_id"]] = metric_set
    for ticket in tickets:
        inline = ticket.get("metric_set")
        if isinstance(inline, dict) and isinstance(ticket.get("id"), int):
            found[ticket["id"]] = inline
    return found


def users_by_id(users: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {u["id"]: u for u in users if isinstance(u.get("id"), int)}


def _person(
    user_id: Any, users: dict[int, dict[str, Any]], people: dict[int, Person] | None
) -> Person | None:
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    if people is not None and user_id in people:
        return people[user_id]
    user = users.get(user_id, {})
    person = Person(
        external_id=str(user_id),
        email=str(user.get("email") or "").strip().lower(),
        name=str(user.get("name") or "").strip(),
    )
    if people is not None:
        people[user_id] = person
    return person


def _rating(ticket: dict[str, Any], *, submitted_at: dt.datetime) -> Rating | None:
    """good → 5, bad → 1, a numeric 1–5 score as it is; offered/unoffered are no answer."""
    satisfaction = ticket.get("satisfaction_rating")
    if not isinstance(satisfaction, dict):
        return None
    score = satisfaction.get("score")
    if score == "good":
        csat = 5
    elif score == "bad":
        csat = 1
    elif isinstance(score, int) and not isinstance(score, bool) and 1 <= score <= 5:
        csat = score
    elif isinstance(score, str) and score.isdigit() and 1 <= int(score) <= 5:
        csat = int(score)
    else:
        return None
    rating_id = satisfaction.get("id")
    return Rating(
        external_id=str(rating_id) if rating_id else f"ticket-{ticket['id']}",
        csat=csat,
        comment=str(satisfaction.get("comment") or ""),
        submitted_at=submitted_at,
    )


def ticket_row(
    *,
    ticket: dict[str, Any],
    metric_set: dict[str, Any] | None,
    users: dict[int, dict[str, Any]],
    rule: EscalationRule,
    source: str,
    people: dict[int, Person] | None = None,
) -> TicketRow:
    """The interaction fields of one ticket (employee and customer are resolved by the caller).

    `people`: the persons already read from the same `users`, by id, shared by the tickets of
    a page (twenty agents and a few hundred requesters, not two persons a ticket); filled here.
    """
    ticket_id = ticket.get("id")
    if not isinstance(ticket_id, int) or isinstance(ticket_id, bool):
        raise TicketInvalid("The ticket has no numeric id.")
    updated_at = parse_time(ticket.get("updated_at"))
    if ticket.get("status") == DELETED:
        return TicketRow(str(ticket_id), True, {}, None, None, None, updated_at)
    opened_at = parse_time(ticket.get("created_at"))
    if opened_at is None:
        raise TicketInvalid(f"Ticket {ticket_id} has no creation time.")

    reply_minutes = _minutes(metric_set, "reply_time_in_minutes")
    first_response_at = (
        opened_at + dt.timedelta(minutes=reply_minutes) if reply_minutes is not None else None
    )
    resolved_at = None
    if ticket.get("status") in SOLVED:
        # A solved ticket without a metric set (a side-load Zendesk left out) is taken as solved
        # at its last update; with one, at the metric's solve time.
        resolved_at = parse_time((metric_set or {}).get("solved_at")) or updated_at or opened_at
        resolved_at = max(resolved_at, opened_at)
    is_fcr = resolved_at is not None and metric_set is not None and _int(metric_set, "reopens") == 0
    via = ticket.get("via")
    if not isinstance(via, dict):
        via = {}
    subject = str(ticket.get("subject") or ticket.get("raw_subject") or "").strip()
    fields = {
        "source": source,
        "external_id": str(ticket_id),
        "channel": _CHANNELS.get(str(via.get("channel") or ""), Channel.EMAIL),
        "subject": (subject or f"#{ticket_id}")[:SUBJECT_MAX],
        "opened_at": opened_at,
        "first_response_at": first_response_at,
        "resolved_at": resolved_at,
        "is_first_contact_resolution": is_fcr,
        "is_escalated": rule.applies(ticket=ticket, metric_set=metric_set),
    }
    rating = _rating(ticket, submitted_at=max(updated_at or opened_at, resolved_at or opened_at))
    return TicketRow(
        external_id=str(ticket_id),
        deleted=False,
        fields=fields,
        assignee=_person(ticket.get("assignee_id"), users, people),
        requester=_person(ticket.get("requester_id"), users, people),
        rating=rating,
        updated_at=updated_at,
    )

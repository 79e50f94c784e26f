"""The Zendesk part of a connection's page: where its export stands and how the last poll went."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from integrations.models import Connection
from integrations.selectors import ConnectionState


@dataclass(frozen=True)
class ZendeskState:
    subdomain: str
    email: str
    escalation: str
    escalation_tag: str
    has_cursor: bool
    end_of_stream: bool
    tickets: int
    last_poll_at: dt.datetime | None
    last_page_at: dt.datetime | None
    newest_change_at: dt.datetime | None
    error: str
    error_at: dt.datetime | None
    errors: int
    retry_at: dt.datetime | None
    recorded: bool
    health: str


def _moment(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def zendesk_state(*, connection: Connection, state: ConnectionState) -> ZendeskState:
    """The connection's poll state; a failed last poll makes the connection failing."""
    saved = connection.state or {}
    retry_at = _moment(saved.get("retry_at"))
    if retry_at and retry_at <= timezone.now():
        retry_at = None
    error = str(saved.get("error") or "")
    return ZendeskState(
        subdomain=connection.settings.get("subdomain", ""),
        email=connection.settings.get("email", ""),
        escalation=connection.settings.get("escalation", "group_changes"),
        escalation_tag=connection.settings.get("escalation_tag", ""),
        has_cursor=bool(saved.get("cursor")),
        end_of_stream=bool(saved.get("end_of_stream")),
        tickets=int(saved.get("tickets") or 0),
        last_poll_at=_moment(saved.get("last_poll_at")),
        last_page_at=_moment(saved.get("last_page_at")),
        newest_change_at=_moment(saved.get("newest_change_at")),
        error=error,
        error_at=_moment(saved.get("error_at")),
        errors=int(saved.get("errors") or 0),
        retry_at=retry_at,
        recorded=bool(connection.settings.get("recorded")),
        health="failing" if error and not retry_at else state.health,
    )

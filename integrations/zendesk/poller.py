"""The Zendesk poller: a connection's export read page by page from its stored cursor.

The connection's `state` holds where the stream stands and how the last poll went: `cursor`
(the `after_cursor` of the last page written), `end_of_stream`, `retry_at` (ISO, after a 429:
no request before it), `last_poll_at`, `last_page_at`, `tickets` (fetched so far),
`newest_change_at` (the latest ticket change read: the lag), `error` and `error_at` (the last
failure; cleared by the next page written), `errors` (failures in a row). Zendesk allows 10
export requests a minute; beat polls every minute and a poll reads at most `MAX_PAGES` pages,
so the limit is kept even without the 429s it is ready for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.choices import ConnectionKind
from integrations.models import Connection
from integrations.zendesk.client import (
    ExportPage,
    ZendeskAuthError,
    ZendeskError,
    ZendeskRateLimited,
    export_page,
)
from integrations.zendesk.services import zendesk_page_process

MAX_PAGES = 5
# Zendesk leaves out the last minute of changes; the first poll starts this far back unless the
# admin chose a start date.
DEFAULT_BACKFILL = dt.timedelta(days=30)


@dataclass
class PollResult:
    pages: int = 0
    tickets: int = 0
    stopped: str = ""  # why the poll stopped: "end_of_stream", "rate_limited", "error", …


def connections_to_poll() -> list[int]:
    running = Connection.objects.filter(kind=ConnectionKind.ZENDESK, is_paused=False)
    # The demo's recorded connection names an account that does not exist. Read in Python: a
    # JSON key's absence is not "not true" in SQL, and SQLite (`make run`) has no containment.
    return [
        pk
        for pk, settings in running.order_by("pk").values_list("pk", "settings")
        if not (settings or {}).get("recorded")
    ]


def _start_time(connection: Connection, now: dt.datetime) -> int:
    start = connection.settings.get("start_date")
    if start:
        day = dt.date.fromisoformat(start)
        moment = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    else:
        moment = now - DEFAULT_BACKFILL
    # The export refuses a start less than a minute in the past.
    return int(min(moment, now - dt.timedelta(minutes=1)).timestamp())


def _state_update(connection_id: int, **changes: object) -> None:
    with transaction.atomic():
        connection = Connection.objects.select_for_update().get(pk=connection_id)
        connection.state = {**connection.state, **changes}
        connection.save(update_fields=["state"])


def _failed(connection: Connection, message: str, now: dt.datetime, **extra: object) -> None:
    _state_update(
        connection.pk,
        error=message,
        error_at=now.isoformat(),
        errors=int(connection.state.get("errors", 0)) + 1,
        last_poll_at=now.isoformat(),
        **extra,
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _page_write(*, connection_id: int, cursor: str | None, page: ExportPage) -> bool:
    """Write one page and move the cursor past it, all at once; False if another poll did."""
    with transaction.atomic():
        connection = Connection.objects.select_for_update().get(pk=connection_id)
        if connection.state.get("cursor") != cursor or connection.is_paused:
            return False
        zendesk_page_process(connection=connection, page=page)
        now = timezone.now()
        stamps = [
            t["generated_timestamp"] for t in page.tickets if _is_int(t.get("generated_timestamp"))
        ]
        newest = connection.state.get("newest_change_at")
        if stamps:
            newest = dt.datetime.fromtimestamp(max(stamps), tz=dt.UTC).isoformat()
        connection.state = {
            **connection.state,
            # The lag: how far behind Zendesk the connection has read.
            "newest_change_at": newest,
            "cursor": page.after_cursor or cursor,
            "end_of_stream": page.end_of_stream,
            "last_poll_at": now.isoformat(),
            "last_page_at": now.isoformat(),
            "tickets": int(connection.state.get("tickets", 0)) + len(page.tickets),
            "error": "",
            "errors": 0,
            "retry_at": None,
        }
        connection.save(update_fields=["state"])
    return True


def zendesk_poll(*, connection_id: int, now: dt.datetime | None = None) -> PollResult:
    """Fetch and write pages from the stored cursor until the end of the stream (or MAX_PAGES)."""
    result = PollResult()
    clock = now
    for _page_number in range(MAX_PAGES):
        now = clock or timezone.now()
        connection = Connection.objects.filter(
            pk=connection_id, kind=ConnectionKind.ZENDESK
        ).first()
        if connection is None or connection.is_paused:
            result.stopped = "paused"
            return result
        if connection.settings.get("recorded"):
            result.stopped = "recorded"
            return result
        retry_at = connection.state.get("retry_at")
        if retry_at and dt.datetime.fromisoformat(retry_at) > now:
            result.stopped = "rate_limited"
            return result
        cursor = connection.state.get("cursor")
        try:
            page = export_page(
                subdomain=connection.settings.get("subdomain", ""),
                email=connection.settings.get("email", ""),
                api_token=connection.secret,
                cursor=cursor,
                start_time=None if cursor else _start_time(connection, now),
            )
        except ZendeskRateLimited as limited:
            retry = now + dt.timedelta(seconds=limited.retry_after)
            _failed(
                connection,
                _("Zendesk asked to wait %(seconds)d s (rate limit).")
                % {"seconds": limited.retry_after},
                now,
                retry_at=retry.isoformat(),
            )
            result.stopped = "rate_limited"
            return result
        except ZendeskAuthError:
            _failed(connection, _("Zendesk refused the e-mail and API token."), now)
            result.stopped = "error"
            return result
        except ZendeskError as error:
            _failed(connection, str(error), now)
            result.stopped = "error"
            return result
        if not _page_write(connection_id=connection_id, cursor=cursor, page=page):
            result.stopped = "moved"
            return result
        result.pages += 1
        result.tickets += len(page.tickets)
        if page.end_of_stream:
            result.stopped = "end_of_stream"
            return result
    result.stopped = "max_pages"
    return result

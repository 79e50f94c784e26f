"""Celery tasks of the Zendesk poller: beat hands out one poll per connection every minute."""

from celery import shared_task

from crs_site.celery import enqueue_on_commit
from integrations.zendesk.poller import connections_to_poll, zendesk_poll


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=9 * 60,
    time_limit=10 * 60,
)
def zendesk_poll_connection(connection_id: int) -> dict:
    """Read a connection's export from its stored cursor (a lost run just leaves it there)."""
    result = zendesk_poll(connection_id=connection_id)
    return {"pages": result.pages, "tickets": result.tickets, "stopped": result.stopped}


@shared_task(ignore_result=True)
def zendesk_poll_all() -> int:
    """Queue a poll of every active Zendesk connection."""
    ids = connections_to_poll()
    for connection_id in ids:
        enqueue_on_commit(zendesk_poll_connection, connection_id)
    return len(ids)

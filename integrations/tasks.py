"""Celery tasks of the connectors: thin and idempotent, JSON arguments only.

Like the scoring tasks (docs/ARCHITECTURE.md) they acknowledge late, go back to the queue when
their worker dies and retry only lost connections. Processing an event twice is harmless: only a
pending event is processed, under a row lock.
"""

from celery import shared_task
from django.db import IntegrityError

from crs_site.celery import task_options
from integrations import services

# Two conversations of one new contact processed at once both create the customer: the
# second meets the first's row, and on the next try finds it.
RACE_ERRORS = (IntegrityError,)


@shared_task(**task_options(retry_also=RACE_ERRORS, soft_time_limit=60, time_limit=90))
def inbound_event_process(event_id: int) -> str | None:
    """Process one stored event (queued on commit of its receipt, a mapping or a re-process)."""
    return services.event_process(event_id=event_id)


@shared_task(**task_options(retry_also=RACE_ERRORS, soft_time_limit=50, time_limit=60))
def inbound_events_sweep() -> int:
    """Queue the events still pending a minute after they arrived: their task was lost
    (the broker was down at receipt, or a worker died before acknowledging)."""
    ids = services.events_pending_stale()
    for event_id in ids:
        inbound_event_process.apply_async(args=[event_id], retry=False)
    return len(ids)

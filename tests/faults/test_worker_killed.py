"""A worker killed with SIGKILL in the middle of a backfill: the next one finishes the job.

Every task acknowledges late and is an idempotent upsert, so a killed worker's chunk is
delivered again and the rows end up exactly as an uninterrupted run writes them.
"""

import datetime as dt
import json

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from crs_site.celery import app
from scorecards.management.commands import compute_scores
from scorecards.models import EmployeeDailyScore, TeamDailyScore
from tests.celery_worker import celery_worker, wait_for
from tests.factories import DirtyDayFactory
from tests.faults.conftest import staffed_team

# Every column but the surrogate key and the time of computation.
SKIPPED = {"id", "computed_at"}


def _rows(model, *, key: tuple[str, ...]) -> list[tuple]:
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in SKIPPED]
    return list(model.objects.order_by(*key).values_list(*fields))


def _all_rows() -> tuple[list[tuple], list[tuple]]:
    return (
        _rows(EmployeeDailyScore, key=("employee_id", "day")),
        _rows(TeamDailyScore, key=("team_id", "day")),
    )


def _queue_is_drained(queue: str) -> bool:
    """Tell whether no message of the queue is waiting or being worked on."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        if client.llen(queue):
            return False
        return not any(json.loads(payload)[2] == queue for payload in client.hvals("unacked"))
    finally:
        client.close()


def _waiting_for_lock(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass",
            [table],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_backfill_survives_a_worker_killed_mid_chunk_with_rows_of_an_uninterrupted_run(
    monkeypatch, queue
):
    today = timezone.localdate()
    days = [today - dt.timedelta(days=n) for n in (12, 11, 10)]
    teams = [staffed_team(size=3, days=days), staffed_team(size=3, days=days)]
    employees = [e for _, members in teams for e in members]
    # A stale dirty mark must not confuse the backfill either.
    DirtyDayFactory(employee=employees[0], day=days[1])
    # Three chunks of two employees, published to this test's queue.
    monkeypatch.setattr(compute_scores, "EMPLOYEES_PER_CHUNK", 2)
    monkeypatch.setitem(app.conf, "task_default_queue", queue)
    table = EmployeeDailyScore._meta.db_table
    backfill = ["compute_scores", "--from", days[0].isoformat(), "--to", days[-1].isoformat()]

    # Holding the table against writers stops the first chunk inside its transaction, after
    # it has read and scored everything: the worker dies mid-chunk.
    with celery_worker(queue=queue) as first, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        call_command(*backfill, "--async", verbosity=0)
        wait_for(lambda: _waiting_for_lock(table), what="a chunk to block", worker=first)
        first.kill()
    assert not EmployeeDailyScore.objects.exists()
    assert not _queue_is_drained(queue)

    with celery_worker(queue=queue) as second:
        # The two chunks never started run at once; the killed one comes back once its
        # visibility timeout passes, and is acknowledged only when it has written.
        wait_for(
            lambda: (
                _queue_is_drained(queue)
                and EmployeeDailyScore.objects.count() == len(employees) * len(days)
            ),
            what="every chunk, the redelivered one included",
            worker=second,
            timeout=90,
        )
    # All three chunks ran on the second worker: the killed one was delivered again.
    assert second.log.count("scorecards.tasks.scores_compute_chunk[") >= 3
    assert second.log.count("] succeeded in ") == 3
    after_crash = _all_rows()

    EmployeeDailyScore.objects.all().delete()
    TeamDailyScore.objects.all().delete()
    call_command(*backfill, verbosity=0)
    uninterrupted = _all_rows()

    assert len(after_crash[0]) == 6 * 3
    assert len(after_crash[1]) == 2 * 3
    assert after_crash == uninterrupted

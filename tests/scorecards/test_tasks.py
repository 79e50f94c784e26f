import datetime as dt
import logging

import kombu.exceptions
import pytest
from django.db import connection, transaction
from django.utils import timezone

from crs_site.celery import enqueue_on_commit
from scorecards import tasks
from scorecards.engine import runs
from scorecards.engine.rows import scores_compute
from scorecards.engine.runs import ScoreWork, scores_plan
from scorecards.models import DirtyDay, EmployeeDailyScore, ScoreFillState, TeamDailyScore
from scorecards.selectors.stats import STAT_COLUMNS
from tests.celery_worker import celery_worker, queue_purge, unique_queue, use_broker, wait_for
from tests.factories import (
    DirtyDayFactory,
    EmployeeFactory,
    InteractionFactory,
    PublishedVersionFactory,
    ScoreFillStateFactory,
    TeamFactory,
    TeamMembershipFactory,
)

ROW_FIELDS = ["employee_id", "day", "team_id", "version_id", "total", "band", "api_metrics"]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _staffed_team(*, size: int, day: dt.date):
    """Return a team with a version in force and `size` members, each with a day's work."""
    team = TeamFactory()
    PublishedVersionFactory(
        scorecard=team.scorecard,
        metrics=[{"code": "fcr"}, {"code": "volume", "target": 4, "floor": 0}],
    )
    employees = [EmployeeFactory() for _ in range(size)]
    for index, employee in enumerate(employees):
        TeamMembershipFactory(employee=employee, team=team)
        for n in range(index % 3 + 1):
            InteractionFactory(
                employee=employee,
                opened_at=_at(day, 9 + n),
                first_response_at=_at(day, 9 + n) + dt.timedelta(minutes=5),
                resolved_at=_at(day, 12 + n),
                is_first_contact_resolution=n % 2 == 0,
            )
    return team, employees


def _employee_rows(day: dt.date) -> list[tuple]:
    return list(
        EmployeeDailyScore.objects.filter(day=day)
        .order_by("employee_id")
        .values_list(*ROW_FIELDS, *STAT_COLUMNS)
    )


@pytest.fixture
def queue():
    name = unique_queue()
    queue_purge(name)
    yield name
    queue_purge(name)


# ---- a real worker ---------------------------------------------------------------------------


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_consumes_a_chunk_and_writes_employee_and_team_rows(queue):
    day = timezone.localdate() - dt.timedelta(days=2)
    team, employees = _staffed_team(size=3, day=day)

    with celery_worker(queue=queue) as worker:
        tasks.scores_compute_chunk.apply_async(
            args=[[e.pk for e in employees], day.isoformat(), day.isoformat()], queue=queue
        )
        wait_for(
            lambda: TeamDailyScore.objects.filter(team=team, day=day).exists(),
            what="the team row",
            worker=worker,
        )

    assert EmployeeDailyScore.objects.filter(day=day).count() == 3
    team_row = TeamDailyScore.objects.get(team=team, day=day)
    assert team_row.member_count == 3
    # Six interactions resolved, four of them on first contact: pooled over the members.
    assert team_row.volume_num == 6
    assert team_row.fcr_num == 4
    assert team_row.fcr_den == 6


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_refresh_on_a_worker_scores_today_finalises_yesterday_and_drains_dirty_days(queue):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    old_day = today - dt.timedelta(days=20)
    team, employees = _staffed_team(size=2, day=old_day)
    DirtyDayFactory(employee=employees[0], day=old_day)

    with celery_worker(queue=queue) as worker:
        tasks.scores_refresh.apply_async(queue=queue)
        wait_for(
            lambda: (
                ScoreFillState.objects.filter(day=yesterday, is_final=True).exists()
                and EmployeeDailyScore.objects.filter(day=old_day).exists()
                and EmployeeDailyScore.objects.filter(day=today).count() == 2
            ),
            what="today, yesterday and the dirty day",
            worker=worker,
        )

    assert not DirtyDay.objects.exists()
    assert list(EmployeeDailyScore.objects.filter(day=old_day).values_list("employee_id")) == [
        (employees[0].pk,)
    ]
    assert EmployeeDailyScore.objects.filter(day=yesterday).count() == 2
    assert ScoreFillState.objects.get(day=today).started_at is not None


def _waiting_for_lock(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass",
            [table],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_chunk_of_a_killed_worker_is_redelivered_and_completes_as_if_uninterrupted(queue):
    day = timezone.localdate() - dt.timedelta(days=3)
    team, employees = _staffed_team(size=5, day=day)
    employee_ids = [e.pk for e in employees]
    table = EmployeeDailyScore._meta.db_table

    with celery_worker(queue=queue) as first:
        # Holding the table against writers stops the task inside its transaction: it has
        # read and scored everything and waits to write when the worker is killed.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            tasks.scores_compute_chunk.apply_async(
                args=[employee_ids, day.isoformat(), day.isoformat()], queue=queue
            )
            wait_for(lambda: _waiting_for_lock(table), what="the task to block", worker=first)
            first.kill()
        assert not EmployeeDailyScore.objects.exists()

    with celery_worker(queue=queue) as second:
        wait_for(
            lambda: TeamDailyScore.objects.filter(team=team, day=day).exists(),
            what="the redelivered chunk",
            worker=second,
        )
    redelivered = _employee_rows(day)
    team_after_redelivery = TeamDailyScore.objects.filter(day=day).values_list(
        "team_id", "total", "member_count", *STAT_COLUMNS
    )
    team_after_redelivery = list(team_after_redelivery)

    scores_compute(employee_ids=employee_ids, date_from=day, date_to=day)

    assert len(redelivered) == 5
    assert redelivered == _employee_rows(day)
    assert team_after_redelivery == list(
        TeamDailyScore.objects.filter(day=day).values_list(
            "team_id", "total", "member_count", *STAT_COLUMNS
        )
    )


# ---- the run plan ----------------------------------------------------------------------------


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


@pytest.mark.django_db
def test_plan_catches_up_missed_days_in_order_and_scores_today():
    today = dt.date(2026, 3, 16)
    ScoreFillStateFactory(day=today - dt.timedelta(days=4), is_final=True)

    with transaction.atomic():
        plan = scores_plan(now=_noon(today))

    assert plan == [
        ScoreWork(date_from=day, date_to=day, is_final=True)
        for day in (dt.date(2026, 3, 13), dt.date(2026, 3, 14), dt.date(2026, 3, 15))
    ] + [ScoreWork(date_from=today, date_to=today)]


@pytest.mark.django_db
def test_plan_fills_a_gap_left_before_a_later_final_day():
    today = dt.date(2026, 3, 16)
    for day in (10, 11, 13, 14, 15):
        ScoreFillStateFactory(day=dt.date(2026, 3, day), is_final=True)
    ScoreFillStateFactory(day=dt.date(2026, 3, 12), is_final=False)

    with transaction.atomic():
        plan = scores_plan(now=_noon(today))

    assert [work.date_from for work in plan if work.is_final] == [dt.date(2026, 3, 12)]


@pytest.mark.django_db
def test_plan_bounds_the_catch_up_and_says_so(caplog):
    today = dt.date(2026, 3, 16)
    ScoreFillStateFactory(day=today - dt.timedelta(days=50), is_final=True)

    with caplog.at_level(logging.WARNING, logger="scorecards.engine.runs"), transaction.atomic():
        plan = scores_plan(now=_noon(today))

    final_days = [work.date_from for work in plan if work.is_final]
    assert final_days[0] == today - dt.timedelta(days=runs.CATCH_UP_DAYS)
    assert final_days[-1] == today - dt.timedelta(days=1)
    assert len(final_days) == runs.CATCH_UP_DAYS
    assert "compute_scores --from 2026-01-26 --to 2026-02-08" in caplog.text


@pytest.mark.django_db
def test_plan_drains_dirty_days_exactly_once_and_leaves_future_days():
    today = dt.date(2026, 3, 16)
    ScoreFillStateFactory(day=today - dt.timedelta(days=1), is_final=True)
    first, second = EmployeeFactory(), EmployeeFactory()
    old = dt.date(2026, 2, 1)
    DirtyDayFactory(employee=second, day=old)
    DirtyDayFactory(employee=first, day=old)
    DirtyDayFactory(employee=first, day=today)
    DirtyDayFactory(employee=first, day=today + dt.timedelta(days=1))

    with transaction.atomic():
        plan = scores_plan(now=_noon(today))
    with transaction.atomic():
        again = scores_plan(now=_noon(today))

    dirty_work = ScoreWork(date_from=old, date_to=old, employee_ids=(first.pk, second.pk))
    assert plan == [ScoreWork(date_from=today, date_to=today), dirty_work]
    assert again == [ScoreWork(date_from=today, date_to=today)]
    assert list(DirtyDay.objects.values_list("day", flat=True)) == [today + dt.timedelta(days=1)]


@pytest.mark.django_db(transaction=True)
def test_a_dirty_day_locked_by_another_run_is_skipped_not_lost():
    today = dt.date(2026, 3, 16)
    ScoreFillStateFactory(day=today - dt.timedelta(days=1), is_final=True)
    first, second = EmployeeFactory(), EmployeeFactory()
    old = dt.date(2026, 2, 1)
    held = DirtyDayFactory(employee=first, day=old)
    DirtyDayFactory(employee=second, day=old)

    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(
                f"SELECT id FROM {DirtyDay._meta.db_table} WHERE id = %s FOR UPDATE", [held.pk]
            )
            with transaction.atomic():
                plan = scores_plan(now=_noon(today))
            cursor.execute("ROLLBACK")
    finally:
        other.close()
    with transaction.atomic():
        later = scores_plan(now=_noon(today))

    assert plan[-1] == ScoreWork(date_from=old, date_to=old, employee_ids=(second.pk,))
    assert later[-1] == ScoreWork(date_from=old, date_to=old, employee_ids=(first.pk,))
    assert not DirtyDay.objects.exists()


@pytest.mark.django_db
def test_refresh_that_cannot_enqueue_keeps_the_dirty_days(monkeypatch):
    today = timezone.localdate()
    ScoreFillStateFactory(day=today - dt.timedelta(days=1), is_final=True)
    team, employees = _staffed_team(size=1, day=today)
    DirtyDayFactory(employee=employees[0], day=today - dt.timedelta(days=9))

    def broker_down(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Connection refused")

    monkeypatch.setattr(tasks.scores_compute_chunk, "apply_async", broker_down)
    with pytest.raises(kombu.exceptions.OperationalError):
        tasks.scores_refresh.run()

    assert DirtyDay.objects.count() == 1
    assert not ScoreFillState.objects.filter(day=today).exists()


@pytest.mark.django_db
def test_refresh_splits_today_into_chunks_of_employees(monkeypatch):
    today = timezone.localdate()
    ScoreFillStateFactory(day=today - dt.timedelta(days=1), is_final=True)
    team, employees = _staffed_team(size=5, day=today)
    monkeypatch.setattr(runs, "CHUNK_SIZE", 2)
    sent = []
    monkeypatch.setattr(
        tasks.scores_compute_chunk, "apply_async", lambda args, **kwargs: sent.append(args)
    )

    tasks.scores_refresh.run()

    ids = sorted(e.pk for e in employees)
    iso = today.isoformat()
    assert sent == [[ids[0:2], iso, iso], [ids[2:4], iso, iso], [ids[4:], iso, iso]]


# ---- enqueueing from a request ---------------------------------------------------------------


@pytest.mark.parametrize("port_fixture", ["silent_port", "closed_port"])
@pytest.mark.django_db
def test_enqueue_with_the_broker_unreachable_gives_up_and_leaves_the_day_dirty(
    request, monkeypatch, caplog, django_capture_on_commit_callbacks, socket_waits, port_fixture
):
    port = request.getfixturevalue(port_fixture)
    dirty = DirtyDayFactory()
    use_broker(monkeypatch, f"redis://127.0.0.1:{port}/0")

    with (
        caplog.at_level(logging.WARNING, logger="crs_site.celery"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        enqueue_on_commit(
            tasks.scores_compute_chunk,
            [dirty.employee_id],
            dirty.day.isoformat(),
            dirty.day.isoformat(),
        )

    assert len(callbacks) == 1
    # Every socket to the broker had short timeouts: the publish could not hold the caller long.
    assert socket_waits.sockets
    assert socket_waits.worst_case_seconds <= 2
    assert "Could not publish scorecards.tasks.scores_compute_chunk" in caplog.text
    assert DirtyDay.objects.filter(pk=dirty.pk).exists()


@pytest.mark.django_db
def test_yesterday_is_scored_so_far_until_its_last_sla_deadline_has_passed():
    today = dt.date(2026, 3, 16)
    yesterday = today - dt.timedelta(days=1)
    PublishedVersionFactory(sla_minutes=60, effective_from=dt.date(2026, 1, 1))
    ScoreFillStateFactory(day=yesterday - dt.timedelta(days=1), is_final=True)
    midnight = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())

    with transaction.atomic():
        early = scores_plan(now=midnight + dt.timedelta(minutes=10))
    with transaction.atomic():
        late = scores_plan(now=midnight + dt.timedelta(minutes=60))

    assert early == [
        ScoreWork(date_from=yesterday, date_to=yesterday),
        ScoreWork(date_from=today, date_to=today),
    ]
    assert late == [
        ScoreWork(date_from=yesterday, date_to=yesterday, is_final=True),
        ScoreWork(date_from=today, date_to=today),
    ]

"""Two workers computing the same days at once converge on the rows of one serial run."""

import datetime as dt
import threading
import zoneinfo
from unittest import mock

import pytest
from django.db import connection, transaction

from scorecards.choices import MetricCode
from scorecards.engine.rows import scores_compute
from scorecards.engine.sources import _rows_on_own_connection, employee_day_stats
from scorecards.models import EmployeeDailyScore, TeamDailyScore
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    PublishedVersionFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
)

RIGA = zoneinfo.ZoneInfo("Europe/Riga")
FIRST_DAY = dt.date(2025, 3, 3)
LAST_DAY = dt.date(2025, 3, 9)
NOW = dt.datetime(2025, 3, 20, 12, 0, tzinfo=RIGA)


def _snapshot() -> list[list[dict]]:
    rows = []
    for model in (EmployeeDailyScore, TeamDailyScore):
        values = list(model.objects.order_by("day", "pk").values())
        for row in values:
            row.pop("id")
            row.pop("computed_at")
        rows.append(sorted(values, key=lambda row: (str(row["day"]), str(row))))
    return rows


def _compute() -> None:
    scores_compute(date_from=FIRST_DAY, date_to=LAST_DAY, employee_ids=None, now=NOW)


def _seed() -> None:
    version = PublishedVersionFactory(
        effective_from=dt.date(2025, 1, 1),
        metrics=[{"code": code, "target": 80, "floor": 40} for code in MetricCode.values],
    )
    team = TeamFactory(scorecard=version.scorecard)
    for index in range(4):
        agent = EmployeeFactory()
        TeamMembershipFactory(employee=agent, team=team, starts_on=dt.date(2025, 1, 1))
        for offset in range(7):
            day = FIRST_DAY + dt.timedelta(days=offset)
            opened = dt.datetime.combine(day, dt.time(9 + index, 0), tzinfo=RIGA)
            interaction = InteractionFactory(
                employee=agent,
                opened_at=opened,
                first_response_at=opened + dt.timedelta(minutes=10 * (offset + 1)),
                resolved_at=opened + dt.timedelta(hours=offset + 1),
                is_first_contact_resolution=offset % 2 == 0,
            )
            SurveyResponseFactory(
                interaction=interaction, submitted_at=opened + dt.timedelta(hours=8)
            )


@pytest.mark.django_db(transaction=True)
def test_reading_on_two_connections_gives_the_statistics_of_reading_on_one():
    _seed()
    EmployeeDailyScore.objects.all().delete()

    def read(*, parallel_reads):
        return employee_day_stats(
            employee_ids=None,
            date_from=FIRST_DAY,
            date_to=LAST_DAY,
            sla_minutes={60},
            now=NOW,
            parallel_reads=parallel_reads,
        )

    # Asked to, and outside a transaction, two of the grouped queries run on a second
    # connection; not asked to (a worker's chunk), or inside one, they are read in turn.
    assert not connection.in_atomic_block
    with mock.patch(
        "scorecards.engine.sources._rows_on_own_connection", wraps=_rows_on_own_connection
    ) as second:
        beside = read(parallel_reads=True)
        assert second.call_count == 1
        alone = read(parallel_reads=False)
        with transaction.atomic():
            in_turn = read(parallel_reads=True)
        assert second.call_count == 1

    assert beside == alone == in_turn
    assert len(beside) == 4 * 7


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_leave_the_rows_of_one_serial_run():
    _seed()
    _compute()
    serial = _snapshot()
    EmployeeDailyScore.objects.all().delete()
    TeamDailyScore.objects.all().delete()

    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            _compute()
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert _snapshot() == serial
    assert EmployeeDailyScore.objects.count() == 4 * 7
    assert TeamDailyScore.objects.count() == 7

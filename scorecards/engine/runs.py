"""Plan and record scoring runs: which days are due, who is scored, which days are final.

A run scores today so far, finalises every past day not yet final (in order, so a weekend with
the workers down is caught up on the next run) and drains the dirty list. The fill state keeps,
per day, when it was last started and computed and whether its final computation has run.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Max, Min, Q
from django.utils import timezone

from scorecards.engine.rows import scores_compute
from scorecards.engine.sources import employees_to_score
from scorecards.models import DirtyDay, ScoreFillState
from scorecards.selectors.versions import days_final_at

logger = logging.getLogger(__name__)

# Employees per compute task: large enough for the grouped queries to pay off, small enough
# that several workers share a day and a killed worker redoes little.
CHUNK_SIZE = 200
# Further back than this a run does not catch up by itself: an outage that long is backfilled
# on purpose with `manage.py compute_scores`, not behind the back of the next beat tick.
CATCH_UP_DAYS = 35
# Primary keys per DELETE when draining the dirty list (SQLite caps bound parameters).
_DELETE_BATCH = 5000


@dataclass(frozen=True)
class ScoreWork:
    """Days to score for every member of a team (employee_ids None) or for the listed employees.

    `is_final` work computes a whole past day once more and then records it as final.
    """

    date_from: dt.date
    date_to: dt.date
    employee_ids: tuple[int, ...] | None = None
    is_final: bool = False


def scores_plan(*, now: dt.datetime) -> list[ScoreWork]:
    """Return the work due now, claiming the dirty days it covers; call inside a transaction.

    Past days whose SLA deadlines have all passed are finalised; today, and a past day whose
    deadlines have not (an interaction opened at 23:50), are scored so far. The claimed dirty
    rows are deleted in the caller's transaction, so they are gone only if the caller also
    hands the work over (enqueues or computes it) before committing.
    """
    today = timezone.localdate(now)
    unfinished = _days_to_finalise(today=today)
    final_at = days_final_at(date_from=unfinished[0], date_to=unfinished[-1]) if unfinished else {}
    final_days = [day for day in unfinished if now >= final_at[day]]
    so_far = [*(day for day in unfinished if now < final_at[day]), today]
    work = [ScoreWork(date_from=day, date_to=day, is_final=True) for day in final_days]
    work.extend(ScoreWork(date_from=day, date_to=day) for day in so_far)
    covered = {*final_days, *so_far}
    dirty: dict[dt.date, set[int]] = defaultdict(set)
    for employee_id, day in _dirty_days_claim(today=today):
        if day not in covered:
            dirty[day].add(employee_id)
    work.extend(
        ScoreWork(date_from=day, date_to=day, employee_ids=tuple(sorted(employee_ids)))
        for day, employee_ids in sorted(dirty.items())
    )
    return work


def _days_to_finalise(*, today: dt.date) -> list[dt.date]:
    """Return, oldest first, the past days not yet final since scoring began (yesterday at least).

    Gaps count, not just the days after the last final one: final runs of several days go to
    several workers, so a later day can be final before an earlier one that failed.
    """
    yesterday = today - dt.timedelta(days=1)
    known = ScoreFillState.objects.filter(day__lt=today).aggregate(
        first=Min("day"), last_final=Max("day", filter=Q(is_final=True))
    )
    if known["first"] is None:
        return [yesterday]
    oldest = today - dt.timedelta(days=CATCH_UP_DAYS)
    last_final = known["last_final"]
    gap_start = last_final + dt.timedelta(days=1) if last_final else known["first"]
    if gap_start < oldest:
        logger.warning(
            "Scores were not finalised from %s; catching up only from %s (%s days back). "
            "Backfill the rest with: manage.py compute_scores --from %s --to %s",
            gap_start,
            oldest,
            CATCH_UP_DAYS,
            gap_start,
            oldest - dt.timedelta(days=1),
        )
    first = max(known["first"], oldest)
    final = set(
        ScoreFillState.objects.filter(day__range=(first, yesterday), is_final=True).values_list(
            "day", flat=True
        )
    )
    days = (first + dt.timedelta(days=n) for n in range((today - first).days))
    return [day for day in days if day not in final]


def _dirty_days_claim(*, today: dt.date) -> list[tuple[int, dt.date]]:
    """Lock and delete the dirty (employee, day) pairs up to today; return them.

    Rows locked by another run (or by a writer marking them again) are skipped, not waited
    for: that run owns them, and a row marked again after this claim is a new row for the
    next run. Future days stay: they are scored in full when they come.
    """
    rows = list(
        DirtyDay.objects.select_for_update(skip_locked=True)
        .filter(day__lte=today)
        .order_by("pk")
        .values_list("pk", "employee_id", "day")
    )
    pks = [pk for pk, _, _ in rows]
    for start in range(0, len(pks), _DELETE_BATCH):
        DirtyDay.objects.filter(pk__in=pks[start : start + _DELETE_BATCH]).delete()
    return [(employee_id, day) for _, employee_id, day in rows]


def employee_chunks(*, date_from: dt.date, date_to: dt.date) -> list[list[int]]:
    """Split everyone scored over the range (members, and anyone with rows to remove) in chunks."""
    return list(chunked(employees_to_score(date_from=date_from, date_to=date_to)))


def chunked(ids: Sequence[int], *, size: int | None = None) -> Iterator[list[int]]:
    """Yield the ids in lists of at most `size` (CHUNK_SIZE by default)."""
    size = size or CHUNK_SIZE
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def fill_state_start(*, days: Iterable[dt.date], now: dt.datetime | None = None) -> None:
    """Record that the days' computation was started now."""
    now = now or timezone.now()
    ScoreFillState.objects.bulk_create(
        [ScoreFillState(day=day, started_at=now) for day in sorted(set(days))],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["started_at"],
    )


def fill_state_computed(
    *, date_from: dt.date, date_to: dt.date, now: dt.datetime | None = None
) -> list[dt.date]:
    """Record that scores of the range were computed now; return the range's final days."""
    states = ScoreFillState.objects.filter(day__range=(date_from, date_to))
    states.update(computed_at=now or timezone.now())
    return list(states.filter(is_final=True).order_by("day").values_list("day", flat=True))


def scores_compute_chunk_run(
    *, employee_ids: Sequence[int], date_from: dt.date, date_to: dt.date
) -> list[dt.date]:
    """Score the employees, then every team they touched, over the range; return its final days.

    The team service locks each team while it pools, and this chunk's employee rows are
    committed before, so whichever chunk of a team finishes last writes the complete team row.
    """
    scores_compute(employee_ids=list(employee_ids), date_from=date_from, date_to=date_to)
    return fill_state_computed(date_from=date_from, date_to=date_to)


def scores_finalise_day(*, day: dt.date, now: dt.datetime | None = None) -> bool:
    """Score a whole past day for everyone; record it as final if it is; return whether it is.

    A day asked for before its last SLA deadline has passed is only scored so far: recording
    it final then would leave an unanswered interaction of 23:50 never counted as a miss.
    """
    now = now or timezone.now()
    is_final = now >= days_final_at(date_from=day, date_to=day)[day]
    fill_state_start(days=[day], now=now)
    scores_compute(date_from=day, date_to=day, now=now)
    ScoreFillState.objects.update_or_create(
        day=day, defaults={"is_final": is_final, "computed_at": now}
    )
    return is_final

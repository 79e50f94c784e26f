"""The engine's grouped reads from the source tables: each employee's statistics per day."""

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, connections
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from customers.models import Interaction
from feedback.models import QAReview, SurveyResponse
from scorecards.choices import MetricCode
from scorecards.dirty import local_day
from scorecards.models import EmployeeDailyScore
from scorecards.selectors.memberships import memberships_overlapping
from scorecards.selectors.stats import (
    METRIC_CODES,
    MICROSECONDS_PER_HOUR,
    MICROSECONDS_PER_MINUTE,
    ONE,
    VOLUME,
    ZERO,
    Stats,
    as_decimal,
    column_sums,
    duration_in,
    local_date_of,
    moment_range,
    span,
)


def employees_to_score(
    *, date_from: dt.date, date_to: dt.date, team_ids: Collection[int] | None = None
) -> list[int]:
    """Return the employees whose days in the range are scored or were scored before.

    Employees with stored rows are included so that a removed membership removes its rows.
    """
    members = {
        membership.employee_id
        for membership in memberships_overlapping(
            date_from=date_from, date_to=date_to, team_ids=team_ids
        )
    }
    scored = EmployeeDailyScore.objects.filter(day__gte=date_from, day__lte=date_to)
    if team_ids is not None:
        scored = scored.filter(team_id__in=team_ids)
    return sorted(members | set(scored.values_list("employee_id", flat=True).distinct()))


# The codes as plain strings for the per-row loops below, where each access to an enum member
# costs more than the dictionary work around it.
_NO_STATS = (ZERO, ZERO)
_RESPONSE_SLA = MetricCode.RESPONSE_SLA.value
_FIRST_RESPONSE_MINUTES = MetricCode.FIRST_RESPONSE_MINUTES.value
_FCR = MetricCode.FCR.value
_RESOLUTION_HOURS = MetricCode.RESOLUTION_HOURS.value
_FOLLOW_UP = MetricCode.FOLLOW_UP.value
_ESCALATION = MetricCode.ESCALATION.value
_CSAT = MetricCode.CSAT.value
_NPS = MetricCode.NPS.value
_QA = MetricCode.QA.value


@dataclass
class DayStats:
    """An employee's sufficient statistics for one day, before a version is chosen.

    `sla` keeps response_sla per SLA length, because the version in force decides which one
    counts. `resolved` is the day's count for `volume`; `is_worked` says whether an interaction
    of the employee was opened or resolved that day (docs/SCORING.md, worked days).
    """

    stats: Stats = field(default_factory=dict)
    sla: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)
    resolved: Decimal = ZERO
    is_worked: bool = False

    def metric_stats(self, *, sla_minutes: int, is_final: bool) -> Stats:
        """Return {code: (num, den)} for every metric, with response_sla for the given SLA.

        `volume` has den 1 on a final worked day only: a day not worked is no sample of how
        much an employee resolves, and a day not yet final is progress ("so far"), which would
        drag every period that includes today down if it counted.
        """
        stats = dict.fromkeys(METRIC_CODES, _NO_STATS)
        stats.update(self.stats)
        stats[_RESPONSE_SLA] = self.sla.get(sla_minutes, _NO_STATS)
        stats[VOLUME] = (self.resolved, ONE if self.is_worked and is_final else ZERO)
        return stats


def _interactions_of(employee_ids: Collection[int] | None) -> QuerySet:
    interactions = Interaction.objects.all()
    if employee_ids is not None:
        interactions = interactions.filter(employee_id__in=employee_ids)
    return interactions


def _response_time() -> Coalesce:
    """The time to first response: working time where the team has a calendar, else the clock."""
    return Coalesce(F("first_response_working_time"), span("opened_at", "first_response_at"))


def _opened_by_day(
    *,
    interactions: QuerySet,
    start: dt.datetime,
    end: dt.datetime,
    sla_minutes: Collection[int],
    now: dt.datetime,
) -> QuerySet:
    """Group interactions by employee and opening day, counting response_sla per SLA length."""
    answered = Q(first_response_at__isnull=False)
    sla_counts = {}
    for minutes in sorted(set(sla_minutes)):
        limit = dt.timedelta(minutes=minutes)
        # Exactly at the limit is within it; unanswered ones count once their deadline passed.
        sla_counts[f"sla_{minutes}_num"] = Count(
            "pk", filter=answered & Q(response_time__lte=limit)
        )
        sla_counts[f"sla_{minutes}_den"] = Count(
            "pk", filter=answered | Q(opened_at__lte=now - limit)
        )
    return (
        interactions.filter(opened_at__gte=start, opened_at__lt=end)
        .alias(response_time=_response_time())
        .values("employee_id", day=local_date_of("opened_at"))
        .annotate(**sla_counts)
        .order_by()
    )


def _sla_stats(row: Mapping, minutes: int) -> tuple[Decimal, Decimal]:
    return as_decimal(row[f"sla_{minutes}_num"]), as_decimal(row[f"sla_{minutes}_den"])


def response_sla_day_stats(
    *,
    employee_ids: Collection[int] | None,
    date_from: dt.date,
    date_to: dt.date,
    sla_minutes: int,
    now: dt.datetime,
) -> dict[tuple[int, dt.date], tuple[Decimal, Decimal]]:
    """Return each (employee, day)'s response_sla (num, den) under one SLA length."""
    start, end = moment_range(date_from=date_from, date_to=date_to)
    rows = _opened_by_day(
        interactions=_interactions_of(employee_ids),
        start=start,
        end=end,
        sla_minutes=[sla_minutes],
        now=now,
    )
    return {(row["employee_id"], row["day"]): _sla_stats(row, sla_minutes) for row in rows}


def _rows_on_own_connection(querysets: Sequence[QuerySet]) -> list[list]:
    """Evaluate the querysets on this thread's own database connection, then close it."""
    try:
        return [list(queryset) for queryset in querysets]
    finally:
        connections.close_all()


def _fetched(
    querysets: Sequence[QuerySet], *, aside: Sequence[QuerySet], parallel: bool
) -> list[list]:
    """Return the rows of `querysets` then of `aside`; with `parallel`, read `aside` on a second
    connection meanwhile when that sees the same data (no transaction is open here).

    The grouped queries of a backfill take most of its time in the database, one core each:
    two connections put the second core to work. An option of the synchronous backfill alone:
    a worker's chunk would hold two connections to the database for little gain.
    """
    if not parallel or connection.in_atomic_block:
        return [list(queryset) for queryset in (*querysets, *aside)]
    with ThreadPoolExecutor(max_workers=1) as pool:
        beside = pool.submit(_rows_on_own_connection, aside)
        rows = [list(queryset) for queryset in querysets]
        return rows + beside.result()


def _grouped_queries(
    *,
    employee_ids: Collection[int] | None,
    date_from: dt.date,
    date_to: dt.date,
    sla_minutes: Collection[int],
    now: dt.datetime,
) -> dict[str, QuerySet]:
    """Return the five grouped queries of `employee_day_stats`, by source."""
    start, end = moment_range(date_from=date_from, date_to=date_to)
    interactions = _interactions_of(employee_ids)
    answered = Q(first_response_at__isnull=False)
    opened = _opened_by_day(
        interactions=interactions, start=start, end=end, sla_minutes=sla_minutes, now=now
    ).annotate(
        answered=Count("pk", filter=answered),
        response_time_sum=Sum(_response_time(), filter=answered),
    )
    resolved = (
        interactions.filter(resolved_at__gte=start, resolved_at__lt=end)
        .values("employee_id", day=local_date_of("resolved_at"))
        .annotate(
            count=Count("pk"),
            first_contact=Count("pk", filter=Q(is_first_contact_resolution=True)),
            escalated=Count("pk", filter=Q(is_escalated=True)),
            resolution_time=Sum(span("opened_at", "resolved_at")),
        )
        .order_by()
    )
    follow_ups = (
        interactions.filter(follow_up_due__gte=date_from, follow_up_due__lte=date_to)
        .alias(done_on=local_date_of("follow_up_done_at"))
        .values("employee_id", "follow_up_due")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=Q(follow_up_done_at__isnull=False)),
            in_time=Count("pk", filter=Q(done_on__lte=F("follow_up_due"))),
        )
        .order_by()
    )
    surveyed = SurveyResponse.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    reviewed = QAReview.objects.scored().filter(scored_at__gte=start, scored_at__lt=end)
    if employee_ids is not None:
        surveyed = surveyed.filter(interaction__employee_id__in=employee_ids)
        reviewed = reviewed.filter(interaction__employee_id__in=employee_ids)
    with_nps = Q(nps__isnull=False)
    responses = (
        surveyed.values(employee=F("interaction__employee_id"), day=local_date_of("submitted_at"))
        .annotate(
            count=Count("pk"),
            satisfied=Count("pk", filter=Q(csat__gte=4)),
            with_nps=Count("pk", filter=with_nps),
            promoters=Count("pk", filter=with_nps & Q(nps__gte=9)),
            detractors=Count("pk", filter=with_nps & Q(nps__lte=6)),
        )
        .order_by()
    )
    reviews = (
        reviewed.values(employee=F("interaction__employee_id"), day=local_date_of("scored_at"))
        .annotate(count=Count("pk"), total=Sum("total"))
        .order_by()
    )
    return {
        "opened": opened,
        "resolved": resolved,
        "follow_ups": follow_ups,
        "responses": responses,
        "reviews": reviews,
    }


def _day_stats_collect(
    *, rows: Mapping[str, list], sla_minutes: Collection[int], today: dt.date
) -> dict[tuple[int, dt.date], DayStats]:
    """Fold the grouped queries' rows into a `DayStats` per (employee, day)."""
    days: dict[tuple[int, dt.date], DayStats] = {}

    def at(employee_id: int, day: dt.date) -> DayStats:
        if (employee_id, day) not in days:
            days[(employee_id, day)] = DayStats()
        return days[(employee_id, day)]

    for row in rows["opened"]:
        day = at(row["employee_id"], row["day"])
        day.is_worked = True
        day.stats[_FIRST_RESPONSE_MINUTES] = (
            duration_in(row["response_time_sum"], MICROSECONDS_PER_MINUTE),
            as_decimal(row["answered"]),
        )
        day.sla = {minutes: _sla_stats(row, minutes) for minutes in sla_minutes}
    for row in rows["resolved"]:
        count = as_decimal(row["count"])
        day = at(row["employee_id"], row["day"])
        day.stats[_FCR] = (as_decimal(row["first_contact"]), count)
        day.stats[_ESCALATION] = (as_decimal(row["escalated"]), count)
        day.stats[_RESOLUTION_HOURS] = (
            duration_in(row["resolution_time"], MICROSECONDS_PER_HOUR),
            count,
        )
        day.resolved = count
        day.is_worked = True
    for row in rows["follow_ups"]:
        # Until its due day is over, a follow-up counts only once it is done.
        den = row["due"] if row["follow_up_due"] < today else row["done"]
        at(row["employee_id"], row["follow_up_due"]).stats[_FOLLOW_UP] = (
            as_decimal(row["in_time"]),
            as_decimal(den),
        )
    for row in rows["responses"]:
        day = at(row["employee"], row["day"])
        day.stats[_CSAT] = (as_decimal(row["satisfied"]), as_decimal(row["count"]))
        day.stats[_NPS] = (
            as_decimal(row["promoters"] - row["detractors"]),
            as_decimal(row["with_nps"]),
        )
    for row in rows["reviews"]:
        at(row["employee"], row["day"]).stats[_QA] = (
            as_decimal(row["total"]),
            as_decimal(row["count"]),
        )
    return days


def employee_day_stats(
    *,
    employee_ids: Collection[int] | None,
    date_from: dt.date,
    date_to: dt.date,
    sla_minutes: Collection[int],
    now: dt.datetime,
    parallel_reads: bool = False,
) -> dict[tuple[int, dt.date], DayStats]:
    """Return each (employee, day)'s statistics from one grouped query per source table.

    response_sla is counted once per SLA length in `sla_minutes`, as conditional counts of the
    same query; `now` decides which unanswered interactions are already past their deadline and
    which follow-ups are overdue. `parallel_reads`: two of the queries on a second connection
    (`_fetched`).
    """
    queries = _grouped_queries(
        employee_ids=employee_ids,
        date_from=date_from,
        date_to=date_to,
        sla_minutes=sla_minutes,
        now=now,
    )
    # The two longest queries, opened and resolved, on different connections.
    first, beside = ("opened", "follow_ups", "reviews"), ("resolved", "responses")
    fetched = _fetched(
        [queries[name] for name in first],
        aside=[queries[name] for name in beside],
        parallel=parallel_reads,
    )
    return _day_stats_collect(
        rows=dict(zip((*first, *beside), fetched, strict=True)),
        sla_minutes=sla_minutes,
        today=local_day(now),
    )


def team_day_sums(
    *, team_ids: Collection[int] | None, date_from: dt.date, date_to: dt.date
) -> list[dict]:
    """Return per (team, day) the summed num/den columns of its members' rows and their count."""
    rows = EmployeeDailyScore.objects.filter(day__gte=date_from, day__lte=date_to)
    if team_ids is not None:
        rows = rows.filter(team_id__in=team_ids)
    return list(
        rows.values("team_id", "day")
        .annotate(
            member_count=Count("pk"),
            worked_count=Count("pk", filter=Q(is_worked=True)),
            **column_sums(),
        )
        .order_by("team_id", "day")
    )

"""The engine's rows: each day's statistics scored and written as employee and team rows."""

import datetime as dt
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from scorecards.engine.sources import (
    DayStats,
    employee_day_stats,
    employees_to_score,
    team_day_sums,
)
from scorecards.engine.sql import SCORE_COLUMNS, Row, scores_upsert
from scorecards.models import EmployeeDailyScore, ScorecardVersion, TeamDailyScore
from scorecards.scoring import DayScore
from scorecards.selectors.memberships import memberships_overlapping
from scorecards.selectors.stats import METRIC_CODES, day_range, stats_of_row
from scorecards.selectors.versions import (
    VersionTimeline,
    day_outcome,
    days_final_at,
    version_rules,
    version_score,
    version_timeline,
)
from staff.models import Team

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ComputeSummary:
    """What a computation wrote: employee and team rows, and the teams it touched."""

    employee_rows: int
    team_rows: int
    team_ids: tuple[int, ...]


_CENT = Decimal("0.01")


def _cents(number: Decimal | None) -> Decimal | None:
    """Round a Decimal from the scoring maths half up to cents, as `scoring.quantize` does.

    The scoring maths returns Decimals only, so the checks of `quantize` are not needed here,
    where they cost a tenth of a backfill.
    """
    return None if number is None else number.quantize(_CENT, rounding=ROUND_HALF_UP)


# Most of a row's figures are small counts: their JSON text is looked up rather than made.
_COUNT_TEXT = {Decimal(count): f"{count}.0" for count in range(1000)}


def _json_float(number: Decimal) -> str:
    """Return a finite Decimal as the JSON text Python's `json` writes for its float.

    One form for every figure, whether it came from a count (37), a stored column (63.0000), a
    duration or a score rounded to cents (100.00): "37.0", "63.0", "100.0". The API sends the
    row's text as it is, so it is the same on every database, for employees and teams alike,
    and equal to what a client re-encoding the decoded figures writes.
    """
    text = _COUNT_TEXT.get(number)
    if text is None:
        text = repr(float(number))
    return text


def metric_figures_json(*, score: DayScore, stats: Mapping[str, tuple[Decimal, Decimal]]) -> str:
    """Return a row's figures as the API sends them: for every metric, in catalogue order, its
    value and score rounded half up to cents (null when N/A) and its num and den, all JSON
    numbers in the form `_json_float` gives.

    Written once per row when it is computed, into `api_metrics`, which the API sends without
    decoding it (`scorecards.api.serializers.ScoreRowSerializer`). Written out as text directly:
    a backfill builds one per employee-day.
    """
    results = score.metrics
    parts = []
    for code in METRIC_CODES:
        num, den = stats[code]
        result = results.get(code)
        if result is None or result.value is None:
            value = score_of = "null"
        else:
            value = _json_float(result.value.quantize(_CENT, rounding=ROUND_HALF_UP))
            score_of = _json_float(result.score.quantize(_CENT, rounding=ROUND_HALF_UP))  # type: ignore[union-attr]
        parts.append(
            f'"{code}":{{"value":{value},"score":{score_of},'
            f'"num":{_json_float(num)},"den":{_json_float(den)}}}'
        )
    # Compact, as DRF writes the rest of the document.
    return "{" + ",".join(parts) + "}"


def _score_values(
    *,
    score: DayScore,
    stats: Mapping[str, tuple[Decimal, Decimal]],
    is_worked: bool,
    is_final: bool,
    now: dt.datetime,
) -> Row:
    """Return a daily row's `SCORE_COLUMNS` as database-ready values, for `scores_upsert`:
    total and band as the day shows them (`day_outcome`), every metric's figures as the API
    sends them (`metric_figures_json`), whether the day is worked and final, and every num/den."""
    total, band = day_outcome(score=score, is_worked=is_worked, is_final=is_final)
    values = [
        _cents(total),
        band,
        metric_figures_json(score=score, stats=stats),
        is_worked,
        is_final,
        now,
    ]
    for code in METRIC_CODES:
        values.extend(stats[code])
    return tuple(values)


Planned = dict[tuple[int, dt.date], tuple[int, ScorecardVersion]]


class _Timings:
    """Seconds per phase of a computation, logged with its result for operators and the
    benchmark (`bench.engine` reads them from the log)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - self._last
        self._last = now

    def log(self, *, subject: str, rows: int, date_from: dt.date, date_to: dt.date) -> None:
        seconds = {phase: round(value, 6) for phase, value in self.seconds.items()}
        logger.info(
            "Scored %s %s rows from %s to %s in %.3f s",
            rows,
            subject,
            date_from,
            date_to,
            sum(self.seconds.values()),
            extra={"engine_rows": subject, "rows": rows, "seconds": seconds},
        )


def _rows_plan(
    *,
    employee_ids: Sequence[int] | None,
    date_from: dt.date,
    date_to: dt.date,
    timeline: VersionTimeline,
) -> Planned:
    """Return the (employee, day) pairs that get a row: in a team whose scorecard has a version
    in force that day, with that team and version."""
    spans = memberships_overlapping(date_from=date_from, date_to=date_to, employee_ids=employee_ids)
    planned: Planned = {}
    for span in spans:
        last = min(span.ends_on or date_to, date_to)
        for day in day_range(date_from=max(span.starts_on, date_from), date_to=last):
            version = timeline.in_force(scorecard_id=span.scorecard_id, day=day)
            if version is not None:
                planned[(span.employee_id, day)] = (span.team_id, version)
    return planned


def _final_days(
    *, date_from: dt.date, date_to: dt.date, timeline: VersionTimeline, now: dt.datetime
) -> dict[dt.date, bool]:
    final_at = days_final_at(date_from=date_from, date_to=date_to, timeline=timeline)
    return {day: now >= at for day, at in final_at.items()}


def _employee_rows(
    *,
    planned: Planned,
    day_stats: Mapping[tuple[int, dt.date], DayStats],
    final: Mapping[dt.date, bool],
    rules: Mapping[int, list],
    now: dt.datetime,
) -> list[Row]:
    """Score each planned (employee, day) and return its row for `scores_upsert`."""
    empty = DayStats()
    rows = []
    for (employee_id, day), (team_id, version) in sorted(planned.items()):
        figures = day_stats.get((employee_id, day), empty)
        stats = figures.metric_stats(sla_minutes=version.sla_minutes, is_final=final[day])
        score = version_score(version=version, stats=stats, rules=rules[version.pk])
        values = _score_values(
            score=score, stats=stats, is_worked=figures.is_worked, is_final=final[day], now=now
        )
        rows.append((employee_id, day, team_id, version.pk, *values))
    return rows


def _employee_rows_write(
    *,
    rows: Sequence[Row],
    planned: Planned,
    employee_ids: Sequence[int] | None,
    date_from: dt.date,
    date_to: dt.date,
) -> set[int]:
    """Upsert the rows, delete the stored ones no longer planned; return the teams touched."""
    stored = EmployeeDailyScore.objects.filter(day__gte=date_from, day__lte=date_to)
    if employee_ids is not None:
        stored = stored.filter(employee_id__in=employee_ids)
    with transaction.atomic():
        teams = {team_id for team_id, _version in planned.values()}
        stale = []
        for pk, employee_id, day, team_id in stored.values_list(
            "pk", "employee_id", "day", "team_id"
        ).order_by("pk"):
            teams.add(team_id)
            if (employee_id, day) not in planned:
                stale.append(pk)
        if stale:
            EmployeeDailyScore.objects.filter(pk__in=stale).delete()
        scores_upsert(
            model=EmployeeDailyScore,
            columns=("employee_id", "day", "team_id", "version_id", *SCORE_COLUMNS),
            rows=rows,
            unique_fields=["employee_id", "day"],
        )
    return teams


def _employee_rows_compute(
    *,
    employee_ids: Sequence[int] | None,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime,
    parallel_reads: bool = False,
) -> tuple[int, set[int]]:
    """Write the employees' rows for the days; return the row count and the teams touched.

    `parallel_reads`: read two of the grouped queries on a second connection meanwhile
    (`sources.employee_day_stats`), for the synchronous backfill.
    """
    timings = _Timings()
    # Every scorecard's versions: the longest SLA in force anywhere decides when a day is final.
    timeline = version_timeline(scorecard_ids=None, until=date_to)
    planned = _rows_plan(
        employee_ids=employee_ids, date_from=date_from, date_to=date_to, timeline=timeline
    )
    final = _final_days(date_from=date_from, date_to=date_to, timeline=timeline, now=now)
    rules = {version.pk: version_rules(version) for version in timeline.versions}
    timings.lap("plan")
    day_stats = employee_day_stats(
        employee_ids=employee_ids,
        date_from=date_from,
        date_to=date_to,
        sla_minutes={version.sla_minutes for _team, version in planned.values()},
        now=now,
        parallel_reads=parallel_reads,
    )
    timings.lap("read")
    rows = _employee_rows(planned=planned, day_stats=day_stats, final=final, rules=rules, now=now)
    timings.lap("score")
    teams = _employee_rows_write(
        rows=rows,
        planned=planned,
        employee_ids=employee_ids,
        date_from=date_from,
        date_to=date_to,
    )
    timings.lap("write")
    timings.log(subject="employee", rows=len(rows), date_from=date_from, date_to=date_to)
    return len(rows), teams


def scores_compute_employees(
    *,
    employee_ids: Sequence[int] | None,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime | None = None,
    parallel_reads: bool = False,
) -> int:
    """Score the employees (None: everyone) on each day of the range; return rows written.

    A day is scored when the employee was in a team whose scorecard has a version in force;
    any other stored row of theirs in the range is deleted. `parallel_reads` is an option of
    the synchronous backfill (`_employee_rows_compute`).
    """
    count, _teams = _employee_rows_compute(
        employee_ids=employee_ids,
        date_from=date_from,
        date_to=date_to,
        now=now or timezone.now(),
        parallel_reads=parallel_reads,
    )
    return count


def _team_rows(
    *,
    sums_rows: Sequence[Mapping],
    scorecard_of: Mapping[int, int],
    timeline: VersionTimeline,
    final: Mapping[dt.date, bool],
    now: dt.datetime,
) -> list[Row]:
    """Score each team's summed day under the version in force; return rows for `scores_upsert`."""
    rules = {version.pk: version_rules(version) for version in timeline.versions}
    rows = []
    for sums in sums_rows:
        team_id, day = sums["team_id"], sums["day"]
        version = timeline.in_force(scorecard_id=scorecard_of[team_id], day=day)
        if version is None:
            continue
        stats = stats_of_row(sums)
        score = version_score(version=version, stats=stats, rules=rules[version.pk])
        values = _score_values(
            score=score,
            stats=stats,
            is_worked=sums["worked_count"] > 0,
            is_final=final[day],
            now=now,
        )
        rows.append((team_id, day, version.pk, sums["member_count"], *values))
    return rows


@transaction.atomic
def scores_compute_teams(
    *,
    team_ids: Sequence[int] | None,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime | None = None,
) -> int:
    """Score the teams (None: all) on each day from their members' stored rows; return rows."""
    now = now or timezone.now()
    timings = _Timings()
    teams = Team.objects.select_for_update().order_by("pk")
    if team_ids is not None:
        teams = teams.filter(pk__in=team_ids)
    # Locked until commit, so two workers finishing chunks of one team take turns, and the
    # later one sums the rows both have committed.
    scorecard_of = dict(teams.values_list("pk", "scorecard_id"))
    # Every scorecard's versions: the longest SLA in force anywhere decides when a day is final.
    timeline = version_timeline(scorecard_ids=None, until=date_to)
    final = _final_days(date_from=date_from, date_to=date_to, timeline=timeline, now=now)
    timings.lap("plan")
    sums_rows = team_day_sums(team_ids=list(scorecard_of), date_from=date_from, date_to=date_to)
    timings.lap("read")
    rows = _team_rows(
        sums_rows=sums_rows, scorecard_of=scorecard_of, timeline=timeline, final=final, now=now
    )
    timings.lap("score")
    kept = {(row[0], row[1]) for row in rows}
    stale = [
        pk
        for pk, team_id, day in TeamDailyScore.objects.filter(
            team_id__in=list(scorecard_of), day__gte=date_from, day__lte=date_to
        ).values_list("pk", "team_id", "day")
        if (team_id, day) not in kept
    ]
    if stale:
        TeamDailyScore.objects.filter(pk__in=stale).delete()
    scores_upsert(
        model=TeamDailyScore,
        columns=("team_id", "day", "version_id", "member_count", *SCORE_COLUMNS),
        rows=rows,
        unique_fields=["team_id", "day"],
    )
    timings.lap("write")
    timings.log(subject="team", rows=len(rows), date_from=date_from, date_to=date_to)
    return len(rows)


def scores_compute(
    *,
    date_from: dt.date,
    date_to: dt.date,
    employee_ids: Sequence[int] | None = None,
    now: dt.datetime | None = None,
    parallel_reads: bool = False,
) -> ComputeSummary:
    """Score the employees (None: everyone) over the days, then every team they touched."""
    now = now or timezone.now()
    # The employee rows commit before the team sums read them: a team lock never waits on
    # this computation's own uncommitted rows.
    employee_rows, teams = _employee_rows_compute(
        employee_ids=employee_ids,
        date_from=date_from,
        date_to=date_to,
        now=now,
        parallel_reads=parallel_reads,
    )
    team_ids = None if employee_ids is None else sorted(teams)
    team_rows = scores_compute_teams(
        team_ids=team_ids, date_from=date_from, date_to=date_to, now=now
    )
    return ComputeSummary(
        employee_rows=employee_rows, team_rows=team_rows, team_ids=tuple(sorted(teams))
    )


def scores_compute_for_teams(
    *,
    team_ids: Sequence[int],
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime | None = None,
) -> ComputeSummary:
    """Score every member of the teams over the days, then the teams, even those left empty."""
    now = now or timezone.now()
    employee_ids = employees_to_score(date_from=date_from, date_to=date_to, team_ids=team_ids)
    summary = scores_compute(
        date_from=date_from, date_to=date_to, employee_ids=employee_ids, now=now
    )
    # A team whose members all left has no employee rows to lead to it: its stale rows go here.
    rest = sorted(set(team_ids) - set(summary.team_ids))
    team_rows = summary.team_rows
    if rest:
        team_rows += scores_compute_teams(
            team_ids=rest, date_from=date_from, date_to=date_to, now=now
        )
    return ComputeSummary(
        employee_rows=summary.employee_rows,
        team_rows=team_rows,
        team_ids=tuple(sorted({*summary.team_ids, *team_ids})),
    )

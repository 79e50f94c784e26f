"""The engine's rows: each day's statistics scored and written as employee and team rows."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.utils import timezone

from scorecards.engine.sources import (
    DayStats,
    employee_day_stats,
    employees_to_score,
    team_day_sums,
)
from scorecards.engine.sql import _SCORE_COLUMNS, _scores_upsert
from scorecards.models import EmployeeDailyScore, ScorecardVersion, TeamDailyScore
from scorecards.scoring import DayScore, score_stats
from scorecards.selectors.memberships import memberships_overlapping
from scorecards.selectors.stats import METRIC_CODES, day_range, stats_of_row
from scorecards.selectors.versions import (
    day_outcome,
    days_final_at,
    version_rules,
    version_timeline,
)
from staff.models import Team


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


def _json_cents(number: Decimal | None) -> str:
    """Return a figure rounded half up to cents as a JSON string, or JSON null."""
    return "null" if number is None else f'"{_cents(number)}"'


def _score_values(
    *, score: DayScore, stats: Mapping, is_worked: bool, is_final: bool, computed_at
) -> tuple:
    """Return a daily row's `_SCORE_COLUMNS` as database-ready values, for `_scores_upsert`:
    total and band as the day shows them (`day_outcome`), each metric's value and score
    rounded to cents (as JSON text, written out directly: a backfill builds one per
    employee-day), whether the day is worked and final, and every num/den."""
    metric_scores = ", ".join(
        f'"{code}": {{"value": {_json_cents(result.value)}, "score": {_json_cents(result.score)}}}'
        for code, result in score.metrics.items()
    )
    total, band = day_outcome(score=score, is_worked=is_worked, is_final=is_final)
    values = [_cents(total), band, f"{{{metric_scores}}}", is_worked, is_final, computed_at]
    for code in METRIC_CODES:
        values.extend(stats[code])
    return tuple(values)


def _employee_rows_compute(
    *,
    employee_ids: Sequence[int] | None,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime,
) -> tuple[int, set[int]]:
    """Write the employees' rows for the days; return the row count and the teams touched."""
    spans = memberships_overlapping(date_from=date_from, date_to=date_to, employee_ids=employee_ids)
    # Every scorecard's versions: the longest SLA in force anywhere decides when a day is final.
    timeline = version_timeline(scorecard_ids=None, until=date_to)
    planned: dict[tuple[int, dt.date], tuple[int, ScorecardVersion]] = {}
    for span in spans:
        last = min(span.ends_on or date_to, date_to)
        for day in day_range(date_from=max(span.starts_on, date_from), date_to=last):
            version = timeline.in_force(scorecard_id=span.scorecard_id, day=day)
            if version is not None:
                planned[(span.employee_id, day)] = (span.team_id, version)
    day_stats = employee_day_stats(
        employee_ids=employee_ids,
        date_from=date_from,
        date_to=date_to,
        sla_minutes={version.sla_minutes for _team, version in planned.values()},
        now=now,
    )
    final = {
        day: now >= at
        for day, at in days_final_at(
            date_from=date_from, date_to=date_to, timeline=timeline
        ).items()
    }
    empty = DayStats()
    rules = {version.pk: version_rules(version) for version in timeline.versions}
    computed_at = connection.ops.adapt_datetimefield_value(now)
    adapt_day = connection.ops.adapt_datefield_value
    rows = []
    for (employee_id, day), (team_id, version) in sorted(planned.items()):
        figures = day_stats.get((employee_id, day), empty)
        stats = figures.metric_stats(sla_minutes=version.sla_minutes, is_final=final[day])
        score = score_stats(
            stats=stats,
            rules=rules[version.pk],
            green_from=version.green_from,
            amber_from=version.amber_from,
        )
        rows.append(
            (
                employee_id,
                adapt_day(day),
                team_id,
                version.pk,
                *_score_values(
                    score=score,
                    stats=stats,
                    is_worked=figures.is_worked,
                    is_final=final[day],
                    computed_at=computed_at,
                ),
            )
        )

    stored = EmployeeDailyScore.objects.filter(day__gte=date_from, day__lte=date_to)
    if employee_ids is not None:
        stored = stored.filter(employee_id__in=employee_ids)
    with transaction.atomic():
        teams = {team_id for team_id, _version in planned.values()}
        stale = []
        found = 0
        for pk, employee_id, day, team_id in stored.values_list(
            "pk", "employee_id", "day", "team_id"
        ).order_by("pk"):
            found += 1
            teams.add(team_id)
            if (employee_id, day) not in planned:
                stale.append(pk)
        if stale:
            EmployeeDailyScore.objects.filter(pk__in=stale).delete()
        _scores_upsert(
            model=EmployeeDailyScore,
            columns=("employee_id", "day", "team_id", "version_id", *_SCORE_COLUMNS),
            rows=rows,
            unique_fields=["employee_id", "day"],
            fresh=not found,
        )
    return len(rows), teams


def scores_compute_employees(
    *,
    employee_ids: Sequence[int] | None,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime | None = None,
) -> int:
    """Score the employees (None: everyone) on each day of the range; return rows written.

    A day is scored when the employee was in a team whose scorecard has a version in force;
    any other stored row of theirs in the range is deleted.
    """
    count, _teams = _employee_rows_compute(
        employee_ids=employee_ids, date_from=date_from, date_to=date_to, now=now or timezone.now()
    )
    return count


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
    teams = Team.objects.select_for_update().order_by("pk")
    if team_ids is not None:
        teams = teams.filter(pk__in=team_ids)
    # Locked until commit, so two workers finishing chunks of one team take turns, and the
    # later one sums the rows both have committed.
    scorecard_of = dict(teams.values_list("pk", "scorecard_id"))
    # Every scorecard's versions: the longest SLA in force anywhere decides when a day is final.
    timeline = version_timeline(scorecard_ids=None, until=date_to)
    rules = {version.pk: version_rules(version) for version in timeline.versions}
    final = {
        day: now >= at
        for day, at in days_final_at(
            date_from=date_from, date_to=date_to, timeline=timeline
        ).items()
    }
    computed_at = connection.ops.adapt_datetimefield_value(now)
    rows = []
    for sums in team_day_sums(team_ids=list(scorecard_of), date_from=date_from, date_to=date_to):
        version = timeline.in_force(scorecard_id=scorecard_of[sums["team_id"]], day=sums["day"])
        if version is None:
            continue
        stats = stats_of_row(sums)
        score = score_stats(
            stats=stats,
            rules=rules[version.pk],
            green_from=version.green_from,
            amber_from=version.amber_from,
        )
        rows.append(
            (
                sums["team_id"],
                sums["day"],
                version.pk,
                sums["member_count"],
                *_score_values(
                    score=score,
                    stats=stats,
                    is_worked=sums["worked_count"] > 0,
                    is_final=final[sums["day"]],
                    computed_at=computed_at,
                ),
            )
        )
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
    adapt_day = connection.ops.adapt_datefield_value
    _scores_upsert(
        model=TeamDailyScore,
        columns=("team_id", "day", "version_id", "member_count", *_SCORE_COLUMNS),
        rows=[(team_id, adapt_day(day), *rest) for team_id, day, *rest in rows],
        unique_fields=["team_id", "day"],
    )
    return len(rows)


def scores_compute(
    *,
    date_from: dt.date,
    date_to: dt.date,
    employee_ids: Sequence[int] | None = None,
    now: dt.datetime | None = None,
) -> ComputeSummary:
    """Score the employees (None: everyone) over the days, then every team they touched."""
    now = now or timezone.now()
    # The employee rows commit before the team sums read them: a team lock never waits on
    # this computation's own uncommitted rows.
    employee_rows, teams = _employee_rows_compute(
        employee_ids=employee_ids, date_from=date_from, date_to=date_to, now=now
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

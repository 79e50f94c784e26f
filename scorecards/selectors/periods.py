"""Pooled figures over a period: summaries of employees and teams, windows of daily rows."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from scorecards.choices import Band, MetricCode
from scorecards.models import EmployeeDailyScore, ScorecardVersion, TeamDailyScore
from scorecards.scoring import MetricResult, quantize
from scorecards.selectors.stats import (
    _ZERO,
    STAT_COLUMNS,
    Stats,
    _as_decimal,
    _column_sums,
    day_range,
)
from scorecards.selectors.versions import (
    employees_scorecards_on,
    period_version,
    period_versions,
    version_score,
)
from staff.models import Team


@dataclass(frozen=True)
class PeriodSummary:
    """A subject's figures over a period: num/den summed over its days, then scored once."""

    date_from: dt.date
    date_to: dt.date
    days: int
    version: ScorecardVersion | None
    stats: Stats
    total: Decimal | None
    band: str
    metrics: dict


def _period_summary(
    *, rows: QuerySet, scorecard_id: int | None, date_from: dt.date, date_to: dt.date
) -> PeriodSummary:
    rows = rows.filter(day__gte=date_from, day__lte=date_to)
    sums = rows.aggregate(days=Count("pk"), **_column_sums())
    stats = {
        code: (_as_decimal(sums[f"{code}_num"]), _as_decimal(sums[f"{code}_den"]))
        for code in MetricCode.values
    }
    version = period_version(scorecard_id=scorecard_id, date_to=date_to) if sums["days"] else None
    if version is None:
        return PeriodSummary(
            date_from=date_from,
            date_to=date_to,
            days=0,
            version=None,
            stats=stats,
            total=None,
            band="",
            metrics={},
        )
    score = version_score(version=version, stats=stats)
    return PeriodSummary(
        date_from=date_from,
        date_to=date_to,
        days=sums["days"],
        version=version,
        stats=stats,
        total=quantize(score.total),
        band=score.band,
        metrics=score.metrics,
    )


def employee_period_summary(*, employee, date_from: dt.date, date_to: dt.date) -> PeriodSummary:
    """Return the employee's pooled figures over the days (one SUM query)."""
    day = min(date_to, timezone.localdate())
    return _period_summary(
        rows=EmployeeDailyScore.objects.filter(employee=employee),
        scorecard_id=employees_scorecards_on(employee_ids=[employee.pk], day=day).get(employee.pk),
        date_from=date_from,
        date_to=date_to,
    )


def team_period_summary(*, team, date_from: dt.date, date_to: dt.date) -> PeriodSummary:
    """Return the team's pooled figures over the days (one SUM query)."""
    return _period_summary(
        rows=TeamDailyScore.objects.filter(team=team),
        scorecard_id=team.scorecard_id,
        date_from=date_from,
        date_to=date_to,
    )


def scores_as_of() -> dt.datetime | None:
    """Return when the most recent score row was computed, None before the first run."""
    return EmployeeDailyScore.objects.aggregate(at=Max("computed_at"))["at"]


@dataclass(frozen=True)
class TrendPoint:
    """A day of a trend as its stored row shows it (no row: not scored at all)."""

    day: dt.date
    total: Decimal | None
    band: str
    is_worked: bool = False
    is_final: bool = False
    is_scored: bool = False

    @classmethod
    def of(cls, *, day: dt.date, row: Mapping | object | None) -> "TrendPoint":
        """Return the point of a stored daily row (a model or a dict of its columns), or None."""
        if row is None:
            return cls(day=day, total=None, band="")
        get = row.get if isinstance(row, Mapping) else lambda name: getattr(row, name)
        return cls(
            day=day,
            total=get("total"),
            band=get("band"),
            is_worked=get("is_worked"),
            is_final=get("is_final"),
            is_scored=True,
        )


@dataclass(frozen=True)
class Period:
    """The calendar days from date_from to date_to inclusive."""

    date_from: dt.date
    date_to: dt.date

    @property
    def days(self) -> int:
        """Return how many days the period has."""
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> "Period":
        """Return the period of equal length that ends the day before this one starts."""
        date_to = self.date_from - dt.timedelta(days=1)
        return Period(date_from=date_to - dt.timedelta(days=self.days - 1), date_to=date_to)

    def day_list(self) -> list[dt.date]:
        """Return every day of the period."""
        return day_range(date_from=self.date_from, date_to=self.date_to)


@dataclass(frozen=True)
class Pooled:
    """A subject's num/den summed over its rows in a period, then scored once."""

    rows: int
    stats: Stats
    total: Decimal | None
    band: str
    metrics: Mapping[str, MetricResult]

    @property
    def band_label(self) -> str:
        """Return the band's name in the active language, "" without a total."""
        return str(Band(self.band).label) if self.band else ""


def _empty_stats() -> Stats:
    return dict.fromkeys(MetricCode.values, (_ZERO, _ZERO))


_NOTHING = Pooled(rows=0, stats=_empty_stats(), total=None, band="", metrics={})


def _pooled(*, version: ScorecardVersion | None, rows: int, stats: Stats) -> Pooled:
    if version is None or not rows:
        return Pooled(rows=rows, stats=stats, total=None, band="", metrics={})
    score = version_score(version=version, stats=stats)
    return Pooled(
        rows=rows,
        stats=stats,
        total=quantize(score.total),
        band=score.band,
        metrics=score.metrics,
    )


def _window_sums(
    *, rows: QuerySet, group: Sequence[str], windows: Mapping[str, Period]
) -> dict[tuple, dict]:
    """Sum the num/den columns per group and per window, all in one grouped query.

    Returns {group values: {"as_of": latest computed_at, window name: (row count, stats)}};
    with an empty `group` the whole queryset is one group, keyed by ().
    """
    sums: dict = {"as_of": Max("computed_at")}
    for name, period in windows.items():
        within = Q(day__gte=period.date_from, day__lte=period.date_to)
        sums[f"{name}_rows"] = Count("pk", filter=within)
        for column in STAT_COLUMNS:
            sums[f"{name}_{column}"] = Sum(column, filter=within)
    rows = rows.filter(
        day__gte=min(period.date_from for period in windows.values()),
        day__lte=max(period.date_to for period in windows.values()),
    )
    grouped = [rows.aggregate(**sums)] if not group else rows.values(*group).annotate(**sums)
    result = {}
    for row in grouped.order_by(*group) if group else grouped:
        entry = {"as_of": row["as_of"]}
        for name in windows:
            entry[name] = (
                row[f"{name}_rows"],
                {
                    code: (
                        _as_decimal(row[f"{name}_{code}_num"]),
                        _as_decimal(row[f"{name}_{code}_den"]),
                    )
                    for code in MetricCode.values
                },
            )
        result[tuple(row[field_name] for field_name in group)] = entry
    return result


@dataclass(frozen=True)
class SubjectSummary:
    """One employee's or team's pooled figures over a period, scored once."""

    subject_id: int
    team_id: int
    days: int
    version: ScorecardVersion | None
    stats: Stats
    total: Decimal | None
    band: str
    metrics: dict


def period_summaries(
    *,
    rows: QuerySet,
    subject_field: str,
    date_from: dt.date,
    date_to: dt.date,
    team: Team | None = None,
) -> list[SubjectSummary]:
    """Pool every subject's daily rows over the period in one grouped SUM query, then score it.

    `rows` are employee or team daily rows, already limited to what the reader may see, and
    `subject_field` is "employee" or "team". A subject is scored by the period rule
    (`period_versions`); an employee's scorecard is their team's on that day, or `team`'s
    when the rows are those of one team (as that team's dashboard scores its members).
    """
    group = f"{subject_field}_id"
    grouped = (
        rows.filter(day__gte=date_from, day__lte=date_to)
        .values(*dict.fromkeys([group, "team_id", "team__scorecard_id"]))
        .annotate(days=Count("pk"), latest_day=Max("day"), **_column_sums())
        .order_by(group, "latest_day")
    )
    # An employee who changed teams has a row per team; later rows win the team, all pool.
    pooled: dict[int, dict] = {}
    for row in grouped:
        subject = pooled.setdefault(
            row[group], {"days": 0, "sums": dict.fromkeys(STAT_COLUMNS, _ZERO)}
        )
        subject["days"] += row["days"]
        subject["team_id"] = row["team_id"]
        subject["scorecard_id"] = row["team__scorecard_id"]
        for column in STAT_COLUMNS:
            subject["sums"][column] += row[column] or _ZERO
    scorecard_of = {key: subject["scorecard_id"] for key, subject in pooled.items()}
    if team is not None:
        scorecard_of = dict.fromkeys(pooled, team.scorecard_id)
    elif subject_field == "employee":
        scorecard_of.update(
            employees_scorecards_on(
                employee_ids=list(pooled), day=min(date_to, timezone.localdate())
            )
        )
    versions = period_versions(scorecard_of=scorecard_of, date_to=date_to)
    summaries = []
    for subject_id, subject in pooled.items():
        sums = subject["sums"]
        stats = {code: (sums[f"{code}_num"], sums[f"{code}_den"]) for code in MetricCode.values}
        version = versions[subject_id]
        score = version_score(version=version, stats=stats) if version else None
        summaries.append(
            SubjectSummary(
                subject_id=subject_id,
                team_id=subject["team_id"],
                days=subject["days"],
                version=version,
                stats=stats,
                total=quantize(score.total) if score else None,
                band=score.band if score else "",
                metrics=score.metrics if score else {},
            )
        )
    return summaries

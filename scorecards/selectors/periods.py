"""Pooled figures over a period: summaries of employees and teams, windows of daily rows."""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from scorecards.choices import Band
from scorecards.models import EmployeeDailyScore, ScorecardVersion, TeamDailyScore
from scorecards.scoring import MetricResult, quantize
from scorecards.selectors.stats import (
    METRIC_CODES,
    STAT_COLUMNS,
    ZERO,
    Stats,
    as_decimal,
    day_range,
)
from scorecards.selectors.versions import (
    employees_scorecards_on,
    period_versions,
    version_score,
)
from staff.models import Employee, Team


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
        get: Callable[[str], Any] = (
            row.get if isinstance(row, Mapping) else lambda name: getattr(row, name)
        )
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


class _PeriodRule:
    """The marker for "score each subject by the period rule" (`pooled_periods`)."""

    def __repr__(self) -> str:
        return "PERIOD_RULE"


PERIOD_RULE = _PeriodRule()
# What scores a group's pooled figures: the period rule, one version (or None) for every group,
# or a function from the group's key to its version.
VersionChoice = _PeriodRule | ScorecardVersion | None | Callable[[tuple], ScorecardVersion | None]


@dataclass(frozen=True)
class Pooled:
    """A subject's num/den summed over its daily rows in a period, then scored once.

    `key` holds the values of the grouping the figures were pooled by (`pooled_periods`):
    `(employee id,)`, `(team id, employee id)`, ... and `()` for a whole set of rows.
    """

    rows: int
    stats: Stats
    total: Decimal | None
    band: str
    metrics: Mapping[str, MetricResult]
    version: ScorecardVersion | None = None
    key: tuple = ()
    # The team of the subject's latest row in the period, when pooled by the period rule.
    team_id: int | None = None
    # When the latest of the rows was computed.
    as_of: dt.datetime | None = None

    @property
    def days(self) -> int:
        """Return how many daily rows were pooled."""
        return self.rows

    @property
    def subject_id(self) -> int | None:
        """Return the last value of the key: the employee or team pooled."""
        return self.key[-1] if self.key else None

    @property
    def band_label(self) -> str:
        """Return the band's name in the active language, "" without a total."""
        return str(Band(self.band).label) if self.band else ""


def _empty_stats() -> Stats:
    return dict.fromkeys(METRIC_CODES, (ZERO, ZERO))


NOTHING = Pooled(rows=0, stats=_empty_stats(), total=None, band="", metrics={})


def _scored(*, rows: int, stats: Stats, version: ScorecardVersion | None, **extra: Any) -> Pooled:
    if version is None or not rows:
        return Pooled(rows=rows, stats=stats, total=None, band="", metrics={}, **extra)
    score = version_score(version=version, stats=stats)
    return Pooled(
        rows=rows,
        stats=stats,
        total=quantize(score.total),
        band=score.band,
        metrics=score.metrics,
        version=version,
        **extra,
    )


def _grouped_sums(
    *, rows: QuerySet, windows: Mapping[str, Period], group: Sequence[str], by_team: bool
) -> dict[tuple, dict[str, dict]]:
    """Sum the num/den columns per group and window in one grouped query.

    With `by_team` the rows are also grouped by their team, and each window keeps the team (and
    its scorecard) of the group's latest row: an employee who changed teams pools every row.
    """
    sums: dict = {}
    for name, period in windows.items():
        within = Q(day__gte=period.date_from, day__lte=period.date_to)
        sums[f"{name}__rows"] = Count("pk", filter=within)
        sums[f"{name}__as_of"] = Max("computed_at", filter=within)
        sums[f"{name}__latest"] = Max("day", filter=within)
        for column in STAT_COLUMNS:
            sums[f"{name}__{column}"] = Sum(column, filter=within)
    rows = rows.filter(
        day__gte=min(period.date_from for period in windows.values()),
        day__lte=max(period.date_to for period in windows.values()),
    )
    fields = list(dict.fromkeys([*group, *(("team_id", "team__scorecard_id") if by_team else ())]))
    grouped = rows.values(*fields).annotate(**sums).order_by(*fields) if fields else None
    result: dict[tuple, dict[str, dict]] = {}
    for row in grouped if grouped is not None else [rows.aggregate(**sums)]:
        entry = result.setdefault(tuple(row[name] for name in group), {})
        for name in windows:
            if not row[f"{name}__rows"]:
                continue
            window = entry.setdefault(
                name, {"rows": 0, "as_of": None, "latest": None, "sums": _empty_stats()}
            )
            window["rows"] += row[f"{name}__rows"]
            window["sums"] = {
                code: (
                    num + as_decimal(row[f"{name}__{code}_num"]),
                    den + as_decimal(row[f"{name}__{code}_den"]),
                )
                for code, (num, den) in window["sums"].items()
            }
            as_of, latest = row[f"{name}__as_of"], row[f"{name}__latest"]
            if as_of is not None and (window["as_of"] is None or as_of > window["as_of"]):
                window["as_of"] = as_of
            if (
                by_team
                and latest is not None
                and (window["latest"] is None or latest >= window["latest"])
            ):
                window.update(
                    latest=latest,
                    team_id=row["team_id"],
                    scorecard_id=row["team__scorecard_id"],
                )
    return result


def _rule_versions(
    *,
    sums: Mapping[tuple, Mapping[str, dict]],
    name: str,
    period: Period,
    group: Sequence[str],
    team: Team | None,
) -> dict[tuple, ScorecardVersion | None]:
    """Return each group's version in a window by the period rule (`period_versions`).

    A group is scored with its scorecard: `team`'s when the rows are those of one team (as that
    team's dashboard scores its members), else an employee's team's on the period's last day up
    to today, else the team of the group's latest row.
    """
    scorecard_of = {
        key: windows[name].get("scorecard_id") for key, windows in sums.items() if name in windows
    }
    if team is not None:
        scorecard_of = dict.fromkeys(scorecard_of, team.scorecard_id)
    elif group and group[-1] == "employee_id":
        on_day = employees_scorecards_on(
            employee_ids=[key[-1] for key in scorecard_of],
            day=min(period.date_to, timezone.localdate()),
        )
        scorecard_of.update({key: on_day[key[-1]] for key in scorecard_of if key[-1] in on_day})
    return period_versions(scorecard_of=scorecard_of, date_to=period.date_to)


def pooled_periods(
    *,
    rows: QuerySet,
    windows: Mapping[str, Period],
    group: Sequence[str] = (),
    version: VersionChoice = PERIOD_RULE,
    team: Team | None = None,
) -> dict[tuple, dict[str, Pooled]]:
    """Pool employee or team daily rows per group and window, then score each once.

    The one reader of pooled periods: agent pages, team pages, change impact, digests and the
    API's summaries all call it. One grouped SUM query for every group and window, whatever
    the number of subjects and days, plus the versions' reads under the period rule.

    `rows` are already limited to what the reader may see; `group` names the columns to pool
    by (`()`: all the rows as one); `windows` names the periods. Returns
    {group key: {window name: Pooled}}, only for groups with a row in some window; a window
    without rows is absent from its group's entry.
    """
    by_team = isinstance(version, _PeriodRule)
    if isinstance(version, ScorecardVersion) or version is None:
        fixed = version
        choose: Callable[[tuple], ScorecardVersion | None] = lambda key: fixed  # noqa: E731
    elif not isinstance(version, _PeriodRule):
        choose = version
    sums = _grouped_sums(rows=rows, windows=windows, group=group, by_team=by_team)
    result: dict[tuple, dict[str, Pooled]] = {key: {} for key in sums}
    for name, period in windows.items():
        if by_team:
            versions = _rule_versions(sums=sums, name=name, period=period, group=group, team=team)
        for key, entry in sums.items():
            window = entry.get(name)
            if window is None:
                continue
            chosen = versions[key] if by_team else choose(key)
            result[key][name] = _scored(
                rows=window["rows"],
                stats=window["sums"],
                version=chosen,
                key=key,
                team_id=window.get("team_id"),
                as_of=window["as_of"],
            )
    return result


def pooled_period(
    *,
    rows: QuerySet,
    period: Period,
    version: VersionChoice = PERIOD_RULE,
    team: Team | None = None,
) -> Pooled:
    """Return `pooled_periods` of all the rows over one period (NOTHING without rows)."""
    return (
        pooled_periods(rows=rows, windows={"cur": period}, version=version, team=team)
        .get((), {})
        .get("cur", NOTHING)
    )


def employee_period_summary(*, employee: Employee, date_from: dt.date, date_to: dt.date) -> Pooled:
    """Return the employee's pooled figures over the days (one SUM query)."""
    period = Period(date_from=date_from, date_to=date_to)
    return (
        pooled_periods(
            rows=EmployeeDailyScore.objects.filter(employee=employee),
            windows={"cur": period},
            group=("employee_id",),
        )
        .get((employee.pk,), {})
        .get("cur", NOTHING)
    )


def team_period_summary(*, team: Team, date_from: dt.date, date_to: dt.date) -> Pooled:
    """Return the team's pooled figures over the days (one SUM query)."""
    return pooled_period(
        rows=TeamDailyScore.objects.filter(team=team),
        period=Period(date_from=date_from, date_to=date_to),
        team=team,
    )


def period_summaries(
    *,
    rows: QuerySet,
    subject_field: str,
    date_from: dt.date,
    date_to: dt.date,
    team: Team | None = None,
) -> list[Pooled]:
    """Return every subject's pooled figures over the period, by the period rule.

    `subject_field` is "employee" or "team"; `team` when the rows are those of one team.
    """
    pooled = pooled_periods(
        rows=rows,
        windows={"cur": Period(date_from=date_from, date_to=date_to)},
        group=(f"{subject_field}_id",),
        team=team,
    )
    return [windows["cur"] for windows in pooled.values() if "cur" in windows]

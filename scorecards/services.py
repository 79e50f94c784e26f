"""Everything that writes scorecard data: versions, computed scores, goals, change events."""

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from scorecards.choices import ChangeKind, GoalStatus, MetricCode, VersionStatus
from scorecards.dirty import days_mark_dirty
from scorecards.models import (
    Alert,
    ChangeEvent,
    EmployeeDailyScore,
    Goal,
    Metric,
    QACriterion,
    RuleAcknowledgement,
    Scorecard,
    ScorecardVersion,
    TeamDailyScore,
)
from scorecards.scoring import DayScore, pool, quantize, score_stats
from scorecards.selectors import (
    METRIC_CODES,
    METRIC_VALUE_RANGES,
    STAT_COLUMNS,
    DayStats,
    Stats,
    day_outcome,
    day_range,
    days_final_at,
    employee_day_stats,
    employees_to_score,
    goals_progress,
    last_final_day,
    manager_digests,
    memberships_overlapping,
    response_sla_day_stats,
    stats_of_row,
    team_day_sums,
    version_in_force,
    version_rescored_days,
    version_rules,
    version_score,
    version_timeline,
)
from staff.models import Employee, Team, TeamMembership
from staff.services import membership_start


@transaction.atomic
def scorecard_version_publish(
    *,
    version: ScorecardVersion,
    effective_from: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ScorecardVersion:
    """Publish a draft version, freezing its rules, and record the change for its teams."""
    # Locking the scorecard serialises publications of its versions, so two drafts cannot both
    # pass the effective-date check below and then collide on the unique index.
    Scorecard.objects.select_for_update().filter(pk=version.scorecard_id).get()
    version = ScorecardVersion.objects.select_related("scorecard").get(pk=version.pk)
    if version.is_published:
        raise ValidationError(
            {
                "status": ValidationError(
                    _("Version %(number)s is already published."),
                    code="already_published",
                    params={"number": version.number},
                )
            }
        )
    if effective_from is not None:
        version.effective_from = effective_from
    if not version.metrics.exists():
        raise ValidationError(
            _("Version %(number)s has no metrics: add at least one before publishing."),
            code="no_metrics",
            params={"number": version.number},
        )
    clash = (
        ScorecardVersion.objects.filter(
            scorecard_id=version.scorecard_id,
            status=VersionStatus.PUBLISHED,
            effective_from=version.effective_from,
        )
        .exclude(pk=version.pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "effective_from": ValidationError(
                    _("Version %(number)s of this scorecard already takes effect on %(day)s."),
                    code="effective_date_taken",
                    params={"number": clash.number, "day": version.effective_from.isoformat()},
                )
            }
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = now or timezone.now()
    version.save(update_fields=["status", "effective_from", "published_at"])
    # Days already scored under the version this one replaces are rescored by the next run,
    # whichever path published it (editor, admin, shell).
    days_mark_dirty(
        pairs=version_rescored_days(version=version, today=timezone.localdate(version.published_at))
    )
    title = _("%(scorecard)s v%(number)s takes effect") % {
        "scorecard": version.scorecard.name,
        "number": version.number,
    }
    ChangeEvent.objects.bulk_create(
        [
            ChangeEvent(
                day=version.effective_from,
                team=team,
                kind=ChangeKind.SCORECARD,
                title=title,
                notes=version.change_summary,
                is_automatic=True,
            )
            for team in Team.objects.filter(scorecard_id=version.scorecard_id).order_by("pk")
        ]
    )
    return version


# A new draft gets its own number, date, history and change summary; the rules are copied.
_VERSION_FIELDS_NOT_COPIED = {
    "id",
    "number",
    "status",
    "effective_from",
    "change_summary",
    "created_at",
    "published_at",
}


def _copied_fields(row, *, skip: set[str]) -> dict:
    """Return the row's column values except the skipped fields, ready for a new row."""
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if field.name not in skip
    }


@transaction.atomic
def scorecard_version_draft_from(*, version: ScorecardVersion) -> ScorecardVersion:
    """Copy a version with its metrics and QA criteria into a new draft with the next number."""
    Scorecard.objects.select_for_update().filter(pk=version.scorecard_id).get()
    versions = ScorecardVersion.objects.filter(scorecard_id=version.scorecard_id)
    latest = versions.aggregate(
        number=Max("number"),
        effective_from=Max("effective_from", filter=Q(status=VersionStatus.PUBLISHED)),
    )
    # The copy starts after every published version, so publishing it unchanged cannot clash.
    effective_from = max(
        timezone.localdate() + dt.timedelta(days=1),
        (latest["effective_from"] or dt.date.min) + dt.timedelta(days=1),
    )
    draft = ScorecardVersion.objects.create(
        **_copied_fields(version, skip=_VERSION_FIELDS_NOT_COPIED),
        number=latest["number"] + 1,
        status=VersionStatus.DRAFT,
        effective_from=effective_from,
    )
    for model, related in ((Metric, version.metrics), (QACriterion, version.qa_criteria)):
        model.objects.bulk_create(
            [
                model(**_copied_fields(row, skip={"id", "version"}), version=draft)
                for row in related.all()
            ]
        )
    return draft


# ---- computed scores -----------------------------------------------------------------------

# Rows per INSERT: well under PostgreSQL's 65,535 parameters with ~27 columns a row.
_SCORE_BATCH_SIZE = 1000


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


# A daily row's scored columns, in the order `_score_values` returns them.
_SCORE_COLUMNS = (
    "total",
    "band",
    "metric_scores",
    "is_worked",
    "is_final",
    "computed_at",
    *STAT_COLUMNS,
)


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


def _copy_supported() -> bool:
    return connection.vendor == "postgresql"


def _copy(*, model, columns: Sequence[str], rows: Sequence[tuple], table: str) -> None:
    """Stream the rows into the table (quoted name) with PostgreSQL's COPY, as CSV."""
    quote = connection.ops.quote_name
    data = io.StringIO()
    csv.writer(data, lineterminator="\n").writerows(rows)
    data.seek(0)
    # CSV writes None as an empty field, which COPY reads as NULL; in text columns that take
    # no NULL an empty field is the empty string.
    fields = {field.column: field for field in model._meta.concrete_fields}
    texts = [
        quote(column)
        for column in columns
        if isinstance(fields[column], models.CharField | models.TextField)
        and not fields[column].null
    ]
    not_null = f", FORCE_NOT_NULL ({', '.join(texts)})" if texts else ""
    # The driver's own cursor, wrapped so that its errors are Django's (IntegrityError).
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(map(quote, columns))}) FROM STDIN "
            f"WITH (FORMAT csv{not_null})",
            data,
        )


def _scores_upsert(
    *, model, columns: Sequence[str], rows: Sequence[tuple], unique_fields, fresh: bool = False
) -> None:
    """Insert daily score rows (tuples in `columns` order), updating them on their key.

    On PostgreSQL the rows are streamed with COPY into a temporary table and upserted from it
    with one INSERT ... SELECT: a multi-row INSERT of ~30 literals a row took a quarter of a
    backfill, mostly in the server parsing them. `fresh` says none of the rows was stored when
    the caller looked: they are then copied straight into the table, and upserted after all
    should a concurrent computation have written some meanwhile. Elsewhere (the embedded
    SQLite), plain multi-row INSERT ... ON CONFLICT statements. Call inside a transaction.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(map(quote, columns))
    update = f" ON CONFLICT ({', '.join(map(quote, unique_fields))}) DO UPDATE SET " + ", ".join(
        f"{quote(column)} = EXCLUDED.{quote(column)}"
        for column in columns
        if column not in unique_fields
    )
    if _copy_supported():
        if fresh:
            try:
                with transaction.atomic():
                    _copy(model=model, columns=columns, rows=rows, table=table)
                return
            except IntegrityError:
                pass
        incoming = quote(f"{model._meta.db_table}_incoming")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{incoming}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {incoming} ON COMMIT DROP AS "
                f"SELECT {names} FROM {table} WITH NO DATA"
            )
            _copy(model=model, columns=columns, rows=rows, table=incoming)
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {incoming}{update}")
        return
    with connection.cursor() as cursor:
        batch_size = min(_SCORE_BATCH_SIZE, connection.ops.bulk_batch_size(columns, rows))
        values = "(" + ", ".join(["%s"] * len(columns)) + ")"
        insert = f"INSERT INTO {table} ({names}) VALUES "
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            cursor.execute(
                insert + ", ".join([values] * len(batch)) + update,
                [value for row in batch for value in row],
            )


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


# ---- simulation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SimulatedTotal:
    """A subject's pooled total over the period under the version in force and under a draft."""

    subject_id: int
    days: int
    current_total: Decimal | None
    current_band: str
    draft_total: Decimal | None
    draft_band: str

    @property
    def change(self) -> Decimal | None:
        """Return the draft total minus the current total, when both exist."""
        if self.current_total is None or self.draft_total is None:
            return None
        return self.draft_total - self.current_total


@dataclass(frozen=True)
class SimulationResult:
    """A draft version scored over stored history, next to the version in force."""

    version: ScorecardVersion
    current_version: ScorecardVersion | None
    date_from: dt.date
    date_to: dt.date
    employees: list[SimulatedTotal]
    teams: list[SimulatedTotal]


def _simulated_totals(
    *,
    groups: Mapping[int, list[tuple[Stats, Stats]]],
    draft: ScorecardVersion,
    current: ScorecardVersion | None,
) -> list[SimulatedTotal]:
    results = []
    for subject_id, days in sorted(groups.items()):
        draft_score = version_score(version=draft, stats=pool(d for _c, d in days))
        current_score = (
            version_score(version=current, stats=pool(c for c, _d in days)) if current else None
        )
        results.append(
            SimulatedTotal(
                subject_id=subject_id,
                days=len(days),
                current_total=quantize(current_score.total) if current_score else None,
                current_band=current_score.band if current_score else "",
                draft_total=quantize(draft_score.total),
                draft_band=draft_score.band,
            )
        )
    return results


def scores_simulate(
    *,
    version: ScorecardVersion,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime | None = None,
) -> SimulationResult:
    """Score a (draft) version over the stored days of its scorecard's teams; write nothing.

    The stored num/den columns are pooled per employee and per team and scored under the draft
    and under the version in force on date_to. response_sla depends on the SLA length, so when
    the draft's differs from the one a day was scored with, that metric is counted again from
    the interactions.
    """
    rows = list(
        EmployeeDailyScore.objects.filter(
            team__scorecard_id=version.scorecard_id, day__gte=date_from, day__lte=date_to
        ).values("employee_id", "team_id", "day", "version__sla_minutes", *STAT_COLUMNS)
    )
    recounted = None
    if any(row["version__sla_minutes"] != version.sla_minutes for row in rows):
        recounted = response_sla_day_stats(
            employee_ids={row["employee_id"] for row in rows},
            date_from=date_from,
            date_to=date_to,
            sla_minutes=version.sla_minutes,
            now=now or timezone.now(),
        )
    by_employee: dict[int, list[tuple[Stats, Stats]]] = {}
    by_team: dict[int, list[tuple[Stats, Stats]]] = {}
    for row in rows:
        current = stats_of_row(row)
        draft = dict(current)
        if recounted is not None:
            draft[MetricCode.RESPONSE_SLA] = recounted.get(
                (row["employee_id"], row["day"]), (Decimal(0), Decimal(0))
            )
        by_employee.setdefault(row["employee_id"], []).append((current, draft))
        by_team.setdefault(row["team_id"], []).append((current, draft))
    current_version = version_in_force(scorecard=version.scorecard_id, day=date_to)
    return SimulationResult(
        version=version,
        current_version=current_version,
        date_from=date_from,
        date_to=date_to,
        employees=_simulated_totals(groups=by_employee, draft=version, current=current_version),
        teams=_simulated_totals(groups=by_team, draft=version, current=current_version),
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


# ---- goals ---------------------------------------------------------------------------------


def goal_validate(
    *, metric: str, target: Decimal, starts_on: dt.date, ends_on: dt.date, why: str
) -> None:
    """Refuse an unknown metric, a target out of its range, a reversed period or an empty why."""
    errors: dict[str, ValidationError] = {}
    if metric not in MetricCode.values:
        errors["metric"] = ValidationError(_("Choose a metric from the list."), code="invalid")
    else:
        low, high = METRIC_VALUE_RANGES[metric]
        label = MetricCode(metric).label
        if (low is not None and target < low) or (high is not None and target > high):
            if high is None:
                message = _("A target for %(metric)s must be %(low)s or more.")
            else:
                message = _("A target for %(metric)s must be between %(low)s and %(high)s.")
            errors["target"] = ValidationError(
                message,
                code="out_of_range",
                params={"metric": label, "low": low, "high": high},
            )
    if ends_on < starts_on:
        errors["ends_on"] = ValidationError(
            _("The goal cannot end before it starts."), code="ends_before_start"
        )
    if not why.strip():
        errors["why"] = ValidationError(
            _("Say in a few words why this goal matters."), code="required"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def goal_create(
    *,
    employee: Employee,
    set_by: Employee | None,
    metric: str,
    target: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
    why: str,
) -> Goal:
    """Create an employee's goal, set by themselves or by their manager."""
    goal_validate(metric=metric, target=target, starts_on=starts_on, ends_on=ends_on, why=why)
    return Goal.objects.create(
        employee=employee,
        set_by=set_by,
        metric=metric,
        target=target,
        starts_on=starts_on,
        ends_on=ends_on,
        why=why.strip(),
    )


@transaction.atomic
def goal_update(
    *, goal: Goal, metric: str, target: Decimal, starts_on: dt.date, ends_on: dt.date, why: str
) -> Goal:
    """Change a goal; it is open again until `goals_settle` judges its (new) period."""
    goal_validate(metric=metric, target=target, starts_on=starts_on, ends_on=ends_on, why=why)
    goal.metric = metric
    goal.target = target
    goal.starts_on = starts_on
    goal.ends_on = ends_on
    goal.why = why.strip()
    goal.status = GoalStatus.OPEN
    goal.save(update_fields=["metric", "target", "starts_on", "ends_on", "why", "status"])
    return goal


def goal_delete(*, goal: Goal) -> None:
    """Delete a goal."""
    goal.delete()


@transaction.atomic
def goals_settle(*, now: dt.datetime | None = None) -> int:
    """Judge every goal whose period is over and final met or missed; return how many changed.

    The goal's metric is pooled over its days (one query for all goals), so a goal with no
    scored day at all is missed. Settled goals are judged again: a late survey answer or an
    adjusted review can move a pooled value across the target, and the status must always
    agree with the value shown beside it. Safe to run again.
    """
    now = now or timezone.now()
    ended = Goal.objects.filter(ends_on__lte=last_final_day(now=now))
    # Locked apart from the pooling query: PostgreSQL refuses FOR UPDATE with GROUP BY.
    list(ended.select_for_update().order_by("pk").values_list("pk", flat=True))
    changed = 0
    for progress in goals_progress(goals=ended, now=now):
        status = GoalStatus.MET if progress.is_met else GoalStatus.MISSED
        if progress.goal.status != status:
            changed += Goal.objects.filter(pk=progress.goal.pk).update(status=status)
    return changed


# ---- change events, team moves, alerts, digests --------------------------------------------


@transaction.atomic
def change_event_record(
    *,
    day: dt.date,
    team: Team | None,
    kind: str,
    title: str,
    notes: str = "",
    created_by: Employee | None = None,
    is_automatic: bool = False,
    today: dt.date | None = None,
) -> ChangeEvent:
    """Record a change inside the business on a day, for one team or (no team) for everyone.

    A change recorded by hand has happened already; automatic ones (a planned team move, a
    version published ahead) may lie in the future.
    """
    today = today or timezone.localdate()
    if not is_automatic and day > today:
        raise ValidationError(
            {
                "day": ValidationError(
                    _("A change is recorded once it has happened: choose today or a past day."),
                    code="future_day",
                )
            }
        )
    event = ChangeEvent(
        day=day,
        team=team,
        kind=kind,
        title=title.strip(),
        notes=notes.strip(),
        is_automatic=is_automatic,
        created_by=created_by,
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def team_member_join(
    *,
    employee: Employee,
    team: Team,
    starts_on: dt.date,
    recorded_by: Employee | None = None,
    today: dt.date | None = None,
) -> TeamMembership:
    """Move the employee into the team, record the "joined team" event and rescore past days.

    Lives here rather than in staff.services because staff may not import scorecards: the
    membership change and its change event commit together or not at all.
    """
    today = today or timezone.localdate()
    membership = membership_start(employee=employee, team=team, starts_on=starts_on)
    change_event_record(
        day=starts_on,
        team=team,
        kind=ChangeKind.NEW_HIRE,
        title=_("%(name)s joined %(team)s") % {"name": employee.full_name, "team": team.name},
        created_by=recorded_by,
        is_automatic=True,
        today=today,
    )
    if starts_on <= today:
        # Days already scored with the old team are scored again with the new one.
        days_mark_dirty(
            pairs=[(employee.pk, day) for day in day_range(date_from=starts_on, date_to=today)]
        )
    return membership


def alert_acknowledge(*, alert: Alert, user, now: dt.datetime | None = None) -> Alert:
    """Record who acknowledged the alert and when; a second acknowledgement changes nothing."""
    Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now or timezone.now(), acknowledged_by=user
    )
    alert.refresh_from_db(fields=["acknowledged_at", "acknowledged_by"])
    return alert


DIGEST_SUBJECT_TEMPLATE = "scorecards/email/digest_subject.txt"
DIGEST_BODY_TEMPLATE = "scorecards/email/digest_body.txt"
# Long enough to cover the retries and duplicate deliveries of one weekly run.
_DIGEST_SENT_SECONDS = 8 * 24 * 60 * 60


def manager_digest_send(*, week_ending: dt.date) -> int:
    """E-mail each manager their teams' week, in their language; return how many mails went.

    The week is the seven days up to `week_ending`. Each manager's digest is marked as sent in
    the cache before it goes, so a retried or duplicated task sends it once; a failed send
    removes the mark again so the retry can send it.
    """
    sent = 0
    for digest in manager_digests(week_ending=week_ending):
        key = f"crs:digest:{week_ending.isoformat()}:{digest.manager.pk}"
        if not cache.add(key, True, timeout=_DIGEST_SENT_SECONDS):
            continue
        try:
            _digest_message(digest=digest).send()
        except Exception:
            cache.delete(key)
            raise
        sent += 1
    return sent


def _digest_message(*, digest) -> EmailMessage:
    manager = digest.manager
    with translation.override(manager.language):
        context = {
            "manager_name": manager.full_name,
            "date_from": date_format(digest.week.date_from, "DATE_FORMAT"),
            "date_to": date_format(digest.week.date_to, "DATE_FORMAT"),
            "teams": digest.teams,
        }
        subject = " ".join(render_to_string(DIGEST_SUBJECT_TEMPLATE, context).split())
        body = render_to_string(DIGEST_BODY_TEMPLATE, context)
    return EmailMessage(subject=subject, body=body, to=[manager.user.email])


# ---- rules, acknowledgements and the scorecard editor --------------------------------------

_EDITABLE_VERSION_FIELDS = ("sla_minutes", "green_from", "amber_from", "intro", "change_summary")
_EDITABLE_METRIC_FIELDS = (
    "label",
    "weight",
    "target",
    "floor",
    "min_sample",
    "rule_what",
    "rule_why",
    "rule_how",
)
_EDITABLE_CRITERION_FIELDS = ("label", "description", "examples", "weight", "is_critical")


@transaction.atomic
def rule_acknowledge(*, employee: Employee, version: ScorecardVersion) -> RuleAcknowledgement:
    """Record that the employee has read a published version; a repeat keeps the first date."""
    if not version.is_published:
        raise ValidationError(
            _("Only published rules can be acknowledged."), code="version_not_published"
        )
    acknowledgement, _created = RuleAcknowledgement.objects.get_or_create(
        employee=employee, version=version
    )
    return acknowledgement


def scorecard_version_draft_start(*, scorecard: Scorecard, day: dt.date) -> ScorecardVersion:
    """Start a draft from the version in force (else the latest one), or an empty first one."""
    base = (
        version_in_force(scorecard=scorecard, day=day)
        or scorecard.versions.order_by("-number").first()
    )
    if base is not None:
        return scorecard_version_draft_from(version=base)
    with transaction.atomic():
        Scorecard.objects.select_for_update().filter(pk=scorecard.pk).get()
        number = scorecard.versions.aggregate(number=Max("number"))["number"] or 0
        return ScorecardVersion.objects.create(
            scorecard=scorecard, number=number + 1, effective_from=day + dt.timedelta(days=1)
        )


def _parts_replace(
    *, model, version: ScorecardVersion, rows: Sequence[Mapping], fields: Sequence[str]
) -> None:
    """Make the version's metrics or criteria exactly the rows, matched by code, in order."""
    model.objects.filter(version=version).exclude(code__in=[row["code"] for row in rows]).delete()
    model.objects.bulk_create(
        [
            model(
                version=version,
                code=row["code"],
                position=position,
                **{name: row[name] for name in fields},
            )
            for position, row in enumerate(rows)
        ],
        update_conflicts=True,
        unique_fields=["version", "code"],
        update_fields=[*fields, "position"],
    )


@transaction.atomic
def scorecard_version_draft_update(
    *,
    version: ScorecardVersion,
    settings: Mapping,
    metrics: Sequence[Mapping],
    criteria: Sequence[Mapping],
) -> ScorecardVersion:
    """Replace a draft's settings, metrics and QA criteria, all or nothing.

    Metrics and criteria are matched by code: a listed code is created or updated at its place
    in the list, a code no longer listed is removed. A published version is refused.
    """
    version = ScorecardVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(
            _("Version %(number)s is published and can no longer be changed."),
            code="already_published",
            params={"number": version.number},
        )
    for name in _EDITABLE_VERSION_FIELDS:
        setattr(version, name, settings[name])
    version.save(update_fields=list(_EDITABLE_VERSION_FIELDS))
    _parts_replace(model=Metric, version=version, rows=metrics, fields=_EDITABLE_METRIC_FIELDS)
    _parts_replace(
        model=QACriterion, version=version, rows=criteria, fields=_EDITABLE_CRITERION_FIELDS
    )
    return version

"""Everything that reads scorecard data: versions in force, per-day statistics, pooled periods."""

import bisect
import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from customers.models import Interaction
from feedback.choices import ReviewStatus
from feedback.models import QAReview, SurveyResponse
from scorecards.choices import Band, MetricCode, VersionStatus
from scorecards.dirty import local_day, organisation_zone
from scorecards.models import (
    Alert,
    ChangeEvent,
    EmployeeDailyScore,
    Goal,
    Metric,
    RuleAcknowledgement,
    Scorecard,
    ScorecardVersion,
    TeamDailyScore,
)
from scorecards.scoring import (
    HIGHER_IS_BETTER,
    DayScore,
    MetricResult,
    MetricRule,
    metric_value,
    quantize,
    score_stats,
)
from scorecards.significance import Comparison, compare_windows
from staff.choices import Role
from staff.models import Employee, Team, TeamMembership
from staff.selectors import (
    employee_for_user,
    employees_visible_to,
    employees_writable_by,
    is_admin,
    role_for_user,
    rows_visible_to,
    teams_visible_to,
)

Stats = dict[str, tuple[Decimal, Decimal]]

STAT_COLUMNS: tuple[str, ...] = tuple(
    column for code in MetricCode.values for column in (f"{code}_num", f"{code}_den")
)

_ZERO = Decimal(0)
_ONE = Decimal(1)
# Read once: the enum builds its list of values anew on every access.
METRIC_CODES: tuple[str, ...] = tuple(MetricCode.values)
_MICROSECONDS_PER_MINUTE = Decimal(60_000_000)
_MICROSECONDS_PER_HOUR = Decimal(3_600_000_000)
# The num and den columns keep four decimal places; sums of minutes and hours are rounded there.
_STORED_PLACES = 4


def day_range(*, date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    """Return every day from date_from to date_to inclusive."""
    return [date_from + dt.timedelta(days=n) for n in range((date_to - date_from).days + 1)]


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=organisation_zone())


def _moment_range(*, date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return [start, end) of the organisation's calendar days date_from..date_to."""
    return _local_midnight(date_from), _local_midnight(date_to + dt.timedelta(days=1))


def _local_date(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=organisation_zone())


def _span(start: str, end: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


_STORED_STEP = Decimal(1).scaleb(-_STORED_PLACES)
_MICROSECOND = dt.timedelta(microseconds=1)


def _duration_in(total: dt.timedelta | None, unit: Decimal) -> Decimal:
    """Return a summed duration in the unit, rounded half up to the stored places."""
    if total is None:
        return _ZERO
    return (Decimal(total // _MICROSECOND) / unit).quantize(_STORED_STEP, rounding=ROUND_HALF_UP)


def stats_of_row(row: Mapping | object) -> Stats:
    """Return {code: (num, den)} from a daily score row, a dict of its columns or a model."""
    get = row.get if isinstance(row, Mapping) else lambda name: getattr(row, name)
    return {code: (get(f"{code}_num"), get(f"{code}_den")) for code in MetricCode.values}


def version_rules(version: ScorecardVersion) -> list[MetricRule]:
    """Return the version's metrics as scoring rules (uses prefetched metrics when present)."""
    return [
        MetricRule(
            code=metric.code,
            weight=metric.weight,
            target=metric.target,
            floor=metric.floor,
            min_sample=metric.min_sample,
        )
        for metric in version.metrics.all()
    ]


def version_score(*, version: ScorecardVersion, stats: Mapping) -> DayScore:
    """Score per-metric (num, den) under a version's rules and bands."""
    return score_stats(
        stats=stats,
        rules=version_rules(version),
        green_from=version.green_from,
        amber_from=version.amber_from,
    )


def version_in_force(*, scorecard, day: dt.date) -> ScorecardVersion | None:
    """Return the scorecard's latest published version effective on or before the day."""
    return (
        ScorecardVersion.objects.filter(
            scorecard=scorecard, status=VersionStatus.PUBLISHED, effective_from__lte=day
        )
        .prefetch_related("metrics")
        .order_by("-effective_from")
        .first()
    )


@dataclass(frozen=True)
class VersionTimeline:
    """The published versions of some scorecards up to a day, to pick the one in force by day."""

    by_scorecard: Mapping[int, Sequence[ScorecardVersion]]

    def in_force(self, *, scorecard_id: int | None, day: dt.date) -> ScorecardVersion | None:
        """Return the version of the scorecard in force on the day, or None."""
        versions = self.by_scorecard.get(scorecard_id, ())
        index = bisect.bisect_right([v.effective_from for v in versions], day)
        return versions[index - 1] if index else None

    @property
    def versions(self) -> list[ScorecardVersion]:
        """Return every loaded version."""
        return [v for versions in self.by_scorecard.values() for v in versions]


def version_timeline(*, scorecard_ids: Iterable[int] | None, until: dt.date) -> VersionTimeline:
    """Load, with their metrics, the published versions effective by `until` (two queries)."""
    versions = ScorecardVersion.objects.filter(
        status=VersionStatus.PUBLISHED, effective_from__lte=until
    )
    if scorecard_ids is not None:
        versions = versions.filter(scorecard_id__in=set(scorecard_ids))
    by_scorecard: dict[int, list[ScorecardVersion]] = {}
    for version in versions.prefetch_related("metrics").order_by("effective_from"):
        by_scorecard.setdefault(version.scorecard_id, []).append(version)
    return VersionTimeline(by_scorecard=by_scorecard)


def employees_scorecards_on(
    *, employee_ids: Collection[int], day: dt.date
) -> dict[int, int | None]:
    """Return each employee's scorecard on the day: their team's then, else their last team's.

    The membership started latest on or before the day wins, as when a day is scored.
    """
    scorecards: dict[int, int | None] = {}
    for employee_id, scorecard_id in (
        TeamMembership.objects.filter(employee_id__in=list(employee_ids), starts_on__lte=day)
        .order_by("employee_id", "starts_on", "pk")
        .values_list("employee_id", "team__scorecard_id")
    ):
        scorecards[employee_id] = scorecard_id
    return scorecards


def period_versions(
    *, scorecard_of: Mapping, date_to: dt.date, today: dt.date | None = None
) -> dict:
    """Return, per subject, the version that scores its period (the one rule, docs/SCORING.md).

    A period (a week, a goal, a dashboard range, an export, an API summary, a digest) is
    scored with its subject's scorecard version in force on the period's last day, or today
    if the period runs past today. `scorecard_of` maps each subject key to its scorecard id.
    Every page, e-mail and endpoint that shows a period's total picks its version here, so
    a manager never sees two totals for one period.
    """
    day = min(date_to, today or timezone.localdate())
    timeline = version_timeline(scorecard_ids={pk for pk in scorecard_of.values() if pk}, until=day)
    return {
        key: timeline.in_force(scorecard_id=scorecard_id, day=day) if scorecard_id else None
        for key, scorecard_id in scorecard_of.items()
    }


def period_version(
    *, scorecard_id: int | None, date_to: dt.date, today: dt.date | None = None
) -> ScorecardVersion | None:
    """Return the version that scores one subject's period ending on `date_to` (the rule of
    `period_versions`)."""
    return period_versions(scorecard_of={0: scorecard_id}, date_to=date_to, today=today)[0]


def days_final_at(
    *, date_from: dt.date, date_to: dt.date, timeline: VersionTimeline | None = None
) -> dict[dt.date, dt.datetime]:
    """Return, per day, the moment it becomes final: its end plus the longest SLA in force.

    Until then an interaction opened on the day may still turn into an SLA miss, so the day
    is scored "so far": no band, no alert, `volume` left out (docs/SCORING.md). `timeline`, when
    given, must hold every scorecard's versions up to `date_to`.
    """
    if timeline is None:
        # The SLA lengths alone, in one query: no metrics needed here.
        by_scorecard: dict[int, list] = {}
        for version in (
            ScorecardVersion.objects.filter(
                status=VersionStatus.PUBLISHED, effective_from__lte=date_to
            )
            .only("scorecard_id", "effective_from", "sla_minutes")
            .order_by("effective_from")
        ):
            by_scorecard.setdefault(version.scorecard_id, []).append(version)
        timeline = VersionTimeline(by_scorecard=by_scorecard)
    final_at = {}
    for day in day_range(date_from=date_from, date_to=date_to):
        longest = max(
            (
                version.sla_minutes
                for scorecard_id in timeline.by_scorecard
                if (version := timeline.in_force(scorecard_id=scorecard_id, day=day))
            ),
            default=0,
        )
        final_at[day] = _local_midnight(day + dt.timedelta(days=1)) + dt.timedelta(minutes=longest)
    return final_at


def last_final_day(*, now: dt.datetime) -> dt.date:
    """Return the latest day that is final at `now` (yesterday once its deadlines passed)."""
    yesterday = local_day(now) - dt.timedelta(days=1)
    # The longest SLA would have to exceed a week for the answer to lie further back.
    final_at = days_final_at(date_from=yesterday - dt.timedelta(days=7), date_to=yesterday)
    return max(
        (day for day, at in final_at.items() if now >= at), default=yesterday - dt.timedelta(days=8)
    )


def day_outcome(*, score: DayScore, is_worked: bool, is_final: bool) -> tuple[Decimal | None, str]:
    """Return the (total, band) a day shows: a total on worked days only, a band once final."""
    if not is_worked:
        return None, ""
    return score.total, score.band if is_final else ""


def version_rescored_days(
    *, version: ScorecardVersion, today: dt.date, effective_from: dt.date | None = None
) -> list[tuple[int, dt.date]]:
    """Return the (employee id, day) pairs that publishing the version makes score anew.

    They are the days from its effective date (or `effective_from`, the date a publication
    proposes), up to today or the day before the next published version takes effect, of the
    members of the teams that use its scorecard.
    """
    first = effective_from or version.effective_from
    later = (
        ScorecardVersion.objects.filter(
            scorecard_id=version.scorecard_id,
            status=VersionStatus.PUBLISHED,
            effective_from__gt=first,
        )
        .exclude(pk=version.pk)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    last = min(today, later - dt.timedelta(days=1)) if later else today
    if last < first:
        return []
    team_ids = Team.objects.filter(scorecard_id=version.scorecard_id).values_list("pk", flat=True)
    pairs = []
    for span in memberships_overlapping(date_from=first, date_to=last, team_ids=list(team_ids)):
        start = max(span.starts_on, first)
        end = min(span.ends_on or last, last)
        pairs.extend((span.employee_id, day) for day in day_range(date_from=start, date_to=end))
    return pairs


@dataclass(frozen=True)
class MembershipSpan:
    employee_id: int
    team_id: int
    scorecard_id: int | None
    starts_on: dt.date
    ends_on: dt.date | None

    def covers(self, day: dt.date) -> bool:
        """Tell whether the employee was a member on the day."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def memberships_overlapping(
    *,
    date_from: dt.date,
    date_to: dt.date,
    employee_ids: Collection[int] | None = None,
    team_ids: Collection[int] | None = None,
) -> list[MembershipSpan]:
    """Return the team memberships that overlap the days, with each team's scorecard."""
    memberships = TeamMembership.objects.filter(starts_on__lte=date_to).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=date_from)
    )
    if employee_ids is not None:
        memberships = memberships.filter(employee_id__in=employee_ids)
    if team_ids is not None:
        memberships = memberships.filter(team_id__in=team_ids)
    return [
        MembershipSpan(*values)
        for values in memberships.order_by("employee_id", "starts_on").values_list(
            "employee_id", "team_id", "team__scorecard_id", "starts_on", "ends_on"
        )
    ]


_VOLUME = MetricCode.VOLUME.value


def _as_decimal(number) -> Decimal:
    return Decimal(number or 0)


def _column_sums() -> dict[str, Sum]:
    return {column: Sum(column) for column in STAT_COLUMNS}


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


# A goal's target lies in its metric's value range; the rules page and the goal form share it.
METRIC_VALUE_RANGES: dict[str, tuple[Decimal | None, Decimal | None]] = {
    MetricCode.RESPONSE_SLA: (Decimal(0), Decimal(100)),
    MetricCode.FIRST_RESPONSE_MINUTES: (Decimal(0), None),
    MetricCode.FCR: (Decimal(0), Decimal(100)),
    MetricCode.RESOLUTION_HOURS: (Decimal(0), None),
    MetricCode.FOLLOW_UP: (Decimal(0), Decimal(100)),
    MetricCode.ESCALATION: (Decimal(0), Decimal(100)),
    MetricCode.CSAT: (Decimal(0), Decimal(100)),
    MetricCode.NPS: (Decimal(-100), Decimal(100)),
    MetricCode.QA: (Decimal(0), Decimal(100)),
    MetricCode.VOLUME: (Decimal(0), None),
}
RECENT_ITEMS = 10


def employee_team_on(*, employee, day: dt.date) -> Team | None:
    """Return the team the employee was a member of on the day, or None."""
    membership = (
        TeamMembership.objects.filter(employee=employee, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("team")
        .first()
    )
    return membership.team if membership is not None else None


def target_is_met(*, code: str, value: Decimal | None, target: Decimal) -> bool:
    """Tell whether a value reaches the target in the metric's better direction."""
    if value is None:
        return False
    return value >= target if HIGHER_IS_BETTER[code] else value <= target


@dataclass(frozen=True)
class MetricLine:
    """A metric of the version in force with today's and the period's pooled results."""

    metric: Metric
    label: str
    rule_what: str
    rule_why: str
    rule_how: str
    today: MetricResult | None
    period: MetricResult | None

    @property
    def higher_is_better(self) -> bool:
        """Tell whether a higher value is better for this metric."""
        return HIGHER_IS_BETTER[self.metric.code]

    @property
    def period_meets_target(self) -> bool:
        """Tell whether the period's pooled value reaches the target."""
        value = self.period.value if self.period is not None else None
        return target_is_met(code=self.metric.code, value=value, target=self.metric.target)


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
class GoalProgress:
    """A goal with its metric pooled over the goal's days so far."""

    goal: Goal
    num: Decimal
    den: Decimal
    value: Decimal | None
    is_met: bool
    is_over: bool
    # Over, and its last day final: met or missed is then judged from `value`, shown beside it.
    is_settled: bool

    @property
    def percent(self) -> int:
        """Return how far the value has come towards the target, 0..100, for a progress bar."""
        value, target = self.value, self.goal.target
        if value is None:
            return 0
        if self.is_met:
            return 100
        if HIGHER_IS_BETTER[self.goal.metric]:
            ratio = value / target if target > 0 else Decimal(0)
        else:
            ratio = target / value if value > 0 else Decimal(1)
        return int(max(min(ratio, _ONE), _ZERO) * 100)


def _pooled_goal_column(suffix: str, *, until: dt.date) -> Sum:
    """Sum the daily column of each goal's own metric over the goal's days up to `until`."""
    scores = "employee__daily_scores"
    return Sum(
        Case(
            *[
                When(metric=code, then=F(f"{scores}__{code}_{suffix}"))
                for code in MetricCode.values
            ],
            output_field=DecimalField(max_digits=18, decimal_places=4),
        ),
        filter=Q(
            **{
                f"{scores}__day__gte": F("starts_on"),
                f"{scores}__day__lte": F("ends_on"),
            }
        )
        & Q(**{f"{scores}__day__lte": until}),
    )


def goals_with_pooled(*, goals: QuerySet[Goal], until: dt.date) -> QuerySet[Goal]:
    """Annotate each goal with its metric's num and den summed over its days up to `until`."""
    return goals.annotate(
        pooled_num=_pooled_goal_column("num", until=until),
        pooled_den=_pooled_goal_column("den", until=until),
    )


def goal_progress_of(*, goal: Goal, until: dt.date, final_until: dt.date) -> GoalProgress:
    """Return the progress of a goal annotated by `goals_with_pooled`.

    `final_until` is the last final day (`last_final_day`): a goal ending by then is settled.
    """
    num, den = _as_decimal(goal.pooled_num), _as_decimal(goal.pooled_den)
    value = quantize(metric_value(code=goal.metric, num=num, den=den))
    return GoalProgress(
        goal=goal,
        num=num,
        den=den,
        value=value,
        is_met=target_is_met(code=goal.metric, value=value, target=goal.target),
        is_over=goal.ends_on < until,
        is_settled=goal.ends_on <= final_until,
    )


def goals_progress(
    *, goals: QuerySet[Goal], now: dt.datetime, limit: int | None = None
) -> list[GoalProgress]:
    """Return each goal (the first `limit`) with its metric pooled up to today (one query)."""
    until = local_day(now)
    final_until = last_final_day(now=now)
    pooled = goals_with_pooled(goals=goals, until=until)
    return [
        goal_progress_of(goal=goal, until=until, final_until=final_until)
        for goal in (pooled[:limit] if limit is not None else pooled)
    ]


def employee_goals(*, employee, ordering: Sequence[str] = ("-starts_on",)) -> QuerySet[Goal]:
    """Return the employee's goals, with who set them, in the given order."""
    return (
        Goal.objects.filter(employee=employee)
        .select_related("set_by__user")
        .order_by(*ordering, "-pk")
    )


def goals_editable_by(*, user, employee: Employee) -> QuerySet[Goal]:
    """Return the employee's goals the user may change or delete.

    A manager (or admin) changes any goal of a current member; people change their own goals
    only those they set themselves, not one their manager set for them.
    """
    if not employees_writable_by(user=user).filter(pk=employee.pk).exists():
        return Goal.objects.none()
    goals = Goal.objects.filter(employee=employee)
    if employee == employee_for_user(user=user):
        return goals.filter(Q(set_by__isnull=True) | Q(set_by=employee))
    return goals


@dataclass(frozen=True)
class EmployeeOverview:
    """What an agent's home (and a manager's view of that agent) shows."""

    employee: Employee
    team: Team | None
    version: ScorecardVersion | None
    today: dt.date
    date_from: dt.date
    today_point: TrendPoint
    today_resolved: int
    today_score: DayScore | None
    period_score: DayScore | None
    period: PeriodSummary
    as_of: dt.datetime | None
    trend: list[TrendPoint]
    metrics: list[MetricLine]
    goals: list[GoalProgress]
    interactions: list[Interaction]
    survey_comments: list[SurveyResponse]
    reviews: list[QAReview]
    draft_reviews: list[QAReview]
    flagged_unreviewed: list[Interaction]

    @property
    def days(self) -> int:
        return (self.today - self.date_from).days + 1

    @property
    def today_total(self) -> Decimal | None:
        """Return today's total so far as the engine stored it (None on a day not worked)."""
        return self.today_point.total

    @property
    def volume_target(self) -> Decimal | None:
        """Return the `volume` target of the version in force, for today's progress line."""
        for line in self.metrics:
            if line.metric.code == _VOLUME:
                return line.metric.target
        return None

    @property
    def period_total(self) -> Decimal | None:
        return quantize(self.period_score.total) if self.period_score is not None else None


SHOWN_REVIEW_STATUSES = (ReviewStatus.PUBLISHED, ReviewStatus.DISPUTED, ReviewStatus.RESOLVED)


def employee_overview(
    *,
    employee,
    user,
    today: dt.date,
    days: int = 30,
    language: str = "en",
    with_reviews_to_do: bool = False,
    now: dt.datetime | None = None,
) -> EmployeeOverview:
    """Return an employee's day, trend, metrics, goals and feedback; queries do not grow with data.

    The period is scored by the period rule (`period_versions`), which for a period ending
    today is the version in force today: the metric table's two columns are comparable.
    Today's total and band are the stored row's: "so far" until the day is final. The recent
    interactions, comments and reviews are those `user` may read (`rows_visible_to`).
    """
    now = now or timezone.now()
    date_from = today - dt.timedelta(days=days - 1)
    team = employee_team_on(employee=employee, day=today)
    rows = {
        row.day: row
        for row in EmployeeDailyScore.objects.filter(
            employee=employee, day__gte=date_from, day__lte=today
        ).only(
            "day",
            "total",
            "band",
            "is_worked",
            "is_final",
            "computed_at",
            "version_id",
            *STAT_COLUMNS,
        )
    }
    period = employee_period_summary(employee=employee, date_from=date_from, date_to=today)
    version = period.version
    if version is None and team is not None and team.scorecard_id is not None:
        # Nothing scored yet: the rules in force still name the metrics and their targets.
        version = version_in_force(scorecard=team.scorecard_id, day=today)
    today_row = rows.get(today)
    today_score = period_score = None
    if version is not None:
        period_score = version_score(version=version, stats=period.stats) if period.days else None
        if today_row is not None:
            today_score = version_score(version=version, stats=stats_of_row(today_row))
    metrics = [
        MetricLine(
            metric=metric,
            label=metric.localized("label", language),
            rule_what=metric.localized("rule_what", language),
            rule_why=metric.localized("rule_why", language),
            rule_how=metric.localized("rule_how", language),
            today=today_score.metrics.get(metric.code) if today_score else None,
            period=period_score.metrics.get(metric.code) if period_score else None,
        )
        for metric in (version.metrics.all() if version is not None else [])
    ]
    trend = [
        TrendPoint.of(day=day, row=rows.get(day))
        for day in day_range(date_from=date_from, date_to=today)
    ]
    reviews = rows_visible_to(
        user=user,
        queryset=QAReview.objects.filter(interaction__employee=employee),
        day_field="interaction__opened_at__date",
        employee_field="interaction__employee",
    ).select_related("interaction", "reviewer__user")
    return EmployeeOverview(
        employee=employee,
        team=team,
        version=version,
        today=today,
        date_from=date_from,
        today_point=trend[-1],
        today_resolved=int(today_row.volume_num) if today_row is not None else 0,
        today_score=today_score,
        period_score=period_score,
        period=period,
        as_of=max((row.computed_at for row in rows.values()), default=None),
        trend=trend,
        metrics=metrics,
        goals=goals_progress(
            goals=employee_goals(employee=employee).filter(
                ends_on__gte=today - dt.timedelta(days=days)
            ),
            now=now,
            limit=RECENT_ITEMS,
        ),
        interactions=list(
            rows_visible_to(
                user=user,
                queryset=Interaction.objects.filter(employee=employee),
                day_field="opened_at__date",
            )
            .select_related("customer")
            .order_by("-opened_at", "-pk")[:RECENT_ITEMS]
        ),
        survey_comments=list(
            rows_visible_to(
                user=user,
                queryset=SurveyResponse.objects.filter(interaction__employee=employee),
                day_field="interaction__opened_at__date",
                employee_field="interaction__employee",
            )
            .exclude(comment="")
            .select_related("interaction")
            .order_by("-submitted_at", "-pk")[:RECENT_ITEMS]
        ),
        reviews=list(
            reviews.filter(status__in=SHOWN_REVIEW_STATUSES).order_by("-published_at", "-pk")[
                :RECENT_ITEMS
            ]
        ),
        draft_reviews=list(
            reviews.filter(status=ReviewStatus.DRAFT).order_by("created_at", "pk")[:RECENT_ITEMS]
        )
        if with_reviews_to_do
        else [],
        flagged_unreviewed=list(
            rows_visible_to(
                user=user,
                queryset=Interaction.objects.filter(
                    employee=employee, is_flagged_for_review=True, qa_reviews__isnull=True
                ),
                day_field="opened_at__date",
            )
            .select_related("customer")
            .order_by("opened_at", "pk")[:RECENT_ITEMS]
        )
        if with_reviews_to_do
        else [],
    )


@dataclass(frozen=True)
class Contribution:
    """One interaction, survey response or QA review and what it adds to a metric's num and den."""

    source: Interaction | SurveyResponse | QAReview
    num: Decimal
    den: Decimal

    @property
    def kind(self) -> str:
        """Name the source's table for the page: interaction, survey or review."""
        if isinstance(self.source, SurveyResponse):
            return "survey"
        if isinstance(self.source, QAReview):
            return "review"
        return "interaction"


@dataclass(frozen=True)
class MetricExplanation:
    metric: Metric
    label: str
    result: MetricResult
    stored: tuple[Decimal, Decimal] | None
    contributions: list[Contribution]

    @property
    def stored_differs(self) -> bool:
        """Tell whether the stored row counted something else (it is recomputed at the next run)."""
        return self.stored is not None and self.stored != (self.result.num, self.result.den)


@dataclass(frozen=True)
class DayExplanation:
    """An employee's day: per metric its num and den and the records that made them."""

    employee: Employee
    day: dt.date
    version: ScorecardVersion | None
    row: EmployeeDailyScore | None
    point: "TrendPoint"
    stats: Stats
    score: DayScore | None
    metrics: list[MetricExplanation]
    interactions: list[Interaction]
    responses: list[SurveyResponse]
    reviews: list[QAReview]


def _minutes(span: dt.timedelta) -> Decimal:
    return Decimal(span // dt.timedelta(microseconds=1)) / _MICROSECONDS_PER_MINUTE


def _hours(span: dt.timedelta) -> Decimal:
    return Decimal(span // dt.timedelta(microseconds=1)) / _MICROSECONDS_PER_HOUR


def _day_contributions(
    *,
    day: dt.date,
    interactions: Sequence[Interaction],
    responses: Sequence[SurveyResponse],
    reviews: Sequence[QAReview],
    sla_minutes: int,
    now: dt.datetime,
    is_final: bool,
) -> tuple[Stats, dict[str, list[Contribution]]]:
    """Count a day's records the way `employee_day_stats` does, keeping each record's share.

    Each rule mirrors one filter of the engine's grouped queries; a test compares the two on
    the same data so that they cannot drift apart.
    """
    start, end = _moment_range(date_from=day, date_to=day)
    today = local_day(now)
    limit = dt.timedelta(minutes=sla_minutes)
    parts: dict[str, list[Contribution]] = {code: [] for code in MetricCode.values}
    response_time = dt.timedelta(0)
    resolution_time = dt.timedelta(0)

    def add(code: str, source, num, den) -> None:
        parts[code].append(Contribution(source=source, num=Decimal(num), den=Decimal(den)))

    for item in interactions:
        answered = item.first_response_at is not None
        if start <= item.opened_at < end:
            within = answered and item.first_response_at <= item.opened_at + limit
            due = answered or item.opened_at <= now - limit
            add(MetricCode.RESPONSE_SLA, item, int(within), int(due))
            if answered:
                span = item.first_response_at - item.opened_at
                response_time += span
                add(MetricCode.FIRST_RESPONSE_MINUTES, item, _minutes(span), 1)
        if item.resolved_at is not None and start <= item.resolved_at < end:
            add(MetricCode.FCR, item, int(item.is_first_contact_resolution), 1)
            add(MetricCode.ESCALATION, item, int(item.is_escalated), 1)
            span = item.resolved_at - item.opened_at
            resolution_time += span
            add(MetricCode.RESOLUTION_HOURS, item, _hours(span), 1)
            add(MetricCode.VOLUME, item, 1, 0)
        if item.follow_up_due == day:
            done_on = local_day(item.follow_up_done_at)
            in_time = done_on is not None and done_on <= item.follow_up_due
            # Until its due day is over, a follow-up counts only once it is done.
            counts = item.follow_up_due < today or done_on is not None
            add(MetricCode.FOLLOW_UP, item, int(in_time), int(counts))
    for response in responses:
        add(MetricCode.CSAT, response, int(response.csat >= 4), 1)
        if response.nps is not None:
            add(MetricCode.NPS, response, int(response.nps >= 9) - int(response.nps <= 6), 1)
    for review in reviews:
        add(MetricCode.QA, review, review.total or 0, 1)

    stats: Stats = {
        code: (sum((c.num for c in parts[code]), _ZERO), sum((c.den for c in parts[code]), _ZERO))
        for code in MetricCode.values
    }
    # Durations are summed first and rounded once, as the stored columns are.
    stats[MetricCode.FIRST_RESPONSE_MINUTES] = (
        _duration_in(response_time, _MICROSECONDS_PER_MINUTE),
        stats[MetricCode.FIRST_RESPONSE_MINUTES][1],
    )
    stats[MetricCode.RESOLUTION_HOURS] = (
        _duration_in(resolution_time, _MICROSECONDS_PER_HOUR),
        stats[MetricCode.RESOLUTION_HOURS][1],
    )
    # A final worked day is one sample of volume (docs/SCORING.md, worked days).
    stats[MetricCode.VOLUME] = (
        stats[MetricCode.VOLUME][0],
        _ONE if is_final and day_is_worked(day=day, interactions=interactions) else _ZERO,
    )
    return stats, parts


def day_is_worked(*, day: dt.date, interactions: Iterable[Interaction]) -> bool:
    """Tell whether any of the interactions was opened or resolved on the day (a worked day)."""
    return any(
        local_day(item.opened_at) == day or local_day(item.resolved_at) == day
        for item in interactions
    )


def employee_day_explanation(
    *, employee, day: dt.date, now: dt.datetime | None = None, language: str = "en"
) -> DayExplanation:
    """Explain an employee's day: per metric its num and den and the records behind them.

    One query per source table (interactions, survey responses, QA reviews), with the same
    filters as `employee_day_stats`; `now` decides, as there, what is already due.
    """
    now = now or timezone.now()
    row = (
        EmployeeDailyScore.objects.filter(employee=employee, day=day)
        .select_related("version")
        .prefetch_related("version__metrics")
        .first()
    )
    version = row.version if row is not None else None
    if version is None:
        team = employee_team_on(employee=employee, day=day)
        if team is not None and team.scorecard_id is not None:
            version = version_in_force(scorecard=team.scorecard_id, day=day)
    start, end = _moment_range(date_from=day, date_to=day)
    interactions = list(
        Interaction.objects.filter(employee=employee)
        .filter(
            Q(opened_at__gte=start, opened_at__lt=end)
            | Q(resolved_at__gte=start, resolved_at__lt=end)
            | Q(follow_up_due=day)
        )
        .select_related("customer")
        .order_by("opened_at", "pk")
    )
    responses = list(
        SurveyResponse.objects.filter(
            interaction__employee=employee, submitted_at__gte=start, submitted_at__lt=end
        )
        .select_related("interaction")
        .order_by("submitted_at", "pk")
    )
    reviews = list(
        QAReview.objects.scored()
        .filter(
            interaction__employee=employee,
            scored_at__gte=start,
            scored_at__lt=end,
        )
        .select_related("interaction", "reviewer__user")
        .order_by("scored_at", "pk")
    )
    sla_minutes = version.sla_minutes if version is not None else 0
    is_final = now >= days_final_at(date_from=day, date_to=day)[day]
    is_worked = day_is_worked(day=day, interactions=interactions)
    stats, parts = _day_contributions(
        day=day,
        interactions=interactions,
        responses=responses,
        reviews=reviews,
        sla_minutes=sla_minutes,
        now=now,
        is_final=is_final,
    )
    if version is None:
        # Without a version there is no SLA to count against.
        stats[MetricCode.RESPONSE_SLA] = (_ZERO, _ZERO)
        parts[MetricCode.RESPONSE_SLA] = []
    score = version_score(version=version, stats=stats) if version is not None else None
    if score is not None:
        total, band = day_outcome(score=score, is_worked=is_worked, is_final=is_final)
        score = DayScore(total=total, band=band, metrics=score.metrics)
    stored = stats_of_row(row) if row is not None else None
    metrics = [
        MetricExplanation(
            metric=metric,
            label=metric.localized("label", language),
            result=score.metrics[metric.code],
            stored=stored[metric.code] if stored is not None else None,
            contributions=parts[metric.code],
        )
        for metric in (version.metrics.all() if version is not None else [])
    ]
    return DayExplanation(
        employee=employee,
        day=day,
        version=version,
        row=row,
        point=TrendPoint(
            day=day,
            total=score.total if score else None,
            band=score.band if score else "",
            is_worked=is_worked,
            is_final=is_final,
            is_scored=score is not None,
        ),
        stats=stats,
        score=score,
        metrics=metrics,
        interactions=interactions,
        responses=responses,
        reviews=reviews,
    )


IMPACT_WINDOW_DAYS = 14
_BAND_ORDER = {"green": 0, "amber": 1, "red": 2}


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
class MemberFigures:
    """A team member's pooled figures in the period and in the period before."""

    employee: Employee
    current: Pooled
    previous: Pooled

    @property
    def change(self) -> Decimal | None:
        """Return the change of the total since the previous period, when both exist."""
        if self.current.total is None or self.previous.total is None:
            return None
        return self.current.total - self.previous.total


@dataclass(frozen=True)
class TeamDashboard:
    """Everything the team dashboard shows for one period."""

    team: Team
    period: Period
    previous_period: Period
    version: ScorecardVersion | None
    current: Pooled
    previous: Pooled
    trend: list[TrendPoint]
    events: list[ChangeEvent]
    members: list[MemberFigures]
    member_count: int
    member_page: Page | None  # None: every member, in `members`
    alerts: list[Alert]
    as_of: dt.datetime | None

    @property
    def change(self) -> Decimal | None:
        """Return the change of the team total since the previous period, when both exist."""
        if self.current.total is None or self.previous.total is None:
            return None
        return self.current.total - self.previous.total

    @property
    def metrics(self) -> list:
        """Return the version's metrics, each with its pooled result for the period."""
        if self.version is None:
            return []
        return [
            (metric, self.current.metrics.get(metric.code)) for metric in self.version.metrics.all()
        ]


MEMBER_SORT_KEYS: tuple[str, ...] = ("name", "total", "band", "change", *MetricCode.values)
DASHBOARD_ALERT_LIMIT = 20
MEMBERS_PER_PAGE = 25


def _name_key(employee: Employee) -> str:
    return employee.full_name.casefold()


def _member_sort_value(member: MemberFigures, key: str):
    if key == "total":
        return member.current.total
    if key == "band":
        return _BAND_ORDER.get(member.current.band)
    if key == "change":
        return member.change
    result = member.current.metrics.get(key)
    return result.value if result is not None else None


def members_sorted(members: Iterable[MemberFigures], *, sort: str) -> list[MemberFigures]:
    """Sort members by "name", "total", "band", "change" or a metric code; "-" descends.

    Members without a figure for the column come last either way; ties keep name order.
    """
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    by_name = sorted(members, key=lambda member: _name_key(member.employee))
    if key not in MEMBER_SORT_KEYS or key == "name":
        return by_name[::-1] if descending and key == "name" else by_name
    present = [m for m in by_name if _member_sort_value(m, key) is not None]
    missing = [m for m in by_name if _member_sort_value(m, key) is None]
    present.sort(key=lambda member: _member_sort_value(member, key), reverse=descending)
    return present + missing


def team_dashboard(
    *, team: Team, period: Period, sort: str = "name", member_page: int | str | None = None
) -> TeamDashboard:
    """Return the team's pooled figures, trend, members, events and open alerts for a period.

    With `member_page`, `members` holds that page (MEMBERS_PER_PAGE, in `sort` order) and
    `member_page` the Paginator's page; without it, every member.

    A fixed number of queries whatever the team's size or the period's length: the team's and
    the members' num/den are summed by grouped queries over both periods at once.
    """
    previous = period.previous()
    windows = {"cur": period, "prev": previous}
    team_rows = TeamDailyScore.objects.filter(team=team)
    team_sums = _window_sums(rows=team_rows, group=(), windows=windows)[()]
    # Both periods are scored with the current period's version, so a new version taking
    # effect cannot itself look like a change in performance.
    version = period_version(scorecard_id=team.scorecard_id, date_to=period.date_to)

    # Who is listed comes from the memberships (the engine writes a team's rows only for
    # employees who were its members that day), whatever the sort or page.
    member_ids = {
        span.employee_id
        for span in memberships_overlapping(
            date_from=period.date_from, date_to=period.date_to, team_ids=[team.pk]
        )
    }
    employees = list(Employee.objects.select_related("user").filter(pk__in=member_ids))
    page = None
    if member_page is not None and sort.removeprefix("-") == "name":
        # In name order only the page's members need figures: summing every member's rows
        # would make a large team's first page as slow as its CSV export.
        employees.sort(key=_name_key, reverse=sort == "-name")
        page = Paginator(employees, MEMBERS_PER_PAGE).get_page(member_page)
        employees = list(page)
    member_sums = _window_sums(
        rows=EmployeeDailyScore.objects.filter(
            team=team, employee_id__in=[employee.pk for employee in employees]
        ),
        group=("employee_id",),
        windows=windows,
    )
    members = []
    for employee in employees:
        sums = member_sums.get((employee.pk,))
        if sums is None:
            members.append(MemberFigures(employee=employee, current=_NOTHING, previous=_NOTHING))
            continue
        members.append(
            MemberFigures(
                employee=employee,
                current=_pooled(version=version, rows=sums["cur"][0], stats=sums["cur"][1]),
                previous=_pooled(version=version, rows=sums["prev"][0], stats=sums["prev"][1]),
            )
        )
    if page is None:
        members = members_sorted(members, sort=sort)
        if member_page is not None:
            page = Paginator(members, MEMBERS_PER_PAGE).get_page(member_page)
            members = list(page)

    stored = {
        row["day"]: row
        for row in team_rows.filter(day__gte=period.date_from, day__lte=period.date_to).values(
            "day", "total", "band", "is_worked", "is_final"
        )
    }
    trend = [TrendPoint.of(day=day, row=stored.get(day)) for day in period.day_list()]
    events = list(
        ChangeEvent.objects.filter(Q(team=team) | Q(team__isnull=True))
        .filter(day__gte=period.date_from, day__lte=period.date_to)
        .order_by("day", "pk")
    )
    alerts = list(
        Alert.objects.filter(acknowledged_at__isnull=True)
        .filter(Q(team=team) | Q(employee_id__in=member_ids))
        .select_related("employee__user", "team")
        .order_by("-day", "-pk")[:DASHBOARD_ALERT_LIMIT]
    )
    return TeamDashboard(
        team=team,
        period=period,
        previous_period=previous,
        version=version,
        current=_pooled(version=version, rows=team_sums["cur"][0], stats=team_sums["cur"][1]),
        previous=_pooled(version=version, rows=team_sums["prev"][0], stats=team_sums["prev"][1]),
        trend=trend,
        events=events,
        members=members,
        member_count=len(member_ids),
        member_page=page,
        alerts=alerts,
        as_of=team_sums["as_of"],
    )


@dataclass(frozen=True)
class TeamFigures:
    team: Team
    version: ScorecardVersion | None
    current: Pooled


@dataclass(frozen=True)
class TeamsComparison:
    """Teams side by side over one period, with each team's daily totals for a chart."""

    period: Period
    teams: list[TeamFigures]
    metric_codes: list[str]
    trend: dict[int, list[Decimal | None]]
    as_of: dt.datetime | None


def teams_comparison(*, teams: QuerySet[Team], period: Period) -> TeamsComparison:
    """Return every given team's pooled figures and daily totals over the period."""
    teams = list(teams.order_by("name"))
    team_ids = [team.pk for team in teams]
    rows = TeamDailyScore.objects.filter(team_id__in=team_ids)
    sums = _window_sums(rows=rows, group=("team_id",), windows={"cur": period})
    versions = period_versions(
        scorecard_of={team.pk: team.scorecard_id for team in teams}, date_to=period.date_to
    )
    figures = []
    for team in teams:
        count, stats = sums.get((team.pk,), {}).get("cur", (0, _empty_stats()))
        version = versions.get(team.pk)
        figures.append(
            TeamFigures(
                team=team,
                version=version,
                current=_pooled(version=version, rows=count, stats=stats),
            )
        )
    codes = {
        metric.code for version in versions.values() if version for metric in version.metrics.all()
    }
    days = {day: index for index, day in enumerate(period.day_list())}
    trend = {team_id: [None] * len(days) for team_id in team_ids}
    for team_id, day, total in rows.filter(
        day__gte=period.date_from, day__lte=period.date_to
    ).values_list("team_id", "day", "total"):
        trend[team_id][days[day]] = total
    as_of = max((entry["as_of"] for entry in sums.values() if entry["as_of"]), default=None)
    return TeamsComparison(
        period=period,
        teams=figures,
        metric_codes=[code for code in MetricCode.values if code in codes],
        trend=trend,
        as_of=as_of,
    )


def manages_teams(*, user) -> bool:
    """Tell whether the user reads team pages: admins and managers."""
    if is_admin(user=user):
        return True
    employee = getattr(user, "employee", None)
    return employee is not None and employee.role == Role.MANAGER


def change_events_visible_to(*, user) -> QuerySet[ChangeEvent]:
    """Return the change events the user may read: their teams' and everyone's (admins: all)."""
    if is_admin(user=user):
        return ChangeEvent.objects.all()
    if not manages_teams(user=user):
        return ChangeEvent.objects.none()
    return ChangeEvent.objects.filter(
        Q(team__in=teams_visible_to(user=user)) | Q(team__isnull=True)
    )


def change_event_list(*, user, team: Team | None = None) -> QuerySet[ChangeEvent]:
    """Return the user's visible change events, newest first, optionally of one team only."""
    events = change_events_visible_to(user=user).select_related("team", "created_by__user")
    if team is not None:
        events = events.filter(team=team)
    return events.order_by("-day", "-pk")


@dataclass(frozen=True)
class WindowValue:
    num: Decimal
    den: Decimal
    value: Decimal | None


@dataclass(frozen=True)
class MetricImpact:
    """A metric pooled before and after a change, with whether it moved beyond noise."""

    code: str
    label: str
    before: WindowValue
    after: WindowValue
    comparison: Comparison

    @property
    def difference(self) -> Decimal | None:
        """Return after minus before, when both have a value."""
        if self.before.value is None or self.after.value is None:
            return None
        return self.after.value - self.before.value

    @property
    def is_improvement(self) -> bool | None:
        """Tell whether the difference is for the better (None without a difference)."""
        if not self.difference:
            return None
        return (self.difference > 0) == HIGHER_IS_BETTER[self.code]


@dataclass(frozen=True)
class ChangeImpact:
    """A change event's metrics pooled over the days before it and from its day on."""

    event: ChangeEvent
    before_period: Period
    after_period: Period
    version: ScorecardVersion | None
    before: Pooled
    after: Pooled
    metrics: list[MetricImpact]
    today: dt.date
    # The last final day: only final days are compared.
    final_until: dt.date

    @property
    def is_running(self) -> bool:
        """Tell whether the days after the change are not all final yet."""
        return self.after_period.date_to > self.final_until


def _window_value(code: str, num: Decimal, den: Decimal) -> WindowValue:
    return WindowValue(num=num, den=den, value=metric_value(code=code, num=num, den=den))


def change_event_impact(
    *,
    event: ChangeEvent,
    today: dt.date,
    window_days: int = IMPACT_WINDOW_DAYS,
    now: dt.datetime | None = None,
) -> ChangeImpact:
    """Pool each metric over the days before the event and from its day on, and compare them.

    A team's event pools the team's daily rows and scores them with the team's version; an
    event for everyone pools every team's rows, whose scorecards may differ, so only the
    metric values are compared and no total is given.
    """
    before = Period(
        date_from=event.day - dt.timedelta(days=window_days),
        date_to=event.day - dt.timedelta(days=1),
    )
    after = Period(date_from=event.day, date_to=event.day + dt.timedelta(days=window_days - 1))
    # Final days only: today's "so far" figures (volume not yet counted, SLA deadlines still
    # running) would make the days after any change look worse.
    rows = TeamDailyScore.objects.filter(is_final=True)
    if event.team_id is not None:
        rows = rows.filter(team_id=event.team_id)
    sums = _window_sums(rows=rows, group=(), windows={"before": before, "after": after})[()]
    version = None
    if event.team_id is not None:
        version = period_version(
            scorecard_id=event.team.scorecard_id, date_to=after.date_to, today=today
        )
    (before_rows, before_stats), (after_rows, after_stats) = sums["before"], sums["after"]
    if version is not None:
        labelled = [(metric.code, metric.label) for metric in version.metrics.all()]
    else:
        labelled = [
            (code, label)
            for code, label in MetricCode.choices
            if before_stats[code][1] or after_stats[code][1]
        ]
    metrics = [
        MetricImpact(
            code=code,
            label=label,
            before=_window_value(code, *before_stats[code]),
            after=_window_value(code, *after_stats[code]),
            comparison=compare_windows(
                code=code, before=before_stats[code], after=after_stats[code]
            ),
        )
        for code, label in labelled
    ]
    return ChangeImpact(
        event=event,
        before_period=before,
        after_period=after,
        version=version,
        before=_pooled(version=version, rows=before_rows, stats=before_stats),
        after=_pooled(version=version, rows=after_rows, stats=after_stats),
        metrics=metrics,
        today=today,
        final_until=last_final_day(now=now or timezone.now()),
    )


ALERT_STATUSES = ("open", "acknowledged", "all")


def alerts_visible_to(*, user) -> QuerySet[Alert]:
    """Return the alerts the user may read: their teams', and their people's of the days those
    people were in their teams (admins: all)."""
    if is_admin(user=user):
        return Alert.objects.all()
    if not manages_teams(user=user):
        return Alert.objects.none()
    of_people = rows_visible_to(
        user=user, queryset=Alert.objects.filter(employee__isnull=False), day_field="day"
    )
    return Alert.objects.filter(
        Q(team__in=teams_visible_to(user=user)) | Q(pk__in=of_people.values("pk"))
    )


def alerts_writable_by(*, user) -> QuerySet[Alert]:
    """Return the alerts the user may acknowledge: a former member's stay as they are."""
    return alerts_visible_to(user=user).filter(
        Q(employee__isnull=True) | Q(employee__in=employees_writable_by(user=user).values("pk"))
    )


def alert_list(*, user, status: str = "open") -> QuerySet[Alert]:
    """Return the user's visible alerts, newest first, filtered by open/acknowledged/all."""
    alerts = alerts_visible_to(user=user).select_related(
        "employee__user", "team", "acknowledged_by"
    )
    if status == "open":
        alerts = alerts.filter(acknowledged_at__isnull=True)
    elif status == "acknowledged":
        alerts = alerts.filter(acknowledged_at__isnull=False)
    return alerts.order_by("-day", "-pk")


@dataclass(frozen=True)
class PersonAttention:
    """A team member who needs a look: red over the week, or with open alerts."""

    employee: Employee
    week: Pooled
    alerts: list[Alert]


@dataclass(frozen=True)
class TeamWeek:
    team: Team
    week: Pooled
    previous: Pooled
    attention: list[PersonAttention]

    @property
    def change(self) -> Decimal | None:
        """Return the change of the pooled total since the week before, when both exist."""
        if self.week.total is None or self.previous.total is None:
            return None
        return self.week.total - self.previous.total


@dataclass(frozen=True)
class ManagerDigest:
    manager: Employee
    week: Period
    teams: list[TeamWeek]


def manager_digests(*, week_ending: dt.date) -> list[ManagerDigest]:
    """Return, per active manager with an e-mail address, their teams' week and who needs a look.

    A fixed number of grouped queries, whatever the number of managers, teams and people.
    """
    week = Period(date_from=week_ending - dt.timedelta(days=6), date_to=week_ending)
    windows = {"cur": week, "prev": week.previous()}
    managers = list(
        Employee.objects.filter(is_active=True, managed_teams__isnull=False)
        .exclude(user__email="")
        .select_related("user")
        .prefetch_related("managed_teams")
        .distinct()
        .order_by("pk")
    )
    team_ids = {team.pk for manager in managers for team in manager.managed_teams.all()}
    team_rows = TeamDailyScore.objects.filter(team_id__in=team_ids)
    team_sums = _window_sums(rows=team_rows, group=("team_id",), windows=windows)
    teams_by_id = {team.pk: team for manager in managers for team in manager.managed_teams.all()}
    versions = period_versions(
        scorecard_of={pk: team.scorecard_id for pk, team in teams_by_id.items()},
        date_to=week.date_to,
    )
    member_sums = _window_sums(
        rows=EmployeeDailyScore.objects.filter(team_id__in=team_ids),
        group=("team_id", "employee_id"),
        windows={"cur": week},
    )
    open_alerts: dict[int, list[Alert]] = {}
    for alert in Alert.objects.filter(
        acknowledged_at__isnull=True,
        day__lte=week_ending,
        employee_id__in=[employee_id for _team_id, employee_id in member_sums],
    ).order_by("day", "pk"):
        open_alerts.setdefault(alert.employee_id, []).append(alert)
    employees = Employee.objects.select_related("user").in_bulk(
        [employee_id for _team_id, employee_id in member_sums]
    )

    weeks: dict[int, TeamWeek] = {}
    for team in {team.pk: team for m in managers for team in m.managed_teams.all()}.values():
        version = versions.get(team.pk)
        sums = team_sums.get((team.pk,))
        attention = []
        for (team_id, employee_id), entry in member_sums.items():
            if team_id != team.pk or not entry["cur"][0]:
                continue
            pooled = _pooled(version=version, rows=entry["cur"][0], stats=entry["cur"][1])
            alerts = open_alerts.get(employee_id, [])
            if pooled.band == "red" or alerts:
                attention.append(
                    PersonAttention(employee=employees[employee_id], week=pooled, alerts=alerts)
                )
        attention.sort(key=lambda person: person.employee.full_name.casefold())
        weeks[team.pk] = TeamWeek(
            team=team,
            week=_pooled(version=version, rows=sums["cur"][0], stats=sums["cur"][1])
            if sums
            else _NOTHING,
            previous=_pooled(version=version, rows=sums["prev"][0], stats=sums["prev"][1])
            if sums
            else _NOTHING,
            attention=attention,
        )
    return [
        ManagerDigest(
            manager=manager,
            week=week,
            teams=[
                weeks[team.pk]
                for team in sorted(manager.managed_teams.all(), key=lambda team: team.name)
            ],
        )
        for manager in managers
    ]


NEW_HIRE_DAYS = 90

# How each metric turns a day's work into num and den (docs/SCORING.md), in words a new hire
# reads on day one; the version's own rule texts say why it matters and how to do well.
METRIC_COMPUTATION: Mapping[str, Promise] = {
    MetricCode.RESPONSE_SLA: _(
        "Of the interactions opened that day that are already answered or whose SLA deadline "
        "has passed, the share answered within the SLA."
    ),
    MetricCode.FIRST_RESPONSE_MINUTES: _(
        "For the interactions opened that day and answered, the minutes from opening to the "
        "first response, added up and divided by their number."
    ),
    MetricCode.FCR: _(
        "Of the interactions resolved that day, the share resolved on the first contact."
    ),
    MetricCode.RESOLUTION_HOURS: _(
        "For the interactions resolved that day, the hours from opening to resolution, added "
        "up and divided by their number."
    ),
    MetricCode.FOLLOW_UP: _(
        "Of the follow-ups due that day, the share done by the end of their due day."
    ),
    MetricCode.ESCALATION: _("Of the interactions resolved that day, the share escalated."),
    MetricCode.CSAT: _(
        "Of the customer survey answers submitted that day, the share rating 4 or 5 out of 5."
    ),
    MetricCode.NPS: _(
        "Of the survey answers with a 0–10 recommendation submitted that day: promoters (9–10) "
        "minus detractors (0–6), as a percentage of those answers."
    ),
    MetricCode.QA: _("The mean total (0–100) of the QA reviews published that day."),
    MetricCode.VOLUME: _("The number of interactions resolved that day."),
}

METRIC_UNIT: Mapping[str, Promise | str] = {
    MetricCode.RESPONSE_SLA: "%",
    MetricCode.FIRST_RESPONSE_MINUTES: _("minutes"),
    MetricCode.FCR: "%",
    MetricCode.RESOLUTION_HOURS: _("hours"),
    MetricCode.FOLLOW_UP: "%",
    MetricCode.ESCALATION: "%",
    MetricCode.CSAT: "%",
    MetricCode.NPS: _("points"),
    MetricCode.QA: _("points"),
    MetricCode.VOLUME: _("interactions"),
}

_RULE_READERS = (Role.MANAGER, Role.ONBOARDING, Role.ADMIN)


def _memberships_on(day: dt.date) -> QuerySet[TeamMembership]:
    return TeamMembership.objects.filter(starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def scorecards_visible_to(*, user, day: dt.date) -> QuerySet[Scorecard]:
    """Return the scorecards whose rules the user may read.

    Managers, onboarding staff and admins read every scorecard; anyone else the scorecard of
    the team they are in on the day.
    """
    if not user.is_authenticated:
        return Scorecard.objects.none()
    if role_for_user(user=user) in _RULE_READERS:
        return Scorecard.objects.all()
    employee = employee_for_user(user=user)
    if employee is None:
        return Scorecard.objects.none()
    return Scorecard.objects.filter(
        pk__in=_memberships_on(day).filter(employee=employee).values("team__scorecard_id")
    )


def _in_force_on(day: dt.date) -> QuerySet[ScorecardVersion]:
    """Return the published versions effective by the day, latest first, per outer scorecard."""
    return ScorecardVersion.objects.filter(
        scorecard_id=OuterRef("scorecard_pk"),
        status=VersionStatus.PUBLISHED,
        effective_from__lte=day,
    ).order_by("-effective_from")


def rules_index(*, user, day: dt.date) -> QuerySet[Scorecard]:
    """Return the visible scorecards with the version in force and the user's acknowledgement.

    Each scorecard carries `version_number`, `version_effective_from`, `team_count` and
    `acknowledged_at` (None when the user has not acknowledged the version in force).
    """
    employee = employee_for_user(user=user)
    in_force = _in_force_on(day)
    scorecards = scorecards_visible_to(user=user, day=day).annotate(
        scorecard_pk=F("pk"),
        version_id=Subquery(in_force.values("pk")[:1]),
        version_number=Subquery(in_force.values("number")[:1]),
        version_effective_from=Subquery(in_force.values("effective_from")[:1]),
        team_count=Subquery(
            Team.objects.filter(scorecard_id=OuterRef("pk"))
            .order_by()
            .values("scorecard_id")
            .annotate(count=Count("pk"))
            .values("count")
        ),
    )
    acknowledged = RuleAcknowledgement.objects.filter(
        employee_id=employee.pk if employee else None, version_id=OuterRef("version_id")
    )
    return scorecards.annotate(
        acknowledged_at=Subquery(acknowledged.values("acknowledged_at")[:1])
    ).order_by("name")


def scorecard_editors_allowed(*, user) -> bool:
    """Tell whether the user may draft and publish versions: admins, and managers with the
    `scorecards.change_scorecardversion` permission."""
    if is_admin(user=user):
        return True
    return role_for_user(user=user) == Role.MANAGER and user.has_perm(
        "scorecards.change_scorecardversion"
    )


@dataclass(frozen=True)
class RuleMetric:
    """A metric of the version in force, in the reader's language, as the rules page shows it."""

    code: str
    label: str
    what: str
    why: str
    how: str
    computation: str
    unit: str
    higher_is_better: bool
    weight: Decimal
    weight_share: Decimal
    target: Decimal
    floor: Decimal
    min_sample: int


@dataclass(frozen=True)
class RuleCriterion:
    """A QA criterion of the version in force, in the reader's language."""

    code: str
    label: str
    description: str
    examples: str
    weight: Decimal
    is_critical: bool


@dataclass(frozen=True)
class VersionChange:
    """One difference between a version and the one before it.

    `kind` is "added", "removed", "changed" (a number or flag, with before and after) or
    "reworded" (a rule text); `part` is "version", "metric" or "criterion".
    """

    part: str
    subject: str
    kind: str
    field: str = ""
    before: Decimal | int | bool | None = None
    after: Decimal | int | bool | None = None

    @property
    def is_flag(self) -> bool:
        """Tell whether before and after are yes/no values."""
        return isinstance(self.after, bool)


@dataclass(frozen=True)
class VersionHistoryEntry:
    """A published version with what changed since the one before it."""

    version: ScorecardVersion
    change_summary: str
    changes: list[VersionChange]
    is_in_force: bool
    is_upcoming: bool


@dataclass(frozen=True)
class ScorecardRules:
    """Everything the rules page shows: the version in force, its history, the reader's
    acknowledgement."""

    scorecard: Scorecard
    version: ScorecardVersion | None
    intro: str
    metrics: list[RuleMetric]
    criteria: list[RuleCriterion]
    history: list[VersionHistoryEntry]
    acknowledged_at: dt.datetime | None


_VERSION_COMPARED = ("sla_minutes", "green_from", "amber_from")
_METRIC_COMPARED = ("weight", "target", "floor", "min_sample")
_METRIC_WORDING = ("label", "rule_what", "rule_why", "rule_how")
_CRITERION_COMPARED = ("weight", "is_critical")
_CRITERION_WORDING = ("label", "description", "examples")


def _field_label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _parts_changes(
    *,
    part: str,
    before: Sequence,
    after: Sequence,
    compared: Sequence[str],
    wording: Sequence[str],
    language: str,
) -> list[VersionChange]:
    """Compare two versions' metrics or criteria, matched by code."""
    old = {row.code: row for row in before}
    new = {row.code: row for row in after}
    changes = []
    for code, row in new.items():
        subject = row.localized("label", language)
        if code not in old:
            changes.append(VersionChange(part=part, subject=subject, kind="added"))
            continue
        previous = old[code]
        changes.extend(
            VersionChange(
                part=part,
                subject=subject,
                kind="changed",
                field=_field_label(type(row), name),
                before=getattr(previous, name),
                after=getattr(row, name),
            )
            for name in compared
            if getattr(previous, name) != getattr(row, name)
        )
        reworded = [
            _field_label(type(row), name)
            for name in wording
            if previous.localized(name, language) != row.localized(name, language)
        ]
        if reworded:
            changes.append(
                VersionChange(
                    part=part, subject=subject, kind="reworded", field=", ".join(reworded)
                )
            )
    changes.extend(
        VersionChange(part=part, subject=row.localized("label", language), kind="removed")
        for code, row in old.items()
        if code not in new
    )
    return changes


def version_changes(
    *, before: ScorecardVersion, after: ScorecardVersion, language: str
) -> list[VersionChange]:
    """Return what changed from one version to another: settings, metrics and QA criteria.

    Uses the versions' prefetched metrics and criteria, so a history costs no query per version.
    """
    changes = [
        VersionChange(
            part="version",
            subject=str(after),
            kind="changed",
            field=_field_label(ScorecardVersion, name),
            before=getattr(before, name),
            after=getattr(after, name),
        )
        for name in _VERSION_COMPARED
        if getattr(before, name) != getattr(after, name)
    ]
    changes += _parts_changes(
        part="metric",
        before=before.metrics.all(),
        after=after.metrics.all(),
        compared=_METRIC_COMPARED,
        wording=_METRIC_WORDING,
        language=language,
    )
    changes += _parts_changes(
        part="criterion",
        before=before.qa_criteria.all(),
        after=after.qa_criteria.all(),
        compared=_CRITERION_COMPARED,
        wording=_CRITERION_WORDING,
        language=language,
    )
    return changes


def _rule_metrics(*, version: ScorecardVersion, language: str) -> list[RuleMetric]:
    metrics = list(version.metrics.all())
    total_weight = sum((metric.weight for metric in metrics), Decimal(0))
    return [
        RuleMetric(
            code=metric.code,
            label=metric.localized("label", language),
            what=metric.localized("rule_what", language),
            why=metric.localized("rule_why", language),
            how=metric.localized("rule_how", language),
            computation=str(METRIC_COMPUTATION[metric.code]),
            unit=str(METRIC_UNIT[metric.code]),
            higher_is_better=HIGHER_IS_BETTER[metric.code],
            weight=metric.weight,
            weight_share=quantize(metric.weight / total_weight * 100, 0),
            target=metric.target,
            floor=metric.floor,
            min_sample=metric.min_sample,
        )
        for metric in metrics
    ]


def _rule_criteria(*, version: ScorecardVersion, language: str) -> list[RuleCriterion]:
    return [
        RuleCriterion(
            code=criterion.code,
            label=criterion.localized("label", language),
            description=criterion.localized("description", language),
            examples=criterion.localized("examples", language),
            weight=criterion.weight,
            is_critical=criterion.is_critical,
        )
        for criterion in version.qa_criteria.all()
    ]


def scorecard_rules(
    *, scorecard: Scorecard, employee: Employee | None, day: dt.date, language: str
) -> ScorecardRules:
    """Return the scorecard's rules in force on the day, in the language, with their history.

    Four queries whatever the number of versions: the published versions, their metrics, their
    criteria, and the reader's acknowledgement of the version in force.
    """
    versions = list(
        scorecard.versions.filter(status=VersionStatus.PUBLISHED)
        .prefetch_related("metrics", "qa_criteria")
        .order_by("effective_from", "number")
    )
    in_force = None
    for version in versions:
        if version.effective_from <= day:
            in_force = version
    history = [
        VersionHistoryEntry(
            version=version,
            change_summary=version.localized("change_summary", language),
            changes=(
                version_changes(before=versions[index - 1], after=version, language=language)
                if index
                else []
            ),
            is_in_force=version == in_force,
            is_upcoming=version.effective_from > day,
        )
        for index, version in enumerate(versions)
    ]
    acknowledged_at = None
    if in_force is not None and employee is not None:
        acknowledged_at = (
            RuleAcknowledgement.objects.filter(employee=employee, version=in_force)
            .values_list("acknowledged_at", flat=True)
            .first()
        )
    return ScorecardRules(
        scorecard=scorecard,
        version=in_force,
        intro=in_force.localized("intro", language) if in_force else "",
        metrics=_rule_metrics(version=in_force, language=language) if in_force else [],
        criteria=_rule_criteria(version=in_force, language=language) if in_force else [],
        history=history[::-1],
        acknowledged_at=acknowledged_at,
    )


def onboarding_allowed(*, user) -> bool:
    """Tell whether the user may open the onboarding page: onboarding staff, managers, admins."""
    return user.is_authenticated and role_for_user(user=user) in _RULE_READERS


ONBOARDING_ORDERINGS: Mapping[str, tuple] = {
    "status": (F("acknowledged_at").asc(nulls_first=True), "-hire_date", "pk"),
    "name": ("user__first_name", "user__last_name", "pk"),
    "hire_date": ("-hire_date", "pk"),
    "team": (F("team_name").asc(nulls_last=True), "user__first_name", "pk"),
}
ONBOARDING_FILTERS = ("all", "pending", "new")


def onboarding_employees(
    *,
    user,
    day: dt.date,
    show: str = "all",
    ordering: str = "status",
    employee_ids: Collection[int] | None = None,
) -> QuerySet[Employee]:
    """Return the active new hires and everyone yet to acknowledge the rules in force.

    `show` narrows the list to "pending" (rules in force not acknowledged) or "new" (hired in
    the last NEW_HIRE_DAYS days). Onboarding staff and admins see everyone, managers the
    members of their teams. Each employee carries `team_name`, `scorecard_name`,
    `scorecard_slug`, `version_number`, `version_effective_from`, `acknowledged_at`,
    `is_new_hire` and `is_pending`, all from one query.
    """
    if not onboarding_allowed(user=user):
        return Employee.objects.none()
    membership = _memberships_on(day).filter(employee=OuterRef("pk")).order_by("-starts_on")
    in_force = _in_force_on(day)
    employees = (
        Employee.objects.filter(is_active=True)
        .select_related("user")
        .annotate(
            team_pk=Subquery(membership.values("team_id")[:1]),
            team_name=Subquery(membership.values("team__name")[:1]),
            scorecard_pk=Subquery(membership.values("team__scorecard_id")[:1]),
            scorecard_name=Subquery(membership.values("team__scorecard__name")[:1]),
            scorecard_slug=Subquery(membership.values("team__scorecard__slug")[:1]),
        )
        .annotate(
            version_id=Subquery(in_force.values("pk")[:1]),
            version_number=Subquery(in_force.values("number")[:1]),
            version_effective_from=Subquery(in_force.values("effective_from")[:1]),
        )
        .annotate(
            acknowledged_at=Subquery(
                RuleAcknowledgement.objects.filter(
                    employee_id=OuterRef("pk"), version_id=OuterRef("version_id")
                ).values("acknowledged_at")[:1]
            )
        )
    )
    is_new_hire = Q(hire_date__gte=day - dt.timedelta(days=NEW_HIRE_DAYS))
    is_pending = Q(version_id__isnull=False, acknowledged_at__isnull=True)
    employees = employees.annotate(
        is_new_hire=ExpressionWrapper(is_new_hire, output_field=BooleanField()),
        is_pending=ExpressionWrapper(is_pending, output_field=BooleanField()),
    )
    if role_for_user(user=user) == Role.MANAGER:
        employees = employees.filter(
            team_pk__in=Team.objects.filter(managers=employee_for_user(user=user)).values("pk")
        )
    employees = employees.filter(
        {"pending": is_pending, "new": is_new_hire}.get(show, is_pending | is_new_hire)
    )
    if employee_ids is not None:
        employees = employees.filter(pk__in=employee_ids)
    return employees.order_by(*ONBOARDING_ORDERINGS.get(ordering, ONBOARDING_ORDERINGS["status"]))


def editor_versions(*, scorecard: Scorecard, day: dt.date) -> list[ScorecardVersion]:
    """Return every version of the scorecard, newest first, for the editor (one query).

    Each carries `metric_count`, `criterion_count` and `is_in_force` (on the day).
    """
    versions = list(
        scorecard.versions.annotate(
            metric_count=Count("metrics", distinct=True),
            criterion_count=Count("qa_criteria", distinct=True),
        ).order_by("-number")
    )
    published = [
        version for version in versions if version.is_published and version.effective_from <= day
    ]
    in_force = max(published, key=lambda version: version.effective_from, default=None)
    for version in versions:
        version.is_in_force = version == in_force
    return versions


@dataclass(frozen=True)
class SimulatedRow:
    """A simulated subject the reader may see, with its name."""

    name: str
    totals: object


def simulation_rows(*, result, user) -> tuple[list[SimulatedRow], list[SimulatedRow]]:
    """Return a simulation's team and employee totals the user may see, named and by name.

    `result` is an `engine.simulate.SimulationResult`; subjects outside `teams_visible_to` and
    `employees_visible_to` are left out. Two queries.
    """
    teams = teams_visible_to(user=user).in_bulk([row.subject_id for row in result.teams])
    employees = (
        employees_visible_to(user=user)
        .select_related("user")
        .in_bulk([row.subject_id for row in result.employees])
    )
    team_rows = [
        SimulatedRow(name=teams[row.subject_id].name, totals=row)
        for row in result.teams
        if row.subject_id in teams
    ]
    employee_rows = [
        SimulatedRow(name=employees[row.subject_id].full_name, totals=row)
        for row in result.employees
        if row.subject_id in employees
    ]
    return (
        sorted(team_rows, key=lambda row: row.name.casefold()),
        sorted(employee_rows, key=lambda row: row.name.casefold()),
    )


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

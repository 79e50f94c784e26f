"""The agent's pages: the overview and a day explained."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from crs_site.lib.users import SiteUser
from customers.models import Interaction
from feedback.choices import ReviewStatus
from feedback.models import QAReview, SurveyResponse
from scorecards.choices import MetricCode
from scorecards.dirty import local_day
from scorecards.metrics import metric as metric_spec
from scorecards.models import EmployeeDailyScore, Metric, ScorecardVersion
from scorecards.scoring import DayScore, MetricResult, quantize
from scorecards.selectors.goals import GoalProgress, employee_goals, goals_progress, target_is_met
from scorecards.selectors.periods import Pooled, TrendPoint, employee_period_summary
from scorecards.selectors.stats import (
    MICROSECONDS_PER_HOUR,
    MICROSECONDS_PER_MINUTE,
    ONE,
    STAT_COLUMNS,
    VOLUME,
    ZERO,
    Stats,
    day_range,
    duration_in,
    moment_range,
    stats_of_row,
)
from scorecards.selectors.versions import (
    day_outcome,
    days_final_at,
    version_in_force,
    version_score,
)
from staff.models import Employee, Team, TeamMembership
from staff.selectors import rows_visible_to

RECENT_ITEMS = 10


def employee_team_on(*, employee: Employee, day: dt.date) -> Team | None:
    """Return the team the employee was a member of on the day, or None."""
    membership = (
        TeamMembership.objects.on_day(day).filter(employee=employee).select_related("team").first()
    )
    return membership.team if membership is not None else None


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
        return metric_spec(self.metric.code).higher_is_better

    @property
    def period_meets_target(self) -> bool:
        """Tell whether the period's pooled value reaches the target."""
        value = self.period.value if self.period is not None else None
        return target_is_met(code=self.metric.code, value=value, target=self.metric.target)


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
    period: Pooled
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
            if line.metric.code == VOLUME:
                return line.metric.target
        return None

    @property
    def period_total(self) -> Decimal | None:
        return quantize(self.period_score.total) if self.period_score is not None else None


SHOWN_REVIEW_STATUSES = (ReviewStatus.PUBLISHED, ReviewStatus.DISPUTED, ReviewStatus.RESOLVED)


def _score_rows(
    *, employee: Employee, date_from: dt.date, date_to: dt.date
) -> dict[dt.date, EmployeeDailyScore]:
    """Return the employee's stored daily rows in the range, by day."""
    return {
        row.day: row
        for row in EmployeeDailyScore.objects.filter(
            employee=employee, day__gte=date_from, day__lte=date_to
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


def _metric_lines(
    *,
    version: ScorecardVersion | None,
    today_score: DayScore | None,
    period_score: DayScore | None,
    language: str,
) -> list[MetricLine]:
    return [
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


def _recent_feedback(
    *, employee: Employee, user: SiteUser, with_reviews_to_do: bool
) -> dict[str, list]:
    """Return the recent interactions, comments and reviews of the employee `user` may read.

    With `with_reviews_to_do`, also the draft reviews and the flagged interactions nobody has
    reviewed yet (the QA reviewer's list).
    """
    reviews = rows_visible_to(
        user=user,
        # Another reviewer's calibration rating stays blind until its session reveals.
        queryset=QAReview.objects.filter(interaction__employee=employee).blind_to(
            employee_id=getattr(getattr(user, "employee", None), "pk", None), now=timezone.now()
        ),
        day_field="interaction__opened_at__date",
        employee_field="interaction__employee",
    ).select_related("interaction", "reviewer__user")
    interactions = rows_visible_to(
        user=user,
        queryset=Interaction.objects.filter(employee=employee),
        day_field="opened_at__date",
    ).select_related("customer")
    feedback = {
        "interactions": list(interactions.order_by("-opened_at", "-pk")[:RECENT_ITEMS]),
        "survey_comments": list(
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
        "reviews": list(
            reviews.filter(status__in=SHOWN_REVIEW_STATUSES).order_by("-published_at", "-pk")[
                :RECENT_ITEMS
            ]
        ),
        "draft_reviews": [],
        "flagged_unreviewed": [],
    }
    if with_reviews_to_do:
        feedback["draft_reviews"] = list(
            reviews.filter(status=ReviewStatus.DRAFT).order_by("created_at", "pk")[:RECENT_ITEMS]
        )
        feedback["flagged_unreviewed"] = list(
            interactions.filter(is_flagged_for_review=True, qa_reviews__isnull=True).order_by(
                "opened_at", "pk"
            )[:RECENT_ITEMS]
        )
    return feedback


def employee_overview(
    *,
    employee: Employee,
    user: SiteUser,
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
    rows = _score_rows(employee=employee, date_from=date_from, date_to=today)
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
    trend = [
        TrendPoint.of(day=day, row=rows.get(day))
        for day in day_range(date_from=date_from, date_to=today)
    ]
    return EmployeeOverview(
        employee=employee,
        team=team,
        version=version,
        today=today,
        date_from=date_from,
        today_point=trend[-1],
        today_resolved=int(stats_of_row(today_row)[VOLUME][0]) if today_row is not None else 0,
        today_score=today_score,
        period_score=period_score,
        period=period,
        as_of=max((row.computed_at for row in rows.values()), default=None),
        trend=trend,
        metrics=_metric_lines(
            version=version, today_score=today_score, period_score=period_score, language=language
        ),
        goals=goals_progress(
            goals=employee_goals(employee=employee).filter(
                ends_on__gte=today - dt.timedelta(days=days)
            ),
            now=now,
            limit=RECENT_ITEMS,
        ),
        **_recent_feedback(employee=employee, user=user, with_reviews_to_do=with_reviews_to_do),
    )


# A record that counts towards a day's metrics.
Source = Interaction | SurveyResponse | QAReview


@dataclass(frozen=True)
class Contribution:
    """One interaction, survey response or QA review and what it adds to a metric's num and den."""

    source: Source
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
    return Decimal(span // dt.timedelta(microseconds=1)) / MICROSECONDS_PER_MINUTE


def _hours(span: dt.timedelta) -> Decimal:
    return Decimal(span // dt.timedelta(microseconds=1)) / MICROSECONDS_PER_HOUR


def _response_span(item: Interaction) -> dt.timedelta | None:
    """The time to first response: working time where the team has a calendar, else the clock."""
    if item.first_response_working_time is not None:
        return item.first_response_working_time
    if item.first_response_at is None:
        return None
    return item.first_response_at - item.opened_at


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
    start, end = moment_range(date_from=day, date_to=day)
    today = local_day(now)
    limit = dt.timedelta(minutes=sla_minutes)
    parts: dict[str, list[Contribution]] = {code: [] for code in MetricCode.values}
    response_time = dt.timedelta(0)
    resolution_time = dt.timedelta(0)

    def add(code: str, source: Source, num: int | Decimal, den: int | Decimal) -> None:
        parts[code].append(Contribution(source=source, num=Decimal(num), den=Decimal(den)))

    for item in interactions:
        if start <= item.opened_at < end:
            span = _response_span(item)
            within = span is not None and span <= limit
            due = span is not None or item.opened_at <= now - limit
            add(MetricCode.RESPONSE_SLA, item, int(within), int(due))
            if span is not None:
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
        code: (sum((c.num for c in parts[code]), ZERO), sum((c.den for c in parts[code]), ZERO))
        for code in MetricCode.values
    }
    # Durations are summed first and rounded once, as the stored columns are.
    stats[MetricCode.FIRST_RESPONSE_MINUTES] = (
        duration_in(response_time, MICROSECONDS_PER_MINUTE),
        stats[MetricCode.FIRST_RESPONSE_MINUTES][1],
    )
    stats[MetricCode.RESOLUTION_HOURS] = (
        duration_in(resolution_time, MICROSECONDS_PER_HOUR),
        stats[MetricCode.RESOLUTION_HOURS][1],
    )
    # A final worked day is one sample of volume (docs/SCORING.md, worked days).
    stats[MetricCode.VOLUME] = (
        stats[MetricCode.VOLUME][0],
        ONE if is_final and day_is_worked(day=day, interactions=interactions) else ZERO,
    )
    return stats, parts


def day_is_worked(*, day: dt.date, interactions: Iterable[Interaction]) -> bool:
    """Tell whether any of the interactions was opened or resolved on the day (a worked day)."""
    return any(
        local_day(item.opened_at) == day or local_day(item.resolved_at) == day
        for item in interactions
    )


def _day_records(
    *, employee: Employee, day: dt.date
) -> tuple[list[Interaction], list[SurveyResponse], list[QAReview]]:
    """Return the records that count on the employee's day, one query per source table."""
    start, end = moment_range(date_from=day, date_to=day)
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
        .filter(interaction__employee=employee, scored_at__gte=start, scored_at__lt=end)
        .select_related("interaction", "reviewer__user")
        .order_by("scored_at", "pk")
    )
    return interactions, responses, reviews


def employee_day_explanation(
    *, employee: Employee, day: dt.date, now: dt.datetime | None = None, language: str = "en"
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
    interactions, responses, reviews = _day_records(employee=employee, day=day)
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
        stats[MetricCode.RESPONSE_SLA] = (ZERO, ZERO)
        parts[MetricCode.RESPONSE_SLA] = []
    score = version_score(version=version, stats=stats) if version is not None else None
    if score is not None:
        total, band = day_outcome(score=score, is_worked=is_worked, is_final=is_final)
        score = DayScore(total=total, band=band, metrics=score.metrics)
    stored = stats_of_row(row) if row is not None else None
    metrics = []
    if version is not None and score is not None:
        metrics = [
            MetricExplanation(
                metric=metric,
                label=metric.localized("label", language),
                result=score.metrics[metric.code],
                stored=stored[metric.code] if stored is not None else None,
                contributions=parts[metric.code],
            )
            for metric in version.metrics.all()
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

"""Change events and their impact on the team's figures."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from crs_site.lib.users import SiteUser
from scorecards.metrics import metric as metric_spec
from scorecards.metrics import metrics as metric_specs
from scorecards.models import ChangeEvent, ScorecardVersion, TeamDailyScore
from scorecards.scoring import metric_value
from scorecards.selectors.periods import NOTHING, Period, Pooled, pooled_periods
from scorecards.selectors.team import manages_teams
from scorecards.selectors.versions import last_final_day, period_version
from scorecards.significance import Comparison, compare_windows
from staff.models import Team
from staff.selectors import is_admin, teams_visible_to

IMPACT_WINDOW_DAYS = 14


def change_events_visible_to(*, user: SiteUser) -> QuerySet[ChangeEvent]:
    """Return the change events the user may read: their teams' and everyone's (admins: all)."""
    if is_admin(user=user):
        return ChangeEvent.objects.all()
    if not manages_teams(user=user):
        return ChangeEvent.objects.none()
    return ChangeEvent.objects.filter(
        Q(team__in=teams_visible_to(user=user)) | Q(team__isnull=True)
    )


def change_events_writable_by(*, user: SiteUser) -> QuerySet[ChangeEvent]:
    """Return the change events the user may edit or delete: those recorded by hand, of a team
    they manage (admins: any, everyone's too). Automatic ones follow what recorded them."""
    events = change_events_visible_to(user=user).filter(is_automatic=False)
    if is_admin(user=user):
        return events
    return events.filter(team__in=teams_visible_to(user=user))


def change_event_list(*, user: SiteUser, team: Team | None = None) -> QuerySet[ChangeEvent]:
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
        return (self.difference > 0) == metric_spec(self.code).higher_is_better


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


@dataclass(frozen=True)
class BeforeAfter:
    """Daily rows pooled over the days before a day and from that day on, metric by metric."""

    before_period: Period
    after_period: Period
    before: Pooled
    after: Pooled
    metrics: list[MetricImpact]


def pooled_before_after(
    *,
    rows: QuerySet,
    day: dt.date,
    codes: Sequence[str] | None = None,
    version: ScorecardVersion | None = None,
    window_days: int = IMPACT_WINDOW_DAYS,
) -> BeforeAfter:
    """Pool the daily rows over the days before `day` and from it on, and compare each metric.

    The one reader of an effect over time: a change event's impact and a coaching session's
    effect. Final days only: today's "so far" figures (volume not yet counted, SLA deadlines
    still running) would make the days after any change look worse. `codes` names the metrics
    to compare; by default the version's, or without one every metric counted in either window.
    """
    before = Period(
        date_from=day - dt.timedelta(days=window_days), date_to=day - dt.timedelta(days=1)
    )
    after = Period(date_from=day, date_to=day + dt.timedelta(days=window_days - 1))
    pooled = pooled_periods(
        rows=rows.filter(is_final=True),
        windows={"before": before, "after": after},
        version=version,
    ).get((), {})
    pooled_before, pooled_after = pooled.get("before", NOTHING), pooled.get("after", NOTHING)
    before_stats, after_stats = pooled_before.stats, pooled_after.stats
    if codes is None and version is not None:
        codes = [metric.code for metric in version.metrics.all()]
    elif codes is None:
        codes = [
            spec.code
            for spec in metric_specs()
            if before_stats[spec.code][1] or after_stats[spec.code][1]
        ]
    impacts = [
        MetricImpact(
            code=code,
            label=metric_spec(code).label,
            before=_window_value(code, *before_stats[code]),
            after=_window_value(code, *after_stats[code]),
            comparison=compare_windows(
                code=code, before=before_stats[code], after=after_stats[code]
            ),
        )
        for code in codes
    ]
    return BeforeAfter(
        before_period=before,
        after_period=after,
        before=pooled_before,
        after=pooled_after,
        metrics=impacts,
    )


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
    rows = TeamDailyScore.objects.all()
    version = None
    if event.team is not None:
        rows = rows.filter(team=event.team)
        version = period_version(
            scorecard_id=event.team.scorecard_id,
            date_to=event.day + dt.timedelta(days=window_days - 1),
            today=today,
        )
    pooled = pooled_before_after(rows=rows, day=event.day, version=version, window_days=window_days)
    return ChangeImpact(
        event=event,
        before_period=pooled.before_period,
        after_period=pooled.after_period,
        version=version,
        before=pooled.before,
        after=pooled.after,
        metrics=pooled.metrics,
        today=today,
        final_until=last_final_day(now=now or timezone.now()),
    )

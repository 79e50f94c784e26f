"""Change events and their impact on the team's figures."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from scorecards.choices import MetricCode
from scorecards.models import ChangeEvent, ScorecardVersion, TeamDailyScore
from scorecards.scoring import HIGHER_IS_BETTER, metric_value
from scorecards.selectors.periods import Period, Pooled, _pooled, _window_sums
from scorecards.selectors.team import manages_teams
from scorecards.selectors.versions import last_final_day, period_version
from scorecards.significance import Comparison, compare_windows
from staff.models import Team
from staff.selectors import is_admin, teams_visible_to

IMPACT_WINDOW_DAYS = 14


def change_events_visible_to(*, user) -> QuerySet[ChangeEvent]:
    """Return the change events the user may read: their teams' and everyone's (admins: all)."""
    if is_admin(user=user):
        return ChangeEvent.objects.all()
    if not manages_teams(user=user):
        return ChangeEvent.objects.none()
    return ChangeEvent.objects.filter(
        Q(team__in=teams_visible_to(user=user)) | Q(team__isnull=True)
    )


def change_events_writable_by(*, user) -> QuerySet[ChangeEvent]:
    """Return the change events the user may edit or delete: those recorded by hand, of a team
    they manage (admins: any, everyone's too). Automatic ones follow what recorded them."""
    events = change_events_visible_to(user=user).filter(is_automatic=False)
    if is_admin(user=user):
        return events
    return events.filter(team__in=teams_visible_to(user=user))


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

"""Goals and their progress, pooled over the goal's days."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, When

from crs_site.lib.users import SiteUser
from scorecards.choices import GoalStanding, MetricCode
from scorecards.dirty import local_day
from scorecards.metrics import metric as metric_spec
from scorecards.models import Goal
from scorecards.scoring import metric_value, quantize
from scorecards.selectors.stats import ONE, ZERO, as_decimal
from scorecards.selectors.versions import last_final_day
from staff.models import Employee
from staff.selectors import employee_for_user, employees_writable_by


def target_is_met(*, code: str, value: Decimal | None, target: Decimal) -> bool:
    """Tell whether a value reaches the target in the metric's better direction."""
    if value is None:
        return False
    return value >= target if metric_spec(code).higher_is_better else value <= target


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
    def standing(self) -> GoalStanding:
        """Return where the goal stands: met or missed once settled (judged from `value`),
        waiting while over but its last day not final, else on track, no data or not yet."""
        if self.is_settled:
            return GoalStanding.MET if self.is_met else GoalStanding.MISSED
        if self.is_over:
            return GoalStanding.WAITING
        if self.is_met:
            return GoalStanding.ON_TRACK
        return GoalStanding.NO_DATA if self.value is None else GoalStanding.NOT_YET

    @property
    def percent(self) -> int:
        """Return how far the value has come towards the target, 0..100, for a progress bar."""
        value, target = self.value, self.goal.target
        if value is None:
            return 0
        if self.is_met:
            return 100
        if metric_spec(self.goal.metric).higher_is_better:
            ratio = value / target if target > 0 else Decimal(0)
        else:
            ratio = target / value if value > 0 else Decimal(1)
        return int(max(min(ratio, ONE), ZERO) * 100)


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
    # Annotated by goals_with_pooled, which the model's type does not know.
    pooled = cast(Any, goal)
    num, den = as_decimal(pooled.pooled_num), as_decimal(pooled.pooled_den)
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


def employee_goals(
    *, employee: Employee, ordering: Sequence[str] = ("-starts_on",)
) -> QuerySet[Goal]:
    """Return the employee's goals, with who set them, in the given order."""
    return (
        Goal.objects.filter(employee=employee)
        .select_related("set_by__user")
        .order_by(*ordering, "-pk")
    )


def goals_editable_by(*, user: SiteUser, employee: Employee) -> QuerySet[Goal]:
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

"""Goals: set, changed, removed, and settled once they end."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scorecards.choices import GoalStatus
from scorecards.metrics import CATALOGUE
from scorecards.models import Goal
from scorecards.selectors.goals import goals_progress
from scorecards.selectors.versions import last_final_day
from staff.models import Employee


def goal_validate(
    *, metric: str, target: Decimal, starts_on: dt.date, ends_on: dt.date, why: str
) -> None:
    """Refuse an unknown metric, a target out of its range, a reversed period or an empty why."""
    errors: dict[str, ValidationError] = {}
    spec = CATALOGUE.get(metric)
    if spec is None:
        errors["metric"] = ValidationError(_("Choose a metric from the list."), code="invalid")
    elif not spec.in_range(target):
        if spec.value_max is None:
            message = _("A target for %(metric)s must be %(low)s or more.")
        else:
            message = _("A target for %(metric)s must be between %(low)s and %(high)s.")
        errors["target"] = ValidationError(
            message,
            code="out_of_range",
            params={"metric": spec.label, "low": spec.value_min, "high": spec.value_max},
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
    judged: dict[str, list[int]] = {GoalStatus.MET: [], GoalStatus.MISSED: []}
    for progress in goals_progress(goals=ended, now=now):
        judged[GoalStatus.MET if progress.is_met else GoalStatus.MISSED].append(progress.goal.pk)
    return sum(
        Goal.objects.filter(pk__in=ids).exclude(status=status).update(status=status)
        for status, ids in judged.items()
    )

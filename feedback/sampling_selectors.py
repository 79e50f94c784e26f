"""Reads of the weekly sampling: each team's rules (with their defaults) and reviewers' quotas.

Which teams a user may set rules for is `staff.selectors.teams_visible_to` (managers their own
teams, admins all); whose quotas, `quota_reviewers_editable`.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from feedback.choices import SAMPLING_ORDER, ReviewReason, ReviewStatus, SamplingRuleKind
from feedback.models import QAReview, ReviewerQuota, SamplingRule
from scorecards.dirty import organisation_zone
from staff.choices import Role
from staff.models import Employee, Team
from staff.selectors import role_for_user, teams_visible_to

DEFAULT_NEW_HIRE_WEEKS = 4
# A team's weekly random sample per agent until its managers change it. The random rule is the
# only place the sample size lives (a team has no field of its own for it).
DEFAULT_PER_AGENT = 3


def sampling_rule_default(*, team: Team, kind: str) -> SamplingRule:
    """Return the unsaved rule a team has until its managers change it: the random sample on
    at `DEFAULT_PER_AGENT`, the rest off (a new hire's sample twice the random one)."""
    if kind == SamplingRuleKind.RANDOM:
        return SamplingRule(
            team=team,
            kind=kind,
            is_enabled=True,
            per_agent=DEFAULT_PER_AGENT,
            new_hire_weeks=DEFAULT_NEW_HIRE_WEEKS,
        )
    return SamplingRule(
        team=team,
        kind=kind,
        is_enabled=False,
        per_agent=DEFAULT_PER_AGENT * 2,
        new_hire_weeks=DEFAULT_NEW_HIRE_WEEKS,
    )


def sampling_rules_for_teams(*, teams: Iterable[Team]) -> dict[int, dict[str, SamplingRule]]:
    """Return every rule of each team by kind, in `SAMPLING_ORDER`, defaults where none is saved."""
    teams = list(teams)
    stored: dict[tuple[int, str], SamplingRule] = {
        (rule.team_id, rule.kind): rule
        for rule in SamplingRule.objects.filter(team__in=[team.pk for team in teams])
    }
    return {
        team.pk: {
            kind: stored.get((team.pk, kind)) or sampling_rule_default(team=team, kind=kind)
            for kind in SAMPLING_ORDER
        }
        for team in teams
    }


def quota_reviewers_editable(*, user) -> QuerySet[Employee]:
    """Return the reviewers whose weekly quota the user may set: for admins every active manager
    and admin, for managers the active managers of the teams they manage (themselves included)."""
    role = role_for_user(user=user)
    if role == Role.ADMIN:
        reviewers = Employee.objects.filter(is_active=True, role__in=(Role.MANAGER, Role.ADMIN))
    elif role == Role.MANAGER:
        reviewers = Employee.objects.filter(
            is_active=True,
            role=Role.MANAGER,
            managed_teams__in=teams_visible_to(user=user).values("pk"),
        )
    else:
        return Employee.objects.none()
    return (
        Employee.objects.filter(pk__in=reviewers.values("pk"))
        .select_related("user", "review_quota")
        .order_by("user__first_name", "user__last_name", "pk")
    )


@dataclass(frozen=True)
class WeekProgress:
    """A reviewer's week: reviews published against the quota, sampled drafts due and overdue."""

    week_start: dt.date
    quota: int | None
    published: int
    due: int
    overdue: int

    @property
    def percent(self) -> int:
        if not self.quota:
            return 0
        return min(100, round(100 * self.published / self.quota))


def _week_bounds(day: dt.date) -> tuple[dt.date, dt.datetime, dt.datetime]:
    monday = day - dt.timedelta(days=day.weekday())
    zone = organisation_zone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min, tzinfo=zone)
    return monday, start, end


def reviewers_week_progress(
    *, reviewers: Iterable[Employee], today: dt.date
) -> dict[int, WeekProgress]:
    """Return each reviewer's progress in the week of `today`, in one grouped query.

    Published counts the reviews they published this week (calibration ones compare reviewers and
    do not count); a sampled draft is due by the end of the week it was queued in, and overdue
    once that week has passed.
    """
    reviewers = list(reviewers)
    monday, start, end = _week_bounds(today)
    sampled_draft = Q(status=ReviewStatus.DRAFT) & ~Q(sampled_by="")
    rows = (
        QAReview.objects.filter(reviewer__in=[reviewer.pk for reviewer in reviewers])
        .values("reviewer_id")
        .annotate(
            published=Count(
                "pk",
                filter=Q(published_at__gte=start, published_at__lt=end)
                & ~Q(reason=ReviewReason.CALIBRATION),
            ),
            due=Count("pk", filter=sampled_draft & Q(created_at__gte=start, created_at__lt=end)),
            overdue=Count("pk", filter=sampled_draft & Q(created_at__lt=start)),
        )
        .order_by()
    )
    counts = {row["reviewer_id"]: row for row in rows}
    quotas = dict(
        ReviewerQuota.objects.filter(reviewer__in=[reviewer.pk for reviewer in reviewers])
        .values_list("reviewer_id", "reviews_per_week")
        .order_by()
    )
    return {
        reviewer.pk: WeekProgress(
            week_start=monday,
            quota=quotas.get(reviewer.pk),
            published=counts.get(reviewer.pk, {}).get("published", 0),
            due=counts.get(reviewer.pk, {}).get("due", 0),
            overdue=counts.get(reviewer.pk, {}).get("overdue", 0),
        )
        for reviewer in reviewers
    }


def reviewer_week_progress(*, reviewer: Employee, today: dt.date) -> WeekProgress:
    """Return one reviewer's progress in the week of `today` (the queue's header)."""
    return reviewers_week_progress(reviewers=[reviewer], today=today)[reviewer.pk]

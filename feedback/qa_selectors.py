"""Reads of the QA area: queues, the reviews a user may see, calibration, consistency, follow-ups.

Who sees what is decided by `staff.selectors.rows_visible_to`: agents their own reviews (once
published) and follow-ups, managers their teams' people on the days they were members, admins
everyone; writes go to `interactions_writable_by` (current members only).
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from crs_site.lib.numbers import quantize
from customers.models import Interaction
from customers.selectors import interactions_visible_to, interactions_writable_by
from feedback.choices import ReviewReason, ReviewStatus
from feedback.models import CalibrationSession, QADisputeItem, QARating, QAReview, QAReviewEvent
from feedback.qa_scoring import CriterionRating, SectionRule, qa_section_scores
from scorecards.dirty import organisation_zone
from staff.choices import Role
from staff.models import Employee, Team, TeamMembership
from staff.permissions import Principal, rows_visible
from staff.selectors import (
    employee_for_user,
    is_admin,
    role_for_user,
    rows_visible_to,
    teams_visible_to,
)

CALIBRATION_SEARCH_LIMIT = 8

REVIEW_SORTS = {
    "-created": ("-created_at", "-pk"),
    "created": ("created_at", "pk"),
    "-total": ("-total", "-pk"),
    "total": ("total", "pk"),
    "agent": ("interaction__employee__user__first_name", "interaction__employee__user__last_name"),
    "status": ("status", "-created_at"),
    "seen": (F("seen_at").asc(nulls_first=True), "-created_at"),
}


def is_reviewer(*, user) -> bool:
    """Tell whether the user reviews interactions (managers and admins)."""
    return role_for_user(user=user) in (Role.ADMIN, Role.MANAGER)


def _with_related(reviews: QuerySet[QAReview]) -> QuerySet[QAReview]:
    return reviews.select_related(
        "interaction__employee__user", "interaction__customer", "reviewer__user"
    )


def reviews_visible_to(*, user) -> QuerySet[QAReview]:
    """Return the reviews the user may read: drafts only their reviewer's, the rest by person,
    and no one else's rating of a calibration session before it reveals."""
    employee = employee_for_user(user=user)
    return _reviews_by_person(user=user, employee=employee).blind_to(
        employee_id=employee.pk if employee is not None else None, now=timezone.now()
    )


def _reviews_by_person(*, user, employee: Employee | None) -> QuerySet[QAReview]:
    if is_admin(user=user):
        reviews = QAReview.objects.all()
        if employee is not None:
            return reviews.filter(~Q(status=ReviewStatus.DRAFT) | Q(reviewer=employee))
        return reviews.exclude(status=ReviewStatus.DRAFT)
    if employee is None or role_for_user(user=user) is None:
        return QAReview.objects.none()
    shown = rows_visible_to(
        user=user,
        queryset=QAReview.objects.exclude(status=ReviewStatus.DRAFT),
        day_field="interaction__opened_at__date",
        employee_field="interaction__employee",
    )
    return QAReview.objects.filter(Q(pk__in=shown.values("pk")) | Q(reviewer=employee))


def reviews_visible(*, principal: Principal) -> QuerySet[QAReview]:
    """Return the reviews a user or an API key may read: a user as on the pages; a key never a
    draft (unfinished work), and with teams only those teams' people on their member days."""
    if principal.api_key is None and not principal.system:
        if not principal.is_allowed:
            return QAReview.objects.none()
        return reviews_visible_to(user=principal.user)
    # A key is no reviewer: a calibration session's ratings stay hidden until it reveals.
    return rows_visible(
        queryset=QAReview.objects.exclude(status=ReviewStatus.DRAFT).blind_to(
            employee_id=None, now=timezone.now()
        ),
        principal=principal,
        day_field="interaction__opened_at__date",
        employee_field="interaction__employee",
    )


def reviews_for_export(reviews: QuerySet[QAReview]) -> QuerySet[QAReview]:
    """Return the reviews with everything the API shows of them, in a fixed number of queries:
    the people, the version, each rating's and disputed criterion's criterion, the history."""
    return reviews.select_related(
        "interaction__employee__user",
        "reviewer__user",
        "resolved_by__user",
        "version__scorecard",
    ).prefetch_related(
        Prefetch(
            "ratings",
            queryset=QARating.objects.select_related("criterion__section").order_by(
                "criterion__section__position", "criterion__position", "pk"
            ),
        ),
        Prefetch("dispute_items", queryset=QADisputeItem.objects.select_related("criterion")),
        Prefetch("events", queryset=QAReviewEvent.objects.select_related("actor__user")),
    )


SEEN_FILTERS = ("yes", "no")


def review_list(
    *, user, status: str = "", search: str = "", sort: str = "-created", seen: str = ""
) -> QuerySet[QAReview]:
    """Return the visible reviews filtered by status, whether the agent has read them, and by
    subject, agent or reviewer name."""
    reviews = _with_related(reviews_visible_to(user=user))
    if status in ReviewStatus.values:
        reviews = reviews.filter(status=status)
    if seen in SEEN_FILTERS:
        reviews = reviews.exclude(status=ReviewStatus.DRAFT).filter(seen_at__isnull=seen == "no")
    if search:
        reviews = reviews.filter(
            Q(interaction__subject__icontains=search)
            | Q(interaction__employee__user__first_name__icontains=search)
            | Q(interaction__employee__user__last_name__icontains=search)
            | Q(reviewer__user__first_name__icontains=search)
            | Q(reviewer__user__last_name__icontains=search)
        )
    return reviews.order_by(*REVIEW_SORTS.get(sort, REVIEW_SORTS["-created"]))


def review_queue(*, reviewer: Employee, search: str = "") -> QuerySet[QAReview]:
    """Return the reviewer's drafts to finish, oldest first (not those of a calibration session
    already revealed: they can no longer be rated)."""
    reviews = _with_related(
        QAReview.objects.filter(reviewer=reviewer, status=ReviewStatus.DRAFT).exclude(
            calibration_session__in=CalibrationSession.objects.revealed(now=timezone.now())
        )
    )
    if search:
        reviews = reviews.filter(
            Q(interaction__subject__icontains=search)
            | Q(interaction__employee__user__first_name__icontains=search)
            | Q(interaction__employee__user__last_name__icontains=search)
        )
    return reviews.order_by("created_at", "pk")


def flagged_to_review(*, user, reviewer: Employee) -> QuerySet[Interaction]:
    """Return interactions flagged for review of the user's people that nobody reviews yet."""
    return (
        interactions_writable_by(user=user)
        .filter(is_flagged_for_review=True)
        .exclude(employee=reviewer)
        .exclude(Exists(QAReview.objects.filter(interaction=OuterRef("pk"))))
        .select_related("employee__user", "customer")
        .order_by("opened_at", "pk")
    )


def review_detail(*, user, review_id: int) -> QAReview | None:
    """Return one visible review with its ratings, criteria and history, or None."""
    return (
        _with_related(reviews_visible_to(user=user))
        .select_related("version", "resolved_by__user")
        .prefetch_related(
            Prefetch("ratings", queryset=QARating.objects.select_related("criterion")),
            Prefetch("events", queryset=QAReviewEvent.objects.select_related("actor__user")),
            "version__qa_criteria__section",
        )
        .filter(pk=review_id)
        .first()
    )


# ---- criteria and their sections --------------------------------------------------------------


def criterion_rating(*, criterion, rating: int | None) -> CriterionRating:
    """Return a `scorecards.QACriterion` rated, with its section, as `qa_scoring` takes it.

    Select the criterion's section with it: every total and section score reads it.
    """
    section = criterion.section
    return CriterionRating(
        weight=criterion.weight,
        rating=rating,
        is_critical=criterion.is_critical,
        section=None
        if section is None
        else SectionRule(code=section.code, weight=section.weight, auto_fail=section.auto_fail),
    )


@dataclass
class CriteriaSection:
    """A section of a review's criteria as a page shows it; `section` None for no sections."""

    section: object
    label: str
    score: Decimal | None
    failed: bool
    rows: list = field(default_factory=list)


def criteria_sections(
    *,
    criteria: Sequence,
    rows: Sequence,
    ratings: Mapping[int, int | None],
    language: str,
) -> list[CriteriaSection]:
    """Group the criteria's rows (one per criterion, in order) under their sections, in order.

    Each section carries its score over `ratings` (criterion id to 0..4 or None for N/A; a
    criterion left out is not rated), from `qa_scoring.qa_section_scores`, the total's rule.
    """
    scores = {
        score.section.code: score
        for score in qa_section_scores(
            ratings=[
                criterion_rating(criterion=criterion, rating=ratings[criterion.pk])
                for criterion in criteria
                if criterion.pk in ratings
            ]
        )
    }
    groups: dict[int | None, CriteriaSection] = {}
    for criterion, row in zip(criteria, rows, strict=True):
        section = criterion.section
        key = None if section is None else section.pk
        if key not in groups:
            score = None if section is None else scores.get(section.code)
            groups[key] = CriteriaSection(
                section=section,
                label="" if section is None else section.localized("label", language),
                score=None if score is None else quantize(score.score),
                failed=score is not None and score.failed,
            )
        groups[key].rows.append(row)
    return sorted(
        groups.values(),
        key=lambda group: (
            (0, 0, 0) if group.section is None else (1, group.section.position, group.section.pk)
        ),
    )


# ---- calibration -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CalibrationRow:
    label: str
    weight: Decimal
    is_critical: bool
    criterion: object
    # One entry per review, in the order of `CalibrationComparison.reviews`: 0..4, None for N/A,
    # "" when the reviewer has not rated it yet.
    ratings: list
    spread: int | None


@dataclass(frozen=True)
class CalibrationComparison:
    interaction: Interaction
    reviews: list[QAReview]
    rows: list[CalibrationRow]
    total_spread: Decimal | None
    # The rows again, grouped under the QA sections (one group without sections).
    sections: list[CriteriaSection] = field(default_factory=list)


def calibration_comparison(
    *, interaction: Interaction, language: str, viewer: Employee
) -> CalibrationComparison:
    """Return the reviews of the interaction the viewer may compare, side by side with the
    spread per criterion (a session's other ratings only once it reveals)."""
    reviews = list(
        QAReview.objects.filter(interaction=interaction)
        .blind_to(employee_id=viewer.pk, now=timezone.now())
        .select_related("reviewer__user", "version")
        .prefetch_related("ratings__criterion", "version__qa_criteria__section")
        .order_by("reviewer__user__first_name", "reviewer__user__last_name", "pk")
    )
    criteria = {}
    for review in reviews:
        for criterion in review.version.qa_criteria.all():
            criteria.setdefault(criterion.code, criterion)
    by_review = [
        {rating.criterion.code: rating.rating for rating in review.ratings.all()}
        for review in reviews
    ]
    rows = []
    for code, criterion in criteria.items():
        ratings = [given.get(code, "") for given in by_review]
        rated = [value for value in ratings if isinstance(value, int)]
        rows.append(
            CalibrationRow(
                label=criterion.localized("label", language),
                weight=criterion.weight,
                is_critical=criterion.is_critical,
                criterion=criterion,
                ratings=ratings,
                spread=max(rated) - min(rated) if rated else None,
            )
        )
    totals = [review.total for review in reviews if review.total is not None]
    return CalibrationComparison(
        interaction=interaction,
        reviews=reviews,
        rows=rows,
        total_spread=max(totals) - min(totals) if totals else None,
        sections=criteria_sections(
            criteria=list(criteria.values()), rows=rows, ratings={}, language=language
        ),
    )


def calibration_interactions(*, user) -> QuerySet[Interaction]:
    """Return visible interactions given to several reviewers for calibration, newest first."""
    calibrated = QAReview.objects.filter(
        interaction=OuterRef("pk"), reason=ReviewReason.CALIBRATION
    )
    return (
        interactions_visible_to(user=user)
        .filter(Exists(calibrated))
        .annotate(review_count=Count("qa_reviews"))
        .select_related("employee__user", "customer")
        .order_by("-opened_at", "-pk")
    )


def calibration_candidates(*, user, today: dt.date, days: int = 90) -> QuerySet[Interaction]:
    """Return the interactions of the user's current people resolved lately, to calibrate."""
    since = dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min, organisation_zone())
    return (
        interactions_writable_by(user=user)
        .filter(resolved_at__gte=since)
        .select_related("employee__user")
        .order_by("-resolved_at", "-pk")
    )


def calibration_candidates_matching(
    *, user, today: dt.date, query: str, limit: int = CALIBRATION_SEARCH_LIMIT
) -> list[Interaction]:
    """Return the few calibration candidates whose subject, agent or customer contains the
    query (or whose number it is), the most recently resolved first."""
    query = query.replace("\x00", "").strip()
    if not query:
        return []
    matching = (
        Q(subject__icontains=query)
        | Q(employee__user__first_name__icontains=query)
        | Q(employee__user__last_name__icontains=query)
        | Q(customer__name__icontains=query)
    )
    if query.isdigit() and len(query) < 19:
        matching |= Q(pk=int(query))
    return list(
        calibration_candidates(user=user, today=today)
        .filter(matching)
        .select_related("customer")[:limit]
    )


def reviewers_available(*, user) -> QuerySet[Employee]:
    """Return the people the user may give an interaction to for calibration: active admins and
    the active managers of the user's teams (`qa_calibration_assign` checks the agent's team)."""
    reviewers = Employee.objects.filter(is_active=True).filter(
        Q(role=Role.ADMIN)
        | Q(role=Role.MANAGER, managed_teams__in=teams_visible_to(user=user).values("pk"))
    )
    return (
        Employee.objects.filter(pk__in=reviewers.values("pk"))
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )


# ---- reviewer consistency --------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewerConsistency:
    reviewer: Employee
    count: int
    mean: Decimal
    difference: Decimal


@dataclass(frozen=True)
class TeamConsistency:
    team: Team
    count: int
    mean: Decimal | None
    reviewers: list[ReviewerConsistency]


def reviewer_consistency(*, team: Team, date_from: dt.date, date_to: dt.date) -> TeamConsistency:
    """Return each reviewer's mean total of the team's reviews against the team's mean.

    Reviews count by the day their total took effect, for agents who were in the team that day;
    the team's mean is pooled over all its reviews, not an average of the reviewers' means.
    """
    zone = organisation_zone()
    start = dt.datetime.combine(date_from, dt.time.min, zone)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, zone)
    members = TeamMembership.objects.filter(team=team, starts_on__lte=date_to).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=date_from)
    )
    reviews = QAReview.objects.scored().filter(
        scored_at__gte=start,
        scored_at__lt=end,
        total__isnull=False,
        interaction__employee__in=members.values("employee_id"),
    )
    overall = reviews.aggregate(count=Count("pk"), mean=Avg("total"))
    rows = list(
        reviews.values("reviewer").annotate(count=Count("pk"), mean=Avg("total")).order_by()
    )
    people = Employee.objects.select_related("user").in_bulk([row["reviewer"] for row in rows])
    team_mean = quantize(overall["mean"]) if overall["mean"] is not None else None
    result = [
        ReviewerConsistency(
            reviewer=people[row["reviewer"]],
            count=row["count"],
            mean=quantize(row["mean"]),
            difference=quantize(row["mean"] - overall["mean"]),
        )
        for row in rows
    ]
    result.sort(key=lambda item: (item.difference, item.reviewer.full_name))
    return TeamConsistency(team=team, count=overall["count"], mean=team_mean, reviewers=result)


# ---- follow-ups and escalations --------------------------------------------------------------


def follow_ups_open(*, employee: Employee) -> QuerySet[Interaction]:
    """Return the employee's follow-ups not done yet, the most overdue first."""
    return (
        Interaction.objects.filter(
            employee=employee, follow_up_due__isnull=False, follow_up_done_at__isnull=True
        )
        .select_related("customer")
        .order_by("follow_up_due", "pk")
    )


def follow_ups_done_recently(*, employee: Employee, today: dt.date) -> QuerySet[Interaction]:
    """Return the employee's follow-ups due today that are done already."""
    return (
        Interaction.objects.filter(
            employee=employee, follow_up_due=today, follow_up_done_at__isnull=False
        )
        .select_related("customer")
        .order_by("-follow_up_done_at")
    )


def _team_interactions(*, user, team: Team | None, today: dt.date) -> QuerySet[Interaction]:
    """Return the interactions a manager acts on: their current people's (of one team if given)."""
    interactions = interactions_writable_by(user=user)
    if team is not None:
        current = TeamMembership.objects.filter(team=team).on_day(today)
        interactions = interactions.filter(employee__in=current.values("employee_id"))
    return interactions


def team_follow_ups_overdue(
    *, user, today: dt.date, team: Team | None = None
) -> QuerySet[Interaction]:
    """Return the overdue follow-ups of the user's people (of one team if given)."""
    return (
        _team_interactions(user=user, team=team, today=today)
        .filter(
            follow_up_due__lt=today,
            follow_up_done_at__isnull=True,
        )
        .select_related("customer", "employee__user")
        .order_by("follow_up_due", "pk")
    )


def team_escalations_open(
    *, user, today: dt.date, team: Team | None = None
) -> QuerySet[Interaction]:
    """Return the escalated interactions of the user's people that are not resolved yet."""
    return (
        _team_interactions(user=user, team=team, today=today)
        .filter(is_escalated=True, resolved_at__isnull=True)
        .select_related("customer", "employee__user")
        .order_by("opened_at", "pk")
    )


def today() -> dt.date:
    """Return the organisation's calendar day now."""
    return timezone.localdate(timezone=organisation_zone())

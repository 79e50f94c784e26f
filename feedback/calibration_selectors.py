"""Reads of calibration sessions: the list, the progress matrix and, once revealed, the spread.

Who reads which rating is one rule, `QAReviewQuerySet.blind_to`: before a session reveals, a
reviewer reads only their own ratings and its lead only who has rated what.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from crs_site.lib.numbers import quantize
from customers.models import Interaction
from feedback.choices import ReviewStatus
from feedback.models import CalibrationReference, CalibrationSession, QARating, QAReview
from feedback.qa_selectors import CriteriaSection, criteria_sections
from staff.choices import Role
from staff.models import Employee
from staff.selectors import employee_for_user, is_admin, role_for_user

# Reviewers agree on a criterion when their ratings are at most this far apart (docs/QA.md).
AGREEMENT_RANGE = 1


class SessionStatus:
    OPEN = "open"
    REVEALED = "revealed"
    CLOSED = "closed"


def calibration_sessions_visible_to(*, user, now: dt.datetime) -> QuerySet[CalibrationSession]:
    """Return the sessions the user may open: administrators all, managers those they lead or
    rate in, with their status and progress, newest first."""
    if is_admin(user=user):
        sessions = CalibrationSession.objects.all()
    elif role_for_user(user=user) == Role.MANAGER:
        employee = employee_for_user(user=user)
        sessions = CalibrationSession.objects.filter(
            Q(created_by=employee) | Q(pk__in=employee.calibration_sessions.values("pk"))
        )
    else:
        return CalibrationSession.objects.none()
    revealed = CalibrationSession.objects.revealed(now=now).filter(pk=OuterRef("pk"))
    return (
        sessions.select_related("created_by__user")
        .annotate(
            is_revealed=Exists(revealed),
            review_count=Count("reviews", distinct=True),
            rated_count=Count(
                "reviews", filter=~Q(reviews__status=ReviewStatus.DRAFT), distinct=True
            ),
        )
        .order_by("-created_at", "-pk")
    )


def calibration_session_is_lead(*, session: CalibrationSession, employee: Employee) -> bool:
    """Tell whether the employee leads the session: its author, or an administrator."""
    return employee.pk == session.created_by_id or employee.role == Role.ADMIN


def session_status(session: CalibrationSession, *, now: dt.datetime) -> str:
    """Return open, revealed or closed (read from `calibration_sessions_visible_to`'s
    annotation when the session has it)."""
    if session.closed_at is not None:
        return SessionStatus.CLOSED
    revealed = getattr(session, "is_revealed", None)
    if revealed is None:
        revealed = CalibrationSession.objects.revealed(now=now).filter(pk=session.pk).exists()
    return SessionStatus.REVEALED if revealed else SessionStatus.OPEN


@dataclass(frozen=True)
class ProgressRow:
    reviewer: Employee
    # One per interaction of the session, in its order: ("rated", "started", "todo" or "" when
    # there is no review, the review's id or None).
    cells: list[tuple[str, int | None]]
    rated: int


@dataclass(frozen=True)
class CriterionSpread:
    criterion_id: int
    label: str
    is_critical: bool
    # One per column reviewer: 0..4, None for N/A, "" when not rated (or not readable).
    ratings: list
    low: int | None
    high: int | None
    range: int | None
    agrees: bool | None
    reference: CalibrationReference | None
    # One per column reviewer: |rating - reference|, None when either is missing or N/A.
    distances: list

    @property
    def cells(self) -> list[tuple]:
        """Return (rating, distance) per column reviewer, for the template."""
        return list(zip(self.ratings, self.distances, strict=True))


@dataclass(frozen=True)
class InteractionSpread:
    interaction: Interaction
    reviews: list  # QAReview or None, one per column reviewer
    rows: list[CriterionSpread]
    # The rows again, grouped under the version's QA sections (one group without sections).
    groups: list[CriteriaSection]


@dataclass(frozen=True)
class ReviewerDistance:
    reviewer: Employee
    compared: int
    mean: Decimal | None


@dataclass(frozen=True)
class SessionView:
    session: CalibrationSession
    status: str
    is_lead: bool
    interactions: list[Interaction]
    progress: list[ProgressRow]
    # The reviewers whose ratings the viewer may read: everyone once revealed, else themselves.
    columns: list[Employee]
    spreads: list[InteractionSpread]
    distances: list[ReviewerDistance]


def spread_of(ratings: list) -> tuple[int | None, int | None, int | None, bool | None]:
    """Return the lowest and highest rating, their range and whether the reviewers agree.

    "" (not rated) is left out; a mix of N/A and ratings is a disagreement.
    """
    given = [value for value in ratings if value != ""]
    numbers = [value for value in given if value is not None]
    if not given:
        return None, None, None, None
    if not numbers:
        return None, None, None, True
    low, high = min(numbers), max(numbers)
    agrees = high - low <= AGREEMENT_RANGE and len(numbers) == len(given)
    return low, high, high - low, agrees


def distance_from(rating, reference: CalibrationReference | None) -> int | None:
    """Return how far a rating is from the reference: 0 when both are N/A, None if unknown."""
    if reference is None or rating == "":
        return None
    if rating is None or reference.rating is None:
        return 0 if rating is None and reference.rating is None else None
    return abs(rating - reference.rating)


def _session_progress(
    *, session: CalibrationSession, reviewers: list[Employee], interactions: list
) -> list[ProgressRow]:
    """Each reviewer's state on each interaction: rated, started or to do."""
    all_reviews = QAReview.objects.filter(calibration_session=session).annotate(
        rating_count=Count("ratings")
    )
    cell = {
        (review.reviewer_id, review.interaction_id): (
            "rated"
            if review.status != ReviewStatus.DRAFT
            else "started"
            if review.rating_count
            else "todo",
            review.pk,
        )
        for review in all_reviews
    }
    progress = []
    for reviewer in reviewers:
        cells = [cell.get((reviewer.pk, item.pk), ("", None)) for item in interactions]
        rated = sum(state == "rated" for state, _review_id in cells)
        progress.append(ProgressRow(reviewer=reviewer, cells=cells, rated=rated))
    return progress


def _interaction_spread(
    *,
    interaction,
    reviews: list,
    shown: list[Employee],
    references: dict,
    sums: dict[int, list[int]],
    language: str,
) -> InteractionSpread:
    """One interaction's criteria side by side across the shown reviewers; each reviewer's
    distance from the reference is added to `sums`."""
    criteria = {}
    for review in reviews:
        if review is not None:
            for criterion in review.version.qa_criteria.all():
                criteria.setdefault(criterion.pk, criterion)
    given = [
        {rating.criterion_id: rating.rating for rating in review.ratings.all()}
        if review is not None
        else {}
        for review in reviews
    ]
    rows = []
    for criterion in criteria.values():
        ratings = [values.get(criterion.pk, "") for values in given]
        reference = references.get((interaction.pk, criterion.pk))
        distances = [distance_from(rating, reference) for rating in ratings]
        for reviewer, distance in zip(shown, distances, strict=True):
            if distance is not None:
                sums[reviewer.pk].append(distance)
        low, high, spread, agrees = spread_of(ratings)
        rows.append(
            CriterionSpread(
                criterion_id=criterion.pk,
                label=criterion.localized("label", language),
                is_critical=criterion.is_critical,
                ratings=ratings,
                low=low,
                high=high,
                range=spread,
                agrees=agrees,
                reference=reference,
                distances=distances,
            )
        )
    groups = criteria_sections(
        criteria=list(criteria.values()), rows=rows, ratings={}, language=language
    )
    return InteractionSpread(interaction=interaction, reviews=reviews, rows=rows, groups=groups)


def calibration_session_view(
    *, session: CalibrationSession, employee: Employee, now: dt.datetime, language: str
) -> SessionView:
    """Return what the employee may read of a session (`calibration_sessions_visible_to`)."""
    status = session_status(session, now=now)
    is_lead = calibration_session_is_lead(session=session, employee=employee)
    reviewers = list(session.reviewers.select_related("user").order_by("user__first_name", "pk"))
    interactions = list(
        session.interactions.select_related("employee__user", "customer").order_by("opened_at")
    )
    progress = _session_progress(session=session, reviewers=reviewers, interactions=interactions)
    if status == SessionStatus.OPEN:
        columns = [reviewer for reviewer in reviewers if reviewer.pk == employee.pk]
    else:
        columns = reviewers
    readable = (
        QAReview.objects.filter(calibration_session=session, reviewer__in=columns)
        .blind_to(employee_id=employee.pk, now=now)
        .select_related("version")
        .prefetch_related(
            Prefetch("ratings", queryset=QARating.objects.only("review", "criterion", "rating")),
            "version__qa_criteria__section",
        )
    )
    by_key = {(review.interaction_id, review.reviewer_id): review for review in readable}
    references = {
        (reference.interaction_id, reference.criterion_id): reference
        for reference in session.references.select_related("set_by__user")
    }
    shown = [reviewer for reviewer in columns if any(r[1] == reviewer.pk for r in by_key)]
    sums: dict[int, list[int]] = {reviewer.pk: [] for reviewer in shown}
    spreads = [
        _interaction_spread(
            interaction=interaction,
            reviews=[by_key.get((interaction.pk, reviewer.pk)) for reviewer in shown],
            shown=shown,
            references=references,
            sums=sums,
            language=language,
        )
        for interaction in interactions
    ]
    distances = [
        ReviewerDistance(
            reviewer=reviewer,
            compared=len(sums[reviewer.pk]),
            mean=quantize(Decimal(sum(sums[reviewer.pk])) / len(sums[reviewer.pk]))
            if sums[reviewer.pk]
            else None,
        )
        for reviewer in shown
    ]
    return SessionView(
        session=session,
        status=status,
        is_lead=is_lead,
        interactions=interactions,
        progress=progress,
        columns=shown,
        spreads=spreads if shown else [],
        distances=distances if status != SessionStatus.OPEN else [],
    )

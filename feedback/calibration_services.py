"""Writes of calibration sessions: several interactions rated blind by several reviewers.

A session is built on the per-interaction calibration of `qa_services.qa_calibration_assign`:
each reviewer gets one calibration draft per interaction, marked with the session. The ratings
stay blind until the session reveals (`CalibrationSessionQuerySet.revealed`); the lead then
records the agreed reference rating per criterion. Calibration reviews never count in a score.
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Interaction
from feedback.calibration_selectors import calibration_session_is_lead
from feedback.choices import ReviewReason
from feedback.models import CalibrationReference, CalibrationSession, QAReview
from feedback.qa_services import qa_calibration_assign
from staff.models import Employee

MIN_REVIEWERS = 2

# criterion id -> (reference rating 0..4 or None for N/A, note)
References = Mapping[int, tuple[int | None, str]]


def calibration_session_is_revealed(
    *, session: CalibrationSession, now: dt.datetime | None = None
) -> bool:
    """Tell whether everyone in the session may read every rating of it."""
    now = now or timezone.now()
    return CalibrationSession.objects.revealed(now=now).filter(pk=session.pk).exists()


@transaction.atomic
def calibration_session_create(
    *,
    title: str,
    deadline: dt.datetime,
    interactions: Iterable[Interaction],
    reviewers: Iterable[Employee],
    actor: Employee,
    now: dt.datetime | None = None,
) -> CalibrationSession:
    """Create a session and give every reviewer a calibration draft of every interaction."""
    now = now or timezone.now()
    title = (title or "").strip()
    interactions = sorted(set(interactions), key=lambda interaction: interaction.pk)
    reviewers = sorted(set(reviewers), key=lambda reviewer: reviewer.pk)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the session a title.")]
    if deadline is None or deadline <= now:
        errors["deadline"] = [_("Set a deadline in the future.")]
    if not interactions:
        errors["interactions"] = [_("Choose at least one interaction.")]
    if len(reviewers) < MIN_REVIEWERS:
        errors["reviewers"] = [_("Choose at least two reviewers to compare.")]
    taken = (
        QAReview.objects.filter(interaction__in=interactions, reviewer__in=reviewers)
        .select_related("interaction", "reviewer__user")
        .order_by("interaction_id", "reviewer_id")
    )
    clashes = [
        _("%(reviewer)s has already reviewed “%(subject)s”.")
        % {"reviewer": review.reviewer.full_name, "subject": review.interaction.subject}
        for review in taken
    ]
    if clashes:
        errors.setdefault("interactions", []).extend(clashes)
    own = [
        _("%(reviewer)s cannot rate their own interaction “%(subject)s”.")
        % {"reviewer": reviewer.full_name, "subject": interaction.subject}
        for interaction in interactions
        for reviewer in reviewers
        if reviewer.pk == interaction.employee_id
    ]
    if own:
        errors.setdefault("reviewers", []).extend(own)
    if errors:
        raise ValidationError(errors)
    session = CalibrationSession.objects.create(title=title, created_by=actor, deadline=deadline)
    session.interactions.set(interactions)
    session.reviewers.set(reviewers)
    review_ids = []
    for interaction in interactions:
        try:
            reviews = qa_calibration_assign(
                interaction=interaction, reviewers=reviewers, actor=actor
            )
        except ValidationError as error:
            raise ValidationError(_keyed_for_session(error, interaction=interaction)) from error
        review_ids += [review.pk for review in reviews]
    QAReview.objects.filter(pk__in=review_ids, reason=ReviewReason.CALIBRATION).update(
        calibration_session=session
    )
    return session


def _keyed_for_session(error: ValidationError, *, interaction: Interaction) -> dict:
    """Name the interaction in the assign service's errors and move them to the form's fields."""
    fields = {"reviewer": "reviewers", "interaction": "interactions"}
    keyed: dict[str, list[str]] = {}
    for field, messages in error.message_dict.items():
        for message in messages:
            keyed.setdefault(fields.get(field, field), []).append(
                f"{interaction.subject} (#{interaction.pk}): {message}"
            )
    return keyed


@transaction.atomic
def calibration_reference_set(
    *,
    session: CalibrationSession,
    interaction: Interaction,
    references: References,
    actor: Employee,
    now: dt.datetime | None = None,
) -> list[CalibrationReference]:
    """Record the lead's agreed rating of each criterion given, once the session is revealed."""
    session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
    if not calibration_session_is_lead(session=session, employee=actor):
        raise ValidationError({"__all__": _("Only the session's lead sets reference ratings.")})
    if not calibration_session_is_revealed(session=session, now=now):
        raise ValidationError(
            {"__all__": _("Reference ratings are set once the reviewers' ratings are revealed.")}
        )
    if not session.interactions.filter(pk=interaction.pk).exists():
        raise ValidationError({"__all__": _("This interaction is not part of the session.")})
    allowed = set(
        QAReview.objects.filter(calibration_session=session, interaction=interaction).values_list(
            "version__qa_criteria", flat=True
        )
    )
    errors: dict[str, list[str]] = {}
    if not references:
        errors["__all__"] = [_("Set the reference rating of at least one criterion.")]
    for criterion_id, (rating, _note) in references.items():
        if criterion_id not in allowed:
            errors.setdefault("__all__", []).append(
                _("A criterion is not part of this interaction's scorecard version.")
            )
        elif rating is not None and (
            isinstance(rating, bool) or not isinstance(rating, int) or not 0 <= rating <= 4
        ):
            errors[f"reference_{criterion_id}"] = [_("Rate from 0 to 4, or mark it N/A.")]
    if errors:
        raise ValidationError(errors)
    rows = [
        CalibrationReference(
            session=session,
            interaction=interaction,
            criterion_id=criterion_id,
            rating=rating,
            note=(note or "").strip(),
            set_by=actor,
        )
        for criterion_id, (rating, note) in sorted(references.items())
    ]
    return CalibrationReference.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["session", "interaction", "criterion"],
        update_fields=["rating", "note", "set_by", "set_at"],
    )


@transaction.atomic
def calibration_session_close(
    *, session: CalibrationSession, actor: Employee, now: dt.datetime | None = None
) -> CalibrationSession:
    """Close the session (its ratings are revealed to everyone in it from then on)."""
    session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
    if not calibration_session_is_lead(session=session, employee=actor):
        raise ValidationError({"__all__": _("Only the session's lead closes it.")})
    if session.closed_at is None:
        session.closed_at = now or timezone.now()
        session.save(update_fields=["closed_at"])
    return session

"""Mark (employee, day) pairs whose inputs changed, so the next scoring run recomputes them.

This is the one module of `scorecards` that `customers` and `feedback` import: their write
services call it with the days an object touched before and after the write.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import TYPE_CHECKING, overload

from django.conf import settings

from feedback.models import QAReview, SurveyResponse
from scorecards.models import DirtyDay

if TYPE_CHECKING:
    from customers.models import Interaction

Pair = tuple[int, dt.date]


def organisation_zone() -> zoneinfo.ZoneInfo:
    """Return the time zone whose calendar days the scores are counted in."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@overload
def local_day(moment: dt.datetime) -> dt.date: ...
@overload
def local_day(moment: None) -> None: ...
def local_day(moment: dt.datetime | None) -> dt.date | None:
    """Return the organisation's calendar day of a moment, or None for no moment."""
    if moment is None:
        return None
    # timezone.localtime's own check and conversion, without its two calls: a batch of a
    # thousand interactions asks for three days each.
    if moment.utcoffset() is None:
        raise ValueError("localtime() cannot be applied to a naive datetime")
    return moment.astimezone(organisation_zone()).date()


def days_mark_dirty(*, pairs: Iterable[Pair]) -> int:
    """Record each (employee id, day) as needing a recomputation; return how many were marked."""
    unique = {(employee_id, day) for employee_id, day in pairs if employee_id and day}
    if not unique:
        return 0
    # Sorted so concurrent writers take the row locks in one order and never deadlock.
    DirtyDay.objects.bulk_create(
        [DirtyDay(employee_id=employee_id, day=day) for employee_id, day in sorted(unique)],
        update_conflicts=True,
        unique_fields=["employee", "day"],
        update_fields=["marked_at"],
    )
    return len(unique)


def interaction_days(interaction: "Interaction") -> set[Pair]:
    """Return every (employee id, day) the interaction's own fields count on."""
    days = {
        local_day(interaction.opened_at),
        local_day(interaction.resolved_at),
        interaction.follow_up_due,
    }
    return {(interaction.employee_id, day) for day in days if day is not None}


def survey_response_days(response: SurveyResponse) -> set[Pair]:
    """Return the (employee id, day) a survey response counts on."""
    day = local_day(response.submitted_at)
    return {(response.interaction.employee_id, day)} if day is not None else set()


def qa_review_days(review: QAReview) -> set[Pair]:
    """Return the (employee id, day) a QA review counts on once published or resolved."""
    day = local_day(review.scored_at)
    return {(review.interaction.employee_id, day)} if day is not None else set()


def feedback_days(*, interaction_ids: Iterable[int]) -> dict[int, set[dt.date]]:
    """Return, per interaction id, the days its survey responses and scored QA reviews count on.

    Feedback counts for the interaction's employee, so moving or deleting an interaction moves
    or removes these days too.
    """
    ids = list(interaction_ids)
    days: dict[int, set[dt.date]] = {}
    if not ids:
        return days
    responses = SurveyResponse.objects.filter(interaction_id__in=ids).values_list(
        "interaction_id", "submitted_at"
    )
    reviews = QAReview.objects.filter(interaction_id__in=ids, scored_at__isnull=False).values_list(
        "interaction_id", "scored_at"
    )
    for interaction_id, moment in [*responses, *reviews]:
        days.setdefault(interaction_id, set()).add(local_day(moment))
    return days

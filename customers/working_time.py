"""Business hours: the stored working time to first response of interactions.

An interaction of an employee whose team (on the opening day) has a working calendar stores
the working time from opening to first response (`Interaction.first_response_working_time`);
the engine counts response_sla and first_response_minutes from it instead of the clock time
(docs/SCORING.md, business hours). Every write of an interaction fills it
(`interactions_working_time_fill`); saving or removing a calendar recomputes the team's
interactions and marks the days whose figures change (`working_calendar_save`), and so does
moving an employee to another team or correcting their membership for the days it changes
(`employee_working_times_recompute`, called by scorecards.services.changes).
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from customers.models import Interaction
from scorecards.dirty import Pair, days_mark_dirty, local_day, organisation_zone
from staff.calendars import (
    country_is_known,
    holidays_of,
    subdivision_is_known,
    working_time,
)
from staff.models import WEEKDAYS, Team, TeamMembership, WorkingCalendar

_RECOMPUTE_BATCH = 2_000


def _calendar_of(team: Team) -> WorkingCalendar | None:
    try:
        return team.working_calendar
    except ObjectDoesNotExist:
        return None


def _working_time_under(
    interaction: Interaction, calendar: WorkingCalendar | None
) -> dt.timedelta | None:
    if calendar is None or interaction.first_response_at is None or interaction.opened_at is None:
        return None
    return working_time(
        start=interaction.opened_at,
        end=interaction.first_response_at,
        hours=calendar.weekly_hours,
        holidays=holidays_of(country=calendar.country, subdivision=calendar.subdivision),
        zone=organisation_zone(),
    )


def interactions_working_time_fill(interactions: Sequence[Interaction]) -> None:
    """Set each interaction's working time to first response from its team's calendar.

    One query for the memberships of all the interactions' employees, whatever their number.
    """
    answered = [
        i for i in interactions if i.first_response_at is not None and i.opened_at is not None
    ]
    for interaction in interactions:
        interaction.first_response_working_time = None
    if not answered:
        return
    days = [local_day(i.opened_at) for i in answered]
    memberships: dict[int, list[TeamMembership]] = {}
    for membership in (
        TeamMembership.objects.filter(
            employee_id__in={i.employee_id for i in answered},
            starts_on__lte=max(days),
            team__working_calendar__isnull=False,
        )
        .exclude(ends_on__lt=min(days))
        .select_related("team__working_calendar")
    ):
        memberships.setdefault(membership.employee_id, []).append(membership)
    for interaction, day in zip(answered, days, strict=True):
        for membership in memberships.get(interaction.employee_id, ()):
            if membership.starts_on <= day and (
                membership.ends_on is None or day <= membership.ends_on
            ):
                interaction.first_response_working_time = _working_time_under(
                    interaction, membership.team.working_calendar
                )
                break


def _hours_errors(hours: Sequence[tuple[dt.time | None, dt.time | None]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for day, (start, end) in zip(WEEKDAYS, hours, strict=True):
        if (start is None) != (end is None):
            field = f"{day}_end" if end is None else f"{day}_start"
            errors[field] = [_("Give both times of the day, or neither for a day off.")]
    return errors


def working_calendar_errors(
    *, country: str, subdivision: str, hours: Sequence[tuple[dt.time | None, dt.time | None]]
) -> dict[str, list[str]]:
    """Name each wrong field of a calendar: unknown country or region, half-given hours."""
    errors = _hours_errors(hours)
    if country and not country_is_known(country):
        errors["country"] = [_("No public holidays are known for this country code.")]
    elif subdivision and not country:
        errors["subdivision"] = [_("Pick the country first.")]
    elif subdivision and not subdivision_is_known(country, subdivision):
        errors["subdivision"] = [_("This country has no region with this code.")]
    if all(start is None for start, _end in hours):
        errors.setdefault("__all__", []).append(
            _("Give the hours of at least one working day, or remove the calendar.")
        )
    return errors


def _team_interactions(team: Team) -> Iterable[Interaction]:
    """The interactions opened while their employee was in the team."""
    for membership in TeamMembership.objects.filter(team=team).order_by("pk"):
        interactions = Interaction.objects.filter(
            employee_id=membership.employee_id, opened_at__date__gte=membership.starts_on
        )
        if membership.ends_on is not None:
            interactions = interactions.filter(opened_at__date__lte=membership.ends_on)
        yield from (
            interactions.only(
                "pk", "employee_id", "opened_at", "first_response_at", "first_response_working_time"
            )
            .order_by("pk")
            .iterator(chunk_size=_RECOMPUTE_BATCH)
        )


def _team_working_times_recompute(team: Team, calendar: WorkingCalendar | None) -> int:
    changed: list[Interaction] = []
    pairs: set[Pair] = set()
    count = 0
    for interaction in _team_interactions(team):
        stored = interaction.first_response_working_time
        interaction.first_response_working_time = _working_time_under(interaction, calendar)
        if interaction.first_response_working_time != stored:
            changed.append(interaction)
            pairs.add((interaction.employee_id, local_day(interaction.opened_at)))
        if len(changed) >= _RECOMPUTE_BATCH:
            Interaction.objects.bulk_update(changed, ["first_response_working_time"])
            count += len(changed)
            changed = []
    Interaction.objects.bulk_update(changed, ["first_response_working_time"])
    days_mark_dirty(pairs=pairs)
    return count + len(changed)


def employee_working_times_recompute(
    *, employee_id: int, date_from: dt.date, date_to: dt.date | None = None
) -> int:
    """Recompute the stored working time to first response of the employee's interactions
    opened from `date_from` to `date_to` (None: on), after their team on those days changed
    (a move, a corrected or deleted membership): the other team may have another calendar, or
    none. Mark the days whose value changes for rescoring; return how many interactions changed.
    """
    # A day around the range: the database's date of a moment may differ from the
    # organisation's; the fill decides each interaction's team by its organisation day.
    interactions = Interaction.objects.filter(
        employee_id=employee_id, opened_at__date__gte=date_from - dt.timedelta(days=1)
    )
    if date_to is not None:
        interactions = interactions.filter(opened_at__date__lte=date_to + dt.timedelta(days=1))
    count = 0
    pairs: set[Pair] = set()
    batch: list[Interaction] = []
    rows = (
        interactions.only(
            "pk", "employee_id", "opened_at", "first_response_at", "first_response_working_time"
        )
        .order_by("pk")
        .iterator(chunk_size=_RECOMPUTE_BATCH)
    )
    for interaction in rows:
        batch.append(interaction)
        if len(batch) >= _RECOMPUTE_BATCH:
            count += _batch_recompute(batch, pairs)
            batch = []
    count += _batch_recompute(batch, pairs)
    days_mark_dirty(pairs=pairs)
    return count


def _batch_recompute(batch: list[Interaction], pairs: set[Pair]) -> int:
    stored = [i.first_response_working_time for i in batch]
    interactions_working_time_fill(batch)
    changed = [
        i
        for i, before in zip(batch, stored, strict=True)
        if i.first_response_working_time != before
    ]
    Interaction.objects.bulk_update(changed, ["first_response_working_time"])
    pairs.update((i.employee_id, local_day(i.opened_at)) for i in changed)
    return len(changed)


@transaction.atomic
def working_calendar_save(
    *,
    team: Team,
    country: str = "",
    subdivision: str = "",
    hours: Sequence[tuple[dt.time | None, dt.time | None]],
) -> WorkingCalendar:
    """Give the team a working calendar (or change it); recompute its interactions' working
    times to first response and mark the days whose figures change for rescoring.

    `hours`: seven (start, end) pairs, Monday to Sunday; (None, None) for a day off.
    """
    country, subdivision = country.strip().upper(), subdivision.strip().upper()
    errors = working_calendar_errors(country=country, subdivision=subdivision, hours=hours)
    if errors:
        raise ValidationError(errors)
    # The team row, locked, serialises two edits of one calendar.
    team = Team.objects.select_for_update().get(pk=team.pk)
    calendar = _calendar_of(team) or WorkingCalendar(team=team)
    calendar.country, calendar.subdivision = country, subdivision
    for day, (start, end) in zip(WEEKDAYS, hours, strict=True):
        setattr(calendar, f"{day}_start", start)
        setattr(calendar, f"{day}_end", end)
    calendar.save()
    _team_working_times_recompute(team, calendar)
    return calendar


@transaction.atomic
def working_calendar_remove(*, team: Team) -> None:
    """Remove the team's calendar: its response times count the clock again."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    calendar = _calendar_of(team)
    if calendar is None:
        return
    calendar.delete()
    _team_working_times_recompute(team, None)

"""Change events, and moving an agent to another team (the pages and the admin write here)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.working_time import employee_working_times_recompute
from scorecards.choices import ChangeKind
from scorecards.dirty import days_mark_dirty
from scorecards.models import ChangeEvent
from scorecards.selectors.stats import day_range
from staff.models import Employee, Team, TeamMembership
from staff.services import membership_start, membership_validate


@transaction.atomic
def change_event_record(
    *,
    day: dt.date,
    team: Team | None,
    kind: str,
    title: str,
    notes: str = "",
    created_by: Employee | None = None,
    is_automatic: bool = False,
    today: dt.date | None = None,
) -> ChangeEvent:
    """Record a change inside the business on a day, for one team or (no team) for everyone.

    A change recorded by hand has happened already; automatic ones (a planned team move, a
    version published ahead) may lie in the future.
    """
    event = ChangeEvent(
        day=day,
        team=team,
        kind=kind,
        title=title.strip(),
        notes=notes.strip(),
        is_automatic=is_automatic,
        created_by=created_by,
    )
    change_event_validate(event=event, today=today)
    event.save()
    return event


def change_event_validate(*, event: ChangeEvent, today: dt.date | None = None) -> None:
    """Raise a ValidationError naming each wrong field of the change event."""
    today = today or timezone.localdate()
    if not event.is_automatic and event.day is not None and event.day > today:
        raise ValidationError(
            {
                "day": ValidationError(
                    _("A change is recorded once it has happened: choose today or a past day."),
                    code="future_day",
                )
            }
        )
    event.full_clean()


@transaction.atomic
def change_event_update(
    *,
    event: ChangeEvent,
    day: dt.date,
    team: Team | None,
    kind: str,
    title: str,
    notes: str = "",
    today: dt.date | None = None,
) -> ChangeEvent:
    """Correct a change: its day, team, kind, title or notes."""
    event.day, event.team, event.kind = day, team, kind
    event.title, event.notes = title.strip(), notes.strip()
    change_event_validate(event=event, today=today)
    event.save()
    return event


@transaction.atomic
def change_event_delete(*, event: ChangeEvent) -> None:
    """Remove a change recorded by hand; the scores it was compared with stay as they are."""
    event.delete()


@transaction.atomic
def team_member_join(
    *,
    employee: Employee,
    team: Team,
    starts_on: dt.date,
    recorded_by: Employee | None = None,
    today: dt.date | None = None,
) -> TeamMembership:
    """Move the employee into the team, record the "joined team" event and rescore past days.

    Lives here rather than in staff.services because staff may not import scorecards: the
    membership change and its change event commit together or not at all.
    """
    today = today or timezone.localdate()
    membership = membership_start(employee=employee, team=team, starts_on=starts_on)
    # From the move on the interactions count the new team's working hours (or the clock).
    employee_working_times_recompute(employee_id=employee.pk, date_from=starts_on)
    change_event_record(
        day=starts_on,
        team=team,
        kind=ChangeKind.NEW_HIRE,
        title=_("%(name)s joined %(team)s") % {"name": employee.full_name, "team": team.name},
        created_by=recorded_by,
        is_automatic=True,
        today=today,
    )
    if starts_on <= today:
        # Days already scored with the old team are scored again with the new one.
        days_mark_dirty(
            pairs=[(employee.pk, day) for day in day_range(date_from=starts_on, date_to=today)]
        )
    return membership


@transaction.atomic
def team_membership_update(
    *,
    membership: TeamMembership,
    team: Team,
    starts_on: dt.date,
    ends_on: dt.date | None,
    today: dt.date | None = None,
) -> TeamMembership:
    """Correct a membership's team or days; the past days whose team it changes are rescored."""
    today = today or timezone.localdate()
    # Locked as a move is (staff.services.membership_start): one change of a person at a time.
    Employee.objects.select_for_update().filter(pk=membership.employee_id).get()
    stored = TeamMembership.objects.get(pk=membership.pk)
    membership.team, membership.starts_on, membership.ends_on = team, starts_on, ends_on
    membership_validate(membership=membership)
    membership.save()
    before, after = _membership_days(stored, today), _membership_days(membership, today)
    changed = before ^ after if stored.team_id == membership.team_id else before | after
    days_mark_dirty(pairs=[(membership.employee_id, day) for day in changed])
    # The days it covered before or covers now may have another calendar (or none) now.
    employee_working_times_recompute(
        employee_id=membership.employee_id,
        date_from=min(stored.starts_on, membership.starts_on),
        date_to=None
        if stored.ends_on is None or membership.ends_on is None
        else max(stored.ends_on, membership.ends_on),
    )
    return membership


@transaction.atomic
def team_membership_delete(*, membership: TeamMembership, today: dt.date | None = None) -> None:
    """Delete a membership entered by mistake; the past days it covered are rescored."""
    days = _membership_days(membership, today or timezone.localdate())
    employee_id = membership.employee_id
    starts_on, ends_on = membership.starts_on, membership.ends_on
    membership.delete()
    days_mark_dirty(pairs=[(employee_id, day) for day in days])
    # Those days have no team now: their response times count the clock.
    employee_working_times_recompute(employee_id=employee_id, date_from=starts_on, date_to=ends_on)


def _membership_days(membership: TeamMembership, today: dt.date) -> set[dt.date]:
    last = min(membership.ends_on or today, today)
    if membership.starts_on > last:
        return set()
    return set(day_range(date_from=membership.starts_on, date_to=last))

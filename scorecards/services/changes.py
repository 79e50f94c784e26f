"""Change events, and moving an agent to another team."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scorecards.choices import ChangeKind
from scorecards.dirty import days_mark_dirty
from scorecards.models import ChangeEvent
from scorecards.selectors.stats import day_range
from staff.models import Employee, Team, TeamMembership
from staff.services import membership_start


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
    today = today or timezone.localdate()
    if not is_automatic and day > today:
        raise ValidationError(
            {
                "day": ValidationError(
                    _("A change is recorded once it has happened: choose today or a past day."),
                    code="future_day",
                )
            }
        )
    event = ChangeEvent(
        day=day,
        team=team,
        kind=kind,
        title=title.strip(),
        notes=notes.strip(),
        is_automatic=is_automatic,
        created_by=created_by,
    )
    event.full_clean()
    event.save()
    return event


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
    """Correct a change recorded by hand: its day, team, kind, title or notes."""
    today = today or timezone.localdate()
    if day > today:
        raise ValidationError(
            {
                "day": ValidationError(
                    _("A change is recorded once it has happened: choose today or a past day."),
                    code="future_day",
                )
            }
        )
    event.day, event.team, event.kind = day, team, kind
    event.title, event.notes = title.strip(), notes.strip()
    event.full_clean()
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

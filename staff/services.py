import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from staff.choices import Language
from staff.models import ApiKey, Employee, Team, TeamMembership


@transaction.atomic
def employee_language_set(*, employee: Employee, language: str) -> Employee:
    """Store the language the employee reads the application in."""
    if language not in Language.values:
        raise ValueError(f"Unsupported language: {language!r}")
    employee.language = language
    employee.save(update_fields=["language"])
    return employee


@transaction.atomic
def membership_start(*, employee: Employee, team: Team, starts_on: dt.date) -> TeamMembership:
    """Move the employee into the team from a day, ending their open membership the day before.

    Only the move is written here; the change event it implies is recorded by the scorecards
    app (`scorecards.services.changes.team_member_join`), which may import staff but not the
    reverse.
    """
    # Locking the employee row serialises two moves of one person.
    Employee.objects.select_for_update().filter(pk=employee.pk).get()
    current = membership_start_validate(employee=employee, team=team, starts_on=starts_on)
    if current is not None:
        current.ends_on = starts_on - dt.timedelta(days=1)
        current.save(update_fields=["ends_on"])
    return TeamMembership.objects.create(employee=employee, team=team, starts_on=starts_on)


def membership_start_validate(
    *, employee: Employee, team: Team, starts_on: dt.date
) -> TeamMembership | None:
    """Raise a ValidationError naming the field if the employee cannot move into the team on
    that day; return the open membership the move would end (None if there is none)."""
    memberships = TeamMembership.objects.filter(employee=employee)
    clash = (
        memberships.filter(starts_on__gte=starts_on) | memberships.filter(ends_on__gte=starts_on)
    ).first()
    if clash is not None:
        raise _overlap_error(
            _("%(name)s is already in %(team)s from %(day)s; choose a later day."),
            employee=employee,
            clash=clash,
        )
    current = memberships.filter(ends_on__isnull=True).first()
    if current is not None and current.team_id == team.pk:
        raise ValidationError(
            {
                "team": ValidationError(
                    _("%(name)s is already a member of %(team)s."),
                    code="already_member",
                    params={"name": employee.full_name, "team": team.name},
                )
            }
        )
    return current


def membership_validate(*, membership: TeamMembership) -> None:
    """Raise a ValidationError naming each wrong field of a corrected membership.

    An employee is in one team on any day: the corrected days may not overlap another of their
    memberships (the database's exclusion constraint would refuse it without naming a field).
    """
    membership.full_clean()
    others = TeamMembership.objects.filter(employee_id=membership.employee_id).exclude(
        pk=membership.pk
    )
    clash = others.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=membership.starts_on))
    if membership.ends_on is not None:
        clash = clash.filter(starts_on__lte=membership.ends_on)
    overlapped = clash.select_related("team").order_by("starts_on").first()
    if overlapped is not None:
        raise _overlap_error(
            _("These days overlap %(name)s's membership of %(team)s from %(day)s."),
            employee=membership.employee,
            clash=overlapped,
        )


def _overlap_error(message: str, *, employee: Employee, clash: TeamMembership) -> ValidationError:
    # At the start day: an employee is in one team on any day (excl_membership_overlap).
    return ValidationError(
        {
            "starts_on": ValidationError(
                message,
                code="membership_overlap",
                params={
                    "name": employee.full_name,
                    "team": clash.team.name,
                    "day": date_format(clash.starts_on, "SHORT_DATE_FORMAT"),
                },
            )
        }
    )


@transaction.atomic
def api_key_teams_set(*, api_key: ApiKey, teams, is_team_restricted: bool = False) -> ApiKey:
    """Limit the key to these teams; with none and no restriction asked for, every team.

    The restriction is stored apart from the team list, so a key whose teams are deleted (or
    saved again after that) sees nothing rather than everything.
    """
    api_key.teams.set(teams)
    restricted = is_team_restricted or api_key.teams.exists()
    # Saved only when it changes: every save is a row of the key's history.
    if api_key.is_team_restricted != restricted:
        api_key.is_team_restricted = restricted
        api_key.save(update_fields=["is_team_restricted"])
    return api_key

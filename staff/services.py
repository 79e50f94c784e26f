import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
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
    memberships = TeamMembership.objects.filter(employee=employee)
    clash = (
        memberships.filter(starts_on__gte=starts_on) | memberships.filter(ends_on__gte=starts_on)
    ).first()
    if clash is not None:
        raise ValidationError(
            {
                "starts_on": ValidationError(
                    _("%(name)s is already in %(team)s from %(day)s; choose a later day."),
                    code="membership_overlap",
                    params={
                        "name": employee.full_name,
                        "team": clash.team.name,
                        "day": date_format(clash.starts_on, "SHORT_DATE_FORMAT"),
                    },
                )
            }
        )
    current = memberships.filter(ends_on__isnull=True).first()
    if current is not None:
        if current.team_id == team.pk:
            raise ValidationError(
                {
                    "team": ValidationError(
                        _("%(name)s is already a member of %(team)s."),
                        code="already_member",
                        params={"name": employee.full_name, "team": team.name},
                    )
                }
            )
        current.ends_on = starts_on - dt.timedelta(days=1)
        current.save(update_fields=["ends_on"])
    return TeamMembership.objects.create(employee=employee, team=team, starts_on=starts_on)


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

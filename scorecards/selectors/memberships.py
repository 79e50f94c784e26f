"""Team memberships as spans of days."""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q

from staff.models import TeamMembership


@dataclass(frozen=True)
class MembershipSpan:
    employee_id: int
    team_id: int
    scorecard_id: int | None
    starts_on: dt.date
    ends_on: dt.date | None

    def covers(self, day: dt.date) -> bool:
        """Tell whether the employee was a member on the day."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def memberships_overlapping(
    *,
    date_from: dt.date,
    date_to: dt.date,
    employee_ids: Collection[int] | None = None,
    team_ids: Collection[int] | None = None,
) -> list[MembershipSpan]:
    """Return the team memberships that overlap the days, with each team's scorecard."""
    memberships = TeamMembership.objects.filter(starts_on__lte=date_to).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=date_from)
    )
    if employee_ids is not None:
        memberships = memberships.filter(employee_id__in=employee_ids)
    if team_ids is not None:
        memberships = memberships.filter(team_id__in=team_ids)
    return [
        MembershipSpan(*values)
        for values in memberships.order_by("employee_id", "starts_on").values_list(
            "employee_id", "team_id", "team__scorecard_id", "starts_on", "ends_on"
        )
    ]
